"""How much of a question a paragraph (or the whole library) holds, word by word.

A content word is held when the paragraph has its search term (or a synonym of
it) or its surface form; otherwise it is held in part, by the share of its
character bigrams the paragraph has (史特拉斯堡 cut differently, 办公大楼 for
办公楼), or by a word of the same meaning in general Chinese (index.related: 谅解 for 原谅), which
counts RELATED_HOLDS.  A question's coverage is the held share of its content words, each
weighted by its general-language rarity (index.analyze).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .analyze import ContentWord, Question

# A paragraph holding a word of the same meaning (index.related) holds the question's word this much.
# Chosen by the decision's cross-validation across sources (bot/fit.py: 0.5, 0.75 and 1.0 tried; 0.75 declined
# the most unanswerable news questions out of fold with the fewest answerable ones declined).
RELATED_HOLDS = 0.75

if TYPE_CHECKING:
    from .engine import ParagraphTerms, ReportIndex


def word_presence(word: ContentWord, terms: ParagraphTerms, related: float = RELATED_HOLDS) -> float:
    """1 if the paragraph holds the word (or its synonym), else the share of its bigrams it holds."""
    if word.term in terms.words or word.text in terms.text:
        return 1.0
    grams = word.grams
    partly = sum(g in terms.bigrams for g in grams) / len(grams) if len(grams) > 1 else 0.0
    if related > partly and any(other in terms.text for other in word.related):
        return related
    return partly


def library_presence(word: ContentWord, index: ReportIndex) -> float:
    """The same, for the library as a whole (from the two rankings' vocabularies)."""
    if word.term in index.retriever.words:
        return 1.0
    grams = word.grams
    if len(grams) == 1 and len(grams[0]) == 1:
        return float(grams[0] in index.chars)
    return sum(g in index.retriever.bigrams for g in grams) / len(grams) if grams else 0.0


def share(values: list[tuple[float, float]]) -> float:
    """Σ weight·held / Σ weight over (weight, held) pairs; 0 when there is no weight."""
    total = sum(weight for weight, _ in values)
    return sum(weight * held for weight, held in values) / total if total else 0.0


def text_share(question: Question, text: str) -> float:
    """The share of the question's content, by rarity, whose words (surface form, search term or one of its
    general synonyms: 批量生产 for 量产) occur in a
    text as written (normalised or aligned): for clauses and claims, which have no search terms of their own."""
    return share([(w.weight, float(mentions(w, text))) for w in question.content])


def mentions(word: ContentWord, text: str) -> bool:
    """Whether a text as written holds the word: its surface form, its search term or a general synonym of it."""
    return word.text in text or word.term in text or any(v in text for v in word.variants)


def coverage(question: Question, terms: ParagraphTerms, related: float = RELATED_HOLDS) -> float:
    return share([(w.weight, word_presence(w, terms, related)) for w in question.content])
