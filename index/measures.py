"""Measure words: which one a question counts with, and whether a text gives a count with it.

Chinese counts with a measure word between the number and the noun (三辆车,
五名员工, 两宗个案).  A question asking how many of something says which
measure word its answer takes (几辆, 多少名, 几岁), and a sentence that answers
it gives a number with that measure word, or with one used for the same kind of
thing (people: 人/名/位; cases: 宗/起/例/件 …).  A reader asking a count the
report does not give meets the report's words about the thing counted in a
sentence with no such count: one of the decision's features (index/decide.py).

General grammar of Chinese only, nothing about any report.  (index.units finds the unit a figure is asked in
for the answer line; this module counts for the decision and the ranking.  Used for both, the units' reading
declined fewer near-topic questions out of fold, 0.150 against 0.185 on the 70 development reports: merging the
two, measured, is open work.)
"""

from __future__ import annotations

import re

# Measure words (and a few units) a count is given with; 个 is the general one.
MEASURE_WORDS = ("辆台人名位个家款座栋幢条所项种次件套份只头吨集场届层页首部本张册卷枚颗根块片级轮局户间艘架列"
                 "匹支把双对封篇门期例起宗笔批趟班岁元瓶箱袋包盒杯碗斤米倍")
LONGER_UNITS = ("公斤", "公里", "平方米", "千克", "公升")
# Measure words that count the same kind of thing: a count given with one answers a question asking with another.
SAME_KIND = ("人名位个员", "宗起例件次", "栋幢座", "元块", "只头匹条", "辆台部架艘")
# A question counting with a measure word: 几辆, 多少名, 几个 + noun (not 哪几个, 好几个: they ask which ones).
_COUNTED = re.compile(r"(?<![哪好])(?:多少|几)(个)?([\u4e00-\u9fff]{1,3})")
# Asked an age: 几岁, 多大年纪, 今年多大 (not 有多大: a size).
_AGE = re.compile(r"几岁|多少岁|多大(?:年纪|岁数)|(?:今年|现在|当时|那年)多大|多大了|年龄|年纪|岁数")
_AGE_GIVEN = re.compile(r"年龄|出生|生于|年纪")
_NUMBER = r"(?:\d+(?:\.\d+)?|[几数上两][十百千万]*)\s*(?:万|千|百|亿)?\s*(?:多|余)?\s*"


def asked_measure(question: str) -> str | None:
    """The measure word a (normalised) question counts with, 个 when it counts with the general one, "岁" when
    it asks an age; None when it asks no count of a kind."""
    if _AGE.search(question):
        return "岁"
    counted = _COUNTED.search(question)
    if counted is None:
        return None
    after = counted.group(2)
    unit = next((u for u in LONGER_UNITS if after.startswith(u)), None)
    if unit is None and after[0] in MEASURE_WORDS:
        unit = after[0]
    if unit is None and counted.group(1):
        unit = "个"
    return unit


def gives_count(measure: str, text: str) -> bool:
    """Whether a text (its numerals as digits: index.clauses.valued) gives a number with this measure word or
    one of the same kind; for 个, with any measure word; for an age, also 年龄/出生 (born in a year)."""
    if measure == "个":
        return re.search(_NUMBER + f"[{MEASURE_WORDS}]", text) is not None
    if measure == "岁" and _AGE_GIVEN.search(text):
        return True
    kind = next((group for group in SAME_KIND if measure in group), measure)
    words = [measure] if len(measure) > 1 else list(kind)
    return any(re.search(_NUMBER + re.escape(word), text) for word in words)
