"""Shared pytest fixtures.

``realworld_dir``: the real minutes of other bodies in ../shared/realworld.  They
are read from there, never copied.  Where the folder is absent the tests skip
with a visible reason, unless ARKIV_REQUIRE_REALWORLD=1 (set by .ci/run), which
turns the skip into a failure.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "minutes" / "2018-06-20_personlig-medicin-bestyrelse_6-moede.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _realworld_dir() -> Path:
    env = os.environ.get("ARKIV_REALWORLD")
    return Path(env) if env else ROOT.parent / "shared" / "realworld"


@pytest.fixture(scope="session")
def realworld_dir() -> Path:
    path = _realworld_dir()
    if not path.is_dir():
        message = f"real-world minutes not found at {path} (set ARKIV_REALWORLD)"
        if os.environ.get("ARKIV_REQUIRE_REALWORLD") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def shared_ocr_cache(tmp_path_factory) -> Path:
    """One OCR cache for the session's ingests of the real corpus (tests/test_corpus.py and
    tests/test_ocr.py both ingest its scans): whichever runs first reads the pages by OCR,
    the other finds them in the cache, as `arkiv reindex` would.  Link it as a home's ``ocr``.
    Under pytest-xdist the workers of one run share it (their temporary folders have one parent);
    the cache writes each file atomically."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = tmp_path_factory.getbasetemp().parent / "ocr-cache"
        shared.mkdir(exist_ok=True)
        return shared
    return tmp_path_factory.mktemp("ocr-cache")


def use_ocr_cache(home: Path, cache: Path) -> None:
    """Let the archive at ``home`` keep its OCR results in ``cache``."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "ocr").symlink_to(cache, target_is_directory=True)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


# -- web: a real archive (store + tantivy index on disk) and the Flask app over it ----------

WEB_FIXTURES = FIXTURES / "web"


def web_minutes() -> list[Path]:
    """What the web tests ingest: the seed, the fictional fixtures, the web's own fictional minutes."""
    files = sorted((ROOT / "data" / "minutes").glob("*.txt"))
    for folder in (FIXTURES / "minutes", WEB_FIXTURES):
        if folder.is_dir():
            files += sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    return files


# -- PostgreSQL: a throwaway cluster per test process (benchmark.pgcluster) ---------------------

def _memory_folder() -> Path | None:
    """A new folder in memory (tmpfs) for a throwaway cluster, where there is one: its databases
    are created, written and deleted many times a run, and nothing in them must survive."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        return None
    import uuid

    return shm / f"arkiv-pg-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL 15 cluster of this test process (each pytest-xdist worker starts its own),
    stopped and deleted at the end.  Without PostgreSQL the tests that need it skip, unless
    ARKIV_REQUIRE_POSTGRES=1 (set by .ci/run), which turns the skip into a failure."""
    from benchmark import pgcluster

    if not pgcluster.available():
        message = f"PostgreSQL 15 is not installed ({pgcluster.BIN}); `make test` installs postgresql-15"
        if os.environ.get("ARKIV_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    cluster = pgcluster.Cluster.create({**pgcluster.THROWAWAY, "max_connections": "300"}, base=_memory_folder())
    yield cluster
    from archive.store.db import close_pools

    close_pools()
    cluster.stop()


@pytest.fixture(scope="session")
def new_database(pg_cluster):
    """``new_database(name)``: the URL of a new, empty database in the cluster."""
    made = iter(range(1, 10**6))

    def make(name: str = "arkiv") -> str:
        return pg_cluster.create_database(f"{name}_{next(made)}")
    return make


@dataclass
class Archive:
    """An archive for tests: its home and, for the PostgreSQL backend, its database."""
    home: Path
    database: str | None = None

    @property
    def backend(self) -> str:
        return "postgres" if self.database else "tantivy"

    def settings(self):
        """The machine's defaults for this archive (the tests' environment is not asked)."""
        from archive.settings import Settings

        return Settings.defaults(self.home, self.database)

    def store(self):
        from arkiv.backend import open_store

        return open_store(self.settings())

    def engine(self):
        from arkiv.backend import open_engine

        store = self.store()
        try:
            return open_engine(store, self.settings())
        finally:
            store.close()

    def config(self, **extra: Any) -> dict[str, Any]:
        """create_app's configuration for this archive."""
        return {"TESTING": True, "ARKIV_HOME": str(self.home), "DATABASE_URL": self.database, **extra}


BACKENDS = ("tantivy", "postgres")


def make_archive(backend: str, home: Path, new_db=None, name: str = "arkiv") -> Archive:
    """An empty archive of ``backend`` at ``home`` (``new_db``: the new_database fixture)."""
    return Archive(home, new_db(name) if backend == "postgres" else None)


def empty_engine(request, backend: str, chain: str = "danish"):
    """A new, empty engine of ``backend`` (``request``: the asking fixture's, for the cluster)."""
    if backend == "postgres":
        from index.engine_pg import PgEngine

        return PgEngine(request.getfixturevalue("new_database")("ix"), chain=chain)
    from index.engine_tantivy import TantivyEngine

    return TantivyEngine(request.getfixturevalue("tmp_path_factory").mktemp("ix"), chain=chain)


def engine_over(corpus):
    """A module's ``engine`` fixture: one engine per backend holding ``corpus()`` (hand-built meetings)."""
    @pytest.fixture(scope="module", params=BACKENDS)
    def engine(request):
        e = empty_engine(request, request.param)
        e.update(corpus())
        yield e
        e.close()

    return engine


def ingest_into(archive: Archive, files: list[Path]):
    """``files`` ingested into ``archive`` with the real ingest; its report (none may fail)."""
    from archive.ingest import ingest

    store = archive.store()
    try:
        report = ingest(files, store, archive.engine())
    finally:
        store.close()
    failed = [r.message for r in report.failed]
    assert not failed, f"fixture minutes failed to ingest: {failed}"
    return report


@pytest.fixture(scope="session")
def archive_home(tmp_path_factory) -> Path:
    """A session-wide archive home with the web's minutes ingested (SQLite store, tantivy index on disk)."""
    home = tmp_path_factory.mktemp("arkiv-home")
    ingest_into(Archive(home), web_minutes())
    return home


@pytest.fixture(scope="session", params=BACKENDS)
def archive(request, archive_home, tmp_path_factory) -> Archive:
    """The web's minutes ingested, once per backend: the search and web tests run against both
    engines (tantivy in the home; PostgreSQL in a database of the test process's cluster)."""
    if request.param == "tantivy":
        return Archive(archive_home)
    made = make_archive("postgres", tmp_path_factory.mktemp("arkiv-home-pg"), request.getfixturevalue("new_database"),
                        "web")
    ingest_into(made, web_minutes())
    return made


@pytest.fixture(scope="session")
def app(archive):
    """The public site (`arkiv serve --public`) as an anonymous visitor sees it."""
    from web import create_app

    return create_app(archive.config(PUBLIC=True))


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session", params=BACKENDS)
def private_archive(request, tmp_path_factory) -> Archive:
    """An archive with an editor, a reader, a closed item and an internal meeting (tests/helpers_auth.py),
    once per backend.  Read-only for the tests that share it; tests that change an archive make their own."""
    from helpers_auth import make_private_archive

    new_db = request.getfixturevalue("new_database") if request.param == "postgres" else None
    made = make_archive(request.param, tmp_path_factory.mktemp("arkiv-private"), new_db, "private")
    make_private_archive(made)
    return made


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


# --- benchmark/robustness tests: `benchmark` importable, hypothesis profiles ----------
# HYPOTHESIS_PROFILE=ci runs thousands of examples per property; the default is quick.
import sys as _sys  # noqa: E402

if str(ROOT) not in _sys.path:
    _sys.path.insert(0, str(ROOT))

try:
    from hypothesis import HealthCheck as _HC  # noqa: E402
    from hypothesis import settings as _hsettings

    _hsettings.register_profile("ci", max_examples=3000, deadline=None, derandomize=True,
                                suppress_health_check=[_HC.too_slow, _HC.data_too_large])
    _hsettings.register_profile("default", max_examples=200, deadline=None,
                                suppress_health_check=[_HC.too_slow])
    _hsettings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
except ImportError:  # hypothesis is a test extra
    pass


class ParsedPage:
    """A rendered HTML page, parsed with the standard library (no extra dependency)."""

    def __init__(self, text: str):
        from html.parser import HTMLParser

        self.text = text
        self.elements: list[tuple[str, dict[str, str]]] = []   # (tag, attrs) in document order
        self.links: list[tuple[str, str, dict[str, str]]] = []  # (href, text, attrs)
        self.script_bodies: list[str] = []
        page = self

        class Parser(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.open_links: list[tuple[dict[str, str], list[str]]] = []
                self.in_script = False

            def handle_starttag(self, tag, attrs):
                attrs_d = {k: (v or "") for k, v in attrs}
                page.elements.append((tag, attrs_d))
                if tag == "a":
                    self.open_links.append((attrs_d, []))
                if tag == "script":
                    self.in_script = True
                    page.script_bodies.append("")

            def handle_endtag(self, tag):
                if tag == "a" and self.open_links:
                    attrs_d, parts = self.open_links.pop()
                    page.links.append((attrs_d.get("href", ""), " ".join("".join(parts).split()), attrs_d))
                if tag == "script":
                    self.in_script = False

            def handle_data(self, data):
                for _attrs, parts in self.open_links:
                    parts.append(data)
                if self.in_script:
                    page.script_bodies[-1] += data

        Parser().feed(text)

    def find_all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        out = []
        for t, a in self.elements:
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items()):
                out.append(a)
        return out

    def link(self, text: str, cls: str | None = None) -> str:
        """The href of the first link whose text contains ``text`` (and has class ``cls``)."""
        for href, link_text, attrs in self.links:
            if text in link_text and (cls is None or cls in attrs.get("class", "").split()):
                return href
        raise AssertionError(f"no link {text!r} (class {cls!r}) on the page")


@pytest.fixture()
def parse_html():
    return ParsedPage


@pytest.fixture(scope="session")
def seed_meeting(archive):
    """The seed's meeting (6. møde, 20 June 2018) as stored."""
    import datetime as dt

    store = archive.store()
    try:
        found = [m for m in store.iter_meetings() if m.date == dt.date(2018, 6, 20)]
    finally:
        store.close()
    assert len(found) == 1, "the seed meeting of 2018-06-20 was not ingested"
    return found[0]


@pytest.fixture(scope="session")
def seed_items(seed_meeting):
    """item number ("47/18") → item id of the seed meeting."""
    return {item.number: item.id for item in seed_meeting.items}


class Inbox:
    """The test SMTP server's handler (aiosmtpd): every message it is given, parsed."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email.policy import default as default_policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"


@pytest.fixture()
def smtp():
    """A real SMTP server on a free loopback port: (its Inbox, smtp://127.0.0.1:PORT)."""
    controller_module = pytest.importorskip("aiosmtpd.controller")
    from helpers_serve import free_port

    inbox = Inbox()
    port = free_port()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


def pytest_terminal_summary(terminalreporter):
    """What a test measured and recorded as ``record_property("report", text)`` (the outcome
    figures of tests/test_corpus.py) is printed after the run, from pytest-xdist's workers too."""
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        for name, value in getattr(report, "user_properties", ()):
            if name == "report" and report.when == "call":
                terminalreporter.write_sep("-", report.nodeid.split("::")[-1])
                terminalreporter.write_line(str(value))


# -- the fast loop stays fast: a test whose call takes more than a few seconds is marked slow ----
# Measured in CPU time (this process and the children it waited for: the CLI's subprocesses,
# Tesseract), which the machine's load hardly changes, or else in wall time past a generous
# bound (work done by a server, such as PostgreSQL, is not this process's CPU).  An unmarked
# test over either is named with its time, and fails the fast loop (`-m "not slow"`), naming it and its time.  ARKIV_TEST_TIMES=FILE writes every
# test's times there (tab-separated: nodeid, CPU s, wall s), to measure which to mark.
SLOW_CPU_SECONDS = 3.0
SLOW_WALL_SECONDS = 30.0


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _exempt(item) -> bool:
    if item.get_closest_marker("slow") or item.get_closest_marker("browser"):
        return True
    # Under the CI profile a property runs thousands of examples: its time says nothing then.
    return bool(getattr(getattr(item, "obj", None), "is_hypothesis_test", False)) and \
        os.environ.get("HYPOTHESIS_PROFILE", "default") != "default"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    import time

    wall, cpu = time.perf_counter(), _cpu_seconds()
    yield
    wall, cpu = time.perf_counter() - wall, _cpu_seconds() - cpu
    item.user_properties.append(("times", (round(cpu, 2), round(wall, 2))))
    if not _exempt(item) and (cpu > SLOW_CPU_SECONDS or wall > SLOW_WALL_SECONDS):
        item.user_properties.append(("unmarked_slow", f"{cpu:.1f} s CPU, {wall:.1f} s in all"))


class _SlowCheck:
    """In the process that reports (pytest-xdist's controller too): collect the times."""

    def __init__(self):
        self.unmarked: list[tuple[str, str]] = []
        self.times: list[tuple[str, float, float]] = []

    def pytest_runtest_logreport(self, report):
        if report.when != "call":
            return
        for name, value in getattr(report, "user_properties", ()):
            if name == "unmarked_slow":
                self.unmarked.append((report.nodeid, value))
            elif name == "times":
                self.times.append((report.nodeid, *value))

    def pytest_terminal_summary(self, terminalreporter):
        if self.unmarked:
            terminalreporter.write_sep("=", "tests over the fast loop's bound without @pytest.mark.slow", red=True)
            for nodeid, value in sorted(self.unmarked):
                terminalreporter.write_line(f"{nodeid}: {value}")

    def pytest_sessionfinish(self, session):
        path = os.environ.get("ARKIV_TEST_TIMES")
        if path:
            with open(path, "w", encoding="utf-8") as out:
                for nodeid, cpu, wall in sorted(self.times, key=lambda t: -t[1]):
                    out.write(f"{nodeid}\t{cpu}\t{wall}\n")
        # Only the fast loop (a run that leaves slow tests out) fails on an unmarked slow test: the
        # full run, on CI's machine of unknown speed, reports them and goes on.
        fast_loop = "not slow" in (session.config.getoption("markexpr", "") or "")
        if self.unmarked and fast_loop and session.exitstatus == 0:
            session.exitstatus = 1


def pytest_configure(config):
    if not hasattr(config, "workerinput"):          # the controller (or a run without workers)
        config.pluginmanager.register(_SlowCheck(), "arkiv-slow-check")
