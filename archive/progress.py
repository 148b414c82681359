"""Progress bars on stderr for the long commands (ingest, reindex, check): tqdm, shown only
to someone watching (stderr a terminal) unless the caller says otherwise, so logs, pipes and
cron get no bar characters."""
from __future__ import annotations

import sys
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")


def wanted(show: bool | None) -> bool:
    """``show`` when given (``--progress/--no-progress``), else whether stderr is a terminal."""
    return show if show is not None else sys.stderr.isatty()


def bar(items: Iterable[T], total: int, desc: str, unit: str, show: bool | None = None) -> Iterable[T]:
    """``items`` as they are, or behind a bar that counts them to ``total`` (Danish ``desc``/``unit``)."""
    if not wanted(show):
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, desc=desc, unit=unit, file=sys.stderr)


def counted(items: Iterable[T], total: int, desc: str, unit: str, show: bool | None = None) -> Iterator[T]:
    """:func:`bar` as a generator that closes its bar when the caller stops early or fails."""
    shown = bar(items, total, desc, unit, show)
    try:
        yield from shown
    finally:
        close = getattr(shown, "close", None)
        if close is not None:
            close()
