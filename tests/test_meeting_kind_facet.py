"""The meeting's kind (Meeting.meeting_kind: "ordinær generalforsamling", "bestyrelsesmøde" …) as a
facet and a filter (issue 22): Datasette-style values (value, label, count, selected and the URL that
toggles it) on the search page and in /api/search, `arkiv search --kind`, on both engines.

Fictional minutes of one association: a general meeting (3 items) and two board meetings (2 each),
ingested with the real ingest into a real store and index on disk."""
from __future__ import annotations

import json
from urllib.parse import quote_plus

import pytest
from click.testing import CliRunner
from conftest import BACKENDS, ingest_into, make_archive
from test_browser import browser  # noqa: F401  (the fixture, for the one browser test)

from arkiv.cli import main
from web import create_app

HEADER = "Referat af {kind} i Andelsforeningen Bøgely\n\nDato: {date}\n\n"
MINUTES = {
    "2023-04-18_boegely_generalforsamling.txt": HEADER.format(kind="ordinær generalforsamling", date="18. april 2023")
    + "1. Valg af dirigent\nUlla Brink blev valgt som dirigent.\n\n2. Bestyrelsens beretning\n"
      "Beretningen blev godkendt.\n\n3. Forslag om nyt hegn mod stien\nForslaget blev vedtaget.\n",
    "2023-05-09_boegely_bestyrelsesmoede.txt": HEADER.format(kind="bestyrelsesmøde", date="9. maj 2023")
    + "1. Opfølgning på hegnet\nHegnet bestilles hos en lokal smed.\n\n2. Eventuelt\nIntet.\n",
    "2023-09-12_boegely_bestyrelsesmoede.txt": HEADER.format(kind="bestyrelsesmøde", date="12. september 2023")
    + "1. Hegnet mod stien\nHegnet er sat op og betalt.\n\n2. Eventuelt\nIntet.\n",
}
BOARD, AGM = "bestyrelsesmøde", "ordinær generalforsamling"


@pytest.fixture(params=[pytest.param(b, marks=pytest.mark.slow) if b == "postgres" else b for b in BACKENDS])
def archive(request, tmp_path):
    new_db = request.getfixturevalue("new_database") if request.param == "postgres" else None
    archive = make_archive(request.param, tmp_path / "home", new_db, name="kinds")
    folder = tmp_path / "referater"
    folder.mkdir()
    for name, text in MINUTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    ingest_into(archive, sorted(folder.iterdir()))
    return archive


@pytest.fixture()
def client(archive):
    return create_app(archive.config(PUBLIC=True)).test_client()


def test_the_api_counts_meeting_kinds_with_toggle_urls(client):
    data = client.get("/api/search").get_json()
    assert data["total"] == 7
    kinds = {v["value"]: v for v in data["facets"]["meeting_kind"]}
    assert kinds[BOARD] == {"value": BOARD, "label": "Bestyrelsesmøde", "count": 4, "selected": False,
                            "toggle_url": f"/api/search?kind={quote_plus(BOARD)}"}
    assert kinds[AGM]["label"] == "Ordinær generalforsamling" and kinds[AGM]["count"] == 3
    assert [v["value"] for v in data["facets"]["meeting_kind"]] == [BOARD, AGM]     # most items first

    chosen = client.get(kinds[BOARD]["toggle_url"]).get_json()
    assert chosen["total"] == 4
    assert {r["title"] for r in chosen["results"]} == {"Opfølgning på hegnet", "Eventuelt", "Hegnet mod stien"}
    (board,) = [v for v in chosen["facets"]["meeting_kind"] if v["value"] == BOARD]
    assert board["selected"] is True and board["toggle_url"] == "/api/search"          # toggles off again
    # With the words, OR within the facet: both kinds again.
    both = client.get("/api/search", query_string={"q": "hegn", "kind": [BOARD, AGM]}).get_json()
    alone = client.get("/api/search", query_string={"q": "hegn"}).get_json()
    assert both["total"] == alone["total"] == 3


def test_the_search_page_shows_the_facet_and_the_active_filter(client):
    page = client.get("/").get_data(as_text=True)
    assert '<h3 id="facet-kind">Mødetype</h3>' in page
    assert f'href="/?kind={quote_plus(BOARD)}"' in page and "Bestyrelsesmøde" in page
    chosen = client.get("/", query_string={"kind": BOARD}).get_data(as_text=True)
    assert 'aria-current="true"><span class="facet-label">Bestyrelsesmøde</span>' in chosen
    assert "Valg af dirigent" not in chosen and "Hegnet mod stien" in chosen


def test_a_bad_or_unknown_kind_finds_nothing_and_is_no_error(client):
    answer = client.get("/api/search", query_string={"kind": "koncert"})
    assert answer.status_code == 200 and answer.get_json()["total"] == 0


def test_arkiv_search_takes_kind(archive):
    database = ["--database", archive.database] if archive.database else []
    result = CliRunner().invoke(main, ["--home", str(archive.home), *database, "search", "--kind", AGM, "--json"],
                                catch_exceptions=False)
    out = json.loads(result.stdout)
    assert result.exit_code == 0 and out["total"] == 3
    assert {v["value"]: v["count"] for v in out["facets"]["meeting_kind"]} == {AGM: 3}
    assert "toggle_url" not in out["facets"]["meeting_kind"][0]                  # a command line has no URLs


@pytest.mark.browser
def test_the_facet_filters_in_a_real_browser(archive, browser, tmp_path):  # noqa: F811
    """Chromium against `arkiv serve`: the facet lists both kinds; a click filters to one and
    marks it chosen; a second click on it shows every item again."""
    from helpers_serve import serve

    with serve(archive.home, "--public", log_dir=tmp_path, database=archive.database) as server:
        context = browser.new_context(base_url=server.url, locale="da-DK")
        try:
            page = context.new_page()
            page.goto("/")
            facet = page.locator('section[aria-labelledby="facet-kind"]')
            assert facet.locator(".facet-label").all_inner_texts() == ["Bestyrelsesmøde", "Ordinær generalforsamling"]
            with page.expect_navigation():
                facet.get_by_role("link", name="Ordinær generalforsamling").click()
            assert f"kind={quote_plus(AGM)}" in page.url
            chosen = page.locator('section[aria-labelledby="facet-kind"] a[aria-current="true"] .facet-label')
            assert chosen.all_inner_texts() == ["Ordinær generalforsamling"]
            titles = page.locator("li.hit .hit-title a").evaluate_all(
                "links => links.map(a => a.lastChild.textContent.trim())")      # the title after "pkt. N"
            assert sorted(titles) == ["Bestyrelsens beretning", "Forslag om nyt hegn mod stien", "Valg af dirigent"]
            with page.expect_navigation():
                page.locator('section[aria-labelledby="facet-kind"] a[aria-current="true"]').click()
            assert "kind=" not in page.url
            assert page.locator("li.hit").count() == 7
        finally:
            context.close()
