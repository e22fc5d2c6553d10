"""Each report analysed once (index.cache, index.loader.load_index): answers identical to a build without
the cache, only what changed analysed again, and a cache that is broken or cannot be written never breaks
a load."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path

import pytest

import index.loader
from bot.config import ConfigError, cache_dir
from bot.service import ReportService, build_engine
from index import cache as cache_module
from index.bm25 import TermCounts
from index.cache import LIBRARIES, AnalysisCache, analysis_key
from tests.conftest import ROOT

REPORTS = sorted((ROOT / "tests" / "data" / "reports").glob("*/report.md"))[:4]
QUESTIONS = ["工厂年产能多少", "售价多少钱", "谁说的", "事故发生在哪里", "出租车起步价涨了吗", "什么时候开始",
             "報道說了什麼", "😀", "<b>x</b>"]


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copytree(ROOT / "seeds" / "rules", folder / "rules")
    shutil.copy(ROOT / "seeds" / "xiaomi-auto-factory-2023-11.md", folder)
    shutil.copy(ROOT / "seeds" / "xiaomi-auto-factory-2023-11.rules.toml", folder)
    for report in REPORTS:
        shutil.copy(report, folder / f"{report.parent.name}.md")
    return folder


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the reports analysed (not taken from a cache or the previous index)."""
    names: list[str] = []
    real = index.loader._analysed

    def counting(path: Path, *args: object) -> object:
        names.append(path.stem)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(index.loader, "_analysed", counting)
    return names


def answers(service: ReportService) -> list[str]:
    replies = [json.dumps(service.respond(None, q)[0].to_json(), ensure_ascii=False) for q in QUESTIONS]
    paragraphs = [(p.doc_id, p.number, p.text, [(c.text, c.source, c.tier) for c in p.claims])
                  for p in service.index.paragraphs]
    return [*replies, json.dumps(paragraphs, ensure_ascii=False)]


def test_answers_from_the_cache_equal_those_without_it(seeds: Path, tmp_path: Path, analysed: list[str]) -> None:
    without = answers(ReportService(seeds))
    cache = AnalysisCache(tmp_path / "cache")
    cold = ReportService(seeds, cache=cache)
    assert answers(cold) == without
    analysed.clear()
    warm = ReportService(seeds, cache=AnalysisCache(tmp_path / "cache"))
    assert analysed == []                      # nothing analysed: the library file held every report
    assert answers(warm) == without
    for library in (tmp_path / "cache").glob("*.library"):
        library.unlink()
    analysed.clear()
    per_report = ReportService(seeds, cache=AnalysisCache(tmp_path / "cache"))
    assert analysed == [] and answers(per_report) == without     # one file per report


def test_a_start_with_nothing_changed_reads_the_librarys_retriever(seeds: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The library file keeps the retriever built over its reports: a start from it joins no term counts, and
    searches the same postings."""
    cold = ReportService(seeds, cache=AnalysisCache(tmp_path / "cache"))
    joined: list[int] = []
    real = TermCounts.joined.__func__      # type: ignore[attr-defined]
    monkeypatch.setattr(TermCounts, "joined", classmethod(lambda cls, parts: joined.append(1) or real(cls, parts)))
    warm = ReportService(seeds, cache=AnalysisCache(tmp_path / "cache"))
    assert joined == []
    for built, read in ((cold.index.retriever.words, warm.index.retriever.words),
                        (cold.index.retriever.bigrams, warm.index.retriever.bigrams)):
        assert read.counts.vocabulary == built.counts.vocabulary
        assert dict(read.idf) == dict(built.idf) and dict(read.doc_freq) == dict(built.doc_freq)
        assert read.top(["小米", "汽车", "工厂"], 5) == built.top(["小米", "汽车", "工厂"], 5)
    assert answers(warm) == answers(cold)


def test_a_reload_analyses_only_the_report_that_changed(seeds: Path, tmp_path: Path, analysed: list[str]) -> None:
    service = ReportService(seeds, cache=AnalysisCache(tmp_path / "cache"))
    assert len(analysed) == 1 + len(REPORTS)
    analysed.clear()
    changed = seeds / f"{REPORTS[0].parent.name}.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n记者补充：工厂年产能为九十万辆。\n", encoding="utf-8")
    service.reload()
    assert analysed == [changed.stem]
    assert answers(service) == answers(ReportService(seeds))
    assert any(p.text == "记者补充：工厂年产能为九十万辆。" for p in service.index.paragraphs)


def test_a_changed_rule_file_or_knowledge_file_is_analysed_again(seeds: Path, tmp_path: Path,
                                                                 analysed: list[str]) -> None:
    ReportService(seeds, cache=AnalysisCache(tmp_path / "cache"))
    analysed.clear()
    knowledge = seeds / "xiaomi-auto-factory-2023-11.rules.toml"
    knowledge.write_text(knowledge.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    ReportService(seeds, cache=AnalysisCache(tmp_path / "cache"))
    assert analysed == ["xiaomi-auto-factory-2023-11"]
    analysed.clear()
    stopwords = seeds / "rules" / "stopwords.txt"
    stopwords.write_text(stopwords.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    ReportService(seeds, cache=AnalysisCache(tmp_path / "cache"))
    assert len(analysed) == 1 + len(REPORTS)


def test_the_key_changes_with_the_engine_the_bytes_and_the_name(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "a.md"
    report.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    first = analysis_key(report, None, b"rules")
    assert analysis_key(report, None, b"rules") == first
    assert analysis_key(report, None, b"other rules") != first
    renamed = tmp_path / "b.md"
    shutil.copy(report, renamed)
    assert analysis_key(renamed, None, b"rules") != first             # the name is the report's id
    report.write_text("# 标题\n\n正文！\n", encoding="utf-8")
    assert analysis_key(report, None, b"rules") != first
    monkeypatch.setattr(cache_module, "engine_version", lambda: "another engine")
    report.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    assert analysis_key(report, None, b"rules") != first


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\x80\x05\x95"])
def test_a_damaged_cache_entry_is_analysed_again(seeds: Path, tmp_path: Path, analysed: list[str],
                                                 damage: bytes, caplog: pytest.LogCaptureFixture) -> None:
    expected = answers(ReportService(seeds, cache=AnalysisCache(tmp_path / "cache")))
    for entry in (tmp_path / "cache").iterdir():
        entry.write_bytes(damage)
    analysed.clear()
    with caplog.at_level(logging.WARNING):
        again = ReportService(seeds, cache=AnalysisCache(tmp_path / "cache"))
    assert len(analysed) == 1 + len(REPORTS)
    assert answers(again) == expected
    if damage:
        assert "unreadable" in caplog.text


def test_a_cache_that_cannot_be_written_warns_once_and_changes_nothing(seeds: Path, tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        service = ReportService(seeds, cache=AnalysisCache(blocker / "cache"))
    assert answers(service) == answers(ReportService(seeds))
    assert caplog.text.count("not writable") == 1


def test_old_entries_are_pruned_and_few_library_files_kept(seeds: Path, tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path / "cache")
    ReportService(seeds, cache=cache)
    stale = tmp_path / "cache" / "0123.analysis"
    stale.write_bytes(b"old")
    month_ago = time.time() - 31 * 86400
    os.utime(stale, (month_ago, month_ago))
    assert cache.prune() == 1 and not stale.exists()
    for n in range(LIBRARIES + 2):
        (seeds / f"extra-{n}.md").write_text(f"# 第{n}篇\n\n记者看到，第{n}个工地已经开工。\n", encoding="utf-8")
        build_engine(seeds, cache=cache)
    assert len(list((tmp_path / "cache").glob("*.library"))) == LIBRARIES


def test_a_broken_report_still_fails_the_load_with_a_cache(seeds: Path, tmp_path: Path) -> None:
    service = ReportService(seeds, cache=AnalysisCache(tmp_path / "cache"))
    (seeds / "broken.md").write_bytes(b"\x00\x01binary")
    with pytest.raises(index.CorpusError, match=r"broken\.md"):
        service.reload()
    assert service.respond(None, "工厂年产能多少")[0].answered      # the old index serves on


def test_the_cache_setting(tmp_path: Path) -> None:
    assert cache_dir({}) == Path("data/cache")
    assert cache_dir({"BOT_CACHE_DIR": "off"}) is None
    assert cache_dir({"BOT_CACHE_DIR": str(tmp_path)}) == tmp_path
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="BOT_CACHE_DIR"):
        cache_dir({"BOT_CACHE_DIR": str(tmp_path / "file")})
