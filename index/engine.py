"""The report index: every paragraph of the loaded reports, ready to search.

Built once per load (``build_index(load_corpus(path))``) and never changed:

* the tokenizer, whose jieba dictionary adds the names and terms each report
  repeats (index.vocabulary) and the words of its knowledge file;
* per paragraph, its normalised text, word terms and bigrams (``ParagraphTerms``),
  which the decision and the quote look up as sets;
* the two BM25 rankings (index.retrieve).

A report's own synonyms (``<report>.rules.toml``) are added to the terms of
that report's paragraphs that hold the word (document expansion), so they
apply to that report alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analyze import Question, analyze
from .corpus import Corpus, Document, Paragraph
from .normalize import normalize
from .retrieve import Candidate, Retriever, rerank
from .rules import Rules, load_rules
from .tokenize import Tokenizer, general_cut, general_frequency, general_tag
from .typos import Homophones
from .vocabulary import recurring_terms

SENTENCE_CACHE = 50_000


@dataclass(frozen=True)
class Hit:
    document: Document
    paragraph: Paragraph
    score: float


@dataclass(frozen=True)
class ParagraphTerms:
    text: str                    # normalised
    words: frozenset[str]        # word terms, with the report's own synonyms
    bigrams: frozenset[str]


class ReportIndex:
    def __init__(self, corpus: Corpus, rules: Rules | None = None) -> None:
        self.corpus = corpus
        self.rules = rules or load_rules(corpus.rules_dir)
        self.paragraphs: list[Paragraph] = corpus.paragraphs
        self._documents = {d.doc_id: d for d in corpus.documents}
        texts = [normalize(p.text) for p in self.paragraphs]
        self.tokenizer = Tokenizer(self.rules, self._report_words(texts))
        word_docs = [self.tokenizer.word_terms(t) for t in texts]
        bigram_docs = [self.tokenizer.bigrams(t) for t in texts]
        self._expand_report_synonyms(texts, word_docs, bigram_docs)
        self.retriever = Retriever(word_docs, bigram_docs)
        self.terms = [ParagraphTerms(t, frozenset(w), frozenset(b))
                      for t, w, b in zip(texts, word_docs, bigram_docs, strict=True)]
        self.chars = frozenset("".join(texts))
        self._homophones: Homophones | None = None     # built at the first question that needs it
        self._sentences: dict[int, list[ParagraphTerms]] = {}

    def _report_words(self, texts: list[str]) -> list[str]:
        """Each report's repeated names and terms, and the words of its knowledge file."""
        stop_chars = frozenset(w for w in self.rules.stopwords if len(w) == 1)
        words: list[str] = []
        for document in self.corpus.documents:
            own = [t for t, p in zip(texts, self.paragraphs, strict=True) if p.doc_id == document.doc_id]
            words += recurring_terms(own, general_cut, lambda w: general_frequency(w) > 0, general_tag, stop_chars)
            words += [normalize(w) for w in document.knowledge.words]
        return list(dict.fromkeys(words))

    def _expand_report_synonyms(self, texts: list[str], word_docs: list[list[str]],
                                bigram_docs: list[list[str]]) -> None:
        """A paragraph holding a word of its report's [synonyms] also holds what readers call it."""
        for position, paragraph in enumerate(self.paragraphs):
            knowledge = self._documents[paragraph.doc_id].knowledge
            for word, variants in knowledge.synonyms:
                if normalize(word) in texts[position]:
                    for variant in map(normalize, variants):
                        word_docs[position] += self.tokenizer.word_terms(variant)
                        bigram_docs[position] += self.tokenizer.bigrams(variant)

    def sentence_terms(self, position: int) -> list[ParagraphTerms]:
        """The terms of each claim (sentence) of a paragraph: computed the first time a question's candidates
        include the paragraph, then kept (up to SENTENCE_CACHE paragraphs; a full cache starts again)."""
        cached = self._sentences.get(position)
        if cached is None:
            paragraph = self.paragraphs[position]
            texts = [normalize(c.text) for c in paragraph.claims] or [self.terms[position].text]
            cached = [ParagraphTerms(t, frozenset(self.tokenizer.word_terms(t)),
                                     frozenset(self.tokenizer.bigrams(t))) for t in texts]
            if len(self._sentences) >= SENTENCE_CACHE:
                self._sentences.clear()
            self._sentences[position] = cached
        return cached

    # -- what the index holds ---------------------------------------------
    @property
    def documents(self) -> list[Document]:
        return list(self._documents.values())

    def document(self, doc_id: str) -> Document | None:
        return self._documents.get(doc_id)

    def paragraph(self, number: int, doc_id: str | None = None) -> Paragraph | None:
        doc_id = doc_id or (self.paragraphs[0].doc_id if self.paragraphs else "")
        document = self._documents.get(doc_id)
        if document is None or not 1 <= number <= len(document.paragraphs):
            return None
        return document.paragraphs[number - 1]

    @property
    def examples(self) -> list[str]:
        """Example questions: the reports' own (knowledge files), else those of the rule files."""
        own = [e for d in self.documents for e in d.knowledge.examples]
        return own or list(self.rules.examples)

    # -- searching --------------------------------------------------------
    def analyze(self, question: str) -> Question:
        """The question's analysis, analysed again with its typos read as the library's words (index.typos)
        when a content word the library does not hold turns out to be one."""
        analysed = analyze(question, self.tokenizer, self.rules.intents)
        words = [(w.text, bool(w.term)) for w in analysed.words]
        if not any(term and not self._holds(text) for text, term in words):
            return analysed
        fixes = self.homophones.correct(words, self._holds, lambda w: general_frequency(w) > 0)
        return analyze(question, self.tokenizer, self.rules.intents, fixes) if fixes else analysed

    @property
    def homophones(self) -> Homophones:
        """The library's words by sound (index.typos); built once, when a question first has an unknown word."""
        if self._homophones is None:
            self._homophones = Homophones(self.retriever.words.doc_freq)
        return self._homophones

    def _holds(self, text: str) -> bool:
        """Whether some paragraph may hold ``text``: every one of its bigrams occurs in the library."""
        return all(g in self.retriever.bigrams for g in self.tokenizer.bigrams(text))

    def candidates(self, question: Question, k: int) -> list[Candidate]:
        """The k best paragraphs for a question, best first (index.retrieve)."""
        return rerank(question, self.retriever.search(question, k), self.terms, self.sentence_terms)

    def search(self, question: str | Question, k: int = 3) -> list[Hit]:
        query = question if isinstance(question, Question) else self.analyze(question)
        hits = []
        for candidate in self.candidates(query, k):
            paragraph = self.paragraphs[candidate.position]
            hits.append(Hit(self._documents[paragraph.doc_id], paragraph, candidate.score))
        return hits


def build_index(corpus: Corpus, rules: Rules | None = None) -> ReportIndex:
    return ReportIndex(corpus, rules)
