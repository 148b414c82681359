#!/usr/bin/env python3
"""Derive arkiv's compact compound-splitting tables from hunspell-da.

Usage:  python tools/build_lexicon.py [--aff /usr/share/hunspell/da_DK.aff]
                                      [--dic /usr/share/hunspell/da_DK.dic]
                                      [--out archive/lexicon]

hunspell-da (Stavekontrolden, Debian package 1:7.5.0) encodes Danish compounding in
affix flags.  The flags that matter, as declared in da_DK.aff:

    COMPOUNDBEGIN 32     form may start a compound
    COMPOUNDMIDDLE 33    form may stand inside a compound
    COMPOUNDEND 34       form may end a compound (all inflected forms carry it)
    COMPOUNDPERMITFLAG 35
    ONLYINCOMPOUND 36    form only exists inside compounds (e.g. "sundheds")
    NEEDAFFIX 8          stem is not a word on its own (e.g. "budgett")
    FORBIDDENWORD 6

Linking elements are suffix classes whose output carries 32/33: 29 (-s-), 30 (-e-),
31 (no linker), 55 (drop e), 56 (drop e, add s), 69 (-um -> -e), and more.  Rather
than hard-code them, this tool expands every suffix rule (two levels, as hunspell
does) and records each generated form's flags.

Output (gzip text, one entry a line, sorted):
    first.txt.gz   form[\tlemma]  forms allowed as a non-final compound part (flag 32
                   or 33), linker included; lemma given when it differs.
    last.txt.gz    lemma\tparadigm  words that may end a compound (flag 34), with the
                   number of their inflection paradigm; a paradigm is the set of
                   (strip, add) pairs turning the lemma into its flag-34 forms.
    paradigms.txt.gz  one paradigm a line: "strip:add strip:add ..." (line number =
                   paradigm number).  Storing paradigms instead of the ~640,000
                   inflected forms keeps the loaded tables small.
    words.txt.gz   standalone words (lemmas and inflected forms) that are NOT in
                   last.txt.gz: words that exist but may not end a compound.
All entries are lowercased; only parts of >= 3 letters are kept.
"""
from __future__ import annotations

import argparse
import gzip
import re
from collections import defaultdict
from pathlib import Path

BEGIN, MIDDLE, END, ONLYIN, NEEDAFFIX, FORBIDDEN = "32", "33", "34", "36", "8", "6"
MIN_PART = 3


def parse_aff(path: Path):
    """Return {flag: [(strip, add, contflags, regex)]} for SFX classes."""
    sfx: dict[str, list] = defaultdict(list)
    headers: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        f = line.split()
        if len(f) < 4 or f[0] != "SFX":
            continue
        flag = f[1]
        if flag not in headers and f[2] in ("Y", "N") and len(f) == 4:
            headers.add(flag)
            continue
        if len(f) < 5:
            continue
        strip = "" if f[2] == "0" else f[2]
        add, _, cont = f[3].partition("/")
        add = "" if add == "0" else add
        cond = f[4]
        regex = re.compile(("" if cond == "." else "(?:" + cond + ")") + "$")
        sfx[flag].append((strip, add, tuple(cont.split(",")) if cont else (), regex))
    return sfx


def expand(word: str, flags: tuple[str, ...], sfx, depth: int = 0):
    """Yield (form, flags) for every suffixed form (up to two suffix levels)."""
    for fl in flags:
        for strip, add, cont, regex in sfx.get(fl, ()):
            if strip and not word.endswith(strip):
                continue
            if not regex.search(word):
                continue
            form = (word[: len(word) - len(strip)] if strip else word) + add
            yield form, cont
            if depth == 0 and cont:
                yield from expand(form, cont, sfx, 1)


def build(aff: Path, dic: Path):
    sfx = parse_aff(aff)
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    words: set[str] = set()
    lines = dic.read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        # an entry is "word/flags" or "word" followed by morphological fields
        # ("deltog st:deltage"), separated by whitespace
        line = line.split()[0] if line.strip() else ""
        if not line or line.startswith("#"):
            continue
        word, _, fl = line.partition("/")
        flags = tuple(fl.split(",")) if fl else ()
        if FORBIDDEN in flags:
            continue
        lemma = word.lower()
        if not lemma.isalpha():          # skip abbreviations, hyphenated, digits
            continue
        if NEEDAFFIX not in flags and ONLYIN not in flags:
            words.add(lemma)
        if END in flags and len(lemma) >= MIN_PART:
            last.setdefault(lemma, lemma)
        if (BEGIN in flags or MIDDLE in flags) and len(lemma) >= MIN_PART:
            first.setdefault(lemma, lemma)
        for form, cont in expand(word, flags, sfx):
            form = form.lower()
            if not form.isalpha():
                continue
            if NEEDAFFIX not in cont and ONLYIN not in cont:
                words.add(form)
            if END in cont and len(lemma) >= MIN_PART:
                last.setdefault(form, lemma)
            if (BEGIN in cont or MIDDLE in cont) and len(lemma) >= MIN_PART \
                    and len(form) >= MIN_PART:
                first.setdefault(form, lemma)
    words -= last.keys()
    # compress last: form -> lemma  into  lemma -> paradigm id
    pairs: dict[str, set] = defaultdict(set)
    for form, lemma in last.items():
        k = 0
        n = min(len(form), len(lemma))
        while k < n and form[k] == lemma[k]:
            k += 1
        pairs[lemma].add((lemma[k:], form[k:]))
    paradigm_ids: dict[tuple, int] = {}
    last_lemmas: dict[str, str] = {}
    for lemma, ps in pairs.items():
        key = tuple(sorted(ps))
        pid = paradigm_ids.setdefault(key, len(paradigm_ids))
        last_lemmas[lemma] = str(pid)
    paradigms = [" ".join(f"{a}:{b}" for a, b in key) for key in paradigm_ids]
    return first, last_lemmas, words, paradigms


def write(path: Path, mapping) -> int:
    rows = []
    if isinstance(mapping, dict):
        for k in sorted(mapping):
            v = mapping[k]
            rows.append(k if v == k else f"{k}\t{v}")
    elif isinstance(mapping, list):
        rows = list(mapping)          # order matters (line number = id)
    else:
        rows = sorted(mapping)
    data = ("\n".join(rows) + "\n").encode("utf-8")
    with open(path, "wb") as fh:
        # mtime=0: reproducible output
        with gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9, mtime=0) as gz:
            gz.write(data)
    return len(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--aff", default="/usr/share/hunspell/da_DK.aff", type=Path)
    ap.add_argument("--dic", default="/usr/share/hunspell/da_DK.dic", type=Path)
    ap.add_argument("--out", default=Path(__file__).resolve().parent.parent
                    / "archive" / "lexicon", type=Path)
    a = ap.parse_args()
    first, last, words, paradigms = build(a.aff, a.dic)
    a.out.mkdir(parents=True, exist_ok=True)
    for name, data in (("first", first), ("last", last), ("words", words),
                       ("paradigms", paradigms)):
        n = write(a.out / f"{name}.txt.gz", data)
        size = (a.out / f"{name}.txt.gz").stat().st_size
        print(f"{name}.txt.gz: {n} entries, {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
