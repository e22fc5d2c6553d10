"""Reading a Telegram message: its text, the question addressed to the bot, the forum topic, a paragraph number.

Pure functions of the update (no network, no storage), so that bot.handlers stays thin.  Entity offsets are
UTF-16; a lone surrogate a client can send is replaced so that offsets still hold.
"""

from __future__ import annotations

import re
import unicodedata

from telegram import Message, MessageEntity
from telegram.constants import ChatType

from bot.service import ReportService
from index.reply import Answer

_ASK = re.compile(r"^/ask(?:@(\w+))?(?:\s+|$)", re.I)

def thread_of(message: Message) -> int:
    """The forum topic a message belongs to (0: no topic); reply chains in plain groups are not topics."""
    return (message.message_thread_id or 0) if message.is_topic_message else 0


def is_group(message: Message) -> bool:
    return message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def _remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Remove UTF-16 (offset, length) spans from ``text`` (entity offsets are UTF-16)."""
    data = text.encode("utf-16-le")
    for offset, length in sorted(spans, reverse=True):
        data = data[:2 * offset] + data[2 * (offset + length):]
    return data.decode("utf-16-le")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    return _LONE_SURROGATE.sub("\ufffd", text)


def text_of(message: Message) -> str:
    """The message's text with lone surrogates (invalid UTF-16 a client can send, which nothing can encode)
    replaced by U+FFFD: one UTF-16 unit for one, so entity offsets still hold.  Every handler reads text here."""
    return without_lone_surrogates(message.text or "")


def _utf16_slice(text: str, offset: int, length: int) -> str:
    return text.encode("utf-16-le")[2 * offset: 2 * (offset + length)].decode("utf-16-le", "replace")


def clean_question(text: str) -> str:
    # Punctuation left around a removed mention ("@Bot，售价多少") is not part of the question.
    return re.sub(r"^[\s,，:：;；、]+|\s+$", "", re.sub(r"\s{2,}", " ", text))


def mention_question(message: Message, bot_id: int, username: str) -> str | None:
    """The question of a message that @mentions the bot (entities, case-insensitive), mention removed."""
    text = text_of(message)
    spans = []
    for entity in message.entities or ():
        if (entity.type == MessageEntity.MENTION
                and _utf16_slice(text, entity.offset, entity.length).lower() == f"@{username}".lower()) or \
                (entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id):
            spans.append((entity.offset, entity.length))
    if spans:
        return clean_question(_remove_spans(text, spans))
    if message.entities:
        return None      # Telegram marked up the message and none of it mentions us
    # A server that sends no entities at all (some self-hosted or test servers): find the mention in the text.
    found = re.search(rf"@{re.escape(username)}(?![A-Za-z0-9_])", text, re.IGNORECASE)
    return clean_question(text[:found.start()] + text[found.end():]) if found else None


def replies_to_bot(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != bot_id:
        return False
    # In a forum every topic message "replies" to the topic's first message; that is not addressing us.
    return not (message.is_topic_message and replied.message_id == message.message_thread_id)


def ask_question(text: str, username: str) -> str | None:
    """The question after ``/ask`` or ``/ask@BotName``; None if not an /ask for this bot."""
    match = _ASK.match(text)
    if not match or (match.group(1) and match.group(1).lower() != username.lower()):
        return None
    return clean_question(text[match.end():])


def group_question(message: Message, bot_id: int, username: str) -> str | None:
    """The question of a group message addressed to the bot, or None when it is not addressed."""
    text = text_of(message)
    if (question := ask_question(text, username)) is not None:
        return question
    if (question := mention_question(message, bot_id, username)) is not None:
        return question
    if replies_to_bot(message, bot_id):
        return clean_question(text)
    return None


def paragraph_number(raw: str) -> int | None:
    """'3', '３', '第3段' -> 3."""
    match = re.fullmatch(r"第?\s*(\d{1,6})\s*段?", unicodedata.normalize("NFKC", raw).strip())
    return int(match.group(1)) if match else None


def example_questions(service: ReportService) -> list[str]:
    """Example questions for /start and usage hints: those of the loaded reports' knowledge files."""
    return list(service.index.examples[:3])


def cited(answer: Answer) -> list[str]:
    return [f"{item.document_id}#{item.paragraph}" for item in answer.items]
