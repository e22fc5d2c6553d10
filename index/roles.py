"""A report's people by the roles it gives them, learned when it is loaded.

A report introduces someone once with a title (时任特首梁振英, 高等法院法官张慧玲) and then
names them; a reader asks by the role (前特首怎么说, 法官认为…).  Each speaker label
that is a title ending in a role word followed by a personal name gives the role
word that name, for that library alone.  Knowledge of how news names people, not
of any report: nothing here is written down in a rule file.
"""

from __future__ import annotations

from collections.abc import Iterable

from .normalize import normalize
from .speaker_labels import a_personal_name
from .tokenize import Tokenizer

NAME_CHARS = (3, 2, 4)       # a personal name's lengths, the commonest first
MIN_ROLE = 2                 # characters of a role word (特首, 法官; not 长)
MAX_NAMES = 3                # a role given to more people than this in the library names nobody in particular
# The last character of a word for a person's post or trade (局长, 法官, 特首, 分析师, 议员, 发言人, 总监, 教授 …), not
# of an organisation (企业高管: 企业 is no role of 高管).
TITLE_ENDINGS = frozenset("长官首师员人者家理监任席裁事授士督使相帅")


def role_names(labels: Iterable[str], tokenizer: Tokenizer) -> dict[str, tuple[str, ...]]:
    """Role word → the names the library's speaker labels give it ("时任特首梁振英": 特首 → 梁振英)."""
    names: dict[str, list[str]] = {}
    for label in dict.fromkeys(normalize(label) for label in labels):
        for n in NAME_CHARS:
            name, title = label[-n:], label[:-n]
            if len(title) >= MIN_ROLE and a_personal_name(name):
                role = [w.text for w in tokenizer.words(title)][-1]
                if len(role) >= MIN_ROLE and role[-1] in TITLE_ENDINGS and role not in tokenizer.stopwords \
                        and name not in names.get(role, []):
                    names.setdefault(role, []).append(name)
                break
    return {role: tuple(found) for role, found in names.items() if len(found) <= MAX_NAMES}
