"""The engine as the bot serves it: one current index, swapped atomically on reload.

Handlers and the terminal chat ask ``ReportService.respond``; an admin's reload
builds a whole new index (the slow part, meant to run off the event loop) and
only then replaces the reference to the old one, so a question asked meanwhile
is answered by the old or the new index, never by a half-built one.  A reload
that fails raises ``CorpusError`` and leaves the old index serving.  Reloads
run one after the other.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index import CorpusError, ReportIndex
from index.answer import Answerer
from index.cache import AnalysisCache
from index.loader import load_index, reports_at
from index.reply import MAX_QUESTION_CHARS, Answer
from index.rules import rules_dir_for

from .library import Library


@dataclass(frozen=True)
class Engine:
    """An index and its answerer, built together and never changed afterwards."""
    index: ReportIndex
    answerer: Answerer

    @property
    def paragraph_keys(self) -> set[tuple[str, str]]:
        return {(p.doc_id, p.text) for p in self.index.paragraphs}


@dataclass(frozen=True)
class ReloadReport:
    documents: int
    paragraphs: int
    seconds: float
    added: int
    removed: int

    @property
    def summary(self) -> str:
        return (f"已重新载入：{self.documents} 篇报道，{self.paragraphs} 段，用时 {self.seconds:.2f} 秒；"
                f"新增 {self.added} 段，删除 {self.removed} 段。")


def build_engine(seeds_dir: str | Path, library: Library | None = None, cache: AnalysisCache | None = None,
                 previous: Engine | None = None) -> Engine:
    """Load and index a seeds directory (or file), or a library's reports, each report's analysis from the
    ``previous`` engine or ``cache`` when they hold one (index.loader.load_index); raises CorpusError naming
    the bad file."""
    if library is not None:
        files, rules_dir = library.files(), library.rules_dir
    else:
        files, rules_dir = reports_at(seeds_dir), rules_dir_for(Path(seeds_dir))
    index = load_index(files, rules_dir, cache, previous.index if previous else None)
    if cache is not None:
        cache.prune()
    return Engine(index, Answerer(index))


class ReportService:
    def __init__(self, seeds_dir: str | Path, engine: Engine | None = None, library: Library | None = None,
                 cache: AnalysisCache | None = None) -> None:
        self.seeds_dir = Path(seeds_dir)
        self.library = library
        self.cache = cache
        self.engine = engine or build_engine(self.seeds_dir, library, cache)
        self._reload_lock = threading.Lock()

    @property
    def index(self) -> ReportIndex:
        return self.engine.index

    def respond(self, state: dict[str, Any] | None, text: str) -> tuple[Answer, dict[str, Any]]:
        return self.engine.answerer.respond(state, text)

    def reload(self) -> ReloadReport:
        """Rebuild from ``seeds_dir`` (or the library) and swap; on error the old engine keeps serving."""
        with self._reload_lock:
            started = time.perf_counter()
            old = self.engine
            # raises CorpusError; nothing changed yet
            new = build_engine(self.seeds_dir, self.library, self.cache, old)
            self.engine = new                     # one reference assignment: atomic
            old_keys, new_keys = old.paragraph_keys, new.paragraph_keys
            return ReloadReport(documents=len(new.index.documents), paragraphs=len(new.index.paragraphs),
                                seconds=time.perf_counter() - started,
                                added=len(new_keys - old_keys), removed=len(old_keys - new_keys))


__all__ = ["MAX_QUESTION_CHARS", "CorpusError", "Engine", "ReloadReport", "ReportService", "build_engine"]
