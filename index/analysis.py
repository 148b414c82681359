"""Danish text analysis for arkiv: tokenizer and filters as small pure functions.

No engine import here: the engines (``index.tantivy_schema``) take its tokens as they are.

Chain (``analyze``), the same at index and query time except compound splitting,
which only runs at index time:

    tokenize -> normalise -> drop_stopwords -> base_form -> stem
             -> aa_variants -> split_compounds (index only) -> renumber positions
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import snowballstemmer

from archive import lexicon, word_caches
from archive.lexicon import STOPWORDS
from archive.word_caches import word_cache
from index import compounds

__all__ = [
    "Token", "STOPWORDS", "BASE_FORMS", "tokenize", "normalise", "normalise_word", "base_word",
    "drop_stopwords", "base_form", "stem", "stem_word", "aa_variant", "aa_variants", "split_compounds",
    "renumber", "analyze", "terms", "snowball_only_terms", "exact_terms", "index_terms", "exact_index_terms",
]


@dataclass(slots=True)
class Token:
    text: str
    pos: int
    start: int
    end: int
    part: bool = False      # an added compound/hyphen part (same pos as its word)


# --------------------------------------------------------------------------- tokenizer
_WORD = r"[^\W\d_]"            # a letter (Unicode, incl. æøå)
_ALNUM = r"[^\W_]"
_TOKEN_RE = re.compile(
    # numbers and item numbers kept whole: 47/18, 1.000, 2018-06-20, 12b
    r"\d+(?:[./:,-]\d+)*" + _WORD + r"*"
    # words, possibly hyphenated (EU-kommissionen, covid-19), possibly a dangling
    # first part ("Sundheds- og ...")
    r"|" + _ALNUM + r"+(?:-" + _ALNUM + r"+)*-?"
)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with character offsets.

    A hyphenated word yields the whole word, then each part and the parts written
    together (``e-mail`` -> ``email``: minutes write both) at the *same* position
    (``part=True``) with the whole word's offsets.  A dangling hyphen ("Sundheds-")
    is dropped from the token text.
    """
    out: list[Token] = []
    pos = 0
    for m in _TOKEN_RE.finditer(text):
        s = m.group()
        start, end = m.start(), m.end()
        if s.endswith("-"):
            s = s[:-1]
            end -= 1
        out.append(Token(s, pos, start, end))
        if "-" in s and not s[0].isdigit():
            for p in _hyphen_parts(s):
                out.append(Token(p, pos, start, end, True))
        pos += 1
    return out


def _hyphen_parts(word: str) -> list[str]:
    """A hyphenated word's parts, then its parts written together (e-mail -> e, mail, email)."""
    parts = [p for p in word.split("-") if p]
    return parts + ["".join(parts)] if len(parts) > 1 else parts


# --------------------------------------------------------------------------- normalise
@word_cache
def normalise_word(w: str) -> str:
    """Lowercase; ä->æ, ö->ø; word-initial "aa"->"å" (Aarhus=Århus): ``archive.lexicon.normal_form``,
    memoised for the chain."""
    return lexicon.normal_form(w)


def normalise(tokens: list[Token]) -> list[Token]:
    for t in tokens:
        t.text = normalise_word(t.text)
    return tokens


def aa_variant(w: str) -> str | None:
    """The å-spelling of a normalised word with "aa" inside (grenaavej -> grenåvej,
    haarup -> hårup), else None.

    Place names keep the old "aa" in any position, so a search must find both
    spellings; folding every "aa" in ``normalise_word`` instead would also rewrite
    compounds whose parts meet at "a|a" (data|analyse -> "datånalyse", which no
    longer splits).  So the variant is an additional term at the word's position,
    and the word itself goes through the chain unchanged.

    The same variant writes a name's accents plainly (Páll -> pall, René -> rene, café ->
    cafe): minutes write them both ways, and a search types them without.
    """
    v = w.replace("aa", "å") if "aa" in w else w
    if not v.isascii():
        v = v.translate(_ACCENTS)
    return v if v != w else None


# Accented letters written plainly (the variant of ``aa_variant``); æ, ø and å are letters of their own.
_ACCENTS = str.maketrans("áàâãéèêëíìîïóòôõúùûüýñç", "aaaaeeeeiiiioooouuuuync")


def aa_variants(tokens: list[Token], words: list[str]) -> tuple[list[Token], list[str]]:
    """After each token whose normalised word has "aa" inside, the term of the word's
    å-spelling at the same position and offsets (``part=True``).  Returns the tokens
    and their words, parallel; a variant's word is "" so it is not split again.
    Used at index AND query time: an indexed "Grenaavej" is also found by "grenåvej",
    a query "Haarup" also finds "Hårup"."""
    out: list[Token] = []
    out_words: list[str] = []
    for t, w in zip(tokens, words, strict=True):
        out.append(t)
        out_words.append(w)
        variant = aa_variant(w) if not w[:1].isdigit() else None
        if variant:
            term = stem_word(variant)
            if term != t.text:
                out.append(Token(term, t.pos, t.start, t.end, True))
                out_words.append("")
    return out, out_words


# --------------------------------------------------------------------------- stopwords
# The Snowball Danish stop list: archive.lexicon.STOPWORDS (the lexicon judges words with it too).


def drop_stopwords(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.text not in STOPWORDS]


# --------------------------------------------------------------------------- base forms
# Snowball's Danish stemmer splits some families that matter in minutes.  Each
# listed form maps to a base form that stems like the rest of its family (checked
# in tests/test_analysis.py: every entry, every family).  Where the dictionary
# base form itself stems badly (godkende -> "godk") the base is the verb stem
# (godkend), which stems like godkendt/godkender/godkendelse.
_FAMILIES: dict[str, tuple[str, ...]] = {
    # base         forms mapped to it
    "facilitet":   ("faciliteter", "faciliteten", "faciliteterne", "facilitets",
                    "faciliteters", "faciliteternes"),
    "universitet": ("universiteter", "universitetet", "universiteterne",
                    "universitets", "universitetets"),
    "godkend":     ("godkende", "godkendes"),
    "budget":      ("budgettet", "budgetter", "budgetterne", "budgettets", "budgets"),
    "dagsorden":   ("dagsordenen", "dagsordener", "dagsordner", "dagsordenens",
                    "dagsordnerne", "dagsordenerne"),
    "år":          ("året", "årene", "års", "årets", "årenes"),
    "ministerium": ("ministeriet", "ministerier", "ministerierne", "ministeriets",
                    "ministeriums"),
    "sekventering": ("sekventere", "sekventeres", "sekventeret", "sekventerede"),
    "formand":     ("formænd", "formændene", "formændenes"),
    "aftale":      ("aftalt", "aftalte"),
    "drøfte":      ("drøftede",),
}
BASE_FORMS: dict[str, str] = {f: base for base, forms in _FAMILIES.items()
                              for f in forms}
# Entries this long also apply as a word's ending, so compounds follow them
# (sundhedsministeriet -> sundhedsministerium, sekventeringsfaciliteter ->
# sekventeringsfacilitet).  Shorter ones would misfire (kåret is no "år" form).
_MIN_ENDING = 7
_ENDINGS = sorted((k for k in BASE_FORMS if len(k) >= _MIN_ENDING), key=len,
                  reverse=True)


@word_cache
def base_word(w: str) -> str:
    """The base form of a normalised word (itself when not in the table)."""
    b = BASE_FORMS.get(w)
    if b is not None:
        return b
    if len(w) > _MIN_ENDING:
        for e in _ENDINGS:
            if w.endswith(e) and len(w) - len(e) >= 3:
                return w[: len(w) - len(e)] + BASE_FORMS[e]
    return w


def base_form(tokens: list[Token]) -> list[Token]:
    for t in tokens:
        t.text = base_word(t.text)
    return tokens


# --------------------------------------------------------------------------- stemming
# PyStemmer's C version when installed.  One instance for all of gunicorn's threads:
# PyStemmer allows one thread at a time per instance, which the GIL ensures (the
# extension never releases it).
_STEMMER = snowballstemmer.stemmer("danish")
_snow = _STEMMER.stemWord                     # plain Snowball (the baseline chain)


@word_cache
def _snow_cached(w: str) -> str:
    return _snow(w)


@word_cache
def _stem_cached(w: str) -> str:
    """Snowball, made consistent over the word's inflection paradigm.

    Snowball's suffix rules split some paradigms: a lemma ending in -s loses it
    as if it were a genitive (plads -> "plad", but pladsen/pladser -> "plads";
    also kreds, proces, ingrediens), and -el/-en/-er nouns keep their e only in
    the bare form (cykel -> "cykel", cykler/cyklen -> "cykl"; regel, middel).
    When the lexicon knows the word's paradigm (``lexicon.paradigm``: hunspell's
    inflected forms, through the final part for a compound not in it) and one
    stem is the strict majority of its forms' Snowball stems, every form gets that
    stem.  Ties keep Snowball's own stem.
    """
    s = _snow(w)
    if len(w) < 3 or not w.isalpha():
        return s
    par = lexicon.paradigm(w)
    if par is None:
        return s
    counts: dict[str, int] = {}
    for f in par[1]:
        t = _snow_cached(f)
        counts[t] = counts.get(t, 0) + 1
    if len(counts) < 2:
        return s
    (top, n1), (_, n2) = sorted(counts.items(), key=lambda kv: -kv[1])[:2]
    return top if n1 > n2 else s


def stem_word(w: str) -> str:
    """Stem a normalised word (base-form table and paradigm applied first)."""
    return _stem_cached(base_word(w))


def stem(tokens: list[Token]) -> list[Token]:
    for t in tokens:
        if not t.text[0].isdigit():
            t.text = _stem_cached(t.text)
    return tokens


# --------------------------------------------------------------------------- compounds
@word_cache
def _part_terms(word: str) -> tuple[str, ...]:
    """Index terms (normalised, stopped, base-formed, stemmed) of ``word``'s parts."""
    seen: list[str] = []
    stem_whole = stem_word(word)
    for p in compounds.split_terms(word):
        p = normalise_word(p)
        if p in STOPWORDS or len(p) < 2:
            continue
        s = stem_word(p)
        if s != stem_whole and s not in seen:
            seen.append(s)
    return tuple(seen)


def split_compounds(tokens: list[Token], words: list[str]) -> list[Token]:
    """Add compound parts after each token, same pos and offsets.

    ``words`` holds each token's normalised (unstemmed) text, parallel to ``tokens``.
    """
    out: list[Token] = []
    for t, w in zip(tokens, words, strict=True):
        out.append(t)
        if len(w) >= 6 and not w[0].isdigit():
            for s in _part_terms(w):
                out.append(Token(s, t.pos, t.start, t.end, True))
    return out


def renumber(tokens: list[Token]) -> list[Token]:
    """Make positions consecutive after stopword removal (phrase queries need it)."""
    last_old, new = None, -1
    for t in tokens:
        if t.pos != last_old:
            last_old = t.pos
            new += 1
        t.pos = new
    return tokens


def _dedupe(tokens: list[Token]) -> list[Token]:
    """Drop a part that equals another term already at the same position."""
    out: list[Token] = []
    seen: set[tuple[int, str]] = set()
    for t in tokens:
        key = (t.pos, t.text)
        if key in seen:
            continue
        seen.add(key)
        out.append(t)
    return out


# --------------------------------------------------------------------------- composition
def analyze(text: str, mode: str = "index") -> list[Token]:
    """The full Danish chain.  ``mode="query"`` skips compound splitting and
    hyphen parts (a query term keeps one token per position so phrases work)."""
    toks = tokenize(text)
    if mode != "index":
        toks = [t for t in toks if not t.part]
    toks = normalise(toks)
    toks = drop_stopwords(toks)
    words = [t.text for t in toks]
    toks = base_form(toks)
    toks = stem(toks)
    toks, words = aa_variants(toks, words)
    if mode == "index":
        toks = split_compounds(toks, words)
    toks = renumber(toks)
    return _dedupe(toks)


def _match_terms(match: str) -> tuple[str, ...]:
    """The index terms the chain makes of one tokenizer match (a word; a hyphenated word
    with its parts), in the chain's order at their shared position; () when all are stopped."""
    toks = [Token(match, 0, 0, len(match))]
    if "-" in match and not match[0].isdigit():
        toks += [Token(p, 0, 0, len(match), True) for p in _hyphen_parts(match)]
    toks = drop_stopwords(normalise(toks))
    words = [t.text for t in toks]
    toks, words = aa_variants(stem(base_form(toks)), words)
    return tuple(dict.fromkeys(t.text for t in split_compounds(toks, words)))


_index_memo: dict[str, tuple[str, ...]] = {}
_exact_memo: dict[str, tuple[str, ...]] = {}


def _memo(memo: dict[str, tuple[str, ...]], make, match: str) -> tuple[str, ...]:
    if len(memo) >= word_caches.size():
        memo.clear()
    found = memo[match] = make(match[:-1] if match.endswith("-") else match)
    return found


def index_terms(text: str) -> list[tuple[str, int]]:
    """``analyze(text, "index")`` as (term, position) pairs, computed per distinct word once.

    Every filter of the chain but the renumbering looks at one tokenizer match at a time, so
    a match's terms are memoised (a plain dict: lru_cache's bookkeeping cost more than the
    lookup); positions count the matches that keep a term.  This is what indexing needs (no
    character offsets) at a third of the cost."""
    out: list[tuple[str, int]] = []
    pos = -1
    get = _index_memo.get
    for s in _TOKEN_RE.findall(text):
        found = get(s)
        if found is None:
            found = _memo(_index_memo, _match_terms, s)
        if found:
            pos += 1
            for t in found:
                out.append((t, pos))
    return out


def _exact_match_terms(match: str) -> tuple[str, ...]:
    w = normalise_word(match)
    variant = aa_variant(w)
    return (w, variant) if variant else (w,)


def exact_index_terms(text: str) -> list[tuple[str, int]]:
    """``exact_analyze(text)`` as (term, position) pairs, memoised per word like :func:`index_terms`."""
    out: list[tuple[str, int]] = []
    get = _exact_memo.get
    for pos, s in enumerate(_TOKEN_RE.findall(text)):
        found = get(s)
        if found is None:
            found = _memo(_exact_memo, _exact_match_terms, s)
        for t in found:
            out.append((t, pos))
    return out


def terms(text: str, mode: str = "index") -> list[str]:
    return [t.text for t in analyze(text, mode)]


def exact_analyze(text: str) -> list[Token]:
    """Lowercase + normalise only; stopwords kept, no stemming, no parts; a word with
    "aa" inside also as its å-spelling, at the same position (see ``aa_variant``)."""
    toks = normalise([t for t in tokenize(text) if not t.part])
    out: list[Token] = []
    for t in toks:
        out.append(t)
        variant = aa_variant(t.text)
        if variant:
            out.append(Token(variant, t.pos, t.start, t.end, True))
    return out


def exact_terms(text: str) -> list[str]:
    return [t.text for t in exact_analyze(text)]


_SNOW_RE = re.compile(r"[^\W_]+")


def snowball_analyze(text: str) -> list[Token]:
    """Baseline: lowercase + Snowball stopwords + Snowball stem.  Nothing else."""
    out: list[Token] = []
    pos = 0
    for m in _SNOW_RE.finditer(text):
        w = m.group().lower()
        if w in STOPWORDS:
            continue
        out.append(Token(_snow_cached(w), pos, m.start(), m.end()))
        pos += 1
    return out


def snowball_only_terms(text: str) -> list[str]:
    return [t.text for t in snowball_analyze(text)]
