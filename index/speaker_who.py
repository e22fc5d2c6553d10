"""Who a speaker phrase names: someone heard before in the report, or a new speaker placed by the cues.

index.speaker_phrase finds where a sentence names its speaker ("天风国际证券分析师郭明錤表示"); this module
turns that phrase into a speaker with a tier: a pronoun or a back-reference (他, 对方, 上述人士) resolves to who
was heard or asked before, a bare role to the body named in the clause before it, a new name to the tier its cues
give (seeds/rules/sources.toml) or to what the report itself says of it (index.speaker_memory).  index.sources
uses it sentence by sentence.  It names no person, outlet or sentence of any report.
"""

from __future__ import annotations

import re

from .source_rules import SourceRules, Text
from .speaker_labels import (
    CLAUSE,
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
# Who or what can carry a rumour referred back to ("该网友", "这条帖子"), unlike a body's staff ("该处工作人员").
_RUMOUR_BEARER = re.compile(r"网友|网民|博主|博友|用户|帖|消息|传言|说法|爆料|视频|截图")
_GOES_ON = frozenset(["并", "并且", "而且", "且", "还", "又", "也"])
# A phrase ending in an adverb of sequence (甫开场便, 随后才): what someone did next, not who they are.
_THEN = re.compile(r"(?:便|就|才|即)$")
_THEN_CHARS = 6
# Words before a speech verb that name nobody ("…，除了指出…", "当中提到"): the speaker is elsewhere in the sentence.
_NOBODY = frozenset(["除了", "除", "当中", "其中", "情况", "此外", "同时", "另外", "据", "根据", "就会", "才会"])
_NETIZEN = re.compile(r"网友|网民")
# Staff named by their role in a body named in the clause before ("联系到某局，相关科室工作人员表示").
# (with how many, or a surname: "一名工作人员", "另一名工作人员", "有工作人员", "一位姓王的工作人员")
_STAFF_ROLE = re.compile(r"(?:有|另?一[名位])?(?:姓[\u4e00-\u9fff]的)?(?:相关)?(?:科室|部门|业务部门)?的?"
                         r"(?:工作人员|值班人员|负责人|接线员)")
_CLAIMS = re.compile(r"\s*(?:称|声称|爆料|曝光|发帖称|发文称|留言称?|晒出|怀疑|发现)")

class SpeakerResolver:
    """Resolves the speaker phrases of one document in order; new speakers join the report's memory."""

    def __init__(self, rules: SourceRules, memory: ReportMemory, finder: PhraseFinder) -> None:
        self.rules = rules
        self.memory = memory
        self.finder = finder

    def speaker(self, found: Phrase, sentence: Text) -> Speaker | None:
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
            who = next(g for g in asked.groups() if g) if asked is not None else ""
            # (在我采访他之后的当天下午，胡进…，他说: the one interviewed is named by a pronoun, no one new)
            if who and not who.startswith(("他", "她", "其", "对方")):
                return self._asked(Text.of(who))
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
