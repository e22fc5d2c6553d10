"""Drive the Bot API emulator with python-telegram-bot's real client to prove its shapes."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    ChatFullInfo,
    ChatMemberAdministrator,
    ChatMemberMember,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, EndPointNotFound, InvalidToken
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.botapi_emulator import BotApiEmulator, Call, UploadedFile, parse_html

TOKEN = "123456:ABC-test"
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    with BotApiEmulator(token=TOKEN, bot_username="ReportQABot") as emulator:
        yield emulator


def make_bot(emu: BotApiEmulator, token: str = TOKEN) -> Bot:
    return Bot(token, base_url=emu.base_url)


def raw_post(emu: BotApiEmulator, method: str, body: bytes = b"", content_type: str = "application/json",
             token: str = TOKEN) -> tuple[int, dict]:
    url = emu.base_url + token + "/" + method
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data) for text, data in pairs]])


# --------------------------------------------------------------------------- transport & auth

@pytest.mark.asyncio
async def test_get_me_returns_full_bot_user(emu: BotApiEmulator) -> None:
    async with make_bot(emu) as bot:
        me = await bot.get_me()
    assert (me.id, me.is_bot, me.username, me.first_name) == (123456, True, "ReportQABot", "ReportQABot")
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is False  # privacy mode on, like a fresh bot
    assert me.supports_inline_queries is True
    assert emu.base_url.startswith("http://127.0.0.1:") and emu.base_url.endswith("/bot")


@pytest.mark.asyncio
async def test_wrong_token_and_unknown_method(emu: BotApiEmulator) -> None:
    with pytest.raises(InvalidToken, match=r"was rejected by the server"):
        async with make_bot(emu, token="999:WRONG"):
            pass
    assert raw_post(emu, "getMe", token="999:WRONG") == (
        401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    assert raw_post(emu, "fooBar") == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    async with make_bot(emu) as bot:
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("foo_bar")


def test_method_names_are_case_insensitive_and_all_encodings_parse(emu: BotApiEmulator) -> None:
    user = emu.user(42, "Ann")
    emu.private_chat(user)
    status, answer = raw_post(emu, "GETME")
    assert status == 200 and answer["result"]["username"] == "ReportQABot"
    # JSON body: numbers and objects arrive typed
    status, answer = raw_post(emu, "sendmessage", json.dumps(
        {"chat_id": 42, "text": "json", "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "1"}]]}}
    ).encode())
    assert status == 200 and answer["result"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "1"
    # form-urlencoded: everything is a string, complex values are JSON strings
    status, answer = raw_post(emu, "sendMessage", b"chat_id=42&text=form+%26+more",
                              "application/x-www-form-urlencoded")
    assert status == 200 and answer["result"]["text"] == "form & more"
    # multipart without files
    body = (b'--XyZ\r\nContent-Disposition: form-data; name="chat_id"\r\n\r\n42\r\n'
            b'--XyZ\r\nContent-Disposition: form-data; name="text"\r\n\r\nmulti\xc3\xa9\r\n--XyZ--\r\n')
    status, answer = raw_post(emu, "sendMessage", body, "multipart/form-data; boundary=XyZ")
    assert status == 200 and answer["result"]["text"] == "multié"
    assert [m["text"] for m in emu.sent(42)] == ["json", "form & more", "multié"]
    assert [c.params["chat_id"] for c in emu.calls("sendMessage")] == [42, "42", "42"]


# --------------------------------------------------------------------------- getUpdates

@pytest.mark.asyncio
async def test_long_poll_returns_as_soon_as_an_update_is_injected(emu: BotApiEmulator) -> None:
    user = emu.user(7, "Li", "li_lei")
    chat = emu.private_chat(user)
    async with make_bot(emu) as bot:
        started = time.monotonic()
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        # the poll is recorded before it blocks; injecting needs the lock the waiting poll released
        await asyncio.to_thread(emu.wait_for, lambda c: c.method == "getUpdates", 5, what="calls")
        sent = emu.send_text(chat, user, "/start@ReportQABot hello @li_lei")
        updates = await asyncio.wait_for(poll, 5)
    assert time.monotonic() - started < 5
    assert len(updates) == 1 and isinstance(updates[0], Update)
    message = updates[0].message
    assert message is not None and message.message_id == sent["message_id"]
    assert message.text == "/start@ReportQABot hello @li_lei"
    assert message.parse_entities([MessageEntity.BOT_COMMAND]).popitem()[1] == "/start@ReportQABot"
    assert list(message.parse_entities([MessageEntity.MENTION]).values()) == ["@li_lei"]
    assert message.chat.type == "private" and message.from_user is not None and message.from_user.id == 7
    assert abs(message.date.timestamp() - time.time()) < 60  # UNIX seconds, not milliseconds


@pytest.mark.asyncio
async def test_long_poll_times_out_with_empty_list(emu: BotApiEmulator) -> None:
    async with make_bot(emu) as bot:
        started = time.monotonic()
        updates = await bot.get_updates(timeout=1)
        elapsed = time.monotonic() - started
    assert updates == ()
    assert 0.9 <= elapsed < 5


@pytest.mark.asyncio
async def test_offset_confirms_updates_and_allowed_updates_filters(emu: BotApiEmulator) -> None:
    user = emu.user(7, "Li")
    chat = emu.private_chat(user)
    first = emu.send_text(chat, user, "one")
    emu.send_text(chat, user, "two")
    async with make_bot(emu) as bot:
        updates = await bot.get_updates(timeout=0)
        assert [u.message.text for u in updates] == ["one", "two"]
        again = await bot.get_updates(offset=updates[0].update_id + 1)
        assert [u.message.text for u in again] == ["two"]
        assert await bot.get_updates(offset=updates[-1].update_id + 1) == ()
        assert emu.pending_updates() == []
        bot_msg = await bot.send_message(chat["id"], "pick", reply_markup=keyboard(("A", "a")))
        emu.edit_text(first, "one (edited)")
        emu.press_button(bot_msg.to_dict(), "a", user)
        only_queries = await bot.get_updates(allowed_updates=["callback_query"])
        assert [u.callback_query.data for u in only_queries] == ["a"]
        assert await bot.get_updates(offset=only_queries[0].update_id + 1) == ()  # edit was filtered


@pytest.mark.asyncio
async def test_webhook_blocks_polling_until_deleted(emu: BotApiEmulator) -> None:
    user = emu.user(7, "Li")
    chat = emu.private_chat(user)
    async with make_bot(emu) as bot:
        with pytest.raises(BadRequest, match=r"(?i)https url"):
            await bot.set_webhook("http://example.com/hook")
        assert await bot.set_webhook("https://example.com/hook", certificate=b"-----CERT-----", secret_token="s3")
        info = await bot.get_webhook_info()
        assert (info.url, info.has_custom_certificate, info.max_connections) == (
            "https://example.com/hook", True, 40)
        certificate = emu.calls("setWebhook")[-1].params["certificate"]
        assert isinstance(certificate, UploadedFile) and certificate.data == b"-----CERT-----"
        with pytest.raises(Conflict, match=r"webhook is active"):
            await bot.get_updates()
        emu.send_text(chat, user, "queued")
        assert (await bot.get_webhook_info()).pending_update_count == 1
        assert await bot.delete_webhook(drop_pending_updates=True) is True
        assert (await bot.get_webhook_info()).url == ""
        assert await bot.get_updates() == ()


# --------------------------------------------------------------------------- sendMessage

@pytest.mark.asyncio
async def test_send_message_html_with_inline_keyboard(emu: BotApiEmulator) -> None:
    user = emu.user(7, "Li")
    chat = emu.private_chat(user)
    html = ('  <b>报告</b> &amp; <i>wörld</i> 😀 <a href="https://example.com">link</a> '
            '<pre><code class="language-python">x = 1</code></pre> <tg-spoiler>s</tg-spoiler> '
            '<blockquote expandable>q</blockquote> &lt;3 &#128512;  ')
    async with make_bot(emu) as bot:
        message = await bot.send_message(chat["id"], html, parse_mode=ParseMode.HTML,
                                         reply_markup=keyboard(("Yes", "vote:yes"), ("No", "vote:no")))
    assert message.text == "报告 & wörld 😀 link x = 1 s q <3 😀"
    parts = {e.type: text for e, text in message.parse_entities().items()}
    assert parts == {"bold": "报告", "italic": "wörld", "text_link": "link", "pre": "x = 1", "spoiler": "s",
                     "expandable_blockquote": "q"}
    by_type = {e.type: e for e in message.entities}
    assert by_type["text_link"].url == "https://example.com/"
    assert by_type["text_link"].offset == 14  # 😀 counts as two UTF-16 code units
    assert by_type["pre"].language == "python"
    assert message.reply_markup == keyboard(("Yes", "vote:yes"), ("No", "vote:no"))
    assert message.from_user is not None and message.from_user.username == "ReportQABot"
    stored = emu.sent(chat["id"])
    assert len(stored) == 1 and stored[0]["text"] == message.text and stored[0]["message_id"] == message.message_id
    params = emu.calls("sendMessage")[0].params
    assert params["chat_id"] == "7" and params["parse_mode"] == "HTML"  # PTB sends form fields as strings
    assert params["reply_markup"]["inline_keyboard"][0][1]["callback_data"] == "vote:no"


@pytest.mark.asyncio
@pytest.mark.parametrize(("text", "error"), [
    ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
    ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
    ("Tom & Jerry", 'unescaped "&"'),
    ("&nbsp;", 'unescaped "&"'),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler"'),
])
async def test_html_parse_errors(emu: BotApiEmulator, text: str, error: str) -> None:
    async with make_bot(emu) as bot:
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities") as excinfo:
            await bot.send_message(5, text, parse_mode=ParseMode.HTML)
    assert error.lower() in excinfo.value.message.lower()
    assert emu.sent() == []


def test_lenient_html_and_parser_details() -> None:
    assert parse_html("Tom & Jerry", strict=False) == ("Tom & Jerry", [])
    text, entities = parse_html("<B>x</B><b></b> <code class='language-py'>c</code> <a href='tg://user?id=9'>u</a>",
                                users={9: {"id": 9, "is_bot": False, "first_name": "U"}})
    assert text == "x c u"
    assert entities == [{"offset": 0, "length": 1, "type": "bold"}, {"offset": 2, "length": 1, "type": "code"},
                        {"offset": 4, "length": 1, "type": "text_mention",
                         "user": {"id": 9, "is_bot": False, "first_name": "U"}}]


@pytest.mark.asyncio
async def test_send_message_limits_and_button_data(emu: BotApiEmulator) -> None:
    async with make_bot(emu) as bot:
        with pytest.raises(BadRequest, match=r"^Message text is empty$"):
            await bot.send_message(5, "<b> </b>", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match=r"Message is too long"):
            await bot.send_message(5, "x" * 4097)
        assert len((await bot.send_message(5, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")).text) == 4096
        with pytest.raises(BadRequest, match=r"Button_data_invalid"):
            await bot.send_message(5, "hi", reply_markup=keyboard(("é", "é" * 33)))  # 33 chars, 66 bytes
        assert (await bot.send_message(5, "ok", reply_markup=keyboard(("x", "x" * 64)))).reply_markup
        with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed"):
            await bot.send_message(5, "hi", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("t")]]))
    assert [m["text"][:2] for m in emu.sent(5)] == ["xx", "ok"]


@pytest.mark.asyncio
async def test_replies_and_forum_topics(emu: BotApiEmulator) -> None:
    user = emu.user(7, "Li")
    forum = emu.group(-1001, "Forum", is_forum=True)
    question = emu.send_text(forum, user, "/ask where?", message_thread_id=3)
    assert question["message_thread_id"] == 3 and question["is_topic_message"] is True
    async with make_bot(emu) as bot:
        answer = await bot.send_message(forum["id"], "here", message_thread_id=3,
                                        reply_parameters=ReplyParameters(question["message_id"]))
        assert answer.reply_to_message is not None and answer.reply_to_message.text == "/ask where?"
        assert (answer.message_thread_id, answer.is_topic_message) == (3, True)
        assert answer.message_id == question["message_id"] + 1  # ids are per chat
        with pytest.raises(BadRequest, match=r"Message to be replied not found"):
            await bot.send_message(forum["id"], "x", reply_parameters=ReplyParameters(999))
        loose = await bot.send_message(forum["id"], "x", reply_parameters=ReplyParameters(
            999, allow_sending_without_reply=True))
        assert loose.reply_to_message is None
    follow_up = emu.send_text(forum, user, "thanks", reply_to=emu.sent(forum["id"])[0])
    assert follow_up["reply_to_message"]["text"] == "here"
    assert "reply_to_message" not in follow_up["reply_to_message"]  # never nested


def test_group_privacy_mode(emu: BotApiEmulator) -> None:
    user = emu.user(7, "Li")
    group = emu.group(-1002, "Readers")
    emu.send_text(group, user, "just chatting")
    emu.send_text(group, user, "/other@SomeOtherBot")
    emu.send_text(group, user, "/help")
    assert [u["message"]["text"] for u in emu.pending_updates()] == ["/help"]
    emu.set_member_status(group, emu.bot, "administrator")
    emu.send_text(group, user, "now visible")
    assert [u["message"]["text"] for u in emu.pending_updates()] == ["/help", "now visible"]


# --------------------------------------------------------------------------- edits & callbacks

@pytest.mark.asyncio
async def test_edit_message_text(emu: BotApiEmulator) -> None:
    user = emu.user(7, "Li")
    chat = emu.private_chat(user)
    async with make_bot(emu) as bot:
        sent = await bot.send_message(chat["id"], "draft", reply_markup=keyboard(("Go", "go")))
        edited = await bot.edit_message_text("<b>final</b>", chat["id"], sent.message_id, parse_mode="HTML",
                                             reply_markup=keyboard(("Go", "go")))
        assert edited.text == "final" and edited.edit_date is not None
        assert edited.entities == (MessageEntity("bold", 0, 5),)
        with pytest.raises(BadRequest, match=r"Message is not modified"):
            await bot.edit_message_text("<b>final</b>", chat["id"], sent.message_id, parse_mode="HTML",
                                        reply_markup=keyboard(("Go", "go")))
        without_markup = await bot.edit_message_text("final", chat["id"], sent.message_id)
        assert without_markup.reply_markup is None  # omitting reply_markup removes the keyboard
        with pytest.raises(BadRequest, match=r"Message to edit not found"):
            await bot.edit_message_text("x", chat["id"], 999)
        users_message = emu.send_text(chat, user, "mine")
        with pytest.raises(BadRequest, match=r"Message can't be edited"):
            await bot.edit_message_text("x", chat["id"], users_message["message_id"])
    assert [(m["text"], "reply_markup" in m) for m in emu.sent(chat["id"])] == [("final", False)]


@pytest.mark.asyncio
async def test_press_button_and_answer_callback_query(emu: BotApiEmulator) -> None:
    user = emu.user(7, "Li", "li_lei")
    chat = emu.private_chat(user)
    async with make_bot(emu) as bot:
        sent = await bot.send_message(chat["id"], "Vote?", reply_markup=keyboard(("Yes", "vote:yes")))
        with pytest.raises(ValueError, match=r"no button"):
            emu.press_button(sent.to_dict(), "vote:maybe", user)
        query_id = emu.press_button(sent.to_dict(), "vote:yes", user)
        (update,) = await bot.get_updates()
        query = update.callback_query
        assert query is not None and (query.id, query.data, query.from_user.id) == (query_id, "vote:yes", 7)
        assert query.message is not None and query.message.message_id == sent.message_id and query.chat_instance
        assert await bot.answer_callback_query(query_id, text="Counted", show_alert=True) is True
        assert emu.callback_answers[query_id] == {"text": "Counted", "show_alert": True, "url": None,
                                                  "cache_time": 0}
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query(query_id)  # only one answer per query
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query("123")


# --------------------------------------------------------------------------- commands, members, misc

@pytest.mark.asyncio
async def test_set_my_commands_with_scopes(emu: BotApiEmulator) -> None:
    group = emu.group(-1003, "G")
    async with make_bot(emu) as bot:
        assert await bot.set_my_commands([BotCommand("ask", "提问"), BotCommand("help", "Help")])
        chat_scope = BotCommandScopeChat(group["id"])
        assert await bot.set_my_commands([BotCommand("report", "Report")], scope=chat_scope, language_code="de")
        assert [c.command for c in await bot.get_my_commands()] == ["ask", "help"]
        assert [c.command for c in await bot.get_my_commands(scope=chat_scope, language_code="de")] == ["report"]
        assert await bot.get_my_commands(scope=chat_scope) == ()  # no fallback between scopes
        with pytest.raises(BadRequest, match=r"Bot_command_invalid"):
            await bot.set_my_commands([BotCommand("Bad-Cmd", "x")])
        assert await bot.delete_my_commands(scope=BotCommandScopeDefault())
        assert await bot.get_my_commands() == ()
    assert emu.get_commands({"type": "chat", "chat_id": str(group["id"])}, "de") == [
        {"command": "report", "description": "Report"}]
    assert emu.commands == {(json.dumps({"chat_id": -1003, "type": "chat"}), "de"):
                            [{"command": "report", "description": "Report"}]}


@pytest.mark.asyncio
async def test_get_chat_member_and_get_chat(emu: BotApiEmulator) -> None:
    owner, admin, member = emu.user(1, "Owner"), emu.user(2, "Admin"), emu.user(3, "Member")
    group = emu.group(-1004, "Team", username="team_chat")
    emu.set_member_status(group, owner, "creator")
    emu.set_member_status(group, admin, "administrator", can_promote_members=True)
    async with make_bot(emu) as bot:
        got_admin = await bot.get_chat_member(group["id"], 2)
        assert isinstance(got_admin, ChatMemberAdministrator)
        assert got_admin.can_delete_messages and got_admin.can_promote_members and got_admin.user.id == 2
        assert isinstance(await bot.get_chat_member(group["id"], 1), ChatMemberOwner)
        got_member = await bot.get_chat_member("@team_chat", member["id"])
        assert isinstance(got_member, ChatMemberMember) and got_member.user.first_name == "Member"
        with pytest.raises(BadRequest, match=r"Participant_id_invalid"):
            await bot.get_chat_member(group["id"], 404)
        with pytest.raises(BadRequest, match=r"Chat not found"):
            await bot.get_chat_member(-999, 2)
        assert {m.user.id for m in await bot.get_chat_administrators(group["id"])} == {1, 2}
        info = await bot.get_chat(group["id"])
        assert isinstance(info, ChatFullInfo) and (info.title, info.type) == ("Team", "supergroup")
        assert await bot.send_chat_action(group["id"], "typing") is True
        with pytest.raises(BadRequest, match=r"Wrong parameter action"):
            await bot.send_chat_action(group["id"], "dancing")
        assert await bot.close() is True and await bot.log_out() is True
    assert [c.method for c in emu.calls()][-2:] == ["close", "logOut"]


@pytest.mark.asyncio
async def test_answer_inline_query_and_inline_message_flow(emu: BotApiEmulator) -> None:
    user = emu.user(7, "Li")
    query_id = emu.inline_query(user, "通胀")
    async with make_bot(emu) as bot:
        (update,) = await bot.get_updates()
        assert update.inline_query is not None and (update.inline_query.id, update.inline_query.query) == (
            query_id, "通胀")
        article = InlineQueryResultArticle(
            "r1", "CPI", InputTextMessageContent("<b>CPI</b> up", parse_mode="HTML"),
            reply_markup=keyboard(("More", "more")))
        with pytest.raises(BadRequest, match=r"Result_id_duplicate"):
            await bot.answer_inline_query(query_id, [article, article])
        assert await bot.answer_inline_query(query_id, [article], cache_time=5) is True
        assert emu.inline_answers[query_id]["results"][0]["id"] == "r1"
        assert emu.inline_answers[query_id]["cache_time"] == 5
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_inline_query("nope", [article])
        inline_message = emu.choose_inline_result(query_id, "r1")
        assert inline_message["text"] == "CPI up"
        callback_id = emu.press_button(inline_message, "more", user)
        (update,) = await bot.get_updates(offset=update.update_id + 1)
        assert update.callback_query is not None and update.callback_query.id == callback_id
        inline_id = update.callback_query.inline_message_id
        assert inline_id == inline_message["inline_message_id"] and update.callback_query.message is None
        assert await bot.edit_message_text("CPI details", inline_message_id=inline_id) is True
    assert emu.inline_message(inline_id)["text"] == "CPI details"
    assert "reply_markup" not in emu.inline_message(inline_id)


# --------------------------------------------------------------------------- waiting helpers

@pytest.mark.asyncio
async def test_wait_for_blocks_until_the_bot_acts_and_dumps_on_timeout(emu: BotApiEmulator) -> None:
    async with make_bot(emu) as bot:
        waiter = asyncio.create_task(asyncio.to_thread(emu.wait_for, lambda m: m["text"] == "later", 5))
        await bot.send_message(5, "sooner")
        await bot.send_message(5, "later")
        found = await waiter
        assert found["text"] == "later" and found["chat"]["id"] == 5
        call = emu.wait_for(lambda c: c.method == "sendMessage" and c.params["text"] == "sooner", what="calls")
        assert isinstance(call, Call)
    with pytest.raises(AssertionError, match=r"(?s)nothing matched.*'sooner'.*sendMessage"):
        emu.wait_for(lambda m: m["text"] == "never", timeout=0.2)


@pytest.mark.asyncio
async def test_end_to_end_application_polling(emu: BotApiEmulator) -> None:
    """A real PTB Application polls the emulator, answers a command and a button press."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html("<b>Hi</b> there", reply_markup=keyboard(("Go", "go")), do_quote=True)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("ok")
        await query.edit_message_text("Gone")

    app = Application.builder().token(TOKEN).base_url(emu.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    user = emu.user(7, "Li")
    chat = emu.private_chat(user)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=1, poll_interval=0)
        try:
            command = emu.send_text(chat, user, "/start")
            reply = await asyncio.to_thread(emu.wait_for, lambda m: m["text"] == "Hi there", 10)
            assert reply["reply_to_message"]["message_id"] == command["message_id"]
            assert reply["entities"] == [{"offset": 0, "length": 2, "type": "bold"}]
            query_id = emu.press_button(reply, "go", user)
            await asyncio.to_thread(emu.wait_for, lambda m: m["text"] == "Gone", 10)
            assert emu.callback_answers[query_id]["text"] == "ok"
        finally:
            await app.updater.stop()
            await app.stop()
    assert [m["text"] for m in emu.sent(chat["id"])] == ["Gone"]
    assert emu.pending_updates() == []  # PTB confirmed everything on shutdown
