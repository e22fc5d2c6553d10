"""The decision's answer-kind evidence (index/decide.py), on sentences written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import build_index, load_corpus
from index.decide import FEATURES, lacks_name, lacks_value, load_model

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def index():
    return build_index(load_corpus(ROOT / "seeds"))


@pytest.mark.parametrize(("question", "sentence", "lacking"), [
    ("他一共打了几次热线", "他多次拨打热线，无人接听。", 1.0),        # a figure asked, none given
    ("他一共打了几次热线", "他先后三次拨打热线，无人接听。", 0.0),    # 三次: a figure in words counts
    ("票价多少钱", "票价将在开通前公布。", 1.0),
    ("票价多少钱", "票价为5元。", 0.0),
    ("工厂什么时候投产", "工厂将于明年投产。", 0.0),
    ("厂长是谁", "厂长没有出面。", 0.0),                               # no value asked: nothing lacking
])
def test_a_value_asked_and_not_given_is_evidence_against_answering(index, question: str, sentence: str,
                                                                   lacking: float) -> None:
    assert lacks_value(index.analyze(question), sentence, index) == lacking


@pytest.mark.parametrize(("question", "sentence", "lacking"), [
    ("那名学生叫什么名字", "一名学生在食堂吃出了异物。", 1.0),      # the report leaves the person unnamed
    ("那名学生叫什么名字", "学生王建国在食堂吃出了异物。", 0.0),
    ("店员唱的是谁的歌", "店员抱着吉他唱起了Bob Dylan的歌。", 0.0),  # a name in Latin letters
    ("学生在哪个食堂吃出了异物", "一名学生在食堂吃出了异物。", 0.0),  # no name asked
])
def test_a_name_asked_and_not_given_is_evidence_against_answering(index, question: str, sentence: str,
                                                                  lacking: float) -> None:
    assert lacks_name(index.analyze(question), sentence, index) == lacking


def test_the_fitted_model_counts_a_missing_value_against_answering() -> None:
    model = load_model()
    assert model.weights[FEATURES.index("value_missing")] < 0


def test_a_missing_single_character_is_not_named_beside_longer_words(index) -> None:
    from index.decide import missing_words
    named = missing_words(index.analyze("工厂的绿化率定了吗"), index.terms[0])
    assert "绿化率" in named and "定" not in named
    assert "钱" in missing_words(index.analyze("车多少钱"), index.terms[0])    # no longer word to name instead
