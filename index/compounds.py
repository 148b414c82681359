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

