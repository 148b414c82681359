"""The Danish lexicon: which words exist, their inflected forms, and how a compound of them splits.

The lowest layer that needs it: ``archive.extract.textquality`` asks it whether a page's words
are Danish, and the index's analysis chain (``index.analysis``, ``index.compounds``) stems
and splits compounds with it.  Besides the tables, the Snowball stop list and a word's
normal form (``normal_form``) live here, since both judge words the same way.

Data: tables derived from hunspell-da by ``tools/build_lexicon.py`` (see
``archive/lexicon/LICENSE``), loaded lazily on first use:

* ``first``  form -> lemma: forms that may start/stand inside a compound, linker
  included ("sundheds" -> sundhed, "arbejds" -> arbejde, "genom" -> genom).
* ``last``   lemma -> inflection paradigm: words that may end a compound; a
  candidate final part is accepted if it is one of the lemma's inflected forms
  ("databasen" -> database).
* ``words``  other standalone words (words that exist but may not end a compound).

How a split is chosen (``best_split``): dynamic programming over the word, every
non-final part a ``first`` form (lemma >= 3 letters), the final part an inflected
form of a ``last`` lemma (>= 4 letters, or 3 when not in ``SUFFIX_LIKE_SHORT`` and
after a part of >= 4: cykel|stier, cykel|ture); among valid splits the one with the
fewest parts wins, then one whose final lemma is not a three-letter one (fod|slag,
not fods|lag), then the one with the largest sum of squared lengths of the non-final
parts (longer modifiers), then, if ``set_frequencies`` was called, the one whose parts are
most frequent in the archive.  A split is rejected when

* its final boundary falls inside a derivational suffix of the word
  (orient|e|ring: the word ends in -ering, "ring" is no part of it);
* the whole word is itself a dictionary word and a part is shorter than
  ``MIN_PART_KNOWN`` letters (tele|fon), or the first part is one of the bound
  prefixes in ``BOUND_FIRST`` (infra-, tele-, ...);
* the word is listed in ``NO_SPLIT`` (curated, each tested).
"""
from __future__ import annotations

import gzip
from pathlib import Path

from archive.word_caches import word_cache

LEXICON_DIR = Path(__file__).resolve().parent

MIN_PART = 3            # letters in each part's lemma (linker not counted)
MIN_PART_KNOWN = 3      # ... when the whole word is itself a dictionary word
MIN_LAST = 4            # letters in the final part's lemma (lig, tog, des, ten, ...)
MIN_LAST_SHORT = 3      # ... for lemmas in SHORT_LAST (sti, tur, vej, ...)
MIN_WORD = 6            # shorter words are never split

# Derivational endings: a split may not cut inside the word's final one of these.
DERIV_SUFFIXES = (
    "isering", "ificering", "ering", "ation", "ition", "ning", "ling",
    "else", "ighed", "hed", "itet", "isme", "ance", "ence", "ende",
    "sion", "tion", "ør", "ist", "ant", "ent", "ive", "isk", "lig", "ligt",
    "lige", "ligere", "ligst", "somt", "som", "mæssig", "agtig",
)
# Lemmas that are words but, as the final part, are really a derivational suffix
# (regn|skab, fæl|les).
NOT_LAST = frozenset({"skab", "ende", "anden", "andet", "lige", "ligt", "mæssig",
                      "ring", "tisk", "tiske", "gering", "ynder", "ynde", "kommen",
                      "trup"})
# Three-letter lemmas allowed as a final part (cykel|stier, cykel|ture) unless
# they double as an ending or a word-forming element (hvile|løs, besvær|lig).
SUFFIX_LIKE_SHORT = frozenset("""
lig ens løs hed sen rig vis des sid ose ise ase age ten ges tis nas las san ane
ede ere ske tie eje set sat ved før gen and ist ent ant ion ive isk ler ner ter
tet sel mer lse ens ing ning als ere eri tor hat mor far
""".split())
# First parts that are rare words shadowing a better split (helgen|omfortolkning
# instead of hel|genom|fortolkning).
BAD_FIRST = frozenset({"helgen", "beg", "ene"})

# First parts that are bound/learned prefixes rather than words: inside a known
# dictionary word they do not start a compound (telefon, infrastruktur).
BOUND_FIRST = frozenset({
    "tele", "infra", "inter", "trans", "super", "mikro", "makro", "auto", "bio",
    "geo", "kilo", "mega", "mono", "poly", "proto", "pseudo", "semi", "ultra",
    "anti", "kontra", "para", "meta", "multi", "over", "under", "sam", "fore",
    "efter", "mod", "med", "til", "ind", "ud", "op", "ned", "fra", "gen", "an",
    "be", "for", "af", "om", "unter", "uden",
})

# Known false splits the rules above do not catch (data|base, person|ale, dags|orden,
# pro|gram, bag|grund, plan|lægge).  Only words the rules alone would split belong
# here: tests/test_compounds.py checks that each entry is needed.
NO_SPLIT = frozenset({
    "baggrund", "dagsorden", "database", "personale", "planlægge", "program",
})

# Common compound first parts that hunspell-da does not flag as such.
EXTRA_FIRST = {"ældre": "ældre", "social": "social", "kommunal": "kommunal",
               "regional": "regional", "national": "national"}

_loaded = False
_first: dict[str, str] = {}
_last: dict[str, int] = {}
_paradigms: list[frozenset] = []
_strips_by_add: dict[str, tuple[str, ...]] = {}
_max_add = 0
_words: frozenset[str] = frozenset()
_freq: dict[str, int] = {}


def _lines(name: str):
    with gzip.open(LEXICON_DIR / f"{name}.txt.gz", "rt", encoding="utf-8") as fh:
        return fh.read().splitlines()


def load() -> None:
    """Load the lexicon tables (idempotent; called lazily)."""
    global _first, _last, _paradigms, _strips_by_add, _max_add, _words, _loaded
    if _loaded:
        return
    first: dict[str, str] = {}
    for line in _lines("first"):
        k, _, v = line.partition("\t")
        first[k] = v or k
    for k, v in EXTRA_FIRST.items():
        first.setdefault(k, v)
    paradigms = []
    strips: dict[str, set[str]] = {}
    for line in _lines("paradigms"):
        pairs = frozenset(tuple(p.split(":", 1)) for p in line.split(" "))
        paradigms.append(pairs)
        for s, a in pairs:
            strips.setdefault(a, set()).add(s)
    last: dict[str, int] = {}
    for line in _lines("last"):
        k, _, v = line.partition("\t")
        last[k] = int(v)
    _words = frozenset(_lines("words"))
    _paradigms = paradigms
    _strips_by_add = {a: tuple(sorted(s)) for a, s in strips.items()}
    _max_add = max(map(len, _strips_by_add))
    _last = last
    _first = first
    _loaded = True      # last: a thread that sees it set sees every table (no lock needed)


def last_lemma(form: str) -> str | None:
    """The lemma if ``form`` may end a compound (any inflected form), else None."""
    load()
    n = len(form)
    for k in range(0, min(_max_add, n - MIN_PART + 1) + 1):
        add = form[n - k:] if k else ""
        strips = _strips_by_add.get(add)
        if not strips:
            continue
        stem = form[: n - k]
        for s in strips:
            lemma = stem + s
            pid = _last.get(lemma)
            if pid is not None and (s, add) in _paradigms[pid]:
                return lemma
    return None




@word_cache
def paradigm(word: str) -> tuple[str, tuple[str, ...]] | None:
    """(lemma, every inflected form of it) for the word ``word`` is a form of.

    Found in the lexicon (pladsen -> plads: plads, pladsen, pladser, ...), or, for
    a compound not in it, through its final part, the forms keeping the word's
    first parts (affaldspladsen -> affaldsplads: affaldsplads, affaldspladsen, ...).
    None when neither applies.
    """
    load()
    # a lemma is a form of itself even where hunspell flags only its inflected
    # forms as compound ends (kurs: kursen, kurser, ... but not "kurs")
    lemma = word if word in _last else last_lemma(word)
    prefix = ""
    if lemma is None:
        sp = best_split(word)
        if not sp:
            return None
        surface, lemma = sp[-1]
        prefix = word[: len(word) - len(surface)]
        if _last.get(lemma) is None:
            return None
    forms = [prefix + lemma]
    for strip, add in _paradigms[_last[lemma]]:
        if strip and not lemma.endswith(strip):
            continue
        f = prefix + lemma[: len(lemma) - len(strip)] + add
        if f not in forms:
            forms.append(f)
    return prefix + lemma, tuple(sorted(forms))


def first_lemma(form: str) -> str | None:
    """The lemma if ``form`` (linker included) may start a compound, else None."""
    load()
    return _first.get(form)


def is_word(w: str) -> bool:
    """A standalone dictionary word (lemma or inflected form)."""
    load()
    return w in _words or last_lemma(w) is not None


def _last_ok(lemma: str, surface_len: int) -> bool:
    if lemma in NOT_LAST:
        return False
    if len(lemma) >= MIN_LAST:
        return surface_len >= MIN_LAST
    return len(lemma) >= MIN_LAST_SHORT and _short_last_ok(lemma)


def _short_last_ok(lemma):
    return lemma not in SUFFIX_LIKE_SHORT


def _deriv_cut(word: str, boundary: int) -> bool:
    for suf in DERIV_SUFFIXES:
        if word.endswith(suf) and boundary > len(word) - len(suf):
            return True
    return False



def set_frequencies(counter) -> None:
    """Word (lemma) frequencies that break ties between splits (see index.compounds)."""
    global _freq
    _freq = dict(counter)
    best_split.cache_clear()


@word_cache
def best_split(word: str) -> tuple[tuple[str, str], ...] | None:
    """Best split of ``word`` as ((surface, lemma), ...), >= 2 parts, or None.

    An inflected dictionary word is split through its lemma (orienteringen ->
    orientering, which the derivational-suffix rule keeps whole), and its final
    part gets the word's own ending back.
    """
    if len(word) < MIN_WORD or word in NO_SPLIT or not word.isalpha():
        return None
    load()
    lemma = last_lemma(word)
    if lemma is not None and lemma != word:
        if lemma in NO_SPLIT:
            return None
        sp = _split(lemma, True)
        if sp is None:
            return None
        prefix = "".join(s for s, _ in sp[:-1])
        if not word.startswith(prefix) or len(word) - len(prefix) < MIN_LAST:
            return None
        return sp[:-1] + ((word[len(prefix):], sp[-1][1]),)
    return _split(word, lemma is not None or word in _words)


def _split(word: str, known: bool) -> tuple[tuple[str, str], ...] | None:
    n = len(word)
    if n < MIN_WORD or word in NO_SPLIT:
        return None
    min_known = MIN_PART_KNOWN if known else MIN_PART
    # best[i]: best (score, parts) splitting word[:i] into non-final parts
    best: list = [None] * (n + 1)
    best[0] = ((0, 0, 0), ())
    candidates: list[tuple[tuple, tuple[tuple[str, str], ...]]] = []
    for i in range(0, n - MIN_PART + 1):
        if best[i] is None:
            continue
        (nparts, negsq, negfreq), parts = best[i]
        # final part word[i:]
        if i > 0 and not _deriv_cut(word, i):
            lemma = last_lemma(word[i:])
            if lemma is not None and _last_ok(lemma, n - i) \
                    and (len(lemma) >= MIN_LAST or len(parts[-1][0]) >= 4):
                p = parts + ((word[i:], lemma),)
                if not (known and p[0][1] in BOUND_FIRST):
                    # the final part's length does not count: a long final part is
                    # often itself a compound (om|fortolkning) that outscores a
                    # better-balanced split
                    # a three-letter final part only wins when no split with as
                    # few parts has a longer one (fod|slag, not fods|lag)
                    candidates.append(((nparts + 1, len(lemma) < MIN_LAST, negsq,
                                        negfreq - _freq.get(lemma, 0)), p))
        # non-final part word[i:j]
        for j in range(i + MIN_PART, n - MIN_PART + 1):
            lemma = _first.get(word[i:j])
            if lemma is None or len(lemma) < min_known or lemma in BAD_FIRST:
                continue
            # non-final parts score by length too: hel|genom|... beats hel|gen|om...
            sc = (nparts + 1, negsq - (j - i) ** 2, negfreq - _freq.get(lemma, 0))
            if best[j] is None or sc < best[j][0]:
                best[j] = (sc, parts + ((word[i:j], lemma),))
    if not candidates:
        return None
    return min(candidates)[1]



# The Snowball Danish stop list (snowballstem.org/algorithms/danish/stop.txt), 94 words.
STOPWORDS = frozenset("""
og i jeg det at en den til er som på de med han af for ikke der var mig sig men
et har om vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor
eller hvad skal selv her alle vil blev kunne ind når være dog noget ville jo
deres efter ned skulle denne end dette mit også under have dig anden hende mine
alt meget sit sine vor mod disse hvis din nogle hos blive mange ad bliver hendes
været thi jer sådan
""".split())


_TRANS = str.maketrans({"ä": "æ", "ö": "ø"})


def normal_form(w: str) -> str:
    """Lowercase; ä->æ, ö->ø; word-initial "aa"->"å" (Aarhus=Århus).

    Deliberately NOT Lucene's Scandinavian folding (which would merge for/før).
    """
    w = w.lower().translate(_TRANS)
    if w.startswith("aa"):
        w = "å" + w[2:]
    return w
