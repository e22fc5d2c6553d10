"""Chinese tokenisation: jieba with the rule files, for both reports and questions.

The same ``Analyzer`` turns a paragraph and a question into search terms:
normalise (index.normalize), segment with a private jieba tokenizer that knows
the user dictionary and every synonym, add the sub-words of long words (as
jieba's search mode does, so 年产能 also matches 产能), map synonyms to their
canonical word and drop stop words.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import jieba
import jieba.posseg
from pypinyin import lazy_pinyin

from .normalize import normalize
from .rules import Rules

jieba.setLogLevel(logging.WARNING)

_WORDLIKE = re.compile(r"[0-9a-z\u3400-\u9fff\U00020000-\U0002ffff]")
_NUMBER = re.compile(r"^[0-9.]+[%万亿千百]*$")
# POS tags of words that name a topic (jieba's tag set): nouns, proper nouns,
# noun-verbs and foreign words.  An unknown topic word means "not in the report".
_TOPIC_TAGS = ("n", "vn", "eng", "nz", "nr", "ns", "nt", "nrt", "nrfg", "ng", "an")


@dataclass(frozen=True)
class Word:
    text: str        # normalised surface form
    term: str        # canonical search term ("" for a stop word)
    tag: str         # jieba POS tag

    @property
    def is_topic(self) -> bool:
        return self.tag.startswith(_TOPIC_TAGS) or self.tag == "x" and len(self.text) > 1


class Analyzer:
    def __init__(self, rules: Rules) -> None:
        self.synonyms = {normalize(k): normalize(v) for k, v in rules.synonyms.items()}
        self.stopwords = frozenset(normalize(w) for w in rules.stopwords)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        for word, freq, tag in rules.userdict:
            self._jieba.add_word(normalize(word), freq, tag)
        for word in {*self.synonyms, *self.synonyms.values(), *self.stopwords}:
            if len(word) > 1 and _WORDLIKE.search(word) and not self._jieba.FREQ.get(word):
                self._jieba.add_word(word)
        self._pos = jieba.posseg.POSTokenizer(self._jieba)

    def canonical(self, word: str) -> str:
        """The search term for a normalised word, or "" if it carries no topic."""
        word = self.synonyms.get(word, word)
        if word in self.stopwords or not _WORDLIKE.search(word):
            return ""
        return word

    def _expand(self, word: str) -> list[str]:
        """The word plus its dictionary sub-words (jieba's search mode)."""
        pieces = []
        freq = self._jieba.FREQ
        for n in (2, 3):
            if len(word) > n:
                pieces += [word[i:i + n] for i in range(len(word) - n + 1) if freq.get(word[i:i + n])]
        return [*pieces, word]

    def terms(self, text: str) -> list[str]:
        """Search terms of a text, with repetitions (BM25 counts them)."""
        out = []
        for word in self._jieba.cut(normalize(text)):
            for piece in self._expand(word):
                term = self.canonical(piece)
                if term:
                    out.append(term)
        return out

    def words(self, normalized: str) -> list[Word]:
        """Words of an already normalised question with POS tags and search terms."""
        return [Word(p.word, self.canonical(p.word), p.flag) for p in self._pos.cut(normalized)
                if p.word.strip()]

    def expand_terms(self, word: Word) -> list[str]:
        return [t for t in (self.canonical(p) for p in self._expand(word.text)) if t]

    def is_word(self, text: str) -> bool:
        return bool(self._jieba.FREQ.get(text))

    @staticmethod
    def pinyin(text: str) -> str:
        return " ".join(lazy_pinyin(text))

    @staticmethod
    def is_number(text: str) -> bool:
        return bool(_NUMBER.match(text))
