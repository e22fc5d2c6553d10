"""Telegram handlers: one small async function per behaviour.

Each one parses the update, asks the engine (``ReportService``), renders the
answer (bot.render), replies and stores (bot.storage).  The dependencies live
in ``application.bot_data["deps"]``; bot.app wires the handlers.  Reading a
message is bot.parsing; buttons and inline mode are bot.button_handlers; the
library's admin commands are bot.library_handlers.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import re
import time
import weakref
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from telegram import (
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
    User,
)
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot import render
from bot.buttons import ButtonSigner
from bot.config import Config
from bot.delivery import GaveUp, deliver
from bot.inbox import InboxQueue
from bot.parsing import (
    ask_question,
    cited,
    clean_question,
    example_questions,
    group_question,
    is_group,
    mention_question,
    paragraph_number,
    text_of,
    thread_of,
)
from bot.ratelimit import UserRateLimiter
from bot.service import ReportService
from bot.storage import GIVEN_UP, Entry, Store
from index import CorpusError
from index.reply import Answer, help_text

logger = logging.getLogger(__name__)

EXPIRED = "这个按钮已过期，请重新提问。"
SORRY = "抱歉，处理这条消息时出错了，请稍后再试。"
USAGE_ASK = "用法：/ask 问题，例如：/ask {example}"
GROUP_HELP = ("在群里，请 @{bot} 加上问题、回复我的消息，或用 /ask 问题 来提问；"
              "其他群消息我不会打扰。")
COMMANDS_HELP = ("/ask 问题 — 提问（群里常用）\n/source 段号 — 看某一段原文和每句话的信源\n"
                 "/start — 简介和示例问题\n/help — 这条说明")


class KeyedLocks:
    """One asyncio.Lock per chat session, so a chat's messages are answered in order while
    different chats run concurrently; unused locks are garbage-collected."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[Any, asyncio.Lock] = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def __call__(self, key: Any) -> AsyncIterator[None]:
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:
            yield


@dataclass
class Deps:
    config: Config
    service: ReportService
    store: Store
    limiter: UserRateLimiter
    locks: KeyedLocks = field(default_factory=KeyedLocks)
    replayed: set[int] = field(default_factory=set)   # updates owed by the last run (bot.inbox), answered now
    settled: set[int] = field(default_factory=set)    # updates settled with their answer, not yet by settle_update
    commands: dict[str, Any] = field(default_factory=dict)   # every command by name (bot.app wires them)

    @property
    def buttons(self) -> ButtonSigner:
        return ButtonSigner(self.store.button_secret)


def deps(context: ContextTypes.DEFAULT_TYPE) -> Deps:
    return context.application.bot_data["deps"]


# --------------------------------------------------------------------------- sending

async def send_chunks(context: ContextTypes.DEFAULT_TYPE, chat_id: int, thread_id: int, chunks: Sequence[str],
                      keyboard: InlineKeyboardMarkup | None = None, reply_to: int | None = None) -> list[Message]:
    """Send a (split) reply; the buttons go under the last part, only the first part quotes.  Each part is
    retried until Telegram takes it (bot.delivery)."""
    sent = []
    for number, chunk in enumerate(chunks):
        last = number == len(chunks) - 1
        send = functools.partial(
            context.bot.send_message, chat_id, chunk, message_thread_id=thread_id or None,
            reply_markup=keyboard if last else None,
            reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True)
            if reply_to and number == 0 else None)
        sent.append(await deliver(send))
    return sent


async def reply(context: ContextTypes.DEFAULT_TYPE, message: Message, html: str,
                keyboard: InlineKeyboardMarkup | None = None, *, quote: bool = False) -> list[Message]:
    """Reply to ``message`` in its chat and topic; groups (and ``quote``) get the question quoted."""
    return await send_chunks(context, message.chat_id, thread_of(message), render.render_messages(html), keyboard,
                             reply_to=message.message_id if quote or is_group(message) else None)


async def within_limit(context: ContextTypes.DEFAULT_TYPE, user: User | None, message: Message | None) -> bool:
    """Count a question against the user's per-minute budget; one polite note when over it."""
    d = deps(context)
    if user is None:
        return True
    wait = d.limiter.hit(user.id)
    if not wait:
        return True
    logger.info("rate limit: user %s waits %.0fs", user.id, wait)
    if message is not None and d.limiter.should_warn(user.id):
        await reply(context, message, render.esc(
            f"你问得有点快了，请 {math.ceil(wait)} 秒后再问。（每人每分钟最多 {d.limiter.per_minute} 个问题）"))
    return False


# --------------------------------------------------------------------------- questions

async def prepare(d: Deps, message: Message, user: User | None, question: str, via: str) -> tuple[Answer, Entry]:
    """The answer with the chat's (topic's) session, and the query log row it will leave once sent (its id
    is the one its buttons carry).  The caller holds the session's lock."""
    chat_id, thread_id = message.chat_id, thread_of(message)
    state = await d.store.load_session(chat_id, thread_id)
    answer, new_state = d.service.respond(state, question)
    entry = Entry(d.store.next_query_id(), chat_id, thread_id, message.chat.type, user.id if user else None, via,
                  question, answer.kind, answer.answered, cited(answer), new_state)
    return answer, entry


async def give_up(d: Deps, entry: Entry, update_id: int | None, error: Exception) -> None:
    """Telegram did not take the answer (bot.delivery gave up, or refused it): logged as given up, never
    as answered, and the session stays where it was."""
    logger.warning("answer to query %s not delivered: %s", entry.id, error)
    await record_answer(d, entry, update_id, delivery=GIVEN_UP)


async def record_answer(d: Deps, entry: Entry, update_id: int | None, **record: Any) -> None:
    """Store what an answer leaves behind (``Store.record``) with its update settled in the same transaction,
    and tell ``settle_update`` it need not settle it again."""
    await d.store.record(entry, update_id=update_id, **record)
    if update_id is not None:
        d.settled.add(update_id)


def elapsed_ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


async def answer_question(context: ContextTypes.DEFAULT_TYPE, message: Message, user: User | None, question: str,
                          via: str, update_id: int | None = None) -> None:
    """Ask the engine with the chat's session and reply; only once Telegram took the reply are the query,
    the new session and the answer's messages stored, with the update settled, in one transaction."""
    d = deps(context)
    started = time.perf_counter()
    async with d.locks((message.chat_id, thread_of(message))):
        answer, entry = await prepare(d, message, user, question, via)
        keyboard = render.answer_keyboard(answer, entry.id, d.buttons, message.chat_id)
        try:
            sent = await reply(context, message, render.answer_html(answer), keyboard,
                               quote=update_id in d.replayed)
        except (GaveUp, TelegramError) as exc:
            await give_up(d, entry, update_id, exc)
            raise
        await record_answer(d, replace(entry, latency_ms=elapsed_ms(started)), update_id, session=True,
                     question_message=None if via == "example" else message.message_id,
                     answer_ids=[m.message_id for m in sent])


async def private_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Private chat: every text message is a question."""
    message = update.effective_message
    if message is None or not await within_limit(context, update.effective_user, message):
        return
    await answer_question(context, message, update.effective_user, text_of(message), "text", update.update_id)


async def group_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Group: answer only a mention or a reply to the bot; everything else is ignored silently."""
    message = update.effective_message
    if message is None:
        return
    question = group_question(message, context.bot.id, context.bot.username)
    if question is None:
        return
    if not await within_limit(context, update.effective_user, message):
        return
    await answer_question(context, message, update.effective_user, question, "text", update.update_id)


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask QUESTION (also /ask@BotName) in any chat."""
    message = update.effective_message
    if message is None:
        return
    question = ask_question(text_of(message), context.bot.username)
    if not question:
        examples = example_questions(deps(context).service)
        usage = USAGE_ASK.format(example=examples[0]) if examples else "用法：/ask 问题"
        await reply(context, message, render.esc(usage))
        return
    if not await within_limit(context, update.effective_user, message):
        return
    await answer_question(context, message, update.effective_user, question, "ask", update.update_id)


async def edited_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited question gets its answer edited (or a first answer if it was never answered)."""
    message = update.edited_message
    if message is None or not message.text:
        return
    d = deps(context)
    linked = await d.store.linked_answer(message.chat_id, message.message_id)
    username = context.bot.username
    if is_group(message):
        question = group_question(message, context.bot.id, username)
        if question is None and linked is not None:
            question = mention_question(message, context.bot.id, username) or clean_question(text_of(message))
    elif text_of(message).startswith("/"):
        question = ask_question(text_of(message), username)
    else:
        question = text_of(message)
    if question is None or not await within_limit(context, update.effective_user, message):
        return
    if linked is None:
        await answer_question(context, message, update.effective_user, question, "edit", update.update_id)
        return
    await reanswer(context, message, update.effective_user, question, linked.answer_ids, update.update_id)


async def reanswer(context: ContextTypes.DEFAULT_TYPE, message: Message, user: User | None, question: str,
                   answer_ids: list[int], update_id: int | None = None) -> None:
    """The edited question's answer edited in place (parts added or deleted as the new answer needs)."""
    d = deps(context)
    started = time.perf_counter()
    chat_id, thread_id = message.chat_id, thread_of(message)
    async with d.locks((chat_id, thread_id)):
        answer, entry = await prepare(d, message, user, question, "edit")
        chunks = render.render_messages(render.answer_html(answer))
        keyboard = render.answer_keyboard(answer, entry.id, d.buttons, chat_id)
        try:
            kept = await edit_answer(context, chat_id, answer_ids, chunks, keyboard)
            extra = chunks[len(kept):]
            if extra:
                sent = await send_chunks(context, chat_id, thread_id, extra, keyboard,
                                         reply_to=message.message_id if is_group(message) else None)
                kept += [m.message_id for m in sent]
        except (GaveUp, TelegramError) as exc:
            await give_up(d, entry, update_id, exc)
            raise
        for stale in answer_ids[len(kept):] if not extra else []:
            try:
                await context.bot.delete_message(chat_id, stale)
            except TelegramError as exc:
                logger.info("cannot delete old answer part %s/%s: %s", chat_id, stale, exc)
        await record_answer(d, replace(entry, latency_ms=elapsed_ms(started)), update_id, session=True,
                     question_message=message.message_id, answer_ids=kept)


async def edit_answer(context: ContextTypes.DEFAULT_TYPE, chat_id: int, answer_ids: list[int], chunks: list[str],
                      keyboard: InlineKeyboardMarkup | None) -> list[int]:
    """Edit the old answer's messages to the new parts, retried like a reply (bot.delivery); the ids of the
    messages that now hold a part.  Stops at the first one that is gone (deleted)."""
    kept: list[int] = []
    for number, chunk in enumerate(chunks[:len(answer_ids)]):
        edit = functools.partial(context.bot.edit_message_text, chunk, chat_id=chat_id,
                                 message_id=answer_ids[number],
                                 reply_markup=keyboard if number == len(chunks) - 1 else None)
        try:
            await deliver(edit, "edit")
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                logger.info("cannot edit answer %s/%s: %s", chat_id, answer_ids[number], exc.message)
                break
        kept.append(answer_ids[number])
    return kept


_COMMAND_TEXT = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@(\w+))?(?=\s|$)")


async def command_without_entity(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/command`` text that arrived without a bot_command entity (some self-hosted or test servers
    omit entities): run the command as Telegram's own markup would have; ignore commands for other bots."""
    message = update.effective_message
    match = _COMMAND_TEXT.match(text_of(message)) if message else None
    if message is None or match is None:
        return
    name, addressee = match.group(1).lower(), match.group(2)
    if addressee and addressee.lower() != context.bot.username.lower():
        return
    context.args = text_of(message)[match.end():].split()
    handler = deps(context).commands.get(name) or COMMANDS.get(name)
    await (handler or unknown_command)(update, context)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Private chat, a sticker/photo/voice…: say what works instead."""
    if update.effective_message:
        await reply(context, update.effective_message, "我只看得懂文字问题。请用文字提问，例如：售价多少？")


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command we do not have, addressed to us: /foo in a private chat, /foo@ThisBot anywhere.  A command for
    another bot (/foo@OtherBot), or a bare /foo in a group (other bots may have it), is left alone."""
    message = update.effective_message
    match = _COMMAND_TEXT.match(text_of(message)) if message else None
    if message is None or match is None:
        return
    addressee = match.group(2)
    if addressee and addressee.lower() != context.bot.username.lower():
        return
    if is_group(message) and not addressee:
        return
    await reply(context, message, render.esc("我不认识这个命令。\n" + COMMANDS_HELP))


# --------------------------------------------------------------------------- commands

async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: what the bot knows and three example questions as buttons."""
    message = update.effective_message
    if message is None:
        return
    d = deps(context)
    examples = example_questions(d.service)
    text = "\n\n".join([render.about_html(d.service.index), render.esc(help_text(examples)),
                       render.esc(COMMANDS_HELP)])
    if examples:
        text += "\n\n点下面的问题试试："
    await reply(context, message, text, render.examples_keyboard(examples, deps(context).buttons, message.chat_id))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: how to ask, in private chats and in groups."""
    message = update.effective_message
    if message is None:
        return
    parts = [help_text(example_questions(deps(context).service)), COMMANDS_HELP]
    if is_group(message):
        parts.append(GROUP_HELP.format(bot=context.bot.username))
    await reply(context, message, render.esc("\n\n".join(parts)))


async def source(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/source N: paragraph N in full, each sentence with its source and tier.
    With several reports, /source K N is paragraph N of report K (/source N: of the first)."""
    message = update.effective_message
    if message is None:
        return
    index = deps(context).service.index
    documents = index.documents
    args = list(context.args or [])
    document = documents[0]
    if len(args) == 2 and len(documents) > 1 and (k := paragraph_number(args[0])) and k <= len(documents):
        document = documents[k - 1]
        args = args[1:]
    total = len(document.paragraphs)
    raw = " ".join(args)
    number = paragraph_number(raw) if raw else None
    html = render.paragraph_html(index, document.doc_id, number) if number is not None else None
    if html is None:
        if raw:
            text = f"没有“{raw[:40]}”这一段：《{document.title}》共 {total} 段，请用 /source 1 到 /source {total}。"
        else:
            text = f"用法：/source 段号（1 到 {total}），例如 /source 1。"
        if len(documents) > 1:
            text += "\n有多篇报道时，/source 篇号 段号 看其他报道：" + "；".join(
                f"{k}.《{d.title}》（{len(d.paragraphs)} 段）" for k, d in enumerate(documents, 1))
        await reply(context, message, render.esc(text))
        return
    await reply(context, message, html)


# --------------------------------------------------------------------------- admins

async def require_admin(update: Update, context: ContextTypes.DEFAULT_TYPE, command: str) -> bool:
    """Only BOT_ADMIN_IDS may go on; anyone else gets a polite refusal, and the attempt is logged."""
    d = deps(context)
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is not None and user.id in d.config.admin_ids:
        return True
    logger.warning("refused /%s for user %s in chat %s", command, user.id if user else None,
                   chat.id if chat else None)
    await d.store.log_admin(user_id=user.id if user else None, chat_id=chat.id if chat else None,
                            command=command, allowed=False, detail="not an admin")
    if message is not None:
        await reply(context, message, render.esc(f"抱歉，/{command} 只有管理员可以使用。"))
    return False


async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload (admins): rebuild the index off the event loop and swap it in; a broken
    seeds directory leaves the old index serving and the admin sees which file."""
    message = update.effective_message
    if message is None or not await require_admin(update, context, "reload"):
        return
    d = deps(context)
    user_id, chat_id = update.effective_user.id if update.effective_user else None, message.chat_id
    try:
        report = await asyncio.to_thread(d.service.reload)   # ReportService serialises concurrent reloads
    except CorpusError as exc:
        logger.warning("reload by %s failed, the old index keeps serving: %s", user_id, exc)
        await d.store.log_admin(user_id=user_id, chat_id=chat_id, command="reload", allowed=True,
                                detail=f"failed: {exc}")
        index = d.service.index
        await reply(context, message, f"<b>重新载入失败</b>：{render.esc(exc)}\n旧的索引继续服务"
                                      f"（{len(index.documents)} 篇报道，{len(index.paragraphs)} 段）。")
        return
    summary = (f"documents={report.documents} paragraphs={report.paragraphs} seconds={report.seconds:.2f} "
               f"added={report.added} removed={report.removed}")
    await d.store.log_admin(user_id=user_id, chat_id=chat_id, command="reload", allowed=True, detail=summary)
    logger.info("reloaded by %s: %s", user_id, summary)
    await reply(context, message, (
        f"<b>已重新载入</b>\n报道：{report.documents} 篇\n段落：{report.paragraphs} 段\n"
        f"用时：{report.seconds:.2f} 秒\n变化：新增 {report.added} 段，删除 {report.removed} 段"))


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats (admins): questions today and in 7 days, share answered, top and unanswered questions."""
    message = update.effective_message
    if message is None or not await require_admin(update, context, "stats"):
        return
    d = deps(context)
    s = await d.store.stats()
    await d.store.log_admin(user_id=update.effective_user.id if update.effective_user else None,
                            chat_id=message.chat_id, command="stats", allowed=True)
    share = f"{s.answered_share:.0%}" if s.answered_share is not None else "—"
    lines = ["<b>使用统计</b>", f"今天：{s.today} 个问题", f"近 7 天：{s.week} 个问题，已回答 {share}",
             f"未送达（Telegram 两分钟内一直没有接收）：{s.given_up_week} 个",
             f"反馈：👍 {s.thumbs_up}　👎 {s.thumbs_down}", "", "<b>常见问题（7 天）</b>"]
    lines += [f"{n}×　{render.esc(q)}" for q, n in s.top] or ["（暂无）"]
    lines += ["", "<b>最近没答上的问题</b>（可补充同义词或报道）"]
    lines += [f"{time.strftime('%m-%d %H:%M', time.localtime(ts))}　{render.esc(q)}" for ts, q in s.unanswered] \
        or ["（暂无）"]
    await reply(context, message, "\n".join(lines))


# --------------------------------------------------------------------------- errors

async def settle_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After every handler (bot.app runs this last): the update needs nothing more, whatever became of it
    (answered, ignored, refused, failed), so a restart does not handle it again (bot.inbox)."""
    d = deps(context)
    d.replayed.discard(update.update_id)
    if isinstance(context.application.update_queue, InboxQueue):
        context.application.update_queue.settled(update.update_id)
    if update.update_id in d.settled:
        d.settled.discard(update.update_id)      # settled with its answer, in the same transaction
        return
    await d.store.settle(update.update_id)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception and tell the user politely; never let a reply failure escape."""
    if isinstance(context.error, (GaveUp, Forbidden)):
        # Logged where it happened; Telegram is not taking messages for this chat, so no apology either.
        return
    logger.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query:
            await update.callback_query.answer(SORRY, show_alert=True)
        elif update.effective_message and update.effective_chat and update.inline_query is None:
            await reply(context, update.effective_message, render.esc(SORRY))
    except TelegramError as exc:
        logger.warning("could not tell the user about the error: %s", exc)


# Every command by name, for ``command_without_entity`` (bot.app wires the CommandHandlers).
COMMANDS = {"start": start, "help": help_command, "ask": ask, "source": source, "reload": reload, "stats": stats}
