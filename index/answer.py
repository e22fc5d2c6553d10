"""The pipeline and the conversation: analyse → retrieve → decide → compose, and follow-ups.

``Answerer.answer(question)`` runs the four stages (index.analyze,
index.retrieve, index.decide, index.compose) and returns an ``Answer``: the
paragraphs that answer (第N段, the quoted sentences, each with its source and
tier), or what the reports do not say.  ``Answerer.respond(state, text)`` is
the whole conversation as a pure function of (session state, message) ->
(answer, new state); the Telegram layer and the terminal chat only store the
state, a small JSON-able dict: the last question and how many results were
shown (for 更多).

A follow-up (那售价呢？, 他怎么说的) is searched together with the previous
question's content; a short question that the reports do not answer on its own
(在哪开的) is tried that way too.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import takewhile
from typing import Any

from .about_report import asked_of_report
from .about_story import asks_of_story
from .analyze import ContentWord, Question, with_context
from .compose import AnswerItem, item
from .coverage import word_presence
from .decide import MISSING_BELOW, decide, gives_kind
from .engine import ReportIndex
from .lines import ShortAnswer, short_answers
from .normalize import normalize
from .reply import MAX_QUESTION_CHARS, Answer
from .retrieve import Candidate
from .sources import Claim

PAGE = 3                  # paragraphs per answer at most
# A further paragraph is shown beside the best only when its score is at least this share of the best's (on the
# development sets this kept 80% of the further gold paragraphs and dropped 65% of the others); 更多 shows the rest.
SUPPORT_SHARE = 0.6
CANDIDATES = 12           # paragraphs retrieved per question (pages of 更多)
_GREETING = re.compile(r"^(你好|您好|hi|hello|hey|在吗|在不在|哈喽|嗨|早|早上好|晚上好|谢谢|多谢|感谢|thanks|"
                       r"thankyou|help|帮助|怎么用|你是谁|你能做什么|/?start|/?help)[!！。.~～?？\s]*$")
_MORE = re.compile(r"^(更多|更多结果|还有吗|还有呢|还有没有|还有别的吗|继续|下一个|下一条|下一页|再来|more|next)"
                   r"[!！。.~～?？\s]*$")
# A message that continues the previous question: it says so (那…, …呢) or points back (他, 它).
_FOLLOW_UP = re.compile(r"^(那|那么|还有|另外|那个|然后)|呢[?？!！。\s]*$|他|她|它")
FOLLOW_UP_MAX_CHARS = 14


def _without_verdicts(lines: list[ShortAnswer]) -> list[ShortAnswer]:
    """Answer lines with no 是/否, for an answer given with the caveat: the report did not decide it."""
    return [replace(line, verdict="") for line in lines]


class Answerer:
    """Answers questions over one index; cheap to build (the index holds the precomputed parts)."""

    def __init__(self, index: ReportIndex) -> None:
        self.index = index
        self._tier_labels = index.rules.sources.tier_labels
        self._examples = index.examples

    def _new_answer(self, question: str, kind: str = "answer") -> Answer:
        return Answer(question, kind, tier_labels=dict(self._tier_labels), examples=self._examples,
                      multi_document=len(self.index.documents) > 1)

    def answer(self, question: str, offset: int = 0, context: str | None = None) -> Answer:
        """The answer to ``question`` (``offset`` paragraphs skipped, for 更多); ``context`` is the
        previous question of the conversation when this one continues it."""
        answer = self._new_answer(question)
        if len(question) > MAX_QUESTION_CHARS:
            answer.kind = "too_long"
            return answer
        analysed = self.index.analyze(question)
        about_report = asked_of_report(analysed.normalized) is not None   # 记者是谁: stop words only, yet a question
        if _GREETING.match(analysed.normalized) or (analysed.is_empty and context is None and not about_report):
            answer.kind = "help"       # nothing to look up: empty, emoji, punctuation, a greeting
            return answer
        answer.corrections = dict(analysed.corrections)
        if context is not None:
            analysed = with_context(analysed, self.index.analyze(context), self.index.tokenizer)
        return self._answer(answer, analysed, offset)

    def _answer(self, answer: Answer, question: Question, offset: int) -> Answer:
        candidates = self.index.candidates(question, CANDIDATES)
        asked = asked_of_report(question.normalized)
        if asked is not None and offset == 0 and self._from_header(answer, question, asked, candidates):
            return answer
        if offset == 0 and asks_of_story(question) and self._from_lead(answer, question, candidates):
            return answer
        if not candidates:
            answer.kind, answer.missing = "not_found", [w.text for w in question.content][:3]
            return answer
        decision = decide(question, candidates, self.index)
        answer.probability = decision.probability
        if not decision.answers:
            answer.kind = "not_found"
            answer.missing = list(decision.missing) or [w.text for w in question.content][:3]
            return answer
        page = candidates[offset:offset + PAGE]
        if not page:
            answer.kind = "no_more"
            return answer
        answer.ranked = [(self.index.paragraphs[c.position].doc_id, self.index.paragraphs[c.position].number)
                         for c in page]
        if not decision.sure:        # unsure: the closest paragraph, with the caveat
            answer.caveat, answer.missing = True, list(decision.missing)
        first = item(question, page[0], self.index)
        answer.short_answer, answer.conflict = short_answers(question, self._page_claims(page, first), self.index)
        if answer.caveat:            # unsure the paragraph answers it: no 是/否 as if the report decided it
            answer.short_answer = _without_verdicts(answer.short_answer)
            # and only the paragraphs its lines cite (a source that disagrees: a denial answering a rumour)
            count = self._cited(answer) if answer.conflict else 1
        else:
            count = self._supporting(page, answer, question) if offset == 0 else len(page)
        answer.items = [first, *(item(question, candidate, self.index) for candidate in page[1:count])]
        return answer

    def _from_header(self, answer: Answer, question: Question, asked: str, candidates: list[Candidate]) -> bool:
        """Answer a question about the report itself (index.about_report) from its header: the report of the best
        paragraph (or the only one), citing its first paragraph; False when the header does not say."""
        paragraphs = self.index.paragraphs
        doc_id = paragraphs[candidates[0].position].doc_id if candidates else paragraphs[0].doc_id if paragraphs \
            else ""
        document = self.index.document(doc_id)
        value = str(getattr(document, asked, "") or "") if document is not None else ""
        if document is None or not value:
            return False
        position = self._first_paragraph(doc_id)
        first = item(question, Candidate(position, 0.0, 0.0, 0.0), self.index)
        source = document.publisher or self.index.rules.sources.default_source
        answer.items, answer.ranked = [first], [(doc_id, first.paragraph)]
        answer.short_answer = [ShortAnswer(value, doc_id, first.paragraph, source, "reporter")]
        return True

    def _from_lead(self, answer: Answer, question: Question, candidates: list[Candidate]) -> bool:
        """Answer a question about the story as a whole (index.about_story) from the lead paragraph of the best
        candidate's report, else of the newest report; with the caveat when the lead lacks the kind of answer asked
        (a date for 哪天), or when several reports could be meant and no paragraph points at one."""
        paragraphs = self.index.paragraphs
        if not paragraphs:
            return False
        if candidates:
            doc_id = paragraphs[candidates[0].position].doc_id
        else:
            # the newest report that has paragraphs (one of headings only has no lead)
            doc_id = max(dict.fromkeys(p.doc_id for p in paragraphs), key=self._published)
        position = self._first_paragraph(doc_id)
        lead = Candidate(position, 0.0, 0.0, 0.0)
        first = item(question, lead, self.index)
        answer.ranked = [(doc_id, first.paragraph)]
        answer.items = [first]
        answer.caveat = gives_kind(question, paragraphs[position].text, self.index) == 0.0 or \
            (not candidates and len(self.index.documents) > 1)
        answer.short_answer, answer.conflict = short_answers(question, self._page_claims([lead], first), self.index)
        if answer.caveat:
            answer.short_answer = _without_verdicts(answer.short_answer)
        return True

    def _published(self, doc_id: str) -> str:
        document = self.index.document(doc_id)
        return (document.published if document is not None else "") or ""

    def _first_paragraph(self, doc_id: str) -> int:
        """The position in the index of a report's first paragraph (its lead)."""
        paragraphs = self.index.paragraphs
        return min((i for i, p in enumerate(paragraphs) if p.doc_id == doc_id), key=lambda i: paragraphs[i].number)

    def _supporting(self, page: list[Candidate], answer: Answer, question: Question) -> int:
        """How many of the first page to show: the best and those scoring at least SUPPORT_SHARE of it that hold
        the rarest word of the library the message itself asks about and the best paragraph holds (上市 in
        小米汽车什么时候上市, not 小米汽车, which every paragraph holds; 售价 in the follow-up 那售价呢, not the 上市
        it carries over) -- a prefix, candidates coming best first, so 更多 goes on from the first left out -- and
        every paragraph an answer line cites (a source that disagrees, an earlier or later report: they qualify
        the answer)."""
        focus = self._focus(page[0], question)

        def supports(candidate: Candidate) -> bool:
            holds = focus is None or word_presence(focus, self.index.terms[candidate.position]) >= MISSING_BELOW
            return candidate.score >= SUPPORT_SHARE * page[0].score and holds

        return max(1 + sum(1 for _ in takewhile(supports, page[1:])), self._cited(answer))

    @staticmethod
    def _cited(answer: Answer) -> int:
        """How many of the page to show: the shortest prefix holding the best paragraph and every one a line cites."""
        places = list(answer.ranked)
        return max((places.index((line.doc, line.paragraph)) + 1 for line in answer.short_answer
                    if (line.doc, line.paragraph) in places), default=1)

    def _focus(self, best: Candidate, question: Question) -> ContentWord | None:
        """The word of the message (not carried over from the question before) that the best paragraph holds and
        the fewest paragraphs of the library do."""
        terms = self.index.terms[best.position]
        held = [w for w in question.content if w.text in question.normalized and word_presence(w, terms) >= 1.0]
        doc_freq = self.index.retriever.words.doc_freq
        if not held:
            return None
        return min(held, key=lambda w: doc_freq.get(w.term, 0) or len(self.index.paragraphs))

    def _page_claims(self, page: list[Candidate], first: AnswerItem) -> list[tuple[list[Claim], int, str, int]]:
        """Per paragraph of the page: its claims, the one the answer cites first (-1 but for the best paragraph),
        its document and 第N段."""
        rows = []
        for number, candidate in enumerate(page):
            paragraph = self.index.paragraphs[candidate.position]
            claims = list(paragraph.claims) or (first.claims if number == 0 else [])
            best = next((n for n, c in enumerate(claims) if c == first.primary), 0) if number == 0 else -1
            rows.append((claims, best, paragraph.doc_id, paragraph.number))
        return rows

    def _in_conversation(self, text: str, normalized: str, previous: str | None) -> tuple[Answer, str | None]:
        """The answer to a message and the previous question it continues (None if it stands alone): a short
        message continues it when it says so, or when only together with it do the reports answer it."""
        short = previous is not None and len(normalized) <= FOLLOW_UP_MAX_CHARS
        if short and _FOLLOW_UP.search(normalized):
            return self.answer(text, 0, previous), previous
        alone = self.answer(text)
        if short and not alone.answered:
            together = self.answer(text, context=previous)
            if together.answered and not together.caveat:
                return together, previous
        return alone, None

    def respond(self, state: dict[str, Any] | None, text: str) -> tuple[Answer, dict[str, Any]]:
        """One turn of a conversation: (session state, message) -> (answer, new state)."""
        state = dict(state or {})
        text = text if isinstance(text, str) else ""
        if len(text) > MAX_QUESTION_CHARS:
            return self._new_answer(text[:MAX_QUESTION_CHARS], "too_long"), state
        normalized = normalize(text)
        previous = state.get("q") if isinstance(state.get("q"), str) else None
        if _MORE.match(normalized):
            if not previous:
                return self._new_answer(text, "help"), state
            offset = int(state.get("next", int(state.get("offset", 0)) + PAGE))
            answer = self.answer(previous, offset, state.get("ctx") or None)
            answer.question = text
            if answer.answered:
                state["offset"], state["next"] = offset, offset + len(answer.items)
            return answer, state
        answer, context = self._in_conversation(text, normalized, previous)
        if answer.answered:
            state = {"q": text, "ctx": context or "", "offset": 0, "next": len(answer.items)}
        return answer, state
