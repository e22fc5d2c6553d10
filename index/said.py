"""Asked what someone said or answered (怎么回应的, 说了什么): which clause of the cited sentence holds the words
said (index.extract chooses, this module reads speech).

Facts of Chinese speech verbs, nothing of any report.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .clauses import Span, aligned

if TYPE_CHECKING:
    from .extract import ClauseScore

# A clause ending in a speech verb (工作人员告诉他，…): what was said follows in the next clause.
_SAYS = re.compile(r"(?:告诉|回应|答复|回复|表示|称|说|回应是|答复是|回复是|回应为|否认|回答|解释|坦言|强调)"
                   r"[^，。]{0,6}$")
# A speaker and a speech verb opening a clause, what was said following in the same clause (工作人员表示此起车祸…).
_SAYS_BEFORE = re.compile(r"^[^，。“”]{2,16}?(?:表示|称|说|指出|回应|答复|回复)(?=[^，。]{4,})")


def said_clause(scores: list[ClauseScore], best: int) -> ClauseScore | None:
    """At or after the anchor, in its sentence: the clause after one ending in a speech verb (工作人员告诉他，
    其父的情况已经受理), or what follows a speaker and speech verb opening a clause (工作人员表示此起车祸正在调查中)."""
    anchor = scores[best]
    for i in range(best, len(scores)):
        if scores[i].claim != anchor.claim or scores[i].span.start < 0:
            break
        text = aligned(scores[i].span.text)
        if _SAYS.search(text):
            following = scores[i + 1] if i + 1 < len(scores) else None
            return following if following is not None and following.claim == anchor.claim else None
        inside = _SAYS_BEFORE.search(text)
        if inside is not None:
            span = scores[i].span
            return replace(scores[i], span=Span(span.text[inside.end():], span.start + inside.end(), span.end))
    return None
