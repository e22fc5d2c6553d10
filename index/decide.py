"""Stage 3, decide: do the reports answer this question, or do they not say?

One decision, a logistic model over general features of the question and its
best paragraph (no rule about any word or report):

    p(answer) = σ(bias + Σ weight_i · feature_i),   answer when p ≥ threshold

features
    coverage        share of the question's content the best paragraph holds,
                    each content word weighted by its general-language rarity
                    (index.analyze); a word held partly (some of its bigrams:
                    a name cut differently, a longer form) counts partly
    sentence        the same share for the best single sentence of that paragraph:
                    what a question asks is usually said in one sentence, while
                    a question the paragraph does not answer meets its words
                    scattered over several
    library         the same share for the whole library (1 − unknown-word mass)
    missing         the rarity of the rarest content word the best paragraph does
                    not hold (0 when it holds them all), over RARITY_SCALE
    missing_name    the same, among the nouns and names (jieba's n…, eng tags):
                    a reader rephrases verbs (能坐 for 投入运营) more than things
    absent          the same for words the whole library lacks
    pinned          the rarity of the rarest content word the best paragraph holds
    bigrams         share of the question's bigrams in the best paragraph, each weighted by its
                    rarity among the paragraphs of that paragraph's own report (a smoothed idf,
                    index.bm25.BM25Index.smooth_idf: BM25Okapi's own is negative for every term of a
                    report of one or two paragraphs; and other reports in the library change nothing)
    relative        the best paragraph's bigram BM25 score over the score a paragraph holding every
                    question bigram once would get, both with that rarity
    kind            1 when the question asks for kinds of answer (a time, a
                    figure, a sum of money, a person …) and the best sentence
                    (the one holding most of the question) gives each, 0 when
                    it lacks one, 0.5 when no kind is asked
    value_missing   1 when the question asks for a value (a time, a figure, a sum of
                    money) and that best sentence gives none of its kind: a reader
                    asking a figure the report does not give meets its topic words
                    in a sentence without one (out of fold, it raised the AUC on the
                    news reports from 0.63 to 0.70); asked which day (哪天, 几号),
                    also when the whole paragraph names no day (a year or a month
                    does not say it: index.dates.lacks_day; out of fold, news
                    near-topic declined 0.119 → 0.126, answerable 0.018 → 0.019)
    person_unnamed  1 when the question asks the name of someone it calls by a role
                    (那名协警叫什么名字, 局长是谁) and no mention of that role in the best
                    paragraph has a name beside it: a reader asking the name of
                    someone the report leaves unnamed meets the report's words for
                    that person (leaving one news report out at a time, the AUC on
                    the news reports rose from 0.659, with the earlier "the best
                    sentence names nobody", to 0.674)
    count_missing   1 when the question asks a figure in a unit or with a measure word
                    (几辆, 多少名, 几岁: index.units) and the best paragraph gives none
                    in it or in one used for the same; counts of things only
                    (index.units.asked_count).  Out of fold on the news reports at the
                    same threshold 0.08, near-topic questions declined rose from 0.121
                    to 0.163 and answerable ones declined 0.025 → 0.026 (first measured
                    with a reading of the count of its own, since merged into
                    index.units: 0.178 at 78 reports)
    margin          fused score of the best paragraph minus the second's
    content         ln(1 + the question's total content weight): how much it says

Below ``threshold`` the reply says the reports do not say; between it and
``caveat_below`` the answer carries a caveat (报道没有直接说…，最接近的是第N段).
The weights live in ``decision.json`` beside this module, written by
``python -m bot fit`` from the labelled development parts of several sources
and chosen by cross-validation across sources (never on a final part).  The
reply names what is missing: the heaviest content words the best paragraph
does not hold.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from .analyze import Question
from .asking import VALUE_KINDS, person_asked, wanted_kinds
from .clauses import aligned, valued
from .coverage import coverage, library_presence, share, word_presence
from .dates import lacks_day
from .engine import ParagraphTerms, ReportIndex
from .names import SURNAMES
from .retrieve import Candidate
from .units import asked_count, in_unit

WEIGHTS_FILE = Path(__file__).with_name("decision.json")
# A content word held less than this much by the best paragraph is named as missing.
MISSING_BELOW = 0.5
# How far beside a role a name is looked for (characters).
NAME_WINDOW = 8
_NAMED_AS = re.compile(r"(?:名为|叫做|名叫|叫)")
_PSEUDONYM = re.compile(r"^[^，。]{0,4}?[\u4e00-\u9fff]{2,3}[（(]化名[)）]")
_SURNAME_MOU = re.compile(r"[\u4e00-\u9fff]某")
# A sentence opening with one of these goes on about what the sentence before it was about.
_GOES_ON_ABOUT = ("她", "他", "其", "该", "这", "此", "对方", "他们", "她们")
# Rarity (general_weight) is divided by this, so that features lie near [0, 1].
RARITY_SCALE = 20.0


@dataclass(frozen=True)
class Evidence:
    coverage: float
    sentence: float
    library: float
    missing: float
    missing_name: float
    absent: float
    pinned: float
    bigrams: float
    relative: float
    kind: float
    value_missing: float
    person_unnamed: float
    count_missing: float
    margin: float
    content: float

    def vector(self) -> tuple[float, ...]:
        return tuple(getattr(self, name) for name in FEATURES)     # (dataclasses.astuple deep-copies: slow)


FEATURES = tuple(f.name for f in fields(Evidence))


@dataclass(frozen=True)
class Model:
    bias: float
    weights: tuple[float, ...]
    threshold: float           # below: the reports do not say
    caveat_below: float        # below: answered with a caveat (the reports do not say it in so many words)

    def probability(self, evidence: Evidence) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, evidence.vector(), strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class Decision:
    answers: bool
    sure: bool                 # no caveat needed
    probability: float
    evidence: Evidence
    missing: tuple[str, ...]


@lru_cache(maxsize=1)
def load_model(path: Path = WEIGHTS_FILE) -> Model:
    data = json.loads(path.read_text(encoding="utf-8"))
    weights = tuple(float(data["weights"][name]) for name in FEATURES)
    threshold = float(data["threshold"])
    return Model(float(data["bias"]), weights, threshold, float(data.get("caveat_below", threshold)))


def gives_kind(question: Question, text: str, index: ReportIndex) -> float:
    """1 when the text gives every kind of answer asked (多少钱: a figure and a sum of money), 0 when it
    lacks one, 0.5 when no kind is asked."""
    if not question.kinds:
        return 0.5
    intents = index.rules.intents
    return float(all(any(p.search(text) for p in intents[kind].answer) for kind in question.kinds))


def lacks_value(question: Question, text: str, index: ReportIndex, paragraph: str = "") -> float:
    """1 when the question asks for a value (time, figure, sum) and the text gives none of that kind, or asks which
    day and the whole paragraph names no day (index.dates.lacks_day: the day is often in the sentence before or
    after the one holding the question's words), else 0."""
    asked = [kind for kind in wanted_kinds(question) if kind in VALUE_KINDS]
    numbers = valued(text)
    intents = index.rules.intents
    none_given = not all(any(p.search(numbers) for p in intents[kind].answer) for kind in asked)
    no_day = "time" in asked and lacks_day(question.normalized, valued(paragraph or text))
    return float(bool(asked) and (none_given or no_day))


def count_missing(question: Question, text: str, index: ReportIndex) -> float:
    """1 when the question asks a figure in a unit or with a measure word (几辆, 多少名, 几岁: index.units) and the
    text gives none in it or in one used for the same, else 0."""
    unit = asked_count(question, index)
    return float(bool(unit) and not in_unit(valued(text), unit))


def person_unnamed(question: Question, text: str, index: ReportIndex) -> float:
    """1 when the question asks the name of someone it calls by a role (那名学生叫什么, 局长是谁) and no mention of
    that role in the text has a name beside it, else 0.  A name beside it: a word of jieba's person-name tags or
    in Latin letters just after or just before the role (局长王明, 陈律师), surname + 某, a name in quotes or
    marked 化名, or 名叫/叫做 after the role."""
    tagged = index.tokenizer._jieba.tagged
    role = person_asked(question, tagged)
    if role is None:
        return 0.0
    plain = aligned(text)
    for mention in re.finditer(re.escape(role), plain):
        after = plain[mention.end(): mention.end() + NAME_WINDOW]
        if after[:1] in "“\"「《" or _NAMED_AS.match(after) or _PSEUDONYM.search(after):
            return 0.0
        following = [(w, t) for w, t in tagged(after) if w.strip()][:2]
        preceding = [(w, t) for w, t in tagged(plain[max(0, mention.start() - NAME_WINDOW): mention.start()])]
        if any(_is_name(w, t) for w, t in following + preceding[-2:]) or _cut_name(following):
            return 0.0      # (陈/议/律师: a name cut before the role)
    return 1.0


def _cut_name(words: list[tuple[str, str]]) -> bool:
    """A name the dictionary lacks, cut into characters: a common surname, then a single character
    (副召集人何/仲/传: 何 is also a pronoun)."""
    return len(words) == 2 and words[0][0] in SURNAMES and len(words[1][0]) == 1 and words[1][1] != "x"


def _is_name(word: str, tag: str) -> bool:
    return tag.startswith(("nr", "eng")) or _SURNAME_MOU.fullmatch(word) is not None


def evidence(question: Question, candidates: list[Candidate], index: ReportIndex) -> Evidence:
    best = candidates[0]
    terms = index.terms[best.position]
    bm25 = index.retriever.bigrams
    grams = list(dict.fromkeys(question.bigrams))
    # The question's bigrams weighed by their rarity among the paragraphs of the best one's own report (a smoothed
    # idf: BM25Okapi's is negative throughout a report of one or two paragraphs), so that other reports in the
    # library change nothing: the best paragraph's bigram score over that of one holding each bigram once.
    span = index.report_span(best.position)
    avgdl = bm25.mean_length(span)
    rarity = {g: bm25.smooth_idf(g, span) for g in grams}
    saturation = {g: bm25.saturation(g, best.position, avgdl) for g in grams}
    ideal = sum(rarity[g] for g in question.bigrams)
    held_score = sum(rarity[g] * saturation[g] for g in question.bigrams)
    held = [(w.weight, word_presence(w, terms)) for w in question.content]
    sentences = index.sentence_terms(best.position)
    at = max(range(len(sentences)), key=lambda i: coverage(question, sentences[i]))
    best_sentence = sentences[at]
    # the value may come in the next sentence, which goes on about the same ("姜女士说…。她为女儿充值近1.9万元")
    following = sentences[at + 1].text if at + 1 < len(sentences) else ""
    valued_text = best_sentence.text + (following if following.startswith(_GOES_ON_ABOUT) else "")
    known = [(w.weight, library_presence(w, index)) for w in question.content]
    return Evidence(
        coverage=share(held),
        sentence=best.sentence,
        library=share(known),
        missing=max((w for w, h in held if h < MISSING_BELOW), default=0.0) / RARITY_SCALE,
        missing_name=max((w.weight for w, (_, h) in zip(question.content, held, strict=True)
                          if h < MISSING_BELOW and w.noun), default=0.0) / RARITY_SCALE,
        absent=max((w for w, h in known if h < MISSING_BELOW), default=0.0) / RARITY_SCALE,
        pinned=max((w for w, h in held if h >= MISSING_BELOW), default=0.0) / RARITY_SCALE,
        bigrams=share([(rarity[g], float(g in terms.bigrams)) for g in grams]),
        relative=min(1.5, held_score / ideal) if ideal > 0 else 0.0,
        kind=gives_kind(question, best_sentence.text, index),
        value_missing=lacks_value(question, valued_text, index, terms.text),
        person_unnamed=person_unnamed(question, index.paragraphs[best.position].text, index),
        count_missing=count_missing(question, index.paragraphs[best.position].text, index),
        margin=best.fused - (candidates[1].fused if len(candidates) > 1 else 0.0),
        content=math.log1p(sum(w.weight for w in question.content)))


def missing_words(question: Question, terms: ParagraphTerms) -> tuple[str, ...]:
    """The heaviest content words the paragraph lacks, to name in the reply; a single character (定, 开) says
    nothing on its own and is named only when the question has no longer word."""
    lacking = sorted((w for w in question.content if word_presence(w, terms) < MISSING_BELOW), key=lambda w: -w.weight)
    if any(len(w.text) > 1 for w in question.content):
        lacking = [w for w in lacking if len(w.text) > 1]
    return tuple(w.text for w in lacking[:3])


def decide(question: Question, candidates: list[Candidate], index: ReportIndex,
           model: Model | None = None) -> Decision:
    """Whether the best candidate answers the question (``candidates`` best first, at least one)."""
    model = model or load_model()
    found = evidence(question, candidates, index)
    p = model.probability(found)
    return Decision(p >= model.threshold, p >= model.caveat_below, p, found,
                    missing_words(question, index.terms[candidates[0].position]))
