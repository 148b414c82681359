"""The arkiv benchmark: generate, ingest, search in-process, search over HTTP, load test.

    python -m benchmark.run                       # 10,000 items, everything
    python -m benchmark.run --items 100000        # the archive-scale run (takes a while)
    python -m benchmark.run --load-seconds 5      # a shorter load test
    python -m benchmark.run --reuse               # reuse the corpus + archive of an earlier run
    python -m benchmark.run --profile             # also write pyinstrument profiles of the query classes
    python -m benchmark.run --engine both         # tantivy (the default) and PostgreSQL side by side

Steps (each printed as it runs; a table at the end):

1. ``benchmark.generate`` writes N fictional items (~10 per file) to ``<workdir>/corpus``;
2. per engine, ``arkiv ingest`` (a subprocess, the real ingest path) into a fresh
   ``<workdir>/home-<engine>`` (PostgreSQL: a cluster of its own in ``<workdir>/pg``, started
   with benchmark.pgcluster): items/s and index bytes per item; then the engine's own write
   rate, ``rebuild`` of every stored meeting (index build items/s: ingest from files is bound
   by parsing, which the engine does not do);
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
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .http_load import Server, children, make_mixed_request, rss_mib, run_clients
from .measure import arkiv_cmd, dir_bytes, log
from .search_load import bench_search, bench_threads, query_classes

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"

ENGINE_SETS = {"both": ("tantivy", "postgres")}

TARGETS = {  # the targets at 100,000 items
    "search_p95_ms": 50.0,
    "http_p95_ms": 100.0,
    "ingest_items_per_s": 1000.0,
    "open_ms": 50.0,
}


# --------------------------------------------------------------------------- the parts: benchmark.measure (helpers),
# benchmark.search_load (query classes, in-process searches), benchmark.http_load (server, clients)

def cold_open(home: Path, database: str | None, probe_q: str = "forvaltningen") -> dict[str, float]:
    """open_engine + first search in a fresh interpreter (imports timed separately)."""
    code = f"""
import json, time, sys
t0 = time.perf_counter()
from archive.settings import Settings
from arkiv.backend import open_engine, open_store
from index.search import search, parse_request
t1 = time.perf_counter()
settings = Settings.load({str(home)!r}, database={database!r})
eng = open_engine(open_store(settings), settings)
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


def ingest(home: Path, corpus: Path, database: str | None = None) -> dict[str, Any]:
    t0 = time.perf_counter()
    res = subprocess.run(arkiv_cmd(home, "ingest", "--no-progress", str(corpus), database=database), cwd=ROOT,
                         capture_output=True, text=True)
    secs = time.perf_counter() - t0
    failures = [line for line in res.stderr.splitlines() if line.startswith("FEJL")]
    warnings = [line for line in res.stderr.splitlines() if line.startswith("advarsel")]
    if res.returncode not in (0, 1) or "filer:" not in res.stdout:
        raise RuntimeError(f"arkiv ingest failed ({res.returncode}): {res.stderr[-3000:]}")
    return {"seconds": secs, "exit": res.returncode, "summary": res.stdout.strip().splitlines()[-1:],
            "failed_files": len(failures), "warnings": len(warnings), "first_failures": failures[:5],
            "first_warnings": warnings[:5]}


# PostgreSQL for the benchmark: a cluster of its own under the work folder (kept for --reuse),
# sized for a server with this machine's memory; durability as shipped (fsync, synchronous commit).
PG_SETTINGS = {"shared_buffers": "2GB", "effective_cache_size": "8GB", "maintenance_work_mem": "1GB",
               "work_mem": "64MB", "max_wal_size": "8GB", "checkpoint_timeout": "30min", "random_page_cost": "1.1",
               "max_connections": "200"}


def _pg_cluster(work: Path, reuse: bool):
    """(cluster, database URL) for the PostgreSQL engine: started again with --reuse, else new."""
    from benchmark.pgcluster import Cluster

    base = work / "pg"
    if reuse and (base / "data" / "PG_VERSION").exists():
        cluster = Cluster.reopen(base, PG_SETTINGS)
        return cluster, cluster.url("arkiv"), True
    Cluster.remove(base)
    cluster = Cluster.create(PG_SETTINGS, base=base)
    return cluster, cluster.create_database("arkiv"), False


def settings_for(home: Path, database: str | None):
    """The benchmark's archive at ``home``: the environment's ARKIV_* limits, as `arkiv` reads them."""
    from archive.settings import Settings

    return Settings.load(home, database=database)


def index_build(store, settings) -> dict[str, Any]:
    """The engine's own write rate: ``rebuild`` of every stored meeting (what ingest adds to
    parsing and storing; `arkiv ingest` from files is bound by the parser)."""
    from arkiv.backend import open_engine

    t0 = time.perf_counter()
    meetings = list(store.iter_meetings())
    t1 = time.perf_counter()
    open_engine(store, settings).rebuild(meetings)
    secs = time.perf_counter() - t1
    items = sum(len(m.items) for m in meetings)
    return {"items": items, "seconds": secs, "items_per_s": items / secs, "load_seconds": t1 - t0}


def _sizes(home: Path, database: str | None, items: int) -> dict[str, Any]:
    """Bytes of the index and of the store (the originals excluded)."""
    if database is None:
        index = dir_bytes(home / "index")
        return {"bytes": index, "bytes_per_item": index / max(1, items),
                "store_bytes": (home / "arkiv.sqlite").stat().st_size}
    import psycopg

    with psycopg.connect(database) as conn:
        index, store = conn.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname LIKE 'search%%'), "
            "sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname NOT LIKE 'search%%' "
            "AND c.relname <> 'original_files') "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r'").fetchone()
    return {"bytes": int(index), "bytes_per_item": int(index) / max(1, items), "store_bytes": int(store)}


def run_engine(name: str, work: Path, corpus: Path, args: argparse.Namespace, fresh: bool,
               database: str | None) -> dict[str, Any]:
    """Steps 2-7 for one engine (its own home under ``work``)."""
    from arkiv.backend import open_engine, open_store

    home = work / f"home-{name}"
    out: dict[str, Any] = {}
    if fresh:
        shutil.rmtree(home, ignore_errors=True)
        log(f"[{name}] ingesting with `arkiv ingest` …")
        out["ingest"] = ing = ingest(home, corpus, database)
        log(f"  {ing['seconds']:.1f} s; {ing['summary']}; {ing['failed_files']} failed files, "
            f"{ing['warnings']} warnings")
    else:
        log(f"[{name}] reusing {home}")
    settings = settings_for(home, database)
    store = open_store(settings)
    counts = store.counts()
    out["counts"] = counts
    out["index"] = _sizes(home, database, counts["items"])
    if "ingest" in out:
        out["ingest"]["items_per_s"] = counts["items"] / out["ingest"]["seconds"]
        log(f"  ingest {out['ingest']['items_per_s']:.0f} items/s; index {out['index']['bytes'] / 1e6:.1f} MB "
            f"= {out['index']['bytes_per_item']:.0f} bytes/item")
        log(f"[{name}] index build: the engine's rebuild of every stored meeting …")
        out["index_build"] = b = index_build(store, settings)
        log(f"  {b['items']} items in {b['seconds']:.1f} s = {b['items_per_s']:.0f} items/s "
            f"(reading the meetings from the store: {b['load_seconds']:.1f} s, not counted)")

    log(f"[{name}] cold open (fresh process) …")
    out["open"] = cold_open(home, database)
    log("  " + ", ".join(f"{k} {v:.0f}" for k, v in out["open"].items()))

    log(f"[{name}] in-process search latency per query class …")
    engine = open_engine(store, settings)
    store.close()
    classes = query_classes(engine)
    prof = OUT / f"profile-{name}-{time.strftime('%Y%m%d-%H%M%S')}.txt" if args.profile else None
    out["search"] = bench_search(engine, classes, args.per_class, prof)
    log(f"[{name}] one engine, several threads (searches/s) …")
    out["threads"] = bench_threads(engine, classes)
    out["bench_process_rss_mib"] = rss_mib(os.getpid())

    if not args.no_http:
        log(f"[{name}] HTTP: `arkiv serve` with {args.clients} concurrent clients …")
        server = Server(home, threads=args.clients, database=database)
        try:
            out["http_first_request_ms"] = server.first_request_ms
            out["http"] = run_clients(server.port, args.clients, make_mixed_request(classes, 0.0),
                                      args.http_requests, args.http_seconds)
            h = out["http"]
            log(f"  {h['requests']} requests, p50 {h['p50']:.1f} ms, p95 {h['p95']:.1f} ms, "
                f"p99 {h['p99']:.1f} ms, {h['req_per_s']:.0f} req/s, statuses {h['statuses']}")
            if args.load_seconds > 0:
                log(f"load test: {args.clients} clients × {args.load_seconds:.0f} s, 30 % hostile …")
                out["load"] = run_clients(server.port, args.clients, make_mixed_request(classes, 0.3),
                                          10**9, args.load_seconds)
                lt = out["load"]
                log(f"  {lt['requests']} requests, statuses {lt['statuses']}, 5xx {lt['server_errors']}, "
                    f"connection errors {lt['connection_errors']}")
            # Memory of each gunicorn worker after the load: index data, caches, Python.
            out["worker_rss_mib"] = [rss_mib(p) for p in children(server.proc.pid)]
            log(f"  memory per worker (RSS): {', '.join(f'{m:.0f} MiB' for m in out['worker_rss_mib'])}")
        finally:
            server.stop()
        out["serve_log_tail"] = server.log_path.read_text(errors="replace")[-3000:]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmark.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--engine", choices=(*ENGINE_SETS, *(e for sets in ENGINE_SETS.values() for e in sets)),
                    default="tantivy",
                    help="the search engine(s) to measure; postgres starts a PostgreSQL 15 cluster of its own")
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
    corpus = work / "corpus"
    engines = list(ENGINE_SETS.get(args.engine, (args.engine,)))
    results: dict[str, Any] = {
        "timestamp": stamp, "items_requested": args.items, "seed": args.seed,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                    "load_before": os.getloadavg()},
        "targets_at_100k": TARGETS, "engines": {},
    }
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)

    work.mkdir(parents=True, exist_ok=True)
    _lock_workdir(work)                    # the lock is held until the process exits
    have_corpus = args.reuse and (corpus / ".complete").exists()
    if not have_corpus:
        shutil.rmtree(corpus, ignore_errors=True)
        from benchmark.generate import write_corpus
        log(f"generating {args.items} items into {corpus} …")
        t0 = time.perf_counter()
        summary = write_corpus(args.items, corpus, args.seed)
        (corpus / ".complete").write_text(json.dumps(summary))
        results["generate"] = {**summary, "seconds": time.perf_counter() - t0}
        log(f"  {summary['items']} items, {summary['files']} files in {results['generate']['seconds']:.1f} s")

    cluster = None
    try:
        for name in engines:
            if name == "postgres":
                cluster, database, kept = _pg_cluster(work, args.reuse and have_corpus)
                fresh = not kept
            else:
                database = None
                fresh = not (args.reuse and have_corpus and (work / f"home-{name}" / "arkiv.sqlite").exists())
            results["engines"][name] = run_engine(name, work, corpus, args, fresh, database)
    finally:
        if cluster is not None:
            cluster.stop(remove=False)          # kept for --reuse; the next run without it deletes it

    if not args.no_ocr:
        from benchmark.scanned import bench_ocr
        log("OCR: a scanned five-page file through `arkiv ingest` and `arkiv reindex` …")
        results["ocr"] = ocr = bench_ocr(work / "ocr", arkiv_cmd)
        log("  " + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in ocr.items()))

    results["machine"]["load_after"] = os.getloadavg()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"results-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(render_table(results))
    print(f"\nresults: {path}")
    bad = 0
    for r in results["engines"].values():
        for part in ("http", "load"):
            bad += r.get(part, {}).get("server_errors", 0) + sum(r.get(part, {}).get("connection_errors", {}).values())
    return 1 if bad else 0


def render_table(r: dict[str, Any]) -> str:
    """The engines side by side (one column each)."""
    engines = r["engines"]
    names = list(engines)
    width = 14

    def row(label: str, values: list[str]) -> str:
        return f"{label:34s}" + "".join(f"{v:>{width}s}" for v in values)

    def ms(value: float) -> str:
        return f"{value:.1f}" if value == value else "-"

    first = next(iter(engines.values()), {})
    c = first.get("counts", {})
    lines = [f"\narkiv benchmark — {c.get('items', '?')} items in {c.get('meetings', '?')} meetings "
             f"({r['machine']['cpus']} CPUs, Python {r['machine']['python']}, load average before "
             f"{r['machine']['load_before'][0]:.1f})", "-" * (34 + width * len(names)), row("", names)]
    lines.append(row("ingest (items/s)", [f"{e['ingest']['items_per_s']:.0f}" if "ingest" in e else "reused"
                                          for e in engines.values()]))
    lines.append(row("index build (items/s)", [f"{e['index_build']['items_per_s']:.0f}" if "index_build" in e
                                               else "-" for e in engines.values()]))
    lines.append(row("index size (bytes/item)", [f"{e['index']['bytes_per_item']:.0f}" for e in engines.values()]))
    lines.append(row("open_engine + first search (ms)", [ms(e["open"]["open_engine_ms"] + e["open"]["first_search_ms"])
                                                         for e in engines.values()]))
    lines.append("")
    lines.append(row("search in-process, p50 / p95 (ms)", names))
    for cls in first.get("search", {}):
        label = f"  {cls} ({first['search'][cls]['mean_total']:.0f} hits)"
        lines.append(row(label[:34], [f"{ms(e['search'][cls]['p50'])} / {ms(e['search'][cls]['p95'])}"
                                      for e in engines.values()]))
    lines.append(row("one engine, 1/2/4 threads (/s)", ["/".join(f"{e['threads'][k]:.0f}" for k in ("1", "2", "4"))
                                                        for e in engines.values()]))
    if all("http" in e for e in engines.values()) and engines:
        lines.append(row("HTTP, 8 clients, p50 / p95 (ms)", [f"{ms(e['http']['p50'])} / {ms(e['http']['p95'])}"
                                                             for e in engines.values()]))
        lines.append(row("HTTP requests/s", [f"{e['http']['req_per_s']:.0f}" for e in engines.values()]))
    if all("load" in e for e in engines.values()) and engines:
        lines.append(row("load test: 5xx / connection errors",
                         [f"{e['load']['server_errors']} / {sum(e['load']['connection_errors'].values())}"
                          for e in engines.values()]))
    if all(e.get("worker_rss_mib") for e in engines.values()) and engines:
        lines.append(row("memory per server worker (MiB)", [" ".join(f"{m:.0f}" for m in e["worker_rss_mib"])
                                                            for e in engines.values()]))
    lines.append(f"targets at 100k: search p95 < {TARGETS['search_p95_ms']:.0f} ms, HTTP p95 < "
                 f"{TARGETS['http_p95_ms']:.0f} ms, ingest ≥ {TARGETS['ingest_items_per_s']:.0f} items/s "
                 "(PostgreSQL, issue 10: p95 < 25 ms at 100k, < 100 ms and ≥ 2,000 items/s index build at 1M)")
    if "ocr" in r:
        o = r["ocr"]
        lines.append("")
        if "skipped" in o:
            lines.append(f"{'OCR':34s} sprunget over: {o['skipped']}")
        else:
            lines.append(f"{'OCR (Tesseract, one page)':34s} {o['ocr_seconds_per_page']:9.2f} s/page  ({o['engine']})")
            lines.append(f"{'scanned 5-page file: ingest':34s} {o['ingest_seconds']:9.1f} s   target < 60 s; "
                         f"reindex {o['reindex_seconds']:.1f} s (cached); word recall {o['word_recall']:.1%}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
