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
the same order as the reference.  A query adds its terms' summands, in query
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
from collections.abc import Sequence

import numpy as np

_EMPTY_IDS = np.empty(0, dtype=np.intp)
_EMPTY_SCORES = np.empty(0, dtype=np.float64)


class BM25Index:
    def __init__(self, corpus: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75,
                 epsilon: float = 0.25) -> None:
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self.corpus_size = len(corpus)
        doc_len = np.array([len(doc) for doc in corpus], dtype=np.int64)
        self.avgdl = sum(len(doc) for doc in corpus) / self.corpus_size if self.corpus_size else 0.0
        # Terms in order of first occurrence, like the reference's dicts: the
        # mean idf (and so the ε floor) is a float sum in that order.
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for doc_id, doc in enumerate(corpus):
            for term, freq in Counter(doc).items():
                ids, freqs = postings.setdefault(term, ([], []))
                ids.append(doc_id)
                freqs.append(freq)
        self.doc_freq = {term: len(ids) for term, (ids, _) in postings.items()}
        self.idf = self._idf(self.doc_freq)
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (ids, freqs) in postings.items():
            id_arr = np.array(ids, dtype=np.intp)
            f = np.array(freqs, dtype=np.float64)
            dl = doc_len[id_arr]
            # Same expression and operation order as BM25Okapi.get_scores.
            summand = self.idf[term] * (f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * dl / self.avgdl)))
            self._postings[term] = (id_arr, summand)
        self._local = threading.local()

    def _idf(self, doc_freq: dict[str, int]) -> dict[str, float]:
        """BM25Okapi._calc_idf, including its ε floor for very common terms."""
        idf: dict[str, float] = {}
        idf_sum = 0.0
        negative = []
        for term, n in doc_freq.items():
            value = math.log(self.corpus_size - n + 0.5) - math.log(n + 0.5)
            idf[term] = value
            idf_sum += value
            if value < 0:
                negative.append(term)
        eps = self.epsilon * (idf_sum / len(idf)) if idf else 0.0
        for term in negative:
            idf[term] = eps
        return idf

    def __contains__(self, term: str) -> bool:
        return term in self._postings

    def postings_length(self, query: Sequence[str]) -> int:
        """How many postings a query touches (its cost), repetitions included."""
        return sum(len(self._postings[t][0]) for t in query if t in self._postings)

    def _parts(self, query: Sequence[str], merge_repeats: bool) -> list[tuple[np.ndarray, np.ndarray]]:
        """The postings of the query's terms, in query order; with ``merge_repeats`` a term asked n
        times is one posting list of n-fold summands (the same total up to the last bits of the float
        sum, half the work for a query that repeats its terms)."""
        if not merge_repeats:
            return [self._postings[t] for t in query if t in self._postings]
        counts = Counter(t for t in query if t in self._postings)
        return [(self._postings[t][0], self._postings[t][1] * n if n > 1 else self._postings[t][1])
                for t, n in counts.items()]

    def _accumulate(self, query: Sequence[str], k: int = 0,
                    merge_repeats: bool = False) -> tuple[np.ndarray, np.ndarray, int, float]:
        """(document ids, their totals, terms matched, a lower bound of the k-th best total).

        ids may repeat, once per matched term.  The bound (-inf without k) is
        the k-th best total among the documents of the shortest postings list
        holding at least k documents: real totals of k distinct documents."""
        parts = self._parts(query, merge_repeats)
        if not parts:
            return _EMPTY_IDS, _EMPTY_SCORES, 0, -math.inf
        if len(parts) == 1:
            return parts[0][0], parts[0][1], 1, -math.inf
        # The scratch array is all zeros between calls; one per thread so that
        # searches from several threads (a reload, an executor) never mix.
        acc = getattr(self._local, "acc", None)
        if acc is None:
            acc = self._local.acc = np.zeros(self.corpus_size)
        try:
            for ids, summands in parts:
                acc[ids] += summands
            bound = -math.inf
            if k > 0:
                enough = [ids for ids, _ in parts if len(ids) >= k]
                if enough:
                    some = acc[min(enough, key=len)]
                    bound = float(np.partition(some, len(some) - k)[len(some) - k])
            touched = np.concatenate([ids for ids, _ in parts])
            totals = acc[touched]
            acc[touched] = 0.0
        except BaseException:
            self._local.acc = None  # interrupted half-way: start the next call clean
            raise
        return touched, totals, len(parts), bound

    def scores(self, query: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(document ids, scores) of every document holding a query term, ids ascending."""
        ids, totals, _, _ = self._accumulate(query)
        ids, first = np.unique(ids, return_index=True)
        return ids, totals[first]

    def scores_of(self, query: Sequence[str], ids: np.ndarray, merge_repeats: bool = False) -> np.ndarray:
        """The scores of the documents ``ids`` only: per query term, a binary search of its postings
        (sorted by document id), added in query order like the reference, so equal to its scores."""
        totals = np.zeros(len(ids))
        for term_ids, summands in self._parts(query, merge_repeats):
            at = np.searchsorted(term_ids, ids)
            found = at < len(term_ids)
            found[found] = term_ids[at[found]] == ids[found]
            totals[found] += summands[at[found]]
        return totals

    def get_scores(self, query: Sequence[str]) -> np.ndarray:
        """Dense scores for all documents, like BM25Okapi.get_scores (for tests and small corpora)."""
        dense = np.zeros(self.corpus_size)
        ids, totals = self.scores(query)
        dense[ids] = totals
        return dense

    def top(self, query: Sequence[str], k: int, merge_repeats: bool = False) -> list[tuple[int, float]]:
        """The k best (document id, score) pairs among documents holding a query term.

        Best first; equal scores in document order (a stable sort of the
        reference's scores, restricted to the documents that match)."""
        if k <= 0:
            return []
        ids, totals, matched, bound = self._accumulate(query, k, merge_repeats)
        if bound > -math.inf:
            chosen = totals >= bound
            ids, totals = ids[chosen], totals[chosen]
        keep = k * matched
        if len(ids) > keep:
            threshold = np.partition(totals, len(totals) - keep)[len(totals) - keep]
            chosen = totals >= threshold
            ids, totals = ids[chosen], totals[chosen]
        if matched > 1:
            ids, first = np.unique(ids, return_index=True)
            totals = totals[first]
        order = np.lexsort((ids, -totals))[:k]
        return [(int(ids[i]), float(totals[i])) for i in order]
