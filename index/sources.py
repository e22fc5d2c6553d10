"""Who says it: split paragraphs into claims and attribute each to a source and tier.

The cues live in ``seeds/rules/sources.toml`` (see the comments there for the
procedure).  This module only applies them; it names no person, outlet or
sentence of any report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TIERS = ("official", "reporter", "named", "anonymous", "rumor")
DEFAULT_LABELS = {"official": "官方", "reporter": "记者实地", "named": "具名第三方",
                  "anonymous": "匿名信源", "rumor": "传闻"}

_TERMINATORS = "。！？!?"
_OPEN_QUOTES = "“「『"
_CLOSE_QUOTES = "”」』"
# Adjuncts after the speaker that are not part of who the speaker is.
_LABEL_TAIL = re.compile(r"(在接受.*|在个人.*|在互动.*|向.*记者.*|回复.*|接受.*|也|曾|仅|还|均|都)$")
_PHRASE_LABEL = re.compile(r"^(在|据|按照|从)|(的|显示|来看)$")
_LABEL_HEAD = re.compile(r"^(据|而|此前|对此|但是|但|不过|此外|另外|上述|而此前|同时)+")


@dataclass(frozen=True)
class Claim:
    text: str
    source: str
    tier: str


@dataclass
class SourceRules:
    tier_labels: dict[str, str]
    verbs: list[str]
    pseudonym: re.Pattern[str]
    no_carry_over: tuple[str, ...]
    default_source: str
    speaker_priority: list[str]
    speakers: dict[str, list[re.Pattern[str]]]
    phrases: dict[str, list[re.Pattern[str]]]

    def __post_init__(self) -> None:
        verbs = "|".join(sorted(map(re.escape, self.verbs), key=len, reverse=True))
        # "X表示，……" / "X称：“……”": a verb followed by a comma, colon or quote.
        self._lead = re.compile(rf"(?P<speaker>[^，。！？；,;]*?)(?P<verb>{verbs})[，：,:“]")
        # "“……”X称。": the tail after a closing quote.
        self._tail = re.compile(rf"^(?P<speaker>[^。！？“”]{{1,80}}?)(?P<verb>{verbs})[。！？!?]$")
        self.tail_after_quote = re.compile(rf"[^。！？“”]{{1,80}}?(?:{verbs})[。！？!?]")


def split_sentences(text: str, rules: SourceRules) -> list[str]:
    """Sentences, keeping quotes whole and a quote's attribution ("“……”X称。") with it."""
    sentences: list[str] = []
    start, depth, i = 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in _OPEN_QUOTES:
            depth += 1
        elif ch in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
            if depth == 0 and i > 0 and text[i - 1] in _TERMINATORS:
                tail = rules.tail_after_quote.match(text, i + 1)
                end = tail.end() if tail else i + 1
                sentences.append(text[start:end])
                start, i = end, end
                continue
        elif ch in _TERMINATORS and depth == 0:
            end = i + 1
            while end < len(text) and text[end] in _TERMINATORS + _CLOSE_QUOTES:
                end += 1
            sentences.append(text[start:end])
            start, i = end, end
            continue
        i += 1
    if text[start:].strip():
        sentences.append(text[start:])
    return [s.strip() for s in sentences if s.strip()]


def _clean_label(speaker: str) -> str:
    label = re.split(r"[，,：:]", speaker)[-1].strip()
    label = _LABEL_HEAD.sub("", label)
    for _ in range(3):
        label = _LABEL_TAIL.sub("", label).strip()
    if len(label) > 24 and "的" in label:
        label = label.rsplit("的", 1)[-1]
    return label.strip("“”\"《》 ") or speaker.strip()


class Attributor:
    """Attributes the sentences of one document, remembering its pseudonyms."""

    def __init__(self, rules: SourceRules) -> None:
        self.rules = rules
        self.pseudonyms: set[str] = set()

    def _speaker(self, sentence: str) -> str | None:
        if sentence[:1] in _OPEN_QUOTES:
            closing = max(sentence.rfind(q) for q in _CLOSE_QUOTES)
            tail = self.rules._tail.match(sentence[closing + 1:]) if closing > 0 else None
            if tail:
                return tail.group("speaker")
        lead = self.rules._lead.search(sentence)
        if lead and lead.group("speaker").strip():
            # Speech inside a quote ("“我们不知道”") is not the sentence's attribution.
            before = sentence[: lead.start("verb")]
            if sum(before.count(q) for q in _OPEN_QUOTES) == sum(before.count(q) for q in _CLOSE_QUOTES):
                return lead.group("speaker")
        return None

    def _speaker_tier(self, speaker: str) -> str:
        if any(name in speaker for name in self.pseudonyms):
            return "anonymous"
        for tier in self.rules.speaker_priority:
            if any(p.search(speaker) for p in self.rules.speakers.get(tier, [])):
                return tier
        return "named"

    def _phrase(self, sentence: str) -> tuple[str, str] | None:
        best: tuple[int, str, str] | None = None
        for tier, patterns in self.rules.phrases.items():
            for pattern in patterns:
                match = pattern.search(sentence)
                if match and (best is None or match.start() < best[0]):
                    label = match.group(1) if pattern.groups and match.group(1) else match.group(0)
                    best = (match.start(), tier, _PHRASE_LABEL.sub("", label) or label)
        return (best[1], best[2]) if best else None

    def attribute(self, sentence: str, previous: Claim | None) -> Claim:
        for match in self.rules.pseudonym.finditer(sentence):
            self.pseudonyms.add(match.group(1))
        speaker = self._speaker(sentence)
        if speaker is not None:
            clause = re.split(r"[，,：:]", speaker)[-1]
            return Claim(sentence, _clean_label(speaker), self._speaker_tier(clause))
        phrase = self._phrase(sentence)
        if phrase:
            tier, label = phrase
            if tier == "reporter":
                label = self.rules.default_source
            return Claim(sentence, label, tier)
        if previous is not None and previous.tier != "reporter" and not sentence.startswith(self.rules.no_carry_over):
            return Claim(sentence, previous.source, previous.tier)
        return Claim(sentence, self.rules.default_source, "reporter")

    def claims(self, paragraph: str) -> list[Claim]:
        claims: list[Claim] = []
        for sentence in split_sentences(paragraph, self.rules):
            claims.append(self.attribute(sentence, claims[-1] if claims else None))
        return claims
