"""The arkiv benchmark: generate, ingest, search in-process, search over HTTP, load test.

    python -m benchmark.run                       # 10,000 items, everything
    python -m benchmark.run --items 100000        # the archive-scale run (takes a while)
    python -m benchmark.run --load-seconds 5      # a shorter load test
    python -m benchmark.run --reuse               # reuse the corpus + archive of an earlier run
    python -m benchmark.run --profile             # also write pyinstrument profiles of the query classes

Steps (each printed as it runs; a table at the end):

1. ``benchmark.generate`` writes N fictional items (~10 per file) to ``<workdir>/corpus``;
2. ``arkiv ingest`` (a subprocess, the real ingest path) into a fresh ``<workdir>/home``:
   items/s and index bytes per item;
3. the searcher's cold open (``open_engine`` plus first search, in a fresh process);
4. in-process search latency per query class through ``index.search.search``, then
   searches/s on one engine from 1, 2 and 4 threads, and this process's memory;
5. HTTP latency with 8 concurrent clients against a real ``arkiv serve`` on 127.0.0.1;
6. a bounded load test (8 clients × ``--load-seconds``) mixing ordinary and hostile
   queries: request count, status histogram, 5xx and connection errors (expected: zero);
7. the memory (RSS) of each server worker after the load;
8. OCR (``benchmark.scanned``, ``--no-ocr`` to skip): Tesseract seconds per page, and
   ``arkiv ingest`` / ``arkiv reindex`` of a generated five-page scanned file.

Results go to ``benchmark/out/results-<timestamp>.json``.  Numbers are printed,
never asserted.  Only loopback traffic.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"

TARGETS = {  # the targets at 100,000 items
    "search_p95_ms": 50.0,
    "http_p95_ms": 100.0,
    "ingest_items_per_s": 1000.0,
    "open_ms": 50.0,
}


# --------------------------------------------------------------------------- small helpers
def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "p99": float("nan"),
                "mean": float("nan"), "max": float("nan")}
    s = sorted(samples)

    def pct(p: float) -> float:
        k = (len(s) - 1) * p
        lo, hi = int(k), min(int(k) + 1, len(s) - 1)
        return s[lo] + (s[hi] - s[lo]) * (k - lo)

    return {"n": len(s), "p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99),
            "mean": statistics.fmean(s), "max": s[-1]}


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def arkiv_cmd(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "archive.cli", "--home", str(home), *args]


# --------------------------------------------------------------------------- query classes
def query_classes(engine=None) -> dict[str, list[dict[str, Any]]]:
    """Request parameters per query class (what /api/search and parse_request take).

    Every class runs with facet counts and snippets on (what the search page
    does), except the ``bare``/``facets only``/``snippets only`` variants that
    split the cost of the common-word query.
    """
    from benchmark import generate as G

    common = ["bestyrelsen", "forvaltningen", "efterretning", "godkendte", "sagen", "borgerne",
              "udvalget", "indstillingen", "tidsplanen", "høring"] + G.common_words()[:6]
    rare = G.rare_words()
    if engine is not None:
        # Keep tail words that exist but are rare (at most 0.2 % of the items).
        limit = max(3, engine.item_count() // 500)
        found = [w for w in rare if 1 <= engine.doc_frequency(w) <= limit]
        rare = found or rare
    rare = rare[:20] + ["Sneppevej", "Vibeengen", "Kildevældet"]
    mid = G.common_words()[6:20]
    two = [f"{a} {b}" for a, b in zip(mid, ["budget", "borgerne", "skole", "høring", "tidsplan",
                                             "udgift", "forvaltningen", "aftale", "økonomi", "lejerne",
                                             "facilitet", "elever", "sti", "grund"], strict=False)]
    phrases = ['"til efterretning"', '"det videre arbejde"', '"bedre adgang"', '"sendes i høring"',
               '"blev udsat"', '"tog orienteringen"', '"den eksisterende"', '"ingen bemærkninger"']
    prefixes = ["klima*", "affald*", "budget*", "skole*", "cykel*", "trafik*", "fjernv*", "spilde*"]
    parts = ["sortering", "pulje", "takst", "tilsyn", "regulativ", "renovering", "strategi", "udbud"]

    def plain(qs, **extra):
        return [{"q": x, **extra} for x in qs]

    # Queries used once each: the engine's postings cache has not seen them (cold reads).
    used = set(common) | set(rare) | set(mid)
    # One form per compound: forms share a stem, so they would share cached postings.
    unseen = [c[i % 4] for i, c in enumerate(G.COMPOUNDS[20:]) if c[0] not in used and c[0] not in rare]
    random.Random(99).shuffle(unseen)
    unseen_two = [f"{a} {b}" for a, b in zip(unseen[800::2], unseen[801::2], strict=False)]

    # No hits: "did you mean" walks the term list; long words are bounded (index.engine.MAX_SUGGEST).
    typos = [w[:-2] + "xq" for w in common[:6]] + ["klimatilpasningsforanstaltningernesx",
                                                    "k" + "lima" * 120, "x" * 480]
    years = [(f"{y}-01-01", f"{y + 2}-12-31") for y in range(2007, 2020, 2)]
    dated = [{"q": w, "from": a, "to": b} for w, (a, b) in zip(common * 2, years * 3, strict=False)]
    return {
        "common word": plain(common),
        "rare word": plain(rare),
        "two words": plain(two),
        "phrase": plain(phrases),
        "prefix": plain(prefixes),
        "compound part": plain(parts),
        "date filter": dated,
        "facet filter": [{"q": w, "outcome": "godkendt", "year": str(2010 + i % 10)}
                         for i, w in enumerate(common)],
        "sort newest": plain(common, sort="newest"),
        "empty (browse)": [{"q": ""}, {"q": "", "page": "2"}, {"q": "", "sort": "oldest"}],
        "deep page": plain(common[:5], page="20"),
        "did you mean (no hits)": plain(typos),
        "unseen word (cold)": plain(unseen[:800]),
        "unseen two words (cold)": plain(unseen_two),
        "common, bare": plain(common, _facets="0", _snippets="0"),
        "common, facets only": plain(common, _snippets="0"),
        "common, snippets only": plain(common, _facets="0"),
    }


def _request(params: dict[str, Any]):
    from index.search import parse_request

    params = dict(params)
    facets = params.pop("_facets", "1") != "0"
    snippets = params.pop("_snippets", "1") != "0"
    req = parse_request(params)
    req.facets, req.snippets = facets, snippets
    return req


def bench_search(engine, classes: dict[str, list[dict]], per_class: int,
                 profile_to: Path | None = None) -> dict[str, Any]:
    from index.search import search

    out: dict[str, Any] = {}
    profiler = None
    if profile_to is not None:
        from pyinstrument import Profiler
        profiler = Profiler(interval=0.0005)
    for name, plist in classes.items():
        reqs = [_request(p) for p in plist]
        if "(cold)" not in name:
            for r in reqs:                  # warm-up: one pass (cold classes: every query is new)
                search(engine, r)
        samples, totals = [], []
        if profiler is not None:
            profiler.start()
        for i in range(per_class):
            r = reqs[i % len(reqs)]
            t0 = time.perf_counter()
            resp = search(engine, r)
            samples.append((time.perf_counter() - t0) * 1000)
            totals.append(resp.total)
        if profiler is not None:
            profiler.stop()
        out[name] = {**percentiles(samples), "mean_total": statistics.fmean(totals) if totals else 0}
        log(f"  {name:24s} p50 {out[name]['p50']:7.1f} ms  p95 {out[name]['p95']:7.1f} ms  "
            f"(mean hits {out[name]['mean_total']:.0f})")
    if profiler is not None:
        profile_to.parent.mkdir(parents=True, exist_ok=True)
        profile_to.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
        profile_to.with_suffix(".html").write_text(profiler.output_html())
        log(f"  profile written to {profile_to} (+ .html)")
    return out


def bench_threads(engine, classes: dict[str, list[dict]], seconds: float = 5.0) -> dict[str, Any]:
    """Searches per second on ONE engine from 1, 2 and 4 threads (what a gunicorn worker's
    threads share): how much searches overlap."""
    from index.search import search

    reqs = [_request(p) for name in ("common word", "two words", "phrase", "prefix", "date filter")
            for p in classes[name]]
    for r in reqs:
        search(engine, r)                       # warm
    def loop(k: int, counts: list[int], stop: float) -> None:
        i = k
        while time.monotonic() < stop:
            search(engine, reqs[i % len(reqs)])
            counts[k] += 1
            i += 1

    out: dict[str, Any] = {}
    for n in (1, 2, 4):
        counts = [0] * n
        stop = time.monotonic() + seconds
        threads = [threading.Thread(target=loop, args=(k, counts, stop)) for k in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        out[str(n)] = sum(counts) / seconds
        log(f"  {n} thread(s): {out[str(n)]:.0f} searches/s")
    return out


def rss_mib(pid: int) -> float:
    """Resident memory of a process (Linux /proc), MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def cold_open(index_dir: Path, probe_q: str = "forvaltningen") -> dict[str, float]:
    """open_engine + first search in a fresh interpreter (imports timed separately)."""
    code = f"""
import json, time, sys
t0 = time.perf_counter()
from index.engine import open_engine
from index.search import search, parse_request
t1 = time.perf_counter()
eng = open_engine({str(index_dir)!r})
t2 = time.perf_counter()
eng.item_count()
t3 = time.perf_counter()
search(eng, parse_request({{"q": {probe_q!r}}}))
t4 = time.perf_counter()
search(eng, parse_request({{"q": {probe_q!r}}}))
t5 = time.perf_counter()
print(json.dumps({{"import_ms": (t1-t0)*1e3, "open_engine_ms": (t2-t1)*1e3,
                  "first_searcher_ms": (t3-t2)*1e3, "first_search_ms": (t4-t3)*1e3,
                  "second_search_ms": (t5-t4)*1e3}}))
"""
    runs = []
    for _ in range(3):
        res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
        if res.returncode != 0:
            raise RuntimeError(f"cold open failed: {res.stderr[-2000:]}")
        runs.append(json.loads(res.stdout.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


# --------------------------------------------------------------------------- HTTP
class Server:
    """``arkiv serve`` in a subprocess on 127.0.0.1 (stopped by its pid)."""

    def __init__(self, home: Path, threads: int = 8):
        self.home = home
        self.port = free_port()
        self.log_path = home.parent / "serve.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            arkiv_cmd(home, "serve", "--public", "--host", "127.0.0.1", "--port", str(self.port),
                      "--threads", str(threads)),  # per worker process
            cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
        )
        self.first_request_ms = self._wait_ready()

    def _wait_ready(self, timeout: float = 120.0) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"arkiv serve exited with {self.proc.returncode}; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                t0 = time.perf_counter()
                conn.request("GET", "/api/search?q=forvaltningen")
                resp = conn.getresponse()
                resp.read()
                conn.close()
                if resp.status == 200:
                    return (time.perf_counter() - t0) * 1000
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("arkiv serve did not answer within the timeout")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def _url(path: str, params: dict[str, Any]) -> str:
    params = {k: v for k, v in params.items() if not k.startswith("_")}
    return path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")


def run_clients(port: int, clients: int, make_request: Callable[[random.Random, int], str],
                max_requests: int, max_seconds: float) -> dict[str, Any]:
    """``clients`` threads, each with a keep-alive connection, until ``max_requests`` in
    total or ``max_seconds``.  Returns latencies, status histogram and errors."""
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: Counter = Counter()
    examples: dict[str, str] = {}
    issued = [0]
    deadline = time.monotonic() + max_seconds

    def worker(n: int) -> None:
        rng = random.Random(1000 + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = 0
        while time.monotonic() < deadline:
            with lock:
                if issued[0] >= max_requests:
                    break
                issued[0] += 1
            url = make_request(rng, i)
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Accept": "application/json"})
                resp = conn.getresponse()
                resp.read()
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(ms)
                    statuses[resp.status] += 1
                    if resp.status >= 500:
                        examples.setdefault(str(resp.status), url)
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors[type(exc).__name__] += 1
                    examples.setdefault(type(exc).__name__, url)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max_seconds + 60)
    wall = time.perf_counter() - t0
    return {
        **percentiles(latencies),
        "requests": len(latencies) + sum(errors.values()),
        "seconds": wall,
        "req_per_s": len(latencies) / wall if wall else 0.0,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": sum(v for k, v in statuses.items() if k >= 500),
        "connection_errors": dict(errors),
        "error_examples": examples,
    }


def hostile_params(rng: random.Random) -> tuple[str, dict[str, Any] | str]:
    """A hostile or odd request: (path, params) or (path, raw query string)."""
    junk = "".join(chr(rng.choice([rng.randint(0x20, 0x7e), rng.randint(0xa0, 0x2fff),
                                   rng.randint(0x1f300, 0x1f64f), rng.randint(0x300, 0x36f)]))
                   for _ in range(rng.randint(1, 40)))
    choices: list[tuple[str, Any]] = [
        ("/api/search", {"q": "<script>alert(1)</script>"}),
        ("/", {"q": "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"}),
        ("/api/search", {"q": '"'}), ("/api/search", {"q": '"""'}), ("/api/search", {"q": '"budget'}),
        ("/api/search", {"q": "OR"}), ("/api/search", {"q": "OR OR OR"}), ("/api/search", {"q": "- * -* *"}),
        ("/api/search", {"q": "a*"}), ("/api/search", {"q": "*"}), ("/api/search", {"q": "((( ]]] {{{"}),
        ("/api/search", {"q": "x" * 2000}), ("/", {"q": "budget " * 300}),
        ("/api/search", {"q": " ".join(["skole"] * 200)}),
        ("/api/search", {"q": junk}), ("/", {"q": junk}),
        ("/api/search", "q=%ff%fe%fd"), ("/api/search", "q=budget%00skole"), ("/api/search", "q=%"),
        ("/api/search", {"q": "budget", "from": "2020-13-45"}),
        ("/api/search", {"q": "budget", "from": "abc"}),
        ("/api/search", {"q": "budget", "from": "2020-01-01", "to": "2019-01-01"}),
        ("/api/search", {"q": "budget", "to": "99999-01-01"}),
        ("/api/search", {"q": "budget", "page": "0"}), ("/api/search", {"q": "budget", "page": "-1"}),
        ("/api/search", {"q": "budget", "page": "99999999999999999999"}),
        ("/api/search", {"q": "budget", "page": "9999"}), ("/", {"q": "budget", "page": "9999"}),
        ("/api/search", {"q": "budget", "per_page": "100000"}),
        ("/api/search", {"q": "budget", "page": "1.5"}),
        ("/api/search", {"q": "budget", "outcome": "nonsense"}),
        ("/api/search", {"q": "budget", "year": "abc"}),
        ("/api/search", {"q": "budget", "sort": "drop table"}),
        ("/api/search", {"q": "budget", "presenter": "x" * 300}),
        ("/api/search", {"q": ["budget", "skole"]}),
        ("/api/search", {"q": "", "body": [str(i) for i in range(60)]}),
        ("/api/items/" + urllib.parse.quote("../../etc/passwd", safe=""), {}),
        ("/api/items/" + "x" * 500, {}), ("/api/meetings/%00", {}),
        ("/punkt/" + urllib.parse.quote("<script>", safe=""), {}),
        ("/nonexistent", {}),
    ]
    return rng.choice(choices)


def make_mixed_request(classes: dict[str, list[dict]], hostile_share: float) -> Callable[[random.Random, int], str]:
    flat = [p for plist in classes.values() for p in plist]

    def make(rng: random.Random, i: int) -> str:
        if rng.random() < hostile_share:
            path, params = hostile_params(rng)
            return path + ("?" + params if isinstance(params, str) else (_url("", params) if params else ""))
        path = "/api/search" if rng.random() < 0.7 else "/"
        return _url(path, rng.choice(flat))
    return make


# --------------------------------------------------------------------------- main
def _lock_workdir(work: Path) -> int:
    """Hold an exclusive lock on ``work`` so two benchmark runs never share (and wipe) it."""
    import fcntl

    fd = os.open(work / ".bench.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
        sys.exit(f"benchmark: another benchmark run (pid {holder}) is using {work}; "
                 "wait for it or pass another --workdir")
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


def ingest(home: Path, corpus: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    res = subprocess.run(arkiv_cmd(home, "ingest", "--no-progress", str(corpus)), cwd=ROOT,
                         capture_output=True, text=True)
    secs = time.perf_counter() - t0
    failures = [line for line in res.stderr.splitlines() if line.startswith("FEJL")]
    warnings = [line for line in res.stderr.splitlines() if line.startswith("advarsel")]
    if res.returncode not in (0, 1) or "filer:" not in res.stdout:
        raise RuntimeError(f"arkiv ingest failed ({res.returncode}): {res.stderr[-3000:]}")
    return {"seconds": secs, "exit": res.returncode, "summary": res.stdout.strip().splitlines()[-1:],
            "failed_files": len(failures), "warnings": len(warnings), "first_failures": failures[:5],
            "first_warnings": warnings[:5]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmark.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, help="default: benchmark/out/work-<items> (locked while in use)")
    ap.add_argument("--reuse", action="store_true", help="reuse the corpus and archive in --workdir if present")
    ap.add_argument("--per-class", type=int, default=200, help="in-process searches per query class")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--http-requests", type=int, default=1600, help="HTTP latency: requests in total")
    ap.add_argument("--http-seconds", type=float, default=60.0, help="HTTP latency: time bound")
    ap.add_argument("--load-seconds", type=float, default=30.0, help="load test duration (0: skip)")
    ap.add_argument("--no-http", action="store_true", help="skip the HTTP latency and load test")
    ap.add_argument("--profile", action="store_true", help="write a pyinstrument profile of the searches")
    ap.add_argument("--no-ocr", action="store_true", help="skip the OCR timing of a scanned five-page file")
    args = ap.parse_args(argv)

    stamp = time.strftime("%Y%m%d-%H%M%S")
    work = args.workdir or OUT / f"work-{args.items}"
    corpus, home = work / "corpus", work / "home"
    results: dict[str, Any] = {
        "timestamp": stamp, "items_requested": args.items, "seed": args.seed,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "targets_at_100k": TARGETS,
    }
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)

    work.mkdir(parents=True, exist_ok=True)
    _lock_workdir(work)                    # the lock is held until the process exits
    reuse = args.reuse and (home / "arkiv.sqlite").exists()
    if not reuse:
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
        from benchmark.generate import write_corpus
        log(f"generating {args.items} items into {corpus} …")
        t0 = time.perf_counter()
        summary = write_corpus(args.items, corpus, args.seed)
        results["generate"] = {**summary, "seconds": time.perf_counter() - t0}
        log(f"  {summary['items']} items, {summary['files']} files in {results['generate']['seconds']:.1f} s")
        log("ingesting with `arkiv ingest` …")
        results["ingest"] = ing = ingest(home, corpus)
        log(f"  {ing['seconds']:.1f} s; {ing['summary']}; {ing['failed_files']} failed files, "
            f"{ing['warnings']} warnings")
    else:
        log(f"reusing {home}")

    from archive.store import Store
    store = Store(home)
    counts = store.counts()
    store.close()
    results["counts"] = counts
    index_bytes = dir_bytes(home / "index")
    results["index"] = {"bytes": index_bytes, "bytes_per_item": index_bytes / max(1, counts["items"]),
                        "store_bytes": (home / "arkiv.sqlite").stat().st_size}
    if "ingest" in results:
        results["ingest"]["items_per_s"] = counts["items"] / results["ingest"]["seconds"]
        log(f"  ingest {results['ingest']['items_per_s']:.0f} items/s; index "
            f"{index_bytes / 1e6:.1f} MB = {results['index']['bytes_per_item']:.0f} bytes/item")

    log("cold open (fresh process) …")
    results["open"] = cold_open(home / "index")
    log("  " + ", ".join(f"{k} {v:.0f}" for k, v in results["open"].items()))

    log("in-process search latency per query class …")
    from index.engine import open_engine
    engine = open_engine(home / "index")
    classes = query_classes(engine)
    prof = OUT / f"profile-{stamp}.txt" if args.profile else None
    results["search"] = bench_search(engine, classes, args.per_class, prof)
    log("one engine, several threads (searches/s) …")
    results["threads"] = bench_threads(engine, classes)
    results["bench_process_rss_mib"] = rss_mib(os.getpid())

    if not args.no_http:
        log(f"HTTP: `arkiv serve` with {args.clients} concurrent clients …")
        server = Server(home, threads=args.clients)
        try:
            results["http_first_request_ms"] = server.first_request_ms
            results["http"] = run_clients(server.port, args.clients, make_mixed_request(classes, 0.0),
                                          args.http_requests, args.http_seconds)
            h = results["http"]
            log(f"  {h['requests']} requests, p50 {h['p50']:.1f} ms, p95 {h['p95']:.1f} ms, "
                f"p99 {h['p99']:.1f} ms, {h['req_per_s']:.0f} req/s, statuses {h['statuses']}")
            if args.load_seconds > 0:
                log(f"load test: {args.clients} clients × {args.load_seconds:.0f} s, 30 % hostile …")
                results["load"] = run_clients(server.port, args.clients, make_mixed_request(classes, 0.3),
                                              10**9, args.load_seconds)
                lt = results["load"]
                log(f"  {lt['requests']} requests, statuses {lt['statuses']}, 5xx {lt['server_errors']}, "
                    f"connection errors {lt['connection_errors']}")
            # Memory of each gunicorn worker after the load: index data, caches, Python.
            results["worker_rss_mib"] = [rss_mib(p) for p in children(server.proc.pid)]
            log(f"  memory per worker (RSS): {', '.join(f'{m:.0f} MiB' for m in results['worker_rss_mib'])}")
        finally:
            server.stop()
        results["serve_log_tail"] = server.log_path.read_text(errors="replace")[-3000:]

    if not args.no_ocr:
        from benchmark.scanned import bench_ocr
        log("OCR: a scanned five-page file through `arkiv ingest` and `arkiv reindex` …")
        results["ocr"] = ocr = bench_ocr(work / "ocr", arkiv_cmd)
        log("  " + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in ocr.items()))

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"results-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(render_table(results))
    print(f"\nresults: {path}")
    bad = results.get("load", {}).get("server_errors", 0) + sum(results.get("load", {}).get("connection_errors", {}).values())
    bad += results.get("http", {}).get("server_errors", 0) + sum(results.get("http", {}).get("connection_errors", {}).values())
    return 1 if bad else 0


def render_table(r: dict[str, Any]) -> str:
    lines = []
    c = r.get("counts", {})
    lines.append(f"\narkiv benchmark — {c.get('items', '?')} items in {c.get('meetings', '?')} meetings "
                 f"({r['machine']['cpus']} CPUs, Python {r['machine']['python']})")
    lines.append("-" * 78)
    if "ingest" in r:
        i = r["ingest"]
        lines.append(f"{'ingest':32s} {i.get('items_per_s', 0):9.0f} items/s  ({i['seconds']:.1f} s, "
                     f"{i['failed_files']} failed files)   target ≥ {TARGETS['ingest_items_per_s']:.0f}")
    ix = r["index"]
    lines.append(f"{'index size':32s} {ix['bytes_per_item']:9.0f} bytes/item  ({ix['bytes'] / 1e6:.1f} MB)")
    o = r["open"]
    lines.append(f"{'open_engine (cold)':32s} {o['open_engine_ms']:9.1f} ms   target < {TARGETS['open_ms']:.0f}")
    lines.append(f"{'first searcher + column load':32s} {o['first_searcher_ms']:9.1f} ms")
    lines.append(f"{'first search / second search':32s} {o['first_search_ms']:9.1f} / {o['second_search_ms']:.1f} ms")
    lines.append("")
    lines.append(f"{'search (in-process)':32s} {'p50':>8s} {'p95':>8s} {'p99':>8s} {'hits':>8s}   (ms)")
    for name, s in r.get("search", {}).items():
        lines.append(f"  {name:30s} {s['p50']:8.1f} {s['p95']:8.1f} {s['p99']:8.1f} {s['mean_total']:8.0f}")
    lines.append(f"  target p95 < {TARGETS['search_p95_ms']:.0f} ms at 100k, with facets and snippets")
    if "threads" in r:
        t = r["threads"]
        lines.append(f"{'one engine, 1/2/4 threads':32s} {t['1']:.0f} / {t['2']:.0f} / {t['4']:.0f} searches/s")
    if "bench_process_rss_mib" in r:
        lines.append(f"{'memory, this process (RSS)':32s} {r['bench_process_rss_mib']:.0f} MiB")
    if "http" in r:
        h = r["http"]
        lines.append("")
        lines.append(f"{'HTTP, 8 clients':32s} p50 {h['p50']:.1f}  p95 {h['p95']:.1f}  p99 {h['p99']:.1f} ms; "
                     f"{h['req_per_s']:.0f} req/s; {h['requests']} requests   target p95 < {TARGETS['http_p95_ms']:.0f}")
        lines.append(f"{'  first request (cold server)':32s} {r.get('http_first_request_ms', 0):.0f} ms")
    if "load" in r:
        lt = r["load"]
        lines.append(f"{'load test':32s} {lt['requests']} requests in {lt['seconds']:.0f} s; statuses {lt['statuses']}")
        lines.append(f"{'':32s} 5xx: {lt['server_errors']}   connection errors: {sum(lt['connection_errors'].values())}"
                     f"   p95 {lt['p95']:.1f} ms")
        if lt["error_examples"]:
            lines.append(f"{'':32s} examples: {lt['error_examples']}")
    if r.get("worker_rss_mib"):
        lines.append(f"{'memory per worker (RSS)':32s} " + ", ".join(f"{m:.0f} MiB" for m in r["worker_rss_mib"]))
    if "ocr" in r:
        o = r["ocr"]
        lines.append("")
        if "skipped" in o:
            lines.append(f"{'OCR':32s} sprunget over: {o['skipped']}")
        else:
            lines.append(f"{'OCR (Tesseract, one page)':32s} {o['ocr_seconds_per_page']:9.2f} s/page  ({o['engine']})")
            lines.append(f"{'scanned 5-page file: ingest':32s} {o['ingest_seconds']:9.1f} s   target < 60 s; "
                         f"reindex {o['reindex_seconds']:.1f} s (cached); word recall {o['word_recall']:.1%}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
