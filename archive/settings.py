"""arkiv's settings: where the archive lives and every limit, as one frozen object.

:class:`Settings` is built once, at the top (``arkiv.cli`` from its options, ``web.create_app``
from its configuration), from, in this order of precedence: an option ``--<name>``, the
environment variable ``ARKIV_<NAME>``, a default sized for the machine (its cores and its
memory).  It is then passed down explicitly: to the store and the engine (``arkiv.backend``),
to gunicorn's workers (``web.serve`` hands it to each worker's ``create_app``), to ingest and
its parse worker processes (``archive.ingest``), to the analysis chain's word caches
(``archive.word_caches``).  Nothing reads the environment after that.

Home: ``--home DIR``, else ``$ARKIV_HOME``, else the XDG data dir.
"""
from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from archive.errors import ArkivError


def default_home(env: Mapping[str, str] = os.environ) -> Path:
    given = env.get("ARKIV_HOME")
    if given:
        return Path(given).expanduser()
    xdg = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "arkiv"


def resolve_home(home: str | os.PathLike | None = None, env: Mapping[str, str] = os.environ) -> Path:
    path = Path(home).expanduser() if home else default_home(env)
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


def default_postings_cache_mib(workers: int) -> int:
    # An eighth of the memory, shared by the server's workers; at most 384 MiB each
    # (the 100k-item benchmark's whole working set fits in less).
    return max(32, min(384, memory_mib() // (8 * workers)))


def default_analysis_cache() -> int:
    # Nine memoised word caches (analysis, compounds, highlighting) of ~200 bytes an
    # entry: 200,000 entries each from 8 GiB of memory, fewer below.
    return max(20_000, min(200_000, memory_mib() * 25))


def default_parse_workers() -> int:
    return max(1, min(4, cores()))


def default_parse_memory_mib(workers: int) -> int:
    # Each parse process may take half the memory its share of the machine gives (the
    # workers run side by side), between 512 MiB (every real file here needs < 200) and 2 GiB.
    return max(512, min(2048, memory_mib() // (2 * workers)))


# --------------------------------------------------------------------------- the table
class ConfigError(ArkivError):
    """A configuration value (environment variable or option) that cannot be used."""


@dataclass(frozen=True)
class Setting:
    """One limit: its option, its environment variable, its help and its default."""
    name: str                          # option --<name>; environment ARKIV_<NAME>; Settings.<name_>
    help: str                          # Danish, shown by --help and in README
    default: Callable[[dict[str, Any]], int | str | None]   # from the values resolved before it
    commands: tuple[str, ...]          # the `arkiv` commands that take the option
    minimum: int = 1                   # for whole numbers
    kind: type = int
    env_name: str = ""                 # when the variable is not ARKIV_<NAME>

    @property
    def env(self) -> str:
        return self.env_name or "ARKIV_" + self.name.upper().replace("-", "_")

    @property
    def field(self) -> str:
        """The attribute of :class:`Settings` that holds it."""
        return self.name.replace("-", "_")


# The commands that read files: ingest and reindex, and serve for its upload page.
_PARSING = ("ingest", "reindex", "serve")

# In resolution order: a default may depend on a value before it (the postings cache on workers).
SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("workers", "Serverens arbejdsprocesser (standard: én pr. kerne).", lambda _: cores(), ("serve",)),
    Setting("threads", "Tråde pr. arbejdsproces.", lambda _: 4, ("serve",)),
    Setting("postings-cache-mb", "Hukommelse (MiB) pr. proces til PostgreSQL-søgeindeksets ordlister "
            "(standard: en ottendedel af maskinens hukommelse delt mellem arbejdsprocesserne, "
            "højst 384).", lambda got: default_postings_cache_mib(got["workers"]), ("serve", "search")),
    Setting("analysis-cache", "Antal ord i hver af sprogbehandlingens huskelister "
            "(standard: 25 pr. MiB hukommelse, 20.000-200.000).", lambda _: default_analysis_cache(),
            ("serve", "search", "ingest", "reindex"), minimum=100),
    Setting("parse-workers", "Processer, der læser og opdeler filer under indlæsning "
            "(standard: én pr. kerne, højst 4).", lambda _: default_parse_workers(), ("ingest", "reindex")),
    # Limits of the process that reads one file (archive.sandbox): a hostile or broken file
    # fails alone, with its limit named, instead of holding the archive.
    # 180: real scans need it: the 16-page scan of the labelled set takes 40 s of the reader's own CPU
    # (rendering and reading pages drawn as vector outlines) and Tesseract's processes 42 s more, each
    # process with this limit of its own.  A text PDF or Word file takes under 2 s.  The text, line and
    # page limits below stop the hostile files long before (a CPU-heavy PDF in ~20 s, a 50 MiB text
    # in under 1 s); this limit is the backstop for what burns CPU without producing text.
    Setting("parse-cpu-seconds", "CPU-sekunder, læsningen af én fil må bruge (standard 180).", lambda _: 180,
            _PARSING),
    Setting("parse-memory-mb", "Hukommelse (MiB), læsningen af én fil må bruge (standard: halvdelen af "
            "maskinens hukommelse delt mellem læseprocesserne, 512-2048).",
            lambda got: default_parse_memory_mib(got["parse-workers"]), _PARSING, minimum=64),
    Setting("parse-max-items", "Dagsordenspunkter, én fil højst må give.", lambda _: 1000, _PARSING),
    Setting("parse-max-output-mb", "MB, det læste møde af én fil højst må fylde.", lambda _: 64, _PARSING),
    Setting("parse-max-unzipped-mb", "MB, en Word-fil højst må fylde udpakket.", lambda _: 100, _PARSING),
    # Reading costs grow with a file's text and lines (pdfminer ~20 µs a character, the parser ~5 s
    # of CPU a million characters): these stop a huge file as it is extracted, well inside the CPU
    # limit (1,000,000 characters: ~20 s in pdfminer, ~6 s in the parser).  The largest real minutes
    # here have 30,000 characters, 1,000 lines and 12 pages: a 33-fold margin.
    Setting("parse-max-text-chars", "Tegn tekst, én fil højst må give (standard 1.000.000).",
            lambda _: 1_000_000, _PARSING),
    Setting("parse-max-lines", "Linjer tekst, én fil højst må give (standard 30.000).", lambda _: 30_000,
            _PARSING),
    Setting("parse-max-pages", "Sider, en PDF-fil højst må have (standard 200).", lambda _: 200, _PARSING),
    Setting("ocr-jobs", "Sider, som OCR læser på én gang (standard: én pr. kerne).", lambda _: cores(),
            ("ingest", "reindex")),
    Setting("database", "PostgreSQL-databasen (postgresql://…), der holder møder, originaler, brugere og "
            "søgeindeks, så flere maskiner deler arkivet; uden den: SQLite og tantivy i arkivets mappe.",
            lambda _: None, (), kind=str, env_name="ARKIV_DATABASE_URL"),
    Setting("public-url", "Den offentlige adresse (fx https://arkiv.example.dk) til permalinks, "
            "citater og feeds; uden den bruges forespørgslens Host-header.", lambda _: None,
            ("serve", "alerts", "export"), kind=str),
    Setting("smtp-url", "SMTP-serveren, der sender e-mailadviseringer (fx smtp://localhost:25).", lambda _: None,
            ("alerts", "serve"), kind=str),
    Setting("mail-from", "Afsenderen af e-mailadviseringer (fx arkiv@example.dk).", lambda _: None,
            ("alerts", "serve"), kind=str),
    Setting("alerts-interval", "Sekunder mellem de e-mailadviseringer, serveren selv sender (fx 3600; "
            "standard 0: ingen, send dem med `arkiv alerts send` fra cron).", lambda _: 0, ("serve",),
            minimum=0),
)}


def parse(setting: Setting, raw: str) -> int | str:
    """A setting's value from text (an environment variable or an option)."""
    raw = raw.strip()
    if setting.kind is str:
        if setting.name == "public-url":
            return public_url(raw, setting.env)
        if setting.name == "database":
            return database_url(raw, setting.env)
        if setting.name == "smtp-url" and urllib.parse.urlsplit(raw).scheme != "smtp":
            raise ConfigError(f"{setting.env}: {raw!r} er ikke en SMTP-adresse som smtp://vært:25")
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


@dataclass(frozen=True)
class Settings:
    """Every setting of one run of arkiv, resolved: see the module's docstring."""
    home: Path
    workers: int
    threads: int
    postings_cache_mb: int
    analysis_cache: int
    parse_workers: int
    parse_cpu_seconds: int
    parse_memory_mb: int
    parse_max_items: int
    parse_max_output_mb: int
    parse_max_unzipped_mb: int
    parse_max_text_chars: int
    parse_max_lines: int
    parse_max_pages: int
    ocr_jobs: int
    database: str | None = None
    public_url: str | None = None
    smtp_url: str | None = None
    mail_from: str | None = None
    alerts_interval: int = 0

    @property
    def postings_cache_bytes(self) -> int:
        return self.postings_cache_mb * 2**20

    @classmethod
    def load(cls, home: str | os.PathLike | None = None, env: Mapping[str, str] = os.environ,
             **given: int | str | None) -> Settings:
        """The settings from ``given`` values (options, already parsed; None: not given, by
        :attr:`Setting.field` name), else ``env``'s ARKIV_* variables, else the defaults.
        A bad environment value is a ConfigError naming its variable."""
        unknown = set(given) - {s.field for s in SETTINGS.values()}
        if unknown:
            raise TypeError(f"unknown settings {sorted(unknown)}")
        values: dict[str, Any] = {}
        for setting in SETTINGS.values():
            value = given.get(setting.field)
            if value is None:
                raw = env.get(setting.env)
                value = parse(setting, raw) if raw is not None and raw.strip() else setting.default(values)
            values[setting.name] = value
        return cls(home=resolve_home(home, env), **{SETTINGS[name].field: value for name, value in values.items()})

    @classmethod
    def defaults(cls, home: str | os.PathLike, database: str | None = None) -> Settings:
        """The machine's defaults for the archive at ``home``, whatever the environment says
        (for code that is given no settings, such as a test's ingest)."""
        return cls.load(home, env={}, database=database)
