"""jieba and zhconv, imported without pkg_resources.

Both libraries try ``import pkg_resources`` only to open their own data files,
and open the same files beside their module when that import fails.  Importing
pkg_resources (setuptools) costs about 0.2 s of every start of ``python -m bot``,
a seventh of the time to a first answer, so while they are imported it is
marked missing (a ``None`` in ``sys.modules`` makes an import raise
ImportError); a pkg_resources already imported by someone else is used as is.
"""

from __future__ import annotations

import sys

_BLOCKED = "pkg_resources" not in sys.modules
if _BLOCKED:
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]
try:
    import jieba
    import zhconv
finally:
    if _BLOCKED:
        del sys.modules["pkg_resources"]

__all__ = ["jieba", "zhconv"]
