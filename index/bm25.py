"""BM25 over paragraphs: rank_bm25's BM25Okapi scores, computed from postings.

The reference (rank_bm25.BM25Okapi.get_scores) scores every document for every
query term:

    score(D, Q) = Σ_{q in Q} idf(q) · f(q,D)·(k1+1) / (f(q,D) + k1·(1 − b + b·|D|/avgdl))

    idf(q) = ln(N − n(q) + 0.5) − ln(n(q) + 0.5), and where that is negative,
             ε · (mean idf over the vocabulary)

with N documents, n(q) documents containing q, f(q,D) the count of q in D and
k1=1.5, b=0.75, ε=0.25.  A term absent from D adds exactly 0, so only the
documents in q's postings list matter.  Fast path: at build time each term
keeps its postings (document ids, and the whole summand above already
computed in the same float64 operations as the reference); a query adds the
summands of its terms' postings in query order.  The work is proportional to
the postings of the query's terms, not to N, and the scores are bit-for-bit the
reference's (tests/test_bm25.py checks it on the seed report and a random
corpus; ``python -m bot bench`` times both).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np


class BM25Index:
    def __init__(self, corpus: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75,
                 epsilon: float = 0.25) -> None:
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self.corpus_size = len(corpus)
        doc_len = np.array([len(doc) for doc in corpus], dtype=np.int64)
        self.avgdl = sum(len(doc) for doc in corpus) / self.corpus_size if self.corpus_size else 0.0
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for doc_id, doc in enumerate(corpus):
            for term, freq in Counter(doc).items():
                ids, freqs = postings.setdefault(term, ([], []))
                ids.append(doc_id)
                freqs.append(freq)
        self.idf = self._idf({term: len(ids) for term, (ids, _) in postings.items()})
        self.doc_freq = {term: len(ids) for term, (ids, _) in postings.items()}
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (ids, freqs) in postings.items():
            id_arr = np.array(ids, dtype=np.int64)
            f = np.array(freqs, dtype=np.float64)
            dl = doc_len[id_arr]
            # Same expression and operation order as BM25Okapi.get_scores.
            summand = self.idf[term] * (f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * dl / self.avgdl)))
            self._postings[term] = (id_arr, summand)

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

    def scores(self, query: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(document ids, scores) of every document with a non-zero summand, ids ascending."""
        parts = [self._postings[t] for t in query if t in self._postings]
        if not parts:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        if len(parts) == 1:
            return parts[0][0], parts[0][1].copy()
        ids = np.concatenate([p[0] for p in parts])
        summands = np.concatenate([p[1] for p in parts])
        # A stable sort keeps each document's summands in query order, and
        # adding them left to right reproduces the reference's running sum.
        order = np.argsort(ids, kind="stable")
        ids, summands = ids[order], summands[order]
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        totals = summands[starts].copy()
        lengths = np.diff(np.r_[starts, len(ids)])
        for offset in range(1, int(lengths.max())):
            has = lengths > offset
            totals[has] += summands[starts[has] + offset]
        return ids[starts], totals

    def get_scores(self, query: Sequence[str]) -> np.ndarray:
        """Dense scores for all documents, like BM25Okapi.get_scores (for tests and small corpora)."""
        dense = np.zeros(self.corpus_size)
        ids, totals = self.scores(query)
        dense[ids] = totals
        return dense

    def top(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The k best (document id, score) pairs, best first; ties by document order."""
        ids, totals = self.scores(query)
        if len(ids) > k:
            keep = np.argpartition(-totals, k - 1)[:k]
            ids, totals = ids[keep], totals[keep]
        order = np.lexsort((ids, -totals))
        return [(int(ids[i]), float(totals[i])) for i in order]
