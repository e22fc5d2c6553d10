"""General rules stay general; what one report knows stays beside it; rule files are strict."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import CorpusError, build_index, load_corpus
from index.corpus import read_knowledge
from index.normalize import normalize
from index.rules import BUNDLED_RULES_DIR, load_intents, load_source_rules
from index.tokenize import general_cut, general_frequency, general_tag
from index.vocabulary import recurring_terms

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
# Proper nouns of the bundled report, read off its text (people, firms, places, outlets, products).
BUNDLED_NAMES = ["小米", "雷军", "郭明錤", "胡峥楠", "张海", "荣芳", "李星", "裴健如", "北汽", "蓝谷", "江淮", "奇瑞",
                 "华晨", "海马", "天风", "路透", "小鹏", "镇江", "福田", "经开区", "亦庄", "每日经济新闻", "每经",
                 "发改委", "工信部", "华为"]


def _names_of_bundled_reports() -> set[str]:
    names = set(BUNDLED_NAMES)
    for report in SEEDS.glob("*.md"):
        knowledge = read_knowledge(report.with_name(report.stem + ".rules.toml"))
        names.update(knowledge.words)
        names.update(word for word, _ in knowledge.synonyms)
        names.update(name for name, _ in knowledge.speakers)
    return {normalize(n) for n in names}


@pytest.mark.parametrize("rule_file", sorted(p.name for p in BUNDLED_RULES_DIR.iterdir() if p.is_file()))
def test_general_rule_files_name_nothing_of_a_bundled_report(rule_file: str) -> None:
    text = normalize((BUNDLED_RULES_DIR / rule_file).read_text(encoding="utf-8"))
    found = sorted(name for name in _names_of_bundled_reports() if name in text)
    assert found == [], f"{rule_file} holds names of a bundled report: {found}"


def test_a_report_needs_no_rules_to_keep_its_repeated_names_whole() -> None:
    [document] = load_corpus(next(SEEDS.glob("*.md"))).documents
    terms = recurring_terms([normalize(p.text) for p in document.paragraphs], general_cut,
                            lambda w: general_frequency(w) > 0, general_tag, frozenset("的了是在"))
    for name in ("北汽蓝谷", "郭明錤", "白车身"):
        assert name in terms
    assert not [t for t in terms if t.startswith("郭明錤") and t != "郭明錤"]    # not 郭明錤认 (认为 is a word)


def test_a_report_without_a_knowledge_file_answers_about_its_own_names(tmp_path: Path) -> None:
    report = next(SEEDS.glob("*.md"))
    shutil.copy(report, tmp_path / report.name)
    index = build_index(load_corpus(tmp_path))
    assert index.documents[0].knowledge.words == ()
    hits = index.search("郭明錤预计出货量多少", 1)
    assert hits and "郭明錤" in hits[0].paragraph.text


@pytest.mark.parametrize("content, needle", [
    ('words = "郭明錤"', "words must be a list"),
    ('colour = ["red"]', "unknown key 'colour'"),
    ('[speakers]\n"雷军" = "boss"', "unknown tier 'boss'"),
    ('words = [', "not a readable UTF-8 TOML"),
])
def test_a_broken_knowledge_file_is_named(tmp_path: Path, content: str, needle: str) -> None:
    report = next(SEEDS.glob("*.md"))
    shutil.copy(report, tmp_path / report.name)
    (tmp_path / f"{report.stem}.rules.toml").write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=needle) as caught:
        load_corpus(tmp_path)
    assert f"{report.stem}.rules.toml" in str(caught.value)


@pytest.mark.parametrize("content, needle", [
    ('[time]\nquestion = ["何时"]\npattern = "x"', "unknown key 'pattern' in \\[time\\]"),
    ('[time]\nquestion = ["("]\nanswer = []', "bad pattern"),
    ('time = 3', "must be a table"),
])
def test_intents_with_unknown_keys_or_bad_patterns_are_refused(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "intents.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=needle):
        load_intents(path)


def test_sources_with_an_unknown_section_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text((BUNDLED_RULES_DIR / "sources.toml").read_text(encoding="utf-8") + "\n[extra]\nx = 1\n",
                    encoding="utf-8")
    with pytest.raises(CorpusError, match="unknown key 'extra'"):
        load_source_rules(path)


# Terms a report repeats that are general news language, not a name of it, each judged by hand when the guard below
# met it and already in the rules before that report came: 网络流传 (网络 + 流传, "circulates online": a rumour cue
# since the third session; a 2025 report repeats it), 网上流传 (the same, in the rules since the fourth session;
# a 2021 report repeats it) and 社交平台 ("social platforms", where a rumour circulates: in the rules since the
# second session; a 2021 report repeats it), 立法会议员 ("legislator", a title of office: in a comment of
# sources.toml since the sixth session; a 2020 Hong Kong report repeats it).
GENERAL_PHRASES = frozenset(["网络流传", "网上流传", "社交平台", "立法会议员"])


def test_general_rule_files_name_nothing_of_any_test_report() -> None:
    """No name or term a report repeats (its people, bodies, places: index.vocabulary) is in a general rule file,
    for the news reports of the evaluation, development and final alike."""
    rule_texts = {p.name: normalize(p.read_text(encoding="utf-8")) for p in BUNDLED_RULES_DIR.iterdir() if p.is_file()}
    found = []
    for report in sorted((ROOT / "tests" / "data" / "reports").glob("*/report.md")):
        [document] = load_corpus(report).documents
        terms = recurring_terms([normalize(p.text) for p in document.paragraphs], general_cut,
                                lambda w: general_frequency(w) > 0, general_tag, frozenset("的了是在"))
        found += [(report.parent.name, term, name) for term in terms for name, text in rule_texts.items()
                  if term in text and term not in GENERAL_PHRASES]
    assert len(list((ROOT / "tests" / "data" / "reports").glob("*/report.md"))) >= 12
    assert found == []


def test_cantonese_particles_and_pronouns_are_no_content_of_a_question(tmp_path: Path) -> None:
    (tmp_path / "bus.md").write_text("---\ntitle: 巴士\npublisher: 测试日报\npublished: 2020-01-01\n---\n\n"
                                     "九巴表示，车长驾驶室的闭路电视附设收音功能。\n", encoding="utf-8")
    index = build_index(load_corpus(tmp_path))
    content = {w.text for w in index.analyze("九巴啲閉路電視有冇錄音㗎？佢哋點解唔講").content}
    assert content & {"啲", "冇", "㗎", "佢哋", "点解", "唔"} == set()
    assert {"闭路电视", "录音"} <= content


def test_a_stop_phrase_jieba_does_not_know_is_dropped_whole(tmp_path: Path) -> None:
    (tmp_path / "fare.md").write_text("---\ntitle: 涨价\npublisher: 测试日报\npublished: 2020-01-01\n---\n\n"
                                      "网传出租车起步价将涨到9元，运管处称消息纯属谣传。\n", encoding="utf-8")
    index = build_index(load_corpus(tmp_path))
    assert [w.text for w in index.analyze("起步价涨价的消息靠谱吗").content] == ["起步价", "涨价", "消息"]  # not 靠, 谱


def test_whose_account_a_question_follows_is_no_content_of_it(tmp_path: Path) -> None:
    # 按警方的说法: the source is what the tier label answers; 说法 names no topic, as 原话 and 来源 do not
    (tmp_path / "fire.md").write_text("---\ntitle: 火警\npublisher: 测试日报\npublished: 2020-01-01\n---\n\n"
                                      "警方表示，火警在凌晨3时发生。\n", encoding="utf-8")
    index = build_index(load_corpus(tmp_path))
    assert [w.text for w in index.analyze("按警方的說法，火警幾點發生？").content] == ["警方", "火警", "发生"]


def test_a_role_the_report_gives_someone_brings_their_name_into_the_question(tmp_path: Path) -> None:
    (tmp_path / "cup.md").write_text("---\ntitle: 掷杯案\npublisher: 测试日报\npublished: 2018-09-27\n---\n\n"
                                     "时任特首周立昨日作供时表示，他听到玻璃碎裂的声音。\n\n"
                                     "周立又指，他当时感到震惊。\n\n企业高管王强表示，案件影响很大。\n",
                                     encoding="utf-8")
    index = build_index(load_corpus(tmp_path))
    assert index.roles == {"特首": ("周立",)}                   # 企业 is no role: 高管 is no name
    asked = {w.text: w.named for w in index.analyze("前特首当时有什么感受").content}
    assert asked["特首"] == ("周立",) and "周立" in index.analyze("前特首当时有什么感受").word_terms
