"""The answer engine: reports in, cited and tier-labelled answers out.

Pure and synchronous; knows nothing of Telegram.  A pipeline of small stages:

    load and attribute   index.corpus, index.loader (+ index.vocabulary); who says each sentence
                         index.sources (index.speaker_phrase, index.speaker_memory, index.speaker_labels,
                         index.runs_on, index.claims); each report
                         analysed on its own (index.analysis) and kept on disk (index.cache)
    analyse the question index.analyze (index.normalize, index.segment, index.tokenize)
    retrieve             index.retrieve (index.bm25: word and bigram BM25, fused)
    decide               index.decide (does the library answer it?)
    compose              index.compose, index.answer (quotes, sources, follow-ups); the answer line
                         index.extract and index.lines (index.clauses, index.units, index.verdict)

Typical use::

    from index import load_corpus, build_index
    idx = build_index(load_corpus("seeds"))
    idx.search("小米汽车什么时候上市", k=3)
"""

from . import libraries  # noqa: F401  (first: jieba and zhconv without pkg_resources)
from .analyze import Question
from .corpus import Corpus, CorpusError, Document, Paragraph
from .engine import Hit, ReportIndex, build_index
from .loader import load_corpus
from .sources import TIERS, Claim

__all__ = ["TIERS", "Claim", "Corpus", "CorpusError", "Document", "Hit", "Paragraph", "Question",
           "ReportIndex", "build_index", "load_corpus"]
