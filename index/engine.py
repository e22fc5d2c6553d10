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
        self._text = "\n".join(normalize(p.text) for p in self.paragraphs)
        self._by_pinyin: dict[str, str] = {}
        for word in self._vocabulary():
            self._by_pinyin.setdefault(self.analyzer.pinyin(word), word)

    def _vocabulary(self) -> list[str]:
        words: set[str] = set()
        for paragraph in self.paragraphs:
            words.update(w for w in self.analyzer._jieba.cut(normalize(paragraph.text)) if len(w) > 1)
        words.update(w for w in self.analyzer.synonyms if len(w) > 1 and w in self._text)
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
        return (term in self.bm25 or word in self._text or term in self._text
                or any(t in self.bm25 for t in self.analyzer.expand_terms(Word(word, term, ""))
                       if len(t) > 1))

    def _correct(self, normalized: str, words: list[Word]) -> tuple[str, dict[str, str]]:
        """Replace homophone typos of report words (收价 → 售价) in the question."""
        fixes: dict[str, str] = {}
        offset = 0
        spans = []
        for word in words:
            start = normalized.find(word.text, offset)
            offset = start + len(word.text)
            if word.term and not self.knows(word.text) and not self.analyzer.is_number(word.text):
                spans.append((start, offset))
        for start, end in spans:
            done = False
            for size in (4, 3, 2):
                for left in range(max(0, start - size + 1), min(end, len(normalized) - size + 1)):
                    window = normalized[left:left + size]
                    if left + size <= start or window in self._text:
                        continue
                    candidate = self._by_pinyin.get(self.analyzer.pinyin(window))
                    if candidate and candidate != window:
                        fixes[window] = candidate
                        done = True
                        break
                if done:
                    break
        for wrong, right in fixes.items():
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
        for word in words:
            if not word.term:
                continue
            if self.knows(word.text):
                terms.extend(self.analyzer.expand_terms(word))
            elif word.is_topic and not self.analyzer.is_number(word.text):
                missing.append(word.text)
        return Query(question, normalized, words, terms, missing, fixes)

    def search(self, question: str | Query, k: int = 3) -> list[Hit]:
        query = question if isinstance(question, Query) else self.analyze(question)
        hits = []
        for doc_index, score in self.bm25.top(query.terms, k):
            paragraph = self.paragraphs[doc_index]
            hits.append(Hit(self._documents[paragraph.doc_id], paragraph, score))
        return hits


def build_index(corpus: Corpus, rules: Rules | None = None) -> ReportIndex:
    return ReportIndex(corpus, rules)
