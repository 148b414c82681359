"""`--json` on the commands that list (ingest, reindex, check, user list) and progress bars on
reindex and check: real commands on a real archive (SQLite store, tantivy index on disk)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.accounts import Accounts
from archive.store.sqlite import Store
from arkiv.cli import main

MINUTES = """Referat af bestyrelsesmøde i Vandværket Ellebæk

Dato: 9. oktober 2023

1. Godkendelse af referat
Referatet blev godkendt.

2. Ny pumpe til boring 3
Bestyrelsen besluttede at købe en ny pumpe.
"""


def run(home: Path, *args: str):
    return CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)


@pytest.fixture()
def folder(tmp_path):
    folder = tmp_path / "referater"
    folder.mkdir()
    (folder / "2023-10-09_ellebaek.txt").write_text(MINUTES, encoding="utf-8")
    (folder / "2023-11-13_ellebaek.txt").write_text(MINUTES.replace("9. oktober", "13. november")
                                                    .replace("boring 3", "boring 4"), encoding="utf-8")
    return folder


def test_ingest_json_gives_every_file_and_the_counts(tmp_path, folder):
    (folder / "tom.txt").write_text("", encoding="utf-8")
    result = run(tmp_path / "home", "ingest", "--json", str(folder))
    assert result.exit_code == 1                        # a file failed: the exit code says so, as without --json
    doc = json.loads(result.stdout)
    assert (doc["files"], doc["added"], doc["failed"], doc["repaired"]) == (3, 2, 1, 0)
    by_name = {Path(r["path"]).name: r for r in doc["results"]}
    assert by_name["2023-10-09_ellebaek.txt"]["status"] == "added"
    assert by_name["2023-10-09_ellebaek.txt"]["items"] == 2 and by_name["2023-10-09_ellebaek.txt"]["meeting_id"]
    assert by_name["tom.txt"]["status"] == "failed" and by_name["tom.txt"]["reason"] == "unreadable"
    assert doc["items"] == 4
    assert "FEJL" not in result.stderr                  # the lines are in the document instead


def test_reindex_json_and_its_bars(tmp_path, folder):
    home = tmp_path / "home"
    assert run(home, "ingest", str(folder)).exit_code == 0
    quiet = run(home, "reindex", "--json")
    doc = json.loads(quiet.stdout)
    assert (doc["updated"], doc["failed"], doc["meetings"], doc["items"]) == (2, 0, 2, 4)
    assert quiet.stderr == ""                           # not a terminal: no bar
    shown = run(home, "reindex", "--progress")
    assert shown.exit_code == 0
    assert "Læser: 100%" in shown.stderr and "2/2" in shown.stderr and "Indekserer: 100%" in shown.stderr
    assert shown.stdout.startswith("Genopbygget: 2 filer, 2 møder, 4 dagsordenspunkter.")


def test_check_json_names_each_problem_and_the_bar_counts_originals(tmp_path, folder):
    home = tmp_path / "home"
    assert run(home, "ingest", str(folder)).exit_code == 0
    good = run(home, "check", "--json", "--progress")
    doc = json.loads(good.stdout)
    assert good.exit_code == 0 and doc["ok"] is True and doc["problems"] == [] and doc["meetings"] == 2
    assert "Kontrollerer: 100%" in good.stderr and "2/2" in good.stderr
    for original in (home / "originals").rglob("*.txt"):
        original.unlink()
        break
    bad = run(home, "check", "--json")
    doc = json.loads(bad.stdout)
    assert bad.exit_code == 1 and doc["ok"] is False
    (problem,) = doc["problems"]
    assert problem["kind"] == "original-missing" and problem["repairable"] is True
    assert problem["source"].endswith("_ellebaek.txt") and "mangler" in problem["message"]
    repaired = json.loads(run(home, "check", "--repair", "--json").stdout)
    assert repaired["ok"] is True and repaired["repaired"] == [
        f"originalen til {problem['source']} er gendannet fra filen"]


def test_user_list_json_never_holds_a_password(tmp_path):
    home = tmp_path / "home"
    store = Store(home)
    Accounts(store.db).add("signe.holt", "editor", "et langt kodeord 1")
    Accounts(store.db).add("palle.vang", "reader", "et langt kodeord 2")
    store.close()
    result = run(home, "user", "list", "--json")
    users = json.loads(result.stdout)
    assert sorted((u["name"], u["role"]) for u in users) == [("palle.vang", "reader"), ("signe.holt", "editor")]
    assert all(set(u) == {"name", "role", "created_at", "password_changed_at"} for u in users)
    assert "argon2" not in result.stdout
    assert json.loads(run(tmp_path / "tom", "user", "list", "--json").stdout) == []
