"""How arkiv reads minutes it was not developed against: a scorecard over a labelled folder.

    python -m benchmark.unseen_report FOLDER LABELS [--as-is]

FOLDER holds real minutes (any layout of subfolders); LABELS is a JSON file written by
reading them (not from the parser), of this shape::

    {"files": {"<path under FOLDER>": {
        "date": "2024-05-15" | null,            # the meeting's date (null: the document gives no day)
        "body_accept": ["menighedsråd"] | null,  # words one of which a right body holds (null: any sensible body)
        "items": 16 | null, "first": "…", "last": "…",   # agenda items and the first/last titles
        "outcomes": [{"item": "3" | "title": "Godkendelse", "outcomes": ["godkendt"]}],
        "cases": {"173": "2020-016062"}}}}

The files are copied flat into one folder named ``referater`` and ingested into a fresh
archive with the real ingest, so neither the folder names nor an ``arkiv.toml`` tell the
parser which body wrote a file (``--as-is`` ingests FOLDER as it lies).  The scorecard:
dates right, bodies (right where labelled, never empty, never junk), item counts and
first/last titles right, lines of eight or more words kept (archive.parse.coverage), outcome
precision and recall (benchmark.outcome_report), case numbers and closed items found.
No real text is kept in this repository: the folder and its labels live outside it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from benchmark import outcome_report
from benchmark.corpus_report import KEPT_SHARE, long_lines, meeting_haystack

FLAT_FOLDER = "referater"
# A body that is one of these says what kind of document it is, not who met.
_GENERIC_BODIES = {"referat", "referater", "dagsorden", "mode", "modereferat", "bestyrelsesmode", "generalforsamling",
                   "menu", "indhold", "ukendtmødeorgan"}
_MAX_BODY_WORDS = 8


@dataclass
class Tally:
    """How many of the measured were right."""
    right: int = 0
    total: int = 0

    def __str__(self) -> str:
        return f"{self.right} af {self.total} ({self.right / self.total:.0%})" if self.total else "0 af 0"


@dataclass
class Scorecard:
    files: int = 0
    read: int = 0
    dates: Tally = field(default_factory=Tally)
    bodies: Tally = field(default_factory=Tally)            # where the labels name the body
    bodies_empty: int = 0
    bodies_junk: list[str] = field(default_factory=list)
    items: Tally = field(default_factory=Tally)
    titles: Tally = field(default_factory=Tally)
    single_item: int = 0
    lines: Tally = field(default_factory=Tally)             # lines of eight or more words kept
    line_files: Tally = field(default_factory=Tally)        # files keeping KEPT_SHARE of them
    cases: Tally = field(default_factory=Tally)
    wrong: dict[str, list[str]] = field(default_factory=dict)
    outcomes: outcome_report.OutcomeFigures = field(default_factory=outcome_report.OutcomeFigures)

    def check(self, tally: Tally, right: bool, kind: str, row: str) -> None:
        """Count one measurement; a wrong one is noted under ``kind``."""
        tally.total += 1
        tally.right += right
        if not right:
            self.wrong.setdefault(kind, []).append(row)


def _letters(text: str) -> str:
    from archive.parse.coverage import letters

    return letters(text)


def body_junk(body: str) -> str:
    """Why a body is not a sensible name ("" = it is one)."""
    words = _letters(body).split()
    if not words:
        return "tomt"
    if "".join(words) in _GENERIC_BODIES:
        return "en dokumenttype eller intet navn, ikke et organ"
    if len(words) > _MAX_BODY_WORDS:
        return "en sætning, ikke et navn"
    return ""


def _copy_flat(folder: Path, target: Path) -> dict[Path, str]:
    """Copy every labelled file of ``folder`` into ``target``, one folder, names kept (a clash gets a suffix)."""
    keys: dict[Path, str] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        key = str(path.relative_to(folder))
        dest = target / path.name
        n = 1
        while dest.exists():
            n += 1
            dest = target / f"{path.stem}-{n}{path.suffix}"
        shutil.copyfile(path, dest)
        keys[dest.resolve()] = key
    return keys


def measure(folder: Path, labels_path: Path, as_is: bool = False) -> Scorecard:
    from archive.ingest import ingest
    from archive.store.sqlite import Store
    from index.engine_tantivy import open_engine

    labels = json.loads(labels_path.read_text(encoding="utf-8"))["files"]
    card = Scorecard(files=len(labels))
    with tempfile.TemporaryDirectory(prefix="arkiv-unseen-") as tmp:
        if as_is:
            source = folder
            keys = {p.resolve(): str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
        else:
            source = Path(tmp) / FLAT_FOLDER
            source.mkdir()
            keys = _copy_flat(folder, source)
        store = Store(Path(tmp) / "home")
        try:
            ingest([source], store, open_engine(store.index_dir), progress=False)
            by_key = {keys[Path(p).resolve()]: value for p, value in store.source_meetings().items()
                      if Path(p).resolve() in keys}
            meetings = {m.id: m for m in store.iter_meetings()}
        finally:
            store.close()
        paths = {key: path for path, key in keys.items()}
        parses = {}
        for key, label in sorted(labels.items()):
            mid, parse = by_key.get(key, (None, None))
            parses[key] = parse
            if parse is None:
                card.wrong.setdefault("ikke læst", []).append(key)
                continue
            card.read += 1
            meeting = meetings[mid]
            _score_meeting(card, key, label, parse, meeting)
            _score_items(card, key, label, parse)
            _score_lines(card, key, paths[key], meeting)
    card.outcomes = outcome_report.measure_labels(
        parses, {key: label["outcomes"] for key, label in labels.items() if label.get("outcomes")})
    return card


def _score_meeting(card: Scorecard, key: str, label: dict, parse, meeting) -> None:
    if label.get("date"):
        card.check(card.dates, parse.date == dt.date.fromisoformat(label["date"]), "dato",
                   f"{key}: {parse.date}, mærket {label['date']}")
    body = meeting.body
    if not body.strip():
        card.bodies_empty += 1
    junk = body_junk(body)
    if junk:
        card.bodies_junk.append(f"{key}: «{body}» ({junk})")
    if label.get("body_accept"):
        card.check(card.bodies, not junk and any(_letters(a) in _letters(body) for a in label["body_accept"]),
                   "mødeorgan", f"{key}: «{body}», mærket «{label.get('body')}»")


def _score_items(card: Scorecard, key: str, label: dict, parse) -> None:
    card.single_item += len(parse.items) == 1 and label.get("items") not in (None, 1)
    if label.get("items") is not None:
        card.check(card.items, len(parse.items) == label["items"], "punkter",
                   f"{key}: {len(parse.items)} punkter, mærket {label['items']}")
    for end, k in (("first", 0), ("last", -1)):
        if end in label:
            got = parse.items[k].title if parse.items else ""
            card.check(card.titles, _letters(got) == _letters(label[end]), "titler",
                       f"{key}: «{got[:70]}», mærket «{label[end][:70]}»")
    for number, case in label.get("cases", {}).items():
        item = next((it for it in parse.items if it.number == number), None)
        card.check(card.cases, item is not None and item.case_number == case, "sagsnumre",
                   f"{key} pkt. {number}: «{item.case_number if item else '-'}», mærket «{case}»")


def _score_lines(card: Scorecard, key: str, path: Path, meeting) -> None:
    from archive.parse.coverage import line_kept

    lines = long_lines(path)
    if not lines:
        return
    haystack = meeting_haystack(meeting)
    kept = 0
    for line in lines:
        right = line_kept(line, haystack)
        kept += right
        card.check(card.lines, right, "tabte linjer", f"{key}: {line.strip()[:80]}")
    card.line_files.total += 1
    card.line_files.right += kept / len(lines) >= KEPT_SHARE


def render(c: Scorecard, details: bool = True) -> str:
    o = c.outcomes
    lines = [
        f"Filer: {c.files} mærkede, {c.read} læst",
        f"Mødedato rigtig: {c.dates}",
        f"Mødeorgan rigtigt: {c.bodies}; tomt: {c.bodies_empty}; ikke et navn: {len(c.bodies_junk)}",
        f"Antal punkter rigtigt: {c.items}; kun ét punkt: {c.single_item}",
        f"Første og sidste titel rigtig: {c.titles}",
        f"Linjer med 8+ ord beholdt: {c.lines}; filer med ≥ {KEPT_SHARE:.0%}: {c.line_files}",
        f"Udfald: {o.items} mærkede punkter; præcision {o.precision():.1%}, genkald {o.recall():.1%}",
        f"Sagsnumre rigtige: {c.cases}",
    ]
    if details:
        lines.append(outcome_report.render(o))
        if c.bodies_junk:
            lines.append("Mødeorganer der ikke er et navn:")
            lines += [f"  {row}" for row in c.bodies_junk]
        for kind, rows in c.wrong.items():
            lines.append(f"Afviger ({kind}):")
            lines += [f"  {row}" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("labels", type=Path)
    parser.add_argument("--as-is", action="store_true", help="ingest the folder as it lies (folder names as bodies)")
    parser.add_argument("--brief", action="store_true", help="the figures only")
    args = parser.parse_args(argv)
    for path, what in ((args.folder, "mappe"), (args.labels, "mærkefil")):
        if not path.exists():
            print(f"unseen-report: {what} findes ikke: {path}", file=sys.stderr)
            return 2
    print(render(measure(args.folder, args.labels, args.as_is), details=not args.brief))
    return 0


if __name__ == "__main__":
    sys.exit(main())
