"""Every Telegram behaviour, offline: updates in through process_update, Bot API calls recorded.

Expected answers are never written here: they come from the engine itself
(``service.respond``), and the tests check that the bot shows them correctly,
in the right chat and topic, with working buttons.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.buttons import ButtonSigner
from bot.handlers import SORRY
from bot.service import ReportService
from bot.storage import Store
from tests.conftest import ADMIN_ID, BOT_ID, BOT_NAME, SEEDS, Harness, buttons, make_config, plain, running

USER = 1001
OTHER = 1002
TIER_LABELS = ("官方", "记者实地", "具名第三方", "匿名信源", "传闻")


def expected(service: ReportService, question: str, state: dict[str, Any] | None = None):
    return service.respond(state, question)


def question_with_more(service: ReportService) -> str:
    """A question whose 更多 has further results, found by asking the engine."""
    for question in [*service.index.rules.examples, "工厂", "小米汽车", "上市时间", "生产"]:
        answer, state = service.respond(None, question)
        if answer.answered and service.respond(state, "更多")[0].answered:
            return question
    pytest.skip("no question with a second page in the seeds")


def data_of(params: dict[str, Any], prefix: str) -> str:
    return next(b["callback_data"] for b in buttons(params) if b.get("callback_data", "").startswith(prefix))


def assert_shows(answer, text: str) -> None:
    for item in answer.items:
        assert answer.where(item) in text
        best = answer.best_claim(item)
        assert best.source in text and answer.label(best) in text


# --------------------------------------------------------------------------- private chats

async def test_private_question_is_answered_with_paragraph_source_tier_and_buttons(harness: Harness) -> None:
    answer, _ = expected(harness.service, "售价多少")
    await harness.say(harness.private_chat(USER), USER, "售价多少")
    [sent] = harness.request.sent()
    assert sent["chat_id"] == USER and sent["parse_mode"] == "HTML"
    assert "reply_parameters" not in sent                       # no quoting in a private chat
    text = plain(sent)
    assert_shows(answer, text)
    assert any(label in text for label in TIER_LABELS)
    labels = [b["text"] for b in buttons(sent)]
    assert {"更多", "👍", "👎"} <= set(labels) and any(label.startswith("原文") for label in labels)
    [record] = await harness.store.queries()
    assert (record.question, record.answered, record.kind) == ("售价多少", True, "answer")
    assert record.paragraphs == [f"{i.document_id}#{i.paragraph}" for i in answer.items]
    assert await harness.store.load_session(USER) == record.state


async def test_html_in_a_question_is_escaped(harness: Harness) -> None:
    question = "<b>售价</b> & <script>多少</script>"
    await harness.say(harness.private_chat(USER), USER, question)
    [sent] = harness.request.sent()                             # the checking transport parsed it
    assert "<script>" not in sent["text"]
    assert (await harness.store.queries())[0].question == question


@pytest.mark.parametrize("text", ["🚗🚗🚗", "你好", "x" * 5000, "\u200b", "售价多少" * 100])
async def test_odd_input_gets_a_polite_reply(harness: Harness, text: str) -> None:
    answer, _ = expected(harness.service, text)
    await harness.say(harness.private_chat(USER), USER, text)
    [sent] = harness.request.sent()
    if not answer.answered:
        assert plain(sent).strip() == answer.message.strip()


async def test_non_text_and_unknown_commands_in_private(harness: Harness) -> None:
    sticker = {"message_id": 5, "date": 0, "chat": harness.private_chat(USER), "from": harness.user(USER),
               "sticker": {"file_id": "x", "file_unique_id": "y", "type": "regular", "width": 1, "height": 1,
                           "is_animated": False, "is_video": False}}
    await harness.process({"update_id": 1, "message": sticker})
    await harness.say(harness.private_chat(USER), USER, "/frobnicate")
    first, second = harness.request.sent()
    assert "文字" in plain(first)
    assert "不认识" in plain(second) and "/ask" in plain(second)


async def test_follow_up_uses_the_chat_session(harness: Harness) -> None:
    question = question_with_more(harness.service)
    _, state = expected(harness.service, question)
    second, _ = expected(harness.service, "更多", state)
    chat = harness.private_chat(USER)
    await harness.say(chat, USER, question)
    await harness.say(chat, USER, "更多")
    assert_shows(second, plain(harness.request.sent()[1]))


# --------------------------------------------------------------------------- groups

async def test_group_messages_without_address_are_ignored(harness: Harness) -> None:
    group = harness.group_chat()
    await harness.say(group, USER, "售价多少")
    await harness.say(group, USER, "@SomeOtherBot 售价多少")
    await harness.say(group, USER, "/ask@SomeOtherBot 售价多少")
    other_message = harness.message(group, OTHER, "我说的")
    await harness.say(group, USER, "售价多少", reply_to=other_message)
    assert harness.request.replies() == []
    assert await harness.store.queries() == []


@pytest.mark.parametrize("text", [f"@{BOT_NAME} 售价多少", f"@{BOT_NAME.lower()}，售价多少",
                                  f"售价多少 @{BOT_NAME.upper()}", "/ask 售价多少", f"/ask@{BOT_NAME} 售价多少",
                                  f"/ask@{BOT_NAME.lower()} 售价多少"])
async def test_group_mention_and_ask_are_answered_with_the_mention_removed(harness: Harness, text: str) -> None:
    answer, _ = expected(harness.service, "售价多少")
    group = harness.group_chat()
    message = await harness.say(group, USER, text)
    [sent] = harness.request.sent()
    assert sent["chat_id"] == group["id"]
    assert sent["reply_parameters"]["message_id"] == message["message_id"]     # quotes the question
    assert_shows(answer, plain(sent))
    assert (await harness.store.queries())[0].question == "售价多少"


async def test_text_mention_entity_addresses_the_bot(harness: Harness) -> None:
    text = "报告机器人 售价多少"
    entity = {"type": "text_mention", "offset": 0, "length": 5, "user": {"id": BOT_ID, "is_bot": True,
                                                                          "first_name": "报告机器人"}}
    await harness.say(harness.group_chat(), USER, text, entities=[entity])
    assert len(harness.request.sent()) == 1
    assert (await harness.store.queries())[0].question == "售价多少"


async def test_mention_offsets_are_utf16(harness: Harness) -> None:
    text = f"🚗🚗 @{BOT_NAME} 售价多少"                     # emoji before the mention shift UTF-16 offsets
    await harness.say(harness.group_chat(), USER, text)
    assert (await harness.store.queries())[0].question == "🚗🚗 售价多少"


async def test_mention_without_entities_is_found_in_the_text(harness: Harness) -> None:
    # Some self-hosted or test servers send no entities; the mention is then read from the text.
    group = harness.group_chat()
    await harness.say(group, USER, f"@{BOT_NAME.lower()} 售价多少", entities=[])
    await harness.say(group, USER, f"@{BOT_NAME}x 售价多少", entities=[])          # another bot's name
    assert len(harness.request.sent()) == 1
    assert [q.question for q in await harness.store.queries()] == ["售价多少"]


async def test_commands_without_entities_still_work(harness: Harness) -> None:
    # Some self-hosted or test servers send "/command" text without a bot_command entity.
    private = harness.private_chat(USER)
    await harness.say(private, USER, "/source 3", entities=[])
    await harness.say(private, USER, "/reload", entities=[])
    await harness.say(harness.group_chat(), USER, f"/ask@{BOT_NAME.lower()} 售价多少", entities=[])
    await harness.say(harness.group_chat(), USER, "/ask@SomeOtherBot 售价多少", entities=[])
    source, refusal, answer = (plain(m) for m in harness.request.sent())
    paragraph = harness.service.index.paragraph(3)
    assert paragraph.claims[0].text[:20] in source
    assert "管理员" in refusal
    assert_shows(expected(harness.service, "售价多少")[0], answer)
    assert [q.question for q in await harness.store.queries()] == ["售价多少"]


async def test_reply_to_the_bot_is_a_question(harness: Harness) -> None:
    group = harness.group_chat()
    await harness.say(group, USER, f"@{BOT_NAME} 售价多少")
    bot_answer = harness.bot_message(harness.request.sent()[0])
    await harness.say(group, OTHER, "工厂在哪里", reply_to=bot_answer)
    assert len(harness.request.sent()) == 2
    assert (await harness.store.queries())[1].question == "工厂在哪里"


async def test_forum_topics_get_answers_in_the_topic_and_their_own_sessions(harness: Harness) -> None:
    forum = harness.group_chat(-1002, forum=True)
    question = question_with_more(harness.service)
    await harness.say(forum, USER, f"@{BOT_NAME} {question}", thread=7)
    await harness.say(forum, USER, f"@{BOT_NAME} 你好", thread=8)
    first, second = harness.request.sent()
    assert first["message_thread_id"] == 7 and second["message_thread_id"] == 8
    assert (await harness.store.load_session(forum["id"], 7) or {}).get("q") == question
    assert (await harness.store.load_session(forum["id"], 8) or {}).get("q") != question
    # A forum message "replies" to the topic's first message: that does not address the bot.
    topic_start = {"message_id": 7, "date": 0, "chat": forum, "from": {"id": BOT_ID, "is_bot": True,
                                                                        "first_name": "b"}, "text": "topic"}
    await harness.say(forum, USER, "闲聊", thread=7, reply_to=topic_start)
    assert len(harness.request.sent()) == 2


async def test_group_commands_and_help(harness: Harness) -> None:
    group = harness.group_chat(-5, kind="group")
    await harness.say(group, USER, f"/help@{BOT_NAME}")
    await harness.say(group, USER, "/ask")
    help_text, usage = (plain(p) for p in harness.request.sent())
    assert f"@{BOT_NAME}" in help_text and "/ask" in help_text
    assert "用法" in usage


# --------------------------------------------------------------------------- edits

async def test_edited_question_edits_its_answer(harness: Harness) -> None:
    chat = harness.private_chat(USER)
    message = await harness.say(chat, USER, "售价多少")
    first = harness.request.sent()[0]
    await harness.edit(message, "工厂在哪里")
    answer, _ = expected(harness.service, "工厂在哪里", expected(harness.service, "售价多少")[1])
    [edit] = harness.request.of("editMessageText")
    assert edit["chat_id"] == USER and int(edit["message_id"]) >= 10_000
    assert_shows(answer, plain(edit))
    assert len(harness.request.sent()) == 1 and first != edit
    linked = await harness.store.linked_answer(USER, message["message_id"])
    assert linked is not None and linked.answer_ids == [int(edit["message_id"])]


async def test_edit_that_now_addresses_the_bot_gets_a_first_answer(harness: Harness) -> None:
    group = harness.group_chat()
    message = await harness.say(group, USER, "售价多少")
    assert harness.request.replies() == []
    await harness.edit(message, f"@{BOT_NAME} 售价多少")
    assert len(harness.request.sent()) == 1
    await harness.edit(message, "售价多少？")                       # still linked: the answer is edited
    assert len(harness.request.of("editMessageText")) == 1


async def test_edit_of_a_deleted_answer_sends_a_new_one(harness: Harness) -> None:
    message = await harness.say(harness.private_chat(USER), USER, "售价多少")
    harness.request.errors["editMessageText"] = (400, "Bad Request: message to edit not found")
    await harness.edit(message, "工厂在哪里")
    assert len(harness.request.sent()) == 2


# --------------------------------------------------------------------------- buttons

async def test_more_button_sends_the_next_results_even_after_a_restart(tmp_path: Path, service: ReportService) -> None:
    question = question_with_more(service)
    _, state = expected(service, question)
    second, _ = expected(service, "更多", state)
    config = make_config(tmp_path)
    async with Store(config.db_path) as store, running(config, service, store) as bot:
        await bot.say(bot.private_chat(USER), USER, question)
        answer_message = bot.bot_message(bot.request.sent()[0])
    async with Store(config.db_path) as store, running(config, service, store) as bot:   # a new process
        query_id = await bot.press(answer_message, data_of(answer_message, "m:"), USER)
        assert bot.callback_answer(query_id).get("text") is None
        [sent] = bot.request.sent()
        assert_shows(second, plain(sent))
        assert sent["reply_parameters"]["message_id"] == answer_message["message_id"]


async def test_more_without_further_results_says_so(harness: Harness) -> None:
    question = next((q for q in ["雷军", "售价多少", "工厂", "产能"]
                     if not harness.service.respond(harness.service.respond(None, q)[1], "更多")[0].answered), None)
    if question is None:
        pytest.skip("every question has a second page")
    await harness.say(harness.private_chat(USER), USER, question)
    answer_message = harness.bot_message(harness.request.sent()[0])
    query_id = await harness.press(answer_message, data_of(answer_message, "m:"), USER)
    assert "没有更多" in harness.callback_answer(query_id)["text"]
    assert len(harness.request.sent()) == 1


async def test_source_button_shows_the_whole_paragraph_with_sources(harness: Harness) -> None:
    await harness.say(harness.private_chat(USER), USER, "售价多少")
    answer_message = harness.bot_message(harness.request.sent()[0])
    answer, _ = expected(harness.service, "售价多少")
    item = answer.items[0]
    data = ButtonSigner(harness.store.button_secret).source(item.document_id, item.paragraph, USER)
    assert data in [b["callback_data"] for b in buttons(answer_message)]
    await harness.press(answer_message, data, OTHER)
    paragraph = harness.service.index.paragraph(item.paragraph, item.document_id)
    text = plain(harness.request.sent()[1])
    for claim in paragraph.claims:
        assert claim.text in text and claim.source in text


async def test_votes_are_stored_and_stale_buttons_expire(harness: Harness) -> None:
    await harness.say(harness.private_chat(USER), USER, "售价多少")
    answer_message = harness.bot_message(harness.request.sent()[0])
    [record] = await harness.store.queries()
    signer = ButtonSigner(harness.store.button_secret)
    up = await harness.press(answer_message, signer.vote(record.id, True, USER), USER)
    await harness.press(answer_message, signer.vote(record.id, False, USER), OTHER)
    assert "谢谢" in harness.callback_answer(up)["text"]
    assert await harness.store.feedback(record.id) == {USER: 1, OTHER: -1}
    # Unknown ids, gone paragraphs, the format before signatures, a database reset (another secret), junk.
    for stale in [signer.vote(record.id + 50, True, USER), signer.more(record.id + 50, USER),
                  signer.source("gone", 1, USER), f"m:{record.id}:73d4", f"v:{record.id}:73d4:u",
                  ButtonSigner(b"another secret, another db").more(record.id, USER), "legacy-button"]:
        query_id = await harness.press(dict(answer_message, reply_markup={"inline_keyboard": []}), stale, USER)
        answer = harness.callback_answer(query_id)
        assert answer["text"] and ("过期" in answer["text"] or "已不在" in answer["text"])
    assert await harness.store.feedback(record.id) == {USER: 1, OTHER: -1}
    assert len(harness.request.sent()) == 1


async def test_a_button_copied_into_another_chat_does_nothing_there_or_in_its_own(harness: Harness) -> None:
    """The attack of issue 9: OTHER presses, in their own private chat, the callback data of an answer in a group
    they are not in.  Nothing is posted anywhere, no session moves, no vote counts, and the press is answered."""
    group = harness.group_chat(-1005)
    await harness.say(group, USER, f"@{BOT_NAME} {question_with_more(harness.service)}")
    group_answer = harness.bot_message(harness.request.sent()[0])
    [record] = await harness.store.queries()
    session = await harness.store.load_session(group["id"])
    copied = [b["callback_data"] for b in buttons(group_answer)]
    await harness.say(harness.private_chat(OTHER), OTHER, "售价多少")
    own_answer = harness.bot_message(harness.request.sent()[1])
    signer = ButtonSigner(harness.store.button_secret)
    # Copied data, and data validly signed for OTHER's chat that names the group's query.
    for data in [*copied, signer.more(record.id, OTHER), signer.vote(record.id, True, OTHER)]:
        query_id = await harness.press(own_answer, data, OTHER)
        assert "过期" in harness.callback_answer(query_id)["text"]
    assert len(harness.request.sent()) == 2
    assert await harness.store.load_session(group["id"]) == session
    assert await harness.store.feedback(record.id) == {}


@pytest.mark.parametrize("data", ["m:", "m:abc:zzzz", "s:<x>:-1", "v:1:0000:x", "x:99", "", "\u0000" * 10])
async def test_malformed_button_data_is_always_acknowledged(harness: Harness, data: str) -> None:
    await harness.say(harness.private_chat(USER), USER, "售价多少")
    answer_message = harness.bot_message(harness.request.sent()[0])
    query_id = await harness.press(answer_message, data, USER)
    assert "过期" in harness.callback_answer(query_id)["text"]
    assert len(harness.request.sent()) == 1


async def test_start_offers_example_questions_that_work(harness: Harness) -> None:
    await harness.say(harness.private_chat(USER), USER, "/start")
    [sent] = harness.request.sent()
    text = plain(sent)
    index = harness.service.index
    assert index.documents[0].title in text and str(len(index.paragraphs)) in text
    examples = [b for b in buttons(sent)]
    assert len(examples) == 3
    start_message = harness.bot_message(sent)
    await harness.press(start_message, examples[0]["callback_data"], USER)
    answer, _ = expected(harness.service, examples[0]["text"])
    assert_shows(answer, plain(harness.request.sent()[1]))
    assert (await harness.store.queries())[0].question == examples[0]["text"]


# --------------------------------------------------------------------------- /source

@pytest.mark.parametrize(("arg", "ok"), [("3", True), ("３", True), ("第3段", True), ("0", False), ("999", False),
                                         ("abc", False), ("<b>", False), ("", False)])
async def test_source_command(harness: Harness, arg: str, ok: bool) -> None:
    await harness.say(harness.private_chat(USER), USER, f"/source {arg}".strip())
    [sent] = harness.request.sent()
    text = plain(sent)
    if ok:
        paragraph = harness.service.index.paragraph(3)
        assert "第3段" in text and all(c.text in text for c in paragraph.claims)
    else:
        total = len(harness.service.index.documents[0].paragraphs)
        assert f"/source {total}" in text or "用法" in text


async def test_source_command_with_several_reports(tmp_path: Path, store: Store) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "zz-second.md").write_text("# 第二篇报道\n\n记者看到，新工厂已经封顶。\n\n公司负责人表示，明年投产。\n",
                                         encoding="utf-8")
    service = ReportService(seeds)
    async with running(make_config(tmp_path, seeds_dir=seeds), service, store) as bot:
        chat = bot.private_chat(USER)
        await bot.say(chat, USER, "/source 2 2")
        await bot.say(chat, USER, "/source 3")
        await bot.say(chat, USER, "/source 3 9")
        second, first, missing = (plain(m) for m in bot.request.sent())
        assert "明年投产" in second and "第二篇报道" in second
        assert service.index.paragraph(3).claims[0].text[:20] in first
        assert "第二篇报道" in missing and "/source 篇号 段号" in missing


# --------------------------------------------------------------------------- limits

async def test_rate_limit_answers_politely_once(tmp_path: Path, service: ReportService, store: Store) -> None:
    async with running(make_config(tmp_path, rate_limit=2), service, store) as bot:
        chat = bot.private_chat(USER)
        for question in ["售价多少", "工厂在哪里", "产能多少", "上市时间"]:
            await bot.say(chat, USER, question)
        texts = [plain(p) for p in bot.request.sent()]
        assert len(texts) == 3 and "快了" in texts[2]
        assert len(await bot.store.queries()) == 2
        await bot.say(bot.private_chat(OTHER), OTHER, "售价多少")      # other users are not affected
        assert len(await bot.store.queries()) == 3


# --------------------------------------------------------------------------- admins

async def test_non_admin_is_refused_and_logged(harness: Harness) -> None:
    for command in ["/reload", "/stats"]:
        await harness.say(harness.private_chat(USER), USER, command)
    texts = [plain(p) for p in harness.request.sent()]
    assert all("管理员" in t for t in texts) and len(texts) == 2
    actions = await harness.store.admin_actions()
    assert [(a["command"], a["allowed"], a["user_id"]) for a in actions] == [("reload", 0, USER), ("stats", 0, USER)]


async def test_reload_reports_counts_and_a_broken_seed_keeps_the_old_index(tmp_path: Path, seeds_copy: Path,
                                                                           store: Store) -> None:
    service = ReportService(seeds_copy)
    async with running(make_config(tmp_path, seeds_dir=seeds_copy), service, store) as bot:
        admin = bot.private_chat(ADMIN_ID)
        await bot.say(admin, ADMIN_ID, "/reload")
        text = plain(bot.request.sent()[0])
        assert f"{len(service.index.documents)} 篇" in text and f"{len(service.index.paragraphs)} 段" in text
        assert "秒" in text and "新增 0 段" in text and "删除 0 段" in text

        report = next(seeds_copy.glob("*.md"))
        report.write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
        broken = seeds_copy / "zz-broken.md"
        broken.write_bytes(b"\xff\xfe\x00 not utf-8")
        before = service.index
        await bot.say(admin, ADMIN_ID, "/reload")
        failure = plain(bot.request.sent()[1])
        assert "失败" in failure and ("zz-broken.md" in failure or report.name in failure)
        assert service.index is before
        await bot.say(bot.private_chat(USER), USER, "售价多少")
        answer, _ = expected(service, "售价多少")
        assert answer.answered and answer.where(answer.items[0]) in plain(bot.request.sent()[2])
        actions = await bot.store.admin_actions()
        assert [a["allowed"] for a in actions] == [1, 1] and actions[1]["detail"].startswith("failed")


async def test_concurrent_reloads_both_succeed(tmp_path: Path, seeds_copy: Path, store: Store) -> None:
    service = ReportService(seeds_copy)
    async with running(make_config(tmp_path, seeds_dir=seeds_copy), service, store) as bot:
        admin = bot.private_chat(ADMIN_ID)
        await asyncio.gather(bot.say(admin, ADMIN_ID, "/reload"), bot.say(admin, ADMIN_ID, "/reload"),
                             bot.say(bot.private_chat(USER), USER, "售价多少"))
        texts = [plain(p) for p in bot.request.sent()]
        assert sum("已重新载入" in t for t in texts) == 2


async def test_stats_for_admins(harness: Harness) -> None:
    unanswerable = "特斯拉的股价是多少"
    assert not expected(harness.service, unanswerable)[0].answered
    for question in ["售价多少", "售价多少", unanswerable]:
        await harness.say(harness.private_chat(USER), USER, question)
    harness.request.clear()
    await harness.say(harness.private_chat(ADMIN_ID), ADMIN_ID, "/stats")
    text = plain(harness.request.sent()[0])
    assert "今天：3" in text and "近 7 天：3" in text
    assert "2×" in text and "售价多少" in text
    assert unanswerable in text


async def test_command_menus_public_and_per_admin(tmp_path: Path, service: ReportService, store: Store) -> None:
    async with running(make_config(tmp_path, admin_ids=frozenset({ADMIN_ID, 43})), service, store) as bot:
        # Telegram refuses a chat scope for an admin who never opened a chat with the bot.
        bot.request.refuse = lambda name, params: "chat not found" if params.get("scope", {}).get("chat_id") == 43 \
            else None
        await bot.app.post_init(bot.app)                                            # must not crash
        assert {"reload", "stats"} <= {c["command"] for p in bot.request.of("setMyCommands")
                                       if p["scope"].get("chat_id") == ADMIN_ID for c in p["commands"]}
        bot.request.refuse = None
        bot.request.clear()
        await bot.app.post_init(bot.app)
        calls = bot.request.of("setMyCommands")
        by_scope = {(c["scope"]["type"], c["scope"].get("chat_id")): [x["command"] for x in c["commands"]]
                    for c in calls}
        assert "reload" not in by_scope[("default", None)] and "ask" in by_scope[("default", None)]
        for admin in (ADMIN_ID, 43):
            assert {"reload", "stats", "ask"} <= set(by_scope[("chat", admin)])


async def test_refused_public_menu_does_not_stop_the_bot(tmp_path: Path, service: ReportService,
                                                         store: Store) -> None:
    async with running(make_config(tmp_path), service, store) as bot:
        bot.request.refuse = lambda name, params: "method not supported" if name == "setMyCommands" else None
        await bot.app.post_init(bot.app)                                            # must not raise
        assert bot.request.of("setMyCommands")                                      # it was tried


# --------------------------------------------------------------------------- inline mode and errors

async def test_inline_query_offers_the_top_answers(harness: Harness) -> None:
    answer, _ = expected(harness.service, "售价多少")
    query_id = await harness.inline(USER, "售价多少")
    [call] = harness.request.of("answerInlineQuery")
    assert call["inline_query_id"] == query_id
    assert len(call["results"]) == len(answer.items)
    for result, item in zip(call["results"], answer.items, strict=True):
        assert answer.where(item) in result["title"]
        assert answer.where(item) in result["input_message_content"]["message_text"]
    await harness.inline(USER, "火星基地的氧气够用吗")
    assert len(harness.request.of("answerInlineQuery")[1]["results"]) == 1


async def test_errors_are_logged_and_answered_politely(harness: Harness, monkeypatch: pytest.MonkeyPatch,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    def boom(state: Any, text: str) -> Any:
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(harness.service, "respond", boom)
    await harness.say(harness.private_chat(USER), USER, "售价多少")
    [sent] = harness.request.sent()
    assert plain(sent) == SORRY
    assert "engine exploded" in caplog.text


@pytest.mark.parametrize("text", ["\ud800售价多少", "售价\udfff多少"])
async def test_lone_surrogates_are_replaced_before_anything_sees_the_message(harness: Harness, text: str) -> None:
    await harness.say(harness.private_chat(USER), USER, text)
    group = harness.group_chat(-1009)
    await harness.say(group, USER, f"@{BOT_NAME} {text}")
    replies = [plain(p) for p in harness.request.sent()]
    assert len(replies) == 2 and not any(SORRY in r for r in replies)
    assert all("第18段" in r for r in replies)
    logged = [q.question for q in await harness.store.queries()]
    assert len(logged) == 2 and all("\ufffd" in q for q in logged)


@pytest.mark.parametrize("where, text, answered", [
    ("private", "/foo", True), ("private", f"/foo@{BOT_NAME}", True), ("private", "/foo@OtherBot", False),
    ("group", f"/foo@{BOT_NAME}", True), ("group", "/foo", False), ("group", "/foo@OtherBot", False),
])
async def test_an_unknown_command_is_answered_only_when_addressed_to_us(harness: Harness, where: str, text: str,
                                                                         answered: bool) -> None:
    chat = harness.private_chat(USER) if where == "private" else harness.group_chat(-1011)
    await harness.say(chat, USER, text)
    sent = [plain(p) for p in harness.request.sent()]
    assert (len(sent) == 1 and "我不认识这个命令" in sent[0]) if answered else sent == []


async def test_an_answer_is_retried_through_bad_gateways_and_flood_control(harness: Harness,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import delivery
    from bot.loadbench import ApiFailure
    monkeypatch.setattr(delivery, "FIRST_WAIT", 0.0)
    failures = [(502, "Bad Gateway"), (429, "Too Many Requests: retry after 0"), (502, "Bad Gateway")]
    real = harness.request.result

    def flaky(name: str, params: dict) -> object:
        if name == "sendMessage" and failures:
            raise ApiFailure(*failures.pop(0))
        return real(name, params)
    monkeypatch.setattr(harness.request, "result", flaky)
    await harness.say(harness.private_chat(USER), USER, "售价多少")
    sent = harness.request.sent()
    assert len(sent) == 4 and failures == []              # three refused, the fourth taken
    assert "第18段" in plain(sent[-1]) and SORRY not in plain(sent[-1])


async def test_an_answer_telegram_never_takes_is_logged_as_given_up_not_answered(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import delivery
    from bot.loadbench import ApiFailure
    monkeypatch.setattr(delivery, "FIRST_WAIT", 0.0)
    monkeypatch.setattr(delivery, "GIVE_UP_AFTER", 0.0)
    real = harness.request.result

    def down(name: str, params: dict) -> object:
        if name == "sendMessage" and params["chat_id"] == USER:
            raise ApiFailure(502, "Bad Gateway")
        return real(name, params)
    monkeypatch.setattr(harness.request, "result", down)
    await harness.say(harness.private_chat(USER), USER, "售价多少")
    assert all(SORRY not in plain(p) for p in harness.request.sent())      # no apology into a dead chat
    assert await harness.store.load_session(USER) is None                  # the session did not move on
    [record] = await harness.store.queries()
    stats = await harness.store.stats()
    assert record.question == "售价多少" and (stats.answered_week, stats.given_up_week) == (0, 1)
    await harness.say(harness.private_chat(ADMIN_ID), ADMIN_ID, "/stats")
    assert "未送达（Telegram 两分钟内一直没有接收）：1 个" in plain(harness.request.sent()[-1])


async def test_questions_the_last_run_took_and_never_answered_are_answered_once(harness: Harness) -> None:
    from bot.inbox import REPLAY_WINDOW, replay_owed
    chat = harness.private_chat(USER)
    owed = {"update_id": 500, "message": harness.message(chat, USER, "售价多少", message_id=77)}
    old = {"update_id": 501, "message": harness.message(chat, USER, "工厂在哪", message_id=78)}
    await harness.store.receive(501, old)
    await harness.store.receive(500, owed)
    deps = harness.app.bot_data["deps"]
    # 501 is "older" than the window as seen from a clock that has moved on; 500 is re-timed to be fresh.
    await harness.store.db.execute("UPDATE inbox SET received = received - ? WHERE update_id = 501",
                                   (REPLAY_WINDOW + 60,))
    await harness.store.db.commit()
    assert await replay_owed(harness.app, harness.store, deps.replayed) == 1
    await harness.app.process_update(await harness.app.update_queue.get())
    assert harness.app.update_queue.empty()
    [sent] = harness.request.sent()
    assert "第18段" in plain(sent)
    assert sent["reply_parameters"]["message_id"] == 77          # quotes the question it answers, late
    assert await harness.store.owed() == []                     # the old one was left, with a log line
    assert await replay_owed(harness.app, harness.store, deps.replayed) == 0
    assert len(harness.request.sent()) == 1


async def test_the_update_queue_keeps_updates_and_takes_each_once(harness: Harness) -> None:
    queue = harness.app.update_queue
    message = harness.message(harness.private_chat(USER), USER, "售价多少")
    update = Update.de_json({"update_id": 600, "message": message}, harness.app.bot)
    await queue.put(update)
    await queue.put(update)                                      # handed over again before it was handled
    assert queue.qsize() == 1
    assert [o.update_id for o in await harness.store.owed()] == [600]
    await harness.app.process_update(await queue.get())          # answered and settled
    assert await harness.store.owed() == []
    await queue.put(update)                                      # Telegram hands it over once more
    assert queue.empty() and len(harness.request.sent()) == 1
