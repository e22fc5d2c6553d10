"""Resolving relative dates (明年2月, 下个月) against a report's publication date."""

from __future__ import annotations

import re

# Relative expression -> (years, months) from the publication month; a
# following "2月" / "（2月）" names the month of the resolved year.
_RELATIVE = {"前年": (-2, None), "去年": (-1, None), "今年": (0, None), "明年": (1, None),
             "后年": (2, None), "後年": (2, None), "上个月": (0, -1), "上個月": (0, -1), "本月": (0, 0),
             "这个月": (0, 0), "這個月": (0, 0), "下个月": (0, 1), "下個月": (0, 1)}
# A month after the expression is one only with 月 (去年8.13 is 13 August: 去年 alone is resolved).
_PATTERN = re.compile(r"(前年|去年|今年|明年|后年|後年|上个月|上個月|本月|这个月|這個月|下个月|下個月)"
                      r"(年初|开年|開年|年底|年中|上半年|下半年)?(?:[（(]?(\d{1,2})月[）)]?)?")


def _year_month(published: str) -> tuple[int, int] | None:
    match = re.match(r"^(\d{4})(?:-(\d{1,2}))?", published or "")
    if not match:
        return None
    return int(match.group(1)), int(match.group(2) or 0)


def resolve(expression: str, published: str) -> str | None:
    """明年2月 -> 2024年2月 for a report published 2023-11; None if not relative."""
    base = _year_month(published)
    match = _PATTERN.fullmatch(expression) or _PATTERN.match(expression)
    if not base or not match:
        return None
    year, month = base
    years, months = _RELATIVE[match.group(1)]
    if months is not None:
        if not month:
            return None
        total = year * 12 + (month - 1) + months
        return f"{total // 12}年{total % 12 + 1}月"
    year += years
    part, named_month = match.group(2) or "", match.group(3)
    if named_month and match.group(0).rstrip("）)").endswith("月"):
        return f"{year}年{int(named_month)}月"
    part = {"开年": "初", "開年": "初", "年初": "初", "年底": "底", "年中": "中"}.get(part, part)
    return f"{year}年{part}"


def annotate(text: str, published: str) -> str:
    """Insert the absolute date after each relative one: 明年2月〔即2024年2月〕."""
    if not _year_month(published):
        return text

    def add(match: re.Match[str]) -> str:
        absolute = resolve(match.group(0), published)
        return f"{match.group(0)}〔即{absolute}〕" if absolute else match.group(0)

    return _PATTERN.sub(add, text)


# Asked which day (哪天, 几号, 星期几), a sentence answers only with a day: a year or a month alone does not say it.
# Patterns over normalised text (simplified, Chinese numerals as digits).  Not 几天 / 多少天, which ask how long.
DAY_ASKED = re.compile(r"哪[一几个]?[天日]|何日|几月几[日号]|\d{1,2}月几[日号]|几号|星期几|周几|礼拜几|什么日子")
DAY_GIVEN = re.compile(r"(?:\d{1,2}|[卅廿])\s*[日号]|[初廿]\s*\d|[周星期礼拜][一二三四五六日天末1-7]|星期|礼拜"
                       r"|[今昨前明后翌当次同即本隔]天|[今昨前翌当次同]日|[今昨前明当]晚|当夜|[今昨明]早|[今昨明]晨"
                       r"|\d{1,2}[/.-]\d{1,2}|元旦|除夕|春节|元宵|清明|端午|中秋|重阳|国庆|圣诞|平安夜|母亲节|父亲节|情人节")


def lacks_day(question: str, text: str) -> bool:
    """Whether a question asking which day meets a text naming none (2014年 for 哪一天)."""
    return bool(DAY_ASKED.search(question)) and not DAY_GIVEN.search(text)
