"""E-mail alerts end to end (issue 22): signed-in users follow a search, a body, a case and a person
through the web's form; new minutes are ingested; `arkiv alerts send` delivers one digest per
follower, with a section per follow (an item two follows share listed under the first), to a real
SMTP server (aiosmtpd, started here) with the new items only; each follow's unsubscribe link works
without login and leaves the others, the header's ends them all; a closed item's case text and an
internal meeting never reach a reader who may not see them (an account removed since its follow
gets nothing)."""
from __future__ import annotations

import re
import time

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, Archive, ingest_into
from helpers_auth import PASSWORD, form_token, sign_in

from archive.accounts import Accounts
from archive.follows import Follows
from archive.store.sqlite import Store
from arkiv.cli import main
from web import create_app

FOLLOW = FIXTURES / "follow"
PRIVATE = FIXTURES / "private"
CLUB = "Bestyrelsen for Fjordby Sejlklub"
CASE = "SK-2023-017"
PERSON = "Henrik Havmåge"


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
    return message.get_content().replace("\r\n", "\n")


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


def test_follow_ingest_send_unsubscribe(home, smtp, tmp_path):
    inbox, smtp_url = smtp
    app = create_app({"TESTING": True, "ARKIV_HOME": str(home), "PUBLIC": True})
    reader = app.test_client()
    assert sign_in(reader, "laeser").status_code == 302
    _follow(reader, "/?q=slæbested", "laeser@fjordby.example")
    _follow(reader, f"/organer/{CLUB}", "laeser@fjordby.example")
    _follow(reader, f"/sager/{CASE}", "laeser@fjordby.example")
    _follow(reader, f"/personer/{PERSON}", "laeser@fjordby.example")
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
    store = Store(home)
    try:
        Accounts(store.db).remove("gaest")            # access is re-checked at the send
    finally:
        store.close()
    out = _send(home, smtp_url)
    assert "Sendt: 1 e-mail med 3 punkter" in out and "1 følger uden bruger sprunget over" in out
    # One digest for the follower, with a section for each follow that has something new.
    [digest] = inbox.messages
    assert digest["To"] == "laeser@fjordby.example"
    assert digest["Subject"] == "arkiv: 3 nye punkter – søgningen «slæbested» og 3 andre"
    text = _body(digest)
    sections = {part.split(":\n", 1)[0]: part for part in text.split("Nyt i arkivet for ")[1:]}
    assert list(sections) == ["søgningen «slæbested»", CLUB, f"sag {CASE}", PERSON]   # search, body, case, person
    search, body, case, person = sections.values()
    slaebested = "Fjordby Fritidsudvalg, 8. møde, 30. oktober 2023, pkt. 1: Tilskud til nyt slæbested i Fjordby Sejlklub"
    assert slaebested in search
    assert "https://arkiv.fjordby.example/punkt/2023-10-30-fjordby-fritidsudvalg-8--1" in search
    assert "3. møde, 20. februar 2024, pkt. 1: Salg af klubbens gamle motorbåd" in body
    assert "pkt. 2: Standerhejsning" in body and "1. møde" not in text                  # new items only
    assert "Nyt slæbested ved klubhuset" not in text
    # The case's new item is the search's: listed once, under the search; the case's section points there.
    assert text.count("/punkt/2023-10-30-fjordby-fritidsudvalg-8--1") == 1
    assert f"Også nyt her, se ovenfor under søgningen «slæbested»:\n{slaebested}\n" in case
    assert f"Også nyt her, se ovenfor under {CLUB}:\n{CLUB}, 3. møde, 20. februar 2024, pkt. 2: Standerhejsning\n" in person
    assert "/punkt/" not in case and "/punkt/" not in person

    # Sent once: a second send has nothing new.
    assert "Sendt: 0 e-mails" in _send(home, smtp_url) and len(inbox.messages) == 1

    # Each follow has its own one-click link, without signing in; stopping one leaves the others.
    links = dict(re.findall(r"Afmeld (.+) med ét klik: https://arkiv\.fjordby\.example(/afmeld/\S+)", text))
    everything = links.pop("alt ovenfor")
    assert set(links) == {"søgningen «slæbested»", CLUB, f"sag {CASE}", PERSON} and len(set(links.values())) == 4
    private_app = create_app({"TESTING": True, "ARKIV_HOME": str(home)})       # a site that needs a login
    page = private_app.test_client().get(links[CLUB])
    assert page.status_code == 200 and "Du er afmeldt" in page.get_data(as_text=True)
    assert CLUB in page.get_data(as_text=True)
    assert private_app.test_client().get(links[CLUB]).status_code == 404
    store = Store(home)
    try:
        assert {f.label for f in Follows(store.db).of_user("laeser")} == {"søgningen «slæbested»", f"sag {CASE}", PERSON}
    finally:
        store.close()
    # The next minutes reach the follows left, not the one stopped.
    time.sleep(1.1)
    later = tmp_path / "2023-11-27_fjordby-fritidsudvalg_9-moede.txt"
    later.write_text((FOLLOW / "2023-10-30_fjordby-fritidsudvalg_8-moede.txt").read_text(encoding="utf-8")
                     .replace("8. møde", "9. møde").replace("Mandag 30. oktober 2023", "Mandag 27. november 2023")
                     .replace("Tilskud til nyt slæbested", "Indvielse af nyt slæbested"), encoding="utf-8")
    _ingest(home, [later])
    assert "Sendt: 1 e-mail med 1 punkt" in _send(home, smtp_url)
    second = inbox.messages[1]
    assert second["Subject"] == "arkiv: 1 nyt punkt – søgningen «slæbested» og 1 anden"
    assert "9. møde, 27. november 2023, pkt. 1: Indvielse af nyt slæbested" in _body(second)
    assert f"Nyt i arkivet for {CLUB}" not in _body(second) and f"Nyt i arkivet for sag {CASE}" in _body(second)
    # The header's one-click link (RFC 8058, a mail client's POST) ends every follow in the digest.
    assert digest["List-Unsubscribe"].strip() == f"<https://arkiv.fjordby.example{everything}>"
    assert private_app.test_client().post(everything).status_code == 200      # the three left; the club's already gone
    store = Store(home)
    try:
        assert Follows(store.db).of_user("laeser") == []
    finally:
        store.close()


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
