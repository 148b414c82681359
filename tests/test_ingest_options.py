"""`arkiv ingest` as a user drives it: --body, a folder's arkiv.toml, files that are not minutes,
--explain, and a summary that names what went wrong (fictional minutes only)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from arkiv.cli import main

NUMBERED = """Referat af bestyrelsesmøde 12. marts 2024

1. Godkendelse af dagsorden
Godkendt.

2. Vejfest
Festen holdes den 8. juni; Hanne Østergaard står for grillen.
"""
NO_BODY = NUMBERED            # the title names no body: it must come from somewhere else


@pytest.fixture()
def arkiv(tmp_path):
    home = tmp_path / "home"

    def run(*args: str):
        return CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)

    return run


def _bodies(arkiv) -> set[str]:
    return {json.loads(line)["meeting"]["body"] for line in arkiv("export").output.splitlines()}


def test_body_falls_back_on_the_folder_name(arkiv, tmp_path):
    folder = tmp_path / "fjordby_vejlaug"
    folder.mkdir()
    (folder / "marts.md").write_text(NO_BODY, encoding="utf-8")
    assert arkiv("ingest", str(folder)).exit_code == 0
    assert _bodies(arkiv) == {"Fjordby vejlaug"}


def test_body_from_the_command_line_wins(arkiv, tmp_path):
    folder = tmp_path / "referater"
    folder.mkdir()
    (folder / "marts.md").write_text(NO_BODY, encoding="utf-8")
    (folder / "arkiv.toml").write_text('body = "Fjordby Vejlaug"\n', encoding="utf-8")
    assert arkiv("ingest", "--body", "Bestyrelsen for Fjordby Vejlaug", str(folder)).exit_code == 0
    assert _bodies(arkiv) == {"Bestyrelsen for Fjordby Vejlaug"}
    # A reindex parses the stored original again: the body it was given stays.
    (folder / "arkiv.toml").unlink()
    assert arkiv("reindex").exit_code == 0
    assert _bodies(arkiv) == {"Bestyrelsen for Fjordby Vejlaug"}


def test_arkiv_toml_names_the_body_and_skips_files_in_its_folder_and_below(arkiv, tmp_path):
    folder = tmp_path / "referater"
    (folder / "2024").mkdir(parents=True)
    (folder / "arkiv.toml").write_text('body = "Fjordby Vejlaug"\nskip = ["udkast*"]\n', encoding="utf-8")
    (folder / "2024" / "marts.md").write_text(NO_BODY, encoding="utf-8")
    (folder / "2024" / "udkast-april.md").write_text(NO_BODY.replace("marts", "april"), encoding="utf-8")
    result = arkiv("ingest", str(folder))
    assert result.exit_code == 0, result.output
    assert _bodies(arkiv) == {"Fjordby Vejlaug"}
    assert "udkast-april.md: springes over: matcher 'udkast*'" in result.output
    assert "1 nye" in result.output and "1 sprunget over" in result.output


def test_a_bad_arkiv_toml_is_named(arkiv, tmp_path):
    (tmp_path / "arkiv.toml").write_text('krop = "Fjordby"\n', encoding="utf-8")
    (tmp_path / "marts.md").write_text(NO_BODY, encoding="utf-8")
    result = arkiv("ingest", str(tmp_path))
    assert result.exit_code == 1
    assert "arkiv.toml: ukendt nøgle 'krop' (kendte: body, skip)" in result.output


def test_readme_licence_and_texts_without_a_meeting_are_skipped_in_danish(arkiv, tmp_path):
    (tmp_path / "README.md").write_text("# Referater\n\n1. Hent filerne\n2. Kør arkiv\n", encoding="utf-8")
    (tmp_path / "LICENSE").write_text("MIT", encoding="utf-8")       # not a known extension: never read
    (tmp_path / "opskrift.txt").write_text("Æblekage\n\nRiv æblerne, og bag kagen ved 200 grader i en time.\n",
                                           encoding="utf-8")
    (tmp_path / "marts.md").write_text(NO_BODY, encoding="utf-8")
    result = arkiv("ingest", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "README.md: springes over: en projekt- eller licensfil" in result.output
    assert "opskrift.txt: ikke et referat: teksten nævner hverken møde" in result.output
    assert "1 nye" in result.output and "2 sprunget over" in result.output


def test_summary_names_files_that_became_one_item(arkiv, tmp_path):
    (tmp_path / "notat.md").write_text("Notat fra mødet\n\nVi talte om vejfesten og om grillen.\n",
                                       encoding="utf-8")
    result = arkiv("ingest", str(tmp_path))
    assert result.exit_code == 0
    assert "advarsel: notat.md: ingen dagsordenspunkter fundet: hele dokumentet er gemt som ét punkt" \
        in result.output
    assert "Kun ét punkt (ingen punkter fundet): notat.md" in result.output


def test_explain_shows_blocks_headings_and_where_text_went_and_stores_nothing(arkiv, tmp_path):
    path = tmp_path / "fjordby-vejlaug_marts.md"
    path.write_text(NUMBERED, encoding="utf-8")
    result = arkiv("ingest", "--explain", str(path))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Opdeling: nummererede punkter (ordning 'dot', 2 punkter" in out
    assert "▶ PUNKT 1" in out and "▶ PUNKT 2" in out
    assert "punkt 2: minutes" in out and "| Festen holdes den 8. juni" in out
    assert "Dato: 2024-03-12" in out
    assert "Punkter (2):" in out
    assert json.loads(arkiv("search", "vejfest", "--json").output)["total"] == 0    # nothing stored
