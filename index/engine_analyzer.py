"""Whoosh adapters for arkiv's Danish analysis chain.

The ONLY module in the analysis code that imports whoosh.  The pure chain lives in
``index/analysis.py``; the classes here only convert its tokens to whoosh tokens.
They are top-level, hold only a short string, and are therefore picklable (whoosh
pickles the schema, analyzers included, into the index).  The lexicon for compound
splitting is loaded lazily by ``index.compounds`` on first use, never pickled.

Public API:
    danish_analyzer()   full chain; compound/hyphen parts at index time only
    exact_analyzer()    lowercase + normalise, stopwords kept, no stemming
    snowball_analyzer() baseline: lowercase + Snowball stopwords + Snowball stem
"""
from __future__ import annotations

from whoosh.analysis import Filter, Token, Tokenizer

from index import analysis

__all__ = [
    "ArkivTokenizer", "DanishTokenizer", "ExactTokenizer", "SnowballTokenizer",
    "PassFilter", "danish_analyzer", "exact_analyzer", "snowball_analyzer",
]


class ArkivTokenizer(Tokenizer):
    """Run one of the pure chains and yield whoosh tokens.

    ``chain`` is "danish", "exact" or "snowball".  Whoosh passes ``mode="index"`` or
    ``mode="query"``; only the danish chain distinguishes them (compound and hyphen
    parts are emitted at index time only, at the whole word's position and offsets).
    """

    def __init__(self, chain: str = "danish"):
        if chain not in ("danish", "exact", "snowball"):
            raise ValueError(f"unknown chain {chain!r}")
        self.chain = chain

    def __eq__(self, other):
        return type(other) is type(self) and other.chain == self.chain

    def __hash__(self):
        return hash((type(self).__name__, self.chain))

    def __repr__(self):
        return f"{type(self).__name__}(chain={self.chain!r})"

    def _analyze(self, text: str, mode: str):
        if self.chain == "danish":
            return analysis.analyze(text, "index" if mode == "index" else "query")
        if self.chain == "exact":
            return analysis.exact_analyze(text)
        return analysis.snowball_analyze(text)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        for at in self._analyze(value, mode):
            t.text = at.text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[at.start:at.end]
            if positions:
                t.pos = start_pos + at.pos
            if chars:
                t.startchar = start_char + at.start
                t.endchar = start_char + at.end
            yield t


class DanishTokenizer(ArkivTokenizer):
    def __init__(self):
        super().__init__("danish")


class ExactTokenizer(ArkivTokenizer):
    def __init__(self):
        super().__init__("exact")


class SnowballTokenizer(ArkivTokenizer):
    def __init__(self):
        super().__init__("snowball")


class PassFilter(Filter):
    """Identity filter (kept so analyzers are ``Tokenizer | Filter`` composites and
    further whoosh filters can be chained by the engine if needed)."""

    def __call__(self, tokens):
        return tokens


def danish_analyzer():
    return DanishTokenizer() | PassFilter()


def exact_analyzer():
    return ExactTokenizer() | PassFilter()


def snowball_analyzer():
    return SnowballTokenizer() | PassFilter()
