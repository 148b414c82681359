"""Cases across meetings (issue 11): one fictional case (tests/fixtures/cases) followed through a
committee's two meetings and the city council; each item page shows the case's other items
("Sagsforløb"), and the case is a filter of the search (``case=``, ``sag:`` and ``--case``)."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from web import create_app

CASES = FIXTURES / "cases"
CASE = "EMN-2019-000417"
FIRST = "2019-09-02-fjordby-teknik-og-miljoeudvalg--2"      # udsat
SECOND = "2019-10-07-fjordby-teknik-og-miljoeudvalg--2"     # godkendt, with dissent and listed history
THIRD = "2019-10-30-fjordby-byraad-12--5"                    # the council: godkendt with a vote
COMMITTEE = "Fjordby Teknik- og Miljøudvalg"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    from archive.ingest import ingest
    from archive.store.sqlite import Store
    from index.engine_tantivy import open_engine

    home = tmp_path_factory.mktemp("cases")
    store = Store(home)
    try:
        report = ingest(sorted(p for p in CASES.iterdir() if p.name != "README.md"), store,
                        open_engine(store.index_dir))
    finally:
        store.close()
    assert not report.failed and report.count("added") == 3, report.summary()
    return home


@pytest.fixture(scope="module")
def client(home):
    return create_app({"TESTING": True, "ARKIV_HOME": str(home), "PUBLIC": True}).test_client()


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start:html.index("</section>", start)]


def test_the_first_meeting_shows_what_became_of_the_case_later(client):
    html = client.get(f"/punkt/{FIRST}").get_data(as_text=True)
    history = _section(html, "sagsforloeb")
    # Every other item of the case, oldest first, with date, body, item number, outcome and a link.
    assert history.index(f"/punkt/{SECOND}") < history.index(f"/punkt/{THIRD}")
    assert f"/punkt/{FIRST}" not in history
    for text in ("7. oktober 2019", COMMITTEE, "pkt. 2: Ny havnepromenade ved Fjordkajen", "30. oktober 2019",
                 "Fjordby Byråd", "pkt. 5: Anlægsbevilling til havnepromenaden ved Fjordkajen", "Godkendt"):
        assert text in history, text
    assert f'href="/?case={CASE}&amp;sort=oldest"' in history       # the whole case as a search
    assert f'<dd><a href="/sager/{CASE}"' in html     # the case number links to the case's page


def test_the_second_meeting_shows_the_earlier_treatment_twice(client):
    html = client.get(f"/punkt/{SECOND}").get_data(as_text=True)
    history = _section(html, "sagsforloeb")
    assert history.index(f"/punkt/{FIRST}") < history.index(f"/punkt/{THIRD}")
    assert "2. september 2019" in history and "Udsat" in history
    # … and as the minutes list it themselves (committee, date, item number, what was decided).
    listed = history[history.index("Tidligere behandling"):]
    assert "2. september 2019" in listed and COMMITTEE in listed and "pkt. 2" in listed
    assert "Udvalget besluttede at udsætte sagen" in listed


def test_the_decision_shows_dissent_absence_and_attachments(client):
    html = client.get(f"/punkt/{SECOND}").get_data(as_text=True)
    decision = _section(html, "beslutning")
    assert "Et flertal i udvalget kunne tiltræde indstillingen." in decision
    assert "<dt>Imod</dt><dd>Bo Fiktivsen</dd>" in decision
    assert "<dt>Tog forbehold</dt><dd>Lise Lodsen</dd>" in decision
    assert "<dt>Fraværende</dt><dd>Preben Pælemand</dd>" in decision
    attachments = _section(html, "bilag")
    assert ('<a href="https://fjordby.example/bilag/lysberegning.pdf" rel="noopener noreferrer">'
            'Bilag 2: Lysberegning for Fjordkajen</a>') in attachments
    council = _section(client.get(f"/punkt/{THIRD}").get_data(as_text=True), "beslutning")
    assert "<dt>Afstemning</dt><dd>21 for, 4 imod</dd>" in council


def test_the_title_keeps_no_case_number(client):
    item = client.get(f"/api/items/{SECOND}").get_json()
    assert item["title"] == "Ny havnepromenade ved Fjordkajen" and item["case_number"] == CASE


@pytest.mark.parametrize("query", [f"case={CASE}", f"q=sag:{CASE}", f"q=sag:{CASE.lower()}",
                                   f"case={CASE}&case=EMN-2019-999999"])
def test_the_case_is_a_filter(client, query):
    data = client.get(f"/api/search?{query}&sort=oldest").get_json()
    assert [h["id"] for h in data["results"]] == [FIRST, SECOND, THIRD]


def test_the_case_filter_combines_with_words_and_other_filters(client):
    assert [h["id"] for h in client.get(f"/api/search?q=sag:{CASE} lysberegning").get_json()["results"]] == [SECOND]
    assert client.get(f"/api/search?case={CASE}&body=Fjordby Byråd").get_json()["total"] == 1
    assert client.get("/api/search?case=EMN-2019-999999").get_json()["total"] == 0
    page = client.get(f"/?case={CASE}").get_data(as_text=True)
    assert "Sag:</span> EMN-2019-000417" in page            # an active filter that can be removed
    too_long = client.get("/api/search?case=" + "1" * 61)
    assert too_long.status_code == 400 and too_long.get_json()["error"]["parameter"] == "case"


def test_the_exports_carry_the_decision_and_what_comes_with_it(client):
    items = {i["id"]: i for i in client.get(f"/eksport.json?case={CASE}").get_json()["items"]}
    second = items[SECOND]
    assert second["decision"].startswith("Et flertal i udvalget kunne tiltræde")
    assert second["dissent"] == [
        {"name": "Bo Fiktivsen", "kind": "imod", "text": "Bo Fiktivsen kunne ikke tiltræde indstillingen."},
        {"name": "Lise Lodsen", "kind": "forbehold", "text": "Lise Lodsen tog forbehold vedrørende belysningen."}]
    assert second["absent"] == ["Preben Pælemand"]
    assert second["history"] == [{"body": COMMITTEE, "date": "2019-09-02", "number": "2",
                                  "text": "Udvalget besluttede at udsætte sagen til næste møde med henblik på en "
                                          "plan for belysningen."}]
    assert second["attachments"][1] == {"title": "Bilag 2: Lysberegning for Fjordkajen",
                                        "url": "https://fjordby.example/bilag/lysberegning.pdf"}
    assert items[THIRD]["votes"] == {"in_favour": 21, "against": 4, "abstained": None}
    text = client.get(f"/eksport.csv?case={CASE}&kolonner=en").get_data(as_text=True).lstrip("\ufeff")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows[SECOND]["dissent"] == "Bo Fiktivsen (imod); Lise Lodsen (tog forbehold)"
    assert rows[SECOND]["absent"] == "Preben Pælemand"
    assert rows[SECOND]["history"].startswith(f"{COMMITTEE} 2019-09-02 pkt. 2: Udvalget besluttede")
    assert rows[SECOND]["attachments"].endswith(
        "Bilag 2: Lysberegning for Fjordkajen <https://fjordby.example/bilag/lysberegning.pdf>")
    assert rows[THIRD]["votes"] == "for 21, imod 4"


def test_attachment_titles_are_searchable(client):
    assert [h["id"] for h in client.get("/api/search?q=lysberegning").get_json()["results"]] == [SECOND]


def test_the_command_line_filters_by_case(home):
    from arkiv.cli import main

    result = CliRunner().invoke(main, ["--home", str(home), "search", "--case", CASE, "--sort", "oldest",
                                       "--json"])
    assert result.exit_code == 0, result.output
    assert [h["id"] for h in json.loads(result.output)["results"]] == [FIRST, SECOND, THIRD]
