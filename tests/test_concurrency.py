"""Readers keep working while an ingest commits; two ingests never run at once.

* Several threads search through ``index.search.search`` on one engine, and others through
  the Flask app's ``/api/search``, while an ``arkiv ingest`` subprocess commits several
  index batches: no error, and (a fresh ingest only adds) each reader sees the item count
  grow monotonically.  During an update of existing meetings the count never changes: a
  reader never sees a meeting half replaced.
* A second ingest while one is running fails at once with a clear message naming the
  writer's pid, or waits with ``--wait`` and then succeeds; the archive ends consistent.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from benchmark import generate as G

ROOT = Path(__file__).resolve().parent.parent

# `arkiv ingest` with small index batches (several commits) and an optional pause per file.
SLOW_INGEST = r'''
import os, sys, time
import archive.ingest as ai
ai.INDEX_BATCH_ITEMS = int(os.environ.get("BATCH", "2000"))
pause = float(os.environ.get("PAUSE", "0"))
if pause:
    from archive.store.sqlite import Store
    orig = Store.put_meeting
    def slow(*a, **k):
        time.sleep(pause)
        return orig(*a, **k)
    Store.put_meeting = slow
from arkiv.cli import main
sys.argv = ["arkiv", "--home", sys.argv[1], "ingest", "--no-progress", *sys.argv[2:]]
main()
'''


def _ingest_proc(home: Path, *folders: Path, batch: int = 2000, pause: float = 0.0,
                 wait: float | None = None) -> subprocess.Popen:
    extra = ["--wait", str(wait)] if wait is not None else []
    if batch == 2000 and not pause:
        cmd = [sys.executable, "-m", "arkiv.cli", "--home", str(home), "ingest", "--no-progress",
               *extra, *map(str, folders)]
    else:
        cmd = [sys.executable, "-c", SLOW_INGEST, str(home), *extra, *map(str, folders)]
    env = {**os.environ, "BATCH": str(batch), "PAUSE": str(pause)}
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _check(home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "arkiv.cli", "--home", str(home), "check"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


class Readers:
    """Engine threads and app threads searching until stopped; errors and counts recorded."""

    QUERIES = ["", "forvaltningen", "budget*", '"til efterretning"', "affaldssortering OR skole",
               "-borgerne sagen", "OR", "tidsplanen"]

    def __init__(self, home: Path, engine_threads: int = 3, app_threads: int = 2):
        from index.engine_tantivy import open_engine
        from web import create_app

        self.engine = open_engine(home / "index")
        self.app = create_app({"TESTING": True, "ARKIV_HOME": str(home), "PUBLIC": True})
        self.stop = threading.Event()
        self.errors: list[str] = []
        self.totals: list[list[int]] = []        # per engine thread: total of the empty query, in order
        self.searches = 0
        self._lock = threading.Lock()
        self.threads = [threading.Thread(target=self._engine_loop, args=(n,), daemon=True)
                        for n in range(engine_threads)]
        self.threads += [threading.Thread(target=self._app_loop, args=(n,), daemon=True)
                         for n in range(app_threads)]

    def _engine_loop(self, n: int) -> None:
        from index.search import parse_request, search

        seen: list[int] = []
        with self._lock:
            self.totals.append(seen)
        i = n
        while not self.stop.is_set():
            q = self.QUERIES[i % len(self.QUERIES)]
            i += 1
            try:
                resp = search(self.engine, parse_request({"q": q, "page": str(1 + i % 3)}))
                if q == "":
                    seen.append(resp.total)
            except Exception as exc:  # noqa: BLE001 - any error is the failure we look for
                with self._lock:
                    self.errors.append(f"engine {q!r}: {exc!r}")
            with self._lock:
                self.searches += 1

    def _app_loop(self, n: int) -> None:
        client = self.app.test_client()
        i = n
        while not self.stop.is_set():
            q = self.QUERIES[i % len(self.QUERIES)]
            i += 1
            try:
                resp = client.get("/api/search", query_string={"q": q})
                if resp.status_code != 200:
                    with self._lock:
                        self.errors.append(f"app {q!r}: HTTP {resp.status_code} {resp.get_data(as_text=True)[:200]}")
            except Exception as exc:  # noqa: BLE001
                with self._lock:
                    self.errors.append(f"app {q!r}: {exc!r}")
            with self._lock:
                self.searches += 1

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(30)
        return False


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    root = tmp_path_factory.mktemp("conc")
    specs = list(G.iter_specs(900, seed=4, max_items=4))
    first, rest = specs[:25], specs[25:]
    for folder, group in (("first", first), ("rest", rest)):
        for spec in group:
            G.write_spec(spec, root / folder)
    return {"root": root, "first": root / "first", "rest": root / "rest", "rest_specs": rest,
            "items": sum(len(s.items) for s in specs), "meetings": len(specs)}


@pytest.mark.slow
def test_searches_keep_working_while_ingest_commits(corpora, tmp_path):
    home = tmp_path / "home"
    from archive.ingest import ingest
    from archive.store.sqlite import Store
    from index.engine_tantivy import open_engine

    store = Store(home)
    try:
        assert not ingest([corpora["first"]], store, open_engine(store.index_dir), progress=False).failed
    finally:
        store.close()

    # 1. a fresh ingest of the rest, in several index commits, while readers search
    with Readers(home) as readers:
        proc = _ingest_proc(home, corpora["rest"], batch=100)
        out, err = proc.communicate(timeout=300)
        time.sleep(0.3)                     # let the readers see the last commit
    assert proc.returncode == 0, err[-2000:]
    assert not readers.errors, readers.errors[:10]
    assert readers.searches > 20
    for seen in readers.totals:
        assert seen == sorted(seen), "a reader saw the item count go down during a fresh ingest"
    assert max(max(s) for s in readers.totals if s) == corpora["items"]
    assert any(len(set(s)) > 1 for s in readers.totals), "no reader saw an intermediate commit"

    # 2. an update of existing meetings: each commit replaces whole meetings, never half
    for spec in corpora["rest_specs"][::2]:
        G.write_spec(G.changed(spec, 2), corpora["rest"])
    with Readers(home) as readers:
        proc = _ingest_proc(home, corpora["rest"], batch=100)
        out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-2000:]
    assert not readers.errors, readers.errors[:10]
    # The long-lived engine (as in `arkiv serve`) must show each item once after the update.
    from index.search import parse_request, search
    after = search(readers.engine, parse_request({"q": ""})).total
    assert after == corpora["items"], f"long-lived engine sees {after} items after an update of {corpora['items']}"
    for seen in readers.totals:
        assert set(seen) <= {corpora["items"]}, f"a reader saw {sorted(set(seen))} items during an update of {corpora['items']}"
    res = _check(home)
    assert res.returncode == 0, res.stderr


@pytest.mark.slow
def test_second_ingest_fails_clearly_or_waits(corpora, tmp_path):
    home = tmp_path / "home"
    a = _ingest_proc(home, corpora["first"], pause=0.08)          # ~2 s holding the write lock
    lock = home / "write.lock"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if lock.exists() and lock.read_text().strip() == str(a.pid):
            break
        time.sleep(0.02)
    else:
        pytest.fail("the first ingest never took the write lock")

    # Without --wait: fails at once with a clear message naming the writer.
    b = _ingest_proc(home, corpora["rest"])
    _, b_err = b.communicate(timeout=60)
    assert b.returncode == 1
    assert f"another arkiv process (pid {a.pid}) is writing" in b_err, b_err
    assert "Traceback" not in b_err
    assert a.poll() is None, "the first ingest should still be running"

    # With --wait: waits for the first, then ingests.
    c = _ingest_proc(home, corpora["rest"], wait=120)
    _, a_err = a.communicate(timeout=120)
    assert a.returncode == 0, a_err[-2000:]
    c_out, c_err = c.communicate(timeout=300)
    assert c.returncode == 0, c_err[-2000:]

    res = _check(home)
    assert res.returncode == 0, res.stderr
    assert f"{corpora['meetings']} møder, {corpora['items']} dagsordenspunkter" in res.stdout


class Paused:
    """Wraps ``engine.build_query`` so that the search of the thread named ``who`` stops
    inside the search (its searcher taken) until released; the other searches run straight through."""

    def __init__(self, engine, who: str):
        self.inside = threading.Event()
        self.release = threading.Event()
        original = engine.build_query

        def build_query(*args, **kwargs):
            if threading.current_thread().name == who:
                self.inside.set()
                assert self.release.wait(30), "never released"
            return original(*args, **kwargs)

        engine.build_query = build_query


def test_two_searches_on_one_engine_overlap(tmp_path):
    # One search is held in the middle of its evaluation; a second search on the same
    # engine (as in another gunicorn thread) starts, finishes and returns meanwhile.
    # With one lock around every search the second waited for the first.
    from helpers_search import small_corpus

    from index.engine_tantivy import TantivyEngine as Engine
    from index.query import parse_query

    engine = Engine(tmp_path / "ix")
    engine.update(small_corpus())
    engine.search(parse_query("cykelstier"))
    paused = Paused(engine, "slow")
    results: dict[str, int] = {}
    slow = threading.Thread(name="slow", daemon=True,
                            target=lambda: results.update(slow=engine.search(parse_query("budget")).total))
    slow.start()
    assert paused.inside.wait(10)
    quick = threading.Thread(name="quick", daemon=True,
                             target=lambda: results.update(quick=engine.search(parse_query("cykelstier")).total))
    quick.start()
    quick.join(10)
    finished_while_held = not quick.is_alive()
    paused.release.set()
    slow.join(10)
    assert finished_while_held, "the second search waited for the first"
    assert results == {"quick": 1, "slow": 1}
    engine.close()


def test_a_search_held_across_a_commit_sees_one_generation(tmp_path):
    # A commit lands while a search is held: the next search sees the commit; the held search
    # finishes on the searcher it started with (a consistent generation).
    from helpers_search import BODY_TM, item, meeting, small_corpus

    from index.engine_tantivy import TantivyEngine as Engine
    from index.query import parse_query

    engine = Engine(tmp_path / "ix")
    engine.update(small_corpus())
    engine.search(parse_query(""))
    paused = Paused(engine, "held")
    results: dict[str, int] = {}
    held = threading.Thread(name="held", daemon=True,
                            target=lambda: results.update(held=engine.search(parse_query("")).total))
    held.start()
    assert paused.inside.wait(10)
    import datetime as dt
    engine.update([meeting(BODY_TM, dt.date(2024, 5, 1), "9", [item("1", "Nyt punkt", "Tekst.")])])
    assert engine.search(parse_query("")).total == 8       # a new searcher sees the commit
    paused.release.set()
    held.join(10)
    assert results == {"held": 7}                          # the old generation, whole
    engine.close()
