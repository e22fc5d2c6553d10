"""The answer engine: reports in, cited and tier-labelled answers out.

Pure and synchronous; knows nothing of Telegram.  Typical use::

    from index import load_corpus, build_index
    idx = build_index(load_corpus("seeds"))
    idx.search("小米汽车什么时候上市", k=3)
"""

from .corpus import Corpus, CorpusError, Document, Paragraph
from .engine import Hit, Query, ReportIndex, build_index
from .loader import load_corpus
from .sources import TIERS, Claim

__all__ = ["TIERS", "Claim", "Corpus", "CorpusError", "Document", "Hit", "Paragraph", "Query",
           "ReportIndex", "build_index", "load_corpus"]
