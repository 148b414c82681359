"""Stable, readable ids for meetings and items.

Ids are derived from what identifies a meeting in the real world (its date,
body and number), never from the file's bytes or the order of ingest, so that
re-ingesting a corrected file keeps every permalink and citation working.
"""
from __future__ import annotations

import re
import unicodedata

from archive.model import Meeting

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})
_BODY_SLUG_MAX = 48


def slugify(text: str, max_len: int = 0) -> str:
    text = text.translate(_DANISH)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if max_len and len(slug) > max_len:
        # Cut at a word boundary so the slug stays readable.
        cut = slug[:max_len]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


def meeting_id(meeting: Meeting) -> str:
    parts = []
    if meeting.date:
        parts.append(meeting.date.isoformat())
    body = slugify(meeting.body, _BODY_SLUG_MAX)
    if body:
        parts.append(body)
    if meeting.number:
        parts.append(slugify(meeting.number))
    if not meeting.date or not body:
        # Not enough real-world identity: fall back on the file name.
        stem = re.sub(r"\.[A-Za-z0-9]+$", "", meeting.source_file.rsplit("/", 1)[-1])
        parts.append(slugify(stem, 40) or "moede")
    return "-".join(p for p in parts if p)


def alternative_id(base: str, source_file: str, attempt: int) -> str:
    """Another stable id for a different meeting whose own id is taken: the file name tells them apart."""
    stem = slugify(re.sub(r"\.[A-Za-z0-9]+$", "", source_file.rsplit("/", 1)[-1]), 40) or "moede"
    return f"{base}-{stem}" if attempt == 1 else f"{base}-{stem}-{attempt}"


def assign_ids(meeting: Meeting, fixed_id: str = "") -> Meeting:
    """Give the meeting (its own id, or ``fixed_id``) and each item a stable id (in place)."""
    meeting.id = fixed_id or meeting_id(meeting)
    seen: set[str] = set()
    for position, item in enumerate(meeting.items, start=1):
        item.position = position
        local = slugify(item.number) or f"p{position}"
        if local in seen:
            local = f"{local}-p{position}"
        seen.add(local)
        item.id = f"{meeting.id}--{local}"
    return meeting
