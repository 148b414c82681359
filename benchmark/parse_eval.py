"""How well the parser reads minutes of bodies it was not built on: a score over a labelled set.

    python -m benchmark.parse_eval [--labelled DIR] [--json OUT] [--as-named]

DIR (default ``../shared/realworld/labelled``) holds ``files/`` and ``truth.json`` written by
reading each document (its README says what each field means).  Each file is parsed alone
under a neutral name, ``Referater/dokument.<ext>``, so what is measured is the reading of the
document, not of its file name (``--as-named`` keeps the real names).  Per file and in total:

- item count (right within the label's ``tol``), item titles (precision and recall of titles
  matched after normalising), first title, date, body (the label's ``body_key`` inside the body,
  where the document names its body), kind (minutes or agenda), presenters (recall of the
  labelled names on their items), outcomes (labelled items whose outcomes hold the label);
- "all four": item count, date, body and first title right together (the issue's main figure).

It prints a table and writes JSON (default ``benchmark/out/parse-eval.json``).  Scanned files
are read through OCR, cached in ``benchmark/out/ocr-cache``.  No real text is kept in this
repository: the set lives outside it.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from archive.extract.files import extract_document
from archive.extract.ocr import OcrOptions
from archive.model import Meeting
from archive.parse.document import Hints, parse_document

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT.parent / "shared" / "realworld" / "labelled"
OUT = ROOT / "benchmark" / "out"
NEUTRAL_FOLDER = "Referater"


def normalise(title: str) -> str:
    """A title as compared: case, accents of æøå kept, punctuation and spacing dropped."""
    text = unicodedata.normalize("NFC", title).casefold()
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


@dataclass
class FileScore:
    name: str
    items_truth: int
    items_found: int
    items_ok: bool
    titles_matched: int
    first_ok: bool
    date_ok: bool
    body_ok: bool | None          # None: the document never names its body
    kind_ok: bool
    presenters: tuple[int, int]   # (found, labelled)
    outcomes: tuple[int, int]     # (right, labelled)
    all_four: bool
    body: str = ""
    date: str = ""
    kind: str = ""
    first: str = ""
    error: str = ""
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


def _match(truth: list[str], found: list[str]) -> list[tuple[int, int]]:
    """Pairs (truth index, found index) of equal normalised titles, in order (an LCS)."""
    a, b = [normalise(t) for t in truth], [normalise(t) for t in found]
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if a[i] == b[j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def parse_file(path: Path, neutral: bool, ocr_cache: Path) -> Meeting:
    name = f"dokument{path.suffix.lower()}" if neutral else path.name
    folder = NEUTRAL_FOLDER if neutral else path.parent.name
    document = extract_document(path.read_bytes(), name, OcrOptions(cache_dir=ocr_cache))
    return parse_document(document, f"{folder}/{name}", Hints(folder=folder))


def score(name: str, truth: dict, meeting: Meeting | None, error: str = "") -> FileScore:
    items = meeting.agenda_items() if meeting else []     # none where the whole text is kept as one item
    titles = [i.title for i in items]
    pairs = _match(truth["titles"], titles)
    by_truth = {t: items[j] for t, j in pairs}
    first_ok = (not truth["titles"] and not items) or bool(pairs and pairs[0] == (0, 0))
    items_ok = abs(len(items) - truth["items"]) <= truth.get("tol", 0)
    date_ok = bool(meeting and meeting.date and meeting.date.isoformat() == truth["date"])
    body_ok = None
    if truth.get("body_in_text", True):
        body_ok = bool(meeting and truth["body_key"].casefold() in meeting.body.casefold())
    kind = getattr(meeting, "document_kind", "") if meeting else ""
    index = {normalise(t): k for k, t in enumerate(truth["titles"])}
    found = labelled = 0
    for title, names in truth.get("presenters_by_item", {}).items():
        item = by_truth.get(index.get(normalise(title), -1))
        have = " ".join(p.name for p in item.presenters).casefold() if item else ""
        for person in names:
            labelled += 1
            found += bool(have) and person.casefold() in have
    right = 0
    for title, outcome in truth.get("outcomes", {}).items():
        item = by_truth.get(index.get(normalise(title), -1))
        right += bool(item and outcome in item.outcomes)
    matched_found = {j for _, j in pairs}
    matched_truth = {t for t, _ in pairs}
    return FileScore(
        name=name, items_truth=truth["items"], items_found=len(items), items_ok=items_ok,
        titles_matched=len(pairs), first_ok=first_ok, date_ok=date_ok, body_ok=body_ok,
        kind_ok=kind == truth["kind"], presenters=(found, labelled),
        outcomes=(right, len(truth.get("outcomes", {}))),
        all_four=items_ok and date_ok and first_ok and body_ok is not False,
        body=meeting.body if meeting else "", date=meeting.date.isoformat() if meeting and meeting.date else "",
        kind=kind, first=titles[0] if titles else "", error=error,
        missed=[t for k, t in enumerate(truth["titles"]) if k not in matched_truth],
        extra=[t for k, t in enumerate(titles) if k not in matched_found])


def totals(scores: list[FileScore], truths: dict) -> dict:
    n = len(scores)
    labelled_titles = sum(len(truths[s.name]["titles"]) for s in scores)
    found_titles = sum(s.items_found for s in scores)
    matched = sum(s.titles_matched for s in scores)
    bodies = [s.body_ok for s in scores if s.body_ok is not None]
    pres = [sum(s.presenters[k] for s in scores) for k in (0, 1)]
    outs = [sum(s.outcomes[k] for s in scores) for k in (0, 1)]
    return {
        "files": n,
        "all_four": sum(s.all_four for s in scores) / n,
        "items": sum(s.items_ok for s in scores) / n,
        "first_title": sum(s.first_ok for s in scores) / n,
        "date": sum(s.date_ok for s in scores) / n,
        "body": sum(bodies) / len(bodies) if bodies else 1.0,
        "kind": sum(s.kind_ok for s in scores) / n,
        "title_recall": matched / labelled_titles if labelled_titles else 1.0,
        "title_precision": matched / found_titles if found_titles else 1.0,
        "presenters_recall": pres[0] / pres[1] if pres[1] else 1.0,
        "outcomes": outs[0] / outs[1] if outs[1] else 1.0,
        "outcomes_counts": outs,
    }


def _mark(ok: bool | None) -> str:
    return "-" if ok is None else ("ja" if ok else "NEJ")


def print_table(scores: list[FileScore], summary: dict, out=sys.stdout) -> None:
    print(f"{'fil':44} {'punkter':>9} {'titler':>7} {'1.':>4} {'dato':>4} {'organ':>5} {'art':>4} "
          f"{'udfald':>7} alle", file=out)
    for s in scores:
        print(f"{s.name[:44]:44} {s.items_found:>4}/{s.items_truth:<4} {s.titles_matched:>3}/{s.items_truth:<3} "
              f"{_mark(s.first_ok):>4} {_mark(s.date_ok):>4} {_mark(s.body_ok):>5} {_mark(s.kind_ok):>4} "
              f"{s.outcomes[0]:>3}/{s.outcomes[1]:<3} {_mark(s.all_four)}"
              + (f"  FEJL: {s.error}" if s.error else ""), file=out)
    pct = {k: f"{v:.0%}" for k, v in summary.items() if isinstance(v, float)}
    print(f"\n{summary['files']} filer: alle fire rigtige {pct['all_four']}; antal punkter {pct['items']}, "
          f"første titel {pct['first_title']}, dato {pct['date']}, organ {pct['body']}, art {pct['kind']}",
          file=out)
    print(f"titler: genkaldelse {summary['title_recall']:.3f}, præcision {summary['title_precision']:.3f}; "
          f"oplægsholdere: genkaldelse {summary['presenters_recall']:.3f}; udfald rigtige "
          f"{summary['outcomes_counts'][0]}/{summary['outcomes_counts'][1]} ({pct['outcomes']})", file=out)


def evaluate(folder: Path, neutral: bool = True, only: str = "") -> tuple[list[FileScore], dict]:
    truths = json.loads((folder / "truth.json").read_text(encoding="utf-8"))["files"]
    cache = OUT / "ocr-cache"
    cache.mkdir(parents=True, exist_ok=True)
    scores = []
    for name, truth in sorted(truths.items()):
        if only and only not in name:
            continue
        try:
            meeting, error = parse_file(folder / "files" / name, neutral, cache), ""
        except Exception as exc:          # a file the parser rejects scores as nothing found
            meeting, error = None, f"{type(exc).__name__}: {exc}"
        scores.append(score(name, truth, meeting, error))
    return scores, totals(scores, truths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labelled", type=Path, default=DEFAULT_SET, help="folder with files/ and truth.json")
    parser.add_argument("--json", type=Path, default=OUT / "parse-eval.json", help="where the JSON goes")
    parser.add_argument("--as-named", action="store_true", help="parse under the files' real names")
    parser.add_argument("--only", default="", help="only files whose name holds this")
    parser.add_argument("-v", "--verbose", action="store_true", help="list missed and extra titles")
    args = parser.parse_args(argv)
    if not (args.labelled / "truth.json").is_file():
        print(f"parse_eval: {args.labelled / 'truth.json'} findes ikke", file=sys.stderr)
        return 2
    scores, summary = evaluate(args.labelled, neutral=not args.as_named, only=args.only)
    print_table(scores, summary)
    if args.verbose:
        for s in scores:
            if s.missed or s.extra or not (s.body_ok is not False and s.date_ok):
                print(f"\n{s.name}: organ {s.body!r}, dato {s.date}, art {s.kind!r}")
                for t in s.missed:
                    print(f"   mangler: {t}")
                for t in s.extra:
                    print(f"   ekstra:  {t}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"summary": summary, "files": [asdict(s) for s in scores]},
                                    ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
