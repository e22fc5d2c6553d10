"""The unit a 多少/几 question asks a figure in, and whether a text gives a figure in it.

"小米首款车快充是多少伏的" asks for volts: a figure in 伏 (or V) answers it, a date
in the same sentence does not.  Readers and writers name some units
differently (几台车 — 15万辆): those count as the same unit.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .analyze import Question

if TYPE_CHECKING:
    from .engine import ReportIndex

# 多少 / 几 (几十: 几10 once numerals are digits), a measure word perhaps, then what is counted; not 哪几 or 好几,
# which ask which ones.
_HOW_MANY = re.compile(r"(?<![哪好])(?:多少|几)[0-9]*(个|位|名|条|种|家)?([^\s，。？?！!的了吗呢]{1,3})")


@lru_cache(maxsize=1 << 12)
def _unit_of(candidate: str, patterns: tuple[re.Pattern[str], ...]) -> str:
    """The longest start of ``candidate`` a value pattern accepts as the unit after a figure ("伏的" → 伏)."""
    for end in range(len(candidate), 0, -1):
        unit = candidate[:end]
        if any(p.fullmatch(f"1{unit}") for p in patterns):
            return unit
    return ""


# Measure words readers and writers use for the same things (一年能造多少台车 — 15万辆).
# Units of one dimension count as one: a length asked in 公里 is answered by one in 米.
_LENGTHS = {"米", "m", "公里", "km", "千米", "厘米", "cm", "公分", "毫米", "mm", "公尺", "英尺", "英寸", "吋", "英里",
            "海里", "光年", "天文单位"}
_WEIGHTS = {"公斤", "千克", "kg", "克", "g", "吨", "t", "斤", "磅", "盎司"}
_SAME_UNIT = ({"台", "辆", "部", "架", "艘"}, {"人", "名", "位", "员", "例"}, {"元", "块", "块钱"}, _LENGTHS, _WEIGHTS,
              {"伏", "伏特", "v"}, {"千瓦时", "度", "度电", "kwh"}, {"宗", "起", "例", "件", "次"}, {"栋", "幢", "座"},
              {"只", "头", "匹", "条"})
# The general measure word: a figure with any measure word answers 几个 + a noun (几个出入口 — 两座, 三道).
ANY_MEASURE = "个"
MEASURE_WORDS = ("辆台人名位个家款座栋幢条所项种次件套份只头吨集场届层页首部本张册卷枚颗根块片级轮局户间艘架列"
                 "匹支把双对封篇门期例起宗笔批趟班岁元瓶箱袋包盒杯碗道处")
# Asked an age (几岁, 多大年纪, 今年多大; not 有多大, a size): a figure in 岁 answers it.
_AGE = re.compile(r"几岁|多少岁|多大(?:年纪|岁数)|(?:今年|现在|当时|那年)多大|多大了|年龄|年纪|岁数")
# An age given otherwise: a year of birth (2013年12月出生, 1970年生; not 2013年发生), or the word itself.
_BORN = re.compile(r"\d{2,4}\s*年(?:[^，。]{0,8}?出生|生(?![产活效意长]))|生于|年龄|年纪")
# A figure, or a number given roughly (数只, 上百人, 几十辆, 两座), before a unit.
_FIGURE_BEFORE = r"(?:\d|[几数两][十百千万]*|上[十百千万]+)"
# 多长/多高 … ask for a length, 多重 for a weight, in whatever unit the report gives it (not 多长时间: a duration).
_DIMENSION = re.compile(r"(多长|多高|多远|多深|多宽|多厚|多重)(?!时间|时候|日子)")
_DIMENSION_UNIT = {"多长": "米", "多高": "米", "多远": "米", "多深": "米", "多宽": "米", "多厚": "米", "多重": "公斤"}


def in_unit(text: str, unit: str) -> bool:
    """Whether the text gives a figure in that unit, or one readers use for the same (台 for 辆)."""
    head = unit.lstrip("万亿千百")
    scale = unit[:len(unit) - len(head)]
    scale = scale or "[万亿千百]?"
    if head == "岁" and _BORN.search(text):
        return True                 # an age given by the year of birth (2013年12月出生)
    if head == ANY_MEASURE:
        return re.search(rf"{_FIGURE_BEFORE}\s*{scale}\s*[多余]?\s*[{MEASURE_WORDS}]", text) is not None
    units = set().union(*(group for group in _SAME_UNIT if head in group)) or {head}     # (例: people, or cases)
    return any(re.search(rf"{_FIGURE_BEFORE}\s*{scale}\s*[多余]?\s*{re.escape(u)}", text) for u in units)


def asked_unit(question: Question, index: ReportIndex) -> str:
    """The unit a 多少/几 question names (多少伏 → 伏, 几辆 → 辆, 多少名员工 → 名, 几个出入口 → any measure word,
    几岁 → 岁): a value answering it is in that unit."""
    if _AGE.search(question.normalized):
        return "岁"
    match = _HOW_MANY.search(question.normalized)
    if not match:
        dimension = _DIMENSION.search(question.normalized)
        return _DIMENSION_UNIT[dimension.group(1)] if dimension else ""
    patterns = tuple(p for kind in ("quantity", "money") if kind in index.rules.intents
                     for p in index.rules.intents[kind].answer)
    return _unit_of(match.group(2), patterns) or match.group(1) or ""


def asked_count(question: Question, index: ReportIndex) -> str:
    """The measure word a question counts with (几辆, 多少名, 几个 + a noun, 几岁), or "" when it asks no count of
    things: a span of time or a size (几年, 多长, 多重) is given in too many forms for its absence to say much."""
    unit = asked_unit(question, index)
    return unit if len(unit) == 1 and unit in MEASURE_WORDS else ""
