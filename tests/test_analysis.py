"""Tests for index/analysis.py: each filter on its own, then the composition."""
from __future__ import annotations

import pytest
import snowballstemmer

from index import analysis as A
from index.analysis import Token


# --------------------------------------------------------------------- tokenizer
def texts(tokens):
    return [t.text for t in tokens]


def test_tokenize_unicode_words_and_offsets():
    text = "Ældre på Ørestad går"
    toks = A.tokenize(text)
    assert texts(toks) == ["Ældre", "på", "Ørestad", "går"]
    for t in toks:
        assert text[t.start:t.end] == t.text
    assert [t.pos for t in toks] == [0, 1, 2, 3]


@pytest.mark.parametrize("num", ["47/18", "2018-06-20", "1.000", "3,5", "12b", "2"])
def test_tokenize_numbers_whole(num):
    assert texts(A.tokenize(f"punkt {num} her")) == ["punkt", num, "her"]


def test_tokenize_hyphenated_whole_and_parts_same_pos():
    toks = A.tokenize("EU-kommissionen mødes")
    assert [(t.text, t.pos, t.part) for t in toks] == [
        ("EU-kommissionen", 0, False), ("EU", 0, True), ("kommissionen", 0, True), ("EUkommissionen", 0, True),
        ("mødes", 1, False)]
    assert all((t.start, t.end) == (0, 15) for t in toks[:4])


def test_a_hyphenated_word_is_also_its_parts_written_together():
    # Minutes write e-mail and email, el-biler and elbiler: each finds the other.
    assert A.stem_word("email") in A.terms("e-mail")
    assert A.stem_word("elbiler") in A.terms("el-biler")


def test_tokenize_dangling_hyphen():
    text = "Sundheds- og Ældreministeriet"
    toks = A.tokenize(text)
    assert texts(toks) == ["Sundheds", "og", "Ældreministeriet"]
    assert text[toks[0].start:toks[0].end] == "Sundheds"


def test_tokenize_punctuation_dropped():
    assert texts(A.tokenize("Ad 1) Godkendt. (Se bilag)")) == ["Ad", "1", "Godkendt", "Se", "bilag"]


# --------------------------------------------------------------------- normalise
@pytest.mark.parametrize("raw,norm", [
    ("Aarhus", "århus"), ("Aalborg", "ålborg"), ("Århus", "århus"),
    ("Mäng", "mæng"), ("Göteborg", "gøteborg"), ("Ældre", "ældre"),
    ("Haarby", "haarby"),          # "aa" only folded at the start of a word
    ("før", "før"), ("for", "for"), ("hår", "hår"), ("har", "har"),  # no Lucene folding
])
def test_normalise_word(raw, norm):
    assert A.normalise_word(raw) == norm


def test_aa_variant():
    assert A.aa_variant("grenaavej") == "grenåvej"
    assert A.aa_variant("haarup") == "hårup"
    assert A.aa_variant("åbenraa") == "åbenrå"
    assert A.aa_variant("dataanalyse") == "datånalyse"
    assert A.aa_variant("grenåvej") is None and A.aa_variant("skole") is None


def test_an_accent_is_also_written_plainly():
    # Páll and Pall, René and Rene find each other; æ, ø and å stay letters of their own.
    assert A.aa_variant("páll") == "pall" and A.aa_variant("rené") == "rene"
    assert A.aa_variant("søren") is None and A.aa_variant("ærø") is None
    assert set(A.terms("Pall", "query")) <= set(A.terms("Páll"))
    assert set(A.terms("Rene", "query")) <= set(A.terms("René"))


def test_aa_variants_adds_the_å_spelling_at_the_same_position():
    toks = [Token("grenaavej", 0, 0, 9), Token("skol", 1, 10, 15)]
    out, words = A.aa_variants(toks, ["grenaavej", "skole"])
    assert [(t.text, t.pos, t.start, t.end, t.part) for t in out] == [
        ("grenaavej", 0, 0, 9, False), ("grenåvej", 0, 0, 9, True), ("skol", 1, 10, 15, False)]
    assert words == ["grenaavej", "", "skole"]       # the variant is not split again


def test_aa_variants_in_the_chain_both_ways():
    # Index and query time alike, so each spelling finds the other.
    for mode in ("index", "query"):
        assert A.terms("Grenaavej", mode) == ["grenaavej", "grenåvej"]
        assert A.terms("Haarup", mode) == ["haarup", "hårup"]
        assert A.terms("Grenåvej", mode) == ["grenåvej"]
        assert [t.pos for t in A.analyze("Haarup Skole", mode)] == [0, 0, 1]
    assert A.exact_terms("Haarup og Grenåvej") == ["haarup", "hårup", "og", "grenåvej"]


def test_aa_variant_keeps_compounds_whole_and_split():
    # dataanalyse is data|analyse: its own term and its parts stay; the variant is extra.
    index_terms = A.terms("dataanalyse")
    assert index_terms[0] == A.stem_word("dataanalyse")
    assert {A.stem_word("data"), A.stem_word("analyse")} <= set(index_terms)
    assert A.terms("dataanalyse", "query")[0] == A.stem_word("dataanalyse")
    assert A.normalise_word("dataanalyse") == "dataanalyse"


def test_normalise_keeps_for_and_foer_apart():
    assert A.normalise_word("før") != A.normalise_word("for")


# --------------------------------------------------------------------- stopwords
def test_stoplist_is_snowball_danish_94():
    assert len(A.STOPWORDS) == 94
    for w in ("og", "i", "at", "på", "sådan", "thi", "været", "hendes"):
        assert w in A.STOPWORDS
    assert "møde" not in A.STOPWORDS


def test_drop_stopwords():
    toks = [Token("og", 0, 0, 2), Token("møde", 1, 3, 7)]
    assert texts(A.drop_stopwords(toks)) == ["møde"]


# --------------------------------------------------------------------- stemming
def test_stemmer_is_pystemmer_c_implementation():
    s = snowballstemmer.stemmer("danish")
    assert type(s).__module__ == "Stemmer"     # PyStemmer's C extension


def test_stem_word_matches_snowball():
    assert A.stem_word("beslutninger") == A.stem_word("beslutning")
    assert A.stem_word("bekendtgørelser") == A.stem_word("bekendtgørelse")


# --------------------------------------------------------------------- base forms
# Written out here, independently of index/analysis.py: the forms the base-form
# table must map to each base, and other forms of the family that must stem alike.
MAPPED = {
    "facilitet": ["faciliteter", "faciliteten", "faciliteterne", "facilitets",
                  "faciliteters", "faciliteternes"],
    "universitet": ["universiteter", "universitetet", "universiteterne", "universitets",
                    "universitetets"],
    "godkend": ["godkende", "godkendes"],
    "budget": ["budgettet", "budgetter", "budgetterne", "budgettets", "budgets"],
    "dagsorden": ["dagsordenen", "dagsordener", "dagsordner", "dagsordenens",
                  "dagsordnerne", "dagsordenerne"],
    "år": ["året", "årene", "års", "årets", "årenes"],
    "ministerium": ["ministeriet", "ministerier", "ministerierne", "ministeriets",
                    "ministeriums"],
    "sekventering": ["sekventere", "sekventeres", "sekventeret", "sekventerede"],
    "formand": ["formænd", "formændene", "formændenes"],
    "aftale": ["aftalt", "aftalte"],
    "drøfte": ["drøftede"],
}
UNMAPPED = {
    "facilitet": ["facilitet"], "universitet": ["universitet"],
    "godkend": ["godkendt", "godkendte", "godkender", "godkendelse"],
    "budget": ["budget"], "dagsorden": ["dagsorden"], "år": ["år"],
    "ministerium": ["ministerium"], "sekventering": ["sekventering", "sekventeringen"],
    "formand": ["formand", "formanden"], "aftale": ["aftale", "aftalen", "aftaler"],
    "drøfte": ["drøfte", "drøftet"],
}
MAPPED_FORMS = [(form, base) for base, forms in MAPPED.items() for form in forms]


def test_base_form_table():
    # A form mapped to another base, or to another form of its family, or dropped, fails.
    assert A.BASE_FORMS == dict(MAPPED_FORMS)
    for form, base in MAPPED_FORMS:
        assert A.base_word(form) == base


@pytest.mark.parametrize("base", sorted(MAPPED))
def test_base_form_families_stem_alike(base):
    stems = {A.stem_word(w) for w in MAPPED[base] + UNMAPPED[base]}
    assert len(stems) == 1, stems


@pytest.mark.parametrize("form,base", [(f, b) for f, b in MAPPED_FORMS if len(f) >= 7])
def test_base_form_endings_reach_compounds(form, base):
    # A compound the lexicon cannot split ("drift" + form, no linker) still ends in
    # its base form, so it matches the compound of the base form: the table's entries
    # matter beyond the words themselves (which paradigm stems often rejoin already).
    assert A.base_word("drift" + form) == "drift" + base
    assert A.stem_word("drift" + form) == A.stem_word("drift" + base)


def test_base_form_endings_examples():
    assert A.base_word("sundhedsministeriet") == "sundhedsministerium"
    assert A.base_word("sekventeringsfaciliteter") == "sekventeringsfacilitet"
    assert A.stem_word("eftergodkende") == A.stem_word("eftergodkendt")
    assert A.base_word("kåret") == "kåret"         # short entries are whole-word only


def test_families_snowball_already_keeps_together():
    for fam in (["bekendtgørelse", "bekendtgørelser", "bekendtgørelsen"],
                ["beslutning", "beslutninger", "beslutningen"],
                ["kommune", "kommunen", "kommuner"], ["møde", "mødet", "møder"],
                ["udvalg", "udvalget", "udvalgene"], ["indstilling", "indstillingen"]):
        assert len({A.stem_word(w) for w in fam}) == 1, fam


# --------------------------------------------------------------------- compounds
def test_split_compounds_adds_parts_at_same_pos():
    toks = A.analyze("den nye helgenomsekventering")
    whole = [t for t in toks if not t.part]
    parts = [t for t in toks if t.part]
    assert len(whole) == 2
    assert {t.text for t in parts} >= {"hel", "genom", "sekventering"}
    assert all(t.pos == whole[1].pos and (t.start, t.end) == (whole[1].start, whole[1].end)
               for t in parts)


def test_no_compound_parts_at_query_time():
    assert A.terms("helgenomsekventering", "query") == ["helgenomsekventering"]
    assert A.terms("EU-kommissionen", "query") == ["eu-kommission"]


def test_parts_pass_through_chain():
    # facilitet part of an inflected compound gets the same term as the query word
    assert A.terms("facilitet", "query")[0] in A.terms("sekventeringsfaciliteter")
    assert A.terms("database", "query")[0] in A.terms("genomdatabasen")
    assert A.terms("sundhed", "query")[0] in A.terms("Sundheds- og Ældreministeriet")


# --------------------------------------------------------------------- composition
def test_analyze_positions_consecutive_after_stopwords():
    toks = A.analyze("mødet i udvalget om budgettet", "query")
    assert [t.pos for t in toks] == [0, 1, 2]
    assert texts(toks) == [A.stem_word("mødet"), A.stem_word("udvalget"),
                           A.stem_word("budget")]


def test_analyze_offsets_survive():
    text = "Godkendt af Aarhus Byråd"
    for t in A.analyze(text):
        assert 0 <= t.start < t.end <= len(text)
    assert [text[t.start:t.end] for t in A.analyze(text, "query")] == [
        "Godkendt", "Aarhus", "Byråd"]


def test_analyze_aarhus_equals_aarhus():
    assert A.terms("Aarhus") == A.terms("Århus")


def test_item_numbers_survive():
    assert "47/18" in A.terms("Sag 47/18 blev godkendt")


def test_snowball_baseline():
    assert A.snowball_only_terms("Aarhus og faciliteter") == [
        snowballstemmer.stemmer("danish").stemWord("aarhus"),
        snowballstemmer.stemmer("danish").stemWord("faciliteter")]


def test_exact_terms_keep_stopwords_and_forms():
    assert A.exact_terms("For Faciliteter i Aarhus") == ["for", "faciliteter", "i", "århus"]


def test_cached_analysis_gives_the_same_tokens_as_the_first():
    """The chain memoises stems and compound splits (that is what makes it fast enough;
    `make bench` measures the speed): a repeated sentence must analyse exactly as it did
    the first time, shifted by its length."""
    sentence = ("Bestyrelsen godkendte helgenomsekventering og sekventeringsfaciliteter "
                "ved Sundheds- og Ældreministeriet. Punkt 47/18: orientering om "
                "budgettet for 2019 og dagsordenen for næste møde. ")
    once = A.analyze(sentence)
    many = A.analyze(sentence * 50)
    span = max(t.pos for t in once) + 1
    assert len(many) == 50 * len(once)
    for k in (0, 1, 49):
        chunk = many[k * len(once):(k + 1) * len(once)]
        assert [(t.text, t.pos - k * span, t.start - k * len(sentence), t.part) for t in chunk] == \
            [(t.text, t.pos, t.start, t.part) for t in once]


# --------------------------------------------------------------------- paradigm stems
# Snowball splits these paradigms (a lemma-final -s taken for a genitive; the e of
# -el/-er nouns kept only in the bare form); the lexicon's paradigms rejoin them.
PARADIGM_FAMILIES = [
    ["plads", "pladsen", "pladser", "pladserne", "pladsens"],
    ["genbrugsplads", "genbrugspladsen", "genbrugspladser"],
    ["legeplads", "legepladsen", "legepladser"],
    ["kreds", "kredsen", "kredse"],
    ["proces", "processen", "processer"],
    ["ingrediens", "ingredienser"],
    ["kurs", "kursen", "kurser"],
    ["kursus", "kurset", "kurser"],
    ["cykel", "cyklen", "cykler", "cyklerne"],
    ["elcykel", "elcykler"],
    ["regel", "reglen", "regler"],
    ["middel", "midlet", "midler"],
    ["status", "statussen"],
    ["hus", "huset", "huse", "husene"],
]


@pytest.mark.parametrize("fam", PARADIGM_FAMILIES, ids=lambda f: f[0])
def test_paradigm_families_stem_alike(fam):
    assert len({A.stem_word(w) for w in fam}) == 1, {w: A.stem_word(w) for w in fam}


def test_paradigm_compound_not_in_lexicon_follows_final_part():
    # not a dictionary word: the final part's paradigm is used
    fam = ["affaldssorteringsplads", "affaldssorteringspladsen", "affaldssorteringspladser"]
    assert len({A.stem_word(w) for w in fam}) == 1


def test_paradigm_stems_keep_words_apart():
    assert A.stem_word("plads") != A.stem_word("plade")      # Snowball merged them
    assert A.stem_word("retning") != A.stem_word("efterretning")
    assert A.stem_word("for") != A.stem_word("før")


def test_snowball_baseline_untouched_by_paradigms():
    s = snowballstemmer.stemmer("danish").stemWord
    assert A.snowball_only_terms("plads cykel") == [s("plads"), s("cykel")]


def test_compound_part_matches_inflected_compound():
    # the query word's term is among the index terms of inflected compounds
    assert A.terms("plads", "query")[0] in A.terms("genbrugspladsen")
    assert A.terms("plads", "query")[0] in A.terms("aflastningspladser")
    assert A.terms("cykel", "query")[0] in A.terms("cykelstierne")
    assert A.terms("sti", "query")[0] in A.terms("cykelstierne")
    assert A.terms("lokalplan", "query")[0] in A.terms("lokalplanforslaget")


# --------------------------------------------------------------------- the indexing fast path
FAST_PATH_TEXTS = [
    "Sundheds- og Ældreministeriet godkendte helgenomsekventering; sekventeringsfaciliteter i Aarhus.",
    "EU-kommissionen, covid-19 og 47/18 1.000 kr. den 2018-06-20: Grenaavej og Haarup-vej.",
    "og i det - og-i a-b-c Aalborg-Aarhus-vej 12b Formændene drøftede budgettet.",
    "", "   ", "-", "---", "Sagen blev udsat. Sagen blev UDSAT!",
]


@pytest.mark.parametrize("text", FAST_PATH_TEXTS)
def test_index_terms_are_the_chains_terms_and_positions(text):
    assert A.index_terms(text) == [(t.text, t.pos) for t in A.analyze(text, "index")]
    assert A.exact_index_terms(text) == [(t.text, t.pos) for t in A.exact_analyze(text)]


def test_index_terms_on_the_seed_minutes_and_repeated():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "data"
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(root.rglob("*.txt"))][:3]
    assert texts, "the seed minutes in data/ are text files"
    for text in texts:
        for _ in range(2):          # the second time from the memo
            assert A.index_terms(text) == [(t.text, t.pos) for t in A.analyze(text, "index")]
            assert A.exact_index_terms(text) == [(t.text, t.pos) for t in A.exact_analyze(text)]


def test_index_terms_agree_with_the_chain_on_generated_text():
    from hypothesis import given
    from hypothesis import strategies as st

    words = st.sampled_from(["og", "i", "Aarhus", "haarup", "sekventering", "helgenomsekventering", "EU", "-",
                             "covid-19", "47/18", "1.000", "Formændene", "budgettet", "Sundheds-", "æøå", "x"])
    glue = st.sampled_from([" ", "-", ", ", "\n", "", ". "])

    @given(st.lists(st.tuples(words, glue), max_size=30))
    def check(parts):
        text = "".join(w + g for w, g in parts)
        assert A.index_terms(text) == [(t.text, t.pos) for t in A.analyze(text, "index")]
        assert A.exact_index_terms(text) == [(t.text, t.pos) for t in A.exact_analyze(text)]

    check()
