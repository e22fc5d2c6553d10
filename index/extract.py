"""Stage 5, the answer line: the phrase of a quoted sentence that gives what was asked.

A reader wants the answer before the evidence.  From the sentence the answer
cites (and the others it quotes), the answer line is the report's own words:

1. the sentence is cut into clauses (at ，；：。 and their kin);
2. each clause is scored by how much of the question it holds (content words
   weighted by rarity, as everywhere in the engine) and whether it gives a kind
   of answer asked for (seeds/rules/intents.toml: a date for 什么时候, a figure
   for 多少 …);
3. the clause that gives the asked kind nearest the question's words wins; with
   no kind asked, the clause holding most of the question, or the one right
   after it when that clause is only the question restated;
4. the words of the question at the clause's edges are trimmed ("武藏浦和站位于
   埼玉县…" answers "武藏浦和站位于哪里" with "埼玉县…"; index.phrase).

Nothing is invented: the line is a substring of the report.  index.lines
turns it into an answer's lines: one, one per source when they disagree, or a
timeline across reports of different dates.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from .analyze import Question
from .asking import (
    ASKS_CONDITION,
    ASKS_CONSEQUENCE,
    ASKS_WHAT_SAID,
    LINKS,
    SPEECH,
    VALUE_KINDS,
    after_slot,
    asks_subject,
    asks_who_said,
    before_slot,
    in_frame,
    neighbours,
    question_words,
    wanted_kinds,
)
from .clauses import EDGE, Span, aligned, clauses, valued
from .coverage import text_share
from .engine import ReportIndex
from .phrase import (
    ASKS_LIST,
    MIN_ANSWER_CHARS,
    cut_words,
    folded,
    from_value,
    trim,
    with_cause,
    with_list,
    word_characters,
)
from .reasons import reason_clause, why_neighbour
from .said import said_clause
from .sources import Claim
from .units import asked_unit, in_unit

MAX_ANSWER_CHARS = 60


# Chosen on the development parts of CMRC 2018 and DRCD (tests/data/public/*/dev), beside the bundled report's
# gold short answers (tests/data/short_answers.jsonl).
NEIGHBOUR_SHARE = 2.0    # the words beside the question word count as much as twice the rest of the question
KIND_SHARE = 0.8         # a clause that looks like the kind of answer asked (a place, a person, a reason)
PRIMARY_SHARE = 0.3      # a clause of the sentence the answer cites first
SUBJECT_SHARE = 0.7      # a word of the sentence's first clause, in a later clause of it
SPEAKER_CLAUSE_HOLDS = 0.5   # a clause ending in a speech verb holding this much of the question is no attribution
# A clause saying what the question says after its question word, after a phrase of its own (index.asking.after_slot).
# Chosen on the development parts of CMRC 2018 and DRCD among 0.5, 1 and 2: at 0.5 the gold span lay inside the line
# for 0.674 of the CMRC questions instead of 0.661, DRCD and the news reports unchanged; the words before the
# question word (the subject, mostly) lowered DRCD to 0.608.
FRAME_SHARE = 0.5


@dataclass(frozen=True)
class ClauseScore:
    claim: int            # which claim of the paragraph
    span: Span
    score: float          # how much of the question it holds, and of the words beside the question word
    value: bool           # it gives a value of the kind asked (a date, a figure, a sum)
    kind: bool            # it looks like an answer of another kind asked (a place, a person, a reason)
    unit: bool = False    # its value is in the unit the question names (多少伏: 800V)
    precise: bool = False  # its value has a figure (1958年), not only a word (此前, 近日)
    form: bool = False     # its value has the form asked: a time of day for 几点 (下午2时许), a span for 多久 (20多天)


def _score(question: Question, near: list[str], weights: dict[str, float], claim: int, span: Span,
           index: ReportIndex, opening: str = "", unit: str = "", after: str = "") -> ClauseScore:
    """``opening``: the first clause of the sentence, whose subject the later clauses share (海淀黄庄站位于…，
    是…的换乘站): its words count SUBJECT_SHARE in a later clause that lacks them.  ``unit``: the one the
    question asks a figure in (index.units)."""
    plain = aligned(span.text)
    total = sum(weights.values()) or 1.0
    held = sum(weight if word in plain else SUBJECT_SHARE * weight if word in opening else 0.0
               for word, weight in weights.items()) / total
    beside = sum(w in plain for w in near) / len(near) if near else 0.0
    intents = index.rules.intents
    numbers = valued(span.text)
    gives = {kind for kind in wanted_kinds(question) if any(p.search(numbers) for p in intents[kind].answer)}
    value = bool(gives & set(VALUE_KINDS))
    precise = value and any(_FIGURE.search(m.group()) for kind in gives & set(VALUE_KINDS)
                            for p in intents[kind].answer for m in p.finditer(numbers))
    return ClauseScore(claim, span, held + NEIGHBOUR_SHARE * beside + (KIND_SHARE if gives - set(VALUE_KINDS) else 0)
                       + FRAME_SHARE * in_frame(plain, after),
                       value, bool(gives), value and bool(unit) and in_unit(numbers, unit), precise,
                       "time" in gives and any(form.search(numbers) for form in _time_forms_asked(question)))


_FIGURE = re.compile(r"\d")
# Forms of a time a question may ask, each beating a date alone: a time of day in figures for 几点 (下午2时许,
# 10点半, 7:50; not 几时, which Cantonese asks for a date), a length of time for 多久 (20多天, 半小时, 4年4个月).
TIME_FORMS = ((re.compile(r"几点|什么时刻|几时几分"), re.compile(r"(?<=\d)\s*[时点](?!间|候|代|期)|\d:\d\d")),
              (re.compile(r"多久|多长时间|多少(?:天|年|个月|小时|分钟)"),
               re.compile(r"(?:\d+|半|几|数)\s*(?:多|余)?\s*(?:个)?(?:分钟|小时|天|周|星期|个月|年(?![\d前初底中末度代级]))")))


def _time_forms_asked(question: Question) -> tuple[re.Pattern[str], ...]:
    return tuple(form for asks, form in TIME_FORMS if asks.search(question.normalized))


def local_weights(question: Question, texts: list[str]) -> dict[str, float]:
    """Each content word's weight for telling the paragraph's clauses apart: its general rarity times how rare
    it is among these clauses (the paragraph's topic, in every clause, tells none apart); with BIGRAMS, each
    content bigram's weight the same way (a paraphrase shares characters: 隶属 and 所属)."""
    weights: dict[str, float] = {}
    items = [(w.text, w.weight) for w in question.content]
    items += [(g, w.weight / max(1, len(w.grams))) for w in question.content for g in w.grams if len(g) == 2]
    for text, weight in items:
        df = sum(text in t for t in texts)
        weights[text] = weights.get(text, 0.0) + weight * math.log((len(texts) + 1) / (df + 0.5))
    return weights


def _value_clause(scores: list[ClauseScore], best: int, question: Question) -> ClauseScore | None:
    """Asked a value: the clause of the anchor's sentence nearest to it that gives one of the kind asked, else the
    best-scoring such clause anywhere; None when no clause gives one."""
    anchor = scores[best]
    same = [i for i, s in enumerate(scores) if s.value and s.claim == anchor.claim]
    # A figure (1958年) over a word (此前) of the kind asked, in the same sentence.
    same = [i for i in same if scores[i].precise] or same
    # Asked 几点, a time of day over a date alone (下午2时许, not 27日晚); asked 多久, a length of time.
    form_asked = bool(_time_forms_asked(question))
    if form_asked:
        same = [i for i in same if scores[i].form] or same
    if same:
        # Equally near on both sides: the side where the question has its question word (哪一年…扩建: before).
        before_first = asks_subject(question)
        return scores[min(same, key=lambda i: (abs(i - best), (i > best) if before_first else (i < best)))]
    anywhere = [i for i, s in enumerate(scores) if s.value]
    if form_asked:
        anywhere = [i for i in anywhere if scores[i].form] or anywhere
    if anywhere:
        return scores[max(anywhere, key=lambda i: (scores[i].score, -i))]
    return None


def _choose(scores: list[ClauseScore], question: Question, index: ReportIndex) -> ClauseScore | None:
    """The clause holding most of the question (the anchor); when a value is asked, the clause of the anchor's
    sentence nearest to it that gives one (a date often opens the sentence whose other clauses hold the
    question's words), else the best-scoring value clause anywhere; a restating anchor gives way to the next."""
    if not scores:
        return None
    best = max(range(len(scores)), key=lambda i: (scores[i].score, -i))
    anchor = scores[best]
    if any(k in VALUE_KINDS for k in wanted_kinds(question)):
        # Only a value in the unit asked (多少伏: 800V, not a date); none in it: what the paragraph says instead.
        if asked_unit(question, index):
            scores = [replace(s, value=s.unit) for s in scores]
        valued_clause = _value_clause(scores, best, question)
        if valued_clause is not None:
            return valued_clause
    if "reason" in wanted_kinds(question):
        reason = reason_clause(scores, best, question)
        if reason is not None:
            return reason
        # 荣芳…告诉记者，…顺道来小米汽车工厂进行拜访: who speaks is never why; what they said may be.
        nxt = scores[best + 1] if best + 1 < len(scores) else None
        if nxt is not None and nxt.claim == anchor.claim and \
                index.rules.sources.attribution_clause.search(aligned(anchor.span.text)):
            return nxt
        beside = why_neighbour(scores, best, question)
        if beside is not None:
            return beside
    if ASKS_WHAT_SAID.search(question.normalized):
        said = said_clause(scores, best)
        if said is not None:
            return said
    after = scores[best + 1] if best + 1 < len(scores) else None
    # 如果清运工还不改正，我们会将其辞退: asked what happens if, the answer follows the condition.
    if after is not None and after.claim == anchor.claim and _CONDITION.search(aligned(anchor.span.text)) \
            and ASKS_CONSEQUENCE.search(question.normalized):
        return after
    # 获取新能源汽车生产资质的重要前提之一，就是…: asked X是什么, a clause ending in X introduces the next one
    topic = before_slot(question)
    if len(topic) >= MIN_TOPIC and aligned(anchor.span.text).rstrip(EDGE).removesuffix("之一").endswith(topic) \
            and after is not None and after.claim == anchor.claim:
        return after
    if _is_restatement(anchor.span.text, question, index):
        before = scores[best - 1] if best > 0 else None
        if asks_subject(question) and before is not None and before.claim == anchor.claim:
            return before      # 彰化市民代表会是…，代表彰化市全体市民立法…: asked which body, its subject
        if after is not None and after.claim == anchor.claim:
            return after
    # 一旦外卖市场形成垄断，…，既有优惠可能消失: a condition is no answer unless one is asked for; what follows it is.
    if _OPENS_CONDITION.search(aligned(anchor.span.text)) and not ASKS_CONDITION.search(question.normalized):
        later = [s for s in scores[best + 1:] if s.claim == anchor.claim and s.score > 0]
        if later:
            return max(later, key=lambda s: s.score)
    return anchor


MIN_TOPIC = 2            # characters of what the question asks about that the introducing clause ends in
# A clause stating a condition (如果…, or a threshold: 未达标准, 超过期限), whose consequence follows it.
_CONDITION = re.compile(r"^(?:如果|要是|假如|假设|倘若|若是?|一旦|只要)|未达|不到|超过")
# A clause opening with a condition proper: never an answer unless a condition is asked for.
_OPENS_CONDITION = re.compile(r"^(?:如果|要是|假如|假设|倘若|若是?|一旦|只要|万一)")


def _is_restatement(text: str, question: Question, index: ReportIndex) -> bool:
    """The clause says nothing the question does not: every word of it is the question's or a linking word
    (地球公民基金会的前身是地球公民协会 adds 协会, so it answers 地球公民基金会的前身是什么)."""
    asked = question_words(question)
    words = [w for w in cut_words(index.tokenizer._jieba, aligned(text)) if word_characters(w)]
    return bool(words) and all(w in asked or folded(w) in asked or w in LINKS for w in words)


def _names_speaker(span: Span, question: Question, attribution: re.Pattern[str]) -> bool:
    """A clause that only says who speaks (一位知情人士在接受记者采访时表示): it ends in a speech verb and holds
    little of the question ("…发现…体罚学生报道" ends in 报道, but it is what the question asks about)."""
    plain = aligned(span.text)
    if not attribution.search(plain):
        return False
    if {"person", "organisation"} & set(question.kinds):
        return True          # who: the speaker named is a candidate of its own (王明, not 王明表示)
    return text_share(question, plain) < SPEAKER_CLAUSE_HOLDS


_LINKING_CLAUSES = frozenset(["对此", "因此", "其中", "至于", "而且", "并且", "然而", "例如", "比如"])


def _connectives(index: ReportIndex) -> frozenset[str]:
    """Clauses that only link sentences (对此, 不过, 此外): never an answer."""
    rules = index.rules.sources
    return frozenset(aligned(w) for w in (*rules.no_carry_over, *rules.labels.strip_before)) | _LINKING_CLAUSES


def answer_phrase(question: Question, claims: list[Claim], index: ReportIndex,
                  primary: int = 0) -> tuple[int, Span] | None:
    """The answer line: which claim of the paragraph, and the phrase of it; None when there is none."""
    near = neighbours(question)
    # 谁说…: the claim's source, when someone other than the outlet itself is credited with it.
    if asks_who_said(question) and 0 <= primary < len(claims) and claims[primary].tier != "reporter":
        source = claims[primary].source
        return primary, Span(source, -1, -1)
    attribution = index.rules.sources.attribution_clause
    connectives = _connectives(index)
    # Asked when or where someone said something (哪天表态的), the clause saying who speaks holds the answer.
    # So is it asked who said it (出自哪家媒体) or what (the clause after the speaker's, index.said); asked anything
    # else about what someone said (王鸿薇说哪两方面有争议), the answer is in what they said, not in who speaks.
    about_saying = bool(ASKS_WHAT_SAID.search(question.normalized)) or (
        bool(SPEECH.search(question.normalized))
        and bool({"time", "place", "person", "organisation"} & set(wanted_kinds(question))))
    spans = [(number, span) for number, claim in enumerate(claims) for span in clauses(claim.text)
             if (about_saying or not _names_speaker(span, question, attribution))
             and aligned(span.text).strip(EDGE) not in connectives and word_characters(span.text) >= MIN_ANSWER_CHARS]
    if {"person", "organisation"} & set(wanted_kinds(question)):
        # Who or which body: the speakers named in the sentence are candidates (天风国际证券分析师郭明錤); a
        # source carried over from an earlier sentence or a document is not.
        spans += [(number, Span(claim.source, -1, -1)) for number, claim in enumerate(claims)
                  if claim.tier != "reporter" and claim.source and aligned(claim.source) in aligned(claim.text)]
    weights = local_weights(question, [aligned(span.text) for _, span in spans])
    # The clause whose subject the later ones share: the sentence's first that is not who is speaking.
    openings = {number: aligned(first.text) for number, claim in enumerate(claims)
                for first in [c for c in clauses(claim.text) if not attribution.search(aligned(c.text))][:1]}
    unit = asked_unit(question, index)
    after = after_slot(question)
    scores = [_score(question, near, weights, number, span, index,
                     opening if (opening := openings.get(number, "")) != aligned(span.text) else "", unit, after)
              for number, span in spans]
    scores = [replace(s, score=s.score + PRIMARY_SHARE) if s.claim == primary else s for s in scores]
    chosen = _choose(scores, question, index)
    if chosen is None:
        return None
    if ASKS_LIST.search(question.normalized) and chosen.span.start >= 0:
        chosen = replace(chosen, span=with_list(chosen.span, claims[chosen.claim].text, question))
    elif "reason" in wanted_kinds(question) and chosen.span.start >= 0:
        chosen = replace(chosen, span=with_cause(chosen.span, claims[chosen.claim].text, question))
    phrase = trim(chosen.span, question, index)
    if chosen.value:
        phrase = from_value(phrase, question, index)
    if len(phrase.text) > MAX_ANSWER_CHARS:
        phrase = Span(phrase.text[:MAX_ANSWER_CHARS] + "…", phrase.start, phrase.start + MAX_ANSWER_CHARS)
    return chosen.claim, phrase
