import datetime as dt
import multiprocessing

import pytest

from archive.errors import ArchiveBusyError
from archive.ids import assign_ids
from archive.model import AgendaItem, Meeting, Person, Presenter
from archive.store.sqlite import Store, body_key, sha256_bytes


def meeting(sha="1" * 64, title="Budgetopfølgning", date=dt.date(2023, 5, 2)):
    m = Meeting(
        body="Nordlys Boligselskab, Bestyrelsen", date=date, number="4", start="17:00", end="19:00",
        participants=[Person("Hanne Østergaard", "formand")], absent=[Person("Jens Fiktiv")],
        items=[AgendaItem(number="1", title=title, presenters=[Presenter("Lars Lind", "direktør")],
                          minutes="Godkendt.", outcomes=["godkendt"])],
        source_file="nordlys.txt", source_sha256=sha,
    )
    return assign_ids(m)


def test_meeting_roundtrips_through_the_store(tmp_path):
    store = Store(tmp_path)
    m = meeting()
    assert store.put_meeting(m, "/src/nordlys.txt", ".txt").removed == []
    back = store.get_meeting(m.id)
    assert back == m
    item, owner = store.get_item(m.items[0].id)
    assert item.presenters[0].name == "Lars Lind" and owner.id == m.id
    assert store.source_sha256("/src/nordlys.txt") == "1" * 64
    assert store.counts() == {"meetings": 1, "items": 1, "sources": 1, "originals": 1}


def test_changed_file_replaces_its_meeting_and_reports_the_old_one(tmp_path):
    store = Store(tmp_path)
    old = meeting()
    store.put_meeting(old, "/src/nordlys.txt", ".txt")
    # The corrected file moves the meeting to another date: a new id, the old one must go.
    new = meeting(sha="2" * 64, date=dt.date(2023, 5, 3))
    removed = store.put_meeting(new, "/src/nordlys.txt", ".txt").removed
    assert removed == [old.id]
    assert store.get_meeting(old.id) is None
    assert store.get_item(old.items[0].id) is None
    assert store.meeting_versions() == {new.id: "2" * 64}


def test_originals_are_content_addressed_and_kept_once(tmp_path):
    store = Store(tmp_path)
    data = "Referat æøå".encode()
    sha = store.save_original(data, ".TXT")
    assert sha == sha256_bytes(data)
    path = store.original_path(sha, ".txt")
    assert path.read_bytes() == data
    assert store.save_original(data, ".txt") == sha
    assert len(list(store.originals.rglob("*"))) == 2  # one folder, one file


def _hold_lock(home, ready, release):
    store = Store(home)
    with store.write_lock():
        ready.set()
        release.wait(10)


def test_second_writer_gets_a_clear_message(tmp_path):
    ready, release = multiprocessing.Event(), multiprocessing.Event()
    proc = multiprocessing.Process(target=_hold_lock, args=(tmp_path, ready, release))
    proc.start()
    try:
        assert ready.wait(10)
        with pytest.raises(ArchiveBusyError, match=rf"pid {proc.pid}.*{tmp_path.name}"):
            with Store(tmp_path).write_lock(wait=0.2):
                pass
    finally:
        release.set()
        proc.join(10)
    with Store(tmp_path).write_lock():  # free again once the holder is gone
        pass


def test_spellings_of_one_body_are_one_body():
    assert len({body_key(b) for b in ("Grundejerforeningen FJORDBY NORD", "Grundejerforening Fjordby Nord",
                                      "GF fjordby nord", "G/F Fjordby Nord")}) == 1
    assert body_key("E/F Ørestrand Etape II") == body_key("Ejerforeningen Oerestrand, etape 2") \
        == body_key("Ef orestrand etape 2")
    assert body_key("Ejerforeningen Ørestrand") != body_key("Grundejerforeningen Ørestrand")


def test_a_name_that_is_one_known_body_written_short_is_that_body(tmp_path):
    store = Store(tmp_path)
    first = meeting(sha="1" * 64)
    first.body = "Ejerforeningen Ørestrand, Etape II"
    store.put_meeting(first, "/src/a.txt", ".txt")
    assert store.canonical_body("Ef orestrand") == "Ejerforeningen Ørestrand, Etape II"     # a folder's name
    assert store.canonical_body("E/F Ørestrand etape 2") == "Ejerforeningen Ørestrand, Etape II"
    assert store.canonical_body("Ejerforeningen, etape-2") == "Ejerforeningen Ørestrand, Etape II"  # words left out
    assert store.canonical_body("Ejerforeningen etape 3") == "Ejerforeningen etape 3"     # a word it does not have
    assert store.canonical_body("Ørestrand Ejerforening") == "Ørestrand Ejerforening"     # another first word
    second = meeting(sha="2" * 64, date=dt.date(2023, 6, 1))
    second.body = "Ejerforeningen Ørestrand, Etape I"
    store.put_meeting(second, "/src/b.txt", ".txt")
    assert store.canonical_body("Ef orestrand") == "Ef orestrand"     # the start of two bodies: neither


def test_stored_warnings_stay_readable_text_and_read_back_with_their_codes():
    # Meetings stored before warnings had codes hold Danish text only; they load as they are.
    from archive.model import Meeting, ParseWarning, Warn

    stored = ["ingen dagsordenspunkter fundet: hele dokumentet er gemt som ét punkt",
              "tekst blev ikke gemt: 2 linjer, fx «Bestyrelsen drøftede sagen»", "en advarsel fra en ældre udgave"]
    meeting = Meeting.from_dict({"body": "Bestyrelsen", "warnings": stored})
    assert [w.code for w in meeting.warnings] == [Warn.NO_ITEMS, Warn.LOST_TEXT, Warn.OTHER]
    assert meeting.to_dict()["warnings"] == stored
    assert ParseWarning.of(Warn.LOST_TEXT, "2 linjer, fx «Bestyrelsen drøftede sagen»").text == stored[1]


def test_twins_that_name_their_body_differently_are_one_meeting_of_the_body_the_archive_knows(tmp_path):
    store = Store(tmp_path)
    earlier = meeting(sha="1" * 64, date=dt.date(2023, 3, 1))
    earlier.body = "Ejerforeningen Solbakken"
    store.put_meeting(earlier, "/src/referat_20230301.txt", ".txt")
    # the same meeting as a web page and as a PDF whose header misnames the association
    page = meeting(sha="2" * 64)
    page.body, page.source_file = "Ejerforeningen Solbakken", "referat_20230502.html"
    pdf = meeting(sha="3" * 64)
    pdf.body, pdf.source_file = "Ejerforeningen Solbakkevej", "referat_20230502.pdf"
    pdf.items.append(AgendaItem(number="2", title="Eventuelt", minutes="Intet."))
    assign_ids(pdf)
    shown = store.put_meeting(page, "/src/referat_20230502.html", ".html").meeting
    joined = store.put_meeting(pdf, "/src/referat_20230502.pdf", ".pdf").meeting
    assert joined.id == shown.id
    assert store.get_meeting(shown.id).body == "Ejerforeningen Solbakken"
    assert [(row.name, row.meetings) for row in store.body_rows()] == [("Ejerforeningen Solbakken", 2)]
