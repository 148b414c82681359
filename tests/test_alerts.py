"""E-mail alerts end to end (issue 22): signed-in users follow a search, a body and a case through
the web's form; new minutes are ingested; `arkiv alerts send` delivers one digest per follow to a
real SMTP server (aiosmtpd, started here) with the new items only; the unsubscribe link works
without login; a closed item's case text and an internal meeting never reach a reader who may not
see them (an account removed since its follow gets nothing)."""
from __future__ import annotations

import re
import time

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, Archive, ingest_into
from helpers_auth import PASSWORD, form_token, sign_in

from arkiv.cli import main
from web import create_app

FOLLOW = FIXTURES / "follow"
PRIVATE = FIXTURES / "private"
CLUB = "Bestyrelsen for Fjordby Sejlklub"
CASE = "SK-2023-017"


def _ingest(home, files):
    report = ingest_into(Archive(home), files)
    assert not report.failed, report.summary()


def _send(home, smtp_url: str):
    result = CliRunner().invoke(main, ["--home", str(home), "alerts", "send", "--smtp-url", smtp_url,
                                       "--mail-from", "arkiv@fjordby.example", "--public-url",
                                       "https://arkiv.fjordby.example"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _body(message) -> str:
    return message.get_content()


@pytest.fixture()
def home(tmp_path):
    from archive.accounts import Accounts
    from archive.store.sqlite import Store

    home = tmp_path / "home"
    files = sorted(FOLLOW.glob("*.txt"))
    _ingest(home, [f for f in files if "2024" not in f.name and "fritidsudvalg" not in f.name])
    store = Store(home)
    try:
        Accounts(store.db).add("laeser", "reader", PASSWORD)
        Accounts(store.db).add("gaest", "reader", PASSWORD)
    finally:
        store.close()
    return home


def _follow(client, url: str, email_: str) -> None:
    token = form_token(client, url)
    page = client.get(url).get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="(kind|target|label|next)" value="([^"]*)"', page))
    import html

    fields = {k: html.unescape(v) for k, v in fields.items()}
    r = client.post("/foelg", data={**fields, "email": email_, "csrf_token": token})
    assert r.status_code == 303 and "fulgt=1" in r.headers["Location"], r.get_data(as_text=True)


def test_follow_ingest_send_unsubscribe(home, smtp):
    inbox, smtp_url = smtp
    app = create_app({"TESTING": True, "ARKIV_HOME": str(home), "PUBLIC": True})
    reader = app.test_client()
    assert sign_in(reader, "laeser").status_code == 302
    _follow(reader, "/?q=slæbested", "laeser@fjordby.example")
    _follow(reader, f"/organer/{CLUB}", "laeser@fjordby.example")
    _follow(reader, f"/sager/{CASE}", "laeser@fjordby.example")
    guest = app.test_client()
    sign_in(guest, "gaest")
    _follow(guest, f"/organer/{CLUB}", "gaest@fjordby.example")
    # Anonymous visitors see no form and cannot follow.
    assert 'action="/foelg"' not in app.test_client().get(f"/organer/{CLUB}").get_data(as_text=True)
    assert app.test_client().post("/foelg", data={"kind": "body"}).status_code in (302, 400)

    # Nothing new since the follows: no mail.
    assert "Sendt: 0 e-mails" in _send(home, smtp_url) and inbox.messages == []

    time.sleep(1.1)                                   # the store's clock counts seconds
    files = sorted(FOLLOW.glob("*.txt"))
    _ingest(home, [f for f in files if "2024" in f.name or "fritidsudvalg" in f.name])
    from archive.accounts import Accounts
    from archive.store.sqlite import Store

    store = Store(home)
    try:
        Accounts(store.db).remove("gaest")            # access is re-checked at the send
    finally:
        store.close()
    out = _send(home, smtp_url)
    assert "Sendt: 3 e-mails" in out and "1 følger uden bruger sprunget over" in out
    by_subject = {m["Subject"]: m for m in inbox.messages}
    assert all(m["To"] == "laeser@fjordby.example" for m in inbox.messages)
    search = by_subject["arkiv: 1 nyt punkt – søgningen «slæbested»"]
    assert ("Fjordby Fritidsudvalg, 8. møde, 30. oktober 2023, pkt. 1: Tilskud til nyt slæbested i Fjordby Sejlklub"
            in _body(search))
    assert "https://arkiv.fjordby.example/punkt/2023-10-30-fjordby-fritidsudvalg-8--1" in _body(search)
    body = by_subject[f"arkiv: 2 nye punkter – {CLUB}"]
    assert "3. møde, 20. februar 2024, pkt. 1: Salg af klubbens gamle motorbåd" in _body(body)
    assert "pkt. 2: Standerhejsning" in _body(body) and "1. møde" not in _body(body)   # new items only
    case = by_subject[f"arkiv: 1 nyt punkt – sag {CASE}"]
    assert "Fjordby Fritidsudvalg" in _body(case) and "Nyt slæbested ved klubhuset" not in _body(case)

    # Sent once: a second send has nothing new.
    assert "Sendt: 0 e-mails" in _send(home, smtp_url) and len(inbox.messages) == 3

    # One click unsubscribes, without signing in.
    link = re.search(r"Afmeld med ét klik: https://arkiv\.fjordby\.example(/afmeld/\S+)", _body(body)).group(1)
    assert body["List-Unsubscribe"].strip() == f"<https://arkiv.fjordby.example{link}>"
    private_app = create_app({"TESTING": True, "ARKIV_HOME": str(home)})       # a site that needs a login
    page = private_app.test_client().get(link)
    assert page.status_code == 200 and "Du er afmeldt" in page.get_data(as_text=True)
    assert private_app.test_client().get(link).status_code == 404


def test_a_digest_holds_no_closed_text_or_internal_meeting_for_who_may_not_see_it(tmp_path, smtp):
    """The private archive's body, followed by a reader and by an account since removed: the reader's
    digest has the internal meeting (signed-in users see it; archive.visibility), the removed
    account's follow gets nothing."""
    from helpers_auth import BODY, INTERNAL_ITEM, make_private_archive

    from archive.follows import Follows
    from archive.store.sqlite import Store

    inbox, smtp_url = smtp
    archive = Archive(tmp_path / "private")
    store = Store(archive.home)
    try:
        Follows(store.db).add("tidligere", "x@fjordby.example", "body", BODY, BODY)   # no such account
        follow = Follows(store.db).add("laeser", "laeser@fjordby.example", "body", BODY, BODY)
    finally:
        store.close()
    time.sleep(1.1)
    make_private_archive(archive)                   # the minutes come after the follows
    out = _send(archive.home, smtp_url)
    assert "Sendt: 1 e-mail " in out and "1 følger uden bruger sprunget over" in out
    [message] = inbox.messages
    assert message["To"] == follow.email
    assert f"/punkt/{INTERNAL_ITEM}" in _body(message)          # a reader may see the internal meeting


def test_alerts_send_needs_its_settings(home):
    result = CliRunner().invoke(main, ["--home", str(home), "alerts", "send"])
    assert result.exit_code == 1 and "--smtp-url" in result.output
    result = CliRunner().invoke(main, ["--home", str(home), "alerts", "send", "--smtp-url", "http://x"])
    assert result.exit_code != 0 and "SMTP-adresse" in result.output
