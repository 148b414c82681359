"""One body, many spellings: which stored body a new meeting's body is.

``body_key`` is what two spellings of one body share; :class:`BodyNames` keeps the
spelling the stored meetings use for each key and gives it to a new one.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterable

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}


# An association's kind, written short or long: "GF", "G/F", "Grundejerforeningen" are one word.
_ORG_KINDS = {"gf": "grundejerforening", "grundejerforeningen": "grundejerforening",
              "ef": "ejerforening", "ejerforeningen": "ejerforening",
              "ab": "andelsboligforening", "andelsboligforeningen": "andelsboligforening"}


def body_key(body: str) -> str:
    """What two spellings of one body share: "EJERFORENINGEN, Øresund Strandpark, Étape 2",
    "E/F Oresund Strandpark Etape II" (case, accents, æøå written as ae/oe/aa or a/o, punctuation,
    roman numbers, an association's kind written short or long)."""
    text = body.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"\b([gea])\s*/\s*([fb])\b", r"\1\2", text)           # "G/F" → "gf"
    text = re.sub(r"aa|ae", "a", text).replace("oe", "o")                   # "Oresund" = "Øresund"
    return " ".join(_ORG_KINDS.get(w, _ROMAN.get(w, w)) for w in re.findall(r"[a-z0-9]+", text))


def _written_short(short: list[str], full: list[str]) -> bool:
    """``short`` is ``full`` with words left out: the same first word, the rest in order."""
    if len(short) >= len(full) or short[0] != full[0]:
        return False
    rest = iter(full[1:])
    return all(word in rest for word in short[1:])


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
            longer = [k for k in self._known if _written_short(words, k.split())]
            if len(longer) == 1:
                return self._known[longer[0]]
        return self._known.setdefault(key, body)
