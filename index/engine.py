"""The report index: every paragraph of the loaded reports, ready to search.

Assembled from the reports' analyses (index.analysis: each report's attributed
paragraphs, its own words and its paragraphs' terms, possibly read from the
disk cache, index.cache) and never changed:

* the tokenizer for questions, whose jieba dictionary holds the rule files'
  words and every report's own words;
* the two BM25 rankings over the reports' paragraph terms joined (index.retrieve);
* per paragraph its normalised text; its word terms and bigrams as sets
  (``ParagraphTerms``, which the decision and the quote look up) are made from
  the rankings' counts when a question first needs them, so a library of
  thousands of reports does not hold a few hundred set objects per paragraph.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .analysis import ReportAnalysis, analyse
from .analyze import Question, analyze
from .bm25 import TermCounts
from .corpus import Corpus, Document, Paragraph
from .normalize import normalize
from .retrieve import RERANK_KINDS, Candidate, Retriever, rerank, stated_kinds
from .roles import role_names
from .rules import Rules, load_rules
from .tokenize import Tokenizer, general_frequency
from .typos import Homophones, content_runs
from .units import asked_unit

SENTENCE_CACHE = 50_000
TERMS_CACHE = 50_000


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


class _TermSets(Sequence[ParagraphTerms]):
    """Each paragraph's ParagraphTerms, made from the rankings' counts the first time it is asked for and kept
    (up to TERMS_CACHE paragraphs; a full cache starts again)."""

    def __init__(self, texts: list[str], words: TermCounts, bigrams: TermCounts) -> None:
        self._texts, self._words, self._bigrams = texts, words, bigrams
        self._made: dict[int, ParagraphTerms] = {}

    def __len__(self) -> int:
        return len(self._texts)

    def __getitem__(self, position: int) -> ParagraphTerms:  # type: ignore[override]
        made = self._made.get(position)
        if made is None:
            made = ParagraphTerms(self._texts[position], frozenset(self._words.terms_of(position)),
                                  frozenset(self._bigrams.terms_of(position)))
            if len(self._made) >= TERMS_CACHE:
                self._made.clear()
            self._made[position] = made
        return made


class ReportIndex:
    def __init__(self, analyses: Sequence[ReportAnalysis], rules: Rules, rules_dir: Path,
                 tokenizer: Tokenizer | None = None, retriever: Retriever | None = None) -> None:
        """``tokenizer``: the rules' own (``Tokenizer(rules)``), when the caller has made it already;
        ``retriever``: the one built before over these same analyses in this order (index.cache), if kept."""
        self.analyses = tuple(analyses)        # kept: a reload re-uses those of the reports that did not change
        self.rules = rules
        self.corpus = Corpus([a.document for a in analyses], rules_dir)
        self.paragraphs: list[Paragraph] = self.corpus.paragraphs
        self._documents = {d.doc_id: d for d in self.corpus.documents}
        words: dict[str, int] = {}
        for analysis in analyses:
            words.update(analysis.words)
        self.tokenizer = (tokenizer or Tokenizer(rules)).with_words(words)
        self.retriever = retriever or Retriever(TermCounts.joined([a.word_counts for a in analyses]),
                                                TermCounts.joined([a.bigram_counts for a in analyses]))
        texts = [t for a in analyses for t in a.texts]
        # where each report's paragraphs begin, in index order
        self._report_starts = [0, *itertools.accumulate(len(a.texts) for a in analyses)]
        self.terms = _TermSets(texts, self.retriever.words.counts, self.retriever.bigrams.counts)
        self.chars = frozenset("".join(texts))
        self._homophones: Homophones | None = None     # built at the first question that needs it
        self._sentences: dict[int, list[ParagraphTerms]] = {}

    @cached_property
    def roles(self) -> dict[str, tuple[str, ...]]:
        """The people the library's speaker labels name by a role word (index.roles), read at the first question."""
        return role_names((c.source for p in self.paragraphs for c in p.claims if c.tier != "reporter"),
                          self.tokenizer)

    def report_span(self, position: int) -> tuple[int, int]:
        """The positions [start, end) of the paragraphs of the report that holds paragraph ``position``."""
        at = bisect.bisect_right(self._report_starts, position) - 1
        return self._report_starts[at], self._report_starts[at + 1]

    def sentence_terms(self, position: int) -> list[ParagraphTerms]:
        """The terms of each claim (sentence) of a paragraph: computed the first time a question's candidates
        include the paragraph, then kept (up to SENTENCE_CACHE paragraphs; a full cache starts again)."""
        cached = self._sentences.get(position)
        if cached is None:
            paragraph = self.paragraphs[position]
            cached = [self._claim_terms(normalize(c.text), c.source if c.tier != "reporter" else "")
                      for c in paragraph.claims] or [self._claim_terms(self.terms[position].text, "")]
            if len(self._sentences) >= SENTENCE_CACHE:
                self._sentences.clear()
            self._sentences[position] = cached
        return cached

    def _claim_terms(self, text: str, speaker: str) -> ParagraphTerms:
        """A claim's terms, with those of who says it: 他又指… holds the name its speaker label gives (黄毓民在庭外
        表示… 。他又指…), as a reader asking what 黄毓民 said means it.  (Development news reports: ranking hit@1
        0.7933 → 0.7960, no other source changed.)"""
        said_by = normalize(speaker)
        words = [*self.tokenizer.word_terms(text), *self.tokenizer.word_terms(said_by)]
        return ParagraphTerms(text, frozenset(words),
                              frozenset(self.tokenizer.bigrams(text)) | frozenset(self.tokenizer.bigrams(said_by)))

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
        analysed = analyze(question, self.tokenizer, self.rules.intents, roles=self.roles)
        words = [(w.text, bool(w.term)) for w in analysed.words]
        if not any(term and not self._holds(text) for text, term in words):
            return analysed
        fixes = self.homophones.correct(words, self._holds, lambda w: general_frequency(w) > 0)
        # Two characters of the same sound as a library word happen by chance (涞滩镇 → 探针); three or more seldom.
        fixes = {wrong: right for wrong, right in fixes.items()
                 if len(right) > 2 or self._said_together(right, wrong, analysed)}
        return analyze(question, self.tokenizer, self.rules.intents, fixes, self.roles) if fixes else analysed

    def _said_together(self, right: str, wrong: str, question: Question) -> bool:
        """Whether a paragraph holds the word a typo is read as beside another word of the question (小米汽车 with
        上市), or the question has no other to check: a sound-alike that shares no paragraph with the rest of the
        question (涞滩镇的面积 → 探针) is no reading of it.  By character bigrams, as jieba may cut either
        differently; single characters jieba left on their own count joined (微|博 → 微博)."""
        others = [other for other in content_runs(question) if wrong not in other and other not in wrong]
        if not others:
            return True
        holding = self._paragraphs_holding(right)
        return any(holding & self._paragraphs_holding(other) for other in others)

    def _paragraphs_holding(self, text: str) -> set[int]:
        """The paragraphs holding every character bigram of ``text`` (a single character: that character)."""
        grams = self.tokenizer.bigrams(text)
        bigrams = self.retriever.bigrams
        found = [bigrams.documents_with(g) for g in grams]
        return set(frozenset.intersection(*found)) if found else set()

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
        intents = [self.rules.intents[kind].answer for kind in question.kinds if kind in RERANK_KINDS]
        place = "place" in question.kinds
        unit = asked_unit(question, self)
        return rerank(question, self.retriever.search(question, k), self.terms, self.sentence_terms,
                      lambda text: stated_kinds(text, intents, place, unit))

    def search(self, question: str | Question, k: int = 3) -> list[Hit]:
        query = question if isinstance(question, Question) else self.analyze(question)
        hits = []
        for candidate in self.candidates(query, k):
            paragraph = self.paragraphs[candidate.position]
            hits.append(Hit(self._documents[paragraph.doc_id], paragraph, candidate.score))
        return hits


def build_index(corpus: Corpus, rules: Rules | None = None) -> ReportIndex:
    """The index of a loaded corpus (every report analysed here, no cache; index.loader.load_index uses one)."""
    rules = rules or load_rules(corpus.rules_dir)
    tokenizer = Tokenizer(rules)
    return ReportIndex([analyse(d, tokenizer) for d in corpus.documents], rules, corpus.rules_dir, tokenizer)
