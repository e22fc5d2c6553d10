"""ReportService: one index serving at a time, swapped whole on reload, kept on a failed reload."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest

from bot.service import MAX_QUESTION_CHARS, ReportService
from index import CorpusError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_REPORT = next(SEEDS.glob("*.md"))

EXTRA_REPORT = """---
title: 测试报道
publisher: 测试日报
published: 2024-03
---

某某科技相关负责人表示，公司的新工厂将于明年投产，年产能为5万台扫地机器人。

记者在现场看到，新工厂的厂房已经封顶。
"""


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    directory = tmp_path / "seeds"
    directory.mkdir()
    shutil.copy(SEED_REPORT, directory / SEED_REPORT.name)
    return directory


@pytest.fixture
def service(seeds: Path) -> ReportService:
    return ReportService(seeds)


def test_reload_reports_what_changed(service: ReportService, seeds: Path):
    before = service.engine
    (seeds / "robot.md").write_text(EXTRA_REPORT, encoding="utf-8")
    report = service.reload()
    assert (report.documents, report.paragraphs, report.added, report.removed) == (2, 30, 2, 0)
    assert service.engine is not before
    assert "2 篇" in report.summary and "新增 2 段" in report.summary
    answer, _ = service.respond(None, "扫地机器人年产能多少")
    assert answer.answered and answer.items[0].document_id == "robot"
    assert f"《测试报道》第{answer.items[0].paragraph}段" in answer.message    # which report, when there are several
    seed_answer, _ = service.respond(None, "工厂年产能多少")
    assert "…》第" in seed_answer.message                                      # a long title is shortened

    (seeds / "robot.md").unlink()
    report = service.reload()
    assert (report.documents, report.paragraphs, report.added, report.removed) == (1, 28, 0, 2)


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00bin", b"---\ntitle: x\nno closing line\n", b"![](x.png)\n"])
def test_failed_reload_keeps_the_old_index_serving(service: ReportService, seeds: Path, content: bytes):
    before = service.engine
    (seeds / "broken.md").write_bytes(content)
    with pytest.raises(CorpusError, match=r"broken\.md"):
        service.reload()
    assert service.engine is before
    answer, _ = service.respond(None, "工厂年产能多少")
    assert answer.answered


def test_questions_during_reload_are_answered_by_a_whole_index(service: ReportService, seeds: Path):
    (seeds / "robot.md").write_text(EXTRA_REPORT, encoding="utf-8")
    errors: list[BaseException] = []
    answered: list[bool] = []
    done = threading.Event()

    def ask() -> None:
        while not done.is_set():
            try:
                answer, _ = service.respond(None, "工厂年产能多少")
                answered.append(answer.answered)
            except BaseException as exc:  # any failure is the finding
                errors.append(exc)

    asker = threading.Thread(target=ask)
    asker.start()
    try:
        for _ in range(2):
            service.reload()
    finally:
        done.set()
        asker.join()
    assert not errors
    assert answered and all(answered)


def test_overlong_message_is_declined_without_searching(service: ReportService):
    answer, state = service.respond({"q": "售价多少"}, "售价" * MAX_QUESTION_CHARS)
    assert answer.kind == "too_long" and not answer.answered
    assert "太长" in answer.message
    assert state == {"q": "售价多少"}


@pytest.mark.parametrize("rule_file, content", [
    ("synonyms.txt", "售价 多少钱 没有等号\n"),
    ("sources.toml", "[speech\nverbs = 1\n"),
    ("intents.toml", "[time]\nquestion = [\"(unclosed\"]\n"),
    ("intents.toml", "[time]\npattern = \"x\"\n"),            # an unknown key: named, not silently dropped
    ("sources.toml", "[tiers]\nofficial = \"官方\"\n[speech]\nverbs = [\"说\"]\nverb = [\"称\"]\n"),
    ("stopwords.txt", b"\xff\xfe\xfa"),
])
def test_broken_rule_file_is_named_and_the_old_index_keeps_serving(service: ReportService, seeds: Path,
                                                                   rule_file: str, content: str | bytes):
    rules = seeds / "rules"
    shutil.copytree(SEEDS / "rules", rules)
    service.reload()                                   # the copied rules load like the bundled ones
    before = service.engine
    path = rules / rule_file
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(CorpusError, match=re.escape(rule_file)):
        service.reload()
    assert service.engine is before
    assert service.respond(None, "工厂年产能多少")[0].answered


def test_examples_file_is_optional_and_checked(service: ReportService, seeds: Path):
    rules = seeds / "rules"
    shutil.copytree(SEEDS / "rules", rules)
    (rules / "examples.txt").unlink()
    service.reload()
    assert service.index.rules.examples == []
    assert "试试问" not in service.respond(None, "你好")[0].message
    (rules / "examples.txt").write_text("# comment\n电池多大？\n" + "长" * 80 + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"examples\.txt: line 3"):
        service.reload()
    (rules / "examples.txt").write_text("工厂在哪？\n", encoding="utf-8")
    service.reload()
    assert service.index.rules.examples == ["工厂在哪？"]
    assert "试试问：工厂在哪？" in service.respond(None, "你好")[0].message
