"""Loading the editor-maintained rule files (see README, "Rule files").

``<seeds>/rules/`` overrides the bundled ``seeds/rules/`` of this repository, so a
seeds directory elsewhere still works with the defaults.  Every problem is a
``CorpusError`` that names the file and line, so a /reload can say exactly what
to fix while the old index keeps serving.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import CorpusError
from .source_rules import DocumentRules
from .sources import DEFAULT_LABELS, TIERS, SourceRules, group_tier, parse_label_rules

BUNDLED_RULES_DIR = Path(__file__).resolve().parent.parent / "seeds" / "rules"
RULE_FILES = ("sources.toml", "synonyms.txt", "userdict.txt", "stopwords.txt", "intents.toml", "examples.txt")


@dataclass
class Rules:
    sources: SourceRules
    synonyms: dict[str, str]          # variant -> canonical term
    userdict: list[tuple[str, int | None, str | None]]  # word, frequency, POS tag
    stopwords: frozenset[str]
    intents: dict[str, Intent]
    directory: Path
    examples: list[str] = field(default_factory=list)   # example questions for help texts and /start


@dataclass(frozen=True)
class Intent:
    """A kind of question (time, quantity, …) and the sentences that answer it."""
    name: str
    question: list[re.Pattern[str]]
    answer: list[re.Pattern[str]]


def rules_dir_for(seeds_path: Path) -> Path:
    base = seeds_path if seeds_path.is_dir() else seeds_path.parent
    local = base / "rules"
    return local if (local / "sources.toml").is_file() else BUNDLED_RULES_DIR


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise CorpusError(f"{path}: rule file is missing") from None
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not valid UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _lines(path: Path) -> list[tuple[int, str]]:
    out = []
    for number, line in enumerate(_read_text(path).splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line:
            out.append((number, line))
    return out


def _compile(path: Path, where: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise CorpusError(f"{path}: bad pattern {pattern!r} in {where}: {exc}") from None


def _string_list(path: Path, table: dict, key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CorpusError(f"{path}: {where}.{key} must be a list of strings")
    return value


def load_source_rules(path: Path) -> SourceRules:
    try:
        data = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path}: not valid TOML ({exc})") from None
    _known_keys(path, "sources.toml", data, {"tiers", "speech", "labels", "speakers", "phrases", "documents"})
    for section, keys in (("speech", {"verbs", "bare_verbs", "pseudonym", "no_carry_over", "default_source",
                                      "relatives"}),
                          ("labels", {"strip_before", "strip_after", "back_reference", "pronouns", "quantifiers",
                                      "max_chars"}),
                          ("documents", {"opens", "introduces", "kinds"})):
        _known_keys(path, section, data.get(section, {}), keys)
    tiers = data.get("tiers", {})
    unknown = set(tiers) - set(TIERS)
    if unknown:
        raise CorpusError(f"{path}: unknown tier code(s) {sorted(unknown)}; the codes are {', '.join(TIERS)}")
    speech, speakers, phrases = data.get("speech", {}), data.get("speakers", {}), data.get("phrases", {})
    documents = data.get("documents", {})
    verbs = _string_list(path, speech, "verbs", "speech")
    if not verbs:
        raise CorpusError(f"{path}: speech.verbs must list at least one speech verb")
    bare_verbs = _string_list(path, speech, "bare_verbs", "speech")
    for verb in (*verbs, *bare_verbs):
        _compile(path, "speech.verbs", verb)
    groups = [g for g in speakers if g != "priority"]
    priority = _string_list(path, speakers, "priority", "speakers") or list(TIERS)
    bad = sorted({group_tier(g) for g in [*groups, *priority]} - set(TIERS)) + sorted(set(phrases) - set(TIERS))
    if bad:
        raise CorpusError(f"{path}: unknown tier {bad[0]!r} in [speakers] or [phrases] "
                          f"(a group is a tier, or tier.name; the tiers are {', '.join(TIERS)})")
    unlisted = sorted(set(groups) - set(priority))
    if unlisted:
        raise CorpusError(f"{path}: [speakers] group {unlisted[0]!r} is missing from speakers.priority")
    try:
        labels = parse_label_rules(data.get("labels", {}))
    except ValueError as exc:
        raise CorpusError(f"{path}: {exc}") from None
    return SourceRules(
        tier_labels={**DEFAULT_LABELS, **{k: str(v) for k, v in tiers.items()}},
        verbs=verbs,
        pseudonym=_compile(path, "speech.pseudonym", speech.get("pseudonym", r"(?!)")),
        relatives=_compile(path, "speech.relatives", speech.get("relatives", r"(?!)")),
        no_carry_over=tuple(_string_list(path, speech, "no_carry_over", "speech")),
        default_source=str(speech.get("default_source", "记者")),
        speaker_priority=priority,
        speakers={g: [_compile(path, f"speakers.{g}", p) for p in _string_list(path, speakers, g, "speakers")]
                  for g in dict.fromkeys([*priority, *TIERS])},
        phrases={t: [_compile(path, f"phrases.{t}", p) for p in _string_list(path, phrases, t, "phrases")]
                 for t in TIERS},
        labels=labels,
        bare_verbs=bare_verbs,
        documents=DocumentRules(
            opens=tuple(_compile(path, "documents.opens", p)
                        for p in _string_list(path, documents, "opens", "documents")),
            introduces=tuple(_compile(path, "documents.introduces", p)
                             for p in _string_list(path, documents, "introduces", "documents")),
            kinds=tuple(_string_list(path, documents, "kinds", "documents"))),
    )


def load_synonyms(path: Path) -> dict[str, str]:
    """``canonical = variant variant …`` per line; a variant maps to one canonical term."""
    mapping: dict[str, str] = {}
    for number, line in _lines(path):
        canonical, sep, variants = line.partition("=")
        canonical = canonical.strip()
        if not sep or not canonical or not variants.split():
            raise CorpusError(f"{path}: line {number} should be 'canonical = variant variant …': {line!r}")
        for variant in variants.split():
            if mapping.get(variant, canonical) != canonical:
                raise CorpusError(f"{path}: line {number}: {variant!r} is already a synonym of "
                                  f"{mapping[variant]!r}")
            mapping[variant] = canonical
    return mapping


def load_userdict(path: Path) -> list[tuple[str, int | None, str | None]]:
    """jieba's user dictionary format: ``word [frequency] [POS tag]`` per line."""
    entries = []
    for number, line in _lines(path):
        parts = line.split()
        if len(parts) > 3 or (len(parts) >= 2 and not parts[1].isdigit() and len(parts) == 3):
            raise CorpusError(f"{path}: line {number} should be 'word [frequency] [tag]': {line!r}")
        word = parts[0]
        freq = int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) >= 2 and not parts[-1].isdigit() else None
        entries.append((word, freq, tag))
    return entries


def load_stopwords(path: Path) -> frozenset[str]:
    return frozenset(word for _, line in _lines(path) for word in line.split())


def load_intents(path: Path) -> dict[str, Intent]:
    """``[kind]`` tables with ``question`` and ``answer`` pattern lists, nothing else."""
    try:
        data = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path}: not valid TOML ({exc})") from None
    intents = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            raise CorpusError(f"{path}: {name!r} must be a table with 'question' and 'answer' lists")
        _known_keys(path, name, table, {"question", "answer"})
        intents[name] = Intent(
            name,
            [_compile(path, f"{name}.question", p) for p in _string_list(path, table, "question", name)],
            [_compile(path, f"{name}.answer", p) for p in _string_list(path, table, "answer", name)])
    return intents


def _known_keys(path: Path, where: str, table: dict, allowed: set[str]) -> None:
    """A key the engine does not read is a typo or a rule meant for another version: say so."""
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise CorpusError(f"{path}: unknown key {unknown[0]!r} in [{where}] (allowed: {', '.join(sorted(allowed))})")


def load_examples(path: Path) -> list[str]:
    """One example question per line (optional file: none without it)."""
    if not path.exists():
        return []
    examples = [line for _, line in _lines(path)]
    too_long = next((n for n, line in _lines(path) if len(line) > 60), None)
    if too_long:
        raise CorpusError(f"{path}: line {too_long} is too long for an example question (60 characters at most)")
    return examples


def load_rules(directory: Path) -> Rules:
    return Rules(
        sources=load_source_rules(directory / "sources.toml"),
        synonyms=load_synonyms(directory / "synonyms.txt"),
        userdict=load_userdict(directory / "userdict.txt"),
        stopwords=load_stopwords(directory / "stopwords.txt"),
        intents=load_intents(directory / "intents.toml"),
        directory=directory,
        examples=load_examples(directory / "examples.txt"),
    )
