"""Who says it: split paragraphs into claims and attribute each to a source and tier.

The cues live in ``seeds/rules/sources.toml`` (see the comments there for the
procedure).  This module only applies them; it names no person, outlet or
sentence of any report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import zhconv

TIERS = ("official", "reporter", "named", "anonymous", "rumor")
DEFAULT_LABELS = {"official": "官方", "reporter": "记者实地", "named": "具名第三方",
                  "anonymous": "匿名信源", "rumor": "传闻"}

_TERMINATORS = "。！？!?"
_OPEN_QUOTES = "“「『"
_CLOSE_QUOTES = "”」』"
_CLAUSE = re.compile(r"[，,：:；;]")
ROLE_MAX_CHARS = 4


@dataclass(frozen=True)
class Claim:
    text: str
    source: str
    tier: str


@dataclass(frozen=True)
class Text:
    """A piece of a report and its simplified-character twin, aligned character by character.

    Cues are written in simplified characters and matched against ``plain``;
    what users see is cut from ``shown`` at the same offsets, so a report in
    traditional characters is attributed as well and quoted as written.
    """
    shown: str
    plain: str

    @classmethod
    def of(cls, text: str) -> Text:
        plain = zhconv.convert(text, "zh-hans")
        return cls(text, plain if len(plain) == len(text) else text)

    def __getitem__(self, key: slice) -> Text:
        return Text(self.shown[key], self.plain[key])

    def __add__(self, other: Text) -> Text:
        return Text(self.shown + other.shown, self.plain + other.plain)

    def __len__(self) -> int:
        return len(self.plain)

    def strip(self, chars: str | None = None) -> Text:
        left = len(self.plain) - len(self.plain.lstrip(chars))
        right = len(self.plain.rstrip(chars))
        return self[left:max(left, right)]


def _alternation(words: list[str] | tuple[str, ...]) -> str:
    """Longest first, so that "另一位" is tried before "一位"."""
    return "|".join(sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class LabelRules:
    """How a speaker phrase becomes the label users see (``[labels]`` in sources.toml)."""
    strip_before: tuple[str, ...] = ()    # regexes: connectives and time words before the speaker
    strip_after: tuple[str, ...] = ()     # regexes: adjuncts after the speaker (channel, adverbs)
    back_reference: tuple[str, ...] = ()  # "上述": the speaker was introduced earlier
    pronouns: tuple[str, ...] = ()        # "他": the previous speaker of the document
    quantifiers: tuple[str, ...] = ()     # "一位": kept in front when a long label is shortened
    max_chars: int = 24                   # longer labels keep only the head noun after the last 的

    def __post_init__(self) -> None:
        never = r"(?!)"
        before = _alternation(self.strip_before) or never
        after = _alternation(self.strip_after) or never
        object.__setattr__(self, "_before", re.compile(rf"^(?:{before})+"))
        object.__setattr__(self, "_after", re.compile(rf"(?:{after})$"))
        back = _alternation([re.escape(w) for w in self.back_reference]) or never
        object.__setattr__(self, "_back", re.compile(rf"^(?:{back})"))
        quantity = _alternation([re.escape(w) for w in self.quantifiers]) or never
        object.__setattr__(self, "_quantity", re.compile(rf"^(?:{quantity})"))

    def clean(self, phrase: Text) -> Text:
        """The speaker without what surrounds it: 据…, 在接受…采访时, 也, quotes."""
        label = phrase.strip()
        for _ in range(4):   # adjuncts stack ("在接受记者采访时也"); a few rounds settle them
            before = label.plain
            if match := self._before.match(label.plain):
                label = label[match.end():].strip()
            if match := self._after.search(label.plain):
                label = label[: match.start()].strip()
            label = label.strip("“”\"《》「」 ")
            if label.plain == before:
                break
        return label or phrase.strip()

    def back_referenced(self, label: Text) -> tuple[bool, Text]:
        match = self._back.match(label.plain)
        return (True, label[match.end():]) if match and match.end() < len(label) else (False, label)

    def shorten(self, label: Text) -> Text:
        if len(label) <= self.max_chars or "的" not in label.plain:
            return label
        head = label.plain.rindex("的") + 1
        if head == len(label):
            return label
        quantity = self._quantity.match(label.plain)
        return label[: quantity.end() if quantity else 0] + label[head:]


def parse_label_rules(table: object) -> LabelRules:
    """``[labels]`` of sources.toml; ValueError names the bad key."""
    if not isinstance(table, dict):
        raise ValueError("[labels] must be a table")
    lists = {}
    for key in ("strip_before", "strip_after", "back_reference", "pronouns", "quantifiers"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ValueError(f"labels.{key} must be a list of non-empty strings")
        lists[key] = tuple(value)
    for key in ("strip_before", "strip_after"):
        for pattern in lists[key]:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad pattern {pattern!r} in labels.{key}: {exc}") from None
    max_chars = table.get("max_chars", 24)
    if not isinstance(max_chars, int) or isinstance(max_chars, bool) or max_chars < 2:
        raise ValueError("labels.max_chars must be a whole number of at least 2")
    unknown = set(table) - {*lists, "max_chars"}
    if unknown:
        raise ValueError(f"[labels] has unknown key(s) {sorted(unknown)}")
    return LabelRules(max_chars=max_chars, **lists)


def group_tier(group: str) -> str:
    """The tier of a [speakers] group: its name before the dot ("official.body" -> "official")."""
    return group.split(".", 1)[0]


@dataclass
class SourceRules:
    tier_labels: dict[str, str]
    verbs: list[str]                  # regular expressions
    pseudonym: re.Pattern[str]
    no_carry_over: tuple[str, ...]
    default_source: str
    speaker_priority: list[str]       # [speakers] groups in the order they are tried
    speakers: dict[str, list[re.Pattern[str]]]
    phrases: dict[str, list[re.Pattern[str]]]
    labels: LabelRules = field(default_factory=LabelRules)
    bare_verbs: list[str] = field(default_factory=list)   # attribute without punctuation after them

    def __post_init__(self) -> None:
        verbs = _alternation(self.verbs)
        # "X表示，……" / "X称：“……”": a verb followed by a comma, colon or quote.
        self._lead = re.compile(rf"(?P<speaker>[^，。！？；,;]*?)(?P<verb>{verbs})[，：,:“\"]")
        # "派出所工作人员表示此起车祸正在调查中": a verb straight into what was said; only taken when a
        # [speakers] cue names the phrase before it a speaker.
        bare = _alternation(self.bare_verbs) or r"(?!)"
        self._lead_bare = re.compile(rf"(?P<speaker>[^，。！？；,;“”]{{2,40}}?)(?P<verb>{bare})")
        # "“……”X称。": the tail after a closing quote.
        self._tail = re.compile(rf"^(?P<speaker>[^。！？“”]{{1,80}}?)(?P<verb>{verbs})[。！？!?]$")
        self.tail_after_quote = re.compile(rf"[^。！？“”]{{1,80}}?(?:{verbs})[。！？!?]")


def split_sentences(text: str, rules: SourceRules) -> list[str]:
    """Sentences, keeping quotes whole and a quote's attribution ("“……”X称。") with it."""
    return [sentence.shown for sentence in _split(Text.of(text), rules)]


def _split(text: Text, rules: SourceRules) -> list[Text]:
    plain = text.plain
    spans: list[tuple[int, int]] = []
    start, depth, i = 0, 0, 0
    straight = False          # inside a pair of ASCII quotes ("…"), which open and close alike
    while i < len(plain):
        ch = plain[i]
        if ch == '"':
            straight = not straight
            ch = "“" if straight else "”"
        if ch in _OPEN_QUOTES:
            depth += 1
        elif ch in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
            if depth == 0 and i > 0 and plain[i - 1] in _TERMINATORS:
                tail = rules.tail_after_quote.match(plain, i + 1)
                end = tail.end() if tail else i + 1
                spans.append((start, end))
                start, i = end, end
                continue
        elif ch in _TERMINATORS and depth == 0:
            end = i + 1
            while end < len(plain) and plain[end] in _TERMINATORS + _CLOSE_QUOTES:
                end += 1
            spans.append((start, end))
            start, i = end, end
            continue
        i += 1
    spans.append((start, len(plain)))
    sentences = (text[a:b].strip() for a, b in spans)
    return [sentence for sentence in sentences if sentence.plain]


@dataclass
class _Speaker:
    label: str
    tier: str
    key: str          # the label in simplified characters, for matching later mentions


class Attributor:
    """Attributes the sentences of one document in order, remembering who has spoken.

    Later mentions of a speaker read the same as the first one: "上述知情人士"
    and a bare "郭明錤" resolve to the label introduced earlier ("一位不愿透露姓名的
    知情人士", "天风国际证券分析师郭明錤"), and keep that speaker's tier.
    """

    def __init__(self, rules: SourceRules) -> None:
        self.rules = rules
        self.pseudonyms: set[str] = set()
        self.speakers: list[_Speaker] = []     # in order of first appearance
        self.last_speaker: _Speaker | None = None

    def _speaker(self, sentence: Text) -> tuple[Text, bool] | None:
        """The speaker phrase of a sentence, and whether it came before a bare verb (see SourceRules)."""
        plain = sentence.plain
        if plain[:1] in _OPEN_QUOTES:
            closing = max(plain.rfind(q) for q in _CLOSE_QUOTES)
            tail = self.rules._tail.match(plain[closing + 1:]) if closing > 0 else None
            if tail:
                return sentence[closing + 1:][tail.start("speaker"): tail.end("speaker")], False
        for lead, bare in ((self.rules._lead.search(plain), False), (self.rules._lead_bare.search(plain), True)):
            if lead and lead.group("speaker").strip():
                # Speech inside a quote ("“我们不知道”") is not the sentence's attribution.
                before = plain[: lead.start("verb")]
                if sum(before.count(q) for q in _OPEN_QUOTES) == sum(before.count(q) for q in _CLOSE_QUOTES):
                    return sentence[lead.start("speaker"): lead.end("speaker")], bare
        return None

    def _cue_tier(self, *texts: str) -> str | None:
        """The tier of the first [speakers] group with a cue in the texts; None when no cue matches."""
        if any(name in text for name in self.pseudonyms for text in texts):
            return "anonymous"
        for group in self.rules.speaker_priority:
            if any(p.search(text) for p in self.rules.speakers.get(group, []) for text in texts):
                return group_tier(group)
        return None

    def _bare(self, label: str) -> str:
        """The label without a pseudonym marker: "张海（化名）" -> "张海"."""
        match = self.rules.pseudonym.search(label)
        return label[: match.end(1)] + label[match.end():] if match and match.groups() else label

    def _resolve(self, core: str, back_reference: bool) -> _Speaker | None:
        """The earlier speaker a mention refers to, most recent first."""
        if len(core) < 2:
            return None
        for speaker in reversed(self.speakers):
            if speaker.key == core or self._bare(speaker.key).endswith(self._bare(core)):
                return speaker
            if back_reference and core in speaker.key:
                return speaker
        return None

    def _who(self, phrase: Text, sentence: Text, bare: bool = False) -> _Speaker | None:
        labels = self.rules.labels
        cuts = [m.end() for m in _CLAUSE.finditer(phrase.plain)]
        clause = phrase[cuts[-1]:] if cuts else phrase     # the clause right before the verb
        back_reference, core = labels.back_referenced(labels.clean(clause))
        if not core.strip("“”\"《》「」（）() "):
            return None                                       # punctuation only: nobody to credit
        if core.plain in labels.pronouns and self.last_speaker is not None:
            return self.last_speaker
        known = self._resolve(core.plain, back_reference)
        if known is not None:
            return known
        # A speaker clause that is only a role (工作人员) belongs to the body named in the clause before it
        # ("致电四里店派出所,工作人员表示……").
        context = phrase[cuts[-2]:] if len(cuts) > 1 and len(core) <= ROLE_MAX_CHARS else clause
        cued = self._cue_tier(context.plain, core.plain)
        if cued is None and bare:
            return None                     # "…表示…" after words that name no speaker: not an attribution
        tier = cued or "named"              # a speaker no cue places is a named third party
        label = labels.shorten(core)
        if tier == "rumor":
            # "有消息称": the rumour cue itself says more than "近期有消息".
            cue = self._phrase(sentence, only="rumor")
            label = cue[1] if cue else label
        speaker = _Speaker(label.shown, tier, label.plain)
        if tier != "rumor":
            self.speakers.append(speaker)
        return speaker

    def _phrase(self, sentence: Text, only: str | None = None) -> tuple[str, Text] | None:
        best: tuple[int, str, Text] | None = None
        for tier, patterns in self.rules.phrases.items():
            if only and tier != only:
                continue
            for pattern in patterns:
                match = pattern.search(sentence.plain)
                if match and (best is None or match.start() < best[0]):
                    group = next((g for g in range(1, len(match.groups()) + 1) if match.group(g)), 0)
                    best = (match.start(), tier, sentence[match.start(group): match.end(group)])
        return (best[1], best[2]) if best else None

    def attribute(self, sentence: str | Text, previous: Claim | None) -> Claim:
        text = sentence if isinstance(sentence, Text) else Text.of(sentence)
        for match in self.rules.pseudonym.finditer(text.plain):
            if match.groups():
                self.pseudonyms.add(match.group(1))
        speaker = None
        found_phrase = self._speaker(text)
        if found_phrase is not None:
            phrase, bare = found_phrase
            speaker = self._who(phrase, text, bare)
        if speaker is not None:
            if speaker.tier != "rumor":
                self.last_speaker = speaker
            return Claim(text.shown, speaker.label, speaker.tier)
        found = self._phrase(text)
        if found:
            tier, label = found
            return Claim(text.shown, self.rules.default_source if tier == "reporter" else label.shown, tier)
        # A question the outlet asks ("……是否属实？") is its own, whoever spoke before.
        if (previous is not None and previous.tier != "reporter" and not text.plain.rstrip("”」").endswith(("？", "?"))
                and not text.plain.startswith(self.rules.no_carry_over)):
            return Claim(text.shown, previous.source, previous.tier)
        return Claim(text.shown, self.rules.default_source, "reporter")

    def claims(self, paragraph: str) -> list[Claim]:
        claims: list[Claim] = []
        for sentence in _split(Text.of(paragraph), self.rules):
            claims.append(self.attribute(sentence, claims[-1] if claims else None))
        return claims
