"""Tests for archive/lexicon (the hunspell-derived lexicon and compound splitter) and index/compounds.py."""
from __future__ import annotations

import pytest

from archive import lexicon as L
from index import compounds as C


def parts(word):
    sp = L.best_split(word)
    return [lemma for _, lemma in sp] if sp else None


@pytest.mark.parametrize("word,expected", [
    ("sekventeringsfacilitet", ["sekventering", "facilitet"]),
    ("sundhedspersonale", ["sundhed", "personale"]),
    ("genomdatabasen", ["genom", "database"]),
    ("arbejdsgruppe", ["arbejde", "gruppe"]),
    ("sundhedsministeriet", ["sundhed", "ministerium"]),
    ("bekendtgørelsesudkast", ["bekendtgørelse", "udkast"]),
    ("patientforeninger", ["patient", "forening"]),
    ("forskningsprojekter", ["forskning", "projekt"]),
    ("helgenomfortolkning", ["hel", "genom", "fortolkning"]),
    ("ældreministeriet", ["ældre", "ministerium"]),
])
def test_splits(word, expected):
    assert parts(word) == expected


@pytest.mark.parametrize("word,terms", [
    ("helgenomsekventering", {"hel", "genom", "sekventering", "genomsekventering"}),
    ("genomdatabasen", {"genom", "database", "databasen"}),
    ("sundhedspersonale", {"sundhed", "personale"}),
])
def test_split_terms_every_level(word, terms):
    assert terms <= set(C.split_terms(word))


NEGATIVE = """
orientering orienteringen orienterede efterretning efterretninger forhandling
forhandlingerne samarbejde samarbejdet infrastruktur telefon telefonen bestyrelse
bestyrelsen forskning udvikling udviklingen organisation kommunikation
standardisering behandling behandlingen sundhed danmark ministerium
beslutning indstilling godkendelse medlemmer direktør sekretariat præsentation
finansiering evaluering implementering anbefaling deltagelse opfølgning status
økonomi budgettet redegørelse ansøgning bevilling personlig endelig endeligt
skriftlig skriftligt deltog deltager deltagere formanden formandens mellem proces
processen regnskab regnskabet således yderligere findes starten følger stillede
velkommen begynder genetisk genetiske uddelegering virksomhed myndighed afdeling
sekretariatet projektet
""".split()


@pytest.mark.parametrize("word", NEGATIVE)
def test_ordinary_words_do_not_split(word):
    # The rules keep these whole on their own: none of them (nor its lemma) is in the
    # curated NO_SPLIT list.
    assert word not in L.NO_SPLIT and L.last_lemma(word) not in L.NO_SPLIT
    assert L.best_split(word) is None, L.best_split(word)


@pytest.fixture()
def without_no_split(monkeypatch):
    """The splitter with an empty NO_SPLIT list (its caches cleared before and after)."""
    L.best_split.cache_clear()
    monkeypatch.setattr(L, "NO_SPLIT", frozenset())
    yield
    monkeypatch.undo()
    L.best_split.cache_clear()
    C.split_terms.cache_clear()


NO_SPLIT_WORDS = {"database": ["database", "databasen", "databaser"],
                  "personale": ["personale", "personalet"],
                  "dagsorden": ["dagsorden", "dagsordenen"],
                  "program": ["program", "programmet", "programmer"],
                  "baggrund": ["baggrund", "baggrunden"],
                  "planlægge": ["planlægge"]}


def test_no_split_entries_stay_whole_with_their_forms():
    assert set(NO_SPLIT_WORDS) == L.NO_SPLIT
    for forms in NO_SPLIT_WORDS.values():
        for word in forms:
            assert L.best_split(word) is None, (word, L.best_split(word))


def test_no_split_entries_are_needed(without_no_split):
    # Each entry is a word the rules alone would split: the list holds no dead entries.
    for word in NO_SPLIT_WORDS:
        assert L.best_split(word) is not None, word


def test_efterretning_has_no_retning():
    assert "retning" not in C.split_terms("efterretning")


def test_short_and_non_alpha_words_never_split():
    assert L.best_split("byråd") is None
    assert L.best_split("47/18") is None
    assert L.best_split("covid19") is None


def test_lexicon_lookups():
    assert L.first_lemma("sundheds") == "sundhed"
    assert L.first_lemma("arbejds") == "arbejde"
    assert L.last_lemma("databasen") == "database"
    assert L.last_lemma("budgettet") == "budget"
    assert L.is_word("efterretning")
    assert not L.is_word("helgenomsekventeringsfacilitet")


def test_set_frequencies_hook_is_harmless():
    C.set_frequencies({"genom": 10})
    try:
        assert parts("genomdatabasen") == ["genom", "database"]
    finally:
        C.set_frequencies({})


def test_lexicon_files_small():
    total = sum(p.stat().st_size for p in L.LEXICON_DIR.glob("*.txt.gz"))
    assert total < 3_000_000
    assert (L.LEXICON_DIR / "LICENSE").exists()


@pytest.mark.parametrize("word,expected", [
    ("cykelsti", ["cykel", "sti"]),
    ("cykelstier", ["cykel", "sti"]),
    ("cykelstien", ["cykel", "sti"]),
    ("cykelture", ["cykel", "tur"]),
    ("skoleveje", ["skole", "vej"]),
    ("sundhedshuset", ["sundhed", "hus"]),
    ("politibil", ["politi", "bil"]),
    # a three-letter final part never beats a longer one with as few parts
    ("fodslag", ["fod", "slag"]),
    ("grundvidenskab", ["grund", "videnskab"]),
    ("rigsretssag", ["rige", "retssag"]),
])
def test_short_final_parts(word, expected):
    assert parts(word) == expected


@pytest.mark.parametrize("word", ["hvileløs", "besværlig", "klasseløs", "rådhuset"])
def test_suffix_like_short_final_parts_do_not_split(word):
    assert L.best_split(word) is None, L.best_split(word)


def test_left_sub_compounds_when_words():
    t = C.split_terms("lokalplanforslaget")
    assert {"lokal", "plan", "forslag", "planforslaget", "lokalplan"} <= set(t)
    # "helgenom" is no word: not emitted
    assert "helgenom" not in C.split_terms("helgenomsekventering")


def test_paradigm_lookup():
    lemma, forms = L.paradigm("genbrugspladsen")
    assert lemma == "genbrugsplads" and "genbrugspladser" in forms
    lemma, forms = L.paradigm("kurs")           # lemma itself not flagged as an end
    assert lemma == "kurs" and "kurs" in forms and "kursen" in forms
    assert L.paradigm("xqzzyv") is None
