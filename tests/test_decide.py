"""The decision's answer-kind evidence (index/decide.py), on sentences written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import build_index, load_corpus
from index.decide import FEATURES, lacks_value, load_model, person_unnamed

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
    # asked which day: a year or a month does not say it, a date, a weekday or 当天 does
    ("大会是哪一天开的", "大会于2014年召开。", 1.0),
    ("大会是几号开的", "大会于去年5月召开。", 1.0),
    ("大会是哪一天开的", "大会于2014年5月3日召开。", 0.0),
    ("大会是星期几开的", "大会于5月的第一个星期六召开。", 0.0),
    ("大会是哪天开的", "大会当天下午召开。", 0.0),
    ("会开了几天", "大会于2014年召开，开了三天。", 0.0),                # how long, not which day
])
def test_a_value_asked_and_not_given_is_evidence_against_answering(index, question: str, sentence: str,
                                                                   lacking: float) -> None:
    assert lacks_value(index.analyze(question), sentence, index) == lacking


def test_the_day_asked_may_be_given_elsewhere_in_the_paragraph(index) -> None:
    question = index.analyze("大会是哪一天开的")
    assert lacks_value(question, "大会于2014年召开。", index, "5月3日上午，会场外排起长队。大会于2014年召开。") == 0.0


@pytest.mark.parametrize(("question", "paragraph", "unnamed"), [
    ("那名学生叫什么名字", "一名学生在食堂吃出了异物。", 1.0),      # the report leaves the person unnamed
    ("那名学生叫什么名字", "学生王建国在食堂吃出了异物。", 0.0),
    ("给员工出主意的律师叫什么名字", "陈议律师说，员工应申请仲裁。", 0.0),   # the name before the role
    ("投诉人是谁", "据投诉人冠某等人介绍，工资被拖欠。", 0.0),          # surname + 某 is the name given
    ("发照片的网友叫什么", "发照片的网友“青青河边草”说，车停在路边。", 0.0),  # a handle in quotes
    ("那名协警叫什么名字", "派出所的协警也骑了这辆摩托车跟随。王明说他看见了。", 1.0),  # a name, not beside it
    ("副召集人是谁", "会后副召集人何仲传和委员表示，问题已有改善。", 0.0),  # a name the dictionary lacks
    ("那位局长叫什么名字", "局长都不知道此事。", 1.0),                  # 都 is no surname here
    ("店员唱的是谁的歌", "店员抱着吉他唱起了Bob Dylan的歌。", 0.0),  # not asked by a role
    ("学生在哪个食堂吃出了异物", "一名学生在食堂吃出了异物。", 0.0),  # no name asked
])
def test_the_name_of_a_role_the_report_leaves_unnamed_is_evidence_against_answering(
        index, question: str, paragraph: str, unnamed: float) -> None:
    assert person_unnamed(index.analyze(question), paragraph, index) == unnamed


def test_the_fitted_model_counts_an_unnamed_person_against_answering() -> None:
    assert load_model().weights[FEATURES.index("person_unnamed")] < 0


def test_the_fitted_model_counts_a_missing_value_against_answering() -> None:
    model = load_model()
    assert model.weights[FEATURES.index("value_missing")] < 0


def test_a_missing_single_character_is_not_named_beside_longer_words(index) -> None:
    from index.decide import missing_words
    named = missing_words(index.analyze("工厂的绿化率定了吗"), index.terms[0])
    assert "绿化率" in named and "定" not in named
    assert "钱" in missing_words(index.analyze("车多少钱"), index.terms[0])    # no longer word to name instead


def test_the_fitted_model_counts_a_missing_count_against_answering() -> None:
    assert load_model().weights[FEATURES.index("count_missing")] < 0


@pytest.mark.parametrize("question, paragraph, missing", [
    ("仓库里停着几辆叉车？", "仓库门口停着叉车，工人正在装货。", 1.0),
    ("仓库里停着几辆叉车？", "仓库门口停着三辆叉车。", 0.0),
    ("仓库几点开门？", "仓库门口停着叉车。", 0.0),          # no count asked: the value feature's business
    ("工期有几年？", "工期很长。", 0.0),                    # a span of time is given in too many forms
])
def test_a_count_asked_and_not_given_is_evidence_against_answering(question: str, paragraph: str,
                                                                   missing: float, index) -> None:
    from index.decide import count_missing
    assert count_missing(index.analyze(question), paragraph, index) == missing


def test_a_report_of_one_paragraph_holding_the_question_is_evidence_for_answering(tmp_path: Path) -> None:
    """BM25Okapi's idf is negative for every term of a one-paragraph report; the decision's bigram evidence uses a
    smoothed idf, so a question whose words all stand in that paragraph meets its full score, not a negative one."""
    from index.decide import evidence
    report = tmp_path / "flash.md"
    report.write_text("---\ntitle: 快讯\n---\n\n星河播客应用近日从应用商店下架，用户无法再搜索到该应用。"
                      "星河公司称，下架是应监管部门的要求。\n", encoding="utf-8")
    one = build_index(load_corpus(report))
    def weighed(text: str):
        question = one.analyze(text)
        return evidence(question, one.candidates(question, 12), one)
    holding, unrelated = weighed("星河播客应用是应谁的要求下架的？"), weighed("星河播客的会员费一年多少钱？")
    assert 0 <= unrelated.relative < holding.relative <= 1.5
    assert 0 <= unrelated.bigrams < holding.bigrams


def test_another_report_in_the_library_leaves_the_bigram_evidence_alone(tmp_path: Path) -> None:
    """The question's bigrams are weighed by their rarity within the best paragraph's own report."""
    from index.decide import evidence
    first, other = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text("---\ntitle: 甲\n---\n\n星河大桥去年动工，预计明年通车。\n\n"
                     "星河大桥全长三公里，总投资二十亿元。\n", encoding="utf-8")
    other.write_text("---\ntitle: 乙\n---\n\n大桥旁新开一家面馆。\n\n面馆老板说，明年要开分店。\n", encoding="utf-8")
    alone, together = build_index(load_corpus(first)), build_index(load_corpus(tmp_path))
    found = []
    for index in (alone, together):
        question = index.analyze("星河大桥明年能通车吗")
        found.append(evidence(question, index.candidates(question, 12), index))
    assert found[0].bigrams == pytest.approx(found[1].bigrams)
    assert found[0].relative == pytest.approx(found[1].relative)
