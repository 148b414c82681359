"""Danish counts in words: "1 fil", "2 filer", "1.234 møder" — the one helper every part of arkiv uses.

Danish groups thousands with a full stop and has one plural form beside the singular:
``plural(n, "fil", "filer")`` chooses it (only 1 and -1 are singular: "0 filer").
"""
from __future__ import annotations

# Plural forms that arkiv's own texts use, so that a caller may name the singular only.
PLURALS = {
    "fil": "filer", "linje": "linjer", "møde": "møder", "punkt": "punkter", "dagsordenspunkt": "dagsordenspunkter",
    "resultat": "resultater", "side": "sider", "organ": "organer", "sag": "sager", "person": "personer",
    "mere": "flere", "nyt": "nye", "arbejdsproces": "arbejdsprocesser", "tråd": "tråde", "år": "år",
}


def number(value: int) -> str:
    """1.234 — Danish groups thousands with a full stop (babel agrees, at 20× the cost)."""
    return f"{int(value):,}".replace(",", ".")


def word(count: int, singular: str, plural_form: str | None = None) -> str:
    """The word alone for ``count``: ``word(1, "fil")`` "fil", ``word(3, "fil")`` "filer"."""
    if abs(count) == 1:
        return singular
    if plural_form is None:
        if singular not in PLURALS:
            raise KeyError(f"no plural of {singular!r} known: give it")
        plural_form = PLURALS[singular]
    return plural_form


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """"1 resultat", "1.234 resultater", "Vis 1 mere" (``plural(1, "mere")``), "0 filer"."""
    return f"{number(count)} {word(count, singular, plural_form)}"
