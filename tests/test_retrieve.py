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


POOL_REPORT = """新开的游泳馆昨晚突然闭馆，家长们赶到游泳馆门口。

游泳馆位于东城商厦地下一层，记者在现场看到大门紧锁。

游泳馆的前台贴出告示，称暂停营业进行整顿。

一位家长说，孩子的课还没有上完。
"""


def test_a_bigram_in_most_paragraphs_of_a_short_report_is_kept_when_the_question_has_nothing_else(
        tmp_path: Path) -> None:
    # 泳馆 is in three of four paragraphs (more than COMMON_SHARE), 商场 and 几楼 in none
    index = small_library(tmp_path, POOL_REPORT)
    assert [hit.paragraph.number for hit in index.search("泳馆在商场几楼", 3)]


SYNONYMS = """---
title: 大赛通知
publisher: 测试日报
published: 2024-05-06
---

本次大赛面向全国征集作品，参赛选手须在报名截止前提交作品，大赛对作品的要求是原创。

选手年龄须在18岁至35岁之间，超过者可参加另设的公开组。

颁奖典礼将于下月在市文化中心举行，届时将公布获奖名单。
"""


def test_a_paragraph_holding_only_a_synonym_of_the_questions_word_is_retrieved(tmp_path) -> None:
    (tmp_path / "notice.md").write_text(SYNONYMS, encoding="utf-8")
    from index import build_index
    from index.loader import load_corpus
    index = build_index(load_corpus(tmp_path))
    question = index.analyze("报名对年纪有什么限制")        # the report says 年龄
    found = {index.paragraphs[c.position].number: c for c in index.candidates(question, 3)}
    assert 2 in found and found[2].words > 0 and found[2].bigrams > 0     # in both rankings, through 年龄



SPEAKER = """环保组织负责人王建国表示，河水污染已经持续三年，附近居民多次投诉。

他又指，工厂的排污口就在河边，希望政府尽快调查。

王建国表示，政府部门昨天已派人到场取样。
"""


def test_a_sentence_holds_the_name_of_who_says_it(tmp_path: Path) -> None:
    # 他又指 continues 王建国's account: asked what 王建国 hopes, the sentence saying it holds the name through its
    # speaker, though only the third paragraph writes it beside 政府.
    index = small_library(tmp_path, SPEAKER)
    [claim] = index.paragraphs[1].claims
    assert claim.source == "环保组织负责人王建国"
    [said] = index.sentence_terms(1)
    assert "王建国" in said.words and "希望" in said.words
    assert "王建国" not in said.text                     # the sentence's own text is as written
    assert index.search("王建国希望政府怎么做？", 1)[0].paragraph.number == 2


PAIR = """王建国说，学校的午餐费问题家长一直很关心。

王建国是星河学校的校长，今年五十岁。下月起免收午餐费，费用由区政府补贴。
"""


def test_two_adjacent_sentences_holding_the_question_between_them_come_first(tmp_path: Path) -> None:
    # the second paragraph names him in one sentence and says what is asked in the next; the first holds three of
    # the four words in one sentence but does not say when
    index = small_library(tmp_path, PAIR)
    assert index.search("王建国的学校什么时候免收午餐费？", 2)[0].paragraph.number == 2
