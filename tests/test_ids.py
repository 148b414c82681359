import datetime as dt

from archive.ids import assign_ids, meeting_id, slugify
from archive.model import AgendaItem, Meeting


def make_meeting(**kw):
    base = dict(body="Fjordby Kommune, Teknik- og Miljøudvalget", date=dt.date(2024, 3, 5), number="3",
                items=[AgendaItem(number="12/24", title="Cykelstier"), AgendaItem(number="13/24", title="Eventuelt")])
    base.update(kw)
    return Meeting(**base)


def test_slugify_folds_danish_letters():
    assert slugify("Ærø Søbad på Ålandsvej") == "aeroe-soebad-paa-aalandsvej"


def test_slugify_cuts_long_text_at_a_word_boundary():
    slug = slugify("Bestyrelsen for den nationale strategi for Personlig Medicin 2017-2020", 48)
    assert len(slug) <= 48 and not slug.endswith("-")
    assert slug == "bestyrelsen-for-den-nationale-strategi-for"


def test_meeting_id_is_readable_and_built_from_identity():
    assert meeting_id(make_meeting()) == "2024-03-05-fjordby-kommune-teknik-og-miljoeudvalget-3"


def test_item_ids_are_stable_across_reparse_and_independent_of_file_bytes():
    first = assign_ids(make_meeting(source_sha256="a" * 64))
    second = assign_ids(make_meeting(source_sha256="b" * 64, source_file="other-name.pdf"))
    assert [i.id for i in first.items] == [i.id for i in second.items]
    assert first.items[0].id == "2024-03-05-fjordby-kommune-teknik-og-miljoeudvalget-3--12-24"
    assert [i.position for i in first.items] == [1, 2]


def test_duplicate_item_numbers_get_distinct_ids():
    meeting = assign_ids(make_meeting(items=[AgendaItem(number="1", title="A"), AgendaItem(number="1", title="B")]))
    assert len({i.id for i in meeting.items}) == 2


def test_meeting_without_date_falls_back_on_file_name():
    meeting = make_meeting(date=None, source_file="referat-uden-dato.txt")
    assert meeting_id(meeting).endswith("referat-uden-dato")
