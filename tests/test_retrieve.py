"""Re-ranking by the kind of answer asked (index/retrieve.py), on a small library written for this test."""

from __future__ import annotations

from pathlib import Path

from index.retrieve import stated_kinds
from tests.conftest import small_library

REPORT = """记者在新工厂门口看到，工厂的员工多是附近村里的村民，工厂每天从市区运来原料。

新工厂位于临江市开发区，占地约500亩。
"""


def test_asked_where_the_sentence_saying_where_a_thing_is_comes_first(tmp_path: Path) -> None:
    index = small_library(tmp_path, REPORT)
    [best, *_] = index.search("新工厂在哪", 2)
    assert best.paragraph.number == 2


def test_stated_kinds_counts_a_located_thing_only_when_a_place_is_asked() -> None:
    import re
    place = [[re.compile("市|区")]]
    assert stated_kinds("工厂位于临江市开发区", place, True) == 2.0
    assert stated_kinds("工厂位于临江市开发区", place, False) == 1.0
    assert stated_kinds("工厂每天从市区运来原料", place, True) == 1.0
    assert stated_kinds("工厂每天运来原料", place, True) == 0.0
    assert stated_kinds("工厂位于临江", [], True) == 0.0
