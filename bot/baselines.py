"""The two plain BM25 baselines every evaluation set is scored against in the same run.

Both rank paragraphs with ``rank_bm25.BM25Okapi`` (k1=1.5, b=0.75) over text
normalised the same way as the engine's (simplified, half-width, lower case,
Chinese numerals as digits), and never decline:

* jieba words: ``jieba.lcut`` of the text, punctuation dropped;
* character bigrams: every pair of adjacent characters within a run of letters,
  digits or Chinese characters.

No synonyms, stop words or rules of any kind: this is what ten lines of code get.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import jieba
import numpy as np
from rank_bm25 import BM25Okapi

from index.normalize import normalize

_RUN = re.compile(r"[0-9a-z\u3400-\u9fff\U00020000-\U0002ffff]+")


def jieba_words(text: str) -> list[str]:
    return [w for w in jieba.lcut(normalize(text)) if _RUN.fullmatch(w)]


def char_bigrams(text: str) -> list[str]:
    grams = []
    for run in _RUN.findall(normalize(text)):
        grams += [run[i:i + 2] for i in range(len(run) - 1)] or [run]
    return grams


class Baseline:
    """BM25Okapi over ``tokens`` of each paragraph; ``rank`` gives paragraph positions, best first."""

    def __init__(self, texts: Sequence[str], tokens: Callable[[str], list[str]]) -> None:
        self._tokens = tokens
        self._bm25 = BM25Okapi([tokens(t) or ["\u0000"] for t in texts])

    def rank(self, question: str, k: int = 3) -> list[int]:
        scores = self._bm25.get_scores(self._tokens(question))
        # Stable: ties keep paragraph order.
        return [int(i) for i in np.argsort(-scores, kind="stable")[:k]]


BASELINES: dict[str, Callable[[str], list[str]]] = {"jieba": jieba_words, "bigram": char_bigrams}
