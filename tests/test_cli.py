"""`arkiv` end to end through its real commands: ingest, export, search, check, reindex."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BACKENDS

from arkiv.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "minutes"

EXPORT_FIELDS = {"id", "meeting", "number", "title", "time", "presenters", "description", "recommendation",
                 "minutes", "decision", "outcomes", "dissent", "votes", "absent", "case_number", "history",
                 "attachments", "closed", "source", "ocr"}


def _runner(home: Path, database: str | None = None):
    def run(*args: str):
        db = ["--database", database] if database else []
        return CliRunner().invoke(main, ["--home", str(home), *db, *args], catch_exceptions=False)

    run.home = home
    run.database = database
    return run


@pytest.fixture(params=BACKENDS)
def arkiv(request, tmp_path, monkeypatch):
    """`arkiv` on an archive of either backend (PostgreSQL: `--database URL`)."""
    # --database is passed on as ARKIV_DATABASE_URL (for worker processes): undone after the test.
    monkeypatch.setenv("ARKIV_DATABASE_URL", "")
    database = request.getfixturevalue("new_database")("cli") if request.param == "postgres" else None
    return _runner(tmp_path / "home", database)


@pytest.fixture()
def arkiv_files(tmp_path):
    """`arkiv` on the default archive, whose originals and index are files under the home."""
    return _runner(tmp_path / "home")


@pytest.fixture()
def minutes(tmp_path, seed_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed_path, folder / seed_path.name)
    return folder


def test_ingest_then_reingest_changes_nothing(arkiv, minutes):
    first = arkiv("ingest", str(minutes))
    assert first.exit_code == 0, first.output
    assert "1 nye" in first.output and "10 dagsordenspunkter" in first.output
    again = arkiv("ingest", str(minutes))
    assert again.exit_code == 0
    assert "1 uændrede" in again.output and "0 dagsordenspunkter" in again.output
    assert arkiv("check").exit_code == 0


def test_bad_files_are_reported_by_name_and_the_rest_still_ingests(arkiv, minutes):
    (minutes / "tom.txt").write_bytes(b"")
    (minutes / "skrald.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    (minutes / "binaer.txt").write_bytes(bytes(range(256)) * 40)
    result = arkiv("ingest", str(minutes))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("FEJL:")]
    assert len(errors) == 3
    for name in ("tom.txt", "skrald.pdf", "binaer.txt"):
        assert sum(name in line for line in errors) == 1
    assert "1 nye" in result.output and "3 fejlede" in result.output
    found = json.loads(arkiv("search", "helgenomsekventering", "--json").output)
    assert found["total"] == 3


def test_unknown_extension_and_missing_path_are_named(arkiv, tmp_path):
    odd = tmp_path / "referat.xyz"
    odd.write_text("Referat")
    result = arkiv("ingest", str(odd), str(tmp_path / "findes-ikke"))
    assert result.exit_code == 1
    assert "referat.xyz: filtypen '.xyz' understøttes ikke" in result.output
    assert "findes-ikke: findes ikke (hverken fil eller mappe)" in result.output


def test_changed_file_replaces_its_items_and_keeps_ids(arkiv, minutes, seed_path):
    arkiv("ingest", str(minutes))
    before = [json.loads(line) for line in arkiv("export").output.splitlines()]
    text = seed_path.read_text(encoding="utf-8").replace("Eventuelt", "Eventuelt og afslutning")
    (minutes / seed_path.name).write_text(text, encoding="utf-8")
    result = arkiv("ingest", str(minutes))
    assert "1 opdaterede" in result.output
    after = [json.loads(line) for line in arkiv("export").output.splitlines()]
    assert [r["id"] for r in after] == [r["id"] for r in before]
    assert after[-1]["title"] == "Eventuelt og afslutning"
    assert json.loads(arkiv("search", "afslutning", "--json").output)["total"] == 1
    assert arkiv("check").exit_code == 0


def test_export_jsonl_has_the_stable_fields(arkiv, minutes):
    arkiv("ingest", str(minutes))
    records = [json.loads(line) for line in arkiv("export", "--format", "jsonl").output.splitlines()]
    assert len(records) == 10
    first = records[0]
    assert set(first) == EXPORT_FIELDS
    assert set(first["meeting"]) == {"id", "body", "number", "date", "start", "end", "location", "title",
                                     "attendance", "preamble", "back_matter"}
    assert first["meeting"]["date"] == "2018-06-20"
    # The meeting's attendance and the rest of its front matter travel with every item.
    assert "Fra bestyrelsens sekretariat:" in first["meeting"]["attendance"]
    assert "Søren Lund, kontorchef i Finansministeriet" in first["meeting"]["attendance"]
    assert "Dato og sted" in first["meeting"]["preamble"]
    assert first["time"] == "16:00–16:05"
    assert set(first["source"]) == {"file", "sha256", "ocr_pages"} and len(first["source"]["sha256"]) == 64
    assert first["ocr"] is False and first["source"]["ocr_pages"] == []      # a text file: nothing read by OCR
    item47 = next(r for r in records if r["number"] == "47/18")
    assert item47["presenters"][0]["name"] == "Gert Sørensen"


def test_export_csv_has_one_row_per_item(arkiv, minutes):
    arkiv("ingest", str(minutes))
    rows = list(csv.DictReader(io.StringIO(arkiv("export", "--format", "csv").output)))
    assert len(rows) == 10
    assert rows[0]["meeting_date"] == "2018-06-20"
    assert {r["number"] for r in rows} == {f"{n}/18" for n in range(44, 54)}


def test_search_json_shape_and_filters(arkiv, minutes):
    arkiv("ingest", str(minutes))
    out = json.loads(arkiv("search", "helgenomsekventering", "--json").output)
    assert set(out) >= {"query", "total", "results", "facets", "suggestion"}
    assert sorted(r["number"] for r in out["results"]) == ["47/18", "48/18", "52/18"]
    assert set(out["results"][0]) >= {"id", "score", "number", "title", "date", "meeting", "presenters",
                                      "outcomes", "snippet"}
    assert set(out["facets"]) == {"presenter", "outcome", "body", "meeting_kind", "year"}
    by_presenter = json.loads(arkiv("search", "", "--presenter", "Gert Sørensen", "--json").output)
    assert sorted(r["number"] for r in by_presenter["results"]) == ["46/18", "47/18", "48/18", "51/18", "52/18"]
    bad = arkiv("search", "x", "--from", "2018-13-45")
    assert bad.exit_code == 2 and "--from:" in bad.output          # a usage error, named as typed


def test_search_plain_output_for_people(arkiv, minutes):
    arkiv("ingest", str(minutes))
    out = arkiv("search", "bekendtgørelse").output
    assert out.startswith("2 resultater")
    assert "pkt. 46/18" in out and "<mark>" not in out


def test_reindex_rebuilds_from_the_stored_originals_alone(arkiv, minutes, seed_path):
    arkiv("ingest", str(minutes))
    ids = [json.loads(line)["id"] for line in arkiv("export").output.splitlines()]
    shutil.rmtree(minutes)                      # the originals live on in the archive
    shutil.rmtree(arkiv.home / "index", ignore_errors=True)     # (PostgreSQL: the index is in the database)
    result = arkiv("reindex")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in arkiv("export").output.splitlines()] == ids
    assert json.loads(arkiv("search", "sekventering", "--json").output)["total"] == 3
    assert arkiv("check").exit_code == 0


def test_check_reports_a_missing_original_and_repair_restores_it(arkiv_files, minutes):
    arkiv = arkiv_files
    arkiv("ingest", str(minutes))
    originals = list((arkiv.home / "originals").rglob("*.txt"))
    content = originals[0].read_bytes()
    originals[0].unlink()
    result = arkiv("check")
    assert result.exit_code == 1
    assert "mangler" in result.output and "gendannes fra filen" in result.output
    assert "Kør `arkiv check --repair`" in result.output             # the advice that works:
    repaired = arkiv("check", "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert "Rettet: originalen til" in repaired.output and "OK: 1 møde, 10 dagsordenspunkter" in repaired.output
    assert originals[0].read_bytes() == content
    assert arkiv("check").exit_code == 0


def test_check_says_what_to_do_when_an_original_cannot_be_restored(arkiv_files, minutes):
    arkiv = arkiv_files
    arkiv("ingest", str(minutes))
    (next((arkiv.home / "originals").rglob("*.txt"))).write_text("beskadiget")
    shutil.rmtree(minutes)                                             # and the file is gone too
    result = arkiv("check")
    assert result.exit_code == 1
    assert "er beskadiget" in result.output and "kan ikke gendannes" in result.output
    assert "arkiv ingest FIL" in result.output and "--repair" not in result.output
    assert arkiv("check", "--repair").exit_code == 1
    # The meeting can still be searched.
    assert json.loads(arkiv("search", "helgenomsekventering", "--json").output)["total"] == 3


def test_check_finds_a_damaged_original_in_postgresql_and_repairs_it(new_database, tmp_path, minutes,
                                                                     monkeypatch):
    import psycopg

    monkeypatch.setenv("ARKIV_DATABASE_URL", "")
    arkiv = _runner(tmp_path / "home", new_database("damaged"))
    arkiv("ingest", str(minutes))
    assert not (arkiv.home / "originals").exists()                    # the bytes are in the database
    with psycopg.connect(arkiv.database) as conn:
        (good,) = conn.execute("UPDATE original_files SET content = 'beskadiget' RETURNING sha256").fetchone()
    result = arkiv("check")
    assert result.exit_code == 1 and "er beskadiget" in result.output and "gendannes fra filen" in result.output
    repaired = arkiv("check", "--repair")
    assert repaired.exit_code == 0, repaired.output
    with psycopg.connect(arkiv.database) as conn:
        (content,) = conn.execute("SELECT content FROM original_files WHERE sha256 = %s", (good,)).fetchone()
    assert content == next(minutes.iterdir()).read_bytes()


def test_check_repair_mends_the_index(arkiv_files, minutes):
    arkiv = arkiv_files
    # Duplicate documents of one meeting (as the double-ingest bug left them), another
    # meeting missing from the index, one indexed from an older file, and an orphan.
    for path in sorted(FIXTURES.glob("*")):
        shutil.copy(path, minutes / path.name)
    assert arkiv("ingest", str(minutes)).exit_code == 0
    from archive.settings import Settings
    from archive.store.sqlite import Store
    from arkiv.backend import open_engine
    from index import tantivy_schema

    store = Store(arkiv.home)
    engine = open_engine(store, Settings.defaults(arkiv.home))
    meetings = sorted(store.iter_meetings(), key=lambda m: m.id)
    twice, missing, stale, gone = meetings[0], meetings[1], meetings[2], meetings[3]
    writer = engine._writer(engine._items)          # the meeting's items added a second time
    for doc in tantivy_schema.meeting_documents(twice, engine.tokens):
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    engine.update([], remove_meeting_ids=[missing.id])
    stale.source_sha256 = "an older file"
    engine.update([stale])
    with store.db.transaction():
        store.db.execute("DELETE FROM meetings WHERE id = ?", (gone.id,))
    expected_items = store.counts()["items"]
    store.close()

    result = arkiv("check")
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("PROBLEM:")]
    assert len(problems) == 4, result.output
    assert f"mødet {twice.id} har {2 * len(twice.items)} dagsordenspunkter i søgeindekset, " \
           f"men {len(twice.items)} i arkivet" in result.output
    assert f"mødet {missing.id} er gemt, men mangler i søgeindekset" in result.output
    assert f"mødet {stale.id} er indekseret fra en ældre udgave" in result.output
    assert f"mødet {gone.id} er i søgeindekset, men ikke i arkivet" in result.output

    repaired = arkiv("check", "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert "Rettet: 3 møder indekseret igen fra arkivet." in repaired.output
    assert "Rettet: 1 møde fjernet fra søgeindekset." in repaired.output
    assert arkiv("check").exit_code == 0
    assert json.loads(arkiv("search", "", "--json", "--limit", "1").output)["total"] == expected_items


@pytest.mark.slow
def test_evaluate_prints_both_chains(arkiv):
    result = arkiv("evaluate", "--json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert set(scores) == {"danish", "snowball"}
    assert scores["danish"]["ALL"]["ndcg@10"] > scores["snowball"]["ALL"]["ndcg@10"]
    assert scores["danish"]["ALL"]["n"] >= 40


def test_a_full_disk_is_a_clear_danish_message(arkiv_files, minutes, monkeypatch):
    arkiv = arkiv_files
    # The operating system refuses the write of the original (ENOSPC), as on a full disk.
    import errno

    import archive.store.originals

    class FullDisk(io.FileIO):
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device", self.name)

    real_open = open
    monkeypatch.setattr(archive.store.originals, "open", lambda path, mode="r", *a, **k:
                        FullDisk(path, "w") if "w" in mode else real_open(path, mode, *a, **k), raising=False)
    result = arkiv("ingest", str(minutes))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.startswith("arkiv: disken er fuld ved skrivning til ")
    assert "frigør plads og kør kommandoen igen" in result.output
    monkeypatch.undo()
    assert arkiv("ingest", str(minutes)).exit_code == 0         # with room again, it goes through
    assert arkiv("check").exit_code == 0


def test_search_output_is_danish(arkiv, minutes):
    arkiv("ingest", str(minutes))
    out = arkiv("search", "helgenomsekventering").output
    assert out.startswith("3 resultater for «helgenomsekventering»")
    assert "20. juni 2018" in out
    assert arkiv("search", "MeInWe").output.startswith("1 resultat for «MeInWe»")
    bad = arkiv("search", "x", "--from", "2018-13-01")
    assert bad.exit_code == 2 and "--from: '2018-13-01' er ikke en gyldig dato" in bad.output


def test_a_full_disk_on_the_database_server_is_named():
    import psycopg.errors

    from archive.errors import disk_full

    assert disk_full(psycopg.errors.DiskFull("could not extend file")) == "disken er fuld på databaseserveren"
    assert disk_full(psycopg.errors.UniqueViolation("duplicate key")) is None


@pytest.mark.parametrize("args, danish", [
    (["ingest", "--wait", "abc", "x"], ["Brug: arkiv ingest [TILVALG] PATHS...",
                                        "Skriv 'arkiv ingest --help' for at få hjælp.",
                                        "Fejl: Ugyldig værdi for '--wait': 'abc' er ikke et gyldigt tal."]),
    (["nosuch"], ["Fejl: Kommandoen 'nosuch' findes ikke."]),
    (["search", "--limit"], ["Fejl: Tilvalget '--limit' kræver en værdi."]),
    (["ingest"], ["Fejl: Mangler argumentet 'PATHS...'."]),
    (["--help"], ["Brug: arkiv [TILVALG] KOMMANDO [ARGUMENTER]...", "Tilvalg:", "Kommandoer:",
                  "Vis denne hjælp og afslut."]),
    (["user", "add", "--help"], ["Brug: arkiv user add [TILVALG] NAME"]),
])
def test_click_speaks_danish_in_usage_help_and_errors(tmp_path, args, danish):
    result = CliRunner().invoke(main, ["--home", str(tmp_path), *args], prog_name="arkiv")
    for line in danish:
        assert line in result.output
    for english in ("Usage:", "Error:", "Options", "Try '", "Show this message", "Invalid value", "No such"):
        assert english not in result.output
