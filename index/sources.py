"""Who says it: split paragraphs into claims and attribute each to a source and tier.

The cues live in ``seeds/rules/sources.toml`` (see the comments there for the procedure).  The stages:
index.speaker_phrase finds where a sentence names its speaker, index.speaker_who resolves that phrase to a
speaker (index.speaker_memory knows who has spoken in the report so far, index.speaker_labels tells names from
roles); this module decides each sentence's source from them, and carries an account, a quotation or a
reproduced document on from sentence to sentence.  It names no person, outlet or sentence of any report.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .claims import DEFAULT_LABELS, TIERS, Claim
from .runs_on import (
    RunningQuotation,
    document_issuer,
    goes_on_quoting,
    goes_on_speaking,
    opened_document,
    quotation_runs_on,
    speaks_in_first_person,
    speaks_unquoted,
)
from .source_rules import (
    OPEN_QUOTES,
    LabelRules,
    SourceRules,
    Text,
    group_tier,
    parse_label_rules,
    split_sentences,
    split_texts,
)
from .speaker_labels import (
    CLAUSE,
    QUOTED,
)
from .speaker_memory import ReportMemory, Speaker
from .speaker_phrase import Phrase, PhraseFinder
from .speaker_who import SpeakerResolver

# A document named bare as the speaker ("文章表示", "说明提及"): the one the sentence before was about.
_DOCUMENT_SPEAKER = re.compile(r"^(?:该|此|这篇|这份|这条|上述)?(?:文章|帖子|文|视频|截图|说明|声明|通知|公告|通告|"
                               r"指南|报告|公开信|信|回复)(?:中|里)?$")
# A sentence whose subject is a third-person pronoun (她原本…, 原来他在上小学时…), after an opener of time or of
# connection at most: what it tells of that person, the last one heard, is their account.
_PRONOUN_SUBJECT = re.compile(r"^(?:[^，。“”]{0,6}[，,])?"
                              r"(?:原来|当时|后来|其实|那时|那时候|如今|现在|此后|随后|但|而|可)?[他她](?![们人])")
# A sentence that is one quotation, nothing outside it (not “一站式”的服务…, a term quoted).
_WHOLLY_QUOTED = re.compile(r"^[“「][^”」]{6,}[”」][。！？!?…]*$")
# A sentence wholly in brackets: the outlet's note ("（文中当事人为化名）", "（完）").
_EDITORS_NOTE = re.compile(r"^[（(][^（()）]*[)）][。]?$")
# A law or a rule cited as the speaker ("而当地防疫规定指…"): it says what it says, and goes on speaking in no
# later sentence (the outlet goes on telling the story).
_LAW = re.compile(r"(?:规定|条例|法例|法律|法规|法令|办法|细则|守则)$")
INTRODUCTION_CHARS = 12     # longer, the sentence says more than that a document follows
# A person's own account reproduced after this paragraph ("以下是王林（化名）的口述").
_ACCOUNT_FOLLOWS = re.compile(r"以下(?:是|为)([^，。：:“”]{2,16}?)的(?:口述|自述|讲述|叙述)")


class Attributor:
    """Attributes the sentences of one document in order, remembering who has spoken.

    Later mentions of a speaker read the same as the first one: "上述知情人士"
    and a bare "郭明錤" resolve to the label introduced earlier ("一位不愿透露姓名的
    知情人士", "天风国际证券分析师郭明錤"), and keep that speaker's tier.
    """

    def __init__(self, rules: SourceRules, outlet: str = "") -> None:
        """``outlet``: the report's publisher (its front matter), whose own reporters are the reporter."""
        self.rules = rules
        self.memory = ReportMemory(rules, outlet=Text.of(outlet).plain)
        self.finder = PhraseFinder(rules, self.memory)
        self.resolver = SpeakerResolver(rules, self.memory, self.finder)
        self.document: Claim | None = None     # the source of a document the report is reproducing
        self.quoting: RunningQuotation | None = None    # a speaker whose words run on into the next paragraph
        self.last_claim: Claim | None = None   # the previous paragraph's last claim

    def expect_pseudonyms(self, paragraphs: list[str]) -> None:
        self.memory.expect_pseudonyms(paragraphs)

    def read_ahead(self, paragraphs: list[str]) -> None:
        self.memory.read_ahead(paragraphs)

    # --- one sentence --------------------------------------------------------------------------------------------

    def attribute(self, sentence: str | Text, previous: Claim | None) -> Claim:
        """The claim of one sentence; ``previous`` is the paragraph's claim before it (None for its first)."""
        text = sentence if isinstance(sentence, Text) else Text.of(sentence)
        for match in self.rules.pseudonym.finditer(text.plain):
            if match.groups():
                self.memory.pseudonyms.add(match.group(1))
        answerer = self.finder.answerer(text)
        for phrase in [answerer] if answerer is not None else self.finder.candidates(text):
            speaker = self.resolver.speaker(phrase, text)
            if speaker is not None:
                return self._spoken(text, speaker, phrase, previous or self.last_claim)
        found = self.finder.cue_phrase(text)
        if found:
            tier, label = found
            return Claim(text.shown, self.rules.default_source if tier == "reporter" else label.shown, tier)
        # A sentence that only introduces a document ("声明内容如下：") is the outlet's framing, not the document.
        if any(p.search(text.plain) for p in self.rules.documents.introduces) and len(text.plain) <= INTRODUCTION_CHARS:
            return Claim(text.shown, self.rules.default_source, "reporter")
        return self._unattributed(text, previous)

    def _spoken(self, text: Text, speaker: Speaker, phrase: Phrase, before: Claim | None) -> Claim:
        """A sentence whose speaker is named: theirs, and they are now the one speaking."""
        if speaker.tier == "named" and before is not None and before.tier != "reporter" \
                and _DOCUMENT_SPEAKER.match(self.rules.labels.clean(phrase.text).plain):
            return Claim(text.shown, before.source, before.tier)      # "文章表示": the article just named
        if speaker.tier not in ("rumor", "reporter"):       # 他 and 对方 are never the outlet
            self.memory.last_speaker = speaker
        if speaker.tier in ("named", "anonymous"):
            self.memory.last_person = speaker
        return Claim(text.shown, speaker.label, speaker.tier)

    def _unattributed(self, text: Text, previous: Claim | None) -> Claim:
        """A sentence that names no speaker and has no cue: the previous speaker's, going on, or the reporter's."""
        # A question the outlet asks ("……是否属实？") is its own, whoever spoke before.
        if (previous is not None and previous.tier != "reporter" and not _LAW.search(Text.of(previous.source).plain)
                and (text.plain.startswith(tuple(OPEN_QUOTES)) or not text.plain.rstrip("”」").endswith(("？", "?")))
                and (not text.plain.startswith(self.rules.no_carry_over) or goes_on_speaking(self.rules, text.plain))):
            return Claim(text.shown, previous.source, previous.tier)
        # “我们会按时交付。”: a quotation nobody is credited with is not the outlet's words but the last speaker's
        last_speaker, person = self.memory.last_speaker, self.memory.last_person
        # 被迫离开医院后，我就开始想办法。: the outlet never says 我 outside a quotation; the last one heard does
        if last_speaker is not None and speaks_in_first_person(text.plain):
            return Claim(text.shown, last_speaker.label, last_speaker.tier)
        if last_speaker is not None and _WHOLLY_QUOTED.match(text.plain):
            return Claim(text.shown, last_speaker.label, last_speaker.tier)
        # 这成为了父亲做的最后1次透析: a relative named bare is told by the last person who spoke (a family
        # member), not by the reporter; 她原本跟房东的合同签到明年4月: told of the person the report is hearing,
        # by them.  Within the paragraph where they speak only: a paragraph of its own that tells of them without
        # a speech verb is the outlet's narration (the news gold: +7 of 2569 dev sentences, +1 of 1212 final)
        if person is not None and previous is not None and (self.rules.relatives.search(QUOTED.sub("", text.plain))
                                                             or _PRONOUN_SUBJECT.match(text.plain)):
            return Claim(text.shown, person.label, person.tier)
        return Claim(text.shown, self.rules.default_source, "reporter")

    # --- one paragraph -------------------------------------------------------------------------------------------

    def claims(self, paragraph: str) -> list[Claim]:
        """The claims of the document's next paragraph.  A document the report reproduces (sources.toml
        [documents]: "情况说明原文：……", or the paragraphs after "声明内容如下：") is its issuer's, sentence by
        sentence, until a paragraph opens with someone else speaking or with the reporter."""
        text = Text.of(paragraph)
        sentences = split_texts(text, self.rules)
        opened = opened_document(self.rules, text.plain)
        if opened is not None:
            self.document = opened
        elif self.document is not None and sentences and self._new_voice(sentences[0]):
            self.document = None
        claims: list[Claim] = []
        answering = bool(sentences) and self.document is None and self.finder.answerer(sentences[0]) is not None
        quoting = self.quoting if self.document is None else None
        if quoting is not None and quoting.left_open and not goes_on_quoting(text.plain):
            quoting = None      # (a quotation left open by a slip: this paragraph neither reopens nor closes it)
        unquoted: bool | None = None       # the paragraph's first speech given after a colon, without quotes
        for sentence in sentences:
            if unquoted is None and claims and claims[-1].tier != "reporter":
                unquoted = speaks_unquoted(self.rules, claims[-1])
            if quoting is not None:
                claims.append(Claim(sentence.shown, quoting.speaker.source, quoting.speaker.tier))
            elif _EDITORS_NOTE.match(sentence.plain):       # "（文中当事人为化名）": the outlet's note
                claims.append(Claim(sentence.shown, self.rules.default_source, "reporter"))
            elif self.document is not None:
                claims.append(Claim(sentence.shown, self.document.source, self.document.tier))
            elif claims and (answering or unquoted) and self.finder.speaker(sentence) is None \
                    and self.finder.answerer(sentence) is None:
                # the answer goes on ("但这不是…"); so does speech given without quotes after a colon
                # ("李明在短信中写道：我想说几句。请问，凭什么？")
                claims.append(replace(claims[-1], text=sentence.shown))
            else:
                claims.append(self.attribute(sentence, claims[-1] if claims else None))
            self.memory.read += sentence.plain      # (a name introduced a sentence ago is introduced)
        self._after_paragraph(text.plain, claims, quoting)
        return claims

    def _after_paragraph(self, plain: str, claims: list[Claim], quoting: RunningQuotation | None) -> None:
        """What a paragraph leaves for the next: a quotation still open, a document it introduces, an account
        that follows ("以下是王林（化名）的口述：")."""
        self.memory.read += "\n"
        self.quoting = quotation_runs_on(plain, claims, quoting)
        self.last_claim = claims[-1] if claims else self.last_claim
        if self.document is None and claims and any(p.search(plain) for p in self.rules.documents.introduces):
            self.document = document_issuer(self.rules, claims[-1], plain)
        account = _ACCOUNT_FOLLOWS.search(plain)
        if account is not None:
            name = account.group(1)
            self.document = Claim("", name, self.memory.cue_tier(name) or "named")

    def _new_voice(self, sentence: Text) -> bool:
        """A paragraph opening with someone speaking or with the reporter ends a document being reproduced."""
        found = self.finder.speaker(sentence)
        if found is not None and self.resolver.speaker(found, sentence) is not None:
            return True
        opening = CLAUSE.split(sentence.plain, maxsplit=1)[0]
        return self.finder.cue_phrase(sentence, only="reporter") is not None or \
            any(p.search(opening) for p in self.rules.speakers.get("reporter", []))


__all__ = ["DEFAULT_LABELS", "TIERS", "Attributor", "Claim", "LabelRules", "SourceRules", "Text", "group_tier",
           "parse_label_rules", "split_sentences"]
