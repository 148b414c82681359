"""CSV exports (`arkiv export --format csv` and /eksport.csv) never hand a spreadsheet a formula."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from click.testing import CliRunner
from helpers_search import BODY_TM, item, meeting

from archive.export import CSV_COLUMNS, DANISH_COLUMNS
from archive.store.sqlite import Store
from arkiv.cli import main
from index.engine_tantivy import open_engine

FORMULAS = {
    "title": "=HYPERLINK(\"http://example.invalid\";\"klik\")",
    "description": "+1+2 skal give tre",
    "minutes": "-2+3 er et regnestykke",
    "recommendation": "@SUM(A1:A9)",
}


@pytest.fixture()
def home(tmp_path):
    """An archive with one item whose texts start like formulas (and one ordinary item)."""
    home = tmp_path / "home"
    m = meeting(BODY_TM, dt.date(2024, 4, 2), "5", [
        item("1", FORMULAS["title"], FORMULAS["description"], FORMULAS["minutes"],
             recommendation=FORMULAS["recommendation"], presenters=["\tTabulator Hansen"]),
        item("2", "Budget for vejene", "Almindelig tekst.", "Godkendt."),
    ])
    store = Store(home)
    store.put_meeting(m, str(tmp_path / "m.txt"), ".txt")
    store.close()
    open_engine(home / "index").update([m])
    return home


def _check_rows(text: str, danish: bool = False) -> None:
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";" if danish else ","))
    if danish:      # the same cells under the Danish headings
        rows = [{c: row[DANISH_COLUMNS[c]] for c in CSV_COLUMNS} for row in rows]
    assert len(rows) == 2
    bad = next(r for r in rows if r["number"] == "1")
    for field, value in FORMULAS.items():
        assert bad[field] == "'" + value, field
    assert bad["presenters"] == "'\tTabulator Hansen"
    good = next(r for r in rows if r["number"] == "2")
    assert good["title"] == "Budget for vejene" and good["minutes"] == "Godkendt."
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_cli_csv_export_escapes_formulas(home):
    result = CliRunner().invoke(main, ["--home", str(home), "export", "--format", "csv"], catch_exceptions=False)
    assert result.exit_code == 0
    _check_rows(result.output)


def test_web_csv_export_escapes_formulas(home):
    from web import create_app

    client = create_app({"TESTING": True, "ARKIV_HOME": str(home), "PUBLIC": True}).test_client()
    r = client.get("/eksport.csv")
    assert r.status_code == 200
    _check_rows(r.data.decode("utf-8-sig"), danish=True)
    _check_rows(client.get("/eksport.csv?kolonner=en").data.decode("utf-8-sig"))


def test_cli_danish_csv_export_escapes_formulas(home):
    result = CliRunner().invoke(main, ["--home", str(home), "export", "--format", "csv-da"], catch_exceptions=False)
    assert result.exit_code == 0 and result.output.startswith("\ufeffPunkt-id;")
    _check_rows(result.output.removeprefix("\ufeff"), danish=True)


def test_jsonl_export_keeps_the_text_as_it_is(home):
    result = CliRunner().invoke(main, ["--home", str(home), "export"], catch_exceptions=False)
    assert FORMULAS["title"] in result.output.replace('\\"', '"')
