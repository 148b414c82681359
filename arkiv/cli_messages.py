"""Click's own words — usage lines, section headings, the help option, its error messages — in Danish.

Click marks them for gettext (``from gettext import gettext as _`` in each of its modules) but ships
no Danish catalogue, so ``arkiv`` would answer a mistyped option in English.  :func:`install` points
those modules' ``_`` and ``ngettext`` at the table below; a message missing from it stays as Click
wrote it.
"""
from __future__ import annotations

import importlib

# Click's message ids (from its source) → Danish.  Placeholders are kept as they are.
DANISH = {
    "Usage:": "Brug:",
    "Options": "Tilvalg",
    "Commands": "Kommandoer",
    "Positional arguments": "Argumenter",
    "Show this message and exit.": "Vis denne hjælp og afslut.",
    "Show the version and exit.": "Vis versionen og afslut.",
    "Error: {message}": "Fejl: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' for at få hjælp.",
    "Invalid value: {message}": "Ugyldig værdi: {message}",
    "Invalid value for {param_hint}: {message}": "Ugyldig værdi for {param_hint}: {message}",
    "Missing argument": "Mangler argumentet",
    "Missing option": "Mangler tilvalget",
    "Missing parameter": "Mangler en parameter",
    "Missing parameter: {param_name}": "Mangler parameteren {param_name}",
    "Missing {param_type}": "Mangler {param_type}",
    "Missing command.": "Mangler en kommando.",
    "No such command {name!r}.": "Kommandoen {name!r} findes ikke.",
    "No such option {name!r}.": "Tilvalget {name!r} findes ikke.",
    "Option {name!r} does not take a value.": "Tilvalget {name!r} tager ingen værdi.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tager {nargs} værdier.",
    "{value!r} is not a valid {number_type}.": "{value!r} er ikke et gyldigt tal.",
    "{value!r} is not a valid UUID.": "{value!r} er ikke et gyldigt UUID.",
    "{value} is not in the range {range}.": "{value} er ikke i intervallet {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} findes ikke.",
    "{name} {filename!r} is a file.": "{name} {filename!r} er en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} er en mappe.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan ikke læses.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan ikke skrives.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} kan ikke køres.",
    "Could not open file {filename!r}: {message}": "Kunne ikke åbne filen {filename!r}: {message}",
    "file": "Filen",
    "directory": "Mappen",
    "path": "Stien",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljøvariabel: {var}",
    "required": "skal angives",
    "Aborted!": "Afbrudt!",
    "Repeat for confirmation": "Gentag for at bekræfte",
    "Error: The two entered values do not match.": "Fejl: De to indtastede værdier er ikke ens.",
    "Error: invalid input": "Fejl: ugyldigt input",
    "Do you want to continue?": "Vil du fortsætte?",
    "Confirm the action without prompting.": "Bekræft uden at spørge.",
    "unknown error": "ukendt fejl",
}
DANISH_PLURAL = {
    "Got unexpected extra argument ({args})":
        ("Uventet ekstra argument ({args})", "Uventede ekstra argumenter ({args})"),
    "Option {name!r} requires an argument.":
        ("Tilvalget {name!r} kræver en værdi.", "Tilvalget {name!r} kræver {nargs} værdier."),
    "Did you mean {possibility}?":
        ("Mente du {possibility}?", "(Mente du en af: {possibilities}?)"),
    "{value!r} is not {choice}.":
        ("{value!r} er ikke {choice}.", "{value!r} er ikke en af {choices}."),
    "Takes {nargs} values but 1 was given.":
        ("Tager {nargs} værdier, men 1 blev givet.", "Tager {nargs} værdier, men {len} blev givet."),
}

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


def gettext(message: str) -> str:
    return DANISH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    danish = DANISH_PLURAL.get(singular)
    if danish is None:
        return singular if n == 1 else plural
    return danish[0] if n == 1 else danish[1]


def install() -> None:
    """Click's modules speak Danish from now on (in this process)."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext          # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
