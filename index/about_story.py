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

# Words naming "the event" and nothing else (not 意外, 事故, 案件: they say what kind of event, in words a report
# may use where it tells that part: "意外发生在什么时候" is asked of the paragraph naming the 意外).
_EVENT_WORD = re.compile(r"发生|出事|事发|案发|这事|此事|这件|件事")
# The question points at the story: "这件事", "此事", "出事", "发生".
_POINTS_AT_EVENT = re.compile(r"(?:这|此|那)(?:件|起|个)?(?:事|事情|事件|案子|案件|意外|事故)|出事|事发|案发|发生")


# Characters of other content a story question may hold: the kind of answer wanted (哪个县: 县) or who told it
# (跑友, cut into characters by a segmenter that does not know the word); a name or a topic is more.
OTHER_CHARS = 2


def asks_of_story(question: Question) -> bool:
    """Whether the question asks about the report's story as a whole: it points at the event, and its content
    words name the event but for at most OTHER_CHARS characters of single-character words."""
    if _POINTS_AT_EVENT.search(question.normalized) is None:
        return False
    others = [w.text for w in question.content if not _EVENT_WORD.fullmatch(w.text)]
    return all(len(w) == 1 for w in others) and len(others) <= OTHER_CHARS
