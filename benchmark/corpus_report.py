"""`make corpus-report`: issue 8's "Done when" figures over the real minutes in ../shared/realworld.

    python -m benchmark.corpus_report [--realworld DIR] [--labels tests/data/corpus_labels.json]

Ingests every real document (the corpus of four bodies and the files beside it)
into a fresh archive with the real ingest, then measures:

* meeting dates against the date the file name carries, read by each folder's
  own naming convention (as the corpus README describes it: ``referat_YYYYMMDD``,
  ``…_DDMMYY`` at IMADA, ``YYMMDD_…`` at Nordjysk Kampsportscenter);
* HTML/PDF twins (``referat_YYYYMMDD.html`` / ``.pdf``) stored as one meeting;
* meetings without a body;
* lines kept: every line of eight or more words of each file's extracted text
  found in the export of the meeting the file belongs to (archive.parse.coverage);
* item counts against the labels in tests/data/corpus_labels.json;
* outcomes against the labelled items of tests/data/outcome_labels.json (precision and
  recall per slug, benchmark.outcome_report);
* the time the ingest took.

tests/test_corpus.py asserts the thresholds on the same figures.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmark import outcome_report

ROOT = Path(__file__).resolve().parent.parent
REALWORLD = ROOT.parent / "shared" / "realworld"
LABELS = ROOT / "tests" / "data" / "corpus_labels.json"

THRESHOLDS = {"dates": 0.95, "twins": 0.95, "lines": 0.98, "labels": 40}
KEPT_SHARE = 0.95              # a file "keeps its lines" when this share of its long lines is found


# Each folder's naming convention: (pattern, order of its groups), as the corpus README describes.
_CONVENTIONS = {
    "ef-oresund-strandpark": [(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)", "ymd"),
                              (r"(?<!\d)(\d{2})(\d{2})((?:19|20)\d{2})(?!\d)", "dmy")],
    "imada-fagraad": [(r"_(\d{2})(\d{2})(\d{2})(?!\d)", "dmY")],
    "nordjysk-kampsportscenter": [(r"^(\d{2})(\d{2})(\d{2})_", "Ymd")],
}


def name_date(relative: str) -> dt.date | None:
    """The meeting date a corpus file's name carries, by its folder's convention (None: no full date)."""
    folder, _, name = relative.partition("/")
    stem = Path(name).stem
    for pattern, order in _CONVENTIONS.get(folder, []):
        m = re.search(pattern, stem)
        if not m:
            continue
        parts = dict(zip(order, (int(g) for g in m.groups()), strict=True))
        year = parts.get("y") or 2000 + parts["Y"]
        try:
            return dt.date(year, parts["m"], parts["d"])
        except ValueError:              # "110400": a month, not a day; "20032023" read year first
            continue
    return None


@dataclass
class Figures:
    files: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    dates_right: int = 0
    dates_total: int = 0
    dates_wrong: list[str] = field(default_factory=list)
    twins_merged: int = 0
    twins_total: int = 0
    twins_unreadable: int = 0
    twins_apart: list[str] = field(default_factory=list)
    meetings: int = 0
    bodies: int = 0
    empty_bodies: int = 0
    folder_bodies: dict[str, Counter] = field(default_factory=dict)   # corpus folder → its meetings' bodies
    lines_files_ok: int = 0
    lines_files: int = 0
    lines_kept: int = 0
    lines_total: int = 0
    lines_worst: list[tuple[float, str]] = field(default_factory=list)
    labels_right: int = 0
    labels_total: int = 0
    labels_wrong: list[str] = field(default_factory=list)
    titles_right: int = 0
    titles_total: int = 0
    titles_wrong: list[str] = field(default_factory=list)
    single_item: list[str] = field(default_factory=list)
    outcomes: outcome_report.OutcomeFigures = field(default_factory=outcome_report.OutcomeFigures)

    def share(self, name: str) -> float:
        right, total = {"dates": (self.dates_right, self.dates_total),
                        "twins": (self.twins_merged, self.twins_total),
                        "lines": (self.lines_files_ok, self.lines_files)}[name]
        return right / total if total else 0.0


def measure(realworld: Path = REALWORLD, labels_path: Path = LABELS, home: Path | None = None) -> Figures:
    from archive.ingest import ingest
    from archive.parse.coverage import letters, line_kept
    from archive.store.sqlite import Store
    from index.engine_tantivy import open_engine

    corpus = realworld / "corpus"
    labels = json.loads(labels_path.read_text(encoding="utf-8"))["files"]
    figures = Figures()
    with tempfile.TemporaryDirectory(prefix="arkiv-corpus-") as tmp:
        store = Store(home or Path(tmp))
        try:
            started = time.perf_counter()
            report = ingest([realworld], store, open_engine(store.index_dir), progress=False)
            figures.seconds = time.perf_counter() - started
            figures.files = len(report.results)
            figures.failed = [f"{Path(r.path).name}: {r.message}" for r in report.failed]
            figures.single_item = [Path(r.path).name for r in report.results if r.single_item]
            by_source = {Path(path): value for path, value in store.source_meetings().items()}
            meetings = {m.id: m for m in store.iter_meetings()}
        finally:
            store.close()

    def relative(path: Path) -> str:
        return str(path.relative_to(corpus)) if path.is_relative_to(corpus) else path.name

    figures.meetings = len(meetings)
    figures.bodies = len({m.body for m in meetings.values()})
    figures.empty_bodies = sum(1 for m in meetings.values() if not m.body.strip())
    seen: set[str] = set()
    for path, (mid, _) in sorted(by_source.items()):
        if path.is_relative_to(corpus) and mid in meetings and mid not in seen:
            seen.add(mid)
            figures.folder_bodies.setdefault(relative(path).split("/")[0], Counter())[meetings[mid].body] += 1
    # Dates, by the file's meeting.
    for path, (mid, _) in sorted(by_source.items()):
        expected = name_date(relative(path)) if path.is_relative_to(corpus) else None
        if expected is None:
            continue
        figures.dates_total += 1
        got = meetings[mid].date
        if got == expected:
            figures.dates_right += 1
        else:
            figures.dates_wrong.append(f"{relative(path)}: {got} (filnavnet: {expected})")
    # HTML/PDF twins.
    ef = corpus / "ef-oresund-strandpark"
    for html in sorted(ef.glob("referat_*.html")):
        pdf = html.with_suffix(".pdf")
        if not pdf.exists():
            continue
        if html.resolve() not in by_source or pdf.resolve() not in by_source:
            figures.twins_unreadable += 1
            continue
        figures.twins_total += 1
        if by_source[html.resolve()][0] == by_source[pdf.resolve()][0]:
            figures.twins_merged += 1
        else:
            figures.twins_apart.append(html.stem)
    # Lines kept, against the export of each file's meeting.
    haystacks: dict[str, str] = {}
    for path, (mid, _) in sorted(by_source.items()):
        if mid not in haystacks:
            haystacks[mid] = meeting_haystack(meetings[mid])
        lines = long_lines(path)
        if not lines:
            continue
        kept = sum(1 for line in lines if line_kept(line, haystacks[mid]))
        figures.lines_files += 1
        figures.lines_kept += kept
        figures.lines_total += len(lines)
        share = kept / len(lines)
        figures.lines_files_ok += share >= KEPT_SHARE
        figures.lines_worst.append((share, relative(path)))
    figures.lines_worst = sorted(figures.lines_worst)[:8]
    # Item counts against the labels, by each file's own parse.
    for name, label in sorted(labels.items()):
        path = (corpus / name).resolve()
        figures.labels_total += 1
        parse = by_source.get(path, (None, None))[1]
        count = len(parse.agenda_items()) if parse is not None else 0
        if count == label["items"]:
            figures.labels_right += 1
        else:
            figures.labels_wrong.append(f"{name}: {count} punkter, mærket {label['items']}")
        for end, k in (("first", 0), ("last", -1)):
            if end in label and parse is not None and parse.items:
                figures.titles_total += 1
                if letters(parse.items[k].title) == letters(label[end]):
                    figures.titles_right += 1
                else:
                    figures.titles_wrong.append(f"{name}: «{parse.items[k].title[:60]}», mærket «{label[end]}»")
    figures.outcomes = outcome_report.measure(_labelled_parses(realworld, by_source))
    return figures


def meeting_haystack(meeting) -> str:
    """Everything ``arkiv export`` writes of a meeting and its items, reduced to words (archive.parse.coverage)."""
    from archive.export import item_record, meeting_fields
    from archive.parse.coverage import letters, record_text

    parts = list(record_text(meeting_fields(meeting)))
    for item in meeting.items:
        parts += list(record_text(item_record(item, meeting)))
    return letters("\n".join(parts))


def long_lines(path: Path) -> list[str]:
    """The lines of eight or more words of a file's extracted text: what "nothing is lost" is measured on."""
    from archive.extract.files import extract_document
    from archive.parse.coverage import is_long

    return [line for line in extract_document(path.read_bytes(), path.name).text().split("\n") if is_long(line)]


def _labelled_parses(realworld: Path, by_source: dict) -> dict:
    """Each file of the outcome labels → its own parse: the ingest's for the real files, a parse of
    its own for the bundled seed (not in ../shared)."""
    from archive.ingest import parse_file
    from archive.store.originals import sha256_bytes

    parses = {}
    for key, path in outcome_report.label_paths(realworld=realworld).items():
        if path.resolve() in by_source:
            parses[key] = by_source[path.resolve()][1]
        elif path.is_file() and not path.is_relative_to(realworld):
            data = path.read_bytes()
            parses[key] = parse_file(data, sha256_bytes(data), path.name)
    return parses


def render(f: Figures) -> str:
    def mark(ok: bool) -> str:
        return "✓" if ok else "✗"

    lines = [
        f"Indlæst: {f.files} filer på {f.seconds:.1f} s ({len(f.failed)} fejlede: PDF'er uden tekstlag o.l.)",
        f"{mark(f.share('dates') >= THRESHOLDS['dates'])} Mødedato som filnavnet: {f.dates_right} af {f.dates_total} "
        f"({f.share('dates'):.1%}; krav ≥ {THRESHOLDS['dates']:.0%})",
        f"{mark(f.share('twins') >= THRESHOLDS['twins'])} HTML/PDF-tvillinger som ét møde: {f.twins_merged} af "
        f"{f.twins_total} par ({f.share('twins'):.1%}; krav ≥ {THRESHOLDS['twins']:.0%}; "
        f"{f.twins_unreadable} par, hvor den ene fil ikke kan læses, er ikke talt med)",
        f"{mark(f.empty_bodies == 0)} Møder uden mødeorgan: {f.empty_bodies} af {f.meetings} møder "
        f"({f.bodies} forskellige organnavne)",
        f"{mark(f.share('lines') >= THRESHOLDS['lines'])} Filer, der beholder ≥ {KEPT_SHARE:.0%} af deres linjer med "
        f"8+ ord: {f.lines_files_ok} af {f.lines_files} ({f.share('lines'):.1%}; krav ≥ {THRESHOLDS['lines']:.0%}); "
        f"linjer i alt: {f.lines_kept} af {f.lines_total} ({f.lines_kept / max(f.lines_total, 1):.1%})",
        f"{mark(f.labels_right >= THRESHOLDS['labels'])} Antal punkter som mærket: {f.labels_right} af "
        f"{f.labels_total} filer (krav ≥ {THRESHOLDS['labels']})",
        f"  Første og sidste titel som mærket: {f.titles_right} af {f.titles_total}",
        f"  Filer med kun ét punkt: {len(f.single_item)}" + (f" ({', '.join(f.single_item)})" if f.single_item else ""),
        outcome_report.render(f.outcomes),
        "Mødeorganer pr. mappe (møder):",
    ]
    for folder, bodies in sorted(f.folder_bodies.items()):
        lines.append(f"  {folder}: " + "; ".join(f"«{body}» {n}" for body, n in bodies.most_common()))
    for title, rows in (("Datoer der afviger", f.dates_wrong), ("Tvillinger ikke lagt sammen", f.twins_apart),
                        ("Punkter der afviger fra mærket", f.labels_wrong),
                        ("Titler der afviger fra mærket", f.titles_wrong),
                        ("Laveste andel linjer beholdt", [f"{s:.0%} {n}" for s, n in f.lines_worst])):
        if rows:
            lines.append(f"{title}:")
            lines += [f"  {row}" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--realworld", type=Path, default=REALWORLD)
    parser.add_argument("--labels", type=Path, default=LABELS)
    args = parser.parse_args(argv)
    if not (args.realworld / "corpus").is_dir():
        print(f"corpus-report: intet korpus i {args.realworld / 'corpus'}", file=sys.stderr)
        return 2
    print(render(measure(args.realworld, args.labels)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
