"""The Danish analysis's word caches, sized once per process from ``Settings.analysis_cache``.

Each cache is a ``functools.lru_cache`` (C-fast and thread-safe), whose size is fixed when it
is made.  So :func:`resize` makes every cache anew at the size the settings give and rebinds
the module attribute it lives under.  The top of the house (``arkiv.backend``) calls it once,
before the chain is used; callers reach a cached function through its module
(``lexicon.best_split``), never through a copy of the name, so they see the new cache.
Until then each cache has the machine's default size (``archive.settings``).
"""
from __future__ import annotations

import functools
from functools import lru_cache
from typing import Any, Callable, TypeVar

from archive.settings import default_analysis_cache

T = TypeVar("T")

_size = default_analysis_cache()
_cached: list[tuple[dict[str, Any], str, Callable[..., Any]]] = []


def word_cache(fn: Callable[..., T]) -> functools._lru_cache_wrapper[T]:
    """Memoise ``fn`` (a module-level function) in a cache that :func:`resize` can resize."""
    _cached.append((fn.__globals__, fn.__name__, fn))
    return lru_cache(maxsize=_size)(fn)


def size() -> int:
    """Entries of each word cache (plain-dict memos read it when they fill up)."""
    return _size


def resize(entries: int) -> None:
    """Give every word cache ``entries`` entries (emptied); a no-op at the current size."""
    global _size
    if entries == _size:
        return
    _size = entries
    for namespace, name, fn in _cached:
        namespace[name] = lru_cache(maxsize=entries)(fn)
