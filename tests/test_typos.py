"""Typos read as the library's words (index/typos.py, ReportIndex.analyze): the sound-alikes that are not typos.

On a library of many encyclopaedia articles, two characters of the same sound as one of its thousands of words
happen by chance; the cases here were met in the public reading-comprehension sample (涞滩镇 → 探针, 吊钟花 → 中华,
进季后赛 → 经济) and are rebuilt on a small library written for this test.
"""

from __future__ import annotations

import pytest

from tests.conftest import small_library

REPORT = """研究所新购入的探针价格为五千元，由王明负责保管。

当地经济发展很快，今年新建了两座中华风格的公园。

兰州市出租车起步价为7元，厂房已通过验收。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    return small_library(tmp_path_factory.mktemp("seeds"), REPORT)


@pytest.mark.parametrize("question", [
    "涞滩镇的面积是多少平方公里",     # 滩镇 sounds like 探针, which no paragraph says beside 面积 or 平方公里
    "湖人队今年能进季后赛吗",         # 进季 would cut 季后赛, a word of general Chinese
    "吊钟花的花朵是什么颜色",         # 钟花 would cut 吊钟
])
def test_chance_sound_alikes_are_not_read_as_typos(index, question: str) -> None:
    assert index.analyze(question).corrections == ()


@pytest.mark.parametrize(("question", "typo", "word"), [
    ("出租车起布价是多少", "起布价", "起步价"),   # three characters: seldom by chance
    ("厂房通过严收了没", "严收", "验收"),         # two, said beside 厂房 in the library
])
def test_typos_of_the_librarys_words_are_still_read_as_them(index, question: str, typo: str, word: str) -> None:
    assert dict(index.analyze(question).corrections) == {typo: word}
