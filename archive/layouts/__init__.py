"""Layout parsers, one module per known layout of minutes.

Each module has ``NAME``, ``score(lines) -> int`` (how strongly the text shows
the layout's signature; 0 = not this layout) and ``parse(text) -> Meeting``.
"""
from __future__ import annotations

from types import ModuleType

from . import board, markdown_agenda, municipal, numbered

LAYOUTS: tuple[ModuleType, ...] = (board, municipal, markdown_agenda, numbered)


def detect(lines: list[str]) -> ModuleType | None:
    """The layout with the highest score, or None when no layout's signature is present."""
    best, best_score = None, 0
    for layout in LAYOUTS:
        found = layout.score(lines)
        if found > best_score:
            best, best_score = layout, found
    return best
