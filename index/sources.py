"""Who says it: split paragraphs into claims and attribute each to a source and tier.

The cues live in ``seeds/rules/sources.toml`` (see the comments there for the
procedure).  This module only applies them; it names no person, outlet or
sentence of any report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .names import COMPOUND_SURNAMES, PERSON_ENDINGS, SURNAMES
from .source_rules import (
    CLOSE_QUOTES,
    OPEN_QUOTES,
    LabelRules,
    SourceRules,
    Text,
    group_tier,
    parse_label_rules,
    split_sentences,
    split_texts,
)

TIERS = ("official", "reporter", "named", "anonymous", "rumor")
DEFAULT_LABELS = {"official": "官方", "reporter": "记者实地", "named": "具名第三方",
                  "anonymous": "匿名信源", "rumor": "传闻"}

_CLAUSE = re.compile(r"[，,：:；;]")
ROLE_MAX_CHARS = 4
_QUOTED = re.compile(r'“[^”]*”|「[^」]*」|"[^"]*"')
# The reporter never says 我/我们 outside a quote: a sentence that does is someone's speech reported.
# A speech verb denied ("未对此消息予以证实", "拒绝透露"): no one is speaking.
_NOT_SAID = re.compile(r"(?:未|没有|没|并未|从未|拒绝|不愿|无法)(?:对[^，。]{0,10})?"
                       r"(?:予以|进行|作出|做出|向[^，。]{0,8})?$")
# "向X进行核实/求证/询问/了解，对方……": X, the one asked.
_ASKED = re.compile(r"向([^，。“”]{2,20}?)(?:进行)?(?:核实|求证|询问|了解|证实|确认)[^，。]{0,4}[，,]\s*$")
# "致电X，对于…，他连连否认": X, the one called (the last such before the pronoun; 联系X询问情况，对方…: X;
# 记者与X电话联系，对方…: X).
_CALLED = re.compile(r"(?:致电|联系(?:上|到)?了?|电话采访了?|采访了?|询问了?)([^，。]{2,22}?)"
                     r"(?:(?:询问|了解|核实|求证|确认)[^，。]{0,10})?[，,]|"
                     r"与([^，。]{2,30}?)(?:电话|取得)?(?:联系|沟通)[^，。]{0,4}[，,]")
# A speaker captioned before a quotation, as television news writes it up: "主任检察官王明：「…」".
_CAPTION = re.compile(r"^([^，。：:“”「」\s]{2,24})[：:]\s*[「“]")
# An interview set as questions and answers: "周宁：有可能……", a name introduced earlier, then a colon.
_ANSWERER = re.compile(r"^([\u4e00-\u9fff·]{2,5})[：:](?=\S)")
# A document named bare as the speaker ("文章表示", "说明提及"): the one the sentence before was about.
_DOCUMENT_SPEAKER = re.compile(r"^(?:该|此|这篇|这份|这条|上述)?(?:文章|帖子|文|视频|截图|说明|声明|通知|公告|通告|"
                               r"指南|报告|公开信|信|回复)(?:中|里)?$")
# A sentence whose subject is a third-person pronoun (她原本…, 原来他在上小学时…), after an opener of time or of
# connection at most: what it tells of that person, the last one heard, is their account.
_PRONOUN_SUBJECT = re.compile(r"^(?:[^，。“”]{0,6}[，,])?"
                              r"(?:原来|当时|后来|其实|那时|那时候|如今|现在|此后|随后|但|而|可)?[他她](?![们人])")
# "应受访者要求，李强为化名", "文中张某、李某均为化名": often said once, at the end of the report.
_DECLARED_PSEUDONYMS = re.compile(r"([\u4e00-\u9fff]{2,4}(?:[、和与及][\u4e00-\u9fff]{2,4})*)"
                                  r"(?:(?:均|皆|都)?(?:为|是|系)化名|[（(][^）)]{0,20}?化名[)）])")
# A document the report says nobody answers for ("一份疑似X的声明在网上流传", "网传的一则通知").
_RUMOURED_BEFORE = r"(?:疑似|网传|网上流传的?|网络流传的?|流传的)[^，。]{0,30}?"
_RUMOURED_AFTER = r"[^，。]{0,6}?(?:在网上|在网络上?|网上|在朋友圈|在群里)(?:流传|疯传|热传|传播)"
# Verbs of saying proper, after which a first clause of time is not the subject (怀疑 is no saying).
_SAYING = frozenset(["称", "表示", "说", "指出", "透露", "证实", "否认", "回应", "强调", "介绍"])
# A clause that only says when (12月13日凌晨, 昨天下午).
_TIME_ONLY = re.compile(r"(?:[0-9]+(?:年|月|日|号|时|点|分)|上午|下午|中午|凌晨|早上|晚上|傍晚|深夜|午间|晚间|"
                        r"今天|昨天|前天|当天|当日|今日|昨日|日前|近日|此前|随后|目前|近期|许|左右|\s)+")
# A personal name alone: a surname (index.names) and one or two characters.
_PERSONAL_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}")
# Who or what can carry a rumour referred back to ("该网友", "这条帖子"), unlike a body's staff ("该处工作人员").
_RUMOUR_BEARER = re.compile(r"网友|网民|博主|博友|用户|帖|消息|传言|说法|爆料|视频|截图")
# A bare mention of a document: "声明", "该通知", "这份声明内容".
_DOCUMENT_MENTION = re.compile(r"(?:该|这份|这则|这一|此|上述|那份)?([\u4e00-\u9fff]{2,4}?)(?:内容|中|里|全文|原文)?")
# A report this long names a party to its story more than once; a firm it names once is an outside voice.
OUTSIDE_FIRM_MIN_PARAGRAPHS = 4
# "X相关人士", "X方面": group 1 the party they speak for, when the report names it this often.
_PARTY_STAFF = re.compile(r"^([^，。、“”]{2,12}?)(?:的)?(?:相关人士|方面人士|相关人员|相关负责人|方面)$")
PARTY_MENTIONS = 3
# A firm's executive by title ("鑫创资产总经理黄某"): group 1 the firm.
_FIRM_TITLE = re.compile(r"^([^，。、“”]{2,12}?)(?:总经理|副总经理|发言人|董事长|总裁|CEO|经理|总监)")
_GOVERNMENT_ENDINGS = ("局", "部", "委", "署", "厅", "政府", "法院", "检察院", "院", "所", "办", "处", "中心", "会",
                       "警方", "公安", "协会", "大学", "学校", "医院")
_GOES_ON = frozenset(["并", "并且", "而且", "且", "还", "又", "也"])
# A sentence that is one quotation, nothing outside it (not “一站式”的服务…, a term quoted).
_WHOLLY_QUOTED = re.compile(r"^[“「][^”」]{6,}[”」][。！？!?…]*$")
_NETIZEN = re.compile(r"网友|网民")
_LATIN = re.compile(r"[A-Za-z]")
_OUTLET_STAFF = re.compile(r"[报社台网刊]|记者$")       # a reporter of another outlet speaks for it (named)
# Staff named by their role in a body named in the clause before ("联系到某局，相关科室工作人员表示").
_STAFF_ROLE = re.compile(r"(?:相关)?(?:科室|部门|业务部门)?的?(?:工作人员|值班人员|负责人|接线员)")
# A role of an unnamed person followed by a full name ("学生邓启明", "村民张建国"): the person is named.
_ROLE_THEN_NAME = re.compile(r"(?:学生|村民|居民|市民|员工|家长|乘客|司机|患者|志愿者|同学|保安|消费者|群众|女生|男生|"
                             r"投诉人|举报人|当事人|家属)([\u4e00-\u9fff]{2,4})$")
_FOREIGN_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}[·•‧][\u4e00-\u9fff]{1,8}")
_NOT_A_GIVEN_NAME = re.compile(r"某|们|等|先生|女士|小姐|师傅|阿姨|大爷|大妈|老伯")
_CLAIMS = re.compile(r"\s*(?:称|声称|爆料|曝光|发帖称|发文称|留言称?|晒出)")
INTRODUCTION_CHARS = 12     # longer, the sentence says more than that a document follows
ROLE_CONTEXT_CHARS = 16     # how far before a name its title may begin ("某公司董事长秦某")
# The reporter reaching someone, before the title and name introduced ("记者采访了市医院主任周宁").
_REACHED = re.compile(r"(?:采访了?|联系(?:上|到)?了?|致电|找到|见到|询问了?|来到|负责(?!人))")
# Before a name, words that make it an object, not a title (…以贪污罪名将李宁逮捕, 向张三了解): what precedes them
# says nothing of who the person is.
_NOT_A_TITLE = re.compile(r"[将把被向对给让与跟和及、]")
PRONOUN_PHRASE_CHARS = 6    # 对方断然, 对方斩钉截铁: a pronoun and its adverb, nobody else

# A person's own account reproduced after this paragraph ("以下是王林（化名）的口述").
_ACCOUNT_FOLLOWS = re.compile(r"以下(?:是|为)([^，。：:“”]{2,16}?)的(?:口述|自述|讲述|叙述)")
_FIRST_PERSON = re.compile(r"我们|我(?!国|省|市|区|县|军|方|校|院)|咱")


@dataclass(frozen=True)
class Claim:
    text: str
    source: str
    tier: str


@dataclass(frozen=True)
class _Phrase:
    """Who a sentence says is speaking, as written, and where it starts in the sentence."""
    text: Text
    start: int
    bare: bool        # before a verb straight into what was said: needs a cue to count as a speaker


@dataclass
class _Speaker:
    label: str
    tier: str
    key: str          # the label in simplified characters, for matching later mentions


def _quoted_positions(plain: str) -> frozenset[int]:
    """The positions inside a quotation (more quotes opened than closed before them): a cue there is the speaker's
    word (“…不过都是传闻。”), not the sentence's source."""
    inside, depth = set(), 0
    for at, char in enumerate(plain):
        if depth > 0:
            inside.add(at)
        depth += (char in OPEN_QUOTES) - (char in CLOSE_QUOTES)
    return frozenset(inside)


def _only_a_role(label: str) -> bool:
    """A person named by a role only ("某院士的保健医生", "一位老店主"): ends with a noun for a person, and no
    common surname stands where a personal name would, before a role of one or two characters (范国威议员) or
    as the role's last characters (王建生)."""
    core = label.split("的")[-1]
    return (len(core) >= 2 and core.endswith(PERSON_ENDINGS) and not _LATIN.search(core)
            and not _OUTLET_STAFF.search(core) and not any(c in SURNAMES for c in core[-5:-1]))


def _named_after_role(label: str) -> bool:
    """A role, then a full name: of a common surname ("某校学生邓启明") or a foreign one written with a middle dot
    ("研究人员维克多·葛弗斯"); no mark of anonymity."""
    if "化名" in label:
        return False
    if _FOREIGN_NAME.search(label):
        return True
    found = _ROLE_THEN_NAME.search(label)
    return found is not None and (found.group(1)[0] in SURNAMES or found.group(1)[:2] in COMPOUND_SURNAMES) \
        and not _NOT_A_GIVEN_NAME.search(found.group(1))


class Attributor:
    """Attributes the sentences of one document in order, remembering who has spoken.

    Later mentions of a speaker read the same as the first one: "上述知情人士"
    and a bare "郭明錤" resolve to the label introduced earlier ("一位不愿透露姓名的
    知情人士", "天风国际证券分析师郭明錤"), and keep that speaker's tier.
    """

    def __init__(self, rules: SourceRules, outlet: str = "") -> None:
        """``outlet``: the report's publisher (its front matter), whose own reporters are the reporter."""
        self.rules = rules
        self.pseudonyms: set[str] = set()
        self.rumoured_documents: set[str] = set()
        self.document_text = ""                # the whole report, when read ahead (read_ahead)
        self.outlet = Text.of(outlet).plain    # simplified, as the labels it is compared with
        self.paragraphs_ahead = 0
        self.speakers: list[_Speaker] = []     # in order of first appearance
        self.last_speaker: _Speaker | None = None
        self.last_person: _Speaker | None = None      # the last named or anonymous person who spoke
        self.document: Claim | None = None     # the source of a document the report is reproducing
        self.read = ""                         # the paragraphs attributed so far, for names introduced earlier
        self.quoting: Claim | None = None      # a speaker whose quotation runs on into the next paragraph
        self.last_claim: Claim | None = None   # the previous paragraph's last claim

    def _speaker(self, sentence: Text) -> _Phrase | None:
        """The speaker phrase of a sentence: the tail after a quote, else the clause before a speech verb."""
        plain = sentence.plain
        if plain[:1] in OPEN_QUOTES:
            closing = max(plain.rfind(q) for q in CLOSE_QUOTES)
            tail = self.rules._tail.match(plain[closing + 1:]) if closing > 0 else None
            if tail:
                start = closing + 1 + tail.start("speaker")
                return _Phrase(sentence[start: closing + 1 + tail.end("speaker")], start, False)
        leads = ((self._lead(self.rules._lead, plain), False), (self._lead(self.rules._lead_bare, plain), True),
                 (self._lead(self.rules._learned_from, plain), True))
        for lead, bare in leads:
            if not lead or (bare and "是" in lead.group("speaker")):   # (X是…呼吁…的发起人: a predicate, no speaker)
                continue
            start, end = lead.start("speaker"), lead.end("speaker")
            # The first speech verb ends the speaker ("其表示自己也是听说，": 其, not 其表示自己也是听), unless
            # it is inside a phrase describing the speaker ("不愿透露姓名的知情人士").
            earlier = self.rules._verb.search(plain, start, end)
            if earlier and "的" not in plain[earlier.end():end]:
                end = earlier.start()
            if plain[start:end].strip():
                return _Phrase(sentence[start:end], start, bare)
            subject = self._opening_subject(sentence, start, lead.group("verb"))
            if subject is not None:
                return subject
        return None

    def _opening_subject(self, sentence: Text, start: int, verb: str) -> _Phrase | None:
        """A verb opening a clause has the sentence's subject ("X在得知来意后，登记了信息，表示……"): its first
        clause, taken only when a cue names it a speaker; before a verb of saying proper, a first clause that only
        says when (12月13日凌晨，X发布微博，称…) gives way to the next."""
        plain = sentence.plain
        if "“" in plain[:start]:
            return None
        opened = 0
        for cut in _CLAUSE.finditer(plain, 0, start):
            clause = self.rules.labels.clean(sentence[opened: cut.start()]).plain.strip()
            if not (clause and _TIME_ONLY.fullmatch(clause) and verb in _SAYING):
                if not clause:
                    return None
                # a clause that says someone said something ("有网友称X在群中发言，称“…”"): its subject is
                # the one before that verb
                said = self.rules._verb.search(plain, opened, cut.start())
                end = said.start() if said and plain[opened: said.start()].strip() else cut.start()
                return _Phrase(sentence[opened: end], opened, True)
            opened = cut.end()
        return None

    @staticmethod
    def _lead(pattern: re.Pattern[str], plain: str) -> re.Match[str] | None:
        """The first speech verb that attributes the sentence: not inside a quote ("“我们不知道”"), not denied
        ("警方始终未对此消息予以证实": nobody confirmed anything)."""
        for lead in pattern.finditer(plain):
            before = plain[: lead.start("verb")]
            if sum(before.count(q) for q in OPEN_QUOTES) != sum(before.count(q) for q in CLOSE_QUOTES):
                continue
            if _NOT_SAID.search(before):
                continue
            return lead
        return None

    def expect_pseudonyms(self, paragraphs: list[str]) -> None:
        """Names the report declares pseudonyms anywhere in it (应受访者要求，X为化名): anonymous from the start."""
        for paragraph in (p for p in paragraphs if "化名" in p):      # (the same in either script)
            for match in _DECLARED_PSEUDONYMS.finditer(Text.of(paragraph).plain):
                self.pseudonyms.update(name[-2:] for name in re.split("[、和与及]", match.group(1)) if len(name) >= 2)

    def read_ahead(self, paragraphs: list[str]) -> None:
        """What the whole report says before any of it is attributed: pseudonyms and rumoured documents declared
        anywhere, and its text (to tell a party named throughout from an outside firm named once)."""
        self.expect_pseudonyms(paragraphs)
        self.document_text = "。".join(Text.of(p).plain for p in paragraphs)      # (simplified once: it is slow)
        self.paragraphs_ahead = len(paragraphs)
        self.expect_rumoured_documents(self.document_text)

    def expect_rumoured_documents(self, plain: str) -> None:
        """Kinds of document ([documents] kinds) the report (its simplified text) says circulate with nobody
        answering for them: a later bare mention ("声明写道", "该通知称") is that rumour, not a body's statement."""
        for kind in self.rules.documents.kinds:
            if kind in plain and re.search(f"{_RUMOURED_BEFORE}{kind}|{kind}{_RUMOURED_AFTER}", plain):
                self.rumoured_documents.add(kind)

    def _outside_firm(self, label: str) -> bool:
        """A firm's executive (某资产公司总经理王某) whose firm the report names nowhere else: an outside voice
        asked to comment, not a party to the story speaking for itself.  (A body of government is a party.)"""
        titled = _FIRM_TITLE.match(label)
        if titled is None or self.paragraphs_ahead < OUTSIDE_FIRM_MIN_PARAGRAPHS or \
                any(ending in titled.group(1) for ending in _GOVERNMENT_ENDINGS):     # (…医院行政总监)
            return False
        firm = titled.group(1)[-4:]          # without a place before it (上海X书园: X书园 is what recurs)
        return self.document_text.count(firm) <= 1

    def _own_reporter(self, label: str) -> bool:
        """A reporter of the report's own outlet named by it ("某某晚报记者", the outlet 某某晚报)."""
        outlet = label[:-2] if label.endswith("记者") else ""
        return len(outlet) >= 2 and bool(self.outlet) and (outlet in self.outlet or self.outlet in outlet)

    def _party_staff(self, label: str) -> bool:
        """Someone speaking for a party the report names throughout, unnamed (某汽车中国相关人士, X方面): that
        party's statement, not an anonymous source's."""
        staff = _PARTY_STAFF.match(label)
        # (the party's name as it recurs: 某汽车 of 某汽车中国)
        return staff is not None and self.document_text.count(staff.group(1)[:3]) >= PARTY_MENTIONS

    def _rumoured_document(self, text: str) -> bool:
        mention = _DOCUMENT_MENTION.fullmatch(text)
        return mention is not None and mention.group(1) in self.rumoured_documents

    def _cue_tier(self, *texts: str) -> str | None:
        """The tier of the first [speakers] group with a cue in the texts; None when no cue matches."""
        if any(name in text for name in self.pseudonyms for text in texts):
            return "anonymous"
        if self.rumoured_documents and any(self._rumoured_document(text) for text in texts):
            return "rumor"
        for group, cues in self.rules.speaker_cues:
            if any(cues.search(text) for text in texts):
                return group_tier(group)
        return None

    def _bare(self, label: str) -> str:
        """The label without a pseudonym marker: "张海（化名）" -> "张海"."""
        match = self.rules.pseudonym.search(label)
        return label[: match.end(1)] + label[match.end():] if match and match.groups() else label

    def _resolve(self, core: str, back_reference: bool) -> _Speaker | None:
        """The earlier speaker a mention refers to, most recent first; a surname alone (袁称) is the last speaker
        whose name begins with it (行政总监袁家儿)."""
        if len(core) == 1 and core in SURNAMES:
            return next((sp for sp in reversed(self.speakers) if re.search(f"{core}[\u4e00-\u9fff]{{1,2}}$", sp.key)),
                        None)
        if len(core) < 2:
            return None
        for speaker in reversed(self.speakers):
            if speaker.key == core or self._bare(speaker.key).endswith(self._bare(core)):
                return speaker
            if back_reference and core in speaker.key:
                return speaker
        return None

    def _asked(self, who: Text) -> _Speaker:
        """The speaker a sentence asked before its 对方 answers (向王菲好友马葭进行核实), placed by the cues."""
        label = self.rules.labels.shorten(self.rules.labels.clean(who))
        tier = self._cue_tier(who.plain, label.plain) or ("anonymous" if _only_a_role(label.plain) else "named")
        speaker = _Speaker(label.shown, tier, label.plain)
        self.speakers.append(speaker)
        return speaker

    def _who(self, found: _Phrase, sentence: Text) -> _Speaker | None:
        labels = self.rules.labels
        phrase = found.text
        cuts = [m.end() for m in _CLAUSE.finditer(phrase.plain)]
        clause = phrase[cuts[-1]:] if cuts else phrase     # the clause right before the verb
        back_reference, core = labels.back_referenced(labels.clean(clause))
        if not core.strip("“”\"《》「」（）() "):
            return None                                       # punctuation only: nobody to credit
        # "X确认过…，并指出…": the sentence's subject goes on speaking; with none named, the last speaker
        if core.plain in _GOES_ON:
            return self._subject(sentence.plain[: found.start]) or self.last_speaker
        # (对方断然否认, 他连连否认: the pronoun and an adverb of manner)
        if self._is_pronoun(core.plain):
            # "记者向王菲好友马葭进行核实，对方否认：……": 对方 is the one asked, named in the same sentence;
            # "记者致电X，对于…，他连连否认": the one called.
            before = sentence.plain[: found.start]
            asked = _ASKED.search(before) or next(reversed(list(_CALLED.finditer(before))), None)
            if asked is not None:
                return self._asked(Text.of(next(g for g in asked.groups() if g)))
            if self.last_speaker is not None:
                return self.last_speaker
        known = self._resolve(core.plain, back_reference)
        if known is not None:
            return known
        if back_reference:
            # "有网友爆料……，该网友写道": the one referred to was introduced earlier in the sentence as a rumour.
            rumor = self._phrase(Text.of(sentence.plain[: found.start]), only="rumor") \
                if _RUMOUR_BEARER.search(core.plain) else None      # (not 针对该传闻，…该处工作人员称)
            if rumor is not None:
                return _Speaker(rumor[1].shown, "rumor", rumor[1].plain)
            # "据这位女生透露": a person referred back to by a common noun, the last one heard.
            if len(core) <= ROLE_MAX_CHARS and self.last_person is not None:
                return self.last_person
        # A speaker clause that is only a role (工作人员) belongs to the body named in the clause before it
        # ("致电四里店派出所,工作人员表示……").
        context = clause
        if len(core) <= ROLE_MAX_CHARS or _STAFF_ROLE.fullmatch(core.plain):
            before = sentence.plain[: found.start + (cuts[-1] if cuts else 0)]
            clauses = [c for c in _CLAUSE.split(before) if c.strip()]
            context = Text.of((clauses[-1] if clauses else "") + clause.plain)
        cued = self._cue_tier(context.plain, core.plain)
        introduced = self._introduced(core.plain, sentence.plain) if cued is None else None
        if introduced is not None:
            cued, core = introduced         # "周立说": the 星河科技董事长周立 the report named earlier
        if cued is None and found.bare and _PERSONAL_NAME.fullmatch(core.plain) and core.plain[0] in SURNAMES:
            cued = "named"                  # "王建国认为…": a personal name before the verb speaks
        if cued is None and found.bare:
            return None                     # "…表示…" after words that name no speaker: not an attribution
        # a speaker no cue places is a named third party, unless only a role names them ("院士的保健医生")
        tier = cued or ("anonymous" if _only_a_role(core.plain) else "named")
        if tier == "official" and self._outside_firm(core.plain):
            tier = "named"
        elif tier == "anonymous" and self._party_staff(core.plain):
            tier = "official"
        elif self._own_reporter(core.plain):
            tier = "reporter"               # "某某新闻记者注意到": the outlet's own reporter, by its name
        elif tier == "anonymous" and _named_after_role(core.plain):
            tier = "named"                  # "该校学生邓启明表示": a role, then the person's full name
        # "有网友称…": a netizen's claim is the rumour; "网友认为…" an opinion
        if tier == "anonymous" and _NETIZEN.search(core.plain) and \
                _CLAIMS.match(sentence.plain, found.start + len(phrase)):
            tier = "rumor"
        label = labels.shorten(core)
        if tier == "rumor":
            # "有消息称": the rumour cue itself says more than "近期有消息".
            cue = self._phrase(sentence, only="rumor")
            label = cue[1] if cue else label
        speaker = _Speaker(label.shown, tier, label.plain)
        if tier != "rumor":
            self.speakers.append(speaker)
        return speaker

    def _introduced(self, name: str, sentence: str) -> tuple[str, Text] | None:
        """A bare name the report introduced earlier with a title ("星河科技董事长周立"): that title's tier, and the
        name with it; None when no cue places the introduction."""
        if not 2 <= len(name) <= 4:
            return None
        text = self.read + sentence
        for match in re.finditer(re.escape(name), text):
            before = _CLAUSE.split(re.split(r"[。！？!?\n]", text[max(0, match.start() - ROLE_CONTEXT_CHARS):
                                                                  match.start()])[-1])[-1]
            before = _NOT_A_TITLE.split(_REACHED.split(before)[-1])[-1].lstrip("的")
            if len(before) < 2:
                continue
            tier = self._cue_tier(before + name)
            if tier is not None and tier != "rumor":
                return tier, Text.of(before + name)
        return None

    def _subject(self, before: str) -> _Speaker | None:
        """The first clause of a sentence's beginning that a cue names a speaker (北大数学学院官方在bbs上确认过…)."""
        labels = self.rules.labels
        for clause in (c for c in _CLAUSE.split(before) if c.strip()):
            learned = self.rules._learned_from.search(clause)      # "记者从X处了解到，…并证实": X speaks
            clause = learned.group("speaker") if learned else clause
            label = labels.clean(Text.of(clause))
            tier = self._cue_tier(clause, label.plain) if label.plain.strip() else None
            if tier is not None and tier != "rumor":
                return _Speaker(labels.shorten(label).shown, tier, label.plain)
        return None

    def _is_pronoun(self, core: str) -> bool:
        """A pronoun, alone or with an adverb of manner (对方断然, 他连连), not 其他 or 他人."""
        pronouns = self.rules.labels.pronouns
        if core in pronouns:
            return True
        if len(core) <= PRONOUN_PHRASE_CHARS and core.startswith(tuple(p for p in pronouns if len(p) > 1)):
            return True
        return len(core) <= ROLE_MAX_CHARS and core[:1] in pronouns and core[:2] not in ("其他", "其余", "其中", "其实",
                                                                                       "他人", "她人")

    def _answerer(self, sentence: Text) -> _Phrase | None:
        """Who speaks before a colon: the one answering in an interview set as questions and answers ("周宁：……",
        when the report named them before), or a speaker captioned before a quotation ("主任检察官王明：「…」")."""
        match = _ANSWERER.match(sentence.plain)
        if match is not None and match.group(1) in self.read:
            return _Phrase(sentence[: match.end(1)], 0, False)
        # a television transcript: who speaks, a colon, what they said in quotes ("某地检署检察官王明：「…」")
        caption = _CAPTION.match(sentence.plain)
        if caption is None or self.rules._verb.search(caption.group(1)) or caption.group(1).endswith("规定"):
            return None     # (于淼说：“…”, 某法第十条规定：“…”: a verb says who speaks, the usual way)
        return _Phrase(sentence[: caption.end(1)], 0, False)

    def _phrase(self, sentence: Text, only: str | None = None) -> tuple[str, Text] | None:
        best: tuple[int, str, Text] | None = None
        plain = sentence.plain
        quoted = _quoted_positions(plain) if any(q in plain for q in OPEN_QUOTES) else frozenset()
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
        # The label is who acts, not the time before it ("在2017年1月10日，原国家食药监总局公布了……").
        label = best[2]
        cuts = [m.end() for m in _CLAUSE.finditer(label.plain)]
        cleaned = self.rules.labels.clean(label[cuts[-1]:]) if cuts else label
        return best[1], cleaned if cleaned.plain.strip() else label

    def attribute(self, sentence: str | Text, previous: Claim | None) -> Claim:
        text = sentence if isinstance(sentence, Text) else Text.of(sentence)
        for match in self.rules.pseudonym.finditer(text.plain):
            if match.groups():
                self.pseudonyms.add(match.group(1))
        speaker = None
        found_phrase = self._answerer(text) or self._speaker(text)
        if found_phrase is not None:
            speaker = self._who(found_phrase, text)
        before = previous or self.last_claim
        if speaker is not None and speaker.tier == "named" and found_phrase is not None and before is not None \
                and before.tier != "reporter" \
                and _DOCUMENT_SPEAKER.match(self.rules.labels.clean(found_phrase.text).plain):
            return Claim(text.shown, before.source, before.tier)      # "文章表示": the article just named
        if speaker is not None:
            if speaker.tier not in ("rumor", "reporter"):       # 他 and 对方 are never the outlet
                self.last_speaker = speaker
            if speaker.tier in ("named", "anonymous"):
                self.last_person = speaker
            return Claim(text.shown, speaker.label, speaker.tier)
        found = self._phrase(text)
        if found:
            tier, label = found
            return Claim(text.shown, self.rules.default_source if tier == "reporter" else label.shown, tier)
        # A sentence that only introduces a document ("声明内容如下：") is the outlet's framing, not the document.
        if any(p.search(text.plain) for p in self.rules.documents.introduces) and len(text.plain) <= INTRODUCTION_CHARS:
            return Claim(text.shown, self.rules.default_source, "reporter")
        # A question the outlet asks ("……是否属实？") is its own, whoever spoke before.
        if (previous is not None and previous.tier != "reporter"
                and (text.plain.startswith(tuple(OPEN_QUOTES)) or not text.plain.rstrip("”」").endswith(("？", "?")))
                and (not text.plain.startswith(self.rules.no_carry_over) or self._goes_on_speaking(text.plain))):
            return Claim(text.shown, previous.source, previous.tier)
        # 这成为了父亲做的最后1次透析: a relative named bare is told by the last person who spoke (a family
        # member), not by the reporter, even in a paragraph of its own.
        # “我们会按时交付。”: a quotation nobody is credited with is not the outlet's words but the last speaker's
        if self.last_speaker is not None and _WHOLLY_QUOTED.match(text.plain):
            return Claim(text.shown, self.last_speaker.label, self.last_speaker.tier)
        person = self.last_person
        if person is not None and (self.rules.relatives.search(_QUOTED.sub("", text.plain))
                                   or _PRONOUN_SUBJECT.match(text.plain)):
            # 她原本跟房东的合同签到明年4月: told of the person the report is hearing, by them
            return Claim(text.shown, person.label, person.tier)
        return Claim(text.shown, self.rules.default_source, "reporter")

    def _goes_on_speaking(self, plain: str) -> bool:
        """Whether a sentence opening with a connective (但, 如果) still reports the previous speaker: it speaks in
        the first person outside quotes ("但如果真涨价，我们……"), or its subject is a pronoun ("但她同样……")."""
        unquoted = _QUOTED.sub("", plain)
        if _FIRST_PERSON.search(unquoted):
            return True
        rest = next((plain[len(w):] for w in self.rules.no_carry_over if plain.startswith(w)), plain).lstrip("，, ")
        return rest.startswith(tuple(self.rules.labels.pronouns))

    def claims(self, paragraph: str) -> list[Claim]:
        """The claims of the document's next paragraph.  A document the report reproduces (sources.toml
        [documents]: "情况说明原文：……", or the paragraphs after "声明内容如下：") is its issuer's, sentence by
        sentence, until a paragraph opens with someone else speaking or with the reporter."""
        text = Text.of(paragraph)
        sentences = split_texts(text, self.rules)
        opened = self._opened(text.plain)
        if opened is not None:
            self.document = opened
        elif self.document is not None and sentences and self._new_voice(sentences[0]):
            self.document = None
        claims: list[Claim] = []
        answering = bool(sentences) and self.document is None and self._answerer(sentences[0]) is not None
        quoting = self.quoting if self.document is None else None
        unquoted: bool | None = None       # the paragraph's first speech given after a colon, without quotes
        for sentence in sentences:
            if unquoted is None and claims and claims[-1].tier != "reporter":
                unquoted = self._speaks_unquoted(claims[-1])
            if quoting is not None:
                claims.append(Claim(sentence.shown, quoting.source, quoting.tier))
            elif self.document is not None:
                claims.append(Claim(sentence.shown, self.document.source, self.document.tier))
            elif claims and (answering or unquoted) and self._speaker(sentence) is None \
                    and self._answerer(sentence) is None:
                # the answer goes on ("但这不是…"); so does speech given without quotes after a colon
                # ("李明在短信中写道：我想说几句。请问，凭什么？")
                claims.append(replace(claims[-1], text=sentence.shown))
            else:
                claims.append(self.attribute(sentence, claims[-1] if claims else None))
        self.read += text.plain + "\n"
        self.quoting = self._quotation_runs_on(text.plain, claims, quoting)
        self.last_claim = claims[-1] if claims else self.last_claim
        if self.document is None and claims and any(p.search(text.plain) for p in self.rules.documents.introduces):
            self.document = self._issuer(claims[-1], text.plain)
        account = _ACCOUNT_FOLLOWS.search(text.plain)
        if account is not None:             # "以下是王林的口述：" — the paragraphs after it are that person's account
            name = account.group(1)
            self.document = Claim("", name, self._cue_tier(name) or "named")
        return claims

    def _speaks_unquoted(self, first: Claim) -> bool:
        """A paragraph's first speech was given after a speech verb and a colon, without quotation marks."""
        plain = Text.of(first.text).plain
        match = next((m for m in self.rules._verb.finditer(plain) if plain[m.end():m.end() + 1] in "：:"), None)
        return match is not None and plain[match.end() + 1:match.end() + 2] not in OPEN_QUOTES

    def _quotation_runs_on(self, plain: str, claims: list[Claim], quoting: Claim | None) -> Claim | None:
        """Who speaks in the next paragraph when this one leaves a quotation open (a quotation of several
        paragraphs opens each with “ and closes only at its end) or ends introducing one ("她说：")."""
        if not claims:
            return None
        last = claims[-1]
        speaker = quoting or (last if last.tier != "reporter" else None)
        if speaker is None:
            return None
        opened = sum(plain.count(q) for q in OPEN_QUOTES) - sum(plain.count(q) for q in CLOSE_QUOTES)
        if opened > 0 or (quoting is None and plain.rstrip().endswith(("：", ":"))):
            return Claim("", speaker.source, speaker.tier)
        return None

    def _opened(self, plain: str) -> Claim | None:
        """The source of a document this paragraph starts with ("情况说明原文：……"), if it names one."""
        for pattern in self.rules.documents.opens:
            match = pattern.match(plain)
            if match and match.groups() and any(kind in match.group(1) for kind in self.rules.documents.kinds):
                return Claim("", match.group(1), "official")
        return None

    def _issuer(self, introduction: Claim, plain: str) -> Claim | None:
        """Who a document introduced by this paragraph is from: the introduction's own speaker, else the body
        issuing a document of a kind issued on record ("……该局发布了情况说明"), else nobody known."""
        if introduction.tier != "reporter":
            return introduction
        kind = next((k for k in self.rules.documents.kinds if k in plain), None)
        return Claim("", kind, "official") if kind else None

    def _new_voice(self, sentence: Text) -> bool:
        """A paragraph opening with someone speaking or with the reporter ends a document being reproduced."""
        found = self._speaker(sentence)
        if found is not None and self._who(found, sentence) is not None:
            return True
        opening = _CLAUSE.split(sentence.plain, maxsplit=1)[0]
        return self._phrase(sentence, only="reporter") is not None or \
            any(p.search(opening) for p in self.rules.speakers.get("reporter", []))


__all__ = ["DEFAULT_LABELS", "TIERS", "Attributor", "Claim", "LabelRules", "SourceRules", "Text", "group_tier",
           "parse_label_rules", "split_sentences"]
