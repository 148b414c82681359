"""Participants and presenters: "Name, role (note)", wrapped over lines, and "v/Name, role"."""
from __future__ import annotations

import re

from archive.model import Person, Presenter
from archive.text import collapse_spaces

_NAME_WORD = r"(?:[A-ZÆØÅÉÜÖÄ][\wæøåÆØÅéüöä'’.-]*|[A-ZÆØÅ]\.|von|van|de|la|af|du)"
_NAME = re.compile(r"^" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){0,5}$")
_NOTE_START = re.compile(r"^(?:deltog|deltager|deltage|via|fra\s+kl|til\s+kl|gik|kom|afbud|fraværende)",
                         re.IGNORECASE)
_SUBSTITUTE = re.compile(r"i\s+stedet\s+for\s+([^,();]+)", re.IGNORECASE)
_CHAIR_ROLES = {"formand", "forperson", "bestyrelsesformand", "udvalgsformand", "formand for udvalget"}

# Given names as short as "Bo" or "Per": a presenter written as a first name only.
_GIVEN_NAME = re.compile(r"^[A-ZÆØÅ][a-zæøåé]+(?:-[A-ZÆØÅ][a-zæøåé]+)?(?:\s+[A-ZÆØÅ][a-zæøåé]+){0,3}$")


def looks_like_name(text: str) -> bool:
    text = text.strip()
    return 2 <= len(text) <= 60 and bool(_NAME.match(text))


def _paren_depth(text: str) -> int:
    return text.count("(") - text.count(")")


def _starts_person(line: str) -> bool:
    """A new entry is "Name, …": a name before the first comma."""
    head = line.split("(", 1)[0]
    name, comma, _ = head.partition(",")
    return bool(comma) and looks_like_name(name)


def join_wrapped_entries(lines: list[str]) -> list[str]:
    """Re-join entries that a PDF wrapped over several lines.

    A line continues the previous entry while a parenthesis is open, or when it
    does not itself start with "Name," (e.g. "Ældreministeriet", "Absalon").
    A list whose entries have no role at all ("Name" per line) is not wrapped.
    """
    cleaned = [collapse_spaces(r.strip().lstrip("-*•").strip()) for r in lines]
    cleaned = [line for line in cleaned if line]
    if not any("," in line for line in cleaned):
        return cleaned
    entries: list[str] = []
    for line in cleaned:
        if entries and (_paren_depth(entries[-1]) > 0 or not _starts_person(line)):
            entries[-1] = f"{entries[-1]} {line}"
        else:
            entries.append(line)
    return entries


def parse_person(entry: str) -> Person:
    """ "Name, role (note)" → Person.  A parenthesis that is not about attendance is the role."""
    entry = collapse_spaces(entry).rstrip(".;")
    note = ""
    m = re.search(r"\(([^()]*)\)\s*$", entry)
    if m:
        inner = m.group(1).strip()
        entry = entry[:m.start()].strip().rstrip(",")
        if _NOTE_START.match(inner):
            note = inner
        else:
            entry = f"{entry}, {inner}" if "," not in entry else f"{entry} ({inner})"
    name, _, role = entry.partition(",")
    sub = _SUBSTITUTE.search(note)
    return Person(name=name.strip(), role=role.strip(), note=note,
                  substitute_for=sub.group(1).strip() if sub else "")


def parse_people(lines: list[str]) -> list[Person]:
    return [parse_person(e) for e in join_wrapped_entries(lines)]


def is_chair(person: Person) -> bool:
    parts = {p.strip().lower() for p in person.role.split(",")}
    return bool(parts & _CHAIR_ROLES)


def find_chair(people: list[Person]) -> Person | None:
    return next((p for p in people if is_chair(p)), None)


def parse_presenters(text: str) -> list[Presenter]:
    """ "Per Okkels, departementschef i …" or "Agnete / Thor" or "Thor og Agnete"."""
    text = collapse_spaces(text.replace("\n", " ")).strip().rstrip(".")
    if not text:
        return []
    names_part, _, role = text.partition(",")
    names = [n.strip() for n in re.split(r"\s*/\s*|\s+og\s+|\s*&\s*", names_part) if n.strip()]
    if len(names) > 1:
        return [Presenter(name=n) for n in names]
    return [Presenter(name=names_part.strip(), role=role.strip())]


def presenter_names_in_parentheses(text: str) -> tuple[str, list[Presenter]]:
    """Split "Title (Agnete / Thor)" into the title and its presenters.

    Only a parenthesis made of given names counts, so "(MeInWe)" or
    "(arbejdstitel Sikker Selvbetjening)" stay in the title.
    """
    m = re.search(r"\(([^()]+)\)\s*$", text)
    if not m:
        return text, []
    names = [n.strip() for n in re.split(r"\s*/\s*|\s+og\s+|\s*,\s*|\s*&\s*", m.group(1)) if n.strip()]
    if names and all(_GIVEN_NAME.match(n) for n in names):
        return text[:m.start()].rstrip(), [Presenter(name=n) for n in names]
    return text, []


def presenters_after_v(text: str) -> tuple[str, list[Presenter]]:
    """Split "Title v/Agnete" into the title and its presenters."""
    m = re.search(r"(?:^|\s)v/\s*(.+)$", text)
    if not m:
        return text, []
    return text[:m.start()].rstrip(" ,-–"), parse_presenters(m.group(1))
