"""The store: schema created and migrated, WAL, sessions that survive a reopen, logs and /stats."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from bot.storage import GIVEN_UP, MIGRATIONS, SCHEMA_VERSION, Entry, StorageError, Store


async def test_migrates_an_empty_database_to_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "bot.sqlite3"      # parent directories are created
    async with Store(path) as store:
        assert await store.schema_version() == SCHEMA_VERSION
        assert (await store.journal_mode()).lower() == "wal"
    with sqlite3.connect(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"sessions", "queries", "feedback", "admin_actions", "answers"} <= tables
        assert db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"


async def test_migrates_an_older_schema_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as db:                 # a database left by the first release
        db.executescript(MIGRATIONS[0] + "\nPRAGMA user_version = 1;")
        db.execute("INSERT INTO sessions VALUES (7, 0, '{\"q\": \"售价多少\", \"offset\": 0}', 0)")
    async with Store(path) as store:
        assert await store.schema_version() == SCHEMA_VERSION
        assert await store.load_session(7) == {"q": "售价多少", "offset": 0}
        await store.link_answer(7, 1, [2, 3], None)      # a table added by a later migration
        assert (await store.linked_answer(7, 1)).answer_ids == [2, 3]


async def test_refuses_a_database_from_a_newer_bot(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StorageError, match="newer"):
        await Store(path).open()


async def test_sessions_are_per_chat_and_topic_and_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with Store(path) as store:
        await store.save_session(-100, 0, {"q": "售价多少", "offset": 0})
        await store.save_session(-100, 5, {"q": "产能多少", "offset": 3})
        await store.save_session(-100, 5, {"q": "产能多少", "offset": 6})      # replaced, not added
        assert await store.load_session(-100, 9) is None
    async with Store(path) as store:
        assert await store.load_session(-100, 0) == {"q": "售价多少", "offset": 0}
        assert await store.load_session(-100, 5) == {"q": "产能多少", "offset": 6}


async def test_query_log_with_session_feedback_and_answer_links(store: Store) -> None:
    query_id = await store.log_query(chat_id=1, chat_type="private", user_id=1, via="text", question="售价<多少>&",
                                     kind="answer", answered=True, paragraphs=["doc#18"], latency_ms=12.5,
                                     state={"q": "售价<多少>&", "offset": 0}, save_session=True)
    record = await store.query(query_id)
    assert record is not None
    assert (record.question, record.answered, record.paragraphs) == ("售价<多少>&", True, ["doc#18"])
    assert record.state == {"q": "售价<多少>&", "offset": 0}
    assert await store.load_session(1) == record.state
    assert await store.query(query_id + 100) is None

    assert await store.add_feedback(query_id, 5, 1)
    assert await store.add_feedback(query_id, 5, -1)           # a second press replaces the first
    assert await store.add_feedback(query_id, 6, 1)
    assert await store.feedback(query_id) == {5: -1, 6: 1}
    assert not await store.add_feedback(query_id + 100, 5, 1)  # unknown answer: nothing stored

    await store.link_answer(1, 10, [11], query_id)
    await store.link_answer(1, 10, [11, 12], query_id)
    linked = await store.linked_answer(1, 10)
    assert linked is not None and (linked.answer_ids, linked.query_id) == ([11, 12], query_id)
    assert await store.linked_answer(1, 99) is None


async def test_admin_actions_are_logged(store: Store) -> None:
    await store.log_admin(user_id=9, chat_id=9, command="reload", allowed=False, detail="not an admin")
    await store.log_admin(user_id=42, chat_id=42, command="reload", allowed=True, detail="ok")
    actions = await store.admin_actions()
    assert [(a["user_id"], a["allowed"]) for a in actions] == [(9, 0), (42, 1)]


async def test_stats_count_today_week_share_top_and_unanswered(store: Store) -> None:
    now = time.time()
    rows = [("售价多少", "answer", True, 0), ("售价多少", "answer", True, 0), ("产能多少", "answer", True, 0),
            ("火星基地在哪", "not_found", False, 0), ("你好", "help", False, 0),
            ("上市时间", "answer", True, 3), ("月球工厂", "not_found", False, 3), ("很久以前", "answer", True, 30)]
    for question, kind, answered, days_ago in rows:
        query_id = await store.log_query(chat_id=1, chat_type="private", user_id=1, via="text", question=question,
                                         kind=kind, answered=answered, paragraphs=[])
        await store.db.execute("UPDATE queries SET ts = ? WHERE id = ?", (now - days_ago * 86400, query_id))
        await store.db.commit()
    await store.log_query(chat_id=None, chat_type="inline", user_id=1, via="inline", question="售", kind="answer",
                          answered=True, paragraphs=[])                          # keystrokes are not questions
    await store.db.commit()
    stats = await store.stats(now=now)
    assert (stats.today, stats.week) == (5, 7)
    assert (stats.answered_week, stats.asked_week) == (4, 6)      # greetings are not counted as unanswered
    assert stats.answered_share == pytest.approx(4 / 6)
    assert stats.top[0] == ("售价多少", 2)
    assert "你好" not in [q for q, _ in stats.top]
    assert [q for _, q in stats.unanswered] == ["火星基地在哪", "月球工厂"]


async def test_close_keeps_every_committed_row(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = await Store(path).open()
    for n in range(20):
        await store.log_query(chat_id=n, chat_type="private", user_id=n, via="text", question=f"问题{n}",
                              kind="answer", answered=True, paragraphs=[])
    await store.close()
    await store.close()                                  # closing twice is harmless
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM queries").fetchone()[0] == 20


# --- the inbox and delivery (bot.inbox) --------------------------------------------------------------------

def _entry(store: Store, question: str = "售价多少", chat_id: int = 1) -> Entry:
    return Entry(store.next_query_id(), chat_id, 0, "private", 1, "text", question, "answer", True, ["doc#1"],
                 {"q": question, "offset": 0})


async def test_an_update_is_owed_until_settled_and_a_settled_one_is_not_taken_again(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with Store(path) as store:
        assert await store.receive(7, {"update_id": 7, "message": {"text": "售价多少"}})
        assert await store.receive(8, {"update_id": 8})
        assert await store.receive(7, {"update_id": 7})          # handed over again, still owed
        await store.settle(8)
        assert not await store.receive(8, {"update_id": 8})      # settled: not to be handled again
    async with Store(path) as store:                              # a restart still knows what is owed
        owed = await store.owed()
        assert [(o.update_id, o.body["message"]["text"]) for o in owed] == [(7, "售价多少")]


async def test_an_answer_is_logged_with_its_session_link_and_settled_update_in_one_go(store: Store) -> None:
    await store.receive(30, {"update_id": 30})
    entry = _entry(store)
    assert await store.query(entry.id) is None                   # nothing logged before it is sent
    await store.record(entry, session=True, question_message=10, answer_ids=[11, 12], update_id=30)
    record = await store.query(entry.id)
    assert record is not None and record.answered
    assert await store.load_session(1) == {"q": "售价多少", "offset": 0}
    linked = await store.linked_answer(1, 10)
    assert linked is not None and (linked.answer_ids, linked.query_id) == ([11, 12], entry.id)
    assert await store.owed() == []


async def test_a_given_up_answer_is_logged_as_such_settles_and_leaves_the_session(store: Store) -> None:
    await store.receive(31, {"update_id": 31})
    entry = _entry(store, "产能多少")
    await store.record(entry, delivery=GIVEN_UP, session=True, question_message=10, answer_ids=[11], update_id=31)
    assert await store.load_session(1) is None
    assert await store.linked_answer(1, 10) is None
    assert await store.owed() == []
    stats = await store.stats()
    assert (stats.week, stats.answered_week, stats.given_up_week) == (1, 0, 1)


async def test_query_ids_handed_out_before_writing_are_never_reused_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with Store(path) as store:
        first = _entry(store)
        await store.record(first)
        unused = store.next_query_id()           # handed out, never written (the bot died while sending)
    async with Store(path) as store:
        again = store.next_query_id()
    assert first.id < unused and again > first.id
