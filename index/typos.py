"""Homophone typos of the library's own words: 起布价 → 起步价, 动公 → 动工, 海码 → 海马.

Pinyin input methods make the commonest Chinese typo a character of the same
sound.  A window of 2–4 characters of a question is read as a word of the
library when

* the library does not hold the window (one of its bigrams occurs in no paragraph),
* the window is no word of general Chinese itself (jieba's dictionary),
* its toneless pinyin, with the pairs input methods let people confuse merged
  (zh/z, ch/c, sh/s, ang/an, eng/en, ing/in), is that of exactly one word of the
  library.

* it cuts no word the library holds or general Chinese has (吊钟|花: not 钟花).

Longer windows are tried first; a corrected window is not corrected again.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .analyze import Question

_FUZZY_MAP = {"zh": "z", "ch": "c", "sh": "s", "ang": "an", "eng": "en", "ing": "in"}
_FUZZY = re.compile(r"^(zh|ch|sh)|(ang|eng|ing)$")
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
SIZES = (4, 3, 2)


@lru_cache(maxsize=1 << 16)
def sound(text: str) -> str:
    # Imported here: pypinyin's phrase table costs 50 MB and 0.15 s, paid only by a library that meets a typo.
    # We never change its tables, so it need not copy them (its own setting for that).
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin import lazy_pinyin
    return " ".join(_FUZZY.sub(lambda m: _FUZZY_MAP[m.group(0)], s) for s in lazy_pinyin(text))


class Homophones:
    def __init__(self, library_words: Iterable[str]) -> None:
        by_sound: dict[str, str | None] = {}
        for word in sorted(set(library_words)):
            if _CJK_WORD.match(word):
                key = sound(word)
                by_sound[key] = word if by_sound.get(key, word) == word else None   # None: two words sound alike
        self._by_sound = {k: w for k, w in by_sound.items() if w is not None}

    def correct(self, words: list[tuple[str, bool]], held: Callable[[str], bool],
                is_word: Callable[[str], bool]) -> dict[str, str]:
        """{typo: library word} for a question given as its words in order, each with whether it is a content
        word (not a stop word).  ``held(text)`` tells a text the library holds, ``is_word`` a word of general
        Chinese.  A window lies within content words, overlaps one the library does not hold, and cuts no
        held word in two."""
        text = "".join(w for w, _ in words)
        content, unknown, cut_ok = [False] * len(text), [False] * len(text), [True] * (len(text) + 1)
        at = 0
        for word, is_content in words:
            span = range(at, at + len(word))
            for i in span:
                content[i] = is_content
                unknown[i] = is_content and not held(word)
            if is_content and (held(word) or (len(word) > 1 and is_word(word))):
                for i in range(at + 1, at + len(word)):
                    cut_ok[i] = False          # no window edge inside a word the library holds or Chinese has
            at += len(word)
        fixes: dict[str, str] = {}
        for size in SIZES:
            for left in range(len(text) - size + 1):
                right = left + size
                window = text[left:right]
                if (not all(content[left:right]) or not any(unknown[left:right]) or not cut_ok[left]
                        or not cut_ok[right] or not _CJK_WORD.match(window) or held(window) or is_word(window)):
                    continue
                correction = self._by_sound.get(sound(window))
                if correction and correction != window:
                    fixes[window] = correction
                    content[left:right] = [False] * size      # corrected once
        return fixes


def content_runs(question: Question) -> list[str]:
    """The question's content words of two or more characters, with runs of single-character ones joined."""
    runs: list[str] = []
    single = ""
    for word in question.words:
        if word.term and len(word.text) == 1:
            single += word.text
            continue
        runs.append(single)
        single = ""
        if word.term:
            runs.append(word.text)
    runs.append(single)
    return [run for run in runs if len(run) > 1]
