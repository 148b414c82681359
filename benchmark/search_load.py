"""The benchmark's query classes and its in-process searches (latency per class, searches/s per thread count)."""
from __future__ import annotations

import random
import statistics
import threading
import time
from pathlib import Path
from typing import Any

from .measure import log, percentiles


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

    # No hits: "did you mean" walks the term list; long words are bounded (index.query_terms.MAX_SUGGEST).
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
