"""Who says it: split paragraphs into claims and attribute each to a source and tier.

The cues live in ``seeds/rules/sources.toml`` (see the comments there for the procedure).  The stages:
index.speaker_phrase finds where a sentence names its speaker, index.speaker_memory knows who has spoken in the
report so far, index.speaker_labels tells names from roles; this module decides each sentence's source from them,
and carries an account, a quotation or a reproduced document on from sentence to sentence.  It names no person,
outlet or sentence of any report.
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
    ROLE_MAX_CHARS,
    a_personal_name,
    is_pronoun,
    named_after_role,
    only_a_role,
    posted_by_a_named_person,
    titled_name,
)
from .speaker_memory import ReportMemory, Speaker
from .speaker_phrase import Phrase, PhraseFinder

# "向X进行核实/求证/询问/了解，对方……": X, the one asked.
_ASKED = re.compile(r"向([^，。“”]{2,20}?)(?:进行)?(?:核实|求证|询问|了解|证实|确认)[^，。]{0,4}[，,]\s*$")
# "致电X，对于…，他连连否认": X, the one called (the last such before the pronoun; 联系X询问情况，对方…: X;
# 记者与X电话联系，对方…: X).
_CALLED = re.compile(r"(?:致电|联系(?:上|到)?了?|电话采访了?|采访了?|询问了?)([^，。]{2,22}?)"
                     r"(?:(?:询问|了解|核实|求证|确认)[^，。]{0,10})?[，,]|"
                     r"与([^，。]{2,30}?)(?:电话|取得)?(?:联系|沟通)[^，。]{0,4}[，,]")
# A document named bare as the speaker ("文章表示", "说明提及"): the one the sentence before was about.
_DOCUMENT_SPEAKER = re.compile(r"^(?:该|此|这篇|这份|这条|上述)?(?:文章|帖子|文|视频|截图|说明|声明|通知|公告|通告|"
                               r"指南|报告|公开信|信|回复)(?:中|里)?$")
# A sentence whose subject is a third-person pronoun (她原本…, 原来他在上小学时…), after an opener of time or of
# connection at most: what it tells of that person, the last one heard, is their account.
_PRONOUN_SUBJECT = re.compile(r"^(?:[^，。“”]{0,6}[，,])?"
                              r"(?:原来|当时|后来|其实|那时|那时候|如今|现在|此后|随后|但|而|可)?[他她](?![们人])")
# Who or what can carry a rumour referred back to ("该网友", "这条帖子"), unlike a body's staff ("该处工作人员").
_RUMOUR_BEARER = re.compile(r"网友|网民|博主|博友|用户|帖|消息|传言|说法|爆料|视频|截图")
_GOES_ON = frozenset(["并", "并且", "而且", "且", "还", "又", "也"])
# A phrase ending in an adverb of sequence (甫开场便, 随后才): what someone did next, not who they are.
_THEN = re.compile(r"(?:便|就|才|即)$")
_THEN_CHARS = 6
# Words before a speech verb that name nobody ("…，除了指出…", "当中提到"): the speaker is elsewhere in the sentence.
_NOBODY = frozenset(["除了", "除", "当中", "其中", "情况", "此外", "同时", "另外", "据", "根据", "就会", "才会"])
# A sentence that is one quotation, nothing outside it (not “一站式”的服务…, a term quoted).
_WHOLLY_QUOTED = re.compile(r"^[“「][^”」]{6,}[”」][。！？!?…]*$")
_NETIZEN = re.compile(r"网友|网民")
# A sentence wholly in brackets: the outlet's note ("（文中当事人为化名）", "（完）").
_EDITORS_NOTE = re.compile(r"^[（(][^（()）]*[)）][。]?$")
# Staff named by their role in a body named in the clause before ("联系到某局，相关科室工作人员表示").
# (with how many, or a surname: "一名工作人员", "另一名工作人员", "有工作人员", "一位姓王的工作人员")
_STAFF_ROLE = re.compile(r"(?:有|另?一[名位])?(?:姓[\u4e00-\u9fff]的)?(?:相关)?(?:科室|部门|业务部门)?的?"
                         r"(?:工作人员|值班人员|负责人|接线员)")
_CLAIMS = re.compile(r"\s*(?:称|声称|爆料|曝光|发帖称|发文称|留言称?|晒出|怀疑|发现)")
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
        self.document: Claim | None = None     # the source of a document the report is reproducing
        self.quoting: RunningQuotation | None = None    # a speaker whose words run on into the next paragraph
        self.last_claim: Claim | None = None   # the previous paragraph's last claim

    def expect_pseudonyms(self, paragraphs: list[str]) -> None:
        self.memory.expect_pseudonyms(paragraphs)

    def read_ahead(self, paragraphs: list[str]) -> None:
        self.memory.read_ahead(paragraphs)

    # --- who a speaker phrase names ----------------------------------------------------------------------------

    def _who(self, found: Phrase, sentence: Text) -> Speaker | None:
        """The speaker a phrase names: someone heard before, or a new speaker placed by the cues."""
        labels = self.rules.labels
        cuts = [m.end() for m in CLAUSE.finditer(found.text.plain)]
        clause = found.text[cuts[-1]:] if cuts else found.text     # the clause right before the verb
        back_reference, core = labels.back_referenced(labels.clean(clause))
        if not core.strip("“”\"《》「」（）() ") or core.plain in _NOBODY:
            return None                                       # punctuation or a connective: nobody to credit
        # "X确认过…，并指出…": the sentence's subject goes on speaking; with none named, the last speaker
        if core.plain in _GOES_ON:
            return self._subject(sentence.plain[: found.start]) or self.memory.last_speaker
        # "X见传媒时，甫开场便解释": an adverb of sequence, nobody of its own; the one the sentence opened with speaks
        if _THEN.search(core.plain) and len(core) <= _THEN_CHARS and not a_personal_name(core.plain):
            before = sentence.plain[: found.start]
            return self._subject(before) or self._named_subject(before) or self.memory.last_speaker
        earlier = self._heard_before(core, back_reference, found.start, sentence)
        if earlier is not None:
            return earlier
        # A speaker clause that is only a role (工作人员) belongs to the body named in the clause before it
        # ("致电四里店派出所,工作人员表示……").
        context = clause
        if (len(core) <= ROLE_MAX_CHARS and not a_personal_name(core.plain)) or _STAFF_ROLE.fullmatch(core.plain):
            before = sentence.plain[: found.start + (cuts[-1] if cuts else 0)]
            clauses = [c for c in CLAUSE.split(before) if c.strip()]
            context = Text.of((clauses[-1] if clauses else "") + clause.plain)
        cued = self.memory.cue_tier(context.plain, core.plain)
        introduced = self.memory.introduced(core.plain, sentence.plain) if cued is None else None
        if introduced is not None:
            cued, core = introduced         # "周立说": the 星河科技董事长周立 the report named earlier
        if cued is None and found.bare and (a_personal_name(core.plain) or titled_name(core.plain)):
            cued = "named"                  # "王建国认为…", "工会主席郭志诚认为…": someone named before the verb
        if cued is None and found.bare and not self._a_party(core.plain):
            return None                     # "…表示…" after words that name no speaker: not an attribution
        tier = self._placed_tier(cued, core.plain)
        # "有网友称…": a netizen's claim is the rumour; "网友认为…" an opinion
        if tier == "anonymous" and _NETIZEN.search(core.plain) and \
                _CLAIMS.match(sentence.plain, found.start + len(found.text)):
            tier = "rumor"
        return self._new_speaker(tier, core, sentence)

    def _heard_before(self, core: Text, back_reference: bool, start: int, sentence: Text) -> Speaker | None:
        """A pronoun (对方, 他), a back-reference (上述人士, 该网友) or a name already heard: who it refers to."""
        memory = self.memory
        if is_pronoun(core.plain, self.rules.labels.pronouns):      # (对方断然否认, 他连连否认)
            # "记者向王菲好友马葭进行核实，对方否认：……": 对方 is the one asked, named in the same sentence;
            # "记者致电X，对于…，他连连否认": the one called.
            before = sentence.plain[:start]
            subject = self._named_subject(before)
            if subject is not None:
                return subject          # "林丽阳住在隔壁村，她告诉记者": the person the sentence opened with
            asked = _ASKED.search(before) or next(reversed(list(_CALLED.finditer(before))), None)
            if asked is not None:
                return self._asked(Text.of(next(g for g in asked.groups() if g)))
            if memory.last_speaker is not None:
                return memory.last_speaker
        known = memory.resolve(core.plain, back_reference)
        if known is not None or not back_reference:
            return known
        # "有网友爆料……，该网友写道": the one referred to was introduced earlier in the sentence as a rumour.
        rumor = self.finder.cue_phrase(Text.of(sentence.plain[:start]), only="rumor") \
            if _RUMOUR_BEARER.search(core.plain) else None      # (not 针对该传闻，…该处工作人员称)
        if rumor is not None:
            return Speaker(rumor[1].shown, "rumor", rumor[1].plain)
        # "据这位女生透露": a person referred back to by a common noun, the last one heard.
        if len(core) <= ROLE_MAX_CHARS:
            return memory.last_person
        return None

    def _named_subject(self, before: str) -> Speaker | None:
        """The person named at the opening of a sentence whose later clause goes on with a pronoun, or None.  The
        name is the longest of three or two characters that the report uses more than once (陈俊, not 陈俊时 of
        "陈俊时刻关注")."""
        if CLAUSE.search(before) is None:
            return None             # the pronoun is in the first clause: it refers back, not to the sentence
        uses = {n: self.memory.document_text.count(before[:n]) for n in (3, 2)}
        name = next((before[:n] for n in (3, 2) if a_personal_name(before[:n]) and uses[n] >= 2 and uses[n] >= uses[2]),
                    None)
        if name is None:
            return None
        known = self.memory.resolve(name, False)
        if known is not None:
            return known
        introduced = self.memory.introduced(name, "")
        tier, label = introduced if introduced is not None else (self.memory.cue_tier(name) or "named", Text.of(name))
        return self._new_speaker(tier, label, Text.of(before))

    def _placed_tier(self, cued: str | None, core: str) -> str:
        """A new speaker's tier: the cue's, else a named third party unless only a role names them ("院士的保健
        医生"); then what the report itself says of them."""
        if cued is None and self.memory.handle(core):
            return "anonymous"              # "“可乐”说": the nickname of someone the report does not name
        if cued is None and self._a_party(core):
            return "official"               # "九巴回覆指", "某超市否认了…": a body the report names throughout
        tier = cued or ("anonymous" if only_a_role(core) else "named")
        if tier == "rumor" and posted_by_a_named_person(core):
            return "named"                  # "王建国在网络发帖称": a named person's own post
        if tier == "official" and (self.memory.outside_firm(core) or self.memory.outside_head(core)):
            return "named"
        if tier == "anonymous" and self.memory.party_staff(core):
            return "official"
        if self.memory.own_reporter(core):
            return "reporter"               # "某某新闻记者注意到": the outlet's own reporter, by its name
        if tier == "anonymous" and named_after_role(core):
            return "named"                  # "该校学生邓启明表示": a role, then the person's full name
        return tier

    def _a_party(self, core: str) -> bool:
        """A body the report names throughout, speaking under its bare name, not someone named by a role."""
        return not only_a_role(core) and self.memory.a_party(core)

    def _new_speaker(self, tier: str, core: Text, sentence: Text) -> Speaker:
        label = self.rules.labels.shorten(core)
        if tier == "rumor":
            # "有消息称": the rumour cue itself says more than "近期有消息".
            cue = self.finder.cue_phrase(sentence, only="rumor")
            label = cue[1] if cue else label
        speaker = Speaker(label.shown, tier, label.plain)
        if tier != "rumor":
            self.memory.speakers.append(speaker)
        return speaker

    def _asked(self, who: Text) -> Speaker:
        """The speaker a sentence asked before its 对方 answers (向王菲好友马葭进行核实), placed by the cues."""
        label = self.rules.labels.shorten(self.rules.labels.clean(who))
        tier = self.memory.cue_tier(who.plain, label.plain) or ("anonymous" if only_a_role(label.plain) else "named")
        speaker = Speaker(label.shown, tier, label.plain)
        self.memory.speakers.append(speaker)
        return speaker

    def _subject(self, before: str) -> Speaker | None:
        """The first clause of a sentence's beginning that a cue names a speaker (北大数学学院官方在bbs上确认过…)."""
        labels = self.rules.labels
        for clause in (c for c in CLAUSE.split(before) if c.strip()):
            learned = self.rules._learned_from.search(clause)      # "记者从X处了解到，…并证实": X speaks
            clause = learned.group("speaker") if learned else clause
            label = labels.clean(Text.of(clause))
            tier = self.memory.cue_tier(clause, label.plain) if label.plain.strip() else None
            if tier is not None and tier != "rumor":
                return Speaker(labels.shorten(label).shown, tier, label.plain)
        return None

    # --- one sentence --------------------------------------------------------------------------------------------

    def attribute(self, sentence: str | Text, previous: Claim | None) -> Claim:
        """The claim of one sentence; ``previous`` is the paragraph's claim before it (None for its first)."""
        text = sentence if isinstance(sentence, Text) else Text.of(sentence)
        for match in self.rules.pseudonym.finditer(text.plain):
            if match.groups():
                self.memory.pseudonyms.add(match.group(1))
        answerer = self.finder.answerer(text)
        for phrase in [answerer] if answerer is not None else self.finder.candidates(text):
            speaker = self._who(phrase, text)
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
        if (previous is not None and previous.tier != "reporter"
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
        if found is not None and self._who(found, sentence) is not None:
            return True
        opening = CLAUSE.split(sentence.plain, maxsplit=1)[0]
        return self.finder.cue_phrase(sentence, only="reporter") is not None or \
            any(p.search(opening) for p in self.rules.speakers.get("reporter", []))


__all__ = ["DEFAULT_LABELS", "TIERS", "Attributor", "Claim", "LabelRules", "SourceRules", "Text", "group_tier",
           "parse_label_rules", "split_sentences"]
