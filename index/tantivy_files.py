"""Is a tantivy index directory whole?  (`arkiv check`: issue 23, "an index that heals".)

tantivy ends every file of a segment with a footer: a JSON object with the CRC32 of the
file's body, the footer's length (u32, little-endian) and a magic number (u32).  An index
whose ``meta.json`` cannot be read, or whose files are missing, truncated or zeroed, cannot
even be opened (:class:`index.engine_tantivy.TantivyEngine` then starts that side again
empty); a flipped byte inside a segment file opens fine and is found only by its CRC, which
:func:`damaged_files` reads as tantivy's own ``Index::validate_checksum`` does.
"""
from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

FOOTER_MAGIC = 1337            # tantivy's footer magic number (0x539)
TAIL = struct.Struct("<II")    # footer length, magic


def _footer_crc(data: bytes) -> int | None:
    """The CRC a file's footer records for its body, or None where there is no readable footer."""
    if len(data) < TAIL.size:
        return None
    length, magic = TAIL.unpack(data[-TAIL.size:])
    if magic != FOOTER_MAGIC or length > len(data) - TAIL.size:
        return None
    try:
        crc = json.loads(data[-TAIL.size - length:-TAIL.size])["crc"]
    except (ValueError, KeyError, TypeError):
        return None
    return crc if isinstance(crc, int) else None


def _whole(path: Path) -> bool:
    data = path.read_bytes()
    crc = _footer_crc(data)
    if crc is None:
        return False
    length = TAIL.unpack(data[-TAIL.size:])[0]
    return zlib.crc32(data[:-TAIL.size - length]) == crc


def damaged_files(directory: Path) -> list[str]:
    """The names of the files of ``directory``'s live segments whose footer or CRC is wrong
    (or ``meta.json`` where the segment list cannot be read); [] where the index is whole."""
    try:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        segments = [s["segment_id"].replace("-", "") for s in meta["segments"]]
    except FileNotFoundError:
        return []               # no index yet: tantivy starts one
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return ["meta.json"]
    bad = []
    for segment in segments:
        files = sorted(directory.glob(f"{segment}.*"))
        if not files:
            bad.append(f"{segment}.*")
        for path in files:
            try:
                if not _whole(path):
                    bad.append(path.name)
            except OSError:
                bad.append(path.name)
    return bad
