"""Loading reports: a seeds directory (or one report file) to a Corpus with attributed claims
(``load_corpus``), or straight to an index, each report's analysis read from the cache when it is there
(``load_index``)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .analysis import ReportAnalysis, analyse
from .cache import AnalysisCache, SavedLibrary, analysis_key, rules_digest
from .corpus import Corpus, CorpusError, Document, knowledge_path, read_document
from .engine import ReportIndex
from .retrieve import Retriever
from .rules import Rules, load_rules, load_source_rules, rules_dir_for
from .sources import Attributor, SourceRules
from .tokenize import Tokenizer

# A report as people have it: Markdown, or the plain text of a page (title line, byline, paragraphs, footer),
# which the same reader takes apart (index.corpus).
REPORT_PATTERNS = ("*.md", "*.txt")


def with_report_speakers(rules: SourceRules, document: Document) -> SourceRules:
    """The general cues plus the speakers this report's knowledge file gives a tier (for this report only)."""
    if not document.knowledge.speakers:
        return rules
    speakers = {tier: list(patterns) for tier, patterns in rules.speakers.items()}
    for name, tier in document.knowledge.speakers:
        speakers.setdefault(tier, []).append(re.compile(re.escape(name)))
    return replace(rules, speakers=speakers)


def report_files(path: Path) -> list[Path]:
    """The report files of a directory (``*.md``, ``*.txt``), sorted."""
    return sorted(p for pattern in REPORT_PATTERNS for p in path.glob(pattern) if p.is_file())


def reports_at(path: str | Path) -> list[Path]:
    """The report files of a seeds directory (or the one file); CorpusError when there are none."""
    path = Path(path)
    if path.is_dir():
        files = report_files(path)
        if not files:
            raise CorpusError(f"{path}: no reports (*.md or *.txt files) in this directory")
        return files
    if path.is_file():
        return [path]
    raise CorpusError(f"{path}: no such file or directory")


def load_corpus(path: str | Path) -> Corpus:
    """Read every ``*.md`` and ``*.txt`` report under ``path`` (or the one file), all or nothing."""
    return load_reports(reports_at(path), rules_dir_for(Path(path)))


def load_reports(files: list[Path], rules_dir: Path) -> Corpus:
    """Read these report files with the rule files of ``rules_dir``, all or nothing."""
    if not files:
        raise CorpusError("no reports to load")
    source_rules = load_source_rules(rules_dir / "sources.toml")
    documents = [read_document(f) for f in files]
    _check_names(documents)
    for document in documents:
        attribute(document, source_rules)
    return Corpus(documents=documents, rules_dir=rules_dir)


def _check_names(documents: list[Document]) -> None:
    seen: dict[str, Path] = {}
    for document in documents:
        if document.doc_id in seen:
            raise CorpusError(f"{document.path}: same name as {seen[document.doc_id]}")
        seen[document.doc_id] = document.path


def load_index(files: list[Path], rules_dir: Path, cache: AnalysisCache | None = None,
               previous: ReportIndex | None = None) -> ReportIndex:
    """The index of these report files with the rule files of ``rules_dir``, all or nothing.

    With a cache, each report's analysis is the one ``previous`` (the index serving now) holds for the
    report's current bytes, else the cache's (index.cache), else the report is read, attributed and
    analysed here and the analysis saved; the whole library's analyses are also saved together, which is
    what a start-up with unchanged reports reads."""
    if not files:
        raise CorpusError("no reports to load")
    rules = load_rules(rules_dir)
    base = Tokenizer(rules)
    if cache is None:
        return _indexed([_analysed(path, rules.sources, base) for path in files], rules, rules_dir, base)
    digest = rules_digest(rules_dir)
    keys = [_key(path, digest) for path in files]
    every_key = [k for k in keys if k]
    held = {a.key: a for a in previous.analyses if a.key} if previous is not None else {}
    saved = None
    if len(every_key) == len(files) and any(k not in held for k in every_key):
        saved = cache.get_library(every_key)
        if saved is not None:
            held.update((a.key, a) for a in saved.analyses)
    analyses = []
    for path, key in zip(files, keys, strict=True):
        analysis = held.get(key) if key else None
        if analysis is None and key:
            analysis = cache.get(key)
        if analysis is None:
            analysis = replace(_analysed(path, rules.sources, base), key=key or "")
            if key:
                cache.put(key, analysis)
        analysis.document.path = path
        analyses.append(analysis)
    # (a library saved with exactly these keys holds these analyses in this order: its retriever is theirs)
    index = _indexed(analyses, rules, rules_dir, base, saved.retriever if saved is not None else None)
    if len(every_key) == len(files):
        cache.put_library(every_key, SavedLibrary(analyses, index.retriever))
    return index


def _indexed(analyses: list[ReportAnalysis], rules: Rules, rules_dir: Path, tokenizer: Tokenizer,
             retriever: Retriever | None = None) -> ReportIndex:
    _check_names([a.document for a in analyses])
    return ReportIndex(analyses, rules, rules_dir, tokenizer, retriever)


def _key(path: Path, digest: bytes) -> str | None:
    knowledge = knowledge_path(path)
    try:
        return analysis_key(path, knowledge if knowledge.is_file() else None, digest)
    except OSError:
        return None          # read_document names the problem


def _analysed(path: Path, source_rules: SourceRules, tokenizer: Tokenizer) -> ReportAnalysis:
    document = read_document(path)
    attribute(document, source_rules)
    return analyse(document, tokenizer)


def attribute(document: Document, source_rules: SourceRules) -> None:
    """Split each paragraph into claims, each with its source and tier."""
    attributor = Attributor(with_report_speakers(source_rules, document), outlet=document.publisher)
    texts = [paragraph.text for paragraph in document.paragraphs]
    attributor.read_ahead(texts)
    for paragraph in document.paragraphs:
        paragraph.claims = attributor.claims(paragraph.text)
