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
from pypinyin import Style, lazy_pinyin, pinyin

from .normalize import normalize
from .rules import Rules

jieba.setLogLevel(logging.WARNING)

_WORDLIKE = re.compile(r"[0-9a-z\u3400-\u9fff\U00020000-\U0002ffff]")
_LONE_LATIN = re.compile(r"^[a-z]$")
_NUMBER = re.compile(r"^[0-9.]+[%万亿千百]*$")
# POS tags (jieba's tag set) of words that do not name a topic: verbs,
# adjectives, adverbs, pronouns, prepositions, conjunctions, particles,
# quantifiers, numerals.  Any other word the reports never use means "not in
# the report"; so does a latin word (tag "eng": iphone, model names).
_NON_TOPIC_TAGS = ("v", "a", "d", "r", "p", "c", "u", "y", "e", "o", "z", "q", "f", "b", "k", "h", "m")


_QUESTION_WORD = re.compile(r"哪|什么|啥|几|多|谁|怎|何")

_FUZZY_MAP = {"zh": "z", "ch": "c", "sh": "s", "ang": "an", "eng": "en", "ing": "in"}
_FUZZY = re.compile(r"^(zh|ch|sh)|(ang|eng|ing)$")


@dataclass(frozen=True)
class Word:
    text: str        # normalised surface form
    term: str        # canonical search term ("" for a stop word)
    tag: str         # jieba POS tag

    @property
    def is_topic(self) -> bool:
        if self.tag in ("vn", "an", "eng"):  # noun-like verbs and adjectives: 续航, 安全
            return True
        return not self.tag.startswith(_NON_TOPIC_TAGS)


class Analyzer:
    def __init__(self, rules: Rules) -> None:
        self.synonyms = {normalize(k): normalize(v) for k, v in rules.synonyms.items()}
        self.stopwords = frozenset(normalize(w) for w in rules.stopwords)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        for word, freq, tag in rules.userdict:
            self._jieba.add_word(normalize(word), freq, tag)
        # Sorted: add_word without a frequency derives one from the words already added,
        # so the order must not depend on the hash seed.
        for word in sorted({*self.synonyms, *self.synonyms.values(), *self.stopwords}):
            if len(word) > 1 and _WORDLIKE.search(word) and not self._jieba.FREQ.get(word):
                self._jieba.add_word(word)
        # Question words win over words they happen to overlap (哪天上市: 哪天 + 上市, not
        # 哪 + 天上 + 市): a stop word that asks something (哪天, 多久, 啥时候) is made at
        # least as frequent as its most frequent character.
        for word in sorted(self.stopwords):
            if len(word) > 1 and _QUESTION_WORD.search(word):
                floor = max(self._jieba.FREQ.get(c) or 0 for c in word)
                if (self._jieba.FREQ.get(word) or 0) < floor:
                    self._jieba.add_word(word, floor)
        # A synonym variant stays one word (多少钱, not 多少/钱), so it maps to its canonical term.
        for word in sorted(self.synonyms):
            if len(word) > 1 and _WORDLIKE.search(word):
                self._jieba.suggest_freq(word, tune=True)
        self._pos = jieba.posseg.POSTokenizer(self._jieba)

    def canonical(self, word: str) -> str:
        """The search term for a normalised word, or "" if it carries no topic."""
        word = self.synonyms.get(word, word)
        if word in self.stopwords or not _WORDLIKE.search(word) or _LONE_LATIN.match(word):
            return ""
        if len(word) > 1 and all(c in self.stopwords for c in word):
            return ""       # 啊啊啊, 都是: made of stop words only
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

    def frequency(self, text: str) -> int:
        """jieba's dictionary frequency of a word (0 if it is not a word)."""
        return self._jieba.FREQ.get(text) or 0

    def tag(self, text: str) -> str:
        """The POS tag jieba gives a word on its own."""
        pieces = list(self._pos.cut(text))
        return pieces[0].flag if len(pieces) == 1 else "x"

    @staticmethod
    def pinyin(text: str) -> str:
        """Toneless pinyin with the sounds input methods let people confuse merged
        ("fuzzy pinyin": zh/z, ch/c, sh/s, ang/an, eng/en, ing/in), so 生厂 sounds like 生产."""
        return " ".join(_FUZZY.sub(lambda m: _FUZZY_MAP[m.group(0)], s) for s in lazy_pinyin(text))

    @staticmethod
    def final(char: str) -> str:
        """The final (rhyme) of a character's pinyin: 錤 ji, 琪 qi and 其 qi all rhyme in i."""
        return _FUZZY.sub(lambda m: _FUZZY_MAP[m.group(0)], pinyin(char, style=Style.FINALS)[0][0])

    @staticmethod
    def is_number(text: str) -> bool:
        return bool(_NUMBER.match(text))
