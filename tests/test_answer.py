"""Behaviour of the answer engine: answers, declines, follow-ups, paging, the reliability note, robustness.

The index is built once per module over the bundled report.  Assertions check properties of the answer
(kind, which paragraph, what the message names), not whole texts; each expected paragraph was read off the
report, not off the program.  How often the engine is right is measured by tests/test_quality.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import build_index, load_corpus
from index.answer import Answerer
from index.reply import MAX_QUESTION_CHARS, Answer, conflict_groups

ROOT = Path(__file__).resolve().parents[1]
LAUNCH = "小米汽车什么时候上市"


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(build_index(load_corpus(ROOT / "seeds")))


def paragraphs(answer: Answer) -> list[int]:
    return [item.paragraph for item in answer.items]


def test_answer_cites_paragraph_quote_and_tier(answerer: Answerer) -> None:
    answer = answerer.answer("一期年产能多少")
    assert answer.answered and paragraphs(answer)[0] == 12
    item = answer.items[0]
    assert "15万辆" in item.quote and len(item.quote) <= len(item.text)
    assert "第12段" in answer.message
    assert answer.label(answer.best_claim(item)) in answer.message


def test_to_json_shape(answerer: Answerer) -> None:
    data = answerer.answer(LAUNCH).to_json()
    json.dumps(data, ensure_ascii=False)
    assert set(data) == {"question", "answered", "caveat", "short_answer", "conflict", "answers", "message"}
    assert data["answered"] is True and 1 <= len(data["answers"]) <= 3
    assert data["short_answer"] and isinstance(data["conflict"], bool)
    for line in data["short_answer"]:
        assert set(line) == {"text", "doc", "paragraph", "source", "tier"} and line["text"]
        paragraph = answerer.index.paragraph(line["paragraph"])
        assert paragraph is not None and line["text"].rstrip("…") in paragraph.text    # the report's own words
    for entry in data["answers"]:
        assert set(entry) == {"doc", "paragraph", "text", "quote", "source", "tier", "score"}
        assert isinstance(entry["paragraph"], int)
        assert entry["tier"] in ("official", "reporter", "named", "anonymous", "rumor")
        assert entry["quote"] and len(entry["quote"]) <= len(entry["text"])
    declined = answerer.answer("特斯拉什么时候降价").to_json()
    assert declined["answered"] is False and declined["answers"] == [] and declined["message"]


def test_launch_answer_comes_from_the_insider_and_the_note_names_each_tier_once(answerer: Answerer) -> None:
    answer = answerer.answer(LAUNCH)
    assert paragraphs(answer)[0] in (4, 14)
    assert {c.tier for item in answer.items for c in item.claims} >= {"anonymous"}
    # Paragraph 4 gives two dates: the insider's and, on record, 雷军's; both are quoted.
    [fourth] = [item for item in answer.items if item.paragraph == 4]
    quoted = {(c.source, c.tier) for c in fourth.claims}
    assert quoted >= {("雷军", "official"), ("一位不愿透露姓名的知情人士", "anonymous")}
    if answer.conflict:
        note = answer.message.rsplit("\n", 1)[-1]
        for _, sources in conflict_groups(answer):
            for source, where in sources:
                assert note.count(f"{source}（") == 1 and all(w in note for w in where)


def test_the_report_speaker_without_a_title_is_official_by_its_knowledge_file(answerer: Answerer) -> None:
    # 雷军 is cited bare ("雷军曾表示"); seeds/xiaomi-auto-factory-2023-11.rules.toml gives his tier.
    paragraph = answerer.index.paragraph(4)
    assert paragraph is not None
    assert [c.tier for c in paragraph.claims if "雷军曾表示" in c.text] == ["official"]


def test_relative_dates_are_resolved_against_publication(answerer: Answerer) -> None:
    message = answerer.answer(LAUNCH).message
    assert "2024年2月" in message          # 明年开年（2月） in a report published 2023-11
    assert "2023年12月" in message         # 下个月（12月）


@pytest.mark.parametrize("question, missing", [
    ("特斯拉什么时候降价", "特斯拉"),
    ("美元兑人民币汇率多少", "汇率"),
    ("特斯拉的股价是多少", "股价"),
])
def test_questions_about_other_things_are_declined_naming_what_is_missing(answerer: Answerer, question: str,
                                                                         missing: str) -> None:
    answer = answerer.answer(question)
    assert answer.kind == "not_found" and answer.items == []
    assert any(missing in m for m in answer.missing)
    assert f"“{answer.missing[0]}”" in answer.message and "没有" in answer.message


@pytest.mark.parametrize("question, missing", [("明天北京天气怎么样", "天气"), ("世界杯谁拿了冠军", "世界杯")])
def test_an_unsure_answer_says_so_and_shows_only_the_closest_paragraph(answerer: Answerer, question: str,
                                                                       missing: str) -> None:
    answer = answerer.answer(question)
    assert answer.kind == "not_found" or (answer.caveat and len(answer.items) == 1)
    assert f"“{missing}”" in answer.message and ("没有直接说" in answer.message or "没有找到" in answer.message)


@pytest.mark.parametrize("text", ["", "   ", "你好", "hello", "谢谢！", "😀😀", "？？？", "/start"])
def test_greetings_and_empty_input_get_help(answerer: Answerer, text: str) -> None:
    answer, state = answerer.respond({}, text)
    assert answer.kind == "help" and "试试问" in answer.message
    assert state == {}


def test_follow_up_uses_previous_question(answerer: Answerer) -> None:
    first, state = answerer.respond({}, LAUNCH)
    assert first.answered
    follow, state = answerer.respond(state, "那售价呢？")
    assert follow.answered and paragraphs(follow)[0] == 18
    assert state["ctx"] == LAUNCH
    json.dumps(state)


def test_a_short_question_the_report_answers_only_with_the_previous_one(answerer: Answerer) -> None:
    _, state = answerer.respond({}, "一期工厂年产能多少")
    follow, after = answerer.respond(state, "二期呢")
    assert follow.answered and paragraphs(follow)[0] == 12 and after["ctx"]


def test_complete_question_does_not_inherit_context(answerer: Answerer) -> None:
    _, state = answerer.respond({}, "售价多少")
    answer, after = answerer.respond(state, "小米汽车工厂位于哪里")
    assert answer.answered and paragraphs(answer)[0] == 2
    assert after["ctx"] == ""


def test_more_pages_then_no_more(answerer: Answerer) -> None:
    first, state = answerer.respond({}, "小米汽车工厂")
    seen = paragraphs(first)
    for _ in range(10):
        answer, state = answerer.respond(state, "更多")
        if answer.kind == "no_more":
            break
        assert answer.answered and not set(paragraphs(answer)) & set(seen)
        seen += paragraphs(answer)
    assert answer.kind == "no_more" and "没有更多" in answer.message
    assert len(seen) == len(set(seen)) > 3


def test_more_without_a_question_is_help(answerer: Answerer) -> None:
    answer, state = answerer.respond({}, "更多")
    assert answer.kind == "help" and state == {}


def test_declined_question_keeps_the_conversation(answerer: Answerer) -> None:
    _, state = answerer.respond({}, LAUNCH)
    answer, after = answerer.respond(state, "特斯拉的股价是多少")
    assert answer.kind == "not_found" and after == state


@pytest.mark.parametrize("text", [
    "\x00", "\x00\x01小米汽车\x7f什么时候上市", "<b>小米汽车</b>什么时候上市", "<script>alert(1)</script>",
    "&lt;&gt;&amp;", "x" * MAX_QUESTION_CHARS, "啊" * 299, "a\u200bb\ufeff", "\ud800", "𠀀𠀁𪚥",
    "ＡＢＣ１２３？", "小米汽車什麼時候上市", "Xiaomi SU7 launch date?", "مرحبا", "%s%d{0}", "\t\n\r",
    "🚗🚗什么时候上市", "第一", "12345", "   小米   汽车   ", "？！。，、；：", "null",
])
def test_any_input_gets_a_sensible_answer(answerer: Answerer, text: str) -> None:
    answer, state = answerer.respond({}, text)
    assert answer.kind in ("answer", "not_found", "help")
    assert answer.message
    json.dumps(answer.to_json(), ensure_ascii=False)
    json.dumps(state)
    if answer.kind == "not_found":
        assert all(len(m) <= 40 for m in answer.missing[:3]) or "…" in answer.message


def test_markup_is_ignored(answerer: Answerer) -> None:
    plain = answerer.answer(LAUNCH)
    tagged = answerer.answer("<b>小米汽车</b>什么时候上市")
    assert paragraphs(tagged) == paragraphs(plain)


def test_overlong_message_is_declined(answerer: Answerer) -> None:
    answer, state = answerer.respond({"q": LAUNCH}, "小米" * MAX_QUESTION_CHARS)
    assert answer.kind == "too_long" and "太长" in answer.message
    assert state == {"q": LAUNCH}


def test_traditional_fullwidth_and_spacing_match_plain(answerer: Answerer) -> None:
    plain = paragraphs(answerer.answer(LAUNCH))[0]
    for variant in ("小米汽車什麼時候上市", "小米汽车  什么时候  上市？", "小米汽车什么时候上市？！"):
        assert paragraphs(answerer.answer(variant))[0] == plain
    assert paragraphs(answerer.answer("一期年产能多少"))[0] == paragraphs(answerer.answer("一期年產能多少"))[0]


def test_a_name_jieba_would_cut_up_is_found_by_its_bigrams(answerer: Answerer) -> None:
    # 郭明錤 is not in jieba's dictionary; a typo of its rare last character still shares the bigram 郭明.
    for question in ("郭明錤怎么看售价", "郭明琪怎么看售价"):
        answer = answerer.answer(question)
        assert answer.answered and "郭明錤" in answer.items[0].text, question


def test_answerer_is_cheap_to_build(answerer: Answerer) -> None:
    # Everything per paragraph is precomputed by the index; the answerer only keeps references.
    again = Answerer(answerer.index)
    assert again.index is answerer.index
    assert not any(isinstance(v, list) and len(v) == len(answerer.index.paragraphs) for v in vars(again).values())


def test_english_words_of_the_general_synonyms_and_the_reports_own(answerer: Answerer) -> None:
    assert answerer.answer("factory在哪").answered                       # general: factory = 工厂
    # The report's own knowledge (its .rules.toml): what readers call its people and firms.
    cases = (("雷总说过什么时候量产", 4), ("reuters说了什么", 21), ("北汽的镇江工厂要生产几款车", 24))
    for question, paragraph in cases:
        assert paragraphs(answerer.answer(question))[0] == paragraph, question


@pytest.mark.parametrize("question, typo, word, paragraph", [
    ("厂房通过严收了没", "严收", "验收", 13),
    ("胡争楠微博说了啥", "胡争楠", "胡峥楠", 17),
    ("冲压焊接图装总装车间都建好了没", "图装", "涂装", 3),
])
def test_homophone_typos_of_the_reports_words_are_read_as_them(answerer: Answerer, question: str, typo: str,
                                                               word: str, paragraph: int) -> None:
    answer = answerer.answer(question)
    assert answer.corrections.get(typo) == word
    assert answer.answered and paragraphs(answer)[0] == paragraph
    assert f"“{typo}”→“{word}”" in answer.message.splitlines()[0]


def test_question_frames_are_never_read_as_typos(answerer: Answerer) -> None:
    for question in ("小米汽车叫什么", "工厂是什么时候建的", "售价为多少"):
        assert answerer.answer(question).corrections == {}, question


@pytest.mark.parametrize("question", ["工厂年产能多少？", "小米汽车什么时候上市", "北汽蓝谷怎么回应的"])
def test_only_supporting_paragraphs_are_shown_and_more_goes_on_from_the_first_left_out(answerer: Answerer,
                                                                                     question: str) -> None:
    first, state = answerer.respond(None, question)
    shown = [(i.document_id, i.paragraph) for i in first.items]
    assert shown == first.ranked[:len(shown)]                       # the best, then those close to it
    assert all(i.score >= 0.6 * first.items[0].score for i in first.items)
    more, _ = answerer.respond(state, "更多")
    if len(first.ranked) > len(shown):
        assert more.answered and (more.items[0].document_id, more.items[0].paragraph) == first.ranked[len(shown)]
    assert not {(i.document_id, i.paragraph) for i in more.items} & set(shown)


@pytest.mark.parametrize(("question", "value"), [
    ("这篇报道是哪家媒体的", "每日经济新闻"), ("这篇报道的作者叫什么名字", "李星"), ("这篇文章是哪天发的", "2023-11"),
    ("记者是谁", "李星"),                  # only stop words, and still a question, not a greeting
    ("这篇稿子的记者是哪两位", "李星"), ("哪两位记者写的这篇报道", "李星"),
])
def test_questions_about_the_report_itself_are_answered_from_its_header(answerer: Answerer, question: str,
                                                                       value: str) -> None:
    answer = answerer.answer(question)        # the report's front matter: publisher, author, published
    assert answer.answered and not answer.caveat
    assert [line.text for line in answer.short_answer] == [value]
    assert answer.short_answer[0].tier == "reporter" and answer.short_answer[0].source == "每日经济新闻"


def test_a_question_about_another_outlets_report_is_not_about_this_one() -> None:
    from index.about_report import asked_of_report
    assert asked_of_report("扬子晚报那篇报道的记者是谁") is None
    assert asked_of_report("消息最早出自哪家媒体") is None
    assert asked_of_report("报道中的记者去了哪里") is None


def _story_library(tmp_path: Path, *reports: tuple[str, str, str]) -> Answerer:
    for name, published, body in reports:
        (tmp_path / f"{name}.md").write_text(f"---\ntitle: {name}\npublished: {published}\n---\n\n{body}\n",
                                              encoding="utf-8")
    return Answerer(build_index(load_corpus(tmp_path)))


_CRASH = ("车祸", "2024-05-02", "5月1日晚，星河县一辆货车在国道上侧翻，司机受轻伤。\n\n"
          "县交警大队表示，事故原因仍在调查中。\n\n附近村民说，这段路弯道多，常有货车减速不及。")
_FAIR = ("书展", "2024-07-20", "7月19日，星河书展在会展中心开幕，为期七天。\n\n主办方表示，今年参展商超过六百家。")


@pytest.mark.parametrize(("question", "wanted"), [("这件事是哪天发生的？", "5月1日"), ("这事发生在哪个县？", "星河县")])
def test_a_question_about_the_story_as_a_whole_is_answered_from_its_lead(tmp_path: Path, question: str,
                                                                         wanted: str) -> None:
    answer = _story_library(tmp_path, _CRASH).answer(question)
    assert answer.answered and not answer.caveat and paragraphs(answer) == [1]
    assert wanted in answer.short_answer[0].text


def test_a_question_naming_what_it_asks_about_is_not_one_about_the_story(tmp_path: Path) -> None:
    answer = _story_library(tmp_path, _CRASH).answer("这件事的事故原因查清了吗？")
    assert answer.answered and paragraphs(answer)[0] == 2        # 事故原因 is in the second paragraph, not the lead


def test_with_several_reports_a_story_question_takes_the_newest_with_a_caveat(tmp_path: Path) -> None:
    answer = _story_library(tmp_path, _CRASH, _FAIR).answer("这件事是哪天发生的？")
    assert answer.answered and answer.caveat
    assert answer.ranked == [("书展", 1)]


def test_a_question_naming_the_kind_of_event_is_left_to_retrieval(tmp_path: Path) -> None:
    from index.about_story import asks_of_story
    library = _story_library(tmp_path, ("树倒", "2023-08-02", "8月1日，星河公园举行夏日游园会，吸引上千名市民。\n\n"
                                        "下午3时许，园内一棵老榕树突然倒下，意外造成两人受伤。"))
    assert not asks_of_story(library.index.analyze("意外发生在什么时候？"))
    assert asks_of_story(library.index.analyze("这件事是哪天发生的？"))
    answer = library.answer("意外发生在什么时候？")
    assert answer.answered and paragraphs(answer)[0] == 2
