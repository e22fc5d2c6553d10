"""How sentences are cut and which cues attribute them: sources.toml read into ``SourceRules``.

``Text`` keeps a report's characters and their simplified twin aligned, so
cues written in simplified characters match a report in traditional ones and
quotes are cut from the text as written.  ``split_sentences`` cuts a paragraph
at 。！？ outside quotes, keeping a quote's attribution with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import zhconv

TERMINATORS = "。！？!?"
OPEN_QUOTES = "“「『"
CLOSE_QUOTES = "”」』"
_COLONS = str.maketrans({"\ufe30": "：", "\ufe13": "："})


@lru_cache(maxsize=1 << 12)
def _simplified(text: str) -> str:
    """zhconv's simplified form (cached: a report's paragraph is read ahead, then attributed), the colons of
    vertical presentation forms some Hong Kong outlets set (指出︰「…」) read as the colon they stand for."""
    return zhconv.convert(text, "zh-hans").translate(_COLONS)


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
        plain = _simplified(text)
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


QUOTED_NAME = r"“[^“”。！？，,]{1,8}”"      # a pseudonym or a handle in quotes, as a speaker is named


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
    # Compiled from the lists above.
    _before: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _after: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _back: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _quantity: re.Pattern[str] = field(init=False, repr=False, compare=False)

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


@dataclass(frozen=True)
class DocumentRules:
    """How a document reproduced in a report is introduced (sources.toml [documents])."""
    opens: tuple[re.Pattern[str], ...] = ()
    introduces: tuple[re.Pattern[str], ...] = ()
    kinds: tuple[str, ...] = ()


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
    documents: DocumentRules = field(default_factory=lambda: DocumentRules())
    # A relative named bare in narration (父亲, not 其父): the sentence is the last speaker's own account.
    relatives: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!)"))

    def __post_init__(self) -> None:
        # Each [speakers] group as one pattern, in priority order: a group has a cue in a text when this matches.
        self.speaker_cues = tuple((group, re.compile("|".join(f"(?:{p.pattern})" for p in patterns)))
                                  for group in self.speaker_priority
                                  if (patterns := self.speakers.get(group, [])))
        verbs = _alternation(self.verbs)
        # "X表示，……" / "X称：“……”": a verb followed by a comma, colon or quote.
        self._verb = re.compile(verbs)
        # A clause that is only who speaks ("X在接受记者采访时表示", "据知情人士透露"): a speech verb ends it.
        self.attribution_clause = re.compile(rf"(?:{verbs})[\s“”\"]*$")
        # (Tried only where a clause, or what follows a colon or quote, begins: the same matches as from every
        # position, since the speaker may not cross a clause's end, without trying each start inside a clause.)
        self._lead = re.compile(rf"(?:^|(?<=[，。！？；,;：:“\"]))(?P<speaker>[^，。！？；,;]*?)"
                                rf"(?P<verb>{verbs})[，：,:“\"]")
        # "派出所工作人员表示此起车祸正在调查中": a verb straight into what was said; only taken when a
        # [speakers] cue names the phrase before it a speaker.
        bare = _alternation(self.bare_verbs) or r"(?!)"
        self.any_speech_verb = re.compile(f"{verbs}|{bare}")
        # "另外又指……", "此外亦批评……": a speech verb with no subject after a connective, the speaker going on
        self.speech_resumes = re.compile(rf"(?:并|还|又|也|亦|更|再|续|同时|随后)+(?:{verbs}|{bare})")
        self._lead_bare = re.compile(rf"(?P<speaker>[^，。！？；,;“”]{{0,40}}?)(?P<verb>{bare})")
        # "记者从市交通委获悉，……", "从知情人处了解到": who the outlet learned it from; taken like a bare verb,
        # only when a [speakers] cue names them a speaker.
        self._learned_from = re.compile(
            r"从(?P<speaker>[^，。！？；,;“”]{2,30}?)(?:处|那里|那儿|方面)?(?P<verb>(?:核实|证实|确认)?(?:获悉|了解到|得知)|(?:核实|证实|确认)(?:到|了)?)")
        # "“……”X称。": the tail after a closing quote.
        # (a speaker may be a name in quotes, a pseudonym or a handle: "“……。”“可乐”说。")
        self._tail = re.compile(rf"^(?P<speaker>(?:[^。！？“”]|{QUOTED_NAME}){{1,80}}?)(?P<verb>{verbs})[。！？!?]$")
        self.tail_after_quote = re.compile(rf"(?:[^。！？“”]|{QUOTED_NAME}){{1,80}}?(?:{verbs})[。！？!?]")
        # "“……。”X说，……。" / "“……。”X说道：“……”" / "“……。”并称……": the speaker of the quote goes on
        # speaking; the sentence runs on to the next end outside quotes.
        self.speech_goes_on = re.compile(rf"\s*(?:并|还|又|也|同时|随后)(?:{verbs})")
        self.speech_after_quote = re.compile(
            rf"\s*(?:(?:[^。！？“”，,；;]|{QUOTED_NAME}){{1,40}}?(?:{verbs})[，,：:“\"])|{self.speech_goes_on.pattern}")


def split_sentences(text: str, rules: SourceRules) -> list[str]:
    """Sentences, keeping quotes whole and a quote's attribution ("“……”X称。") with it."""
    return [sentence.shown for sentence in split_texts(Text.of(text), rules)]


def split_texts(text: Text, rules: SourceRules) -> list[Text]:
    """Sentences of a paragraph as aligned Texts (see split_sentences)."""
    plain = text.plain
    spans: list[tuple[int, int]] = []
    start, depth, i = 0, 0, 0
    opened = 0                # where the outermost quotation open now began
    straight = False          # inside a pair of ASCII quotes ("…"), which open and close alike
    while i < len(plain):
        ch = plain[i]
        if ch == '"':
            straight = not straight
            ch = "“" if straight else "”"
        if ch in OPEN_QUOTES:
            if depth == 0:
                opened = i
            depth += 1
        elif ch in CLOSE_QUOTES:
            depth = max(0, depth - 1)
            if depth == 0 and i > 0 and plain[i - 1] in TERMINATORS:
                # A quotation the sentence opens with waits for who said it; one said after "X表示，" is
                # whole, and what follows ("其还表示，…") is a sentence of its own.
                leading = not plain[start:opened].strip()
                goes_on = rules.speech_after_quote if leading else rules.speech_goes_on
                if goes_on.match(plain, i + 1):
                    i += 1
                    continue
                tail = rules.tail_after_quote.match(plain, i + 1)
                end = tail.end() if tail else i + 1
                spans.append((start, end))
                start, i = end, end
                continue
        elif ch in TERMINATORS and depth == 0:
            end = i + 1
            while end < len(plain) and plain[end] in TERMINATORS + CLOSE_QUOTES:
                end += 1
            spans.append((start, end))
            start, i = end, end
            continue
        i += 1
    spans.append((start, len(plain)))
    sentences = (text[a:b].strip() for a, b in spans)
    return [sentence for sentence in sentences if sentence.plain]
