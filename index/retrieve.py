"""Stage 2, retrieve: two BM25 rankings of the paragraphs, fused into one.

* word BM25: rank_bm25's BM25Okapi scores over jieba word terms (index.bm25);
* bigram BM25: the same formula over character bigrams of the same normalised
  text, which does not depend on how jieba segments a name or a phrase.

Fusion.  Each ranking's scores are divided by that ranking's best score for
the question, so both lie in [0, 1] whatever the question's length, and

    fused(D) = WORD_SHARE · words(D) / max words  +  (1 − WORD_SHARE) · bigrams(D) / max bigrams

A paragraph that holds none of one ranking's terms scores 0 there.  The
paragraphs fused are the POOL best of each ranking (BM25Index.top, from
postings), each scored exactly in both (BM25Index.summed); a paragraph in
neither pool is below both pools' last and is not considered, the usual hybrid
retrieval compromise.  The best by fused score are then ordered by

    score(D) = fused(D) + COVERAGE_SHARE · coverage(question, D)
                        + SENTENCE_SHARE · max over sentences S of D of coverage(question, S)
                                           (or PAIR_SHARE · that of two adjacent sentences together, if more)
                        + KIND_SHARE · [the best sentence states a place or a date asked for]
                        + KIND_SHARE · [a place is asked and that sentence says where something is: 位于 …]

where coverage (index.coverage) is the share of the question's content words,
weighted by rarity, that D (or one sentence of D) holds (a word held only by a word of the same meaning
counting RERANK_RELATED_HOLDS): of the paragraphs that
match, the one with a sentence saying everything asked comes first, because
what a question asks is usually said in one sentence.  The cost of a
question follows the postings of its terms, not the size of the library.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from .analyze import Question
from .bm25 import BM25Index, TermCounts
from .clauses import valued
from .coverage import coverage, share, word_presence
from .units import in_unit

if TYPE_CHECKING:
    from .engine import ParagraphTerms

# Chosen on the development parts of all sources together (bundled report, news reports, CMRC 2018, DRCD).
WORD_SHARE = 0.3
COVERAGE_SHARE = 0.4
SENTENCE_SHARE = 3.0     # hit@1 rose with it on every source up to about 3, and fell beyond
# For 在哪 and 什么时候, a sentence that states a place or a date (seeds/rules/intents.toml) adds KIND_SHARE: of
# the paragraphs that hold the question's words, the one saying where or when answers it.  Chosen on the
# development sets: with every kind asked (a figure, a person …) hit@1 fell on three sets; with these two it
# rose on six (eval, blind, blind3, a news report 0.800 → 0.833, another 0.909 → 0.955) and fell on none.
KIND_SHARE = 0.3
RERANK_KINDS = ("place", "time")
# Asked where, a sentence that says where something is in so many words (位于, 坐落 …) counts KIND_SHARE once
# more: it tells the paragraph that locates a thing from those that merely name places.  (Development sets: hit@1
# up on five of the bundled report's sets, eval 0.864 → 0.870; no other set changed.)
LOCATED = re.compile(r"位于|坐落|地处|地址|落户|选址|建在|设在|位在")
# In the ordering, a word held only by a word of the same meaning (index.related) counts this much: with the
# decision's 0.75 the bundled sets lost hit@1 (a paragraph holding a looser synonym overtook the one with the
# word itself); with 0.3 no development set lost and the paraphrased notice gained (0.636 → 0.682).
RERANK_RELATED_HOLDS = 0.3
# Two adjacent sentences holding the question between them count this much of one holding it alone: a report
# names someone in one sentence and says what is asked of them in the next.  (Development sets, ranking hit@1:
# news 2639 → 2644 of 3314 at 0.8; 0.7 changed nothing, 0.9 and 1.0 lost DRCD questions; no other source changed.)
PAIR_SHARE = 0.8
POOL = 50                # paragraphs taken from each ranking before fusing
COMMON_SHARE = 0.5       # a bigram in more of the paragraphs than this is left out of the bigram query


@dataclass(frozen=True)
class Candidate:
    position: int        # the paragraph's position in the index
    words: float         # word BM25 score
    bigrams: float       # bigram BM25 score
    fused: float         # in [0, 1]
    coverage: float = 0.0        # of the question, by the paragraph
    sentence: float = 0.0        # of the question, by the paragraph's best sentence
    score: float = 0.0           # what candidates are ordered by


class Retriever:
    def __init__(self, word_docs: Sequence[Sequence[str]] | TermCounts,
                 bigram_docs: Sequence[Sequence[str]] | TermCounts) -> None:
        self.words = BM25Index(word_docs)
        self.bigrams = BM25Index(bigram_docs)

    def _telling(self, question: Question) -> list[str]:
        """The query's bigrams that tell paragraphs apart: one held by more than COMMON_SHARE of them (了解, 汽车 in
        a library about cars) has BM25's floor idf, adds about as much to every paragraph and costs the most.  The
        synonyms' bigrams join only when they tell paragraphs apart, never instead of the question's own."""
        limit = COMMON_SHARE * self.bigrams.corpus_size
        telling = [g for g in question.bigrams if self.bigrams.doc_freq.get(g, 0) <= limit]
        # In a short report one bigram can be in most paragraphs (泳馆 in a report on a swimming pool): a question
        # the library holds nothing else of keeps it, or it would find nothing.
        own = telling if any(g in self.bigrams for g in telling) else list(question.bigrams)
        return own + [g for g in question.related_bigrams if 0 < self.bigrams.doc_freq.get(g, 0) <= limit]

    def search(self, question: Question, k: int) -> list[Candidate]:
        """The k best paragraphs by fused score; ties in paragraph order."""
        depth = max(k, POOL)
        grams = self._telling(question)
        # Both rankings' totals stay summed while the pools are merged: each pool's paragraphs are then scored in
        # the other ranking by a lookup, not by a second pass over the postings.
        with self.words.summed(question.word_terms) as by_word, \
                self.bigrams.summed(grams, merge_repeats=True) as by_gram:
            word_top, gram_top = by_word.top(depth), by_gram.top(depth)
            if not word_top and not gram_top:
                return []
            ids = np.array(sorted({i for i, _ in word_top} | {i for i, _ in gram_top}), dtype=np.intp)
            word_scores, gram_scores = by_word.at(ids), by_gram.at(ids)
        # Each ranking's best score is its top hit's, found or not by the other ranking.
        fused = WORD_SHARE * _scaled(word_scores, word_top) + (1 - WORD_SHARE) * _scaled(gram_scores, gram_top)
        order = np.lexsort((ids, -fused))[:k]
        return [Candidate(int(ids[i]), float(word_scores[i]), float(gram_scores[i]), float(fused[i]),
                          score=float(fused[i])) for i in order]


def stated_kinds(text: str, kinds: list[list[re.Pattern[str]]], place_asked: bool, unit: str = "") -> float:
    """1 when the text gives every kind of answer of RERANK_KINDS asked (its intents' answer patterns), plus 1
    when a place is asked and the text says where something is located, plus 1 when a figure in a unit is asked
    (几辆, 多少名: index.units) and the text gives one in it; else 0."""
    counted = float(bool(unit) and in_unit(valued(text), unit))
    if not kinds or not all(any(p.search(text) for p in kind) for kind in kinds):
        return counted
    return 1.0 + float(place_asked and bool(LOCATED.search(text))) + counted


def rerank(question: Question, candidates: list[Candidate], terms: Sequence[ParagraphTerms],
           sentences: Callable[[int], list[ParagraphTerms]],
           gives: Callable[[str], float] = lambda text: 0.0) -> list[Candidate]:
    """Candidates ordered by fused score plus coverage of the paragraph and of its best sentence
    (``sentences(position)``: the terms of each sentence of that paragraph); ties in paragraph order."""
    scored = []
    for c in candidates:
        held = coverage(question, terms[c.position], RERANK_RELATED_HOLDS)
        said, kind = _said(question, sentences(c.position), gives)
        scored.append(replace(c, coverage=held, sentence=said,
                              score=c.fused + COVERAGE_SHARE * held + SENTENCE_SHARE * said + KIND_SHARE * kind))
    return sorted(scored, key=lambda c: (-c.score, c.position))


def _said(question: Question, said: Sequence[ParagraphTerms], gives: Callable[[str], float]) -> tuple[float, float]:
    """The best coverage of the question by one sentence, or PAIR_SHARE of that by two adjacent sentences together
    if more (a word is held as much as the one of the two holding it more: the name in one sentence, what is asked
    of it in the next); and what the best single sentence gives.  Each word's presence is read once per sentence."""
    weights = [w.weight for w in question.content]
    held = [[word_presence(w, s, RERANK_RELATED_HOLDS) for w in question.content] for s in said]
    def covered(presence: Sequence[float]) -> float:
        return share(list(zip(weights, presence, strict=True)))

    alone, kind = max(((covered(h), gives(s.text)) for h, s in zip(held, said, strict=True)), default=(0.0, 0.0))
    together = max((covered(list(map(max, a, b))) for a, b in itertools.pairwise(held)), default=0.0)
    return max(alone, PAIR_SHARE * together), kind


def _scaled(scores: np.ndarray, top: list[tuple[int, float]]) -> np.ndarray:
    best = top[0][1] if top else 0.0
    return scores / best if best > 0 else np.zeros(len(scores))
