"""Stage 1b: one report analysed on its own, the unit an index of many reports is assembled from.

What a report's analysis holds depends on that report's file (and the
knowledge file beside it), the rule files and the engine's code, and on
nothing else: not on the other reports.  So it can be kept on disk
(index.cache) and a reload analyses only the reports that changed.

* ``document``: its paragraphs, each claim attributed (index.loader);
* ``words``: the names and terms it repeats (index.vocabulary) and the words of
  its knowledge file, with the frequency jieba would give each when added to
  the rules' dictionary (index.tokenize.Tokenizer.new_words).  The index's
  tokenizer for questions knows the words of every report;
* ``word_counts``, ``bigram_counts``: its paragraphs' search terms as counts
  (index.bm25.TermCounts).  Word terms are cut with the rules' dictionary plus
  this report's own words only, and its own synonyms are added to the
  paragraphs that hold the word (document expansion), so they apply to it
  alone;
* ``texts``: its paragraphs' normalised text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .bm25 import TermCounts
from .corpus import Document
from .normalize import normalize
from .tokenize import Tokenizer, general_cut, general_frequency, general_tag
from .vocabulary import recurring_terms


@dataclass(frozen=True)
class ReportAnalysis:
    document: Document
    words: dict[str, int]          # the report's own words -> jieba frequency
    texts: tuple[str, ...]         # normalised paragraph texts
    word_counts: TermCounts
    bigram_counts: TermCounts
    key: str = ""                  # its key in the cache (index.cache), "" when analysed without one


def analyse(document: Document, tokenizer: Tokenizer) -> ReportAnalysis:
    """The analysis of an attributed document, with ``tokenizer``: the rules' (index.tokenize)."""
    texts = tuple(normalize(p.text) for p in document.paragraphs)
    stop_chars = frozenset(w for w in tokenizer.stopwords if len(w) == 1)
    found = recurring_terms(texts, general_cut, lambda w: general_frequency(w) > 0, general_tag, stop_chars)
    words = tokenizer.new_words([*found, *map(normalize, document.knowledge.words)])
    own = tokenizer.with_words(words)
    word_docs = [own.word_terms(t) for t in texts]
    bigram_docs = [own.bigrams(t) for t in texts]
    for position, text in enumerate(texts):
        for word, variants in document.knowledge.synonyms:
            if normalize(word) in text:
                for variant in map(normalize, variants):
                    word_docs[position] += own.word_terms(variant)
                    bigram_docs[position] += own.bigrams(variant)
    return ReportAnalysis(document, words, texts, TermCounts.of(word_docs), TermCounts.of(bigram_docs))
