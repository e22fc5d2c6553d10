"""Engine answers as Telegram HTML, split into messages, with their buttons.

Everything that comes from a report or a user goes through ``html.escape``, so
Telegram never answers "can't parse entities".  ``split_html`` cuts long replies
at paragraph, line or sentence boundaries and closes and reopens the tags
around each cut, so no message is cut inside a tag.  Button ``callback_data``
is signed and bound to its chat (bot.buttons).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import ButtonSigner
from index.compose import AnswerItem
from index.dates import annotate
from index.reply import CONFLICT_HEAD, CONFLICT_TAIL, Answer, conflict_groups

MAX_MESSAGE = 4096


def esc(text: object) -> str:
    return escape(str(text), quote=False)


# --------------------------------------------------------------------------- answers

def answer_html(answer: Answer) -> str:
    """The whole reply to one question, as Telegram HTML."""
    if not answer.answered or not answer.items:
        return esc(answer.message)
    blocks: list[str] = []
    if answer.corrections_text:
        blocks.append(f"<i>{esc(answer.corrections_text)}</i>")
    if answer.caveat_text:
        blocks.append(f"<i>{esc(answer.caveat_text)}</i>")
    if answer.lead_line:
        blocks.append(f"<b>{esc(answer.lead_line)}</b>")
    for number, item in enumerate(answer.items, 1):
        blocks.append(item_html(answer, item, number))
    if answer.conflict:
        blocks.append(conflict_html(answer))
    return "\n\n".join(blocks)


def item_html(answer: Answer, item: AnswerItem, number: int | None = None) -> str:
    best = answer.best_claim(item)
    head = f"{number}. " if number is not None else ""
    lines = [f"<b>{head}{esc(answer.where(item))}</b>｜{esc(answer.label(best))}：{esc(best.source)}"]
    quote = []
    for claim in item.claims:
        text = esc(annotate(claim.text, getattr(item, "published", "")))
        if (claim.tier, claim.source) != (best.tier, best.source):
            text = f"<i>〔{esc(answer.label(claim))}：{esc(claim.source)}〕</i>{text}"
        quote.append(text)
    lines.append(f"<blockquote>{''.join(quote)}</blockquote>")
    return "\n".join(lines)


def conflict_html(answer: Answer) -> str:
    parts = [f"<b>{esc(label)}</b>："
             + "、".join(f"{esc(source)}（{esc('、'.join(where))}）" for source, where in sources)
             for label, sources in conflict_groups(answer)]
    return f"⚠ <b>{CONFLICT_HEAD}</b>——" + "；".join(parts) + "。" + CONFLICT_TAIL


def paragraph_html(index: object, doc_id: str, number: int) -> str | None:
    """Paragraph ``number`` of document ``doc_id`` in full, each sentence with its source; None if absent."""
    paragraph = index.paragraph(number, doc_id)  # type: ignore[attr-defined]
    if paragraph is None:
        return None
    document = index.document(doc_id)  # type: ignore[attr-defined]
    labels = index.rules.sources.tier_labels  # type: ignore[attr-defined]
    title = f"《{esc(document.title)}》" if document is not None and document.title else ""
    lines = [f"<b>{title}第{paragraph.number}段</b>"]
    if paragraph.section:
        lines.append(f"<i>{esc(paragraph.section)}</i>")
    if paragraph.claims:
        for claim in paragraph.claims:
            lines.append(f"{esc(claim.text)}\n<i>——{esc(labels.get(claim.tier, claim.tier))}：{esc(claim.source)}</i>")
    else:
        lines.append(esc(paragraph.text))
    return "\n".join(lines)


def about_html(index: object) -> str:
    """What the bot knows: the reports it has read."""
    documents = index.documents  # type: ignore[attr-defined]
    total = sum(len(d.paragraphs) for d in documents)
    lines = [f"我读过 {len(documents)} 篇报道，共 {total} 段："]
    for document in documents:
        meta = "，".join(esc(x) for x in (document.publisher, document.published) if x)
        lines.append(f"• 《{esc(document.title)}》{f'（{meta}）' if meta else ''}，{len(document.paragraphs)} 段")
    return "\n".join(lines)


# --------------------------------------------------------------------------- buttons

def answer_keyboard(answer: Answer, query_id: int, signer: ButtonSigner, chat_id: int, *,
                    more: bool = True) -> InlineKeyboardMarkup | None:
    """更多 / 原文·第N段 / 👍 / 👎 under an answer in ``chat_id``; None for a reply that is not an answer."""
    if not answer.answered or not answer.items:
        return None
    originals = [InlineKeyboardButton(f"原文·第{item.paragraph}段",
                                      callback_data=signer.source(item.document_id, item.paragraph, chat_id))
                 for item in answer.items]
    last = [InlineKeyboardButton("👍", callback_data=signer.vote(query_id, True, chat_id)),
            InlineKeyboardButton("👎", callback_data=signer.vote(query_id, False, chat_id))]
    if more:
        last.insert(0, InlineKeyboardButton("更多", callback_data=signer.more(query_id, chat_id)))
    return InlineKeyboardMarkup([originals, last])


def examples_keyboard(questions: Sequence[str], signer: ButtonSigner, chat_id: int) -> InlineKeyboardMarkup | None:
    if not questions:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(q, callback_data=signer.example(i, chat_id))]
                                 for i, q in enumerate(questions)])


# --------------------------------------------------------------------------- splitting

_ATOM = re.compile(r"<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|.", re.S)
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z][a-zA-Z0-9-]*)")
_SENTENCE_END = set("。！？!?；;…")
_CLOSERS = set("”」』）)")
# Cut priorities: after a blank line, after a line break, after a sentence, anywhere.
_PARAGRAPH, _LINE, _SENTENCE, _ANY = 3, 2, 1, 0


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _visible(html: str) -> str:
    return re.sub(r"<[^>]*>", "", html)


def split_html(html: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split ``html`` into messages of at most ``limit`` UTF-16 units (raw markup counted, so
    the parsed text is shorter still), preferring paragraph, then line, then sentence
    boundaries; tags open at a cut are closed before it and reopened after it."""
    if utf16_len(html) <= limit:
        return [html] if _visible(html).strip() else []
    atoms = _ATOM.findall(html)
    chunks: list[str] = []
    stack: tuple[tuple[str, str], ...] = ()       # (name, opening tag) of the tags open at the start
    start = 0
    while start < len(atoms):
        prefix = "".join(raw for _, raw in stack)
        cost = utf16_len(prefix)
        current = list(stack)
        cuts: list[tuple[int, int, int, tuple[tuple[str, str], ...]]] = []   # priority, end, cost, open tags
        i = start
        while i < len(atoms):
            atom = atoms[i]
            opened = list(current)
            if atom.startswith("<") and len(atom) > 1:
                name_match = _TAG_NAME.match(atom)
                name = name_match.group(1).lower() if name_match else ""
                if atom.startswith("</"):
                    if opened and opened[-1][0] == name:
                        opened.pop()
                elif not atom.endswith("/>"):
                    opened.append((name, atom))
            closing = sum(len(name) + 3 for name, _ in opened)
            if cost + utf16_len(atom) + closing > limit and i > start:
                break
            cost += utf16_len(atom)
            current = opened
            i += 1
            following = atoms[i] if i < len(atoms) else ""
            if atom == "\n" and following == "\n":
                continue           # cut after the blank line, not inside it
            if atom == "\n":
                priority = _PARAGRAPH if i >= 2 and atoms[i - 2] == "\n" else _LINE
            elif (atom in _SENTENCE_END or atom in _CLOSERS) and following not in _CLOSERS \
                    and following not in _SENTENCE_END:
                priority = _SENTENCE
            else:
                priority = _ANY
            cuts.append((priority, i, cost, tuple(current)))
        if i >= len(atoms):
            end, after = len(atoms), tuple(current)
        else:
            end, after = _best_cut(cuts, limit)
        body = prefix + "".join(atoms[start:end]) + "".join(f"</{name}>" for name, _ in reversed(after))
        if _visible(body).strip():
            chunks.append(body)
        start, stack = end, after
    return chunks


def _best_cut(cuts: list[tuple[int, int, int, tuple[tuple[str, str], ...]]],
              limit: int) -> tuple[int, tuple[tuple[str, str], ...]]:
    """The latest cut of the best kind that still fills at least half a message."""
    for priority in (_PARAGRAPH, _LINE, _SENTENCE):
        usable = [c for c in cuts if c[0] >= priority and c[2] >= limit // 2]
        if usable:
            _, end, _, opened = usable[-1]
            return end, opened
    _, end, _, opened = cuts[-1]
    return end, opened


def render_messages(html: str, limit: int = MAX_MESSAGE) -> list[str]:
    return split_html(html, limit) or [esc("（空）")]
