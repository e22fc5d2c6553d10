"""load_corpus: a seeds directory (or one report file) to a Corpus with attributed claims."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .corpus import Corpus, CorpusError, Document, read_document
from .rules import load_source_rules, rules_dir_for
from .sources import Attributor, SourceRules

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


def load_corpus(path: str | Path) -> Corpus:
    """Read every ``*.md`` and ``*.txt`` report under ``path`` (or the one file), all or nothing."""
    path = Path(path)
    if path.is_dir():
        files = report_files(path)
        if not files:
            raise CorpusError(f"{path}: no reports (*.md or *.txt files) in this directory")
    elif path.is_file():
        files = [path]
    else:
        raise CorpusError(f"{path}: no such file or directory")
    return load_reports(files, rules_dir_for(path))


def load_reports(files: list[Path], rules_dir: Path) -> Corpus:
    """Read these report files with the rule files of ``rules_dir``, all or nothing."""
    if not files:
        raise CorpusError("no reports to load")
    source_rules = load_source_rules(rules_dir / "sources.toml")
    documents = [read_document(f) for f in files]
    seen: dict[str, Path] = {}
    for document in documents:
        if document.doc_id in seen:
            raise CorpusError(f"{document.path}: same name as {seen[document.doc_id]}")
        seen[document.doc_id] = document.path
        attribute(document, source_rules)
    return Corpus(documents=documents, rules_dir=rules_dir)


def attribute(document: Document, source_rules: SourceRules) -> None:
    """Split each paragraph into claims, each with its source and tier."""
    attributor = Attributor(with_report_speakers(source_rules, document))
    for paragraph in document.paragraphs:
        paragraph.claims = attributor.claims(paragraph.text)
