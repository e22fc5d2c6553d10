"""Behaviour of the answer engine: answers, abstention, follow-ups, paging, conflicts, robustness.

The index is built once per module.  Assertions check properties of the
answer (kind, which paragraph, what the message names), not whole texts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import build_index, load_corpus
from index.answer import MAX_QUESTION_CHARS, Answer, Answerer, conflict_groups

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
    assert "15万辆" in item.quote and len(item.quote) < len(item.text) + 1
    assert "第12段" in answer.message
    assert answer.label(answer.best_claim(item)) in answer.message


def test_to_json_shape(answerer: Answerer) -> None:
    data = answerer.answer(LAUNCH).to_json()
    json.dumps(data, ensure_ascii=False)
    assert set(data) == {"question", "answered", "answers", "message"}
    assert data["answered"] is True and 1 <= len(data["answers"]) <= 3
    for entry in data["answers"]:
        assert set(entry) == {"doc", "paragraph", "text", "quote", "source", "tier", "score"}
        assert isinstance(entry["paragraph"], int)
        assert entry["tier"] in ("official", "reporter", "named", "anonymous", "rumor")
        assert entry["quote"] and len(entry["quote"]) <= len(entry["text"])
    declined = answerer.answer("特斯拉什么时候降价").to_json()
    assert declined["answered"] is False and declined["answers"] == [] and declined["message"]


def test_launch_conflict_names_the_official_statement(answerer: Answerer) -> None:
    answer = answerer.answer(LAUNCH)
    assert paragraphs(answer)[0] == 4
    assert "official" in answer.conflict and "anonymous" in answer.conflict
    official = [claim.source for _, claim in answer.conflict["official"]]
    assert any("雷军" in source for source in official)
    assert "官方" in answer.message and "可靠性最高" in answer.message
    note = answer.message.rsplit("\n", 1)[-1]
    for _, sources in conflict_groups(answer):
        for source, where in sources:
            assert note.count(f"{source}（") == 1 and all(w in note for w in where)


def test_relative_dates_are_resolved_against_publication(answerer: Answerer) -> None:
    message = answerer.answer(LAUNCH).message
    assert "2024年2月" in message          # 明年开年（2月） in a report published 2023-11
    assert "2023年12月" in message         # 下个月（12月）


@pytest.mark.parametrize("question, missing", [
    ("小米汽车的电池供应商是谁", "电池"),
    ("特斯拉什么时候降价", "特斯拉"),
    ("小米14手机多少钱", "小米14"),
    ("小米汽车续航多少公里", "续航"),
    ("二期工厂年产能多少", "二期"),
])
def test_not_found_names_what_is_missing(answerer: Answerer, question: str, missing: str) -> None:
    answer = answerer.answer(question)
    assert answer.kind == "not_found" and answer.items == []
    assert any(missing in m for m in answer.missing)
    assert f"报道中没有提到“{answer.missing[0]}" in answer.message


def test_a_kind_of_answer_no_clause_gives_is_declined(answerer: Answerer) -> None:
    # The report names the factory's district but no street number; it names 工信部's
    # approval only as pending; a job someone holds now is not where they worked before.
    assert paragraphs(answerer.answer("小米汽车工厂位于哪里"))[0] == 2
    assert not answerer.answer("工厂具体门牌号是多少").answered
    assert not answerer.answer("工信部什么时候批准小米").answered
    assert paragraphs(answerer.answer("胡峥楠负责什么业务"))[0] == 17
    assert not answerer.answer("胡峥楠以前在哪家公司工作").answered


def test_synonym_of_a_model_name_is_no_unknown_model(answerer: Answerer) -> None:
    # su7 is a synonym of 小米汽车 (synonyms.txt); 小米14 is a model the report never names.
    assert answerer.answer("小米su7外观怎么样").answered
    assert not answerer.answer("小米14外观怎么样").answered


def test_qualified_figure_is_not_given_for_another_thing(answerer: Answerer) -> None:
    # The report gives 一期's capacity; 二期's is never stated, and 二期's start is.
    assert answerer.answer("一期工厂年产能多少").answered
    assert not answerer.answer("二期工厂年产能多少").answered
    assert paragraphs(answerer.answer("二期什么时候动工"))[0] == 12


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
    assert "上市" in state["ctx"]
    json.dumps(state)


def test_elliptic_follow_up(answerer: Answerer) -> None:
    _, state = answerer.respond({}, "闭门大会什么时候开的")
    answer, _ = answerer.respond(state, "在哪开的")
    assert answer.answered and paragraphs(answer)[0] == 10


def test_complete_question_does_not_inherit_context(answerer: Answerer) -> None:
    _, state = answerer.respond({}, "售价多少")
    answer, after = answerer.respond(state, "工厂在哪里")
    assert answer.answered and paragraphs(answer)[0] == 2
    assert after["ctx"] == [] and "售价" not in after["ctx"]
    # A short elliptical question still carries the context over.
    _, state = answerer.respond({}, "一期工厂年产能多少")
    follow, after = answerer.respond(state, "二期呢")
    assert follow.answered and after["ctx"]


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
    answer, after = answerer.respond(state, "特斯拉呢")
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


def test_traditional_fullwidth_and_typos_match_plain(answerer: Answerer) -> None:
    plain = paragraphs(answerer.answer(LAUNCH))[0]
    for variant in ("小米汽車什麼時候上市", "小米气车什么时候上市", "小米汽车  什么时候  上市？"):
        assert paragraphs(answerer.answer(variant))[0] == plain
    assert paragraphs(answerer.answer("一期年产能多少"))[0] == paragraphs(answerer.answer("一期年產能多少"))[0]


def test_answerer_is_cheap_to_build(answerer: Answerer) -> None:
    # Everything per paragraph is precomputed by the index; the answerer only keeps references.
    again = Answerer(answerer.index)
    assert again.index is answerer.index
    assert not any(isinstance(v, list) and len(v) == len(answerer.index.paragraphs) for v in vars(again).values())


def test_missing_proper_noun_declines(answerer: Answerer) -> None:
    for question, name in (("特斯拉的工厂在哪", "特斯拉"), ("小米14的工厂在哪", "小米14")):
        answer = answerer.answer(question)
        assert answer.kind == "not_found" and name in answer.message


def test_missing_common_word_with_weak_rest_declines(answerer: Answerer) -> None:
    # 小米汽车 is in every paragraph: it cannot carry an answer about the battery.
    answer = answerer.answer("小米汽车的电池是谁家的")
    assert answer.kind == "not_found" and "电池" in answer.message


def test_missing_paraphrased_word_answers_from_the_rest(answerer: Answerer) -> None:
    # 围墙 is not in the report, 石墙 is: answer from the paragraph that says it.
    answer = answerer.answer("工厂围墙是啥样的")
    assert answer.answered and "墙" in answer.items[0].text


def test_frame_words_do_not_block(answerer: Answerer) -> None:
    answer = answerer.answer("郭明錤是什么职位")
    assert answer.answered and "分析师" in answer.items[0].quote


def test_name_typo_with_rare_character(answerer: Answerer) -> None:
    answer = answerer.answer("郭明琪怎么看售价")
    assert answer.answered and "郭明錤" in answer.items[0].text
    assert answer.corrections.get("郭明琪") == "郭明錤"


def test_english_alias_of_outlet(answerer: Answerer) -> None:
    answer = answerer.answer("Reuters怎么说小米的资质")
    assert answer.answered and "路透社" in answer.items[0].text


def test_tier_word_finds_rumours(answerer: Answerer) -> None:
    # 传闻 is no word of the report but the label of a tier: it finds what rumours say.
    answer = answerer.answer("海马汽车对合作传闻是什么态度")
    assert answer.answered and "海马" in answer.items[0].text
    assert "rumor" in {claim.tier for claim in answer.items[0].claims}


def test_age_of_a_person_is_not_a_figure_of_something_else(answerer: Answerer) -> None:
    assert answerer.answer("郭明錤今年多大").kind == "not_found"


def test_question_word_beats_an_accidental_word(answerer: Answerer) -> None:
    # 哪天上市 is 哪天 + 上市, never 哪 + 天上 + 市 ("天上" is not a missing topic).
    words = [w.text for w in answerer.index.analyze("哪天上市").words]
    assert words == ["哪天", "上市"]
    answer = answerer.answer("哪天上市")
    assert answer.answered and "上市" in answer.items[0].quote


def test_question_frames_and_chat_filler_do_not_block(answerer: Answerer) -> None:
    for question, expected in (("明年2月上市是真的假的", "2月"), ("一期和二期有啥区别", "二期"),
                               ("刚看到群里在聊小米工厂已经试生产了 是啥情况😅", "试生产"),
                               ("每年起码得有多少产能", "产能")):
        answer = answerer.answer(question)
        assert answer.answered, question
        assert expected in answer.items[0].text, question


def test_denial_is_a_response_of_the_party_named(answerer: Answerer) -> None:
    answer = answerer.answer("海马汽车辟谣了吗")
    assert answer.answered and "海马汽车" in answer.items[0].text
    # 奇瑞 never speaks in the report; 小米 speaking elsewhere is no answer.
    assert answerer.answer("奇瑞有没有说跟小米合作").kind == "not_found"


def test_a_quoted_remark_finds_its_speaker(answerer: Answerer) -> None:
    answer = answerer.answer("要不直接開賣吧 這話誰講的")
    assert answer.answered and "直接开卖" in answer.items[0].quote


def test_rare_things_pin_a_paragraph_a_commoner_word_does_not_block(answerer: Answerer) -> None:
    answer = answerer.answer("門口有沒有大貨車跟工程車")
    assert answer.answered and "工程车" in answer.items[0].text


def test_the_bots_own_taste_is_declined(answerer: Answerer) -> None:
    for question in ("你喜欢小米还是华为", "你觉得小米汽车值得买吗", "你会买小米汽车吗"):
        assert answerer.answer(question).kind == "not_found", question
    # Asking the bot what it thinks the report says is still a question about the report.
    assert answerer.answer("你觉得小米汽车啥时候能上市").answered


def test_an_amount_spent_is_no_price(answerer: Answerer) -> None:
    answer = answerer.answer("小米投了多少钱")
    assert answer.kind == "not_found" and "售价" not in answer.message
    assert answerer.answer("小米汽车多少钱").answered


def test_a_duration_needs_a_time_and_an_ordinal_the_report_lacks_is_missing(answerer: Answerer) -> None:
    assert answerer.answer("800v充电要多久").kind == "not_found"
    assert answerer.answer("试生产多久了").answered
    answer = answerer.answer("第二款车啥时候出")
    assert answer.kind == "not_found" and "第2款" in answer.message
    assert answerer.answer("第二期工厂什么时候动工").answered


def test_mixed_english_words(answerer: Answerer) -> None:
    answer = answerer.answer("xiaomi的工厂在哪")
    assert answer.answered and "经开区" in answer.items[0].text


@pytest.mark.parametrize(("question", "expected"), [
    ("郭明錤的原话是怎么说出货量的", 18),          # meta word (stopwords.txt): what every answer shows
    ("记者实地走访看到了什么", 2),                # part of a tier label (记者实地)
    ("路透社那条消息最后结果如何，官方确认了没有", 21),  # a common frame noun; 路透社 pins the paragraph
    ("知情人士说明年2月上市，小米官方证实了吗", 4),     # a verb the report lacks does not block
])
def test_frame_words_do_not_block_a_pinned_question(answerer: Answerer, question: str, expected: int) -> None:
    answer = answerer.answer(question)
    assert answer.answered, answer.message
    assert expected in paragraphs(answer)


@pytest.mark.parametrize(("question", "missing"), [
    ("雷军的老婆是谁", "老婆"),                   # the head noun asked about, though 雷军 pins paragraphs
    ("郭明錤预测2025年小米汽车能卖多少", "2025"),  # a year the report never gives for that source
    ("胡峥楠是哪一年加入小米的", "胡峥楠的年份"),  # 哪一年 stays a question word; no clause gives a year
])
def test_topic_words_still_decline(answerer: Answerer, question: str, missing: str) -> None:
    answer = answerer.answer(question)
    assert not answer.answered
    assert missing in answer.message


def test_decline_message_reads_naturally_for_a_verb(answerer: Answerer) -> None:
    answer = answerer.answer("二期什么时候能建好")
    assert not answer.answered
    assert "二期的建好" not in answer.message


@pytest.mark.parametrize(("question", "expected"), [
    ("焊接和涂装车间建好了吗", 3),                  # control: the report's own words
    ("stamping和welding车间建好了吗", 3),           # English for the report's terms (synonyms.txt)
    ("参加闭门会能带laptop进场吗", 10),
    ("网上流出的spy shots能看出什么", 15),           # a two-word English phrase, tokenised into parts
    ("冲压车间的progress怎么样", 3),                # an unknown English word; 冲压 pins the paragraph
    ("郭明錤的forecast出货量是多少", 18),
])
def test_english_words_in_a_chinese_question(answerer: Answerer, question: str, expected: int) -> None:
    answer = answerer.answer(question)
    assert answer.answered, answer.message
    assert expected in paragraphs(answer)


@pytest.mark.parametrize(("question", "missing"), [
    ("BYD的工厂在哪", "byd"),               # nothing else pins a paragraph: the latin word is the topic
    ("小米汽车会出SUV吗", "suv"),
    ("郭明錤怎么看iPhone15", "iphone15"),   # a model with digits blocks even a pinned question
])
def test_unknown_latin_words_still_decline(answerer: Answerer, question: str, missing: str) -> None:
    answer = answerer.answer(question)
    assert not answer.answered
    assert missing in answer.missing


@pytest.mark.parametrize(("question", "expected"), [
    ("雷军定的销售目标和郭明錤预计的出货量差多少", {18, 27}),   # each part met in its own paragraph
    ("海马汽车与北汽蓝谷各自怎么回应", {23, 25}),              # two sides joined by 与
    ("一期占地多少平方米，二期哪年完工", {12}),                # two clauses, one thing each
])
def test_questions_about_several_things_are_answered_part_by_part(answerer: Answerer, question: str,
                                                                  expected: set[int]) -> None:
    answer = answerer.answer(question)
    assert answer.answered, answer.message
    assert expected <= set(paragraphs(answer))


@pytest.mark.parametrize(("question", "attribute"), [
    ("小鹏P7售价多少", "售价"),                  # 小鹏P7 is mentioned; a price only for another car
    ("镇江工厂一年能造多少辆", "产能"),
    ("二期的年产能是多少", "产能"),
    ("镇江工厂和福田工厂的产能各是多少", "产能"),  # 产能 is said of both sides, and of neither in the report
    ("小鹏P7和小米汽车的售价对比", "售价"),       # 小米汽车 is in every paragraph: the price is P7's
])
def test_a_subject_with_an_attribute_stated_only_elsewhere_is_declined(answerer: Answerer, question: str,
                                                                       attribute: str) -> None:
    answer = answerer.answer(question)
    assert not answer.answered
    assert attribute in answer.message


def test_a_yes_no_question_about_things_said_together_is_answered(answerer: Answerer) -> None:
    # 闭门大会 and 对外透露 meet in one paragraph, which answers the yes/no question in its own
    # words; 公布的 asks for no content there.
    answer = answerer.answer("闭门大会公布的内容参会者能对外透露吗")
    assert answer.answered and paragraphs(answer)[0] == 9


@pytest.mark.parametrize(("question", "missing"), [("小鹏P7的售价有20万吗", "售价"), ("二期的产能有15万辆吗", "二期")])
def test_a_yes_no_question_about_an_attribute_stated_elsewhere_is_declined(answerer: Answerer, question: str,
                                                                          missing: str) -> None:
    answer = answerer.answer(question)
    assert answer.kind == "not_found" and missing in "".join(answer.missing)
