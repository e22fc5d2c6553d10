"""Asked why: which clause of the cited sentence gives the reason (index.extract chooses, this module reads why).

* inside the clause holding most of the question, what comes before the word that opens the consequence the
  question asks about (以为是煤气泄漏便开窗通风: 以为是煤气泄漏);
* a clause stating a consequence (因此, 导致 …) points back to the clause before it, its cause;
* a clause that only restates what is to be explained gives way to the reason beside it: a purpose after it
  (为…做准备), else the clause before it.

Facts of Chinese connectives, nothing of any report.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .analyze import Question
from .clauses import Span, aligned
from .coverage import text_share

if TYPE_CHECKING:
    from .extract import ClauseScore


# A clause saying what follows from the one before it (…统一漠北诸部族，铁木真因此被称为成吉思汗).
_CONSEQUENCE = re.compile(r"因此|所以|因而|于是|故而|以致|从而|^故|^(?:进而|并|才|也)?(?:导致|致使|造成|使得)")


# Inside a clause, a word opening what follows from the words before it (以为是煤气泄漏便开窗通风).
_RESULT_INSIDE = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:便|所以|因此|于是|从而|因而|导致|致使|使得)")


def reason_clause(scores: list[ClauseScore], best: int, question: Question) -> ClauseScore | None:
    """For 为什么: within the anchor, what comes before the word opening the consequence the question asks about
    (…以为是煤气泄漏便开窗通风); the clause before an anchor that states a consequence; else, when the anchor gives
    no reason itself, the nearest clause of its sentence that does (由于大致平坦的地貌，它在一月和二月暴露于…)."""
    anchor = scores[best]
    text = anchor.span.text
    inside = _RESULT_INSIDE.search(aligned(text)) if anchor.span.start >= 0 else None
    if inside is not None and text_share(question, aligned(text[inside.end():])) > \
            text_share(question, aligned(text[:inside.start()])):
        return replace(anchor, span=Span(text[:inside.start()], anchor.span.start, anchor.span.start + inside.start()))
    if _CONSEQUENCE.search(aligned(anchor.span.text)):
        before = scores[best - 1] if best > 0 else None
        return before if before is not None and before.claim == anchor.claim else None
    if anchor.kind:
        return None
    same = [i for i, s in enumerate(scores) if s.kind and s.claim == anchor.claim]
    if not same:
        return None
    chosen = min(same, key=lambda i: (abs(i - best), i > best))
    # 咖啡豆减产，导致价格上涨: a clause stating the consequence points back to its cause, the clause before it
    if _CONSEQUENCE.search(aligned(scores[chosen].span.text)) and chosen > 0 \
            and scores[chosen - 1].claim == anchor.claim:
        return scores[chosen - 1]
    return scores[chosen]


# Asked why, a clause holding this share of the question only restates what is to be explained.
WHY_RESTATES = 0.5
# A clause giving a purpose (为明年2月车型上市做准备, 以便…).
_PURPOSE = re.compile(r"^(?:为了(?!什么|啥)|以便|以免|好让|旨在)|^为.{2,20}(?:做准备|创造条件|铺路|打基础)")


def why_neighbour(scores: list[ClauseScore], best: int, question: Question) -> ClauseScore | None:
    """Asked why, and the anchor restates what is to be explained: the reason beside it in its sentence, after it
    when the anchor opens the sentence or the next clause gives a purpose (…年底会开始批量生产，为明年2月车型上市
    做准备), else before it (…而小米汽车已具备这一条件，取得生产资质可能只是时间问题)."""
    anchor = scores[best]
    if anchor.span.start < 0 or anchor.kind or text_share(question, aligned(anchor.span.text)) < WHY_RESTATES:
        return None

    def same_sentence(i: int) -> ClauseScore | None:
        return scores[i] if 0 <= i < len(scores) and scores[i].claim == anchor.claim and scores[i].span.start >= 0 \
            else None
    before, after = same_sentence(best - 1), same_sentence(best + 1)
    if after is not None and (before is None or _PURPOSE.search(aligned(after.span.text))):
        return after
    return before
