"""Telegram handlers of inline buttons (更多, 原文, 👍/👎, example questions) and of inline mode.

Every button's data is signed for the chat its message is in (bot.buttons); ``pressed`` refuses anything else,
so a button copied into another chat, forged or left from before a database reset is answered "expired" and
changes nothing.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from telegram import CallbackQuery, InlineQueryResultArticle, InputTextMessageContent, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import render
from bot.buttons import Button, doc_hash, find_document
from bot.delivery import GaveUp
from bot.handlers import (
    EXPIRED,
    answer_question,
    deps,
    elapsed_ms,
    give_up,
    record_answer,
    send_chunks,
    within_limit,
)
from bot.parsing import cited, example_questions, thread_of, without_lone_surrogates
from bot.storage import Entry

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- buttons

async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE,
                  kind: str) -> tuple[CallbackQuery, Button, int] | None:
    """The press as (query, button, chat id) when its data was signed by us for the chat the pressed
    message is in; anything else (forged, copied from another chat, from before a database reset,
    garbage) is answered "expired", so no button ever spins."""
    query = update.callback_query
    if query is None:
        return None
    chat_id = query.message.chat.id if query.message is not None else None
    button = deps(context).buttons.decode(query.data, chat_id)
    if button is None or button.kind != kind or chat_id is None:
        logger.info("refused button %r from user %s in chat %s", (query.data or "")[:64],
                    query.from_user.id if query.from_user else None, chat_id)
        await query.answer(EXPIRED, show_alert=True)
        return None
    return query, button, chat_id


async def more_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """更多: the next results of the question this answer belongs to (stored, so it survives restarts)."""
    press = await pressed(update, context, "more")
    if press is None:
        return
    query, button, chat_id = press
    d = deps(context)
    record = await d.store.query(button.ref)
    if record is None or record.state is None or record.chat_id != chat_id:
        await query.answer(EXPIRED, show_alert=True)
        return
    if not await within_limit(context, query.from_user, None):
        await query.answer("你问得有点快了，请稍后再试。")
        return
    started = time.perf_counter()
    async with d.locks((chat_id, record.thread_id)):
        answer, new_state = d.service.respond(record.state, "更多")
        if not answer.answered:
            await query.answer(answer.message[:200])
            return
        entry = Entry(d.store.next_query_id(), chat_id, record.thread_id, _chat_type(query.message),
                      query.from_user.id, "more", str(record.state.get("q") or record.question), answer.kind, True,
                      cited(answer), new_state)
        await query.answer()
        reply_to = query.message.message_id if query.message else None
        try:
            await send_chunks(context, chat_id, record.thread_id, render.render_messages(render.answer_html(answer)),
                              render.answer_keyboard(answer, entry.id, d.buttons, chat_id), reply_to=reply_to)
        except (GaveUp, TelegramError) as exc:
            await give_up(d, entry, update.update_id, exc)
            raise
        await record_answer(d, replace(entry, latency_ms=elapsed_ms(started)), update.update_id, session=True)


def _chat_type(message: object) -> str:
    chat = getattr(message, "chat", None)
    return str(getattr(chat, "type", "")) or "unknown"


async def source_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """原文: the whole paragraph, each sentence with its source."""
    press = await pressed(update, context, "source")
    if press is None:
        return
    query, button, _ = press
    index = deps(context).service.index
    doc_id = find_document(index.documents, button.arg)
    html = render.paragraph_html(index, doc_id, button.ref) if doc_id else None
    if html is None:
        await query.answer("这一段已不在当前的报道里（报道已更新），请重新提问。", show_alert=True)
        return
    await query.answer()
    message = query.message
    if not isinstance(message, Message):     # too old to reply to: Telegram no longer gives its content
        return
    await send_chunks(context, message.chat.id, thread_of(message), render.render_messages(html),
                      reply_to=message.message_id)


async def vote_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍 / 👎: stored per user and answer (a second press replaces the first)."""
    press = await pressed(update, context, "vote")
    if press is None:
        return
    query, button, chat_id = press
    up = button.arg == "u"
    store = deps(context).store
    record = await store.query(button.ref)
    if record is None or record.chat_id != chat_id \
            or not await store.add_feedback(button.ref, query.from_user.id, 1 if up else -1):
        await query.answer(EXPIRED, show_alert=True)
        return
    await query.answer("谢谢反馈！" + ("👍" if up else "👎 我们会改进。"))


async def example_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An example question from /start, asked as if typed."""
    press = await pressed(update, context, "example")
    if press is None:
        return
    query, button, _ = press
    examples = example_questions(deps(context).service)
    message = query.message
    if button.ref >= len(examples) or not isinstance(message, Message):
        await query.answer(EXPIRED, show_alert=True)
        return
    if not await within_limit(context, query.from_user, None):
        await query.answer("你问得有点快了，请稍后再试。")
        return
    await query.answer()
    await answer_question(context, message, query.from_user, examples[button.ref], "example", update.update_id)


async def unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.callback_query:
        await update.callback_query.answer(EXPIRED, show_alert=True)


# --------------------------------------------------------------------------- inline mode

async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@BotName 问题 in any chat: the top answers as results."""
    query = update.inline_query
    if query is None:
        return
    text = without_lone_surrogates(query.query).strip()
    d = deps(context)
    if not text:
        await query.answer([], cache_time=300)
        return
    answer, _ = d.service.respond(None, text)
    results = []
    heading = f"<b>问：</b>{render.esc(text)}\n\n"
    if answer.answered:
        for number, item in enumerate(answer.items):
            best = answer.best_claim(item)
            citation = f"{answer.where(item)}｜{answer.label(best)}：{best.source}"
            lead = answer.short_answer[0] if number == 0 and answer.short_answer and not answer.caveat else None
            line = f"<b>答：</b>{render.esc(answer.line_text(lead))}\n" if lead else ""
            body = render.render_messages(heading + line + render.item_html(answer, item))[0]
            results.append(InlineQueryResultArticle(
                id=f"{number}-{doc_hash(item.document_id)}-{item.paragraph}",
                title=(f"{answer.line_text(lead)}｜{citation}" if lead else citation)[:100],
                description=item.quote[:120],
                input_message_content=InputTextMessageContent(body, parse_mode=ParseMode.HTML)))
    else:
        results.append(InlineQueryResultArticle(
            id="none", title=answer.message[:100], description=text[:120],
            input_message_content=InputTextMessageContent(
                render.render_messages(heading + render.answer_html(answer))[0], parse_mode=ParseMode.HTML)))
    await query.answer(results, cache_time=60, is_personal=False)
    await d.store.log_query(chat_id=None, chat_type="inline", user_id=query.from_user.id, via="inline",
                            question=text, kind=answer.kind, answered=answer.answered, paragraphs=cited(answer))
