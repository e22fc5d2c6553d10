"""The unit a 多少/几 question asks a figure in, and whether a text gives a figure in it.

"小米首款车快充是多少伏的" asks for volts: a figure in 伏 (or V) answers it, a date
in the same sentence does not.  Readers and writers name some units
differently (几台车 — 15万辆): those count as the same unit.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .analyze import Question
from .engine import ReportIndex

_HOW_MANY = re.compile(r"(?:多少|几)(个|位|名|条|种|家)?([^\s，。？?！!的了吗呢]{1,3})")


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
_SAME_UNIT = ({"台", "辆", "部"}, {"人", "名", "位", "个"}, {"元", "块", "块钱"}, _LENGTHS, _WEIGHTS,
              {"伏", "伏特", "v"}, {"千瓦时", "度", "度电", "kwh"})
# 多长/多高 … ask for a length, 多重 for a weight, in whatever unit the report gives it (not 多长时间: a duration).
_DIMENSION = re.compile(r"(多长|多高|多远|多深|多宽|多厚|多重)(?!时间|时候|日子)")
_DIMENSION_UNIT = {"多长": "米", "多高": "米", "多远": "米", "多深": "米", "多宽": "米", "多厚": "米", "多重": "公斤"}


def in_unit(text: str, unit: str) -> bool:
    """Whether the text gives a figure in that unit, or one readers use for the same (台 for 辆)."""
    head = unit.lstrip("万亿千百")
    scale = unit[:len(unit) - len(head)]
    units = next((group for group in _SAME_UNIT if head in group), {head})
    scale = scale or "[万亿千百]?"
    return any(re.search(rf"\d\s*{scale}\s*[多余]?\s*{re.escape(u)}", text) for u in units)


def asked_unit(question: Question, index: ReportIndex) -> str:
    """The unit a 多少/几 question names (多少伏 → 伏, 几辆 → 辆): a value answering it is in that unit."""
    match = _HOW_MANY.search(question.normalized)
    if not match:
        dimension = _DIMENSION.search(question.normalized)
        return _DIMENSION_UNIT[dimension.group(1)] if dimension else ""
    patterns = tuple(p for kind in ("quantity", "money") if kind in index.rules.intents
                     for p in index.rules.intents[kind].answer)
    return _unit_of(match.group(2), patterns)
