"""Clauses of a sentence, with their offsets in the text as written.

The answer line (index.extract) and the lines of an answer (index.lines) work on
clauses: a sentence cut at ，；：。！？ and their kin (a figure's thousands
separator or a time's colon does not cut: 41,210亿, 10:30, 7：50).  Matching is on the
text half-width and simplified, one character for one, so that an offset found
there is an offset in the report's own characters (``aligned``, ``valued``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import zhconv

# ASCII , and : end a clause except inside a figure or a time (41,210亿, 10:30); so does a full-width colon
# (晚7：50, as many outlets set a time).
_CLAUSE_END = re.compile(r"[，；。！？!?]+|;+|(?<!\d)[,:：]+|[,:：]+(?!\d)")
# Quotes, brackets and spaces: never the start or end of an answer phrase.
EDGE = "“”\"「」『』（）()《》、 "


def strip_edges(text: str) -> str:
    """The text without EDGE characters at its ends, except a bracket or quotation mark whose partner is inside
    it: 任《四库全书》 keeps its 》, “源氏萤” its quotes."""
    start, end = 0, len(text)
    while start < end and text[start] in EDGE and not _partnered(text, start, end):
        start += 1
    while end > start and text[end - 1] in EDGE and not _partnered(text, end - 1, end):
        end -= 1
    return text[start:end]


def with_partners(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` widened over the closing marks right after it whose opening mark is inside it, and the
    opening marks right before it whose closing mark is: 任《四库全书 -> 任《四库全书》."""
    while end < len(text) and text[end] in _CLOSE and _OPEN[_CLOSE.index(text[end])] in text[start:end]:
        end += 1
    while start > 0 and text[start - 1] in _OPEN and _CLOSE[_OPEN.index(text[start - 1])] in text[start:end]:
        start -= 1
    return start, end


def _partnered(text: str, at: int, end: int) -> bool:
    char = text[at]
    if char in _OPEN:
        return _CLOSE[_OPEN.index(char)] in text[at + 1: end]
    if char in _CLOSE:
        return _OPEN[_CLOSE.index(char)] in text[:at]
    return False


@dataclass(frozen=True)
class Span:
    """A piece of a claim as written, with its offsets there."""
    text: str
    start: int
    end: int


@lru_cache(maxsize=1 << 16)
def aligned(text: str) -> str:
    """The text with each character half-width and simplified where that keeps one character for one, so that
    offsets found in it are offsets in the text as written (cached: a report's sentences come back often)."""
    folded = "".join(n if len(n := unicodedata.normalize("NFKC", c)) == 1 else c for c in text)
    simple = zhconv.convert(folded, "zh-hans")
    if len(simple) != len(folded):          # a character became several: convert one at a time
        simple = "".join(s if len(s := zhconv.convert(c, "zh-hans")) == 1 else c for c in folded)
    lower = simple.lower()
    return lower if len(lower) == len(simple) else simple


_DIGITS = str.maketrans("〇零一二三四五六七八九两", "001234567892")


def digits(text: str) -> str:
    """Each Chinese numeral character a digit (八成 → 8成, 二楼 → 2楼), one character for one."""
    return text.translate(_DIGITS)


def valued(text: str) -> str:
    """``aligned`` with each Chinese numeral character a digit (八成 → 8成), for the value patterns of
    seeds/rules/intents.toml; one character for one, so offsets still hold."""
    return digits(aligned(text))


# Brackets and quotation marks that open and close.  (ASCII " opens and closes alike and is not counted.)
_OPEN, _CLOSE = "（(「『《〈“", "）)」』》〉”"
# Punctuation inside brackets and titles does not cut a clause, nor inside a quotation this short that ends no
# sentence (a quoted phrase, “减少伤害，善待地球”); other quotations are someone's speech, whose clauses answer apart.
QUOTED_PHRASE_CHARS = 16
_QUOTES = "“”「」『』"
_SHORT_QUOTE = re.compile(f"“[^“”。！？!?]{{1,{QUOTED_PHRASE_CHARS}}}”|「[^「」。！？!?]{{1,{QUOTED_PHRASE_CHARS}}}」|"
                          f"『[^『』。！？!?]{{1,{QUOTED_PHRASE_CHARS}}}』")


def _bracket_depths(text: str) -> list[int] | None:
    """How many brackets (or short quotations) are open before each character; None when one is never closed (a
    typo: cut as if there were none, rather than not at all)."""
    short = {at for m in _SHORT_QUOTE.finditer(text) for at in (m.start(), m.end() - 1)}
    depths, depth = [], 0
    for at, char in enumerate(text):
        depths.append(depth)
        if char in _QUOTES and at not in short:
            continue
        depth = depth + 1 if char in _OPEN else max(0, depth - 1) if char in _CLOSE else depth
    return depths if depth == 0 else None


@lru_cache(maxsize=1 << 14)
def clauses(text: str) -> tuple[Span, ...]:
    """The clauses of a sentence.  Punctuation inside brackets or quotation marks does not cut: a gloss (学名：…;
    英语：…, …) belongs to the clause it glosses, a title or a quoted phrase (「减少伤害，善待地球」) is whole."""
    depths = _bracket_depths(text) if any(c in _OPEN for c in text) else None
    spans, start = [], 0
    for match in _CLAUSE_END.finditer(text):
        if depths is not None and depths[match.start()] > 0:
            continue
        if match.start() > start:
            spans.append(Span(text[start:match.start()], start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append(Span(text[start:], start, len(text)))
    return tuple(s for s in spans if s.text.strip(EDGE))


def figure_start(text: str, start: int) -> int:
    """Where the figure a value pattern matched inside of starts: "27千兆瓦" when a pattern found "7千"."""
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] == ","):
        start -= 1
    return start
