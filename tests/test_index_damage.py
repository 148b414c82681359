"""Eight kinds of damage to the tantivy index's files (issue 23, "an index that heals"): `arkiv check`
names each in Danish without a traceback, `arkiv check --repair` builds the index again from the
store, and the archive then checks clean and finds what it found before."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, Archive, ingest_into

from arkiv.cli import main


def _segment_file(items: Path) -> Path:
    return sorted(items.glob("*.term"))[0]


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0xFF          # inside the body: tantivy opens it, only the CRC tells
    path.write_bytes(bytes(data))


DAMAGE = {
    "meta-empty": lambda items: (items / "meta.json").write_bytes(b""),
    "meta-random": lambda items: (items / "meta.json").write_bytes(bytes(range(256)) * 16),
    "meta-truncated": lambda items: (items / "meta.json").write_bytes((items / "meta.json").read_bytes()[:200]),
    "meta-missing": lambda items: (items / "meta.json").unlink(),
    "segment-zeroed": lambda items: _segment_file(items).write_bytes(bytes(_segment_file(items).stat().st_size)),
    "segment-flipped": lambda items: _flip(_segment_file(items)),
    "segment-truncated": lambda items: _segment_file(items).write_bytes(_segment_file(items).read_bytes()[:100]),
    "segment-missing": lambda items: _segment_file(items).unlink(),
}


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    home = tmp_path_factory.mktemp("whole") / "home"
    ingest_into(Archive(home), sorted((FIXTURES / "follow").glob("*.txt")))
    return home


def _arkiv(home: Path, *args: str):
    return CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)


def _found(home: Path) -> int:
    result = _arkiv(home, "search", "motorbåd", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["total"]


@pytest.mark.parametrize("kind", DAMAGE)
def test_check_names_the_damage_and_repair_builds_the_index_again(whole, tmp_path, kind):
    home = tmp_path / kind
    shutil.copytree(whole, home)
    DAMAGE[kind](home / "index" / "items")

    checked = _arkiv(home, "check")
    assert checked.exit_code == 1 and "Traceback" not in checked.output
    problems = [line for line in checked.output.splitlines() if line.startswith("PROBLEM: ")]
    assert problems and "arkiv check --repair" in checked.output, checked.output
    if kind == "segment-flipped":           # opens, so only the checksum finds it
        assert any("er beskadiget" in p and "kontrolsummen" in p for p in problems), problems
    elif kind != "meta-missing":            # a missing meta.json is an empty index: every meeting missing
        assert any("kunne ikke åbnes og er startet forfra tomt" in p for p in problems), problems

    repaired = _arkiv(home, "check", "--repair")
    assert repaired.exit_code == 0 and "Rettet: " in repaired.output, repaired.output
    again = _arkiv(home, "check")
    assert again.exit_code == 0 and again.output.startswith("OK: 4 møder"), again.output
    assert _found(home) == 1
