"""A corpus as term counts, and per-term values looked up by term: the storage BM25 is built from.

``TermCounts`` holds each document's distinct terms and their counts in flat arrays (the form a report's
analysis is saved in, index.analysis), so that the counts of many reports join into one corpus with a few array
operations (``joined``).  ``TermValues`` reads one float per term (document frequency, idf) from an array by the
term's id.  index.bm25 builds its postings from these.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar, overload

import numpy as np

_T = TypeVar("_T")


@dataclass(frozen=True)
class TermCounts:
    """A corpus as counts: each document's distinct terms (ids into ``vocabulary``, in order of first
    occurrence in the document) with their counts, all documents in one flat array."""
    vocabulary: list[str]      # term id -> term, in order of first occurrence in the corpus
    offsets: np.ndarray        # document d's entries are [offsets[d], offsets[d + 1])
    terms: np.ndarray          # int32 term ids
    counts: np.ndarray         # int32
    lengths: np.ndarray        # int64: terms of each document, repetitions included

    @classmethod
    def of(cls, corpus: Iterable[Sequence[str]]) -> TermCounts:
        ids: dict[str, int] = {}
        terms: list[int] = []
        counts: list[int] = []
        offsets, lengths = [0], []
        for doc in corpus:
            for term, count in Counter(doc).items():
                terms.append(ids.setdefault(term, len(ids)))
                counts.append(count)
            offsets.append(len(terms))
            lengths.append(len(doc))
        return cls(list(map(sys.intern, ids)), np.array(offsets, dtype=np.int64), np.array(terms, dtype=np.int32),
                   np.array(counts, dtype=np.int32), np.array(lengths, dtype=np.int64))

    def __setstate__(self, state: dict[str, object]) -> None:
        # Interned: the reports of a library share most of their terms, and an unpickled report's strings
        # would otherwise be copies of its own.
        state["vocabulary"] = list(map(sys.intern, state["vocabulary"]))  # type: ignore[call-overload]
        self.__dict__.update(state)

    @classmethod
    def joined(cls, parts: Sequence[TermCounts]) -> TermCounts:
        """The corpus of several corpora one after the other (term ids renumbered, still in order of first
        occurrence: a part's new terms come in that part's own order)."""
        ids: dict[str, int] = {}
        renumbered = []
        for part in parts:
            new = [t for t in part.vocabulary if t not in ids]
            ids.update(zip(new, range(len(ids), len(ids) + len(new)), strict=True))
            mapping = np.fromiter(map(ids.__getitem__, part.vocabulary), dtype=np.int32, count=len(part.vocabulary))
            renumbered.append(mapping[part.terms])
        ends = np.cumsum([p.offsets[-1] for p in parts])
        starts = np.concatenate([[0], ends[:-1]]).astype(np.int64)
        offsets = np.concatenate([[0], *[p.offsets[1:] + start for p, start in zip(parts, starts, strict=True)]])
        return cls(list(ids), offsets.astype(np.int64), _concat(renumbered, np.int32),
                   _concat([p.counts for p in parts], np.int32), _concat([p.lengths for p in parts], np.int64))

    def __len__(self) -> int:
        return len(self.lengths)

    def terms_of(self, doc: int) -> list[str]:
        """The distinct terms of one document."""
        start, end = self.offsets[doc], self.offsets[doc + 1]
        return [self.vocabulary[i] for i in self.terms[start:end].tolist()]


def _concat(arrays: Sequence[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.empty(0, dtype=dtype)


class TermValues(Mapping[str, float]):
    """A read-only term -> value mapping over an array indexed by term id (idf, document frequency)."""

    def __init__(self, ids: dict[str, int], values: np.ndarray) -> None:
        self._ids, self._values = ids, values
        self._cast = int if values.dtype.kind == "i" else float

    def __getitem__(self, term: str) -> float:
        return self._cast(self._values[self._ids[term]])

    @overload
    def get(self, term: str, /) -> float | None: ...
    @overload
    def get(self, term: str, /, default: float | _T) -> float | _T: ...

    def get(self, term: str, /, default: object = None) -> object:
        i = self._ids.get(term)       # the hot path of every question: no exception, no numpy scalar kept
        return default if i is None else self._cast(self._values[i])

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, term: object) -> bool:
        return term in self._ids
