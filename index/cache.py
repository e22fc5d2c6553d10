"""Reports' analyses kept on disk, so that each report is analysed once.

A report's analysis (index.analysis) is a function of

* the report's file name and bytes, and those of its knowledge file;
* the rule files (their bytes);
* the engine: the source of every module of this package and the versions of
  jieba and zhconv, whose dictionaries cut and simplify the text
  (``engine_version``), so that any change of the code invalidates every entry
  without anyone remembering to bump a number;

and its key is the SHA-256 of all of them.  An entry is one pickle file,
written atomically (a temporary file renamed into place), touched when used and
deleted once unused for ``KEEP_DAYS``.  A library's analyses are also kept
together in one file keyed by its reports' keys (``get_library``), with the
retriever built over them: a start-up with nothing changed reads one file, each
term string once, instead of one file per report, and does not join and sort
their postings again; only the ``LIBRARIES`` newest such files are kept.  An entry that cannot be read (cut short,
from another Python, not ours) is analysed again and replaced, never trusted:
only the bot writes this directory, which must not be writable by others
(a pickle runs code when read).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .analysis import ReportAnalysis
from .pickled import collection_paused
from .retrieve import Retriever
from .rules import RULE_FILES

log = logging.getLogger(__name__)

ANALYSIS_LIBRARIES = ("jieba", "zhconv")
KEEP_DAYS = 30
LIBRARIES = 2
_SUFFIX = ".analysis"
_LIBRARY_SUFFIX = ".library"


@lru_cache(maxsize=1)
def engine_version() -> str:
    """A digest of this package's source and of the versions of the libraries whose data shape an analysis."""
    digest = hashlib.sha256(" ".join(f"{name} {metadata.version(name)}" for name in ANALYSIS_LIBRARIES).encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def rules_digest(rules_dir: Path) -> bytes:
    digest = hashlib.sha256()
    for name in RULE_FILES:
        path = rules_dir / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-") + b"\0")
    return digest.digest()


def analysis_key(report: Path, knowledge: Path | None, rules: bytes) -> str:
    """The key of a report's analysis (see the module docstring)."""
    digest = hashlib.sha256(engine_version().encode() + rules)
    for path in (report, knowledge):
        digest.update(b"\0" if path is None else path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class SavedLibrary:
    """A library's analyses in order and the retriever built over them (joining a thousand reports' term counts
    and sorting their postings takes longer than reading them back)."""
    analyses: list[ReportAnalysis]
    retriever: Retriever


class AnalysisCache:
    """A directory of analyses by key; ``get`` and ``put`` never raise for a cache that does not work."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.hits = self.misses = 0
        self.writable = True

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}{_SUFFIX}"

    def get(self, key: str) -> ReportAnalysis | None:
        analysis = self._read(self._path(key))
        if isinstance(analysis, ReportAnalysis):
            self.hits += 1
            return analysis
        self.misses += 1
        return None

    def put(self, key: str, analysis: ReportAnalysis) -> None:
        self._write(self._path(key), analysis)

    def _library_path(self, keys: list[str]) -> Path:
        return self.directory / f"{hashlib.sha256(chr(10).join(keys).encode()).hexdigest()}{_LIBRARY_SUFFIX}"

    def get_library(self, keys: list[str]) -> SavedLibrary | None:
        """The analyses of a library saved with exactly these reports' keys, in this order, and its retriever."""
        saved = self._read(self._library_path(keys))
        if (isinstance(saved, SavedLibrary) and len(saved.analyses) == len(keys)
                and isinstance(saved.retriever, Retriever)
                and all(isinstance(a, ReportAnalysis) and a.key == k
                        for a, k in zip(saved.analyses, keys, strict=True))):
            return saved
        return None

    def put_library(self, keys: list[str], library: SavedLibrary) -> None:
        path = self._library_path(keys)
        if path.is_file():
            os.utime(path)
            return
        self._write(path, library)
        try:
            saved = sorted(self.directory.glob(f"*{_LIBRARY_SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in saved[LIBRARIES:]:
                old.unlink(missing_ok=True)
        except OSError:
            pass

    def _read(self, path: Path) -> object:
        try:
            with path.open("rb") as file, collection_paused():
                loaded = pickle.load(file)
            os.utime(path)
            return loaded
        except (FileNotFoundError, NotADirectoryError):
            return None
        except Exception as error:        # a bad entry is analysed again, whatever is wrong with it
            log.warning("analysis cache entry %s unreadable (%s): analysing again", path.name, error)
            return None

    def _write(self, path: Path, value: object) -> None:
        if not self.writable:
            return
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with partial.open("wb") as file:
                pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, path)
        except OSError as error:
            self.writable = False          # said once; the bot works on, analysing at every load
            log.warning("analysis cache %s not writable (%s): reports are analysed at every load",
                        self.directory, error)
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)

    def prune(self, days: float = KEEP_DAYS) -> int:
        """Delete entries unused for ``days``; returns how many."""
        cutoff = time.time() - days * 86400
        removed = 0
        try:
            for path in self.directory.glob(f"*{_SUFFIX}"):
                if path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
                    removed += 1
        except OSError:
            pass
        return removed
