"""Names and terms of the loaded reports, found when they are loaded (no rule file names them).

A report repeats its own names: 北汽蓝谷, 郭明錤, 史特拉斯堡, 白车身.  jieba's
dictionary lacks most of them and cuts them into pieces, which then match
unrelated words.  A term is taken from a report when, within that report,

* it is a run of 3–6 Chinese characters that jieba's dictionary cuts into two
  or more pieces, starting and ending where jieba's cut does (so 郭明錤 is a
  candidate in 分析师/郭/明/錤/认为, but 郭明錤认 is not: it splits 认为);
* it occurs at least twice that way (a name said once is rarely asked about by
  name, and chance repeats of longer strings are rare);
* it is maximal: no longer accepted term containing it occurs as often;
* it does not start or end with a stop character (的, 了, 在 …) or with a
  piece jieba tags as a verb, adverb, numeral, pronoun or function word
  (郭明錤认为 ends in 认为, 一位在小米 starts with 一位): a name is made of
  names and nouns.

The terms go into that index's jieba dictionary only; they never reach the
rule files.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

_CJK = re.compile(r"[\u3400-\u9fff]")
MIN_LENGTH, MAX_LENGTH = 3, 6
MIN_COUNT = 2


# jieba tags a term never starts or ends with: verbs, adverbs, numerals, measure words, pronouns,
# prepositions, conjunctions, particles, localisers, time words.
_EDGE_TAGS = ("v", "d", "m", "q", "r", "p", "c", "u", "f", "t", "y", "e", "o", "z", "l", "i")


def _aligned_runs(pieces: list[str], tag: Callable[[str], str]) -> Iterable[str]:
    """Every run of 2+ consecutive Chinese pieces, 3–6 characters long, as a string, whose first and last
    pieces are not of an edge tag (a single unknown character has no tag and may be an edge)."""
    for start in range(len(pieces)):
        if tag(pieces[start]).startswith(_EDGE_TAGS) and tag(pieces[start]) != "vn":
            continue
        text = ""
        for end in range(start, len(pieces)):
            piece = pieces[end]
            if not all(_CJK.match(c) for c in piece):
                break
            text += piece
            if len(text) > MAX_LENGTH:
                break
            last = tag(piece)
            if end > start and len(text) >= MIN_LENGTH and not (last.startswith(_EDGE_TAGS) and last != "vn"):
                yield text


def recurring_terms(paragraphs: Iterable[str], cut: Callable[[str], list[str]], known: Callable[[str], bool],
                    tag: Callable[[str], str], stop_chars: frozenset[str]) -> list[str]:
    """Terms of one report (its normalised paragraphs), in order of first appearance.  ``cut``, ``known``
    and ``tag``: jieba's cut, word test and part-of-speech tag with its general dictionary."""
    counts: Counter[str] = Counter()
    for text in paragraphs:
        counts.update(_aligned_runs(cut(text), tag))
    candidates = [g for g, c in counts.items()
                  if c >= MIN_COUNT and g[0] not in stop_chars and g[-1] not in stop_chars and not known(g)]
    accepted: list[str] = []
    covered: set[str] = set()
    for gram in sorted(candidates, key=len, reverse=True):
        if gram in covered:
            continue
        accepted.append(gram)
        covered.update(gram[i:j] for i in range(len(gram)) for j in range(i + MIN_LENGTH, len(gram) + 1)
                       if counts.get(gram[i:j], 0) <= counts[gram])
    order = {g: i for i, g in enumerate(counts)}
    return sorted(accepted, key=order.__getitem__)
