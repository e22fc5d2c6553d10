"""The report index: analyse a question, find the paragraphs that answer it.

``ReportIndex.search`` is plain BM25 (index.bm25) over the analysed terms;
``ReportIndex.analyze`` also says which topic words of the question the reports
never mention (so the answer can say so instead of guessing) and fixes
homophone typos (气车 → 汽车) against the reports' own vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .bm25 import BM25Index
from .corpus import Corpus, Document, Paragraph
from .normalize import normalize
from .rules import Rules, load_rules
from .tokenize import Analyzer, Word

# A word this frequent in jieba's dictionary is a real word, not a typo.
_COMMON_WORD = 50


@dataclass(frozen=True)
class Hit:
    document: Document
    paragraph: Paragraph
    score: float


@dataclass
class Query:
    text: str
    normalized: str
    words: list[Word]
    terms: list[str]
    missing: list[str] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)   # unknown words that are not topics (verbs…)

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.missing


class ReportIndex:
    def __init__(self, corpus: Corpus, rules: Rules | None = None) -> None:
        self.corpus = corpus
        self.rules = rules or load_rules(corpus.rules_dir)
        self.analyzer = Analyzer(self.rules)
        self.paragraphs: list[Paragraph] = corpus.paragraphs
        self._documents = {d.doc_id: d for d in corpus.documents}
        self.bm25 = BM25Index([self.analyzer.terms(p.text) for p in self.paragraphs])
        # What the reports mention, headings included (search scores paragraphs only).
        headings = {p.section for p in self.paragraphs if p.section}
        self._text = "\n".join([*(normalize(p.text) for p in self.paragraphs), *map(normalize, headings)])
        self._by_pinyin: dict[str, str] = {}
        for word in self._vocabulary():
            self._by_pinyin.setdefault(self.analyzer.pinyin(word), word)

    def _vocabulary(self) -> list[str]:
        words: set[str] = set()
        for paragraph in self.paragraphs:
            words.update(w for w in self.analyzer._jieba.cut(normalize(paragraph.text)) if len(w) > 1)
        # Synonyms sound-match too: 工信布 -> 工信部 (-> 工业和信息化部).
        words.update(w for w, canonical in self.analyzer.synonyms.items() if canonical in self.bm25)
        words.update(self.analyzer.synonyms.values())
        return sorted(w for w in words if self.knows(w) and not self.analyzer.is_number(w))

    @property
    def documents(self) -> list[Document]:
        return self.corpus.documents

    def document(self, doc_id: str) -> Document | None:
        return self._documents.get(doc_id)

    def paragraph(self, number: int, doc_id: str | None = None) -> Paragraph | None:
        doc = self._documents.get(doc_id) if doc_id else self.corpus.documents[0]
        if doc and 1 <= number <= len(doc.paragraphs):
            return doc.paragraphs[number - 1]
        return None

    def knows(self, word: str) -> bool:
        """Whether the reports mention this (normalised) word or its canonical term."""
        term = self.analyzer.canonical(word)
        if term in self.bm25 or word in self._text or term in self._text:
            return True
        # 电动车: known if report words (电动) and known characters (车) cover it.
        covered = [self._knows_char(c) for c in word]
        for n in (2, 3, 4):
            for i in range(len(word) - n + 1):
                piece = word[i:i + n]
                if self.analyzer.canonical(piece) in self.bm25 or piece in self._text:
                    covered[i:i + n] = [True] * n
        if len(word) > 1 and all(covered):
            return True
        # 进进出出 -> 进出: reduplication adds no meaning.
        single = "".join(c for i, c in enumerate(word) if i == 0 or c != word[i - 1])
        return single != word and self.knows(single)

    def _knows_char(self, char: str) -> bool:
        term = self.analyzer.canonical(char)
        return not term or term in self.bm25

    def _composed(self, word: str) -> bool:
        """厂里, 能带, 进厂: a short word made only of stop words and report words."""
        return len(word) <= 3 and all(self._knows_char(c) for c in word)

    def _unknown_topics(self, word: Word) -> list[str]:
        """The parts of an unknown word that name a topic the reports lack."""
        if self.analyzer.is_number(word.text) or self._composed(word.text):
            return []
        if len(word.text) >= 3:
            # 多大年纪, 今天天气: judge the dictionary words inside a long unknown word.
            parts = [word.text[i:i + n] for n in (2, 3) for i in range(len(word.text) - n + 1)
                     if self.analyzer.frequency(word.text[i:i + n]) and word.text[i:i + n] != word.text]
            if parts:
                return [p for p in parts if self.analyzer.canonical(p) and not self.knows(p)
                        and Word(p, p, self.analyzer.tag(p)).is_topic and not self._composed(p)]
        return [word.text] if word.is_topic else []

    def _correct(self, normalized: str, words: list[Word]) -> tuple[str, dict[str, str]]:
        """Replace homophone typos of report words (收价 → 售价, 小米气车) in the question.

        A candidate is 2-4 characters that overlap a word the reports lack, hold
        no stop word, are not themselves a common word, and sound exactly like
        a word of the reports."""
        fixes: dict[str, str] = {}
        unknown = [False] * len(normalized)
        stop = [False] * len(normalized)
        offset = 0
        for word in words:
            start = normalized.find(word.text, offset)
            offset = start + len(word.text)
            if not word.term:
                stop[start:offset] = [True] * len(word.text)
            elif not self.knows(word.text) and not self.analyzer.is_number(word.text):
                unknown[start:offset] = [True] * len(word.text)
        for size in (4, 3, 2):
            for left in range(len(normalized) - size + 1):
                right = left + size
                window = normalized[left:right]
                if (not any(unknown[left:right]) or any(stop[left:right]) or window in self._text
                        or self.analyzer.frequency(window) >= _COMMON_WORD):
                    continue
                candidate = self._by_pinyin.get(self.analyzer.pinyin(window))
                if candidate and candidate != window:
                    fixes[window] = candidate
                    unknown[left:right] = [False] * size
        for wrong, right in sorted(fixes.items(), key=lambda kv: -len(kv[0])):
            normalized = normalized.replace(wrong, right)
        return normalized, fixes

    def analyze(self, question: str) -> Query:
        normalized = normalize(question)
        words = self.analyzer.words(normalized)
        normalized, fixes = self._correct(normalized, words)
        if fixes:
            words = self.analyzer.words(normalized)
        terms: list[str] = []
        missing: list[str] = []
        unmatched: list[str] = []
        for word in words:
            if not word.term:
                continue
            if self.knows(word.text):
                terms.extend(self.analyzer.expand_terms(word))
            else:
                topics = self._unknown_topics(word)
                missing.extend(m for m in topics if m not in missing)
                if not topics and not self.analyzer.is_number(word.text) and not self._composed(word.text):
                    unmatched.append(word.text)
                terms.extend(t for t in self.analyzer.expand_terms(word) if t in self.bm25)
                if self._composed(word.text):
                    terms.extend(t for t in (self.analyzer.canonical(c) for c in word.text) if t)
        return Query(question, normalized, words, terms, missing, fixes, unmatched)

    def search(self, question: str | Query, k: int = 3) -> list[Hit]:
        query = question if isinstance(question, Query) else self.analyze(question)
        hits = []
        for doc_index, score in self.bm25.top(query.terms, k):
            paragraph = self.paragraphs[doc_index]
            hits.append(Hit(self._documents[paragraph.doc_id], paragraph, score))
        return hits


def build_index(corpus: Corpus, rules: Rules | None = None) -> ReportIndex:
    return ReportIndex(corpus, rules)
