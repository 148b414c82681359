"""Danish compound splitting for the index, used at index time only.

The lexicon and the choice of a split (``archive.lexicon.best_split``) live in the
archive, which judges a page's words with them too (archive.extract.textquality);
here is what the analysis chain makes of a split: every level of it as words to index.
"""
from __future__ import annotations

from archive import lexicon
from archive.word_caches import word_cache


def set_frequencies(counter) -> None:
    """Optional: word (lemma) frequencies from the archive, to break ties between splits.

    Call it before analysing text: ``index.analysis`` memoises each word's part
    terms and is not cleared here."""
    lexicon.set_frequencies(counter)
    split_terms.cache_clear()


@word_cache
def split_terms(word: str, _depth: int = 0) -> tuple[str, ...]:
    """Every level of ``word``'s split as plain (unstemmed) words.

    Non-final parts give their lemma (sundheds -> sundhed), the final part its
    surface form and lemma (databasen, database), each right-hand sub-compound
    its surface ("genomsekventering" in "helgenomsekventering"), and each
    left-hand sub-compound that is a dictionary word ("lokalplan" in
    "lokalplanforslaget").
    Parts that are themselves compounds are split again.
    """
    sp = lexicon.best_split(word)
    if not sp:
        return ()
    out: list[str] = []
    starts = []
    pos = 0
    for surface, _ in sp:
        starts.append(pos)
        pos += len(surface)
    for k, (surface, lemma) in enumerate(sp):
        last = k == len(sp) - 1
        cands = (surface, lemma) if last else (lemma,)
        for c in cands:
            if c not in out:
                out.append(c)
            if _depth < 3:
                for sub in split_terms(c, _depth + 1):
                    if sub not in out:
                        out.append(sub)
    for k in range(1, len(sp) - 1):
        sub = word[starts[k]:]
        if sub not in out:
            out.append(sub)
    # left-hand sub-compounds, when they are words themselves (lokalplan in
    # lokal|plan|forslaget); the last included part gives its lemma (no linker)
    for k in range(1, len(sp) - 1):
        sub = word[:starts[k]] + sp[k][1]
        if sub not in out and len(sub) >= lexicon.MIN_WORD and lexicon.is_word(sub):
            out.append(sub)
    return tuple(out)



# --------------------------------------------------------------------------- written apart
# The other direction, at query time: a compound in a query also finds its parts written
# as words of their own ("vinduesudskiftning" -> "udskiftning af vinduer").  A text writes
# the parts apart in their own forms: a linked first part as its lemma (vindues -> vindue),
# and a final part made from a verb often as the verb ("taget skal renoveres").
LINKERS = ("s", "e", "")            # Danish linking letters, tried in this order
MIN_LINKED_WORD = 8                 # the lexicon-unknown split: words this long at least
_VERB_ENDINGS = (("ering", "ere"), ("ning", "e"), ("else", "e"))


_VOWELS = frozenset("aeiouyæøå")


def _verb_of(noun: str) -> str | None:
    """The verb a final part is made from, where the lexicon knows it (renovering -> renovere).
    A short stem of a -ning noun doubles its consonant in the verb
    (klipning -> klippe, rydning -> rydde); a short stem is otherwise no verb's (not ord|ning ->
    "orde", which would find the noun "ord")."""
    for ending, verb_ending in _VERB_ENDINGS:
        if not noun.endswith(ending):
            continue
        stem = noun[: -len(ending)]
        verbs = []
        if len(stem) >= 4:
            verbs.append(stem + verb_ending)
        if ending == "ning" and len(stem) >= 3 and stem[-1] not in _VOWELS and stem[-2] in _VOWELS \
                and stem[-3] not in _VOWELS:
            verbs.append(stem + stem[-1] + verb_ending)
        for verb in verbs:
            if lexicon.is_word(verb):
                return verb
    return None


@word_cache
def linked_split(word: str) -> tuple[tuple[str, str], ...] | None:
    """A two-part split of a word the splitter does not split and the dictionary does not
    know, into two dictionary words joined by a linking letter or none (``LINKERS``):
    ((first part with its linker, its word), (the final part, its lemma)); the most balanced
    such split, else None.  Used at query time only: the index keeps the splitter's splits."""
    if len(word) < MIN_LINKED_WORD or not word.isalpha() or lexicon.is_word(word) or lexicon.best_split(word):
        return None
    best: tuple[int, tuple[tuple[str, str], ...]] | None = None
    for i in range(lexicon.MIN_PART, len(word) - lexicon.MIN_LAST + 1):
        left = word[:i]
        if not lexicon.is_word(left):
            continue
        for linker in LINKERS:
            rest = word[i + len(linker):]
            if not word.startswith(linker, i) or len(rest) < lexicon.MIN_LAST:
                continue
            lemma = lexicon.last_lemma(rest) or (rest if lexicon.is_word(rest) else None)
            if lemma is None or any(word.endswith(s) and i + len(linker) > len(word) - len(s)
                                    for s in lexicon.DERIV_SUFFIXES):
                continue
            key = min(i, len(rest))
            if best is None or key > best[0]:
                best = (key, ((word[: i + len(linker)], left), (rest, lemma)))
            break
    return best[1] if best else None


def _word_or_compound(w: str) -> bool:
    return len(w) >= lexicon.MIN_PART and (lexicon.is_word(w) or bool(lexicon.best_split(w)))


@word_cache
def apart(word: str) -> tuple[tuple[str, str], ...]:
    """The ways a text may write the (normalised) compound ``word`` as two words: (first, second)
    pairs of plain words, each cut of its split whose two sides are words (or compounds)
    themselves: legepladsrenovering -> (legeplads, renovering), and its first part also as
    written when that is a word (fælles|udgifter), its final part also as its verb
    (renovere).  () for a word that is no compound."""
    sp = lexicon.best_split(word) or linked_split(word)
    if not sp:
        return ()
    out: list[tuple[str, str]] = []
    start = 0
    for k in range(1, len(sp)):
        surface, lemma = sp[k - 1]
        head = word[:start]
        start += len(surface)
        right = word[start:]
        firsts = [head + lemma] + ([head + surface] if surface != lemma and lexicon.is_word(head + surface) else [])
        seconds = [right] + [v for v in (_verb_of(right),) if v]
        for first in firsts:
            if not _word_or_compound(first):
                continue
            for second in seconds:
                if _word_or_compound(second) and (first, second) not in out:
                    out.append((first, second))
    return tuple(out)
