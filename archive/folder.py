"""What a user can say about a whole folder of minutes: a small ``arkiv.toml`` in it.

    # arkiv.toml — holds for every file in this folder and its subfolders
    body = "Ejerforeningen Øresund Strandpark, Etape II"
    skip = ["*udkast*", "bilag_*.pdf"]        # file names that are not minutes

The nearest file wins: one in a subfolder overrides its parent's.  The format
is TOML, read with the standard library (tomllib).  Unknown keys are refused
with a message naming the file, so a typo never goes unnoticed.
"""
from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from archive.errors import ArkivError

METADATA_FILE = "arkiv.toml"
_KEYS = {"body": str, "skip": list}
# Files that sit among minutes but are never minutes: project and licence files.
_NOT_MINUTES = re.compile(r"^(?:readme|license|licence|copying|changelog|changes|contributing|notice|authors|"
                          r"code_of_conduct|security|install)(?:[._-].*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class FolderSettings:
    body: str = ""
    skip: tuple[str, ...] = field(default_factory=tuple)
    source: str = ""                 # the arkiv.toml these came from ("" = none)


@lru_cache(maxsize=256)
def read_settings(path: Path) -> FolderSettings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ArkivError(f"{path}: kan ikke læses ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ArkivError(f"{path}: ikke gyldig TOML ({exc})") from exc
    for key, value in data.items():
        if key not in _KEYS:
            raise ArkivError(f"{path}: ukendt nøgle {key!r} (kendte: {', '.join(_KEYS)})")
        if not isinstance(value, _KEYS[key]) or (key == "skip" and not all(isinstance(v, str) for v in value)):
            raise ArkivError(f"{path}: {key!r} skal være {'tekst' if _KEYS[key] is str else 'en liste af tekster'}")
    return FolderSettings(body=data.get("body", "").strip(), skip=tuple(data.get("skip", ())), source=str(path))


def settings_for(file: Path, roots: tuple[Path, ...]) -> FolderSettings:
    """The nearest arkiv.toml from the file's folder up to (and including) the folder it was found in."""
    folder = file.parent
    while True:
        candidate = folder / METADATA_FILE
        if candidate.is_file():
            return read_settings(candidate)
        if folder in roots or folder.parent == folder:
            return FolderSettings()
        folder = folder.parent


def not_minutes_reason(file: Path, settings: FolderSettings) -> str:
    """Why a file is skipped without reading it, in Danish ("" = it is read)."""
    if _NOT_MINUTES.match(file.name):
        return f"{file.name}: springes over: en projekt- eller licensfil ({file.stem}), ikke et referat"
    for pattern in settings.skip:
        if fnmatch.fnmatch(file.name, pattern):
            return f"{file.name}: springes over: matcher {pattern!r} i {settings.source}"
    return ""
