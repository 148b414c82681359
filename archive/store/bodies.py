"""One body, many spellings: which stored body a new meeting's body is.

``body_key`` is what two spellings of one body share; :class:`BodyNames` keeps the
spelling the stored meetings use for each key and gives it to a new one.
"""
from __future__ import annotations

from typing import Callable, Iterable

from archive.parse.identity import body_key, written_short

__all__ = ["BodyNames", "body_key"]


class BodyNames:
    """The spellings of bodies the stored meetings use, by ``body_key``: read on first use
    (``load`` gives the stored bodies), then kept up to date by :meth:`canonical`."""

    def __init__(self, load: Callable[[], Iterable[str]]):
        self._load = load
        self._known: dict[str, str] | None = None      # body_key → the spelling in use

    def canonical(self, body: str) -> str:
        """The spelling stored meetings already use for the same body (see ``body_key``).  A name
        of two or more words that is exactly one known body's name written short — its first word
        and then some of its words, in order: "Ef oresund strandpark" (a folder's name) or
        "Ejerforeningen, etape-2" of "Ejerforeningen Øresund Strandpark, Etape II" — is that body's."""
        if self._known is None:
            self._known = {}
            for existing in self._load():
                self._known.setdefault(body_key(existing), existing)
        key = body_key(body)
        words = key.split()
        if key not in self._known and len(words) >= 2:
            longer = [k for k in self._known if written_short(words, k.split())]
            if len(longer) == 1:
                return self._known[longer[0]]
            # … and the other way round: a known name of three or more words that this one writes out
            # ("Ef oresund strandpark" known, "Ejerforeningen Øresund Strandpark etape 2" new).
            shorter = [k for k in self._known if len(k.split()) >= 3 and written_short(k.split(), words)]
            if len(shorter) == 1:
                return self._known[shorter[0]]
        return self._known.setdefault(key, body)
