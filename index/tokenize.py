"""Chinese text to search terms, the same way for reports and questions.

Two kinds of term, over the same normalised text (index.normalize: simplified,
half-width, lower case, numerals as digits):

* words: a private jieba tokenizer that also knows the user dictionary, every
  synonym and the names found in the loaded reports (index.vocabulary); each
  word adds its dictionary sub-words (jieba's search mode, so 年产能 also
  matches 产能) and is mapped to the first word of its synonym group;
* character bigrams: every pair of adjacent characters within a run of Chinese
  characters, with a run of letters or digits counting as one character
  (``su7``, ``2024``).  Bigrams need no dictionary, so a name jieba cuts up
  (史特拉斯堡 → 史/特拉斯/堡) or a word the two texts segment differently still
  matches.

Stop words (question frames, particles) never become terms of a question.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .normalize import normalize
from .rules import Rules
from .segment import Segmenter, general_dictionary, general_segmenter

_WORDLIKE = re.compile(r"[0-9a-z\u3400-\u9fff\U00020000-\U0002ffff]")
# A bigram unit: one Chinese character, or a run of letters and digits.
_UNIT = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]|[0-9a-z][0-9a-z.]*")
_GAP = re.compile(r"[^0-9a-z.\u3400-\u9fff\U00020000-\U0002ffff]+")
_QUESTION_WORD = re.compile(r"哪|什么|啥|几|多|谁|怎|何")
# Words built on an interrogative (哪一年, 几号, 哪一块, 什么样, 多少钱) or a demonstrative with a measure word
# (这笔, 那项, 这篇) frame a question; they never name what it is about.
_FRAME = re.compile(r"哪|什么|啥|谁|怎|多少|^几|^[这那该此][\u4e00-\u9fff]?$")
_NUMBER = re.compile(r"^[0-9.]+[%万亿千百]*$")
# jieba's HMM glues unknown characters into "new words" (谈过, 能带, 进厂) that look rarer than anything and
# differ between a question and a report; without it, an unknown string falls apart into known pieces, and a
# report's own names come from index.vocabulary instead.
HMM = False


def general_cut(text: str) -> list[str]:
    """The words jieba's main dictionary alone cuts a text into (no HMM guesses)."""
    return general_segmenter().lcut(text, HMM=HMM)


def general_tag(word: str) -> str:
    """jieba's part-of-speech tag of a word of its main dictionary ("" for any other)."""
    return general_dictionary().tags.get(word, "")


def general_frequency(word: str) -> int:
    return general_dictionary().frequencies.get(word) or 0


# jieba's dictionary has no frequencies for figures and few for latin words: they count like a word seen
# about NUMBER_FREQUENCY or LATIN_FREQUENCY times in its 60 million (2024 and su7 pin a lot; 2 and pr little).
NUMBER_FREQUENCY = 20000
LATIN_FREQUENCY = 2000
# A one-character word (车, 搞, 第, 位) is mostly a light verb, measure word or part of a phrase: half weight.
SINGLE_CHARACTER_SHARE = 0.5
_LATIN = re.compile(r"^[a-z][a-z0-9.]*$")


def general_weight(word: str) -> float:
    """How much a word says in general Chinese: ln(total / (frequency + 1)), from jieba's dictionary."""
    total = general_dictionary().total
    frequency = general_frequency(word)
    if not frequency and _NUMBER.match(word):
        frequency = NUMBER_FREQUENCY // len(word)      # a year or a long figure is rarer than "2"
    elif not frequency and _LATIN.match(word):
        frequency = LATIN_FREQUENCY
    weight = math.log(total / (frequency + 1))
    return weight * SINGLE_CHARACTER_SHARE if len(word) == 1 else weight


@dataclass(frozen=True)
class Word:
    text: str        # normalised surface form
    term: str        # its search term ("" for a stop word or punctuation)
    tag: str         # jieba's part-of-speech tag


def units(text: str) -> list[list[str]]:
    """Runs of bigram units, split wherever punctuation or space interrupts the text."""
    return [_UNIT.findall(run) for run in _GAP.split(text) if run]


def bigrams_of(runs: Iterable[list[str]]) -> list[str]:
    grams: list[str] = []
    for run in runs:
        if len(run) == 1:
            grams.append(run[0])    # a lone unit (a number, a one-character clause) is its own term
        grams += [run[i] + run[i + 1] for i in range(len(run) - 1)]
    return grams


class Tokenizer:
    """jieba words and character bigrams.  ``Tokenizer(rules)`` knows the rule files' words;
    ``with_words`` gives one that also knows a report's or a library's own names."""

    def __init__(self, rules: Rules) -> None:
        self.synonyms = {normalize(k): normalize(v) for k, v in rules.synonyms.items()}   # variant -> canonical
        self._variants: dict[str, tuple[str, ...]] = {}                                   # canonical -> variants
        for variant, canonical in self.synonyms.items():
            self._variants[canonical] = (*self._variants.get(canonical, ()), variant)
        self.stopwords = frozenset(normalize(w) for w in rules.stopwords)
        self._jieba = Segmenter()
        for word, freq, tag in rules.userdict:
            self._jieba.add(normalize(word), freq, tag)
        # Sorted: a word added without a frequency gets one derived from the words already added.
        for word in sorted({*self.synonyms, *self.synonyms.values()}):
            if self._is_new(word):
                self._jieba.add(word)
        # A stop phrase jieba does not know is cut out whole, so that it is dropped whole (靠谱吗: not 靠 + 谱 + 吗,
        # two content words the report lacks).
        for word in sorted(self.stopwords):
            if self._is_new(word) and not _QUESTION_WORD.search(word):
                self._jieba.add(word)
        # Question words win over the words they overlap (哪天上市: 哪天 + 上市, not 哪 + 天上 + 市).
        for word in sorted(self.stopwords):
            if len(word) > 1 and _QUESTION_WORD.search(word):
                floor = max(self._jieba.frequency(c) or 0 for c in word)
                if (self._jieba.frequency(word) or 0) < floor:
                    self._jieba.add(word, floor)

    def _is_new(self, word: str) -> bool:
        return len(word) > 1 and bool(_WORDLIKE.search(word)) and not self._jieba.frequency(word)

    def new_words(self, words: Iterable[str]) -> dict[str, int]:
        """The words this tokenizer does not know, each with the frequency jieba suggests for it here (enough
        to be cut out whole), each on its own: a word's frequency never depends on the others given."""
        return {w: self._jieba.suggested_frequency(w) for w in dict.fromkeys(words) if self._is_new(w)}

    def with_words(self, words: dict[str, int]) -> Tokenizer:
        """A tokenizer that also knows these words (from ``new_words``), this one unchanged."""
        other = copy.copy(self)
        other._jieba = self._jieba.copy()
        for word, freq in words.items():
            if not other._jieba.frequency(word):
                other._jieba.add(word, freq)
        return other

    # -- words -----------------------------------------------------------
    def canonical(self, word: str) -> str:
        """The search term of a normalised word, or "" for a stop word or punctuation."""
        word = self.synonyms.get(word, word)
        if word in self.stopwords or not _WORDLIKE.search(word) or _FRAME.search(word):
            return ""
        return word

    def _pieces(self, word: str) -> list[str]:
        """The word and its dictionary sub-words of two and three characters (jieba's search mode)."""
        freq = self._jieba.frequency
        pieces = [word[i:i + n] for n in (2, 3) if len(word) > n
                  for i in range(len(word) - n + 1) if freq(word[i:i + n])]
        return [*pieces, word]

    def word_terms(self, normalized: str) -> list[str]:
        """Word terms of a normalised text, with repetitions (BM25 counts them)."""
        return [t for word in self._jieba.cut(normalized, HMM=HMM)
                for t in map(self.canonical, self._pieces(word)) if t]

    def words(self, normalized: str) -> list[Word]:
        """The words of a normalised question, with POS tags and search terms."""
        return [Word(word, self.canonical(word), tag)
                for word, tag in self._jieba.tagged(normalized) if word.strip()]

    def variants(self, term: str) -> tuple[str, ...]:
        """The other words seeds/rules/synonyms.txt gives for a canonical term (量产: 批量生产, 大规模生产 …)."""
        return self._variants.get(term, ())

    def expand(self, word: Word) -> list[str]:
        return [t for t in map(self.canonical, self._pieces(word.text)) if t]

    # -- bigrams ---------------------------------------------------------
    @staticmethod
    def bigrams(normalized: str) -> list[str]:
        """Character-bigram terms of a normalised text."""
        return bigrams_of(units(normalized))

    def question_bigrams(self, words: list[Word]) -> list[str]:
        """Bigrams of a question's content: stop words (question frames, particles) break the runs."""
        runs: list[list[str]] = []
        current: list[str] = []
        for word in words:
            if word.term:
                current += _UNIT.findall(word.text)
            elif current:
                runs.append(current)
                current = []
        if current:
            runs.append(current)
        return bigrams_of(runs)
