"""The unit or measure word a question asks a figure in, and whether a text gives one (invented sentences)."""

from pathlib import Path

import pytest

from index import build_index, load_corpus
from index.clauses import valued
from index.units import asked_count, asked_unit, in_unit

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def index():
    return build_index(load_corpus(ROOT / "seeds"))


@pytest.mark.parametrize(("question", "unit"), [
    ("仓库里有几辆叉车", "辆"),
    ("会上来了多少名代表", "名"),          # the measure word itself, before the noun counted
    ("他今年几岁", "岁"),
    ("那位老师今年多大", "岁"),
    ("公园里有几个喷泉", "个"),            # the general measure word: any answers it
    ("门票多少钱", ""),                   # a sum: the money kind says that
    ("湖面有多大", ""),                   # a size, not an age
    ("哪几个城市参加了", ""),              # which ones, not how many
])
def test_the_unit_a_question_asks(index, question: str, unit: str) -> None:
    assert asked_unit(index.analyze(question), index) == unit


def test_a_span_of_time_is_no_count_of_things(index) -> None:
    assert asked_unit(index.analyze("工期有几年"), index) == "年"
    assert asked_count(index.analyze("工期有几年"), index) == ""
    assert asked_count(index.analyze("仓库里有几辆叉车"), index) == "辆"


@pytest.mark.parametrize(("text", "unit", "given"), [
    ("现场停着三辆叉车", "辆", True),
    ("共有12人到场", "名", True),           # people: 人 answers 名
    ("新增5例", "宗", True),                # cases
    ("已交付两百辆", "台", True),           # vehicles, and a figure in words
    ("园内有四座喷泉", "个", True),         # the general one: any measure word
    ("现年45岁的店主", "岁", True),
    ("笼子里有数只兔子", "只", True),       # a rough number
    ("叉车停在仓库门口", "辆", False),
    ("代表们陆续到场", "名", False),
    ("上次来的时候", "次", False),          # 上次 is "last time", no count
])
def test_whether_a_text_gives_a_figure_in_the_unit(text: str, unit: str, given: bool) -> None:
    assert in_unit(valued(text), unit) == given


def test_an_age_given_by_the_year_of_birth_and_not_by_any_year() -> None:
    assert in_unit(valued("店主1970年生"), "岁") and in_unit(valued("女童2013年12月出生"), "岁")
    assert not in_unit(valued("2013年发生一起事故"), "岁")
