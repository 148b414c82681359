"""Deterministic generator of FICTIONAL Danish meeting minutes for benchmarks and tests.

    python -m benchmark.generate --items 10000 --out /tmp/corpus [--seed 1]

writes minutes files (about ten agenda items each) in the layouts arkiv's parser
knows: mostly the seed's layout (REFERAT header, "Dato og sted", a Dagsorden
table of "Pkt. NN/YY HH:MM – HH:MM Title", "Punkt NN/YY:" sections with
"Det indstilles at:" and "REFERAT:"), plus a share of the municipal publication
layout (bare item numbers, case numbers, "Beslutninger") and of Markdown
(Mødefakta, "- 1.1 Title (Name)", block-quoted items in the minutes).

Everything is invented: bodies, places and people are composed from generic
parts (see benchmark.vocab).  Word frequencies are Zipf-like, so there are
very common and very rare words, and nouns appear inflected and in compounds.

Determinism: meeting ``k`` depends only on ``seed`` and ``k`` (each meeting has
its own random stream), so a corpus of N items is a prefix of one of M > N
items, and a single meeting can be re-rendered as a changed "v2" without
touching the others (``render_meeting(spec, version=2)``).

A ``manifest.jsonl`` (ignored by ingest: not a minutes extension) lists each
file's expected body, date, item numbers, titles and outcome kinds.
"""
from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import os
import random
import re
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from . import vocab as V
from .render import render_meeting, wrap
from .spec import Body, ItemSpec, MeetingSpec

__all__ = ["Body", "ItemSpec", "MeetingSpec", "render_meeting", "wrap", "meeting_spec", "iter_specs", "write_corpus",
           "load_manifest", "changed", "BODIES", "LAYOUTS", "OUTCOME_KINDS"]

LAYOUTS = ("seed", "municipal", "markdown")
# Out of every 20 meetings: 14 in the seed layout, 3 municipal, 3 Markdown.
_LAYOUT_CYCLE = ("seed",) * 14 + ("municipal",) * 3 + ("markdown",) * 3
_LAYOUT_SHARE = {name: _LAYOUT_CYCLE.count(name) for name in LAYOUTS}
_LAYOUT_RANK = [sum(1 for x in _LAYOUT_CYCLE[:i] if x == _LAYOUT_CYCLE[i]) for i in range(len(_LAYOUT_CYCLE))]

# Outcome kinds the generator writes; tests map them to archive.parse.outcome slugs.
OUTCOME_KINDS = ("noted", "approved", "discussed", "postponed", "noted+approved", "none", "no-remarks")
_OUTCOME_WEIGHTS = (30, 30, 15, 8, 7)

MIN_ITEMS, MAX_ITEMS = 6, 14
_EPOCH = dt.date(2006, 1, 2)
_SPAN_DAYS = 14 * 365          # bodies start somewhere in 2006–2019
_INTERVAL_DAYS = 42            # a body meets every six weeks (plus a few days)


# --------------------------------------------------------------------------- vocabulary
def _zipf_cum(n: int, s: float = 1.07) -> list[float]:
    return list(itertools.accumulate(1.0 / (r + 1) ** s for r in range(n)))


def _build_compounds() -> list[tuple[str, str, str, str]]:
    out = []
    for prefix in V.PREFIXES:
        for head in V.HEADS:
            if prefix.rstrip("se") == head[0] or prefix.endswith(head[0]):
                continue
            out.append(tuple(prefix + form for form in head))
    random.Random(20180620).shuffle(out)   # fixed order: ranks are stable across seeds
    return out


COMPOUNDS: list[tuple[str, str, str, str]] = _build_compounds()
_COMPOUND_CUM = _zipf_cum(len(COMPOUNDS))
_NOUN_CUM = _zipf_cum(len(V.NOUNS), 0.9)
_RARE_CUM = _zipf_cum(len(V.RARE_STEMS), 1.3)


def _pick(rng: random.Random, population, cum) -> object:
    return population[bisect.bisect(cum, rng.random() * cum[-1])]


def common_words() -> list[str]:
    """The most frequent compounds (indefinite form), most frequent first."""
    return [c[0] for c in COMPOUNDS[:20]]


def rare_words() -> list[str]:
    """Compounds from the far tail of the distribution (present in a large corpus only a few times)."""
    return [c[0] for c in COMPOUNDS[-60:]]


# --------------------------------------------------------------------------- bodies
def _person(rng: random.Random) -> str:
    middle = rng.choice(V.MIDDLE_NAMES)
    parts = [rng.choice(V.FIRST_NAMES)] + ([middle] if middle else []) + [rng.choice(V.LAST_NAMES)]
    return " ".join(parts)


def _people(rng: random.Random, n: int, roles: list[str], unique_role_first: bool) -> tuple[tuple[str, str], ...]:
    seen: set[str] = set()
    out = []
    while len(out) < n:
        name = _person(rng)
        if name in seen:
            continue
        seen.add(name)
        if unique_role_first and len(out) == 0:
            role = "formand"
        elif unique_role_first and len(out) == 1:
            role = "næstformand"
        else:
            role = rng.choice(roles)
        out.append((name, role))
    return tuple(out)


def _build_bodies() -> dict[str, list[Body]]:
    rng = random.Random(4242)
    names: dict[str, list[tuple[str, str, str]]] = {"seed": [], "municipal": [], "markdown": []}
    for town in V.TOWNS:
        for pattern in V.BOARD_PATTERNS:
            name = pattern.format(town=town)
            subject = "Styregruppen" if name.startswith("Styregruppen") else "Bestyrelsen"
            names["seed"].append((name, town, subject))
        for committee in V.MUNICIPAL_COMMITTEES:
            names["municipal"].append((f"{town} Kommune, {committee}", town, "Udvalget"))
        for pattern in V.ASSOCIATION_PATTERNS:
            name = pattern.format(town=town)
            subject = name.split()[0] if name.startswith(("Styregruppen", "Generalforsamling")) else "Bestyrelsen"
            if subject == "Generalforsamling":
                subject = "Generalforsamlingen"
            names["markdown"].append((name, town, subject))
    bodies: dict[str, list[Body]] = {}
    index = 0
    for layout in LAYOUTS:
        lst = names[layout]
        random.Random(7 + len(layout)).shuffle(lst)
        out = []
        member_roles = V.MEMBER_ROLES[2:]
        for name, town, subject in lst:
            members = _people(rng, rng.randint(6, 11), member_roles, True)
            staff = _people(rng, rng.randint(2, 4), V.ROLES, False)
            location = f"{rng.choice(V.ROOMS)}, {rng.choice(V.STREETS)}, {town}"
            out.append(Body(name, layout, town, subject, members, staff, location, index))
            index += 1
        bodies[layout] = out
    return bodies


BODIES: dict[str, list[Body]] = _build_bodies()


# --------------------------------------------------------------------------- meeting specs
def _meeting_slot(k: int) -> tuple[Body, int]:
    """Which body holds meeting ``k`` and which of its meetings it is (0-based)."""
    layout = _LAYOUT_CYCLE[k % len(_LAYOUT_CYCLE)]
    c = (k // len(_LAYOUT_CYCLE)) * _LAYOUT_SHARE[layout] + _LAYOUT_RANK[k % len(_LAYOUT_CYCLE)]
    bodies = BODIES[layout]
    return bodies[c % len(bodies)], c // len(bodies)


_SLOT_RE = re.compile(r"\{(\w+)\}")


class _Filler:
    """Fills template slots from Zipf-distributed vocabulary with one random stream."""

    __slots__ = ("rng", "topic", "presenter", "year", "body")

    def __init__(self, rng: random.Random, topic, presenter: str, year: int, body: Body):
        self.rng, self.topic, self.presenter, self.year, self.body = rng, topic, presenter, year, body

    def slot(self, name: str) -> str:
        rng = self.rng
        cap = name[0].isupper()
        key = name.lower()
        if key.startswith("c2"):
            form = _FORM.get(key[2:], 0)
            value = _pick(rng, COMPOUNDS, _COMPOUND_CUM)[form]
        elif key == "c" or key.startswith("c_"):
            value = self.topic[_FORM.get(key[1:], 0)]
        elif key == "n0" or key.startswith("n_"):
            value = _pick(rng, V.NOUNS, _NOUN_CUM)[_FORM.get(key[1:], 0) if key != "n0" else 0]
        elif key == "adj":
            value = rng.choice(V.ADJECTIVES)[0]
        elif key == "adje":
            value = rng.choice(V.ADJECTIVES)[1]
        elif key == "verb":
            value = rng.choice(V.VERBS_PRESENT)
        elif key == "verbp":
            value = rng.choice(V.VERBS_PAST)
        elif key == "presenter":
            value = self.presenter
        elif key == "forv":
            value = rng.choice(("Forvaltningen", "Sekretariatet", "Administrationen", "Direktionen"))
        elif key == "place":
            value = _pick(rng, V.RARE_STEMS, _RARE_CUM) if rng.random() < 0.5 else self.body.town
        elif key == "rare":
            value = _pick(rng, V.RARE_STEMS, _RARE_CUM)
        elif key == "town":
            value = self.body.town
        elif key == "year":
            value = str(self.year + rng.choice((-1, 0, 0, 1)))
        elif key == "month":
            value = rng.choice(V.MONTHS)
        elif key == "day":
            value = str(rng.randint(1, 28))
        elif key == "num":
            value = str(rng.randint(2, 400))
        elif key == "amount":
            value = f"{rng.randint(1, 90)},{rng.randint(0, 9)}"
        elif key == "small":
            value = f"{rng.randint(0, 9)},{rng.randint(1, 9)}"
        elif key == "subj":
            value = self.body.subject
        else:  # pragma: no cover - a template typo
            raise KeyError(name)
        return value[0].upper() + value[1:] if cap else value

    def fill(self, template: str) -> str:
        return _SLOT_RE.sub(lambda m: self.slot(m.group(1)), template)


_FORM = {"": 0, "_def": 1, "_pl": 2, "_pl_def": 3}

_DECISIONS = {
    "noted": ("{subj} tog orienteringen til efterretning.",),
    "approved": ("{subj} godkendte indstillingen.", "{subj} godkendte {c_def}."),
    "discussed": ("{subj} drøftede {c_def} og gav input til det videre arbejde.",
                  "{subj} drøftede sagen."),
    "postponed": ("Punktet blev udsat til næste møde.", "Sagen blev udsat."),
    "noted+approved": ("{subj} tog orienteringen til efterretning, og godkendte at {c2_def} sendes i høring.",),
}
_RECOMMEND = {
    "noted": "{subj} tager orienteringen til efterretning.",
    "approved": "{subj} godkender {c_def}.",
    "discussed": "{subj} drøfter {c_def} og giver input til det videre arbejde.",
    "postponed": "{subj} godkender {c_def}.",
    "noted+approved": "{subj} tager orienteringen til efterretning og godkender den videre proces.",
}
_CONTEXT_MINUTES = (
    "{presenter} {verbp} {c_def}.",
    "Der var spørgsmål til {c2_def} og til tidsplanen for {c_def}.",
    "{subj}s medlemmer pegede på behovet for {adj} {n0} i {place}.",
)
_NO_DECISION = (("Ingen bemærkninger.", "no-remarks"), ("Der var intet til dette punkt.", "none"),
                ("Næste møde afholdes efter sommerferien.", "none"),
                ("{subj} havde ingen bemærkninger til dette punkt.", "no-remarks"))


def meeting_spec(k: int, seed: int = 1, n_items: int | None = None, max_items: int | None = None) -> MeetingSpec:
    """The ``k``-th meeting of the corpus for ``seed`` (``n_items`` and ``max_items`` cap its item count;
    ``max_items`` makes small meetings for tests that want many files and few items)."""
    body, j = _meeting_slot(k)
    rng = random.Random(seed * 1_000_003 + k)
    start_day = _EPOCH + dt.timedelta(days=(body.index * 7919) % _SPAN_DAYS)
    date = start_day + dt.timedelta(days=j * _INTERVAL_DAYS + rng.randint(0, 6))
    count = rng.randint(MIN_ITEMS, MAX_ITEMS)
    if max_items is not None:
        count = max(1, min(count, max_items))
    if n_items is not None:
        count = max(1, min(count, n_items))
    number = 1 + j + body.index % 17
    hour = rng.choice((9, 10, 13, 14, 15, 16, 17))
    members = list(body.members)
    absent = rng.sample(members, rng.randint(0, min(2, len(members) - 3)))
    participants = [m for m in members if m not in absent]
    items: list[ItemSpec] = []
    minute = hour * 60
    year2 = date.year % 100
    for i in range(count):
        topic = _pick(rng, COMPOUNDS, _COMPOUND_CUM)
        presenter = rng.choice(body.staff) if rng.random() < 0.75 else rng.choice(participants)
        filler = _Filler(rng, topic, presenter[0], date.year, body)
        formalia = i == 0 and count > 2
        if formalia:
            title = rng.choice(("Velkomst ved formanden", "Godkendelse af dagsorden", "Godkendelse af referat"))
            outcome = "approved" if title.startswith("Godkendelse") else "none"
            description, presenter_used, minutes_ctx = [], None, []
        elif i == count - 1 and count > 2:
            title, outcome, description, presenter_used, minutes_ctx = "Eventuelt", "none", [], None, []
        else:
            title = filler.fill(rng.choice(V.TITLE_TEMPLATES))
            outcome = rng.choices(OUTCOME_KINDS[:5], _OUTCOME_WEIGHTS)[0]
            paragraphs = []
            for _ in range(rng.randint(1, 3)):
                sentences = [filler.fill(rng.choice(V.DESCRIPTION_TEMPLATES)) for _ in range(rng.randint(1, 4))]
                paragraphs.append(" ".join(sentences))
            if rng.random() < 0.25:
                paragraphs.append("\n".join(filler.fill(t) for t in rng.sample(V.BULLET_TEMPLATES, 2)))
            description = paragraphs
            presenter_used = presenter if rng.random() < 0.85 else None
            minutes_ctx = [filler.fill(rng.choice(_CONTEXT_MINUTES)) for _ in range(rng.randint(0, 2))]
        if outcome == "none":
            if title == "Velkomst ved formanden" and rng.random() < 0.5:
                minutes = ["Formanden bød velkommen."]
            else:
                text, outcome = rng.choice(_NO_DECISION)
                minutes = [filler.fill(text)]
            recommendation = ""
        elif formalia:
            minutes = [filler.fill("{subj} godkendte " + ("dagsordenen." if "dagsorden" in title else "referatet."))]
            recommendation = ""
        else:
            minutes = minutes_ctx + [filler.fill(rng.choice(_DECISIONS[outcome]))]
            recommendation = filler.fill(_RECOMMEND[outcome])
        length = 5 if i == 0 else rng.choice((5, 10, 15, 20, 25, 30))
        time_str = f"{minute // 60:02d}:{minute % 60:02d}–{(minute + length) // 60:02d}:{(minute + length) % 60:02d}"
        minute += length
        items.append(ItemSpec(
            number="", title=title, time=time_str, presenter=presenter_used,
            description=description, recommendation=recommendation, minutes=minutes, outcome=outcome,
            case_number=f"EMN-{date.year}-{rng.randint(1000, 999999):06d}",
        ))
    for i, item in enumerate(items):
        if body.layout == "seed":
            item.number = f"{j * 15 + i + 1 + body.index % 40}/{year2:02d}"
        elif body.layout == "municipal":
            item.number = str(i + 1)
        else:
            item.number = _markdown_number(i, count)
    end_minute = minute
    slug = _slug(body.name)
    ext = ".md" if body.layout == "markdown" else ".txt"
    filename = f"{date.year}/{date.isoformat()}_{slug}_{number}-moede{ext}"
    return MeetingSpec(
        index=k, layout=body.layout, body=body.name, subject=body.subject, date=date, number=number,
        start=f"{hour:02d}:00", end=f"{end_minute // 60:02d}:{end_minute % 60:02d}", location=body.location,
        participants=participants, absent=absent, staff=list(body.staff), items=items, filename=filename,
    )


def _markdown_number(i: int, count: int) -> str:
    """1.1, 1.2 (formalia), 2.1 … (themes), 3.1 (Eventuelt)."""
    if count <= 2:
        return f"2.{i + 1}"
    if i == 0:
        return "1.1"
    if i == count - 1:
        return "3.1"
    return f"2.{i}"


_SLUG_TRANS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.translate(_SLUG_TRANS).lower()).strip("-")[:60].rstrip("-")


def changed(spec: MeetingSpec, version: int) -> MeetingSpec:
    """A "corrected" version of a meeting: same identity (body, date, number, item numbers),
    different text in every item, so that a mixed v1/v2 meeting is detectable."""
    import copy
    new = copy.deepcopy(spec)
    new.version = version
    for item in new.items:
        item.title = f"{item.title} (rettet v{version})"
        item.minutes = item.minutes + [f"Referatet er rettet i version {version}."]
    return new


# --------------------------------------------------------------------------- rendering: benchmark.render

# --------------------------------------------------------------------------- corpus
def iter_specs(n_items: int, seed: int = 1, layouts: tuple[str, ...] | None = None,
               max_items: int | None = None):
    """Meeting specs until ``n_items`` items in total (the last meeting may be shorter).

    ``layouts`` restricts the corpus to those layouts (meetings of other layouts are skipped,
    so the remaining ones are the same as in the full corpus)."""
    total = 0
    for k in itertools.count():
        if total >= n_items:
            return
        if layouts is not None and _LAYOUT_CYCLE[k % len(_LAYOUT_CYCLE)] not in layouts:
            continue
        spec = meeting_spec(k, seed, n_items - total, max_items)
        total += len(spec.items)
        yield spec


def manifest_record(spec: MeetingSpec) -> dict:
    return {
        "file": spec.filename, "layout": spec.layout, "body": spec.body, "date": spec.date.isoformat(),
        "number": spec.number, "version": spec.version,
        "items": [{"number": it.number, "title": it.title, "outcome": it.outcome,
                   "presenter": it.presenter[0] if it.presenter else None} for it in spec.items],
    }


def write_spec(spec: MeetingSpec, out: Path) -> Path:
    path = out / spec.filename
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render_meeting(spec), encoding="utf-8")
    os.replace(tmp, path)
    return path


def write_corpus(n_items: int, out: str | os.PathLike, seed: int = 1,
                 layouts: tuple[str, ...] | None = None, manifest: bool = True,
                 max_items: int | None = None) -> dict:
    """Write a corpus of ``n_items`` items to ``out``; returns a summary."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = items = 0
    per_layout = {name: 0 for name in LAYOUTS}
    made_dirs: set[Path] = set()
    with open(out / "manifest.jsonl", "w", encoding="utf-8") if manifest else nullcontext() as mf:
        for spec in iter_specs(n_items, seed, layouts, max_items):
            path = out / spec.filename
            if path.parent not in made_dirs:
                path.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(path.parent)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(render_meeting(spec))
            if mf is not None:
                mf.write(json.dumps(manifest_record(spec), ensure_ascii=False) + "\n")
            files += 1
            items += len(spec.items)
            per_layout[spec.layout] += 1
    return {"files": files, "items": items, "layouts": per_layout, "out": str(out), "seed": seed}


def load_manifest(out: str | os.PathLike) -> list[dict]:
    with open(Path(out) / "manifest.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmark.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000, help="agenda items in total (default 10000)")
    parser.add_argument("--out", required=True, help="folder to write the minutes files into")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layouts", default="", help=f"comma-separated subset of {','.join(LAYOUTS)}")
    parser.add_argument("--max-items-per-meeting", type=int, default=None,
                        help="cap items per file (many small files)")
    parser.add_argument("--no-manifest", action="store_true")
    args = parser.parse_args(argv)
    layouts = tuple(x for x in args.layouts.split(",") if x) or None
    if layouts and set(layouts) - set(LAYOUTS):
        parser.error(f"unknown layout(s): {', '.join(sorted(set(layouts) - set(LAYOUTS)))}")
    t0 = time.perf_counter()
    summary = write_corpus(args.items, args.out, args.seed, layouts, manifest=not args.no_manifest,
                           max_items=args.max_items_per_meeting)
    secs = time.perf_counter() - t0
    print(f"{summary['items']} items in {summary['files']} files "
          f"({', '.join(f'{k} {v}' for k, v in summary['layouts'].items())}) written to {args.out} "
          f"in {secs:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
