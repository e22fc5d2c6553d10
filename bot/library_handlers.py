"""Telegram handlers for the report library (bot.library): add, list and remove reports, admins only.

* A document (.md / .txt) sent in a private chat, or ``/add`` followed by the
  pasted text: read with the real loader, previewed (title, publisher, date,
  paragraphs, the first paragraph, sentences per tier, problems), kept in the
  database until the admin presses 保存 or 取消.  保存 writes the file into the
  library, rebuilds the index off the event loop and swaps it in; a report that
  breaks the rebuild is taken out again and the old index keeps serving.
* ``/reports``: what is loaded, bundled or added by whom and when.
* ``/remove K``: asks with a button, then removes report K (a bundled one is
  hidden) and rebuilds.

Everyone else who sends a document or these commands gets a polite refusal,
logged, and nothing is stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import render
from bot.button_handlers import pressed
from bot.buttons import find_document
from bot.handlers import deps, reply, require_admin
from bot.library import MAX_UPLOAD_BYTES, Library, LibraryError, Preview, date_of, with_date
from bot.parsing import paragraph_number, text_of
from bot.storage import Upload
from index import CorpusError

logger = logging.getLogger(__name__)

USAGE_ADD = ("用法：/add [日期] 后接报道全文（第一行是标题），或直接把 .md / .txt 文件发给我"
             "（日期可写在文件说明里，如 2023-11-15）。")
NO_LIBRARY = "这个机器人没有可写的报道库（BOT_LIBRARY_DIR），不能在这里添加报道。"
TIER_ORDER = ("official", "reporter", "named", "anonymous", "rumor")


def _library(context: ContextTypes.DEFAULT_TYPE) -> Library | None:
    return deps(context).service.library


def preview_html(preview: Preview, labels: dict[str, str]) -> str:
    tiers = "，".join(f"{labels.get(t, t)} {preview.tiers[t]} 句" for t in TIER_ORDER if preview.tiers.get(t))
    first = preview.first_paragraph if len(preview.first_paragraph) <= 200 else preview.first_paragraph[:200] + "…"
    lines = ["<b>报道预览</b>", f"标题：{render.esc(preview.title or '（无）')}",
             f"媒体：{render.esc(preview.publisher or '（未写明）')}",
             f"日期：{render.esc(preview.published or '（无）')}",
             f"段落：{preview.paragraphs} 段", f"信源：{render.esc(tiers or '（无）')}",
             f"<blockquote>{render.esc(first)}</blockquote>"]
    lines += [f"⚠ {render.esc(problem)}" for problem in preview.problems]
    lines.append("保存后这篇报道会加入库中并立即可以提问。")
    return "\n".join(lines)


async def _preview_upload(update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message, name: str,
                          data: bytes) -> None:
    """Read an upload, show the preview with 保存 / 取消, and keep it until one is pressed."""
    d = deps(context)
    library = _library(context)
    user = update.effective_user
    if library is None or user is None:
        await reply(context, message, render.esc(NO_LIBRARY))
        return
    try:
        preview = await asyncio.to_thread(library.preview, name, data, list(d.service.index.documents))
    except (CorpusError, LibraryError) as exc:
        await d.store.log_admin(user_id=user.id, chat_id=message.chat_id, command="add", allowed=True,
                                detail=f"refused {name}: {exc}")
        await reply(context, message, f"<b>不能添加这篇报道</b>：{render.esc(exc)}\n库里的报道没有变化。")
        return
    upload_id = await d.store.add_upload(user.id, message.chat_id, preview.name, data)
    buttons = d.buttons
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton("保存", callback_data=buttons.keep(upload_id, message.chat_id)),
        InlineKeyboardButton("取消", callback_data=buttons.cancel(upload_id, message.chat_id))]])
    await reply(context, message, preview_html(preview, d.service.index.rules.sources.tier_labels), keyboard)


async def document_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file sent in a private chat: an admin adding a report."""
    message = update.effective_message
    if message is None or message.document is None or not await require_admin(update, context, "add"):
        return
    document = message.document
    name = document.file_name or "report.txt"
    if document.file_size and document.file_size > MAX_UPLOAD_BYTES:
        await reply(context, message, render.esc(f"文件太大，报道最多 {MAX_UPLOAD_BYTES // 1000} KB。"))
        return
    try:
        file = await context.bot.get_file(document.file_id)
        data = bytes(await file.download_as_bytearray())
    except TelegramError as exc:
        logger.warning("cannot download %s: %s", name, exc)
        await reply(context, message, render.esc("下载文件失败，请再发一次。"))
        return
    date = date_of(message.caption)
    if date is not None:
        with contextlib.suppress(UnicodeDecodeError):   # not text at all: the preview says so
            data = with_date(data, date)                 # the date the admin wrote as the file's caption
    await _preview_upload(update, context, message, name, data)


async def add_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/add followed by the report's text (admins)."""
    message = update.effective_message
    if message is None or not await require_admin(update, context, "add"):
        return
    parts = text_of(message).split(None, 1)
    text = parts[1] if len(parts) > 1 else ""
    first, _, rest = text.partition("\n") if "\n" in text else text.partition(" ")
    date = date_of(first)
    if date is not None:
        text = rest                              # /add 2023-11-15 全文
    if not text.strip():
        await reply(context, message, render.esc(USAGE_ADD))
        return
    data = text.encode("utf-8")
    await _preview_upload(update, context, message, "pasted.txt", with_date(data, date) if date else data)


async def _pending(update: Update, context: ContextTypes.DEFAULT_TYPE,
                   kind: str) -> tuple[CallbackQuery, Upload, Library] | None:
    """The press of 保存/取消 on a preview still waiting, by an admin, in the chat it was sent to; anything else
    is answered and None."""
    press = await pressed(update, context, kind)
    if press is None:
        return None
    query, button, chat_id = press
    d = deps(context)
    upload = await d.store.upload(button.ref)
    library = _library(context)
    if upload is None or upload.chat_id != chat_id or library is None \
            or query.from_user.id not in d.config.admin_ids:
        await query.answer("这个预览已处理或已过期。", show_alert=True)
        return None
    return query, upload, library


async def keep_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """保存: write the upload into the library and rebuild; a report that breaks the rebuild is taken out."""
    found = await _pending(update, context, "keep")
    if found is None:
        return
    query, upload, library = found
    d, chat_id = deps(context), upload.chat_id
    await query.answer("正在保存…")
    if not await d.store.drop_upload(upload.id):
        return                                   # a second press while the first was saving
    try:
        path = await asyncio.to_thread(library.save, upload.name, upload.body, query.from_user.id)
        try:
            report = await asyncio.to_thread(d.service.reload)
        except CorpusError:
            await asyncio.to_thread(library.remove, path.stem)      # the library as it was
            raise
    except (CorpusError, LibraryError, OSError) as exc:
        await d.store.log_admin(user_id=query.from_user.id, chat_id=chat_id, command="add", allowed=True,
                                detail=f"failed {upload.name}: {exc}")
        await _say(context, query.message, f"<b>保存失败</b>：{render.esc(exc)}\n旧的索引继续服务。")
        return
    await d.store.log_admin(user_id=query.from_user.id, chat_id=chat_id, command="add", allowed=True,
                            detail=f"saved {upload.name}: {report.summary}")
    await _say(context, query.message, f"<b>已保存</b> {render.esc(upload.name)}\n{render.esc(report.summary)}")


async def cancel_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    found = await _pending(update, context, "cancel")
    if found is None:
        return
    query, upload, _ = found
    await deps(context).store.drop_upload(upload.id)
    await query.answer("已取消，没有保存。")
    await _say(context, query.message, "已取消，库里的报道没有变化。")


async def _say(context: ContextTypes.DEFAULT_TYPE, message: object, html: str) -> None:
    """Replace a preview's text (and its buttons) with what became of it."""
    if isinstance(message, Message):
        try:
            await message.edit_text(html)
        except TelegramError as exc:
            logger.info("cannot edit the preview: %s", exc)
            await reply(context, message, html)


async def reports_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reports (admins): the loaded reports, bundled or added by whom and when."""
    message = update.effective_message
    if message is None or not await require_admin(update, context, "reports"):
        return
    d = deps(context)
    library = _library(context)
    origin = {e.doc_id: e for e in library.entries()} if library else {}
    lines = ["<b>已载入的报道</b>"]
    for number, document in enumerate(d.service.index.documents, 1):
        entry = origin.get(document.doc_id)
        source = "内置" if entry is None or entry.bundled else \
            f"由 {entry.added_by} 于 {time.strftime('%Y-%m-%d %H:%M', time.localtime(entry.added_at or 0))} 添加"
        lines.append(f"{number}. 《{render.esc(document.title)}》 {render.esc(document.publisher)} "
                     f"{render.esc(document.published)}，{len(document.paragraphs)} 段，{source}")
    lines.append("删除：/remove 序号")
    await reply(context, message, "\n".join(lines))


async def remove_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/remove K (admins): asks with a button before removing report K."""
    message = update.effective_message
    if message is None or not await require_admin(update, context, "remove"):
        return
    d = deps(context)
    documents = d.service.index.documents
    args = text_of(message).split()[1:]
    number = paragraph_number(args[0]) if args else None
    if number is None or number > len(documents) or _library(context) is None:
        await reply(context, message, render.esc(f"用法：/remove 序号（1–{len(documents)}，见 /reports）。"))
        return
    document = documents[number - 1]
    if len(documents) == 1:
        await reply(context, message, render.esc("这是库里唯一的报道，不能删除。"))
        return
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(
        "确认删除", callback_data=d.buttons.remove(document.doc_id, message.chat_id))]])
    await reply(context, message, f"要删除《{render.esc(document.title)}》吗？内置报道会被隐藏，不会删除文件。",
                keyboard)


async def remove_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    press = await pressed(update, context, "remove")
    if press is None:
        return
    query, button, chat_id = press
    d = deps(context)
    library = _library(context)
    doc_id = find_document(d.service.index.documents, button.arg)
    if library is None or doc_id is None or query.from_user.id not in d.config.admin_ids:
        await query.answer("这篇报道已不在库里。", show_alert=True)
        return
    await query.answer("正在删除…")
    try:
        entry = await asyncio.to_thread(library.remove, doc_id)
        report = await asyncio.to_thread(d.service.reload)
    except (CorpusError, LibraryError, OSError) as exc:
        await _say(context, query.message, f"<b>删除失败</b>：{render.esc(exc)}\n旧的索引继续服务。")
        return
    await d.store.log_admin(user_id=query.from_user.id, chat_id=chat_id, command="remove", allowed=True,
                            detail=f"{'hid' if entry.bundled else 'deleted'} {doc_id}: {report.summary}")
    await _say(context, query.message, f"<b>已删除</b>《{render.esc(doc_id)}》\n{render.esc(report.summary)}")


# The library's commands by name (bot.app wires them beside bot.handlers.COMMANDS).
COMMANDS = {"add": add_command, "reports": reports_command, "remove": remove_command}
