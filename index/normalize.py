"""Text normalisation shared by indexing and querying.

Whatever a reader types and whatever the report says go through the same
function, so that matching never depends on how a character was entered:
full-width letters and digits become half-width (NFKC), traditional characters
become simplified (甚麼 the 什么 it stands for), ASCII is lower-cased, stray spaces between Chinese characters
disappear, and Chinese numerals that denote quantities become Arabic digits.
"""

from __future__ import annotations

import html
import re
import unicodedata

import zhconv

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL_RUN = re.compile(r"[零〇○一二两三四五六七八九十百千]+")
# A single digit character is only a number when a counting unit follows it;
# otherwise 一直, 一期, 统一 and friends would be mangled.
_SINGLE_DIGIT_UNITS = "月号日万亿辆元年岁款家座台栋次倍项种"
_CJK = r"\u3400-\u9fff\U00020000-\U0002ffff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
# Control and format characters (NUL, zero-width space) and lone surrogates carry no text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202f\u2060\ufeff\ud800-\udfff]")


def chinese_numeral_value(run: str) -> int | None:
    """Value of a run like 十五, 二十三, 一百零八 or 二〇二四; None if malformed."""
    if all(ch in _DIGITS for ch in run):
        if len(run) == 1:
            return _DIGITS[run]
        return int("".join(str(_DIGITS[ch]) for ch in run))
    total, digit = 0, None
    for ch in run:
        if ch in _DIGITS:
            if digit is not None and _DIGITS[ch] != 0:
                return None
            digit = _DIGITS[ch] or None
        else:
            unit = _UNITS[ch]
            total += (digit if digit is not None else 1) * unit
            digit = None
    return total + (digit or 0)


def _numerals_to_digits(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        run = match.group(0)
        after = text[match.end(): match.end() + 1]
        before = text[match.start() - 1: match.start()] if match.start() else ""
        positional = any(ch in _UNITS for ch in run)
        unit_follows = bool(after) and after in _SINGLE_DIGIT_UNITS
        if len(run) == 1 and not unit_follows and before != "第":
            return run  # 一直, 统一, 百公里: a lone numeral character is a number only before a unit
        if run == "一" and before == "哪":
            return run  # 哪一年, 哪一天: "which", no count of one
        if not positional and len(run) >= 2 and len(set(run)) == 1 and run[0] in "一两":
            return run  # 一一, 两两: idioms, not numbers
        value = chinese_numeral_value(run)
        return run if value is None else str(value)

    return _NUMERAL_RUN.sub(replace, text)


def _to_simplified(text: str) -> str:
    # 甚麼 is how Hong Kong and Taiwan write 什么; character by character it simplifies to 甚么 only.
    converted = zhconv.convert(text, "zh-hans").replace("甚么", "什么")
    if len(converted) != len(text):
        return converted
    # Keep a character whose "simplified" form lies outside the BMP (錤 -> 𫓹):
    # nobody types those, and pinyin tools do not know them.
    return "".join(o if ord(c) > 0xFFFF and ord(o) <= 0xFFFF else c for c, o in zip(converted, text, strict=True))


def normalize(text: str) -> str:
    """Canonical form used for matching (never shown to users)."""
    text = _TAG.sub(" ", html.unescape(text))       # <b>小米</b>, &amp;: markup is not a question
    text = _CONTROL.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    text = _to_simplified(text)
    text = text.lower()
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    return _numerals_to_digits(text)
