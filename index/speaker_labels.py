"""What a speaker's label says of who they are: shapes of names, roles and pronouns.

Pure predicates on a label as written (simplified), shared by the stages of index.sources; they name no person,
outlet or sentence of any report.
"""

from __future__ import annotations

import re

from .names import COMPOUND_SURNAMES, PERSON_ENDINGS, SURNAMES
from .source_rules import CLOSE_QUOTES, OPEN_QUOTES

CLAUSE = re.compile(r"[，,：:；;]")
ROLE_MAX_CHARS = 4
PRONOUN_PHRASE_CHARS = 6    # 对方断然, 对方斩钉截铁: a pronoun and its adverb, nobody else
QUOTED = re.compile(r'“[^”]*”|「[^」]*」|"[^"]*"')
# A personal name alone: a surname (index.names) and one or two characters.
PERSONAL_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}")
_LATIN = re.compile(r"[A-Za-z]")
_OUTLET_STAFF = re.compile(r"[报社台网刊]|记者$")       # a reporter of another outlet speaks for it (named)
# A role of an unnamed person followed by a full name ("学生邓启明", "村民张建国"): the person is named.
_ROLE_THEN_NAME = re.compile(r"(?:学生|村民|居民|市民|员工|家长|乘客|司机|患者|志愿者|同学|保安|消费者|群众|女生|男生|"
                             r"投诉人|举报人|当事人|家属|网友|网民|博主)([\u4e00-\u9fff]{2,4})$")
_TITLE_THEN_NAME = re.compile(r"(?:员|长|师|官|主席|主任|委员|议员|代表|经理|总监|董事|会长|教授|老师|医生|律师|"
                              r"专家|学者|作家|博士|研究员|分析师)([\u4e00-\u9fff]{2,4})$")
_FOREIGN_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}[·•‧][\u4e00-\u9fff]{1,8}")
# A name in Latin letters right after a role ("仰光市民Nann", "学生Anna Lee"); an acronym (机构IDC) is no name.
_LATIN_NAME = re.compile(r"[\u4e00-\u9fff][A-Z][a-z]+(?:[ -][A-Z][a-z]+)*$")
_NOT_A_GIVEN_NAME = re.compile(r"某|们|等|先生|女士|小姐|师傅|阿姨|大爷|大妈|老伯")
_NOT_PRONOUNS = ("其他", "其余", "其中", "其实", "他人", "她人")


def quotes_left_open(plain: str) -> int:
    """How many more quotations the text opens than it closes (negative: it closes some opened before it)."""
    return sum(plain.count(q) for q in OPEN_QUOTES) - sum(plain.count(q) for q in CLOSE_QUOTES)


def quoted_positions(plain: str) -> frozenset[int]:
    """The positions inside a quotation (more quotes opened than closed before them): a cue there is the speaker's
    word (“…不过都是传闻。”), not the sentence's source."""
    inside, depth = set(), 0
    for at, char in enumerate(plain):
        if depth > 0:
            inside.add(at)
        depth += (char in OPEN_QUOTES) - (char in CLOSE_QUOTES)
    return frozenset(inside)


def only_a_role(label: str) -> bool:
    """A person named by a role only ("某院士的保健医生", "一位老店主"): ends with a noun for a person, and no
    common surname stands where a personal name would, before a role of one or two characters (范国威议员) or
    as the role's last characters (王建生)."""
    core = label.split("的")[-1]
    return (len(core) >= 2 and core.endswith(PERSON_ENDINGS) and not _LATIN.search(core)
            and not _OUTLET_STAFF.search(core) and not any(c in SURNAMES for c in core[-5:-1]))


def named_after_role(label: str) -> bool:
    """A role, then a full name: of a common surname ("某校学生邓启明") or a foreign one written with a middle dot
    ("研究人员维克多·葛弗斯") or in Latin letters ("仰光市民Nann"); no mark of anonymity."""
    if "化名" in label:
        return False
    if _FOREIGN_NAME.search(label) or _LATIN_NAME.search(label):
        return True
    return _ends_in_full_name(_ROLE_THEN_NAME, label)


def titled_name(label: str) -> bool:
    """A title, then a full name ("行政会议成员罗范椒芬", "工会主席郭志诚"): someone the report names."""
    return _ends_in_full_name(_TITLE_THEN_NAME, label)


def _ends_in_full_name(before_name: re.Pattern[str], label: str) -> bool:
    """The label ends, after what ``before_name`` matches, in a full name: a common or compound surname first, no
    mark of someone unnamed (某, 先生 …)."""
    found = before_name.search(label)
    return found is not None and (found.group(1)[0] in SURNAMES or found.group(1)[:2] in COMPOUND_SURNAMES) \
        and not _NOT_A_GIVEN_NAME.search(found.group(1))


# Where someone posted, after who posted it ("王建国在网络", "王建国在网上发帖"): the label without it.
_POSTED_ONLINE = re.compile(r"在(?:网络|网上)[^，。]*$")


def posted_by_a_named_person(label: str) -> bool:
    """Someone named in full posting online ("王建国在网络发帖称", "网友王建国在网上"): that person's own account, not
    a rumour nobody answers for."""
    poster = _POSTED_ONLINE.sub("", label)
    return poster != label and (a_personal_name(poster) or named_after_role(poster))


def a_personal_name(label: str) -> bool:
    """A surname and one or two characters ("王建国"), or a compound or double surname and two ("欧阳明远",
    "罗范椒芬", a married name as Hong Kong writes it); nothing else."""
    if len(label) == 4 and PERSONAL_NAME.fullmatch(label[:2]) and PERSONAL_NAME.fullmatch(label[2:]):
        return label[:2] in COMPOUND_SURNAMES or (label[0] in SURNAMES and label[1] in SURNAMES)
    return PERSONAL_NAME.fullmatch(label) is not None and label[0] in SURNAMES


def is_pronoun(core: str, pronouns: tuple[str, ...]) -> bool:
    """A pronoun, alone or with an adverb of manner (对方断然, 他连连), not 其他 or 他人."""
    if core in pronouns:
        return True
    if len(core) <= PRONOUN_PHRASE_CHARS and core.startswith(tuple(p for p in pronouns if len(p) > 1)):
        return True
    return len(core) <= ROLE_MAX_CHARS and core[:1] in pronouns and core[:2] not in _NOT_PRONOUNS
