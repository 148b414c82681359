"""The benchmark corpus generator: deterministic, fictional, and parsed back as written.

Parsing the generated files with the real parser and comparing with what the
generator meant (item count, numbers, titles, outcomes, presenters, date, body)
checks the generator and the parser against each other.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from archive.parse.document import parse_text
from benchmark import generate as G

# What each generated minutes text records, as archive.parse.outcome slugs.
KIND_SLUGS = {
    "noted": ["efterretning"],
    "approved": ["godkendt"],
    "discussed": ["droeftet"],
    "postponed": ["udsat"],
    "noted+approved": ["godkendt", "efterretning"],
    "none": [],
    "no-remarks": ["ingen-bemaerkninger"],
}


def _tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_kinds_are_all_mapped():
    assert set(KIND_SLUGS) == set(G.OUTCOME_KINDS)


def test_deterministic_and_seeded(tmp_path):
    a = G.write_corpus(600, tmp_path / "a", seed=7)
    b = G.write_corpus(600, tmp_path / "b", seed=7)
    G.write_corpus(600, tmp_path / "c", seed=8)
    assert a["items"] == b["items"] == 600
    assert _tree_digest(tmp_path / "a") == _tree_digest(tmp_path / "b")
    assert _tree_digest(tmp_path / "a") != _tree_digest(tmp_path / "c")


def test_smaller_corpus_is_a_prefix_of_a_larger_one():
    small = list(G.iter_specs(300))
    large = list(G.iter_specs(3000))
    for s, big in zip(small[:-1], large, strict=False):          # the last small meeting may be cut short
        assert G.render_meeting(s) == G.render_meeting(big)
    assert sum(len(s.items) for s in small) == 300


def test_cli_writes_files_and_manifest(tmp_path, capsys):
    assert G.main(["--items", "250", "--out", str(tmp_path), "--seed", "3"]) == 0
    manifest = G.load_manifest(tmp_path)
    files = [p for p in tmp_path.rglob("*") if p.suffix in (".txt", ".md")]
    assert len(files) == len(manifest)
    assert sum(len(m["items"]) for m in manifest) == 250
    assert {m["layout"] for m in manifest} <= set(G.LAYOUTS)
    assert "250 items" in capsys.readouterr().err


@pytest.mark.slow
def test_unique_meeting_identity():
    """Two meetings never share (date, body, number): the ids derived from them stay unique."""
    seen = set()
    for spec in G.iter_specs(20_000):
        key = (spec.date, spec.body, spec.number)
        assert key not in seen
        seen.add(key)
    assert len({spec.filename for spec in G.iter_specs(20_000)}) == len(seen)


def test_fictional_people_only(seed_path):
    """No name of a real person from the seed minutes appears in the generated corpus."""
    seed = seed_path.read_text(encoding="utf-8")
    real = set(re.findall(r"^(?:v/)?([A-ZÆØÅ][a-zæøå]+(?: [A-ZÆØÅ][a-zæøå-]+){1,2}),", seed, re.M))
    assert len(real) > 10
    generated = {name for bodies in G.BODIES.values() for body in bodies
                 for name, _role in body.members + body.staff}
    assert len(generated) > 1000
    assert not real & generated


def test_vocabulary_has_common_and_rare_words():
    text = " ".join(G.render_meeting(s) for s in G.iter_specs(3000)).lower()
    common = G.common_words()[0]
    counts = [text.count(w) for w in G.rare_words()]
    assert text.count(common) > 20 * max(1, min(counts))
    assert any(c == 0 or c < 5 for c in counts)


@pytest.mark.slow
@pytest.mark.parametrize("layout", G.LAYOUTS)
def test_generated_files_parse_as_generated(layout):
    specs = list(G.iter_specs(1500, seed=11, layouts=(layout,)))
    assert specs
    problems: list[str] = []
    for spec in specs:
        meeting = parse_text(G.render_meeting(spec), filename=Path(spec.filename).name)
        where = spec.filename
        if len(meeting.items) != len(spec.items):
            problems.append(f"{where}: {len(meeting.items)} items parsed, {len(spec.items)} written")
            continue
        if meeting.date != spec.date:
            problems.append(f"{where}: date {meeting.date} != {spec.date}")
        if spec.layout == "seed" and meeting.body != spec.body:
            problems.append(f"{where}: body {meeting.body!r} != {spec.body!r}")
        elif spec.body.split(",")[0] not in meeting.body and meeting.body not in spec.body:
            problems.append(f"{where}: body {meeting.body!r} does not name {spec.body!r}")
        if not meeting.warnings == []:
            problems.append(f"{where}: warnings {meeting.warnings}")
        for got, want in zip(meeting.items, spec.items, strict=False):
            if got.number != want.number:
                problems.append(f"{where}: number {got.number!r} != {want.number!r}")
            if got.title != want.title:
                problems.append(f"{where} {want.number}: title {got.title!r} != {want.title!r}")
            if got.outcomes != KIND_SLUGS[want.outcome]:
                problems.append(f"{where} {want.number}: outcomes {got.outcomes} for {want.outcome!r} "
                                f"({' / '.join(want.minutes)[:120]})")
            if want.presenter and layout != "municipal" and want.title != "Velkomst ved formanden":
                names = [p.name for p in got.presenters]
                first = want.presenter[0] if layout != "markdown" else want.presenter[0].split()[0]
                if not any(first in n or n in first for n in names):
                    problems.append(f"{where} {want.number}: presenters {names} lack {first!r}")
    assert not problems, f"{len(problems)} problems, first: " + "\n".join(problems[:15])
