"""Questions about the story as a whole: "这件事是哪天发生的", "这事发生在哪个县", "最后查出来到底咋回事".

A reader who names nothing but "the event" (这件事, 出事, 发生) asks about what the report is about.  No
paragraph need hold 发生, so retrieval and the decision would decline the question, yet a news report
answers it in its first paragraph: the lead states who, what, when and where (the inverted pyramid).  Such a
question is answered from the lead paragraph of the report in question.  Facts of Chinese questions and of
news writing, not of any one report.
"""

from __future__ import annotations

import re

from .analyze import Question

# Words naming "the event" and nothing else.
_EVENT_WORD = re.compile(r"发生|出事|事发|案发|事件|案件|案子|事故|意外|这事|此事|这件|件事")
# The question points at the story: "这件事", "此事", "出事", "发生".
_POINTS_AT_EVENT = re.compile(r"(?:这|此|那)(?:件|起|个)?(?:事|事情|事件|案子|案件|意外|事故)|出事|事发|案发|发生")


def asks_of_story(question: Question) -> bool:
    """Whether the question asks about the report's story as a whole: it points at the event, and every content
    word of it names the event or is a single character (哪个县: 县, the kind of answer wanted)."""
    if _POINTS_AT_EVENT.search(question.normalized) is None:
        return False
    return all(_EVENT_WORD.fullmatch(w.text) or len(w.text) == 1 for w in question.content)
