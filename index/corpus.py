"""Reading reports: Markdown files in a seeds directory become numbered paragraphs.

A report is one ``*.md`` (or plain ``*.txt``) file, UTF-8 or GB18030, with optional front matter::

    ---
    title: 实探小米汽车生产基地
    publisher: 每日经济新闻
    author: 李星
    published: 2023-11
    url: https://…
    ---

The body keeps the report as published.  The loader drops what is not the
reporting itself (images, image captions, the repeated title, the byline and
the publisher footer), keeps bold or ``##`` section headings as metadata of the
paragraphs under them, and numbers the remaining paragraphs 1..N in reading
order.  Loading is all-or-nothing: any bad file raises one ``CorpusError``
naming it, and nothing is returned.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .sources import TIERS, Claim

FRONT_MATTER_KEYS = ("title", "publisher", "author", "published", "url")

_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*", re.S)
# "_图片来源：每经记者 李星 摄_", with or without the emphasis marks.
_CAPTION = re.compile(r"^[_*]*\s*(图片|图|照片)来源\s*[:：][^。！？]{0,60}$", re.S)
_HEADING = re.compile(r"^(#{1,6})\s+(.+)$")
_BOLD_HEADING = re.compile(r"^\*\*(.+?)\*\*$", re.S)
_BYLINE = re.compile(r"(记者|编辑|作者|责编|撰文|来源)\s*[:：]")
_SENTENCE_END = re.compile(r"[。！？!?…”」]")
_WIDE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]")
_PUBLISHED = re.compile(r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$")
# Plain text as pages give it: a date line (2023-11-15 08:30, 2023年11月15日), the author in a byline
# (每经记者：李星, 记者 王明), the outlet in a "来源：" line.
_DATE_LINE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
_AUTHOR = re.compile(r"记者\s*[:：]?\s*([\u4e00-\u9fff]{2,4})(?![\u4e00-\u9fff]*[:：])")
_SOURCE_LINE = re.compile(r"来源\s*[:：]\s*([^\s，。|｜]{2,20})")


class CorpusError(ValueError):
    """A seeds file or directory that cannot be loaded; the message names it."""


@dataclass
class Paragraph:
    doc_id: str
    number: int
    text: str
    section: str | None = None
    claims: list[Claim] = field(default_factory=list)


@dataclass(frozen=True)
class ReportKnowledge:
    """What is true of one report only, from the optional ``<report>.rules.toml`` beside it.

    ``words``: names and terms to keep whole (郭明錤); ``synonyms``: a word of the report and
    what readers call it (雷军 = 雷总, CEO), matched in that report's paragraphs only;
    ``speakers``: a tier for a speaker the report cites without a title; ``examples``:
    example questions for /start."""
    words: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    speakers: tuple[tuple[str, str], ...] = ()
    examples: tuple[str, ...] = ()


@dataclass
class Document:
    doc_id: str
    path: Path
    title: str
    publisher: str = ""
    author: str = ""
    published: str = ""
    url: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    knowledge: ReportKnowledge = field(default_factory=ReportKnowledge)


@dataclass
class Corpus:
    documents: list[Document]
    rules_dir: Path

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [p for d in self.documents for p in d.paragraphs]

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.doc_id == doc_id), None)


def _parse_front_matter(text: str, path: Path) -> tuple[dict[str, str], str]:
    if not text.startswith("---"):
        return {}, text
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise CorpusError(f"{path}: front matter must open with a line of exactly '---'")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    except StopIteration:
        raise CorpusError(f"{path}: front matter opened with '---' is never closed") from None
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1:end], 2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or not key:
            raise CorpusError(f"{path}: line {number} of the front matter is not 'key: value': {line.strip()!r}")
        if key not in FRONT_MATTER_KEYS:
            raise CorpusError(f"{path}: unknown front matter key {key!r} on line {number} "
                              f"(allowed: {', '.join(FRONT_MATTER_KEYS)})")
        meta[key] = value.strip().strip("'\"")
    if meta.get("published") and not _PUBLISHED.match(meta["published"]):
        raise CorpusError(f"{path}: 'published' must look like 2023-11 or 2023-11-20, "
                          f"not {meta['published']!r}")
    return meta, "\n".join(lines[end + 1:])


def _blocks(body: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", body) if b.strip()]


def _strip_images(block: str) -> str:
    """Remove image markup (possibly wrapped over lines) and the caption after it."""
    while True:
        match = _IMAGE.match(block)
        if not match:
            break
        block = block[match.end():].strip()
    if _CAPTION.match(block):
        return ""
    return block


def _join_lines(block: str) -> str:
    """A paragraph wrapped over lines: Chinese joins without a space, other text with one."""
    text = ""
    for line in (line.strip() for line in block.splitlines()):
        if text and line and not (_WIDE.match(text[-1]) and _WIDE.match(line[0])):
            text += " "
        text += line
    return text


_BARE_BYLINE = re.compile(r"^[\u4e00-\u9fff]{0,4}记者(\s+[\u4e00-\u9fff·]{2,8})+$")     # 记者 王明, 本报记者 李星 张三


def _is_byline(block: str) -> bool:
    return len(block) <= 80 and (bool(_BYLINE.search(block)) or bool(_BARE_BYLINE.match(block))) \
        and not _SENTENCE_END.search(block)


def _is_footer(block: str, publisher: str) -> bool:
    plain = block.strip("*_ ")
    if publisher and plain == publisher:
        return True
    return len(plain) <= 20 and not re.search(r"[，。！？,.!?：:]", plain)


_DATE_LINE_PARTS = re.compile(r"来源\s*[:：]\s*\S+|(发布|更新)?(时间|日期)\s*[:：]?|\d{1,2}:\d{2}(:\d{2})?")


def _is_title_line(block: str) -> bool:
    return ("\n" not in block and len(block) <= 60 and not _HEADING.match(block) and not _IMAGE.match(block)
            and not _SENTENCE_END.search(block.rstrip("？?！!")) and not _is_byline(block) and not _is_date_line(block))


def _is_date_line(block: str) -> bool:
    """A line that only dates the page (2023-11-15 08:30 来源：每日经济新闻), not a paragraph opening with a date."""
    if len(block) > 60 or not _DATE_LINE.search(block):
        return False
    rest = _DATE_LINE_PARTS.sub("", _DATE_LINE.sub("", block))
    return not _WIDE.search(rest.replace("　", "")) and not re.search(r"[A-Za-z]{4,}", rest)


def _metadata_from(block: str, meta: dict[str, str]) -> None:
    """The date and the outlet a byline, date line or footer gives, where front matter gave none."""
    if not meta.get("published") and (date := _DATE_LINE.search(block)):
        year, month, day = date.groups()
        meta["published"] = f"{year}-{int(month):02d}-{int(day):02d}"
    if not meta.get("publisher") and (source := _SOURCE_LINE.search(block)):
        meta["publisher"] = source.group(1)


def parse_document(text: str, path: Path) -> Document:
    meta, body = _parse_front_matter(text, path)
    title = meta.get("title", "")
    section: str | None = None
    kept: list[tuple[str, str | None]] = []
    blocks = _blocks(body)
    if not title and blocks and _is_title_line(blocks[0]):
        title, blocks = blocks[0], blocks[1:]        # plain text: the first line is the title
    for block in blocks:
        block = _strip_images(block)
        if not block:
            continue
        heading = _HEADING.match(block)
        if heading and "\n" not in block:
            level, content = len(heading.group(1)), heading.group(2).strip().strip("*")
            if level == 1 and (not title or content == title):
                title = title or content      # the title, or its repetition
            elif content != title:
                section = content
            continue
        bold = _BOLD_HEADING.match(block)
        if bold and "\n" not in block:
            section = bold.group(1).strip()
            continue
        if title and block.strip("*_ ") == title:
            continue
        if not kept and _is_byline(block):
            meta.setdefault("author", a.group(1) if (a := _AUTHOR.search(block)) else "")
            _metadata_from(block, meta)
            continue
        if not kept and _is_date_line(block):
            _metadata_from(block, meta)
            continue
        kept.append((_join_lines(block), section))
    while kept and (_is_footer(kept[-1][0], meta.get("publisher", "")) or _is_byline(kept[-1][0])
                    or _is_date_line(kept[-1][0])):
        footer = kept.pop()[0]
        _metadata_from(footer, meta)
        if not meta.get("publisher") and _is_footer(footer, "") and not _DATE_LINE.search(footer):
            meta["publisher"] = footer.strip("*_ ")      # a page ends with its outlet's name
    if not kept:
        raise CorpusError(f"{path}: no paragraphs found (only headings, images or metadata)")
    doc_id = path.stem
    document = Document(doc_id=doc_id, path=path, title=title or doc_id,
                        publisher=meta.get("publisher", ""), author=meta.get("author", ""),
                        published=meta.get("published", ""), url=meta.get("url", ""))
    document.paragraphs = [Paragraph(doc_id, n, t, s) for n, (t, s) in enumerate(kept, 1)]
    return document


def read_document(path: Path) -> Document:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise CorpusError(f"{path}: the file is empty")
    if b"\x00" in raw:
        raise CorpusError(f"{path}: looks like a binary file, not Markdown text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = raw.decode("gb18030")      # the other encoding Chinese text files come in
        except UnicodeDecodeError:
            raise CorpusError(f"{path}: neither UTF-8 nor GB18030 text (byte {exc.start})") from None
    document = parse_document(text.replace("\r\n", "\n").replace("\r", "\n"), path)
    document.knowledge = read_knowledge(knowledge_path(path))
    return document


def knowledge_path(report: Path) -> Path:
    return report.with_name(report.stem + ".rules.toml")


_KNOWLEDGE_KEYS = {"words", "synonyms", "speakers", "examples"}


def _strings(path: Path, value: object, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CorpusError(f"{path}: {key} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def read_knowledge(path: Path) -> ReportKnowledge:
    """The optional knowledge file of one report; a broken one raises CorpusError naming it and the key."""
    if not path.exists():
        return ReportKnowledge()
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, OSError) as exc:
        raise CorpusError(f"{path}: not a readable UTF-8 TOML file ({exc})") from None
    unknown = sorted(set(data) - _KNOWLEDGE_KEYS)
    if unknown:
        raise CorpusError(f"{path}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(_KNOWLEDGE_KEYS))})")
    synonyms = data.get("synonyms", {})
    speakers = data.get("speakers", {})
    if not isinstance(synonyms, dict) or not isinstance(speakers, dict):
        raise CorpusError(f"{path}: [synonyms] and [speakers] must be tables")
    bad = next((t for t in speakers.values() if t not in TIERS), None)
    if bad is not None:
        raise CorpusError(f"{path}: speakers: unknown tier {bad!r} (the tiers are {', '.join(TIERS)})")
    return ReportKnowledge(
        words=_strings(path, data.get("words", []), "words"),
        synonyms=tuple((k, _strings(path, v, f"synonyms.{k}")) for k, v in synonyms.items()),
        speakers=tuple((str(k), str(v)) for k, v in speakers.items()),
        examples=_strings(path, data.get("examples", []), "examples"))
