"""load_corpus: a seeds directory (or one report file) to a Corpus with attributed claims."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

from .corpus import Corpus, CorpusError, read_document
from .rules import load_source_rules, rules_dir_for
from .sources import Attributor, SourceRules, parse_label_rules


def load_attribution_rules(path: Path) -> SourceRules:
    """sources.toml with its ``[labels]`` table, which index.rules does not read yet."""
    rules = load_source_rules(path)   # raises CorpusError for a missing or broken file
    try:
        labels = parse_label_rules(tomllib.loads(path.read_text(encoding="utf-8-sig")).get("labels", {}))
    except ValueError as exc:
        raise CorpusError(f"{path}: {exc}") from None
    return dataclasses.replace(rules, labels=labels)


def load_corpus(path: str | Path) -> Corpus:
    """Read every ``*.md`` report under ``path`` (or the one file), all or nothing."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.md") if p.is_file())
        if not files:
            raise CorpusError(f"{path}: no reports (*.md files) in this directory")
    elif path.is_file():
        files = [path]
    else:
        raise CorpusError(f"{path}: no such file or directory")
    rules_dir = rules_dir_for(path)
    source_rules = load_attribution_rules(rules_dir / "sources.toml")
    documents = [read_document(f) for f in files]
    seen: dict[str, Path] = {}
    for document in documents:
        if document.doc_id in seen:
            raise CorpusError(f"{document.path}: same name as {seen[document.doc_id]}")
        seen[document.doc_id] = document.path
        attributor = Attributor(source_rules)
        for paragraph in document.paragraphs:
            paragraph.claims = attributor.claims(paragraph.text)
    return Corpus(documents=documents, rules_dir=rules_dir)
