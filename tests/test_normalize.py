"""Normalisation: what a reader types and what the report says meet in one form."""

from __future__ import annotations

import pytest

from index.dates import annotate, resolve
from index.normalize import normalize


@pytest.mark.parametrize("raw, expected", [
    ("小米汽車什麼時候上市", "小米汽车什么时候上市"),
    ("ＳＵ７　２月", "su7 2月"),
    ("小米 汽车", "小米汽车"),
    ("二〇二四年", "2024年"),
    ("十五万辆", "15万辆"),
    ("三十万", "30万"),
    ("十二月", "12月"),
    ("第一", "第1"),
    ("一直以来", "一直以来"),
    ("一期 二期", "一期二期"),
    ("百公里加速", "百公里加速"),
    ("<b>小米</b>", "小米"),
    ("a&amp;b", "a&b"),
    ("小米\x00汽车\u200b", "小米汽车"),
    ("", ""),
])
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_never_raises_on_odd_text() -> None:
    for text in ("\ud800", "😀" * 50, "𠀀𠀁", "\x00" * 10, "<" * 100, "&#0;", "ا" * 20):
        assert isinstance(normalize(text), str)


@pytest.mark.parametrize("expression, published, expected", [
    ("明年2月", "2023-11", "2024年2月"),
    ("明年开年（2月）", "2023-11", "2024年2月"),
    ("下个月", "2023-11", "2023年12月"),
    ("下个月", "2023-12", "2024年1月"),
    ("今年年底", "2023-11", "2023年底"),
    ("去年", "2023", "2022年"),
])
def test_relative_dates(expression: str, published: str, expected: str) -> None:
    assert resolve(expression, published) == expected


def test_annotate_keeps_the_original_and_adds_the_date() -> None:
    assert annotate("明年2月上市", "2023-11") == "明年2月〔即2024年2月〕上市"
    assert annotate("明年2月上市", "") == "明年2月上市"
    assert annotate("去年8.13機場事件", "2020-08") == "去年〔即2019年〕8.13機場事件"      # a month only with 月
    assert annotate("下個月開幕", "2020-08") == "下個月〔即2020年9月〕開幕"


def test_segmentation_does_not_depend_on_the_hash_seed() -> None:
    # jieba derives a new word's frequency from the words added before it, so the
    # rule words must be added in a fixed order, not a set's (seeded) order.
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    code = ("from index.rules import load_rules, BUNDLED_RULES_DIR\n"
            "from index.tokenize import Tokenizer\n"
            "base = Tokenizer(load_rules(BUNDLED_RULES_DIR))\n"
            "a = base.with_words(base.new_words(['闭门会', '供应商']))\n"
            "print([w.text for w in a.words('闭门会上讲的东西供应商能往外说吗')])\n")
    outputs = {subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
                              env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout
               for seed in ("1", "3", "5")}
    assert len(outputs) == 1 and next(iter(outputs)).strip()


def test_the_traditional_shenme_is_the_simplified_one() -> None:
    assert normalize("那名女生叫甚麼名字？為甚麽") == "那名女生叫什么名字?为什么"    # not 甚么: no question word
    assert normalize("甚至") == "甚至"
