"""The tantivy index's schema and documents, made from :data:`index.fields.INDEX_FIELDS`.

Every declared field becomes what its kind needs in tantivy:

- TEXT: an indexed field with positions, fed arkiv's own analysed tokens
  (``PreTokenizedString``: the Danish chain or the exact chain, compound parts and
  å-spellings at the word's position); tantivy never tokenizes text itself.
- KEYWORD: whole values as terms (the ``raw`` tokenizer), one term per value of a multi
  field; facets (and the meeting id and source hash that ``versions()`` reads) are fast
  fields as well, so terms aggregations count them.  Identifier fields (item and case
  numbers) are kept lower-case, as queries and filters look them up.
- DATE and INTEGER: indexed fast integers (ranges, ordering); BOOLEAN: indexed booleans.
- ``stored``: kept with the document in one stored JSON value (``_stored``), read back
  as a hit's fields.

Two engine-own fast fields order the result lists: ``_newest`` (date descending, then the
item's position) and ``_oldest`` (date ascending with undated items last, then position).
:data:`SIGNATURE` names the layout; an index of another signature is rebuilt.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Callable, Iterable

import tantivy

from archive.model import Meeting
from index import documents
from index import query_terms as qt
from index.fields import INDEX_FIELDS, SEP, IndexField, Kind

STORED = "_stored"
NEWEST, OLDEST = "_newest", "_oldest"
# 2 (issue 21): a hyphenated word also written together, an accent also written plainly; 3: the
# meeting's text around its items searched in a field of its own
SCHEMA_VERSION = 3
# Keyword fields read by aggregations besides the facets (versions(), item_counts()).
FAST_KEYWORDS = frozenset({"meeting_id", "meeting_sha256"})
LOWERCASE = frozenset(documents.ID_FIELDS)          # looked up lower-case (query_terms.ID)
_POS_BITS = 20                                      # an item's position in the sort keys
UNDATED_LAST = 10**9


def _fast(f: IndexField) -> bool:
    return f.facet or f.name in FAST_KEYWORDS


def _indexed(f: IndexField) -> bool:
    return f.kind is not Kind.STORED or f.name in FAST_KEYWORDS


def make_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for f in INDEX_FIELDS:
        if not _indexed(f):
            continue
        if f.kind is Kind.TEXT:
            sb.add_text_field(f.name, tokenizer_name="raw", index_option="position")
        elif f.kind in (Kind.KEYWORD, Kind.STORED):
            sb.add_text_field(f.name, tokenizer_name="raw", index_option="freq", fast=_fast(f))
        elif f.kind in (Kind.DATE, Kind.INTEGER):
            sb.add_integer_field(f.name, indexed=True, fast=True)
        elif f.kind is Kind.BOOLEAN:
            sb.add_boolean_field(f.name, indexed=True)
    sb.add_unsigned_field(NEWEST, fast=True)
    sb.add_unsigned_field(OLDEST, fast=True)
    sb.add_bytes_field(STORED, stored=True)
    return sb.build()


def signature(chain: str) -> str:
    """Names the index layout: the declaration, the chain and this module's version."""
    spec = [(f.name, f.kind.value, f.stored, f.analysis, f.facet, f.multi) for f in INDEX_FIELDS]
    raw = json.dumps({"version": SCHEMA_VERSION, "chain": chain, "fields": spec}, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def sort_keys(day: int, position: int) -> tuple[int, int]:
    """(_newest, _oldest) of an item: one unsigned key per order, position as the tie-break."""
    pos = min(max(position, 0), (1 << _POS_BITS) - 1)
    newest = (day << _POS_BITS) + ((1 << _POS_BITS) - 1 - pos)
    oldest = ((day or UNDATED_LAST) << _POS_BITS) + pos
    return newest, oldest


def keyword_values(f: IndexField, value: Any) -> list[str]:
    """A keyword field's terms: one per value (multi fields are joined by SEP), no empties."""
    if value is None or value == "":
        return []
    if isinstance(value, bool):
        return [documents.INTERNAL] if value else []
    values = str(value).split(SEP) if f.multi else [str(value)]
    if f.name in LOWERCASE:
        values = [v.strip().lower() for v in values]
    return [v for v in values if v]


class Tokens:
    """The analysis chain's (term, position) pairs for the text fields, as tantivy tokens."""

    def __init__(self, chain: str):
        self.chain = chain
        self.pairs: dict[str, Callable[[str], list[tuple[str, int]]]] = {
            "chain": qt.index_pairs(chain, qt.TEXT), "exact": qt.index_pairs(chain, qt.EXACT)}

    def pre_tokenized(self, f: IndexField, text: str) -> tantivy.PreTokenizedString:
        toks = [tantivy.Token(t, p, 0, 0) for t, p in self.pairs[f.analysis](text or "")]
        return tantivy.PreTokenizedString("", toks)

    def exact_terms(self, text: str) -> Iterable[str]:
        return (t for t, _ in self.pairs["exact"](text or ""))


def to_document(doc: dict[str, Any], tokens: Tokens) -> tantivy.Document:
    """One item's index document (index.documents) as a tantivy document."""
    out = tantivy.Document()
    for f in INDEX_FIELDS:
        value = doc.get(f.name)
        if not _indexed(f):
            continue
        if f.kind is Kind.TEXT:
            value = documents.indexed_text(doc, f.name, tokens.chain)
            if value:
                out.add_pre_tokenized_text(f.name, tokens.pre_tokenized(f, value))
        elif f.kind in (Kind.KEYWORD, Kind.STORED):
            for v in keyword_values(f, value):
                out.add_text(f.name, v)
        elif f.kind in (Kind.DATE, Kind.INTEGER):
            out.add_integer(f.name, int(value or 0))
        elif f.kind is Kind.BOOLEAN:
            out.add_boolean(f.name, bool(value))
    newest, oldest = sort_keys(int(doc.get("day") or 0), int(doc.get("position") or 0))
    out.add_unsigned(NEWEST, newest)
    out.add_unsigned(OLDEST, oldest)
    stored = {f.name: doc.get(f.name) for f in INDEX_FIELDS if f.stored}
    out.add_bytes(STORED, json.dumps(stored, ensure_ascii=False, separators=(",", ":")).encode())
    return out


def meeting_documents(meeting: Meeting, tokens: Tokens, words: set[str] | None = None
                      ) -> Iterable[tantivy.Document]:
    """The meeting's items as tantivy documents; ``words`` collects their exact-form words
    (the spelling suggestions' lexicon)."""
    for doc in documents.item_documents(meeting):
        if words is not None:
            words.update(tokens.exact_terms(doc["exact"]))
        yield to_document(doc, tokens)


def stored_fields(document: tantivy.Document) -> dict[str, Any]:
    raw = document.get_first(STORED)
    return json.loads(bytes(raw)) if raw else {}
