"""How well outcomes are read: precision and recall per slug against labelled real items.

The labels (tests/data/outcome_labels.json) are the outcome sets of agenda items of
real minutes, read off the documents.  :func:`measure` compares them with the
parses of those files; ``make corpus-report`` prints the table (benchmark.corpus_report)
and tests/test_corpus.py asserts the overall figures.

Counting: for every labelled item and every slug, a slug in both sets is a true
positive, in the parse only a false positive, in the label only a false negative.
"Intet udfald" counts the empty set the same way (an item with no outcome that the
parse also leaves empty is a hit), shown apart: the overall figures are over the
slugs.  A labelled item the parse does not have counts its slugs as missed.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from archive.model import AgendaItem, Meeting
from archive.parse.outcome import OUTCOMES

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "outcome_labels.json"
NONE = "(intet udfald)"
THRESHOLD = 0.90


@dataclass
class OutcomeFigures:
    items: int = 0
    files: int = 0
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)      # "file pkt. N: mærket […], læst […]"
    missing: list[str] = field(default_factory=list)    # labelled items the parse does not have

    def precision(self, slug: str | None = None) -> float:
        tp, fp = self._sum(self.tp, slug), self._sum(self.fp, slug)
        return tp / (tp + fp) if tp + fp else 0.0

    def recall(self, slug: str | None = None) -> float:
        tp, fn = self._sum(self.tp, slug), self._sum(self.fn, slug)
        return tp / (tp + fn) if tp + fn else 0.0

    @staticmethod
    def _sum(counts: Counter, slug: str | None) -> int:
        """One slug's count, or (None) the sum over the slugs without the empty set."""
        return counts[slug] if slug is not None else sum(v for k, v in counts.items() if k != NONE)


def label_paths(labels_path: Path = LABELS, realworld: Path | None = None) -> dict[str, Path]:
    """Each labelled file's key and where it is: "data/…" in this repository, the rest under ``realworld``."""
    files = json.loads(labels_path.read_text(encoding="utf-8"))["files"]
    base = realworld if realworld is not None else ROOT.parent / "shared" / "realworld"
    return {key: (ROOT / key if key.startswith("data/") else base / key) for key in files}


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _find(meeting: Meeting, label: Mapping[str, object]) -> AgendaItem | None:
    if "item" in label:
        return next((it for it in meeting.items if it.number == label["item"]), None)
    start = _letters(str(label["title"]))
    return next((it for it in meeting.items if _letters(it.title).startswith(start)), None)


def measure(parses: Mapping[str, Meeting | None], labels_path: Path = LABELS) -> OutcomeFigures:
    """``parses``: each labelled file's key → its own parse (None: the file was not read)."""
    return measure_labels(parses, json.loads(labels_path.read_text(encoding="utf-8"))["files"])


def measure_labels(parses: Mapping[str, Meeting | None],
                   files: Mapping[str, list[Mapping[str, Any]]]) -> OutcomeFigures:
    """``files``: each labelled file's key → its labelled items (``item`` or ``title``, and ``outcomes``)."""
    figures = OutcomeFigures(files=len(files))
    for key, labels in files.items():
        meeting = parses.get(key)
        for label in labels:
            figures.items += 1
            where = f"{key} {'pkt. ' + label['item'] if 'item' in label else '«' + label['title'] + '»'}"
            item = _find(meeting, label) if meeting is not None else None
            if item is None:
                figures.missing.append(where)
            truth = set(label["outcomes"]) or {NONE}
            got = (set(item.outcomes) if item is not None else set()) or {NONE}
            for slug in truth & got:
                figures.tp[slug] += 1
            for slug in got - truth:
                figures.fp[slug] += 1
            for slug in truth - got:
                figures.fn[slug] += 1
            if truth != got:
                figures.wrong.append(f"{where}: mærket {sorted(truth)}, læst {sorted(got)}")
    return figures


def render(f: OutcomeFigures) -> str:
    ok = f.precision() >= THRESHOLD and f.recall() >= THRESHOLD
    lines = [f"{'✓' if ok else '✗'} Udfald mod mærkede punkter: {f.items} punkter i {f.files} filer; "
             f"præcision {f.precision():.1%}, genkald {f.recall():.1%} (krav ≥ {THRESHOLD:.0%} begge)",
             f"  {'udfald':<22} {'rigtige':>7} {'forkerte':>8} {'mistede':>7} {'præcision':>9} {'genkald':>7}"]
    for slug in [*OUTCOMES, NONE]:
        if f.tp[slug] + f.fp[slug] + f.fn[slug]:
            lines.append(f"  {slug:<22} {f.tp[slug]:>7} {f.fp[slug]:>8} {f.fn[slug]:>7} "
                         f"{f.precision(slug):>9.1%} {f.recall(slug):>7.1%}")
    for title, rows in (("Punkter der afviger fra mærket", f.wrong), ("Mærkede punkter der ikke blev fundet",
                                                                      f.missing)):
        if rows:
            lines.append(f"  {title}:")
            lines += [f"    {row}" for row in rows]
    return "\n".join(lines)
