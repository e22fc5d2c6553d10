"""The report library: the bundled seeds (read-only) plus the reports admins add from Telegram.

Reports an admin adds are written into the library directory (``BOT_LIBRARY_DIR``;
in the Docker image on the ``/data`` volume), atomically (a temporary file
renamed into place), with who added them and when in ``library.json`` beside
them.  Removing an added report deletes its file; a bundled one is hidden
instead (``hidden`` in ``library.json``), since the seeds stay read-only.

``preview`` reads an upload with the real loader before anything is stored, so
what the admin is shown is what the bot will serve, and a broken file changes
nothing.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from index import CorpusError
from index.corpus import Document, read_document
from index.loader import attribute, report_files
from index.rules import load_source_rules, rules_dir_for

MAX_UPLOAD_BYTES = 1_000_000        # a long news report is 20–60 KB of text; a megabyte is far beyond any
UPLOAD_SUFFIXES = (".md", ".txt")
METADATA = "library.json"
_UNSAFE = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff_-]+")


_DATE = re.compile(r"^\s*(\d{4})\s*[-年/.]\s*(\d{1,2})(?:\s*[-月/.]\s*(\d{1,2})\s*日?)?\s*$")


def date_of(text: str | None) -> str | None:
    """A date an admin typed (2023-11-15, 2023年11月15日, 2023-11) as front matter writes it; None otherwise."""
    match = _DATE.match(text or "")
    if match is None:
        return None
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")


def with_date(data: bytes, date: str) -> bytes:
    """The report with ``date`` as its front matter's ``published`` (kept when it has one already); UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="strict")
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[0].strip() == "---":
        if any(line.strip().lower().startswith("published:") for line in lines[1:]):
            return text.encode("utf-8")
        return "\n".join([lines[0], f"published: {date}", *lines[1:]]).encode("utf-8")
    return f"---\npublished: {date}\n---\n\n{text}".encode()


class LibraryError(ValueError):
    """An upload or removal that cannot be done; the message is for the admin."""


@dataclass(frozen=True)
class Preview:
    """What the bot would serve from an upload, and what is wrong with it."""
    name: str                       # the file name it would get in the library
    title: str
    publisher: str
    published: str
    paragraphs: int
    first_paragraph: str
    tiers: dict[str, int]           # sentences per tier
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Entry:
    """One report of the library as /reports lists it."""
    doc_id: str
    path: Path
    bundled: bool
    added_by: int | None = None
    added_at: float | None = None


class Library:
    def __init__(self, seeds_dir: Path, library_dir: Path) -> None:
        self.seeds_dir = Path(seeds_dir)
        self.library_dir = Path(library_dir)

    # -- what is served ----------------------------------------------------
    @property
    def rules_dir(self) -> Path:
        return rules_dir_for(self.seeds_dir)

    def _metadata(self) -> dict:
        path = self.library_dir / METADATA
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"added": {}, "hidden": []}
        except (OSError, ValueError) as exc:
            raise CorpusError(f"{path}: cannot be read ({exc})") from None
        return {"added": dict(data.get("added") or {}), "hidden": list(data.get("hidden") or [])}

    def _write_metadata(self, data: dict) -> None:
        _write_atomically(self.library_dir / METADATA, json.dumps(data, ensure_ascii=False, indent=1).encode())

    def entries(self) -> list[Entry]:
        """The reports served: bundled ones not hidden, then added ones, each in file order."""
        meta = self._metadata()
        hidden = set(meta["hidden"])
        bundled = [Entry(p.stem, p, True) for p in report_files(self.seeds_dir) if p.stem not in hidden] \
            if self.seeds_dir.is_dir() else [Entry(self.seeds_dir.stem, self.seeds_dir, True)]
        added = [Entry(p.stem, p, False, (meta["added"].get(p.name) or {}).get("by"),
                       (meta["added"].get(p.name) or {}).get("at"))
                 for p in (report_files(self.library_dir) if self.library_dir.is_dir() else [])]
        return bundled + added

    def files(self) -> list[Path]:
        return [entry.path for entry in self.entries()]

    # -- adding ------------------------------------------------------------
    def preview(self, name: str, data: bytes, loaded: list[Document]) -> Preview:
        """The upload as the loader reads it (CorpusError if it cannot be read at all), with its problems:
        no date, a duplicate of a loaded report, no paragraphs."""
        if len(data) > MAX_UPLOAD_BYTES:
            raise LibraryError(f"文件太大（{len(data) // 1000} KB），报道最多 {MAX_UPLOAD_BYTES // 1000} KB。")
        suffix = Path(name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise LibraryError("只接受 .md 或 .txt 文件（UTF-8 或 GB18030 编码的纯文本）。")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(data)
            document = read_document(path)
            attribute(document, load_source_rules(self.rules_dir / "sources.toml"))
        problems = []
        if not document.published:
            problems.append("没有日期：相对日期（明年、下个月）无法换算，会按原文保留；"
                            "可以把日期写在文件的说明里重发（如 2023-11-15），或用 /add 日期 全文")
        if not document.paragraphs:
            problems.append("没有正文段落")
        texts = {p.text for d in loaded for p in d.paragraphs}
        if document.paragraphs and all(p.text in texts for p in document.paragraphs):
            problems.append("与已载入的报道重复")
        tiers = Counter(c.tier for p in document.paragraphs for c in p.claims)
        return Preview(self._free_name(document.title or Path(name).stem, suffix), document.title,
                       document.publisher, document.published, len(document.paragraphs),
                       document.paragraphs[0].text if document.paragraphs else "", dict(tiers), problems)

    def _free_name(self, title: str, suffix: str) -> str:
        stem = _UNSAFE.sub("-", title).strip("-")[:40] or "report"
        taken = {p.stem for p in report_files(self.seeds_dir)} if self.seeds_dir.is_dir() else set()
        taken |= {p.stem for p in report_files(self.library_dir)} if self.library_dir.is_dir() else set()
        name, number = stem, 2
        while name in taken:
            name, number = f"{stem}-{number}", number + 1
        return name + suffix

    def save(self, name: str, data: bytes, user_id: int | None) -> Path:
        """Write an upload into the library (atomically) and note who added it."""
        if Path(name).name != name or Path(name).suffix not in UPLOAD_SUFFIXES:
            raise LibraryError(f"不能保存为 {name!r}")
        self.library_dir.mkdir(parents=True, exist_ok=True)
        path = self.library_dir / name
        _write_atomically(path, data)
        meta = self._metadata()
        meta["added"][name] = {"by": user_id, "at": time.time()}
        self._write_metadata(meta)
        return path

    def remove(self, doc_id: str) -> Entry:
        """Delete an added report, or hide a bundled one; LibraryError when it is not in the library."""
        entry = next((e for e in self.entries() if e.doc_id == doc_id), None)
        if entry is None:
            raise LibraryError("这篇报道已不在库里。")
        meta = self._metadata()
        if entry.bundled:
            meta["hidden"] = sorted({*meta["hidden"], doc_id})
        else:
            entry.path.unlink(missing_ok=True)
            meta["added"].pop(entry.path.name, None)
        self._write_metadata(meta)
        return entry


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same directory, flush it to disk, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".upload-", delete=False) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        temporary = Path(handle.name)
    os.replace(temporary, path)
