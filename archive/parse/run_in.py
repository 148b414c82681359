"""A heading that runs on into its item's text: where the title ends and the minutes begin.

"Valg af dirigent: Formanden blev valgt …" (after a colon) and "Valg af revision. Revisorfirmaet blev
genvalgt" (after a first sentence) are a title and its minutes; "Kasserer: foreløbig budget" and
"Kulturkommune 2017. Politiske fokusområder" are titles.  What follows must read as text: a sentence,
a clause with a finite verb, the names elected.
"""
from __future__ import annotations

import re

from archive.parse.lines import ATTENDANCE, words
from archive.parse.verbs import has_finite_verb
from archive.text import sentence_end

# "Lukket: Køb af …", "Fortroligt punkt – …", "(Lukket) …", "… (Lukket punkt)", "… - Lukket"
CLOSED_IN_TITLE = re.compile(r"^(?:Lukket|Fortroligt)(?:\s+punkt)?\s*[:–-]\s*|^(?:Lukket|Fortroligt)\s+punkt\s+"
                              r"|^\((?:Lukket|Fortroligt)(?:\s+punkt)?\)\s*|\s*(?:\((?:Lukket|Fortroligt)"
                              r"(?:\s+punkt)?\)|\s[-–]\s+(?:Lukket|Fortroligt)(?:\s+punkt)?)\s*$", re.IGNORECASE)
# "Valg af dirigent: Formanden blev valgt som dirigent og …": a title and, after its colon, the minutes.
_RUN_IN = re.compile(r"^(?P<head>[^:]{3,60}?):\s+(?P<rest>[A-ZÆØÅ].*)$")


def split_run_in(title: str) -> tuple[str, str]:
    """(title, text) of a heading that runs on into its item's text after a colon.

    Only where what follows the colon reads as text: a sentence of six words or more, or a
    clause that introduces more ("Formanden fremlagde beretningen:"), or who an attendance label names
    ("Fraværende: Ida Holm").  "Beslutningsforslag: [ODR] …", "Kasserer: foreløbig budget" and
    "Lukket: Køb af …" stay titles."""
    m = _RUN_IN.match(title.strip())
    if not m or words(m.group("head")) > 6 or CLOSED_IN_TITLE.match(title.strip()):
        return _run_in_sentence(title)
    rest = m.group("rest").strip()
    sentence = words(rest) >= 6 and bool(re.search(r"[.!?](?:\s|$)", rest))
    attendance = bool(ATTENDANCE.match(m.group("head")) and words(m.group("head")) <= 2)
    clause = (words(rest) >= 2 and has_finite_verb(rest)) or (words(rest) >= 6 and bool(_INFINITIVE.search(rest)))
    if not (sentence or attendance or clause or (rest.endswith(":") and words(rest) >= 3) or _NAMES_ONLY.match(rest)):
        return _run_in_sentence(title)
    return m.group("head").strip(), rest


# "For at undgå problemer som …": an infinitive clause of a sentence that wraps on the next line.
_INFINITIVE = re.compile(r"\b(?i:at)\s+\w+")


# "Kamilla Holm", "Ida og Bo Jensen": who was elected, after "Valg af dirigent:".
_NAMES_ONLY = re.compile(r"^[A-ZÆØÅ][\w'-]*\.?(?:(?:\s+|\s*,\s*|\s+(?:og|&)\s+)[A-ZÆØÅ][\w'-]*\.?){0,5}$")


def _run_in_sentence(title: str) -> tuple[str, str]:
    """(title, text) of a heading whose first sentence is the title and the rest its minutes:
    "Valg af revision. Revisorfirmaet blev genvalgt", "Indkomne forslag. Ingen"."""
    end = sentence_end(title)
    rest = title[end:].strip() if end > 0 else ""
    # only where the rest says what happened ("PWC blev genvalgt", "Ingen") or runs on for sentences,
    # not a subtitle ("2017. Politiske fokusområder")
    if rest and words(title[:end]) <= 10 and (has_finite_verb(rest) or words(rest) == 1 or words(rest) >= 8):
        return title[:end].strip(), rest
    return title, ""
