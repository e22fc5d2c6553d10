"""End to end under faults: the bot as a process (``python -m bot run``) against a Bot API that misbehaves.

The emulator (tests/botapi_emulator.py) holds, stalls or refuses requests on
purpose.  Two things must hold whatever it does: every question Telegram
handed over is answered, and none is answered twice.  Nothing sleeps to time
anything: the tests wait for the emulator to reach a state, with a timeout.
"""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.loadbench import TOKEN
from tests.botapi_emulator import BotApiEmulator, Fault, bad_gateway, flood
from tests.test_e2e import BOT_NAME, STEP_TIMEOUT, answer_to, start_bot

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

QUESTIONS = ["售价多少", "工厂在哪里", "产能多少", "什么时候上市", "工厂有多大"]


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    with BotApiEmulator(token=TOKEN, bot_username=BOT_NAME, privacy_mode=False) as emulator:
        yield emulator


def _check_database(db: Path) -> list[tuple[str, str]]:
    """The database is sound after everything; the (question, delivery) rows of the query log."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM inbox WHERE settled IS NULL").fetchone()[0] == 0
        return conn.execute("SELECT question, delivery FROM queries ORDER BY id").fetchall()


def test_kill_9_while_answers_are_in_flight_loses_no_question_and_answers_each_once(
        emu: BotApiEmulator, seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    emu.set_fault("sendMessage", lambda name, params: Fault(hold=True))     # every answer stays in flight
    bot = start_bot(emu, seeds_copy, db, tmp_path / "bot.log")
    users = [emu.user(3000 + n, f"读者{n}") for n in range(12)]
    asked = [emu.send_text(emu.private_chat(u), u, QUESTIONS[n % len(QUESTIONS)]) for n, u in enumerate(users)]
    forum = emu.group(-1003000, "读报论坛", is_forum=True)
    asked.append(emu.send_text(forum, users[0], f"@{BOT_NAME} 售价多少", message_thread_id=7))
    try:
        # Every answer is being sent, and Telegram has been told every update arrived (the offset moved on):
        # a bot that kept its questions only in memory would lose them all now.
        emu.wait_until(lambda: emu.held >= len(asked) and not emu.pending_updates(), STEP_TIMEOUT)
    except AssertionError:
        raise AssertionError(f"answers never got in flight:\n{bot.output()}") from None
    finally:
        bot.kill()                                                           # kill -9
    emu.release_held()
    emu.set_fault("sendMessage", None)
    assert emu.sent() == []

    bot = start_bot(emu, seeds_copy, db, tmp_path / "bot2.log")
    try:
        for question in asked:
            answer = answer_to(emu, question)
            assert "第" in answer["text"], answer["text"]
            assert answer["reply_to_message"]["message_id"] == question["message_id"]   # quotes it, late
            assert answer.get("message_thread_id") == question.get("message_thread_id")
        assert bot.stop() == 0, bot.output()
    finally:
        bot.kill()
    for question in asked:
        assert len(emu.sent(question["chat"]["id"])) == 1                     # once, not twice
    rows = _check_database(db)
    assert len(rows) == len(asked) and {delivery for _, delivery in rows} == {"sent"}


def test_a_flaky_bot_api_still_gets_every_answer_once(emu: BotApiEmulator, seeds_copy: Path,
                                                      tmp_path: Path) -> None:
    """429 (retry_after 1) on 30% of sendMessage calls, 502 on 10%, a 2 s stall on 10% (the issue's probe),
    and a body that is not JSON on 5%, a dropped connection on 5%."""
    draw = random.Random(20261201)
    lock = threading.Lock()

    def flaky(name: str, params: dict) -> Fault | None:
        with lock:
            roll = draw.random()
        if roll < 0.3:
            return flood(1)
        if roll < 0.4:
            return bad_gateway()
        if roll < 0.5:
            return Fault(stall=2.0)
        if roll < 0.55:
            return Fault(garbage=True)
        return Fault(drop=True) if roll < 0.6 else None

    emu.set_fault("sendMessage", flaky)
    db = tmp_path / "bot.sqlite3"
    bot = start_bot(emu, seeds_copy, db, tmp_path / "bot.log")
    users = [emu.user(4000 + n, f"读者{n}") for n in range(30)]
    try:
        asked = [emu.send_text(emu.private_chat(u), u, QUESTIONS[n % len(QUESTIONS)]) for n, u in enumerate(users)]
        for question in asked:
            assert "第" in answer_to(emu, question, timeout=4 * STEP_TIMEOUT)["text"]
        assert bot.stop() == 0, bot.output()
    finally:
        bot.kill()
    assert len(emu.faulted) > 0
    for user in users:
        assert len(emu.sent(user["id"])) == 1
    rows = _check_database(db)
    assert len(rows) == len(users) and {delivery for _, delivery in rows} == {"sent"}


def test_hostile_button_presses_are_refused_acknowledged_and_change_nothing(
        emu: BotApiEmulator, seeds_copy: Path, tmp_path: Path) -> None:
    bot = start_bot(emu, seeds_copy, tmp_path / "bot.sqlite3", tmp_path / "bot.log")
    alice, mallory = emu.user(5001, "Alice"), emu.user(5002, "Mallory")
    try:
        victim = answer_to(emu, emu.send_text(emu.private_chat(alice), alice, "售价多少"))
        own = answer_to(emu, emu.send_text(emu.private_chat(mallory), mallory, "工厂在哪里"))
        stolen = next(b["callback_data"] for row in victim["reply_markup"]["inline_keyboard"] for b in row
                      if b.get("callback_data", "").startswith(("m:", "v:")))
        forged = stolen[:-1] + ("0" if stolen[-1] != "0" else "1")
        for data in (stolen, forged, "m:", "m:abc:zzzz", "s:x:-1", "v:1:0000:x", "\u2603" * 20):
            press = emu.press_button(own, data, mallory, forged=True)      # on her own message, in her chat
            emu.wait_for(lambda c, p=press: c.method == "answerCallbackQuery"
                         and c.params["callback_query_id"] == p, STEP_TIMEOUT, what="calls")
            assert "过期" in (emu.callback_answers[press].get("text") or ""), data
        assert bot.stop() == 0, bot.output()
    finally:
        bot.kill()
    assert len(emu.sent(alice["id"])) == 1 and len(emu.sent(mallory["id"])) == 1
