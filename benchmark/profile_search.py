"""Profile searches (or an ingest) on an existing benchmark archive with pyinstrument.

    python -m benchmark.profile_search --home benchmark/out/work-10000/home --class "common word"
    python -m benchmark.profile_search --home … --q forvaltningen --repeat 200 --no-facets
    python -m benchmark.profile_search --ingest benchmark/out/work-10000/corpus --items 2000

Prints pyinstrument's text tree (library frames shown) and writes an HTML file next to
the benchmark results in benchmark/out/.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pyinstrument import Profiler

OUT = Path(__file__).resolve().parent / "out"


def profile_search(args) -> Profiler:
    from benchmark.search_load import _request, query_classes
    from index.engine_tantivy import open_engine
    from index.search import search

    engine = open_engine(Path(args.home) / "index")
    if args.q is not None:
        plist = [{"q": args.q}]
    else:
        plist = query_classes(engine)[args.klass]
    extra = {}
    if args.no_facets:
        extra["_facets"] = "0"
    if args.no_snippets:
        extra["_snippets"] = "0"
    reqs = [_request({**p, **extra}) for p in plist]
    for r in reqs:
        search(engine, r)
    prof = Profiler(interval=0.0002)
    t0 = time.perf_counter()
    prof.start()
    for i in range(args.repeat):
        search(engine, reqs[i % len(reqs)])
    prof.stop()
    print(f"{args.repeat} searches, {(time.perf_counter() - t0) / args.repeat * 1000:.1f} ms each "
          f"(under the profiler)", file=sys.stderr)
    return prof


def profile_ingest(args) -> Profiler:
    from archive.ingest import ingest
    from archive.store.sqlite import Store
    from index.engine_tantivy import open_engine

    src = Path(args.ingest)
    files = sorted(p for p in src.rglob("*") if p.suffix in (".txt", ".md"))
    tmp = Path(tempfile.mkdtemp(prefix="arkiv-prof-"))
    try:
        # Copy about --items items' worth of files (10 per file) so the run is bounded.
        picked = tmp / "corpus"
        for f in files[: max(1, args.items // 10)]:
            dest = picked / f.relative_to(src)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, dest)
        store = Store(tmp / "home")
        engine = open_engine(store.index_dir)
        prof = Profiler(interval=0.001)
        t0 = time.perf_counter()
        prof.start()
        report = ingest([picked], store, engine, progress=False)
        prof.stop()
        secs = time.perf_counter() - t0
        print(f"ingested {report.items} items in {secs:.1f} s = {report.items / secs:.0f} items/s "
              f"(under the profiler)", file=sys.stderr)
        store.close()
        engine.close()
        return prof
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmark.profile_search")
    ap.add_argument("--home", default=str(OUT / "work-10000" / "home"))
    ap.add_argument("--class", dest="klass", default="common word")
    ap.add_argument("--q", default=None, help="profile this one query instead of a class")
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--no-facets", action="store_true")
    ap.add_argument("--no-snippets", action="store_true")
    ap.add_argument("--ingest", help="profile an in-process ingest of (part of) this corpus folder")
    ap.add_argument("--items", type=int, default=2000)
    args = ap.parse_args(argv)
    prof = profile_ingest(args) if args.ingest else profile_search(args)
    print(prof.output_text(unicode=True, color=False, show_all=True))
    OUT.mkdir(parents=True, exist_ok=True)
    name = "ingest" if args.ingest else (args.q or args.klass).replace(" ", "-").replace("/", "_")[:40]
    html = OUT / f"profile-{name}-{time.strftime('%H%M%S')}.html"
    html.write_text(prof.output_html())
    print(f"HTML: {html}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
