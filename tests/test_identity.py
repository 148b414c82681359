"""The body as the document names itself, and what the document is (archive.parse.identity, .kind):
fictional minutes, one principle each."""
from __future__ import annotations

import pytest

from archive.parse.document import parse_text
from archive.parse.identity import Candidate, body_key, choose


def _minutes(header: str, items: str = "") -> str:
    items = items or ("1. Valg af dirigent\n\nKarin Holm blev valgt.\n\n"
                      "2. Regnskab\n\nRegnskabet blev godkendt.\n")
    return f"{header}\n\n{items}"


@pytest.mark.parametrize("header, body", [
    # the owner of the meeting ("X's generalforsamling"), not the place after "i"
    ("Referat fra FSO's generalforsamling i Odense den 3. maj 2021", "FSO"),
    # the name in front of the kind, the kind not part of it
    ("Referat af Fjordby Bylaug generalforsamling 3. maj 2021", "Fjordby Bylaug"),
    # a compound with a hyphen
    ("FBK-generalforsamlingen 2021\n\nOnsdag den 3. marts 2021", "FBK"),
    # a piece of a dashed heading that is a name
    ("Referat - stiftende generalforsamling - Egeskov Vinlaug\n\nDato: 03/05/2021", "Egeskov Vinlaug"),
    # "generalforsamling i X" where X is an association
    ("Indkaldelse til generalforsamling i Grundejerforeningen Kløvermarken og dagsorden.",
     "Grundejerforeningen Kløvermarken"),
])
def test_the_body_named_in_the_meetings_heading(header, body):
    assert parse_text(_minutes(header), "Referater/dokument.txt").body == body


def test_an_acronym_takes_the_name_it_stands_for():
    text = _minutes("Fynsk Sommerfugle Organisation\n\nReferat af FSO's ordinære generalforsamling d. 3. maj 2021")
    assert parse_text(text, "Referater/dokument.txt").body == "Fynsk Sommerfugle Organisation"


def test_a_letters_sender_is_not_the_body():
    """A municipality's letterhead over an invitation to found an association: the association."""
    header = ("Fjordby Kommune\nPlan og Byg\nHavnegade 7\n9999 Fjordby\nTelefon 11 22 33 44\n\n"
              "Indkaldelse til stiftende generalforsamling\n\n"
              "Du indbydes til stiftende generalforsamling i jeres\ngrundejerforening for Kløvermarken etape 2.\n\n"
              "Dagsorden:")
    items = "1. Valg af dirigent\n\n2. Vedtægter\n\n3. Valg af bestyrelse\n"
    meeting = parse_text(_minutes(header, items), "Referater/dokument.txt")
    assert body_key("Kløvermarken") in body_key(meeting.body)
    assert meeting.document_kind == "agenda"


def test_a_line_that_merely_looks_like_a_name_is_no_body():
    """A short front matter: the first item's words ("Godkendt") never name the body."""
    text = "Referat 6-3-2024\n\n1. Godkendelse af dagsorden\n\nGodkendt.\n\n2. Vejene\n\nVi talte om vejene.\n"
    assert parse_text(text, "Referater/dokument.txt").body == "Ukendt mødeorgan"


def test_readings_of_one_body_add_up_and_the_document_spells_it():
    found = [Candidate("Fjordby Sejlklub", 3.0, "navn i dokumentets hoved"),
             Candidate("fjordby sejlklub referater", 3.5, "mappens navn"),
             Candidate("Fjordby Kommune", 3.2, "navngivet i teksten (Fjordby Kommune)")]
    name, score, _ = choose(found)
    assert name == "Fjordby Sejlklub" and score > 3.5


@pytest.mark.parametrize("text, kind", [
    (_minutes("Referat af bestyrelsesmøde i Fjordby Sejlklub 3. maj 2021"), "minutes"),
    # headed "Dagsorden", but the items record decisions: minutes
    (_minutes("Dagsorden\n\nFjordby Sejlklub, 3. maj 2021"), "minutes"),
    ("Indkaldelse til generalforsamling i Fjordby Sejlklub\n\nGeneralforsamlingen afholdes den 3. maj 2021.\n\n"
     "Dagsorden:\n\n1. Valg af dirigent\n\n2. Regnskab\n\n3. Eventuelt\n", "agenda"),
])
def test_minutes_or_agenda_from_what_the_document_records(text, kind):
    assert parse_text(text, "Referater/dokument.txt").document_kind == kind


def test_the_meetings_kind():
    meeting = parse_text(_minutes("Referat af Fjordby Sejlklubs ekstraordinære generalforsamling 3. maj 2021"),
                         "Referater/dokument.txt")
    assert meeting.meeting_kind == "ekstraordinær generalforsamling"
