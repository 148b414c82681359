"""arkiv's configuration: where the archive lives, and every limit in one table.

Home: ``--home DIR``, else ``$ARKIV_HOME``, else the XDG data dir.

Limits (:data:`SETTINGS`): each is an environment variable ``ARKIV_<NAME>`` and an
option ``--<name>`` of the commands it concerns (``archive.cli`` makes the options
from this table and passes them on as the environment variable, so gunicorn's
worker processes and ingest's parse workers see the same values).  Without either,
the default is sized for the machine: its cores and its memory.
"""
from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .errors import ArkivError


def default_home() -> Path:
    env = os.environ.get("ARKIV_HOME")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "arkiv"


def resolve_home(home: str | os.PathLike | None = None) -> Path:
    path = Path(home).expanduser() if home else default_home()
    return path.resolve()


# --------------------------------------------------------------------------- the machine
def cores() -> int:
    """Cores this process may run on (a container's limit, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def memory_mib() -> int:
    """Physical memory in MiB (4096 when the system does not say)."""
    try:
        return max(1, os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20)
    except (ValueError, OSError, AttributeError):
        return 4096


# --------------------------------------------------------------------------- the table
class ConfigError(ArkivError):
    """A configuration value (environment variable or option) that cannot be used."""


@dataclass(frozen=True)
class Setting:
    name: str                          # option --<name>; environment ARKIV_<NAME>
    help: str                          # Danish, shown by --help and in README
    default: Callable[[], int | str | None]
    commands: tuple[str, ...]          # the `arkiv` commands that take the option
    minimum: int = 1                   # for whole numbers
    kind: type = int
    env_name: str = ""                 # when the variable is not ARKIV_<NAME>

    @property
    def env(self) -> str:
        return self.env_name or "ARKIV_" + self.name.upper().replace("-", "_")


def _workers() -> int:
    return cores()


def _postings_cache_mib() -> int:
    # An eighth of the memory, shared by the server's workers; at most 384 MiB each
    # (the 100k-item benchmark's whole working set fits in less).
    return max(32, min(384, memory_mib() // (8 * get_int("workers"))))


def _analysis_cache() -> int:
    # Nine memoised word caches (analysis, compounds, highlighting) of ~200 bytes an
    # entry: 200,000 entries each from 8 GiB of memory, fewer below.
    return max(20_000, min(200_000, memory_mib() * 25))


def _parse_workers() -> int:
    return max(1, min(4, cores()))


SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("workers", "Serverens arbejdsprocesser (standard: én pr. kerne).", _workers, ("serve",)),
    Setting("threads", "Tråde pr. arbejdsproces.", lambda: 4, ("serve",)),
    Setting("postings-cache-mb", "Hukommelse (MiB) pr. proces til søgeindeksets ordlister "
            "(standard: en ottendedel af maskinens hukommelse delt mellem arbejdsprocesserne, "
            "højst 384).", _postings_cache_mib, ("serve", "search")),
    Setting("analysis-cache", "Antal ord i hver af sprogbehandlingens huskelister "
            "(standard: 25 pr. MiB hukommelse, 20.000-200.000).", _analysis_cache,
            ("serve", "search", "ingest", "reindex"), minimum=100),
    Setting("parse-workers", "Processer, der læser og opdeler filer under indlæsning "
            "(standard: én pr. kerne, højst 4).", _parse_workers, ("ingest",)),
    Setting("ocr-jobs", "Sider, som OCR læser på én gang (standard: én pr. kerne).", cores,
            ("ingest", "reindex")),
    Setting("database", "PostgreSQL-databasen (postgresql://…), der holder møder, originaler, brugere og "
            "søgeindeks, så flere maskiner deler arkivet; uden den: SQLite og Whoosh i arkivets mappe.",
            lambda: None, (), kind=str, env_name="ARKIV_DATABASE_URL"),
    Setting("public-url", "Den offentlige adresse (fx https://arkiv.example.dk) til permalinks, "
            "citater og feeds; uden den bruges forespørgslens Host-header.", lambda: None,
            ("serve",), kind=str),
)}


def parse(setting: Setting, raw: str) -> int | str:
    """A setting's value from text (an environment variable or an option)."""
    raw = raw.strip()
    if setting.kind is str:
        if setting.name == "public-url":
            return public_url(raw, setting.env)
        if setting.name == "database":
            return database_url(raw, setting.env)
        return raw
    if not raw.isdigit():
        raise ConfigError(f"{setting.env}: {raw!r} er ikke et helt tal")
    value = int(raw)
    if value < setting.minimum:
        raise ConfigError(f"{setting.env}: skal være mindst {setting.minimum}, ikke {value}")
    return value


def public_url(raw: str, name: str = "ARKIV_PUBLIC_URL") -> str:
    """A base URL for permalinks: http(s), a host, no query or fragment; no trailing /."""
    parts = urllib.parse.urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"{name}: {raw!r} er ikke en adresse som https://arkiv.example.dk")
    return raw.rstrip("/")


def database_url(raw: str, name: str = "ARKIV_DATABASE_URL") -> str:
    """A PostgreSQL connection URL (libpq's postgresql:// form)."""
    if urllib.parse.urlsplit(raw).scheme not in ("postgresql", "postgres"):
        raise ConfigError(f"{name}: {raw!r} er ikke en PostgreSQL-adresse som postgresql://bruger@vært/arkiv")
    return raw


def get(name: str) -> int | str | None:
    """A setting's value: its environment variable, else its default for this machine."""
    setting = SETTINGS[name]
    raw = os.environ.get(setting.env)
    if raw is not None and raw.strip():
        return parse(setting, raw)
    return setting.default()


def get_int(name: str) -> int:
    value = get(name)
    assert isinstance(value, int), name
    return value


@lru_cache(maxsize=1)
def analysis_cache() -> int:
    """Entries of each memoised word cache, fixed when the analysis modules load."""
    return get_int("analysis-cache")


def postings_cache_bytes() -> int:
    return get_int("postings-cache-mb") * 2**20
