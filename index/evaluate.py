"""Search quality: nDCG@10 and recall for the full Danish chain against a Lucene-style baseline.

    python -m index.evaluate [--json] [--verbose]
    arkiv --home HOME evaluate [--judgments FILE]

Builds two temporary indexes over the same items: one with arkiv's Danish chain
(normalisation, base forms, stemming, compound parts, and at query time compounds
written apart, minutes' vocabulary, spellings) and one with the baseline every text field
(what Lucene's Danish analyzer does: lowercase, Snowball's stopwords and stemmer).  Runs
every judged query through ``index.search.search`` and prints the metrics per query class
and overall, side by side.  Two judged sets:

- ``index/eval/judgments.json``: the seed minutes and the fictional corpus of
  ``index/eval/corpus.py`` (items named ``alias/number``), always;
- ``index/eval/realworld.json``: real minutes (``../shared/realworld`` and its labelled set,
  never copied here), judged by reading the items, named by item id; scored over the
  archive in the home when it holds them (``arkiv ingest ../shared/realworld`` first), as
  is any ``--judgments`` file of that shape.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from archive.model import Meeting

HERE = Path(__file__).resolve().parent
JUDGMENTS = HERE / "eval" / "judgments.json"
REALWORLD = HERE / "eval" / "realworld.json"
SEED = HERE.parent / "data" / "minutes" / "2018-06-20_personlig-medicin-bestyrelse_6-moede.txt"
K = 10
CHAINS = ("danish", "snowball")
FICTIONAL = "fiktive referater"


@dataclass
class QueryScore:
    q: str
    cls: str
    ndcg: float
    recall_k: float
    recall: float
    top: list[str]
    ranked: list[str] = field(default_factory=list, repr=False)     # every hit, in order


def load_judgments(path: Path = JUDGMENTS) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def load_corpus(seed: Path = SEED) -> dict[str, Meeting]:
    """alias -> Meeting (ids assigned).  The seed is parsed when its file is there."""
    from index.eval.corpus import fictional_meetings

    meetings = dict(fictional_meetings())
    if seed.is_file():
        from archive.ids import assign_ids
        from archive.parse.document import parse_text

        data = seed.read_bytes()
        m = parse_text(data.decode("utf-8"), seed.name)
        assign_ids(m)
        m.source_sha256 = hashlib.sha256(data).hexdigest()
        meetings["seed"] = m
    return meetings


def alias_map(meetings: dict[str, Meeting]) -> dict[str, str]:
    """'alias/number' -> item id."""
    out = {}
    for alias, m in meetings.items():
        for item in m.items:
            out[f"{alias}/{item.number}"] = item.id
    return out


def dcg(gains: Sequence[float]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def score_query(ranked: list[str], rel: dict[str, int], k: int = K) -> tuple[float, float, float]:
    gains = [rel.get(i, 0) for i in ranked[:k]]
    ideal = dcg(sorted(rel.values(), reverse=True)[:k])
    ndcg = dcg(gains) / ideal if ideal else 0.0
    relevant = {i for i, g in rel.items() if g > 0}
    recall_k = len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0
    recall = len(relevant & set(ranked)) / len(relevant) if relevant else 0.0
    return ndcg, recall_k, recall


def run_chain(chain: str, meetings: dict[str, Meeting], judgments: list[dict], workdir: Path,
              ids: dict[str, str] | None = None) -> list[QueryScore]:
    """The judged queries on a fresh tantivy index of ``meetings`` built with ``chain``."""
    from index.engine_tantivy import TantivyEngine

    engine = TantivyEngine(workdir / chain, chain=chain)
    try:
        engine.rebuild(meetings.values())
        return run_queries(engine, meetings, judgments, ids)
    finally:
        engine.close()


def run_queries(engine, meetings: dict[str, Meeting], judgments: list[dict],
                ids: dict[str, str] | None = None) -> list[QueryScore]:
    """Every judged query through ``index.search.search`` on ``engine`` (any
    index.engine_api.SearchEngine holding ``meetings``), scored; ``QueryScore.top`` has the
    first K hits and ``ranked`` (not kept) all of them.  ``ids``: a judgment's name of an item
    -> its id (default: ``alias/number``, :func:`alias_map`)."""
    from index.search import parse_request, search

    ids = alias_map(meetings) if ids is None else ids
    back = {v: k for k, v in ids.items()}
    scores = []
    for j in judgments:
        missing = [a for a in j["rel"] if a not in ids]
        if missing:
            raise ValueError(f"judgment for {j['q']!r} names unknown items: {missing}")
        rel: dict[str, int] = {}
        for a, g in j["rel"].items():         # two names of one item: its higher grade
            rel[ids[a]] = max(rel.get(ids[a], 0), int(g))
        req = parse_request({"q": j["q"], "per_page": "100"})
        req.snippets = False
        req.facets = False
        resp = search(engine, req)
        ranked = [h.id for h in resp.results]
        # Everything beyond the first page counts for full recall.
        page = 2
        while len(ranked) < resp.total:
            req.page = page
            ranked += [h.id for h in search(engine, req).results]
            page += 1
        ndcg, rk, r = score_query(ranked, rel)
        scores.append(QueryScore(j["q"], j.get("class", "all"), ndcg, rk, r,
                                 [back.get(i, i) for i in ranked[:K]], [back.get(i, i) for i in ranked]))
    return scores


def summarise(scores: list[QueryScore]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[QueryScore]] = defaultdict(list)
    for s in scores:
        groups[s.cls].append(s)
        groups["ALL"].append(s)
    return {
        cls: {
            "n": len(v),
            "ndcg@10": sum(s.ndcg for s in v) / len(v),
            "recall@10": sum(s.recall_k for s in v) / len(v),
            "recall": sum(s.recall for s in v) / len(v),
        }
        for cls, v in groups.items()
    }


def evaluate(judgments_path: Path = JUDGMENTS) -> dict[str, Any]:
    """Both chains' per-query scores and summaries on the fictional set."""
    judgments = load_judgments(judgments_path)
    meetings = load_corpus()
    if "seed" not in meetings:
        judgments = [j for j in judgments if not any(a.startswith("seed/") for a in j["rel"])]
    return _both(meetings, judgments, None)


def evaluate_archive(meetings: Sequence[Meeting], judgments: list[dict]) -> dict[str, Any] | None:
    """Both chains on the judged queries (items named by id) over ``meetings`` (an archive's),
    or None when the archive lacks more than a tenth of the items they name (it holds other minutes)."""
    by_id = {m.id: m for m in meetings}
    ids = {item.id: item.id for m in meetings for item in m.items}
    # The parser may since have read a meeting differently: where a judged item's meeting now keeps
    # its text as one item (prose minutes), that item holds the judged text; other items that are gone
    # are left out, reported as "unknown", up to a tenth of the judged ones (beyond that the archive
    # holds other minutes).
    unknown = set()
    for named in {i for j in judgments for i in j["rel"]} - ids.keys():
        meeting = by_id.get(named.split("--")[0])
        if meeting is not None and len(meeting.items) == 1:
            ids[named] = meeting.items[0].id
        else:
            unknown.add(named)
    judged = sum(len(j["rel"]) for j in judgments)
    if not judgments or len(unknown) > judged / 10:
        return None
    kept = [{**j, "rel": {i: g for i, g in j["rel"].items() if i not in unknown}} for j in judgments]
    return {**_both(by_id, [j for j in kept if j["rel"]], ids), "unknown": sorted(unknown)}


def _both(meetings: dict[str, Meeting], judgments: list[dict], ids: dict[str, str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"queries": len(judgments)}
    with tempfile.TemporaryDirectory(prefix="arkiv-eval-") as tmp:
        for chain in CHAINS:
            scores = run_chain(chain, meetings, judgments, Path(tmp), ids)
            out[chain] = {"scores": scores, "summary": summarise(scores)}
    return out


def _table(result: dict[str, Any]) -> str:
    d, s = result["danish"]["summary"], result["snowball"]["summary"]
    classes = sorted(c for c in d if c != "ALL") + ["ALL"]
    lines = [
        f"{'klasse':<16}{'n':>4}  {'nDCG@10 dansk':>15}{'lucene':>10}  {'R@10 dansk':>12}{'lucene':>10}"
        f"  {'recall dansk':>14}{'lucene':>10}",
    ]
    for c in classes:
        lines.append(
            f"{c:<16}{d[c]['n']:>4}  {d[c]['ndcg@10']:>15.3f}{s[c]['ndcg@10']:>10.3f}  "
            f"{d[c]['recall@10']:>12.3f}{s[c]['recall@10']:>10.3f}  {d[c]['recall']:>14.3f}{s[c]['recall']:>10.3f}"
        )
    return "\n".join(lines)


def report(result: dict[str, Any], title: str, verbose: bool) -> str:
    """One judged set's table (and, ``verbose``, each query's figures), in Danish."""
    lines = [f"{title}: {result['queries']} bedømte forespørgsler, k={K}", "", _table(result)]
    if verbose:
        lines.append("")
        for a, b in zip(result["danish"]["scores"], result["snowball"]["scores"], strict=True):
            flag = "+" if a.ndcg > b.ndcg + 1e-9 else ("-" if a.ndcg < b.ndcg - 1e-9 else " ")
            lines.append(f"{flag} {a.q:<38} {a.cls:<15} nDCG {a.ndcg:.3f} / {b.ndcg:.3f}   "
                         f"R@10 {a.recall_k:.2f} / {b.recall_k:.2f}")
    d, s = result["danish"]["summary"]["ALL"], result["snowball"]["summary"]["ALL"]
    better = d["ndcg@10"] > s["ndcg@10"] and d["recall@10"] > s["recall@10"]
    lines.append(f"\nDen danske kæde {'slår' if better else 'slår IKKE'} Lucene-grundlinjen på nDCG@10 og recall@10.")
    return "\n".join(lines)


def main(argv: list[str] | None = None, archive: Sequence[Meeting] | None = None) -> int:
    """``archive``: the meetings of the archive in the home (the CLI's), for the judged sets of real
    minutes; without it only the fictional set is scored."""
    ap = argparse.ArgumentParser(prog="arkiv evaluate", description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="skriv resultaterne som JSON")
    ap.add_argument("--verbose", "-v", action="store_true", help="skriv hver forespørgsels tal")
    ap.add_argument("--judgments", type=Path, help="bedømte forespørgsler (punkter ved id) over arkivet i hjemmet")
    args = ap.parse_args(argv)
    results: dict[str, dict[str, Any]] = {}
    if args.judgments is None:
        results[FICTIONAL] = evaluate()
    real = args.judgments or REALWORLD
    if archive is not None and real.is_file():
        found = evaluate_archive(archive, load_judgments(real))
        if found is not None:
            results[f"arkivets referater ({real.name})"] = found
        elif args.judgments is not None:
            print(f"arkivet i hjemmet har ikke de punkter, {real} bedømmer", file=sys.stderr)
            return 1
    if args.json:
        # The fictional set's figures at the top, as always; a set of the archive's minutes under "archive".
        shaped = {c: results[FICTIONAL][c]["summary"] for c in CHAINS} if FICTIONAL in results else {}
        for name, r in results.items():
            if name != FICTIONAL:
                shaped["archive"] = {"judgments": name, **{c: r[c]["summary"] for c in CHAINS}}
        print(json.dumps(shaped, indent=2))
        return 0
    print("\n\n".join(report(r, name, args.verbose) for name, r in results.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
