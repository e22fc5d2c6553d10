"""BM25 over paragraphs: rank_bm25's BM25Okapi scores, computed from postings.

The reference (rank_bm25.BM25Okapi.get_scores) scores every document for every
query term:

    score(D, Q) = Σ_{q in Q} idf(q) · f(q,D)·(k1+1) / (f(q,D) + k1·(1 − b + b·|D|/avgdl))

    idf(q) = ln(N − n(q) + 0.5) − ln(n(q) + 0.5), and where that is negative,
             ε · (mean idf over the vocabulary)

with N documents, n(q) documents containing q, f(q,D) the count of q in D and
k1=1.5, b=0.75, ε=0.25.  Repeated query terms count once per repetition; terms
the corpus lacks add nothing.

Fast path.  A term absent from D adds exactly 0, so only the documents in q's
postings list matter.  At build time each term keeps its postings: document
ids and the whole summand above, computed with the same float64 operations in
the same order as the reference.  The postings of all terms lie in two flat
arrays (``TermCounts``: each document's distinct terms and counts, the form a
report's analysis is stored in; ``postings``: the same entries grouped by
term), built with a few array operations instead of a loop per term, so that
an index of thousands of reports is built in a fraction of a second from its
reports' saved counts.  A query adds its terms' summands, in query
order, into a scratch array of N zeros allocated once per thread
(``acc[ids] += summands``; ids are unique within one postings list), reads the touched entries back and zeroes
them again.  Each document's total is then ((0 + s1) + s2) + …, the reference's
own running sum, so scores are bit-for-bit equal.  Top-k selects among the
touched entries only.  A lower bound of the k-th best total is the k-th best
total among the documents of the query's shortest postings list of at least
k documents (real totals of k distinct documents); entries under it are dropped in one pass.  What remains
is cut at the (k·m)-th largest entry (a document occurs at most m times for m
matched terms, so every top-k document is at or above it; ties are kept) and
sorted by (score desc, document id), which is exact.  The work is
proportional to the postings of the query's terms, never to N
(tests/test_bm25.py checks the scores against rank_bm25; ``python -m bot
bench`` times both).
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from .term_counts import TermCounts, TermValues

_EMPTY_IDS = np.empty(0, dtype=np.intp)


class BM25Index:
    def __init__(self, corpus: Sequence[Sequence[str]] | TermCounts, k1: float = 1.5, b: float = 0.75,
                 epsilon: float = 0.25) -> None:
        counts = corpus if isinstance(corpus, TermCounts) else TermCounts.of(corpus)
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self.counts = counts
        self.corpus_size = len(counts)
        self.avgdl = int(counts.lengths.sum()) / self.corpus_size if self.corpus_size else 0.0
        self._ids = {term: i for i, term in enumerate(counts.vocabulary)}
        frequency = np.bincount(counts.terms, minlength=len(counts.vocabulary))
        idf = self._idf(frequency)
        # The postings: every (document, term) entry grouped by term, documents ascending within a term.
        order = np.argsort(counts.terms, kind="stable")
        # intp: numpy indexes with intp, and would convert narrower ids at every query.
        docs = np.repeat(np.arange(self.corpus_size, dtype=np.intp), np.diff(counts.offsets))
        self._docs = docs[order]
        self._starts = np.concatenate([[0], np.cumsum(frequency)]).astype(np.int64)
        f = counts.counts[order].astype(np.float64)
        dl = counts.lengths[self._docs]
        # Same expression and operation order as BM25Okapi.get_scores.
        self._summands = idf[counts.terms[order]] * (
            f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * dl / self.avgdl)))
        self.doc_freq = TermValues(self._ids, frequency)
        self.idf = TermValues(self._ids, idf)
        self._local = threading.local()

    # Pickled (a library's index kept whole in index.cache) without what is quick to derive: the term ids (from the
    # vocabulary) and the per-thread scratch array.
    def __getstate__(self) -> dict[str, object]:
        state = {k: v for k, v in self.__dict__.items() if k not in ("_ids", "doc_freq", "idf", "_local")}
        state["_frequency"], state["_idf_values"] = self.doc_freq._values, self.idf._values
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        frequency, idf = state.pop("_frequency"), state.pop("_idf_values")
        self.__dict__.update(state)
        self._ids = {term: i for i, term in enumerate(self.counts.vocabulary)}
        self.doc_freq = TermValues(self._ids, frequency)      # type: ignore[arg-type]
        self.idf = TermValues(self._ids, idf)                 # type: ignore[arg-type]
        self._local = threading.local()

    def _idf(self, frequency: np.ndarray) -> np.ndarray:
        """BM25Okapi._calc_idf, including its ε floor for very common terms.  Its mean idf is a float sum in
        the order terms first occur (np.cumsum adds left to right, like the reference's loop); its logs are
        math.log's, once per distinct document frequency."""
        if not len(frequency):
            return np.empty(0, dtype=np.float64)
        distinct = np.unique(frequency)
        logs = np.array([math.log(self.corpus_size - n + 0.5) - math.log(n + 0.5) for n in distinct.tolist()])
        idf = logs[np.searchsorted(distinct, frequency)]
        eps = self.epsilon * (float(np.cumsum(idf)[-1]) / len(idf))
        idf[idf < 0] = eps
        return idf

    def _postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        i = self._ids.get(term)
        if i is None:
            return None
        start, end = self._starts[i], self._starts[i + 1]
        return self._docs[start:end], self._summands[start:end]

    def __contains__(self, term: str) -> bool:
        return term in self._ids

    def mean_length(self, span: tuple[int, int] | None = None) -> float:
        """avgdl over the documents [start, end) of ``span`` (all by default)."""
        first, last = span or (0, self.corpus_size)
        return float(self.counts.lengths[first:last].mean())

    def saturation(self, term: str, doc: int, avgdl: float | None = None) -> float:
        """The formula's factor besides idf for one document, f(q,D)·(k1+1) / (f(q,D) + k1·(1 − b + b·|D|/avgdl)),
        with the corpus's avgdl unless one is given (mean_length of a span): 0 when D lacks q, 1 for one
        occurrence in a document of average length."""
        i = self._ids.get(term)
        if i is None:
            return 0.0
        start, end = self.counts.offsets[doc], self.counts.offsets[doc + 1]
        found = np.flatnonzero(self.counts.terms[start:end] == i)
        if not len(found):
            return 0.0
        f = float(self.counts.counts[start + found[0]])
        dl = float(self.counts.lengths[doc])
        avgdl = self.avgdl if avgdl is None else avgdl
        return f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * dl / avgdl))

    def smooth_idf(self, term: str, span: tuple[int, int] | None = None) -> float:
        """ln(1 + (N − n(q) + 0.5) / (n(q) + 0.5)) over the documents ``span`` (all by default): the idf of
        Lucene's BM25, never negative.  BM25Okapi's own goes negative for a term most documents hold, and for
        every term of a report of one or two paragraphs, where it says nothing of rarity; the decision
        (index.decide) weighs a question's bigrams by this one, over the paragraphs of one report."""
        first, last = span or (0, self.corpus_size)
        posting = self._postings(term)
        n = 0 if posting is None else int(np.diff(np.searchsorted(posting[0], [first, last]))[0])
        return math.log(1 + (last - first - n + 0.5) / (n + 0.5))

    def documents_with(self, term: str) -> frozenset[int]:
        """The documents that hold ``term`` (from its postings)."""
        found = self._postings(term)
        return frozenset() if found is None else frozenset(found[0].tolist())

    def postings_length(self, query: Sequence[str]) -> int:
        """How many postings a query touches (its cost), repetitions included."""
        return sum(int(self.doc_freq[t]) for t in query if t in self._ids)

    def _parts(self, query: Sequence[str], merge_repeats: bool) -> list[tuple[np.ndarray, np.ndarray]]:
        """The postings of the query's terms, in query order; with ``merge_repeats`` a term asked n
        times is one posting list of n-fold summands (the same total up to the last bits of the float
        sum, half the work for a query that repeats its terms)."""
        if not merge_repeats:
            return [p for p in map(self._postings, query) if p is not None]
        parts = []
        for term, n in Counter(query).items():
            posting = self._postings(term)
            if posting is not None:
                parts.append((posting[0], posting[1] * n) if n > 1 else posting)
        return parts

    @contextmanager
    def summed(self, query: Sequence[str], merge_repeats: bool = False) -> Iterator[Summed]:
        """The query's totals, in a scratch array of N zeros, while the ``with`` block lasts.

        Each matched term's summands are added in query order (``acc[ids] +=
        summands``; ids are unique within one postings list), so a document's
        total is the reference's own running sum ((0 + s1) + s2) + ….  Afterwards
        the touched entries are zeroed again.  The array is one per thread
        (searches from several threads, a reload or an executor, never mix) and
        is taken out while in use, so that a nested or interrupted call starts
        from a fresh one."""
        parts = self._parts(query, merge_repeats)
        acc = getattr(self._local, "acc", None)
        self._local.acc = None
        if acc is None:
            acc = np.zeros(self.corpus_size)
        for ids, summands in parts:
            acc[ids] += summands
        try:
            yield Summed(acc, parts)
        finally:
            for ids, _ in parts:
                acc[ids] = 0.0
            self._local.acc = acc

    def scores(self, query: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(document ids, scores) of every document holding a query term, ids ascending."""
        with self.summed(query) as summed:
            ids = summed.touched(distinct=True)
            return ids, summed.at(ids)

    def get_scores(self, query: Sequence[str]) -> np.ndarray:
        """Dense scores for all documents, like BM25Okapi.get_scores (for tests and small corpora)."""
        dense = np.zeros(self.corpus_size)
        ids, totals = self.scores(query)
        dense[ids] = totals
        return dense

    def top(self, query: Sequence[str], k: int, merge_repeats: bool = False) -> list[tuple[int, float]]:
        """The k best (document id, score) pairs among documents holding a query term (Summed.top)."""
        with self.summed(query, merge_repeats) as summed:
            return summed.top(k)


@dataclass(frozen=True)
class Summed:
    """A query's totals, held in a scratch array of the index (BM25Index.summed) while its block lasts."""
    acc: np.ndarray                               # document id -> total; 0 where no query term is held
    parts: list[tuple[np.ndarray, np.ndarray]]    # the matched terms' postings: (document ids, summands)

    def at(self, ids: np.ndarray) -> np.ndarray:
        """The totals of the documents ``ids`` (0 for one holding no query term)."""
        return self.acc[ids]

    def touched(self, distinct: bool = False) -> np.ndarray:
        """The documents holding a query term: once per matched term, or once each and ascending."""
        if not self.parts:
            return _EMPTY_IDS
        ids = np.concatenate([ids for ids, _ in self.parts]) if len(self.parts) > 1 else self.parts[0][0]
        return np.unique(ids) if distinct and len(self.parts) > 1 else ids

    def top(self, k: int) -> list[tuple[int, float]]:
        """The k best (document id, total) pairs, best first, equal totals in document order (a stable sort
        of the reference's scores, restricted to the documents that match).

        A lower bound of the k-th best total is the k-th best total among the
        documents of the shortest postings list of at least k documents (real
        totals of k distinct documents); entries under it are dropped in one pass.
        What remains is cut at the (k·m)-th largest entry (a document occurs at
        most m times for m matched terms, so every top-k document is at or above
        it; ties are kept) and sorted by (total desc, document id), which is exact."""
        if k <= 0 or not self.parts:
            return []
        ids = self.touched()
        totals = self.acc[ids]
        enough = [documents for documents, _ in self.parts if len(documents) >= k]
        if len(self.parts) > 1 and enough:
            some = self.acc[min(enough, key=len)]
            chosen = totals >= np.partition(some, len(some) - k)[len(some) - k]
            ids, totals = ids[chosen], totals[chosen]
        keep = k * len(self.parts)
        if len(ids) > keep:
            chosen = totals >= np.partition(totals, len(totals) - keep)[len(totals) - keep]
            ids, totals = ids[chosen], totals[chosen]
        if len(self.parts) > 1:
            ids, first = np.unique(ids, return_index=True)
            totals = totals[first]
        order = np.lexsort((ids, -totals))[:k]
        return [(int(ids[i]), float(totals[i])) for i in order]
