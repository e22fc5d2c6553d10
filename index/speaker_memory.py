"""What the attributor remembers of one report: who has spoken, and what the report declares of its sources.

A later mention reads the same as the first ("上述知情人士", a bare "郭明錤" or a surname alone resolve to the
speaker introduced earlier, with that speaker's tier); names declared pseudonyms anywhere (应受访者要求，X为化名)
are anonymous from the start; a kind of document said to circulate with nobody answering for it is a rumour
when mentioned bare later; a party named throughout speaks for itself, a firm named once is an outside voice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .names import SURNAMES
from .source_rules import SourceRules, Text, group_tier
from .speaker_labels import CLAUSE, a_personal_name

# "应受访者要求，李强为化名", "文中张某、李某均为化名": often said once, at the end of the report.
_DECLARED_PSEUDONYMS = re.compile(r"([\u4e00-\u9fff]{2,4}(?:[、和与及][\u4e00-\u9fff]{2,4})*)"
                                  r"(?:(?:均|皆|都)?(?:为|是|系)化名|[（(][^）)]{0,20}?化名[)）])")
# A document the report says nobody answers for ("一份疑似X的声明在网上流传", "网传的一则通知").
_RUMOURED_BEFORE = r"(?:疑似|网传|网上流传的?|网络流传的?|流传的)[^，。]{0,30}?"
_RUMOURED_AFTER = r"[^，。]{0,6}?(?:在网上|在网络上?|网上|在朋友圈|在群里)(?:流传|疯传|热传|传播)"
# A bare mention of a document: "声明", "该通知", "这份声明内容".
_DOCUMENT_MENTION = re.compile(r"(?:该|这份|这则|这一|此|上述|那份)?([\u4e00-\u9fff]{2,4}?)(?:内容|中|里|全文|原文)?")
# A report this long names a party to its story more than once; a firm it names once is an outside voice.
OUTSIDE_FIRM_MIN_PARAGRAPHS = 4
# What follows a body's bare name when it speaks by its publication or its side (盖洛普[民调], 港铁[报告], X[方面]).
_BODY_OR_PUBLICATION = re.compile(r"(?:的)?(?:最新)?(?:民意调查|民调|调查|报告|新闻稿|声明|公告|通告|通报|方面|官方|"
                                  r"发言人)")
# "X相关人士", "X方面": group 1 the party they speak for, when the report names it this often.
_PARTY_STAFF = re.compile(r"^([^，。、“”]{2,12}?)(?:的)?(?:相关人士|方面人士|相关人员|相关负责人|方面)$")
PARTY_MENTIONS = 3
# A firm's executive by title ("鑫创资产总经理黄某"): group 1 the firm.
_FIRM_TITLE = re.compile(r"^([^，。、“”]{2,12}?)(?:总经理|副总经理|发言人|董事长|总裁|CEO|经理|总监)")
# The head of a body by title ("某医学会会长何某"): group 1 the body, group 2 the title.
_HEAD_TITLE = re.compile(r"^([^，。、“”]{2,12}?)((?:创会|常务)?副?(?:院长|校长|会长|总干事|主席))")
_GOVERNMENT_ENDINGS = ("局", "部", "委", "署", "厅", "政府", "法院", "检察院", "院", "所", "办", "处", "中心", "会",
                       "警方", "公安", "协会", "大学", "学校", "医院")
# A label that is a person, an outlet, a handle or a document, not a body: a middle dot, quotes, 报/社/台/网/刊/
# 媒体, an outlet named 某之家, the news agencies named without 社 (路透, 彭博 …), a document named bare (文章表示).
_NOT_A_BODY = re.compile(r"[·•‧“”「」]|报|社|台|网|刊|媒体|记者|之家|路透|彭博|美联|法新|共同|"
                         r"文章|帖子|视频|截图|消息|文件|报告|声明|通知")
# Before a name in quotes, words that make it someone's nickname.
_GIVES_A_HANDLE = re.compile(r"(?:自称|叫做|叫|网名|昵称|化名|名为|网友|网民|博主|女子|男子|中介|女士|先生|男孩|女孩)$")
TITLE_CUE_CHARS = 8       # how near the name the role word of a title stands ("某公司董事长秦某")
ROLE_CONTEXT_CHARS = 16     # how far before a name its title may begin ("某公司董事长秦某")
# The reporter reaching someone, before the title and name introduced ("记者采访了市医院主任周宁").
_REACHED = re.compile(r"(?:采访了?|联系(?:上|到)?了?|致电|找到|见到|询问了?|来到|负责(?!人))")
# Before a name, words that make it an object, not a title (…以贪污罪名将李宁逮捕, 向张三了解): what precedes them
# says nothing of who the person is.
_NOT_A_TITLE = re.compile(r"[将把被向对给让与跟和及在、]")


@dataclass
class Speaker:
    label: str
    tier: str
    key: str          # the label in simplified characters, for matching later mentions


@dataclass
class ReportMemory:
    """Who has spoken so far in one report, and what the whole report, read ahead, declares."""
    rules: SourceRules
    outlet: str = ""                           # the publisher, simplified, as the labels it is compared with
    pseudonyms: set[str] = field(default_factory=set)
    rumoured_documents: set[str] = field(default_factory=set)
    document_text: str = ""                    # the whole report, when read ahead (read_ahead)
    paragraphs_ahead: int = 0
    speakers: list[Speaker] = field(default_factory=list)     # in order of first appearance
    last_speaker: Speaker | None = None
    last_person: Speaker | None = None         # the last named or anonymous person who spoke
    read: str = ""                             # the paragraphs attributed so far, for names introduced earlier

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

    def outside_firm(self, label: str) -> bool:
        """A firm's executive (某资产公司总经理王某) whose firm the report names nowhere else: an outside voice
        asked to comment, not a party to the story speaking for itself.  (A body of government is a party.)"""
        titled = _FIRM_TITLE.match(label)
        if titled is None or self.paragraphs_ahead < OUTSIDE_FIRM_MIN_PARAGRAPHS or \
                any(ending in titled.group(1) for ending in _GOVERNMENT_ENDINGS):     # (…医院行政总监)
            return False
        # The firm as it recurs: without a place before it (上海X书园: X书园), or without the division after it
        # (X铁车务营运总监: X铁).
        firm, without_division = titled.group(1)[-4:], titled.group(1)[:2]
        return self.document_text.count(firm) <= 1 and self.document_text.count(without_division) <= 1

    def outside_head(self, label: str) -> bool:
        """The head of a body (某医学会会长何某, 某协会主席) that the report names nowhere but in that title: an outside
        voice asked to comment, not a party to the story (某医院院长 of the hospital the story is about)."""
        titled = _HEAD_TITLE.match(label)
        if titled is None or self.paragraphs_ahead < OUTSIDE_FIRM_MIN_PARAGRAPHS:
            return False
        body = titled.group(1).removesuffix("的")[-4:]
        return self.document_text.replace(body + titled.group(2), "").count(body) == 0

    def own_reporter(self, label: str) -> bool:
        """A reporter of the report's own outlet named by it ("某某晚报记者", the outlet 某某晚报), or the outlet
        itself ("如某某晚报昨日报道")."""
        if label.endswith("记者"):
            outlet = label[:-2]
            return len(outlet) >= 2 and bool(self.outlet) and (outlet in self.outlet or self.outlet in outlet)
        return len(self.outlet) >= 2 and label.removeprefix("如") == self.outlet

    def party_staff(self, label: str) -> bool:
        """Someone speaking for a party the report names throughout, unnamed (某汽车中国相关人士, X方面): that
        party's statement, not an anonymous source's."""
        staff = _PARTY_STAFF.match(label)
        # (the party's name as it recurs: 某汽车 of 某汽车中国)
        return staff is not None and self.document_text.count(staff.group(1)[:3]) >= PARTY_MENTIONS

    def a_party(self, label: str) -> bool:
        """A body the report names throughout, speaking under its bare name ("九巴指", "某集团表示"): a party to the
        story on record, not an outside voice; a person's name, foreign or Chinese, is no body."""
        mentions = self.document_text.count(label)
        quoted = sum(self.document_text.count(f"{o}{label}{c}") for o, c in (("“", "”"), ("「", "」")))
        return len(label) >= 2 and mentions >= PARTY_MENTIONS and 2 * quoted < mentions and \
            _NOT_A_BODY.search(label) is None and not a_personal_name(label)    # (“可乐”: a pseudonym in quotes)

    def handle(self, label: str) -> bool:
        """A nickname the report gives someone in quotes ("这名女子自称叫做“可乐”", "网友“蓝色海豚”"): someone
        unnamed, whatever the handle."""
        first = self.document_text.find(f"“{label}”")
        return first >= 0 and _GIVES_A_HANDLE.search(self.document_text[max(0, first - 6):first]) is not None

    def _rumoured_document(self, text: str) -> bool:
        mention = _DOCUMENT_MENTION.fullmatch(text)
        return mention is not None and mention.group(1) in self.rumoured_documents

    def cue_tier(self, *texts: str) -> str | None:
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

    def resolve(self, core: str, back_reference: bool) -> Speaker | None:
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
            # a body named bare after what it published or said spoke ("盖洛普民调称…", then "盖洛普又说")
            if speaker.tier == "official" and len(core) >= 2 and speaker.key.startswith(core) \
                    and _BODY_OR_PUBLICATION.fullmatch(speaker.key[len(core):]):
                return speaker
        return None

    def introduced(self, name: str, sentence: str) -> tuple[str, Text] | None:
        """A bare name the report introduced earlier with a title ("星河科技董事长周立"): that title's tier, and the
        name with it; None when no cue places the introduction."""
        if not 2 <= len(name) <= 4:
            return None
        text = self.read + sentence
        for match in re.finditer(re.escape(name), text):
            before = CLAUSE.split(re.split(r"[。！？!?\n]", text[max(0, match.start() - ROLE_CONTEXT_CHARS):
                                                                 match.start()])[-1])[-1]
            before = _NOT_A_TITLE.split(_REACHED.split(before)[-1])[-1].lstrip("的")
            # (有网民质疑周小龙: someone speaking of the person, no title of theirs)
            before = self.rules.any_speech_verb.split(before)[-1]
            if len(before) < 2:
                continue
            # (the title's role word stands next to the name: 有球员已去信足总 gives 足总 no title)
            tier = self.cue_tier(before + name) if self.cue_tier(before[-TITLE_CUE_CHARS:] + name) else None
            if tier is not None and tier != "rumor":
                return tier, Text.of(before + name)
        return None
