"""The answer phrase of a chosen clause: trimmed of the question's own words, started at its value, continued.

index.extract chooses the clause of a sentence that answers; this module makes
the phrase the reader sees from it:

* the question's words and linking words at its edges are trimmed (武藏浦和站位于
  埼玉县… answers 武藏浦和站位于哪里 with 埼玉县…), but not the words a verb before
  them takes (均未得到正式通知, not 均未得到), nor the head the question asks for;
* a phrase giving a value of the kind asked starts at that value, with its
  qualifier (低于30万元) and the first figure of a range (1至3号);
* asked for several things (哪些), the next clause joins it when it goes on listing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .analyze import Question
from .asking import LINKS, VALUE_KINDS, asked_head, question_words, wanted_kinds
from .clauses import EDGE, Span, aligned, clauses, figure_start, strip_edges, with_partners
from .coverage import text_share
from .engine import ReportIndex
from .normalize import normalize
from .tokenize import general_tag
from .verdict import asks_yes_or_no

MIN_ANSWER_CHARS = 2


@lru_cache(maxsize=1 << 14)
def cut_words(jieba_tokenizer: object, text: str) -> tuple[str, ...]:
    """The words of a clause (cached: the same sentences are cut for question after question)."""
    return tuple(jieba_tokenizer.lcut(text, HMM=False))  # type: ignore[attr-defined]


@lru_cache(maxsize=1 << 16)
def folded(word: str) -> str:
    return normalize(word)


def trim(span: Span, question: Question, index: ReportIndex) -> Span:
    """The clause without the question's own words (and linking words) at its edges; the asked head stays.
    Asked yes or no, the question's words stay: the clause that decides it is the answer (养殖户均未得到正式通知,
    not 均未得到)."""
    words = cut_words(index.tokenizer._jieba, aligned(span.text))
    asked = set() if asks_yes_or_no(question) else question_words(question)
    head = asked_head(question)

    def dropped(word: str, right_edge: bool) -> bool:
        if not word.strip(EDGE) or word in LINKS:
            return True
        plain = folded(word)
        return (plain in asked or word in asked) and not (right_edge and (plain in head or word in head))

    left, right = 0, len(words)
    while left < right and dropped(words[left], False):
        left += 1
    end_of_content = right
    while right > left and dropped(words[right - 1], True):
        right -= 1
    # The question's words ending the clause are what a verb or preposition before them takes (均未得到|正式通知,
    # 予以|证实): dropping them would leave the verb without its object.
    if right < end_of_content and right > left and general_tag(words[right - 1])[:1] in ("v", "p", "d"):
        right = end_of_content
        while right > left and (not words[right - 1].strip(EDGE)):
            right -= 1
    start, end = with_partners(span.text, sum(len(w) for w in words[:left]), sum(len(w) for w in words[:right]))
    text = strip_edges(span.text[start:end])
    if word_characters(text) < MIN_ANSWER_CHARS:
        return span
    offset = span.text.find(text)
    return Span(text, span.start + max(offset, 0), span.start + max(offset, 0) + len(text))


# Words that qualify a value and stay with it (低于30万元, 约72万平方米, 超过八成).
_QUALIFIER = re.compile(r"((?:大约|约)(?:为|有|合)?|(?:不得|不能|不应|不)?(?:低于|高于|超过)|不到|不足|近|逾|"
                        r"达到?|至少|最多|仅|预计|将近|接近)$")
# The first figure of a range (1至3号, 5万~6万辆) belongs to the value.
_RANGE_START = re.compile(r"\d+(?:\.\d+)?\s*[万亿千百]?\s*(?:至|到|~|～|-|—|－)\s*$")
VALUE_LEAD = 6          # a value this far into the phrase starts the line instead


def from_value(phrase: Span, question: Question, index: ReportIndex) -> Span:
    """A phrase giving a value of the kind asked, starting at that value (with its qualifier) when words
    before it only lead up to it: "…宣布将以9.5亿美元收购…" answers 多少钱 with "9.5亿美元收购…"."""
    numbers = aligned(phrase.text)          # written digits only: 第一年 is no value to start from
    starts = [m.start() for kind in wanted_kinds(question) if kind in VALUE_KINDS
              for p in index.rules.intents[kind].answer if (m := p.search(numbers))
              and not numbers[:m.start()].endswith(("第", "."))]
    if not starts or min(starts) <= VALUE_LEAD:
        return phrase
    start = figure_start(numbers, min(starts))        # the whole figure (27千兆瓦, not 7千兆瓦)
    before = _RANGE_START.search(numbers[:start])
    start = before.start() if before else start
    qualifier = _QUALIFIER.search(numbers[:start])
    start = qualifier.start() if qualifier else start
    return Span(phrase.text[start:], phrase.start + start, phrase.end)


# Asked for several things, or what something has (有什么作用): the answer may run on over the next clause.
ASKS_LIST = re.compile(r"哪些|哪几|有什么|分别|包括")
# Clauses added after the chosen one (chosen on the development sets: 1 raised CMRC's F1 and inside share and
# cost DRCD and the news reports 0.003 of F1; 2 or 3 gained no more).
LIST_CLAUSES = 1


def with_list(chosen: Span, text: str, question: Question) -> Span:
    """Asked for several things (哪些, 分别), the clauses after the chosen one that go on listing them (none of the
    question's words in them), up to LIST_CLAUSES more."""
    pieces = [c for c in clauses(text) if c.start >= chosen.end]
    end = chosen.end
    for piece in pieces[:LIST_CLAUSES]:
        if text_share(question, aligned(piece.text)) > 0:
            break
        end = piece.end
    return Span(text[chosen.start:end], chosen.start, end)


# Asked why: a clause opening a cause (因为…, 由于…, 随着…), one going on with it (加上…), and one opening what it
# explains (所以…, 使得…): the cause is the clauses between.
_OPENS_CAUSE = re.compile(r"^(?:而是|主要是|正是|是)?(?:因为|因|由于|鉴于|随着)")
_GOES_ON_CAUSE = re.compile(r"^(?:再)?(?:加上|加之)")
_OPENS_RESULT = re.compile(r"^(?:所以|因此|因而|于是|从而|以致|才|便|就|导致|致使|造成|使得|进而|故)")
CAUSE_CLAUSES = 1
RESTATES = 0.5       # of the question in a clause: what is to be explained, not its cause


def with_cause(chosen: Span, text: str, question: Question) -> Span:
    """Asked why, the whole cause: a cause that runs on past its clause (因为按理在制备过程中间，有杀毒的过程) keeps
    up to CAUSE_CLAUSES more, short of what it explains (…，所以…, or a clause holding RESTATES of the question:
    因汛期将至，管理处暂停了游船营业); one that goes on an earlier one (随着新机涌入，加上三星崛起，使得…) keeps that
    one."""
    pieces = clauses(text)
    start, end = chosen.start, chosen.end
    if _OPENS_CAUSE.search(aligned(chosen.text)):
        for piece in [c for c in pieces if c.start >= chosen.end][:CAUSE_CLAUSES]:
            if _OPENS_RESULT.search(aligned(piece.text)) or "。" in text[end:piece.start] or \
                    text_share(question, aligned(piece.text)) >= RESTATES:
                break
            end = piece.end
    elif _GOES_ON_CAUSE.search(aligned(chosen.text)):
        before = [c for c in pieces if c.end <= chosen.start]
        if before and "。" not in text[before[-1].end:chosen.start]:
            start = before[-1].start
    return chosen if (start, end) == (chosen.start, chosen.end) else Span(text[start:end], start, end)


def word_characters(text: str) -> int:
    """Characters that are letters, digits or ideographs: "，；" (a wiki's empty gloss) has none."""
    return sum(c.isalnum() for c in text)
