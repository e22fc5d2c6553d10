"""Words of the same meaning (index/related.py, the thesaurus Cilin) and what they change in an answer.

The pairs below are ordinary Chinese synonyms a reader and a writer swap (checked in a dictionary, not read off
the program); the small report is written here so that the only way to its answer is the synonym.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import build_index, load_corpus
from index.answer import Answerer
from index.related import related_words

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("asked", "written"), [("原谅", "谅解"), ("期限", "限期"), ("年纪", "年龄"), ("全名", "姓名")])
def test_synonyms_of_general_chinese_are_related(asked: str, written: str) -> None:
    assert written in related_words(asked)
    assert asked in related_words(written)


def test_single_characters_and_unknown_words_have_no_relations() -> None:
    assert not any(len(word) < 2 for word in related_words("年纪"))     # 年, 岁 stand for too many senses
    assert related_words("年") == ()
    assert related_words("小米汽车") == ()
    assert related_words("") == ()


REPORT = """---
title: 某校教师体罚学生事件通报
publisher: 测试日报
published: 2018-05-02
---

# 某校教师体罚学生事件通报

县教育局5月1日通报，某校一名教师在课堂上体罚学生，已被停职检查。

经调解，学生家长已对学校表示谅解，双方签订了和解协议。

县教育局要求该校限期一个月完成整改，并在全县开展师德教育。
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    seeds = tmp_path_factory.mktemp("seeds")
    shutil.copytree(ROOT / "seeds" / "rules", seeds / "rules")
    (seeds / "notice.md").write_text(REPORT, encoding="utf-8")
    return Answerer(build_index(load_corpus(seeds)))


@pytest.mark.parametrize(("question", "paragraph"), [("家长原谅学校了吗", 2), ("学校整改的期限是多久", 3)])
def test_a_question_in_other_words_of_the_same_meaning_is_answered(answerer: Answerer, question: str,
                                                                  paragraph: int) -> None:
    answer = answerer.answer(question)
    assert answer.answered, answer.message
    assert answer.items[0].paragraph == paragraph
    assert "没有提到" not in answer.message


def test_without_the_thesaurus_package_there_are_no_relations(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from index import related
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    related.thesaurus.cache_clear()
    related.related_words.cache_clear()
    try:
        assert related.related_words("原谅") == ()
    finally:
        monkeypatch.undo()
        related.thesaurus.cache_clear()
        related.related_words.cache_clear()
    assert "谅解" in related.related_words("原谅")
