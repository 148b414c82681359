"""Bodies merged by an editor (archive.store.aliases): the merged body's meetings move to the
other, in the store and the index; the old name is kept as an alias, so a reindex and the next
file that spells it so land in the body it went into; the merge and its undo are in the audit
log; editors only, on the web and the command line.  Fictional bodies of a waterworks."""
from __future__ import annotations

import io
from urllib.parse import quote, quote_plus

import pytest
from click.testing import CliRunner
from conftest import BACKENDS, Archive, make_archive
from helpers_auth import EDITOR, PASSWORD, READER, form_token, sign_in

from archive.ingest import ingest, reindex
from archive.store import corrections
from arkiv.cli import main
from web import create_app

SHORT, LONG = "Grønnedal Vandværk", "Vandværket Grønnedal"     # two readings of one body
MARCH, APRIL, MAY = "2024-03-12-groennedal-vandvaerk", "2024-04-09-vandvaerket-groennedal", \
    "2024-05-14-vandvaerket-groennedal"
OTHER = "Fiktivby Skolebestyrelse"

_MINUTES = """Referat af bestyrelsesmøde i {body}

(Fiktivt referat, skrevet til arkivs tests.)

Dato: {date} kl. 19.00
Sted: Pumpehuset, Kildevej 2, 9999 Fiktivby

Deltagere: Hanne Hanevold (formand), Palle Pumpesen

1. Godkendelse af dagsorden

Dagsordenen blev godkendt.

2. {topic}

Bestyrelsen drøftede {topic_lower}.

3. Eventuelt

Intet.
"""


def write_minutes(folder, name, body, date, topic):
    path = folder / name
    path.write_text(_MINUTES.format(body=body, date=date, topic=topic, topic_lower=topic.lower()), encoding="utf-8")
    return path


@pytest.fixture(params=BACKENDS)
def archive(request, tmp_path):
    """Two meetings of the waterworks under its two names, one of a school board; once per backend."""
    folder = tmp_path / "in"
    folder.mkdir()
    files = [write_minutes(folder, "marts.txt", SHORT, "12. marts 2024", "Udskiftning af ledningsnettet"),
             write_minutes(folder, "april.txt", LONG, "9. april 2024", "Tilbud på ledningsarbejdet"),
             write_minutes(folder, "skole.txt", OTHER, "3. april 2024", "Skolens legeplads")]
    new_db = request.getfixturevalue("new_database") if request.param == "postgres" else None
    made = make_archive(request.param, tmp_path / "home", new_db)
    store, engine = made.store(), made.engine()
    assert not ingest(files, store, engine).failed
    assert {row.name for row in store.body_rows()} == {SHORT, LONG, OTHER}
    yield made, store, engine, folder
    store.close()


def _search(engine, **params):
    from index.search import parse_request, search

    request = parse_request(params)
    request.private = True
    return search(engine, request)


def _bodies_in_index(engine) -> dict[str, int]:
    return {f.value: f.count for f in _search(engine).facets["body"]}


def _merge(store, engine, old, into, author=EDITOR):
    with store.write_lock():
        moved = store.merge_bodies(old, into, author)
        engine.update(moved)
    return moved


def test_a_merged_body_stays_merged_through_reindex_and_the_next_ingest_of_its_spelling(archive):
    _, store, engine, folder = archive
    moved = _merge(store, engine, LONG, SHORT)
    assert [(m.id, m.body) for m in moved] == [(APRIL, SHORT)]           # the id (permalink) stays
    assert {row.name: row.meetings for row in store.body_rows()} == {SHORT: 2, OTHER: 1}
    assert _bodies_in_index(engine) == {SHORT: 6, OTHER: 3}
    assert _search(engine, body=[SHORT], q="ledningsarbejdet").total == 1
    (entry,) = corrections.audit(store.db)
    assert (entry.author, entry.field, entry.before, entry.after) == (EDITOR, "merge", LONG, SHORT)

    assert not reindex(store, engine).failed
    assert store.get_meeting(APRIL).body == SHORT and _bodies_in_index(engine) == {SHORT: 6, OTHER: 3}

    # A new file that spells the body the old way (in capitals, too) lands in the body it went into,
    # and so does a changed file of a merged meeting.
    new = write_minutes(folder, "maj.txt", LONG.upper(), "14. maj 2024", "Vandprøver fra boringen")
    changed = folder / "april.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Intet.", "Næste møde i maj."), encoding="utf-8")
    report = ingest([new, changed], store, engine)
    assert sorted(r.status for r in report.results) == ["added", "updated"]
    assert store.get_meeting(MAY).body == SHORT and store.get_meeting(APRIL).body == SHORT
    assert {row.name: row.meetings for row in store.body_rows()} == {SHORT: 3, OTHER: 1}
    assert _bodies_in_index(engine) == {SHORT: 9, OTHER: 3}
    assert [a.alias for a in store.body_aliases(SHORT)] == [LONG]


def test_an_editors_body_correction_to_the_merged_name_follows_the_merge(archive):
    _, store, engine, _ = archive
    meeting = store.get_meeting(MARCH)
    with store.write_lock():
        corrections.save(store, meeting, MARCH, {"body": OTHER}, EDITOR)
    _merge(store, engine, OTHER, LONG)
    assert {m.body for m in store.iter_meetings()} == {LONG}
    assert not reindex(store, engine).failed
    assert {m.body for m in store.iter_meetings()} == {LONG} and _bodies_in_index(engine) == {LONG: 9}


def test_merging_into_a_merged_body_goes_where_it_went_and_undo_restores_both(archive):
    _, store, engine, _ = archive
    _merge(store, engine, LONG, SHORT)
    _merge(store, engine, OTHER, LONG)               # LONG is an alias now: OTHER goes to SHORT
    assert {row.name for row in store.body_rows()} == {SHORT}
    assert sorted(a.alias for a in store.body_aliases(SHORT)) == sorted([LONG, OTHER])

    with store.write_lock():
        remade = store.unmerge_body(OTHER, "en-anden")
        engine.update(remade)
    assert {row.name: row.meetings for row in store.body_rows()} == {SHORT: 2, OTHER: 1}
    assert _bodies_in_index(engine) == {SHORT: 6, OTHER: 3}
    assert store.merged_into(OTHER) is None and store.merged_into(LONG) == SHORT
    latest = corrections.audit(store.db)[0]
    assert (latest.author, latest.field, latest.before, latest.after) == ("en-anden", "unmerge", SHORT, OTHER)
    assert not reindex(store, engine).failed
    assert {row.name: row.meetings for row in store.body_rows()} == {SHORT: 2, OTHER: 1}


@pytest.mark.parametrize("old, into, field, message", [
    ("  ", SHORT, "body", "Organet må ikke være tomt."),
    (LONG, "", "into", "Organet, der slås sammen med, må ikke være tomt."),
    (LONG, "Ukendt Vandlaug", "into", "arkivet har intet organ ved navn «Ukendt Vandlaug»"),
    ("Ukendt Vandlaug", SHORT, "body", "Organet: arkivet har intet organ ved navn «Ukendt Vandlaug»"),
    (LONG, LONG.lower(), "into", "Et organ kan ikke slås sammen med sig selv"),
])
def test_a_bad_merge_is_refused_naming_the_field_and_changes_nothing(archive, old, into, field, message):
    _, store, engine, _ = archive
    with pytest.raises(corrections.CorrectionError, match=message) as refused:
        _merge(store, engine, old, into)
    assert refused.value.field == field
    assert {row.name for row in store.body_rows()} == {SHORT, LONG, OTHER}
    assert store.body_aliases() == [] and corrections.audit(store.db) == []


def test_a_merged_name_cannot_be_merged_again(archive):
    _, store, engine, _ = archive
    _merge(store, engine, LONG, SHORT)
    with pytest.raises(corrections.CorrectionError, match=f"allerede slået sammen med «{SHORT}»"):
        _merge(store, engine, LONG, OTHER)
    with pytest.raises(corrections.CorrectionError, match="er ikke slået sammen"):
        store.unmerge_body(OTHER, EDITOR)


# -- on the web ---------------------------------------------------------------------------------

@pytest.fixture()
def site(archive):
    from archive.accounts import Accounts

    made, store, engine, _ = archive
    accounts = Accounts(store.db)
    accounts.add(EDITOR, "editor", PASSWORD)
    accounts.add(READER, "reader", PASSWORD)
    app = create_app(made.config(PUBLIC=True))
    editor = app.test_client()
    sign_in(editor)
    return app, editor


def _merge_url(body: str) -> str:
    return f"/organer/{body}/slaa-sammen"


def test_an_editor_merges_two_bodies_on_the_body_page_and_the_old_name_redirects(site):
    app, editor = site
    page = editor.get(f"/organer/{LONG}").get_data(as_text=True)
    assert "Slå sammen med …" in page
    form = editor.get(_merge_url(LONG)).get_data(as_text=True)
    assert f'<option value="{SHORT}">' in form and f'<option value="{LONG}">' not in form
    response = editor.post(_merge_url(LONG), data={"csrf_token": form_token(editor, _merge_url(LONG)), "into": SHORT})
    assert response.status_code == 302 and response.headers["Location"] == f"/organer/{quote(SHORT)}"

    assert f"også skrevet: {LONG}" in app.test_client().get("/organer").get_data(as_text=True)
    page = editor.get(f"/organer/{SHORT}").get_data(as_text=True)
    assert "2 møder" in page and "Andre stavemåder" in page and LONG in page and "Fortryd sammenlægningen" in page
    anon = app.test_client()
    old = anon.get(f"/organer/{LONG}")
    assert old.status_code == 302 and old.headers["Location"].endswith(f"/organer/{quote(SHORT)}")
    assert anon.get(f"/api/organer/{LONG}").status_code == 302
    assert "Fortryd sammenlægningen" not in anon.get(f"/organer/{SHORT}").get_data(as_text=True)
    facets = {f["value"]: f["count"] for f in anon.get("/api/search").get_json()["facets"]["body"]}
    assert facets == {SHORT: 6, OTHER: 3}
    assert anon.get(f"/api/meetings/{APRIL}").get_json()["body"] == SHORT
    assert anon.get(f"/moeder?body={LONG}").headers["Location"] == f"/moeder?body={quote_plus(SHORT)}"
    # A link (or a follow) filtering on the old name finds the meetings where they are now.
    assert anon.get(f"/api/search?body={LONG}").get_json()["total"] == 6
    assert "Tilbud på ledningsarbejdet" in anon.get(f"/feed.atom?body={LONG}&order=added").get_data(as_text=True)
    log = editor.get("/rettelser").get_data(as_text=True)
    assert "Organer slået sammen" in log and LONG in log and SHORT in log and EDITOR in log

    # An uploaded file that spells the body the old way lands in the body it went into; a meeting
    # whose body an editor corrects to the old name too.
    upload = editor.post("/indlaes", data={"csrf_token": form_token(editor, "/indlaes"), "files": [(io.BytesIO(
        _MINUTES.format(body=LONG, date="14. maj 2024", topic="Vandprøver", topic_lower="vandprøver").encode()),
        "maj.txt")]}, content_type="multipart/form-data")
    assert upload.status_code == 200
    assert anon.get(f"/api/meetings/{MAY}").get_json()["body"] == SHORT
    url = f"/moede/{MARCH}/ret"
    assert editor.post(url, data={"csrf_token": form_token(editor, url), "body": LONG, "date": "2024-03-12",
                                  "number": ""}).status_code == 302
    assert anon.get(f"/api/meetings/{MARCH}").get_json()["body"] == SHORT
    facets = {f["value"]: f["count"] for f in anon.get("/api/search").get_json()["facets"]["body"]}
    assert facets == {SHORT: 9, OTHER: 3}

    # … and undone from the body page.
    token = form_token(editor, f"/organer/{SHORT}")
    response = editor.post(f"/organer/{SHORT}/adskil", data={"csrf_token": token, "alias": LONG})
    assert response.status_code == 302 and response.headers["Location"] == f"/organer/{quote(LONG)}"
    assert anon.get(f"/organer/{LONG}").status_code == 200
    facets = {f["value"]: f["count"] for f in anon.get("/api/search").get_json()["facets"]["body"]}
    assert facets == {LONG: 9, OTHER: 3}          # April's and May's files spell it so, March's correction too
    assert "Sammenlægning fortrudt" in editor.get("/rettelser").get_data(as_text=True)


@pytest.mark.parametrize("into, message", [
    ("", "Organet, der slås sammen med, må ikke være tomt."),
    ("Ukendt Vandlaug", "arkivet har intet organ ved navn «Ukendt Vandlaug»"),
    (LONG, "Et organ kan ikke slås sammen med sig selv"),
])
def test_a_bad_merge_on_the_web_is_a_danish_message_not_a_500(site, into, message):
    app, editor = site
    response = editor.post(_merge_url(LONG), data={"csrf_token": form_token(editor, _merge_url(LONG)), "into": into})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert {f["value"] for f in editor.get("/api/search").get_json()["facets"]["body"]} == {SHORT, LONG, OTHER}
    response = editor.post(f"/organer/{SHORT}/adskil", data={"csrf_token": form_token(editor, _merge_url(SHORT)),
                                                              "alias": OTHER})
    assert response.status_code == 400 and f"«{OTHER}» er ikke slået sammen" in response.get_data(as_text=True)


def test_only_editors_merge_bodies(site):
    app, editor = site
    anon = app.test_client()
    assert anon.get(_merge_url(LONG)).status_code == 302                      # to the sign-in page
    assert anon.post(_merge_url(LONG), data={"into": SHORT}).status_code in (302, 400)
    reader = app.test_client()
    sign_in(reader, READER)
    assert reader.get(_merge_url(LONG)).status_code == 403
    token = form_token(reader, f"/organer/{LONG}")
    assert reader.post(_merge_url(LONG), data={"csrf_token": token, "into": SHORT}).status_code == 403
    assert reader.post(f"/organer/{LONG}/adskil", data={"csrf_token": token, "alias": LONG}).status_code == 403
    assert "Slå sammen med" not in reader.get(f"/organer/{LONG}").get_data(as_text=True)
    # Without the form's CSRF token, not even an editor merges.
    assert editor.post(_merge_url(LONG), data={"into": SHORT}).status_code == 400
    assert {f["value"] for f in editor.get("/api/search").get_json()["facets"]["body"]} == {SHORT, LONG, OTHER}
    assert editor.get(_merge_url("Ukendt Vandlaug")).status_code == 404


# -- on the command line ------------------------------------------------------------------------

def test_arkiv_bodies_merge_list_and_unmerge(archive):
    made, store, engine, _ = archive
    db = ["--database", made.database] if made.database else []

    def arkiv(*args):
        return CliRunner().invoke(main, ["--home", str(made.home), *db, *args], catch_exceptions=False)

    result = arkiv("bodies", "merge", LONG, SHORT, "--author", "cli-redaktør", "--json")
    assert result.exit_code == 0, result.output
    assert '"into": "Grønnedal Vandværk"' in result.output and APRIL in result.output
    assert arkiv("reindex").exit_code == 0
    listed = arkiv("bodies", "list", "--json").output
    assert '"aliases": [\n      "Vandværket Grønnedal"\n    ]' in listed
    assert corrections.audit(store.db)[0].author == "cli-redaktør"
    assert _search(engine, body=[SHORT]).total == 6
    assert '"total": 6' in arkiv("search", "--body", LONG, "--json").output
    refused = arkiv("bodies", "merge", "Ukendt Vandlaug", SHORT)
    assert refused.exit_code == 1 and "Organet: arkivet har intet organ ved navn «Ukendt Vandlaug»" in refused.output
    result = arkiv("bodies", "unmerge", LONG)
    assert result.exit_code == 0 and "1 møde hører til Vandværket Grønnedal igen" in result.output
    refused = arkiv("bodies", "unmerge", LONG, "--json")
    assert refused.exit_code == 1 and f"«{LONG}» er ikke slået sammen med et andet organ" in refused.output
    assert store.get_meeting(APRIL).body == LONG


def test_a_follow_of_the_merged_name_gets_what_comes_to_the_body_it_went_into(tmp_path):
    """E-mail alerts: the follow keeps its old name; the search it runs finds the merged body."""
    import email
    import time
    from email.policy import default as default_policy

    from helpers_serve import free_port

    from archive.accounts import Accounts

    controller_module = pytest.importorskip("aiosmtpd.controller")
    folder = tmp_path / "in"
    folder.mkdir()
    made = Archive(tmp_path / "home")
    store, engine = made.store(), made.engine()
    try:
        assert not ingest([write_minutes(folder, "marts.txt", SHORT, "12. marts 2024", "Ledningsnettet"),
                           write_minutes(folder, "april.txt", LONG, "9. april 2024", "Tilbud")], store, engine).failed
        Accounts(store.db).add(READER, "reader", PASSWORD)
        app = create_app(made.config(PUBLIC=True))
        reader = app.test_client()
        sign_in(reader, READER)
        token = form_token(reader, f"/organer/{LONG}")
        followed = reader.post("/foelg", data={"kind": "body", "target": LONG, "label": LONG, "csrf_token": token,
                                               "email": "laeser@fiktivby.example", "next": f"/organer/{LONG}"})
        assert followed.status_code == 303, followed.get_data(as_text=True)
        _merge(store, engine, LONG, SHORT)
        time.sleep(1.1)                                   # the store's clock counts seconds
        new = write_minutes(folder, "maj.txt", LONG, "14. maj 2024", "Vandprøver fra boringen")
        assert not ingest([new], store, engine).failed
    finally:
        store.close()

    class Inbox:
        messages: list = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
            return "250 OK"

    inbox, port = Inbox(), free_port()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        result = CliRunner().invoke(main, ["--home", str(made.home), "alerts", "send", "--smtp-url",
                                           f"smtp://127.0.0.1:{port}", "--mail-from", "arkiv@fiktivby.example",
                                           "--public-url", "https://arkiv.fiktivby.example"], catch_exceptions=False)
    finally:
        controller.stop()
    assert result.exit_code == 0 and "Sendt: 1 e-mail" in result.output, result.output
    (message,) = inbox.messages
    assert "Vandprøver fra boringen" in message.get_content()
