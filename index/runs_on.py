"""What runs on past one sentence: a quotation left open, a document reproduced, speech after a colon.

Small pure functions of a paragraph and the rules (seeds/rules/sources.toml [documents]), used by
index.sources to carry a source from sentence to sentence and from paragraph to paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .claims import Claim
from .source_rules import OPEN_QUOTES, SourceRules, Text
from .speaker_labels import QUOTED, quotes_left_open

# The reporter never says 我/我们 outside a quote: a sentence that does is someone's speech reported.
_NOT_A_PERSON = "国|省|市|区|县|军|方|校|院"     # 我国, 我市 …: a place or body, nobody speaking
_FIRST_PERSON = re.compile(rf"我们|我(?!{_NOT_A_PERSON})|咱")
_SINGULAR = re.compile(rf"我(?!们|{_NOT_A_PERSON})")
_OUTLET_AT_WORK = re.compile(r"我们(?:的)?(?:记者|采访|走访|联系|了解|获悉|注意到|查询|梳理|发现|看到|调查|核实)")


def speaks_unquoted(rules: SourceRules, first: Claim) -> bool:
    """A paragraph's first speech was given after a speech verb and a colon, without quotation marks."""
    plain = Text.of(first.text).plain
    match = next((m for m in rules._verb.finditer(plain) if plain[m.end():m.end() + 1] in "：:"), None)
    return match is not None and plain[match.end() + 1:match.end() + 2] not in OPEN_QUOTES

@dataclass(frozen=True)
class RunningQuotation:
    """A speaker whose words run on into the next paragraph."""
    speaker: Claim
    left_open: bool       # a quotation left open, not one introduced by a colon: the next paragraph opens with “


def quotation_runs_on(plain: str, claims: list[Claim], quoting: RunningQuotation | None) -> RunningQuotation | None:
    """Who speaks in the next paragraph when this one leaves a quotation open (a quotation of several
    paragraphs opens each with “ and closes only at its end) or ends introducing one ("她说：")."""
    if not claims:
        return None
    last = claims[-1]
    speaker = quoting.speaker if quoting is not None else (last if last.tier != "reporter" else None)
    if speaker is None:
        return None
    if quotes_left_open(plain) > 0:
        return RunningQuotation(Claim("", speaker.source, speaker.tier), left_open=True)
    if quoting is None and plain.rstrip().endswith(("：", ":")):
        return RunningQuotation(Claim("", speaker.source, speaker.tier), left_open=False)
    return None


def goes_on_quoting(plain: str) -> bool:
    """A paragraph after one that left a quotation open goes on with it: it opens with “ again, as a quotation of
    several paragraphs does, or it closes more quotations than it opens."""
    return plain.startswith(tuple(OPEN_QUOTES)) or quotes_left_open(plain) < 0


def opened_document(rules: SourceRules, plain: str) -> Claim | None:
    """The source of a document this paragraph starts with ("情况说明原文：……"), if it names one."""
    for pattern in rules.documents.opens:
        match = pattern.match(plain)
        if match and match.groups() and any(kind in match.group(1) for kind in rules.documents.kinds):
            return Claim("", match.group(1), "official")
    return None

def document_issuer(rules: SourceRules, introduction: Claim, plain: str) -> Claim | None:
    """Who a document introduced by this paragraph is from: the introduction's own speaker, else the body
    issuing a document of a kind issued on record ("……该局发布了情况说明"), else nobody known."""
    if introduction.tier != "reporter":
        return introduction
    kind = next((k for k in rules.documents.kinds if k in plain), None)
    return Claim("", kind, "official") if kind else None


def goes_on_speaking(rules: SourceRules, plain: str) -> bool:
    """Whether a sentence opening with a connective (但, 如果) still reports the previous speaker: it speaks in
    the first person outside quotes ("但如果真涨价，我们……"), its subject is a pronoun ("但她同样……"), or it has
    no subject before its speech verb ("另外又指……")."""
    unquoted = QUOTED.sub("", plain)
    if _FIRST_PERSON.search(unquoted):
        return True
    rest = next((plain[len(w):] for w in rules.no_carry_over if plain.startswith(w)), plain).lstrip("，, ")
    return rest.startswith(tuple(rules.labels.pronouns)) or rules.speech_resumes.match(rest) is not None


def speaks_in_first_person(plain: str) -> bool:
    """我 or 我们 outside quotations: someone's words reported, not the outlet's own (unless it is the outlet's 我们
    at work, "在我们采访的机构里", or a question it asks its readers, "我们又该如何预防？")."""
    unquoted = QUOTED.sub("", plain)
    if _FIRST_PERSON.search(unquoted) is None or _OUTLET_AT_WORK.search(unquoted) is not None:
        return False
    asks_readers = unquoted.rstrip().endswith(("？", "?")) and _SINGULAR.search(unquoted) is None
    return not asks_readers
