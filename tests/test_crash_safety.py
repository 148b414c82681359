"""Ingest is atomic per file: a SIGKILL at any moment leaves every meeting wholly old or
wholly new, in the store and in the index, and a re-run completes the work.

Kill points:
* timed (real ``arkiv ingest``): 0.3 s after start, when half the files are stored,
  and 2 s into an update;
* deterministic, through a tiny wrapper that patches one function of the ingest path to
  SIGKILL its own process: inside a store transaction; before an index batch is committed;
  between the index's commit of the items and of its spelling lexicon; right after an index commit.

After each kill: the store holds each meeting as v1 or v2 exactly, the index holds each
meeting's items from one version only, with the right item set, and ``check()`` reports
only "index behind" problems.  Then ``arkiv ingest`` runs again, ``arkiv check`` exits 0,
and the counts match the corpus.
"""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmark import generate as G

pytestmark = pytest.mark.slow     # each test runs ingests until it kills one: ~3 s

ROOT = Path(__file__).resolve().parent.parent
N_ITEMS = 600                 # ~200 small files
MAX_ITEMS = 3
V2_EVERY = 3                  # every third file gets a corrected version

# Runs `arkiv ingest` with one function patched to SIGKILL the process at a chosen point.
WRAPPER = r'''
import os, signal, sys
point, nth = os.environ["KILL_AT"], int(os.environ.get("KILL_NTH", "1"))
calls = [0]
def hit():
    calls[0] += 1
    if calls[0] >= nth:
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)
import archive.ingest as ai
ai.INDEX_BATCH_ITEMS = int(os.environ.get("BATCH", "60"))
if point == "store-transaction":          # meeting row written, source row not yet, no COMMIT
    from archive.store.sqlite import Store
    orig = Store._record_source
    def patched(self, *a, **k):
        orig(self, *a, **k)
        hit()
    Store._record_source = patched
elif point in ("before-index-commit", "after-index-commit"):
    from index.engine_tantivy import TantivyEngine as Engine
    orig_update = Engine.update
    def patched(self, *a, **k):
        if point == "before-index-commit":
            hit()
        orig_update(self, *a, **k)
        if point == "after-index-commit":
            hit()
    Engine.update = patched
elif point == "index-words":               # the items committed; the spelling lexicon not yet
    from index.engine_tantivy import TantivyEngine
    orig_words = TantivyEngine._add_words
    def patched(self, *a, **k):
        hit()
        orig_words(self, *a, **k)
    TantivyEngine._add_words = patched
else:
    raise SystemExit(f"unknown kill point {point}")
from arkiv.cli import main
sys.argv = ["arkiv", "--home", sys.argv[1], "ingest", "--no-progress", sys.argv[2]]
main()
'''


@dataclass
class Corpus:
    root: Path
    specs: dict[str, G.MeetingSpec]          # absolute path -> v1 spec
    changed: set[str]                         # paths that get a v2
    items: int
    current: int = 1                          # the version on disk now

    def write(self, version: int) -> None:
        self.current = version
        for path, spec in self.specs.items():
            text_spec = G.changed(spec, 2) if (version == 2 and path in self.changed) else spec
            Path(path).write_text(G.render_meeting(text_spec), encoding="utf-8")

    def version_of_titles(self, titles: list[str]) -> int:
        marked = ["(rettet v2)" in t for t in titles]
        assert all(marked) or not any(marked), f"mixed v1/v2 items in one meeting: {titles}"
        return 2 if marked and marked[0] else 1


def _arkiv(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "arkiv.cli", "--home", str(home), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def _start_ingest(home: Path, corpus: Path, kill_at: str | None = None, **env) -> subprocess.Popen:
    """`arkiv ingest` in its own session (so its parse workers can be found and reaped);
    output goes to files, never pipes an orphaned worker could hold open."""
    if kill_at is None:
        cmd = [sys.executable, "-m", "arkiv.cli", "--home", str(home), "ingest", "--no-progress", str(corpus)]
    else:
        cmd = [sys.executable, "-c", WRAPPER, str(home), str(corpus)]
        env = {"KILL_AT": kill_at, **{k: str(v) for k, v in env.items()}}
    home.parent.mkdir(parents=True, exist_ok=True)
    err = open(home.parent / f"ingest-{time.monotonic_ns()}.err", "w+")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, text=True,
                            env={**os.environ, **env}, start_new_session=True)
    proc.err_file = err  # type: ignore[attr-defined]
    return proc


def _stderr(proc: subprocess.Popen) -> str:
    proc.err_file.seek(0)
    return proc.err_file.read()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def _reap(proc: subprocess.Popen) -> None:
    """Kill whatever the dead ingest left behind (its parse workers) and close its log."""
    if _group_alive(proc.pid):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.err_file.close()


def _sources(home: Path) -> int:
    db = home / "arkiv.sqlite"
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _kill_after(proc: subprocess.Popen, seconds: float | None = None, home: Path | None = None,
                files: int = 0) -> bool:
    """SIGKILL the ingest's main process (what the OOM killer does) after ``seconds``, or once
    ``files`` sources are stored; True if it was killed while running.  Then reap the rest."""
    deadline = time.monotonic() + (seconds if seconds is not None else 60)
    while proc.poll() is None and time.monotonic() < deadline:
        if home is not None and _sources(home) >= files:
            break
        time.sleep(0.01)
    alive = proc.poll() is None
    if alive:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    _reap(proc)
    return alive


BEHIND = ("not-indexed", "stale")      # archive.check's kinds for "the index is behind"


def assert_consistent(home: Path, corpus: Corpus, final: bool = False) -> dict:
    """Every meeting wholly v1 or wholly v2, in the store and in the index."""
    from archive.check import check
    from archive.store.sqlite import Store
    from index.engine_tantivy import open_engine
    from index.model import Filters
    from index.query import AllOf

    store = Store(home)
    engine = open_engine(home / "index")
    try:
        shas: dict[str, dict[int, str]] = {}
        for path, spec in corpus.specs.items():
            v = {1: G.render_meeting(spec)}
            if path in corpus.changed:
                v[2] = G.render_meeting(G.changed(spec, 2))
            from archive.store.originals import sha256_bytes
            shas[path] = {n: sha256_bytes(t.encode("utf-8")) for n, t in v.items()}
        sha_version = {sha: (path, n) for path, d in shas.items() for n, sha in d.items()}

        stored: dict[str, tuple[int, list[str]]] = {}
        for meeting in store.iter_meetings():
            assert meeting.source_sha256 in sha_version, f"{meeting.id}: unknown sha"
            path, version = sha_version[meeting.source_sha256]
            spec = corpus.specs[path]
            assert len(meeting.items) == len(spec.items), meeting.id
            assert corpus.version_of_titles([i.title for i in meeting.items]) == version, meeting.id
            stored[meeting.id] = (version, sorted(i.id for i in meeting.items))
        for source, sha, ext in store.originals_to_reparse():
            assert sha in sha_version and sha_version[sha][0] == source, source
            assert store.has_original(sha, ext), source

        indexed_versions = engine.versions()
        for mid, sha in indexed_versions.items():
            assert sha in sha_version, f"index holds {mid} from an unknown file version"
            version = sha_version[sha][1]
            result = engine.search(AllOf(()), Filters(meeting=[mid]), sort="oldest", limit=1000,
                                   facets=(), snippets=False)
            titles = [h.fields["title"] for h in result.hits]
            assert result.total == len(corpus.specs[sha_version[sha][0]].items), mid
            assert corpus.version_of_titles(titles) == version, mid
            if mid in stored and stored[mid][0] == version:
                assert sorted(h.fields["id"] for h in result.hits) == stored[mid][1], mid

        problems = check(store, engine)
        unexpected = [p.message for p in problems if p.kind not in BEHIND]
        assert not unexpected, unexpected
        if final:
            assert problems == []
            assert len(stored) == len(corpus.specs)
            assert store.counts()["items"] == corpus.items == engine.item_count()
            for path in corpus.specs:
                want = 2 if (corpus.current == 2 and path in corpus.changed) else 1
                assert shas[path][want] in {indexed_versions.get(m) for m in stored}, path
        return {"stored": len(stored), "indexed": len(indexed_versions), "problems": len(problems)}
    finally:
        engine.close()
        store.close()


def rerun_and_verify(home: Path, corpus: Corpus) -> None:
    res = _arkiv(home, "ingest", "--no-progress", str(corpus.root))
    assert res.returncode == 0, res.stderr[-2000:]
    res = _arkiv(home, "check")
    assert res.returncode == 0, res.stderr[-2000:]
    assert f"{len(corpus.specs)} møder, {corpus.items} dagsordenspunkter" in res.stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    root = tmp_path_factory.mktemp("crash-corpus")
    specs = list(G.iter_specs(N_ITEMS, seed=3, max_items=MAX_ITEMS))
    by_path = {str((root / s.filename).resolve()): s for s in specs}
    for path in by_path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    changed = {p for i, p in enumerate(sorted(by_path)) if i % V2_EVERY == 0}
    c = Corpus(root.resolve(), by_path, changed, sum(len(s.items) for s in specs))
    c.write(1)
    return c


@pytest.fixture(scope="module")
def v1_home(corpus, tmp_path_factory) -> Path:
    """A complete v1 archive to copy for each update case."""
    home = tmp_path_factory.mktemp("crash-v1") / "home"
    res = _arkiv(home, "ingest", "--no-progress", str(corpus.root))
    assert res.returncode == 0, res.stderr[-2000:]
    assert_consistent(home, corpus, final=True)
    return home


@pytest.fixture()
def v1_corpus(corpus):
    corpus.write(1)
    yield corpus
    corpus.write(1)


# --------------------------------------------------------------------------- first ingest
@pytest.mark.parametrize("when", [0.3, "half"])
def test_kill_during_first_ingest(v1_corpus, tmp_path, when):
    home = tmp_path / "home"
    proc = _start_ingest(home, v1_corpus.root)
    if when == "half":
        _kill_after(proc, home=home, files=len(v1_corpus.specs) // 2)
    else:
        _kill_after(proc, seconds=when)
    if (home / "arkiv.sqlite").exists():
        assert_consistent(home, v1_corpus)
    rerun_and_verify(home, v1_corpus)
    assert_consistent(home, v1_corpus, final=True)


# --------------------------------------------------------------------------- update v1 -> v2
UPDATE_CASES = [
    ("store-transaction", 40),      # after two index batches were committed
    ("before-index-commit", 1),
    ("index-words", 2),
    ("after-index-commit", 1),
    (2.0, None),
]


@pytest.mark.parametrize("kill_at,nth", UPDATE_CASES, ids=[f"{k}-{n}" for k, n in UPDATE_CASES])
def test_kill_during_update(v1_corpus, v1_home, tmp_path, kill_at, nth):
    home = tmp_path / "home"
    shutil.copytree(v1_home, home)
    v1_corpus.write(2)
    if isinstance(kill_at, float):
        _kill_after(_start_ingest(home, v1_corpus.root), seconds=kill_at)
    else:
        proc = _start_ingest(home, v1_corpus.root, kill_at=kill_at, KILL_NTH=nth)
        proc.wait(timeout=120)
        err = _stderr(proc)
        _reap(proc)
        assert proc.returncode == -signal.SIGKILL, f"the kill point {kill_at} was never reached: {err[-1500:]}"
    state = assert_consistent(home, v1_corpus)
    assert state["stored"] == len(v1_corpus.specs)      # an update never loses a meeting
    rerun_and_verify(home, v1_corpus)
    assert_consistent(home, v1_corpus, final=True)


def test_killed_ingest_leaves_no_orphan_workers(v1_corpus, tmp_path):
    """When the OOM killer (or `kill -9`) ends `arkiv ingest`, its parse workers must not
    live on: orphans hold memory (and the files they were given) until the next reboot."""
    home = tmp_path / "home"
    proc = _start_ingest(home, v1_corpus.root)
    deadline = time.monotonic() + 60
    while proc.poll() is None and _sources(home) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 5
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    orphans = _group_alive(proc.pid)
    _reap(proc)
    assert not orphans, ("parse workers of a killed `arkiv ingest` are still running 5 s later "
                         "(archive/ingest.py _parsed: ProcessPoolExecutor workers never notice the parent died)")
