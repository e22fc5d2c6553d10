"""Reading seeds: the bundled report becomes 28 numbered paragraphs; bad seeds fail whole, naming the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import CorpusError, load_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "xiaomi-auto-factory-2023-11.md"

GOOD = """---
title: 测试报道
publisher: 测试日报
published: 2024-01
---

# 测试报道

记者：王五 编辑：赵六

第一段正文，说明了事情的经过。

**小节标题**

第二段正文，记者看到工厂已经建好。

测试日报
"""


@pytest.fixture(scope="module")
def seed():
    corpus = load_corpus(SEEDS)
    [document] = corpus.documents
    return document


# --- the bundled report ------------------------------------------------------------------------------------

def test_seed_has_28_body_paragraphs_numbered_in_order(seed):
    assert [p.number for p in seed.paragraphs] == list(range(1, 29))
    assert seed.paragraphs[0].text.lstrip("“").startswith("里面应该已经开始生产了")
    assert seed.paragraphs[-1].text.startswith("“小米汽车接触其他车企解决现有产能问题")


def test_seed_front_matter(seed):
    assert seed.title == "实探小米汽车生产基地：已实现小批量试生产，新车或明年2月上市"
    assert (seed.publisher, seed.author, seed.published) == ("每日经济新闻", "李星", "2023-11")


def test_seed_drops_images_captions_title_byline_and_footer(seed):
    texts = [p.text for p in seed.paragraphs]
    for residue in ("![", "](", "gtimg", "图片来源", "每经编辑", "每经记者：李星"):
        assert not any(residue in text for text in texts), residue
    assert seed.title not in texts
    assert "每日经济新闻" not in texts


def test_seed_keeps_section_headings_as_metadata(seed):
    sections = {p.number: p.section for p in seed.paragraphs}
    assert [sections[n] for n in (1, 4)] == [None, None]
    assert sections[5] == sections[11] == "工厂保密制度严格，供应商排队拜访"
    assert sections[12] == sections[18] == "已试生产数十辆新车"
    assert sections[19] == sections[28] == "“准生证”或已箭在弦上"
    assert not any(p.text.startswith("**") for p in seed.paragraphs)


def test_seed_paragraphs_have_claims_that_rebuild_them(seed):
    for paragraph in seed.paragraphs:
        assert paragraph.claims
        assert "".join(c.text for c in paragraph.claims) == paragraph.text.replace(" ", "")


def test_one_file_loads_like_its_directory(seed):
    [document] = load_corpus(SEED).documents
    assert [p.text for p in document.paragraphs] == [p.text for p in seed.paragraphs]


# --- other well-formed reports -----------------------------------------------------------------------------

def test_front_matter_byline_section_and_footer(tmp_path):
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    [document] = load_corpus(tmp_path).documents
    assert document.title == "测试报道" and document.published == "2024-01"
    assert [(p.number, p.text, p.section) for p in document.paragraphs] == [
        (1, "第一段正文，说明了事情的经过。", None),
        (2, "第二段正文，记者看到工厂已经建好。", "小节标题"),
    ]


def test_without_front_matter_the_title_is_the_first_heading(tmp_path):
    (tmp_path / "b.md").write_text("# 没有前言的报道\n\n正文第一段。\n\n## 后续\n\n正文第二段。\n", encoding="utf-8")
    [document] = load_corpus(tmp_path).documents
    assert document.title == "没有前言的报道"
    assert [(p.text, p.section) for p in document.paragraphs] == [("正文第一段。", None), ("正文第二段。", "后续")]


def test_without_any_heading_the_title_is_the_file_name(tmp_path):
    (tmp_path / "plain-report.md").write_text("只有一段正文。\n", encoding="utf-8")
    [document] = load_corpus(tmp_path).documents
    assert document.title == "plain-report"


def test_wrapped_lines_join_without_spaces_in_chinese(tmp_path):
    (tmp_path / "c.md").write_text("# 标题\n\n第一行正文，\n第二行正文。Tesla\nModel Y 也在列。\n", encoding="utf-8")
    [paragraph] = load_corpus(tmp_path).paragraphs
    assert paragraph.text == "第一行正文，第二行正文。Tesla Model Y 也在列。"


def test_image_with_caption_without_emphasis_is_dropped(tmp_path):
    text = "# 标题\n\n正文。\n\n![](https://example.com/a.jpg)\n图片来源：视觉中国\n\n图片来源：新华社\n\n后文。\n"
    (tmp_path / "d.md").write_text(text, encoding="utf-8")
    assert [p.text for p in load_corpus(tmp_path).paragraphs] == ["正文。", "后文。"]


def test_utf8_bom_and_windows_line_endings(tmp_path):
    (tmp_path / "e.md").write_bytes("\ufeff# 标题\r\n\r\n正文一。\r\n\r\n正文二。\r\n".encode())
    assert [p.text for p in load_corpus(tmp_path).paragraphs] == ["正文一。", "正文二。"]


def test_several_reports_are_numbered_each_from_one(tmp_path):
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.md").write_text("# 另一篇\n\n另一篇的正文。\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [(p.doc_id, p.number) for p in corpus.paragraphs] == [("a", 1), ("a", 2), ("b", 1)]


def test_seeds_dir_rules_override_the_bundled_ones(tmp_path):
    shutil.copytree(SEEDS / "rules", tmp_path / "rules")
    rules = tmp_path / "rules" / "sources.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace('default_source = "记者"', 'default_source = "本报"'),
                     encoding="utf-8")
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.rules_dir == tmp_path / "rules"
    assert corpus.paragraphs[0].claims[0].source == "本报"


# --- bad seeds ---------------------------------------------------------------------------------------------

BAD_FILES = {
    "empty": b"",
    "blank": b" \n\n\t\n",
    "not-text": b"\xff\xfe\xfa\xff# \xff\n",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "unclosed-front-matter": "---\ntitle: 标题\n\n正文。\n".encode(),
    "front-matter-not-key-value": "---\ntitle 标题\n---\n\n正文。\n".encode(),
    "front-matter-unknown-key": "---\ntitel: 标题\n---\n\n正文。\n".encode(),
    "front-matter-bad-date": "---\npublished: 去年\n---\n\n正文。\n".encode(),
    "front-matter-bad-opening": "--- title: 标题\n---\n\n正文。\n".encode(),
    "no-paragraphs": "---\ntitle: 标题\n---\n\n# 标题\n\n## 小节\n\n![](a.png)\n_图片来源：网络_\n".encode(),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_seed_file_raises_naming_it(tmp_path, name):
    bad = tmp_path / f"{name}.md"
    bad.write_bytes(BAD_FILES[name])
    for target in (bad, tmp_path):
        with pytest.raises(CorpusError) as error:
            load_corpus(target)
        assert f"{name}.md" in str(error.value)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_one_bad_file_among_good_ones_fails_the_whole_load(tmp_path, name):
    (tmp_path / "a-good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / f"m-{name}.md").write_bytes(BAD_FILES[name])
    (tmp_path / "z-good.md").write_text(GOOD.replace("测试报道", "另一篇"), encoding="utf-8")
    with pytest.raises(CorpusError, match=f"m-{name}\\.md"):
        load_corpus(tmp_path)


@pytest.mark.parametrize(("broken", "expected"), [
    ("[speech\nverbs = [", "not valid TOML"),
    ('[speech]\nverbs = []\n', "at least one speech verb"),
    ('[speech]\nverbs = ["称"]\n[speakers]\nofficial = ["("]\n', "bad pattern"),
    ('[speech]\nverbs = ["称"]\n[labels]\nstrip_after = ["("]\n', "bad pattern"),
    ('[speech]\nverbs = ["称"]\n[labels]\nmax_chars = 0\n', "max_chars"),
])
def test_broken_rules_in_a_seeds_dir_raise_naming_the_file(tmp_path, broken, expected):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "sources.toml").write_text(broken, encoding="utf-8")
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    with pytest.raises(CorpusError) as error:
        load_corpus(tmp_path)
    assert "sources.toml" in str(error.value) and expected in str(error.value)


def test_rules_file_that_is_not_utf8_raises(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "sources.toml").write_bytes("[speech]\nverbs = [\"称\"]\n".encode("utf-16"))
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"sources\.toml"):
        load_corpus(tmp_path)


def test_directory_without_reports_and_missing_path_raise(tmp_path):
    (tmp_path / "notes.csv").write_text("不是报道", encoding="utf-8")
    with pytest.raises(CorpusError, match="no reports"):
        load_corpus(tmp_path)
    with pytest.raises(CorpusError, match="no such file"):
        load_corpus(tmp_path / "missing")


def test_reports_in_subdirectories_are_not_read(tmp_path):
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text(GOOD, encoding="utf-8")
    # Only the top level is read (rules/ and other folders are not reports), so the two a.md never clash.
    assert [d.doc_id for d in load_corpus(tmp_path).documents] == ["a"]


def test_the_report_as_the_user_gave_it_loads_like_the_bundled_markdown(tmp_path):
    """A plain .txt (title line, byline, image lines, publisher footer), here the user's own, exactly as given."""
    original = ROOT / "tests" / "data" / "original" / "000_3cba2885773c93fc.txt"
    shutil.copy(original, tmp_path / original.name)
    [as_given] = load_corpus(tmp_path).documents
    [bundled] = load_corpus(ROOT / "seeds").documents
    assert as_given.title == bundled.title
    assert [p.text for p in as_given.paragraphs] == [p.text for p in bundled.paragraphs]


def test_a_gb18030_report_loads(tmp_path):
    (tmp_path / "gbk.md").write_bytes("# 标题\n\n正文说明了一件事。\n".encode("gb18030"))
    [document] = load_corpus(tmp_path).documents
    assert document.title == "标题" and document.paragraphs[0].text == "正文说明了一件事。"
