"""jieba's segmentation over one shared general dictionary plus a small dictionary of our own words.

jieba keeps its dictionary in each tokenizer (``FREQ``: about 500,000 words and
prefixes) and its part-of-speech tags in a second table read at import time.
An index needs jieba's own cut with words added (the reports' names, the rule
files' words), and every report analysed with its own words only, so it
would copy that dictionary per index or per report.  Instead a ``Segmenter``
looks words up in two dictionaries: its own small one first, then the general
one, which is loaded once per process and never changed.  Its cut is jieba's
(``jieba.Tokenizer.cut`` with ``HMM=False``, over the two overridden lookups
``get_DAG`` and ``calc``), and ``tagged`` is ``jieba.posseg``'s cut without the
HMM, line for line, so segments and tags equal those of a jieba tokenizer with
the same words added (tests/test_segment.py checks both against jieba).

The general dictionary is jieba's ``dict.txt`` read into one table of
frequencies (with jieba's zero-frequency prefixes) and one of tags sharing
the same strings, kept as a pickle in the temporary directory like jieba's own
cache (a third of the load time of jieba's, and no second copy of every word).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from math import log
from pathlib import Path

import jieba

from .pickled import pickled

jieba.setLogLevel(logging.WARNING)
log_ = logging.getLogger(__name__)

CACHE_NAME = "reportbot-jieba-{version}-{size}.pickle"

# jieba.posseg's patterns (cut without HMM).
_HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._]+)")
_SKIP = re.compile("(\r\n|\\s)")
_ENG = re.compile("[a-zA-Z0-9]+")
_NUM = re.compile("[\\.0-9]+")
_ENG1 = re.compile("^[a-zA-Z0-9]$", re.U)


@dataclass(frozen=True)
class Dictionary:
    """jieba's main dictionary: word (or prefix, frequency 0) → frequency, their total, word → POS tag."""
    frequencies: dict[str, int]
    total: int
    tags: dict[str, str]


def _read_dictionary(path: Path) -> Dictionary:
    """jieba's gen_pfdict and posseg's load_word_tag in one pass over ``dict.txt``."""
    frequencies: dict[str, int] = {}
    tags: dict[str, str] = {}
    total = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.strip().split(" ")
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            frequencies[word] = freq
            total += freq
            if len(parts) > 2:
                tags[word] = parts[2]
            for end in range(1, len(word)):
                frequencies.setdefault(word[:end], 0)
    return Dictionary(frequencies, total, tags)


@lru_cache(maxsize=1)
def general_dictionary() -> Dictionary:
    """jieba's main dictionary as shipped, from our pickle when it is there, else from ``dict.txt``."""
    source = Path(jieba.__file__).with_name("dict.txt")
    name = CACHE_NAME.format(version=jieba.__version__, size=source.stat().st_size)
    return pickled(name, Dictionary, lambda: _read_dictionary(source))


class Segmenter(jieba.Tokenizer):
    """jieba's segmenter over the general dictionary plus ``own`` words, looked up own first."""

    def __init__(self, own: dict[str, int] | None = None, own_tags: dict[str, str] | None = None,
                 total: int | None = None) -> None:
        super().__init__()
        general = general_dictionary()
        self.general, self.general_tags = general.frequencies, general.tags
        self.own = own if own is not None else {}
        self.own_tags = own_tags if own_tags is not None else {}
        self.total = general.total + sum(self.own.values()) if total is None else total
        self.initialized = True

    def copy(self) -> Segmenter:
        return Segmenter(dict(self.own), dict(self.own_tags), self.total)

    def frequency(self, word: str) -> int | None:
        """The word's frequency (0 for a prefix of a word), None when neither dictionary has it."""
        freq = self.own.get(word)
        return self.general.get(word) if freq is None else freq

    def tag(self, word: str, default: str = "x") -> str:
        return self.own_tags.get(word) or self.general_tags.get(word, default)

    def add(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        """jieba's add_word: a frequency suggested from the words already known when none is given."""
        freq = self.suggested_frequency(word) if freq is None else int(freq)
        self.own[word] = freq
        self.total += freq
        if tag:
            self.own_tags[word] = tag
        for end in range(1, len(word)):
            if self.frequency(word[:end]) is None:
                self.own[word[:end]] = 0

    def suggested_frequency(self, word: str) -> int:
        """jieba's suggest_freq(word): just enough for the word to be cut out whole."""
        freq = 1.0
        for piece in self.cut(word, HMM=False):
            known = self.frequency(piece)
            freq *= (1 if known is None else known) / float(self.total)
        known = self.frequency(word)
        return max(int(freq * self.total) + 1, 1 if known is None else known)

    # -- jieba's two dictionary lookups, over both dictionaries ----------------
    def get_DAG(self, sentence: str) -> dict[int, list[int]]:
        own, general = self.own, self.general
        dag: dict[int, list[int]] = {}
        n = len(sentence)
        for k in range(n):
            ends = []
            i = k
            fragment = sentence[k]
            while i < n:
                freq = own.get(fragment)
                if freq is None:
                    freq = general.get(fragment)
                    if freq is None:
                        break
                if freq:
                    ends.append(i)
                i += 1
                fragment = sentence[k:i + 1]
            dag[k] = ends or [k]
        return dag

    def calc(self, sentence: str, DAG: dict[int, list[int]],  # jieba's names
             route: dict[int, tuple[float, int]]) -> None:
        n = len(sentence)
        route[n] = (0, 0)
        log_total = log(self.total)
        own, general = self.own, self.general
        for idx in range(n - 1, -1, -1):
            best: tuple[float, int] | None = None
            for x in DAG[idx]:
                word = sentence[idx:x + 1]
                freq = own.get(word)
                if freq is None:
                    freq = general.get(word)
                candidate = (log(freq or 1) - log_total + route[x + 1][0], x)
                if best is None or candidate > best:
                    best = candidate
            route[idx] = best  # type: ignore[assignment]

    # -- jieba.posseg's cut without HMM ---------------------------------------
    def tagged(self, sentence: str) -> Iterator[tuple[str, str]]:
        """(word, POS tag) pairs, as ``jieba.posseg.POSTokenizer(...).cut(sentence, HMM=False)``."""
        for block in _HAN.split(sentence):
            if _HAN.match(block):
                yield from self._tagged_block(block)
                continue
            for part in _SKIP.split(block):
                if _SKIP.match(part):
                    yield part, "x"
                    continue
                for char in part:
                    yield char, "m" if _NUM.match(char) else "eng" if _ENG.match(part) else "x"

    def _tagged_block(self, block: str) -> Iterator[tuple[str, str]]:
        dag = self.get_DAG(block)
        route: dict[int, tuple[float, int]] = {}
        self.calc(block, dag, route)
        x, n, buffer = 0, len(block), ""
        while x < n:
            y = route[x][1] + 1
            word = block[x:y]
            if _ENG1.match(word):
                buffer += word
            else:
                if buffer:
                    yield buffer, "eng"
                    buffer = ""
                yield word, self.tag(word)
            x = y
        if buffer:
            yield buffer, "eng"


@lru_cache(maxsize=1)
def general_segmenter() -> Segmenter:
    """A segmenter with jieba's main dictionary alone."""
    return Segmenter()
