"""The meeting's date among the header's dates (archive.parse.meeting_date); fictional letters and minutes."""
import datetime as dt

from archive.danish_dates import dates_in
from archive.extract.from_text import text_blocks
from archive.parse.document import parse_text
from archive.parse.meeting_date import choose_date


def _choose(text: str, created: dt.date | None = None, filename: str = "dokument.pdf") -> dt.date | None:
    blocks = text_blocks(text)
    return choose_date(blocks, list(range(len(blocks))), [], filename, [], text, created)[0]


def test_the_sentence_that_convenes_the_meeting_beats_the_letters_date():
    letter = ("Fjordby Kommune\n\nDato: 12-10-2023 /Journalnummer: 01.02.05-P24-8-22\n\n"
              "Den stiftende generalforsamling afholdes\nmandag d. 06.11.2023 kl. 18.30\n\n"
              "Tilmeld dig senest den 31.10.2023 på linket.\n")
    assert _choose(letter) == dt.date(2023, 11, 6)


def test_a_deadline_is_never_the_meeting():
    text = ("Bestyrelsen indkalder hermed til ekstraordinær generalforsamling den 19. februar 2024 kl. 19.15.\n\n"
            "Af praktiske hensyn skal tilmelding ske senest den 16. februar 2024.\n")
    assert _choose(text) == dt.date(2024, 2, 19)
    earlier = ("Generalforsamling – tilmelding senest den 16. februar 2024\n\n"
               "Generalforsamlingen den 19. februar 2024 i klubhuset\n")
    assert _choose(earlier) == dt.date(2024, 2, 19)


def test_a_date_without_a_year_takes_the_year_the_header_writes():
    text = ("Indkaldelse til generalforsamling i Sejlklubben Havørnen\n\n9. oktober 2017\n\n"
            "I henhold til vedtægterne indkaldes alle medlemmer hermed til\n"
            "generalforsamling den 9. november kl 14 i klubhuset.\n")
    assert _choose(text) == dt.date(2017, 11, 9)


def test_a_date_without_any_year_is_read_after_the_files_creation():
    text = "Dagsorden\n\nMødested: Kælderen\nDato: Torsdag 7. marts\nTid: 16:30\n\n1. Oprydning\n2. Fællesspisning\n"
    assert _choose(text, created=dt.date(2019, 2, 22)) == dt.date(2019, 3, 7)
    # made in December: the March after
    assert _choose(text, created=dt.date(2023, 12, 1)) == dt.date(2024, 3, 7)


def test_a_comma_between_month_and_year():
    assert [d for _, d in dates_in("# Referat: 8. Oktober, 2022")] == [dt.date(2022, 10, 8)]


def test_the_latest_dated_decision_is_the_meeting_where_earlier_treatments_head_the_case():
    text = ("4. Sundhedspolitik for Fjordby\n\nSagsnr.: 12/345\n\n"
            "Sundhedsudvalget den 30. maj 2012 Punkt 7\n\nUdvalget drøftede sagen.\n\n"
            "Sundhedsudvalgets beslutning den 04.12.2012 Punkt 4\n\nGodkendt.\n")
    meeting = parse_text(text, "dokument.txt")
    assert meeting.date == dt.date(2012, 12, 4)


def test_the_next_meeting_is_not_the_meeting():
    text = ("Referat af bestyrelsesmøde i Grundejerforeningen Solbakken\n\nDato: 3. marts 2021\n\n"
            "Næste møde: 7. april 2021\n")
    assert _choose(text) == dt.date(2021, 3, 3)
