"""A private archive for the tests of accounts, corrections, upload and who sees what.

``make_private_archive(archive)`` ingests the seed and the fictional minutes of
tests/fixtures/private, creates an editor and a reader, and marks the 4th meeting
of Fjordby Havneråd internal the way an editor does (archive.store.corrections, then
the index).  The marker words of tests/fixtures/private/README.md then tell
whether anything private reached a response.
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRIVATE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "private"
SEED_DIR = ROOT / "data" / "minutes"

EDITOR, READER, PASSWORD = "redaktoer", "laeser", "en-lang-adgangskode"
CLOSED_WORD = "kvistgårdshandlen"          # only in the closed item's case text
INTERNAL_WORD = "tårnfalkeprojektet"       # only in the internal meeting
INTERNAL_PERSON = "Ingrid Internsen"       # presents only in the internal meeting
CLOSED_MEETING = "2019-03-05-bestyrelsen-for-fjordby-havneraad-3"
CLOSED_ITEM = f"{CLOSED_MEETING}--12-19"
INTERNAL_MEETING = "2019-04-09-bestyrelsen-for-fjordby-havneraad-4"
INTERNAL_ITEM = f"{INTERNAL_MEETING}--14-19"
BODY = "Bestyrelsen for Fjordby Havneråd"
# Closed items marked "Lukket: …", "… (Lukket)" and "Fortroligt", with decisions apart from their minutes.
MARKED_MEETING = "2019-05-14-fjordby-havneudvalg-5"
SALE_ITEM = f"{MARKED_MEETING}--1"          # "Lukket: Salg af bådehal ved nordmolen", Sagsnr. 19/4471
LEASE_ITEM = f"{MARKED_MEETING}--2"         # "Forpagtning af fiskehuset (Lukket)", "Fortroligt"
SALE_DECISION = "Udvalget godkendte indstillingen. Karl Kajgaard stemte imod."
MARKED_WORD = "Ålekvabben"                  # in the sale's case text, minutes and attachments only
# Substrings of the private texts: none may be in any response to a signed-out client.
SECRETS = (CLOSED_WORD, "prisen er endnu fortrolig", "mandat til at afslutte", INTERNAL_WORD, INTERNAL_PERSON,
           "tårnfalk", INTERNAL_MEETING, MARKED_WORD, "bådehallen", "skrogværdien", "Fjordby Økonomiudvalg",
           "Tilstandsrapport", "drøftede buddet", "henstand med lejen", "sygdom i familien",
           "salget til den bydende")


def make_private_archive(archive):
    """``archive``: a conftest.Archive (either backend); returned as it was given."""
    from archive.accounts import Accounts
    from archive.ingest import ingest
    from archive.store import corrections

    store = archive.store()
    try:
        engine = archive.engine()
        files = sorted(SEED_DIR.glob("*.txt")) + sorted(PRIVATE_FIXTURES.glob("*.txt"))
        report = ingest(files, store, engine)
        assert not report.failed, [r.message for r in report.failed]
        accounts = Accounts(store.db)
        accounts.add(EDITOR, "editor", PASSWORD)
        accounts.add(READER, "reader", PASSWORD)
        meeting = store.get_meeting(INTERNAL_MEETING)
        assert meeting is not None
        with store.write_lock():
            corrections.save(store, meeting, meeting.id, {"internal": True}, EDITOR)
            engine.update([meeting])
    finally:
        store.close()
    return archive


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(client, name: str = EDITOR, password: str = PASSWORD, **extra):
    """Sign in through the form, as a browser does; returns the POST's response."""
    token = csrf_token(client.get("/log-ind").get_data(as_text=True))
    return client.post("/log-ind", data={"name": name, "password": password, "csrf_token": token, **extra})


def form_token(client, url: str) -> str:
    """The CSRF token of the form on ``url``."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return csrf_token(response.get_data(as_text=True))


def app_at(home, **config):
    """The real app on the archive at ``home``."""
    from web import create_app

    return create_app({"TESTING": True, "ARKIV_HOME": str(home), **config})


def home_with_accounts(path):
    """A fresh archive at ``path`` with one editor and one reader (fresh: sign-in failures are stored)."""
    from archive.accounts import Accounts
    from archive.store.sqlite import Store

    store = Store(path)
    try:
        accounts = Accounts(store.db)
        accounts.add(EDITOR, "editor", PASSWORD)
        accounts.add(READER, "reader", PASSWORD)
    finally:
        store.close()
    return path
