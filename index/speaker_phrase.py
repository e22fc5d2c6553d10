"""Where a sentence names who speaks: the phrase before a speech verb, after a quotation, or before a colon.

``PhraseFinder.speaker`` finds the phrase only; who it is (an earlier speaker, a new one, which tier) is
index.sources' business.  ``cue_phrase`` finds the first cue of a tier anywhere in the sentence (记者看到,
网传, 据…报道) for sentences no speaker phrase attributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .segment import general_dictionary, general_segmenter
from .source_rules import CLOSE_QUOTES, OPEN_QUOTES, SourceRules, Text
from .speaker_labels import CLAUSE, quoted_positions, quotes_left_open
from .speaker_memory import ReportMemory

# A speech verb denied ("未对此消息予以证实", "拒绝透露"): no one is speaking.
_NOT_SAID = re.compile(r"(?:未|没有|没|并未|从未|拒绝|不愿|无法)(?:对[^，。]{0,10})?"
                       r"(?:予以|进行|作出|做出|向[^，。]{0,8})?$")
# A speaker captioned before a quotation, as television news writes it up: "主任检察官王明：「…」".
_CAPTION = re.compile(r"^([^，。：:“”「」\s]{2,24})[：:]\s*[「“]")
# An interview set as questions and answers: "周宁：有可能……", a name introduced earlier, then a colon.
_ANSWERER = re.compile(r"^([\u4e00-\u9fff·]{2,5})[：:](?=\S)")
# Verbs of saying proper, after which a first clause of time is not the subject (怀疑 is no saying).
_SAYING = frozenset(["称", "表示", "说", "指出", "透露", "证实", "否认", "回应", "强调", "介绍", "指"])
# A clause that only says when (12月13日凌晨, 昨天下午).
_TIME_ONLY = re.compile(r"(?:[0-9]+(?:年|月|日|号|时|点|分)|上午|下午|中午|凌晨|早上|晚上|傍晚|深夜|午间|晚间|"
                        r"今天|昨天|前天|当天|当日|今日|昨日|日前|近日|此前|随后|目前|近期|许|左右|直至|直到|翌日|次日|同日|早前|事后|"
                        r"[（(][0-9]+日[)）]|\s)+")

# One quoting another ("报道引述X表示"): the one quoted speaks, after the first speech verb.
_QUOTING = re.compile(r"援引|引述")
# The outlet speaking of itself ("本报从…获悉").
_OWN_OUTLET = re.compile(r"(?:本报|本刊|本台|本网|我们)")


# Tags of the word that ends a clause's subject: a verb (not a verbal noun, 供应), an adverb, a preposition.
_PREDICATE_TAGS = ("v", "d", "p")
MIN_SUBJECT_CHARS = 2


def subject_length(clause: str) -> int:
    """How long a clause's subject is: the words before its first verb, adverb or preposition (校方|才在微博上交代
    事件, 某署|完成检讨); the whole clause when those words would be shorter than MIN_SUBJECT_CHARS."""
    length = 0
    tags = general_dictionary().tags       # (index.tokenize.general_cut would import the rules, which import this)
    for word in general_segmenter().lcut(clause, HMM=False):
        tag = tags.get(word, "")
        if tag.startswith(_PREDICATE_TAGS) and tag != "vn" and length >= MIN_SUBJECT_CHARS:
            return length
        length += len(word)
    return len(clause)


@dataclass(frozen=True)
class Phrase:
    """Who a sentence says is speaking, as written, and where it starts in the sentence."""
    text: Text
    start: int
    bare: bool        # before a verb straight into what was said: needs a cue to count as a speaker


def first_attributing(pattern: re.Pattern[str], plain: str) -> re.Match[str] | None:
    """The first speech verb that attributes the sentence: not inside a quote ("“我们不知道”"), not denied
    ("警方始终未对此消息予以证实": nobody confirmed anything)."""
    for lead in pattern.finditer(plain):
        before = plain[: lead.start("verb")]
        if quotes_left_open(before) != 0:
            continue
        if _NOT_SAID.search(before):
            continue
        return lead
    return None


def _leading_quotation_end(plain: str) -> int:
    """Where the quotation a sentence opens with closes (its last closing quote when it never balances): the
    speaker follows it, and may be a name in quotes of its own ("“……。”“可乐”说。")."""
    depth = 0
    for at, char in enumerate(plain):
        depth += (char in OPEN_QUOTES) - (char in CLOSE_QUOTES)
        if depth == 0:
            return at
    return max(plain.rfind(q) for q in CLOSE_QUOTES)


@dataclass(frozen=True)
class PhraseFinder:
    rules: SourceRules
    memory: ReportMemory       # for names the report introduced earlier (an interview's answerer)

    def speaker(self, sentence: Text) -> Phrase | None:
        """The first phrase of a sentence that may name its speaker (``candidates``)."""
        return next(self.candidates(sentence), None)

    def candidates(self, sentence: Text) -> Iterator[Phrase]:
        """The phrases that may name a sentence's speaker, most likely first: the tail after a quote, then the
        clause before the first speech verb that attributes (one followed by what was said, one straight into it,
        one of learning from someone: 记者从X处了解到)."""
        plain = sentence.plain
        if plain[:1] in OPEN_QUOTES:
            closing = _leading_quotation_end(plain)
            tail = self.rules._tail.match(plain[closing + 1:]) if closing > 0 else None
            if tail:
                start = closing + 1 + tail.start("speaker")
                yield Phrase(sentence[start: closing + 1 + tail.end("speaker")], start, False)
        leads = ((first_attributing(self.rules._lead, plain), False),
                 (first_attributing(self.rules._lead_bare, plain), True),
                 (first_attributing(self.rules._learned_from, plain), True))
        for lead, bare in leads:
            if not lead or (bare and "是" in lead.group("speaker")):   # (X是…呼吁…的发起人: a predicate, no speaker)
                continue
            if lead.re is self.rules._learned_from and not self._reporter_learned(sentence, lead.start()):
                continue       # "路透社从海关获悉": the other outlet's account, found by its cue
            start, end = lead.start("speaker"), lead.end("speaker")
            # The first speech verb ends the speaker ("其表示自己也是听说，": 其, not 其表示自己也是听), unless
            # it is inside a phrase describing the speaker ("不愿透露姓名的知情人士") or quotes the speaker
            # ("报道引述X表示").
            earlier = self.rules._verb.search(plain, start, end)
            if earlier and "的" not in plain[earlier.end():end] and not _QUOTING.search(plain, earlier.end(), end):
                end = earlier.start()
            if plain[start:end].strip():
                yield Phrase(sentence[start:end], start, bare)
                continue
            subject = self._opening_subject(sentence, start, lead.group("verb"))
            if subject is not None:
                # the clause's subject (学生林芳|发出公开信，指…, 校方|才在微博上交代事件，指…), else the clause
                length = subject_length(subject.text.plain)
                if length < len(subject.text):
                    yield Phrase(subject.text[:length], subject.start, True)
                yield subject

    def _reporter_learned(self, sentence: Text, learned_at: int) -> bool:
        """Whether whoever learned something from someone ("记者从X处了解到", "星河日报从X确认") is a reporter,
        the report's own outlet, or is not said: then X speaks; another outlet ("路透社从海关获悉") or a person
        learning it tells it themselves."""
        opened = max((m.end() for m in CLAUSE.finditer(sentence.plain, 0, learned_at)), default=0)
        learner = self.rules.labels.clean(sentence[opened:learned_at]).plain.strip()
        return not learner or learner.endswith("记者") or _OWN_OUTLET.match(learner) is not None or \
            self.memory.own_reporter(learner + "记者")

    def _opening_subject(self, sentence: Text, start: int, verb: str) -> Phrase | None:
        """A verb opening a clause has the sentence's subject ("X在得知来意后，登记了信息，表示……"): its first
        clause, taken only when a cue names it a speaker; before a verb of saying proper, a first clause that only
        says when (12月13日凌晨，X发布微博，称…) gives way to the next."""
        plain = sentence.plain
        if "“" in plain[:start]:
            return None
        opened = 0
        for cut in CLAUSE.finditer(plain, 0, start):
            clause = self.rules.labels.clean(sentence[opened: cut.start()]).plain.strip()
            if not (clause and _TIME_ONLY.fullmatch(clause) and verb in _SAYING):
                if not clause:
                    return None
                # a clause that says someone said something ("有网友称X在群中发言，称“…”"): its subject is
                # the one before that verb
                said = self.rules._verb.search(plain, opened, cut.start())
                end = said.start() if said and plain[opened: said.start()].strip() else cut.start()
                return Phrase(sentence[opened: end], opened, True)
            opened = cut.end()
        return None

    def answerer(self, sentence: Text) -> Phrase | None:
        """Who speaks before a colon: the one answering in an interview set as questions and answers ("周宁：……",
        when the report named them before), or a speaker captioned before a quotation ("主任检察官王明：「…」")."""
        match = _ANSWERER.match(sentence.plain)
        if match is not None and match.group(1) in self.memory.read:
            return Phrase(sentence[: match.end(1)], 0, False)
        # a television transcript: who speaks, a colon, what they said in quotes ("某地检署检察官王明：「…」")
        caption = _CAPTION.match(sentence.plain)
        if caption is None or self.rules._verb.search(caption.group(1)) or caption.group(1).endswith("规定"):
            return None     # (于淼说：“…”, 某法第十条规定：“…”: a verb says who speaks, the usual way)
        return Phrase(sentence[: caption.end(1)], 0, False)

    def cue_phrase(self, sentence: Text, only: str | None = None) -> tuple[str, Text] | None:
        """The earliest cue of a tier in the sentence outside quotations (of ``only``'s tier when given): the tier
        and who acts in it, without the time before them ("在2017年1月10日，原国家食药监总局公布了……")."""
        best: tuple[int, str, Text] | None = None
        plain = sentence.plain
        quoted = quoted_positions(plain) if any(q in plain for q in OPEN_QUOTES) else frozenset()
        for tier, patterns in self.rules.phrases.items():
            if only and tier != only:
                continue
            for pattern in patterns:
                match = pattern.search(plain) if not quoted else \
                    next((m for m in pattern.finditer(plain) if m.start() not in quoted), None)
                if match and (best is None or match.start() < best[0]):
                    group = next((g for g in range(1, len(match.groups()) + 1) if match.group(g)), 0)
                    best = (match.start(), tier, sentence[match.start(group): match.end(group)])
        if best is None:
            return None
        label = best[2]
        cuts = [m.end() for m in CLAUSE.finditer(label.plain)]
        cleaned = self.rules.labels.clean(label[cuts[-1]:]) if cuts else label
        return best[1], cleaned if cleaned.plain.strip() else label
