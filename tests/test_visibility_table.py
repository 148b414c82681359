"""Who sees what, generated from ONE table: ``archive.visibility.CLOSED_ITEM_FIELDS``.

A closed item of a fictional meeting carries a marker in every private field; every GET route
of the app (its own url_map), with queries aimed at the markers (words, phrases, prefixes,
misspellings for did-you-mean, filters, facets), must show none of them to a signed-out visitor
of a public site, while a signed-in reader reads each of them (so no marker is vacuous).  The
public fields are shown to anyone.  Did-you-mean is held to what the asker may see: no word of an
internal meeting (not even beside a word that finds something), none of an item closed after it
was indexed.  A new item field fails here until the table says whether a closed item shows it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from urllib.parse import quote, unquote

import pytest
from conftest import Archive
from helpers_auth import PASSWORD, READER, sign_in

from archive.ids import assign_ids
from archive.model import AgendaItem, Attachment, Dissent, Meeting, Presenter, Treatment, Votes
from archive.visibility import CLOSED_ITEM_FIELDS, PUBLIC_CLOSED_FIELDS, public_item
from web import create_app

BODY = "Fiktivudvalget for Lukkede Sager"
OPEN_WORD = "solsikkebedet"              # in an open item: public
INTERNAL_WORD = "gnorfvandplan"          # only in an internal meeting
LATE_WORD = "brombærhækken"              # in an item an editor closes after it was indexed
PRESENTER = "Skjultpresenters Fremlæggersen"
DISSENTER = "Skjultdissent Modstandersen"
ABSENTEE = "Skjultabsent Fraværsen"

# Every private field of the closed item: (its value, the texts that must not reach a signed-out visitor).
PRIVATE_VALUES: dict[str, tuple[object, tuple[str, ...]]] = {
    "time": ("13:37–14:59", ("13:37", "14:59")),
    "presenters": ([Presenter(PRESENTER, "skjultpresentersrolle")], ("Skjultpresenters", "skjultpresentersrolle")),
    "description": ("Sagen om skjultdescription står her.", ("skjultdescription",)),
    "recommendation": ("Det indstilles at skjultrecommendation godkendes.", ("skjultrecommendation",)),
    "minutes": ("Udvalget drøftede skjultminutes indgående.", ("skjultminutes",)),
    "decision": ("Udvalget besluttede skjultdecision.", ("skjultdecision",)),
    "dissent": ([Dissent(DISSENTER, "imod", f"{DISSENTER} stemte imod skjultdissenttekst.")],
                ("Skjultdissent", "skjultdissenttekst")),
    "votes": (Votes(913771, 826377, 735177), ("913771", "826377", "735177")),
    "absent": ([ABSENTEE], ("Skjultabsent",)),
    "history": ([Treatment("Skjulthistory Økonomiudvalg", "2020-01-02", "7", "skjulthistorytekst")],
                ("Skjulthistory", "skjulthistorytekst")),
    "attachments": ([Attachment("Skjultattachments bilag", "https://fiktiv.example/skjultattachmentsurl.pdf")],
                    ("Skjultattachments", "skjultattachmentsurl")),
    "ocr": (True, ()),                   # a flag: no text to look for (public_item resets it)
}
# The public fields, as anyone sees them.
PUBLIC_VALUES: dict[str, object] = {"number": "2", "title": "Lukket sag om kompostpladsen",
                                    "outcomes": ["godkendt"], "case_number": "21/7788", "closed": True}
SECRETS = tuple(text for _value, texts in PRIVATE_VALUES.values() for text in texts) + (INTERNAL_WORD, LATE_WORD)
# Words to search for, each a way to reach a private text: itself, quoted, a prefix, misspelt.
WORDS = ("skjultdescription", "skjultrecommendation", "skjultminutes", "skjultdecision", "skjultdissenttekst",
         "skjulthistorytekst", "skjultattachments", "skjultpresenters", INTERNAL_WORD, LATE_WORD)
QUERIES = ["", f"q={OPEN_WORD}", "q=kompostpladsen", f"presenter={quote(PRESENTER)}", "case=21/7788",
           f"q=gnorfvandplax OR {OPEN_WORD}", "q=gnorfvandplax", "q=brombærhækkem",
           f"q=brombærhækkem OR {OPEN_WORD}", "outcome=godkendt", f"body={quote(BODY)}",
           # The feed in order of arrival (index.recent, outside run_search) and the profiles' pages.
           "order=added", f"order=added&presenter={quote(PRESENTER)}", "order=added&q=skjultdecision", "page=2"]
for _w in WORDS:
    QUERIES += [f"q={_w}", f'q="{_w}"', f"q={_w[:8]}*", f"q={_w[:-1]}x"]


def _closed_item() -> AgendaItem:
    values = {name: value for name, (value, _texts) in PRIVATE_VALUES.items()}
    return AgendaItem(position=2, **values, **PUBLIC_VALUES)


def _meeting(day: dt.date, number: str, items: list[AgendaItem]) -> Meeting:
    return Meeting(body=BODY, date=day, number=number, title=f"{number}. møde i {BODY}", items=items,
                   source_file=f"fiktiv-{number}.txt")


def _store_meeting(store, engine, meeting: Meeting) -> Meeting:
    meeting.source_sha256 = store.save_original(f"Fiktivt referat {meeting.number}".encode(), ".txt")
    assign_ids(meeting)
    with store.write_lock():
        stored = store.put_meeting(meeting, f"/fiktiv/{meeting.source_file}", ".txt").meeting
        engine.update([stored])
    return stored


@dataclasses.dataclass
class Site:
    app: object
    closed: str              # the closed item's id
    open: str
    late: str                # the item closed after it was indexed
    meeting: str
    internal: str
    shas: dict[str, list[str]]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    from archive.accounts import Accounts
    from archive.store import corrections

    archive = Archive(tmp_path_factory.mktemp("arkiv-table"))
    store, engine = archive.store(), archive.engine()
    try:
        opened = AgendaItem("1", "Blomster ved rådhuset", position=1,
                            description=f"Udvalget så på {OPEN_WORD} foran rådhuset.", outcomes=["godkendt"])
        main = _store_meeting(store, engine, _meeting(dt.date(2021, 2, 3), "4", [opened, _closed_item()]))
        inner = _store_meeting(store, engine, _meeting(dt.date(2021, 3, 3), "5", [
            AgendaItem("1", "Intern planlægning", position=1, description=f"Arbejdet med {INTERNAL_WORD} fortsætter.",
                       presenters=[Presenter("Internia Planlæggersen")])]))
        late = _store_meeting(store, engine, _meeting(dt.date(2021, 4, 3), "6", [
            AgendaItem("1", "Hegn ved skolen", position=1, description=f"Om {LATE_WORD} ved skolen.")]))
        with store.write_lock():
            corrections.save(store, inner, inner.id, {"internal": True}, "redaktoer")
            corrections.save(store, late, late.items[0].id, {"closed": True}, "redaktoer")
            engine.update([store.get_meeting(inner.id), store.get_meeting(late.id)])
        Accounts(store.db).add(READER, "reader", PASSWORD)
        shas = {m.id: [o.sha256 for o in store.meeting_originals(m.id)] for m in (main, inner, late)}
    finally:
        store.close()
    return Site(create_app(archive.config(PUBLIC=True)), main.items[1].id, main.items[0].id, late.items[0].id,
                main.id, inner.id, shas)


def _arguments(site: Site) -> dict[str, list[str]]:
    return {"item_id": [site.closed, site.late, site.open], "meeting_id": [site.meeting, site.internal],
            "name": [PRESENTER, DISSENTER, ABSENTEE, "Internia Planlæggersen"], "filename": ["style.css"],
            # The pages of a body and a case (/organer/<body>, /sager/<case>, their JSON) and the
            # unsubscribe link (/afmeld/<token>: an unknown token, so nothing is removed).
            "body": [BODY], "case": [PUBLIC_VALUES["case_number"]], "token": ["ingen-saadan-afmelding"],
            "number": ["1"]}                  # a page of the original PDF (web.viewer)


def _paths(site: Site, rule) -> list[str]:
    args = _arguments(site)
    combos: list[dict[str, str]] = [{}]
    for arg in sorted(rule.arguments - {"sha"}):
        assert arg in args, f"route {rule.rule}: give <{arg}> values in _arguments"
        combos = [dict(c, **{arg: v}) for c in combos for v in args[arg]]
    if "sha" in rule.arguments:
        combos = [dict(c, sha=sha) for c in combos for sha in site.shas[c["meeting_id"]]]
    out = []
    for values in combos:
        path = rule.rule
        for arg, value in values.items():
            path = path.replace(f"<{arg}>", quote(value)).replace(f"<path:{arg}>", quote(value))
        out.append(path)
    return out


def _leaks(url: str, response) -> list[str]:
    """The private texts in a response that the request did not itself contain."""
    asked = unquote(url).casefold()
    seen = (response.get_data(as_text=True) + " ".join(f"{k}: {v}" for k, v in response.headers.items())).casefold()
    return [s for s in SECRETS if s.casefold() not in asked and s.casefold() in seen]


def _endpoints() -> list[str]:
    app = create_app({"TESTING": True, "ARKIV_HOME": "/nonexistent-arkiv-table"})
    return sorted({r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods})


# -- the table itself ------------------------------------------------------------------------------

def test_the_table_names_every_field_of_an_item():
    fields = {f.name for f in dataclasses.fields(AgendaItem)}
    assert set(CLOSED_ITEM_FIELDS) == fields, "say in CLOSED_ITEM_FIELDS whether a closed item shows the new field"
    assert set(PRIVATE_VALUES) == {n for n, shown in CLOSED_ITEM_FIELDS.items() if not shown}
    assert set(PUBLIC_VALUES) | {"id", "position"} == set(PUBLIC_CLOSED_FIELDS)


@pytest.mark.parametrize("field", sorted(PRIVATE_VALUES))
def test_a_closed_items_private_field_is_empty_for_anyone(field, site):
    """Per field: the reduced item, the API record, the meeting's API and the JSON export hold
    the field's empty value signed out and its value signed in."""
    default = getattr(AgendaItem("x", "x"), field)
    assert getattr(public_item(_closed_item()), field) == default
    anon, reader = site.app.test_client(), site.app.test_client()
    sign_in(reader, READER)
    key = "presenters" if field == "presenters" else field
    record = anon.get(f"/api/items/{site.closed}").get_json()
    if field != "ocr":
        assert record[key] in ("", [], None), (field, record[key])
        full = reader.get(f"/api/items/{site.closed}").get_data(as_text=True)
        assert all(text in full for text in PRIVATE_VALUES[field][1]), field
    meeting = anon.get(f"/api/meetings/{site.meeting}").get_json()
    shown = next(it for it in meeting["items"] if it["id"] == site.closed)
    assert shown[field] == dataclasses.asdict(AgendaItem("x", "x")).get(field), field
    exported = anon.get(f"/eksport.json?body={quote(BODY)}").get_data(as_text=True)
    assert not [t for t in PRIVATE_VALUES[field][1] if t in exported], field


@pytest.mark.parametrize("field", sorted(PUBLIC_VALUES))
def test_a_closed_items_public_field_is_shown_to_anyone(field, site):
    record = site.app.test_client().get(f"/api/items/{site.closed}").get_json()
    assert record[field] == PUBLIC_VALUES[field]


# -- every route, signed out, with every query -------------------------------------------------------

@pytest.mark.parametrize("endpoint", _endpoints())
def test_no_route_shows_a_private_field_signed_out(endpoint, site):
    client = site.app.test_client()
    rules = [r for r in site.app.url_map.iter_rules() if r.endpoint == endpoint and "GET" in r.methods]
    found: dict[str, list[str]] = {}
    for rule in rules:
        for path in _paths(site, rule):
            for query in QUERIES if endpoint != "static" else [""]:
                url = f"{path}?{query}" if query else path
                response = client.get(url)
                assert response.status_code in (200, 302, 400, 404), (url, response.status_code)
                for secret in _leaks(url, response):
                    found.setdefault(secret, []).append(url)
    fields = {s: next((f for f, (_v, texts) in PRIVATE_VALUES.items() if s in texts), "word") for s in found}
    assert not found, {f"{fields[s]}: {s}": urls[:3] for s, urls in found.items()}


@pytest.mark.parametrize("word", WORDS)
def test_a_private_word_is_found_signed_in_only(word, site):
    anon, reader = site.app.test_client(), site.app.test_client()
    sign_in(reader, READER)
    for query in (word, f'"{word}"', f"{word[:8]}*"):
        assert anon.get(f"/api/search?q={quote(query)}").get_json()["total"] == 0, query
        assert reader.get(f"/api/search?q={quote(query)}").get_json()["total"] >= 1, query


# -- did-you-mean ---------------------------------------------------------------------------------

def test_did_you_mean_offers_no_word_of_an_internal_meeting_beside_a_word_that_finds(site):
    anon, reader = site.app.test_client(), site.app.test_client()
    sign_in(reader, READER)
    for q in ("gnorfvandplax", f"gnorfvandplax OR {OPEN_WORD}"):
        assert anon.get(f"/api/search?q={quote(q)}").get_json()["suggestion"] is None, q
        page = anon.get(f"/?q={quote(q)}").get_data(as_text=True)
        assert INTERNAL_WORD not in page and "Søgte du efter" not in page, q
    assert reader.get("/api/search?q=gnorfvandplax").get_json()["suggestion"] == INTERNAL_WORD
    # A public word is still offered, beside another word too.
    assert anon.get("/api/search?q=solsikkebedat").get_json()["suggestion"] == OPEN_WORD


def test_did_you_mean_offers_no_word_of_an_item_closed_after_it_was_indexed(site):
    anon = site.app.test_client()
    for q in ("brombærhækkem", f"brombærhækkem OR {OPEN_WORD}"):
        assert anon.get(f"/api/search?q={quote(q)}").get_json()["suggestion"] is None, q


def test_presenter_facet_and_person_page_of_a_closed_item_signed_out(site):
    anon, reader = site.app.test_client(), site.app.test_client()
    sign_in(reader, READER)
    facet = {f["value"] for f in anon.get(f"/api/search?body={quote(BODY)}").get_json()["facets"]["presenter"]}
    assert PRESENTER not in facet
    assert anon.get(f"/person/{quote(PRESENTER)}").status_code == 404
    assert anon.get(f"/personer/{quote(PRESENTER)}").status_code == 404
    assert anon.get(f"/api/personer/{quote(PRESENTER)}").status_code == 404
    # Signed in, the item shows its presenter.  (The engines facet presenters from public fields
    # only: a closed item's presenter in a signed-in user's facet needs a private facet field.)
    assert PRESENTER in reader.get(f"/punkt/{site.closed}").get_data(as_text=True)


# -- the case: a closed item with a recommendation and REFERAT, no "Beslutning" ----------------

CLOSED_REFERAT = """REFERAT

2. møde i Fiktivudvalget for Boligstøtte

(Fiktivt referat, skrevet til arkivs tests. Personer og indhold er opdigtede.)

Dato og sted
Onsdag 9. juni 2021 kl. 10.00 – 12.00

Punkt 1:

Godkendelse af dagsorden

REFERAT:

Dagsordenen blev godkendt.

Punkt 2:

Henstand med husleje

Lukket punkt

Sagen gælder en lejer i afdeling 7.

Det indstilles at:
 Udvalget giver lejeren henstand.

REFERAT:

Lejeren har betalingsproblemer på grund af en skilsmisse. Udvalget gav henstand til 1. september.
"""


def test_a_closed_items_referat_is_not_public_without_a_decision(tmp_path):
    from archive.accounts import Accounts
    from archive.ingest import ingest

    archive = Archive(tmp_path / "home")
    source = tmp_path / "2021-06-09_boligstoette_2-moede.txt"
    source.write_text(CLOSED_REFERAT, encoding="utf-8")
    store = archive.store()
    try:
        report = ingest([source], store, archive.engine())
        assert not report.failed
        Accounts(store.db).add(READER, "reader", PASSWORD)
        meeting = next(store.iter_meetings())
    finally:
        store.close()
    closed = next(it for it in meeting.items if it.closed)
    assert "betalingsproblemer" in closed.minutes + closed.decision      # the parse kept it
    app = create_app(archive.config(PUBLIC=True))
    anon, reader = app.test_client(), app.test_client()
    for url in (f"/api/items/{closed.id}", f"/api/meetings/{meeting.id}", f"/punkt/{closed.id}",
                f"/moede/{meeting.id}", "/eksport.json", "/eksport.csv", "/feed.atom", "/api/search?q=henstand",
                "/api/search?q=betalingsproblemer", "/?q=skilsmisse"):
        body = anon.get(url).get_data(as_text=True)
        assert not [w for w in ("betalingsproblemer", "skilsmisse") if w in body and w not in url], url
    record = anon.get(f"/api/items/{closed.id}").get_json()
    assert (record["title"], record["decision"], record["minutes"]) == ("Henstand med husleje", "", "")
    sign_in(reader, READER)
    assert "betalingsproblemer" in reader.get(f"/api/items/{closed.id}").get_data(as_text=True)
