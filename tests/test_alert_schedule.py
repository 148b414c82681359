"""Alerts on a schedule inside `arkiv serve` (ARKIV_ALERTS_INTERVAL, arkiv.alert_schedule) and the
page where a signed-in user lists and stops what they follow (GET /foelg, POST /foelg/stop).

A real SMTP server (aiosmtpd, the conftest's ``smtp``), a real archive on disk, the Flask test
client, and for the schedule end to end a real `arkiv serve` with two gunicorn workers."""
from __future__ import annotations

import fcntl
import os
import re
import time

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, Archive, ingest_into
from helpers_auth import PASSWORD, form_token, sign_in
from helpers_serve import serve

from archive.accounts import Accounts
from archive.follows import Follows
from archive.settings import Settings
from archive.store.sqlite import Store
from arkiv import alert_schedule
from arkiv.cli import main
from web import create_app

FOLLOW = FIXTURES / "follow"
CLUB = "Bestyrelsen for Fjordby Sejlklub"
PUBLIC_URL = "https://arkiv.fjordby.example"


def _files(new: bool):
    return [f for f in sorted(FOLLOW.glob("*.txt")) if ("2024" in f.name) == new]


@pytest.fixture()
def home(tmp_path):
    """The club's first three meetings, a reader who follows the club, then its 2024 meeting."""
    home = tmp_path / "home"
    ingest_into(Archive(home), _files(new=False))
    store = Store(home)
    try:
        Accounts(store.db).add("laeser", "reader", PASSWORD)
        Follows(store.db).add("laeser", "laeser@fjordby.example", "body", CLUB, CLUB)
    finally:
        store.close()
    time.sleep(1.1)                                   # the store's clock counts seconds
    ingest_into(Archive(home), _files(new=True))
    return home


def _settings(home, smtp_url: str, interval: int = 3600) -> Settings:
    return Settings.load(home, env={"ARKIV_SMTP_URL": smtp_url, "ARKIV_MAIL_FROM": "arkiv@fjordby.example",
                                    "ARKIV_PUBLIC_URL": PUBLIC_URL, "ARKIV_ALERTS_INTERVAL": str(interval)})


def test_a_tick_sends_when_the_interval_has_passed_and_only_then(home, smtp):
    inbox, smtp_url = smtp
    settings = _settings(home, smtp_url, interval=3600)
    start = time.time()
    assert alert_schedule.send_if_due(settings, now=start) is True          # never sent: due
    [digest] = inbox.messages
    assert digest["To"] == "laeser@fjordby.example" and "Salg af klubbens gamle motorbåd" in digest.get_content()
    assert alert_schedule.send_if_due(settings, now=start + 60) is False    # within the hour: not due
    assert alert_schedule.send_if_due(settings, now=start + 3601) is True   # due again, nothing new: no mail
    assert len(inbox.messages) == 1
    # The last send is remembered in the home, so a restarted server does not send at once.
    assert abs((home / alert_schedule.STAMP_FILE).stat().st_mtime - (start + 3601)) < 1


def test_a_tick_leaves_the_work_to_the_worker_that_holds_the_lock(home, smtp):
    inbox, smtp_url = smtp
    fd = os.open(home / alert_schedule.LOCK_FILE, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)                                      # another worker is sending
        assert alert_schedule.send_if_due(_settings(home, smtp_url)) is False
    finally:
        os.close(fd)
    assert inbox.messages == []
    assert alert_schedule.send_if_due(_settings(home, smtp_url)) is True and len(inbox.messages) == 1


def test_the_schedule_is_off_by_default_and_needs_its_mail_settings(tmp_path):
    assert Settings.load(tmp_path, env={}).alerts_interval == 0
    assert alert_schedule.start(Settings.load(tmp_path, env={})) is None
    result = CliRunner().invoke(main, ["--home", str(tmp_path), "serve", "--alerts-interval", "600"])
    assert result.exit_code == 1
    assert "--alerts-interval kræver også ARKIV_SMTP_URL, ARKIV_MAIL_FROM, ARKIV_PUBLIC_URL" in result.output


@pytest.mark.slow
def test_serve_sends_each_digest_once_on_its_schedule(home, smtp, tmp_path):
    """Two gunicorn workers each run the schedule; the lock makes one digest, not two."""
    inbox, smtp_url = smtp
    with serve(home, "--workers", "2", "--alerts-interval", "1", "--smtp-url", smtp_url,
               "--mail-from", "arkiv@fjordby.example", "--public-url", PUBLIC_URL, log_dir=tmp_path):
        deadline = time.monotonic() + 30
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)                               # three more intervals: nothing new, nothing sent
    assert len(inbox.messages) == 1
    assert inbox.messages[0]["Subject"] == f"arkiv: 2 nye punkter – {CLUB}"


# --------------------------------------------------------------------------- the follows page
@pytest.fixture()
def app(home):
    store = Store(home)
    try:
        Accounts(store.db).add("gaest", "reader", PASSWORD)
        Follows(store.db).add("gaest", "gaest@fjordby.example", "case", "SK-2023-017", "sag SK-2023-017")
        Follows(store.db).add("laeser", "laeser@fjordby.example", "search", "q=slæbested", "søgningen «slæbested»")
    finally:
        store.close()
    return create_app({"TESTING": True, "ARKIV_HOME": str(home), "PUBLIC": True})


def _stop_buttons(page: str) -> dict[str, str]:
    """label -> the token of its stop form."""
    return dict(re.findall(r'name="token" value="([^"]+)">\s*<button[^>]*>Stop med at følge'
                           r'<span class="visually-hidden"> «(.+?)»</span>', page))


def test_the_follows_page_lists_only_your_own_and_stops_one(app):
    reader = app.test_client()
    sign_in(reader, "laeser")
    page = reader.get("/foelg").get_data(as_text=True)
    assert "Det, du følger" in page
    assert CLUB in page and "søgningen «slæbested»" in page and "SK-2023-017" not in page   # not the guest's
    assert "Organ · e-mail til laeser@fjordby.example" in page
    assert f'href="/?body={CLUB.replace(" ", "+")}"' in page
    tokens = {label: token for token, label in _stop_buttons(page).items()}
    assert set(tokens) == {CLUB, "søgningen «slæbested»"}
    answer = reader.post("/foelg/stop", data={"token": tokens[CLUB], "csrf_token": form_token(reader, "/foelg")})
    assert answer.status_code == 303
    after = reader.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"Du følger ikke længere «{CLUB}»." in after and "søgningen «slæbested»" in after
    store = Store(app.extensions["arkiv"].home)
    try:
        assert [f.label for f in Follows(store.db).of_user("laeser")] == ["søgningen «slæbested»"]
        assert len(Follows(store.db).of_user("gaest")) == 1
    finally:
        store.close()


def test_stopping_needs_the_form_token_and_your_own_follow(app):
    guest = app.test_client()
    sign_in(guest, "gaest")
    store = Store(app.extensions["arkiv"].home)
    try:
        theirs = Follows(store.db).of_user("laeser")[0].token
        mine = Follows(store.db).of_user("gaest")[0].token
    finally:
        store.close()
    assert guest.post("/foelg/stop", data={"token": mine}).status_code == 400          # no CSRF token
    token = form_token(guest, "/foelg")
    assert guest.post("/foelg/stop", data={"token": theirs, "csrf_token": token}).status_code == 404
    assert guest.post("/foelg/stop", data={"token": "gættet", "csrf_token": token}).status_code == 404
    store = Store(app.extensions["arkiv"].home)
    try:
        assert len(Follows(store.db).all()) == 3                                     # nothing removed
    finally:
        store.close()


def test_the_follows_page_is_for_signed_in_users(app):
    anonymous = app.test_client()
    answer = anonymous.get("/foelg")
    assert answer.status_code == 302 and "/log-ind" in answer.headers["Location"]
    assert anonymous.post("/foelg/stop", data={"token": "x"}).status_code in (302, 400)
    store = Store(app.extensions["arkiv"].home)
    try:
        Accounts(store.db).add("ny", "reader", PASSWORD)
    finally:
        store.close()
    newcomer = app.test_client()
    sign_in(newcomer, "ny")
    page = newcomer.get("/foelg").get_data(as_text=True)
    assert "Du følger ikke noget endnu." in page
    assert 'href="/foelg">Det, du følger</a>' in page                               # the footer's link
