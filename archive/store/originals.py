"""The original files of an archive in a folder, content-addressed: ``originals/ab/ab12…ef.pdf``.

Each is written to a temporary name, flushed to disk and renamed into place, so a crash
never leaves half a file under an original's name.  (PostgreSQL's store keeps the bytes
in the database instead: archive.store.postgres.)
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class OriginalFiles:
    """The originals under ``folder``, by sha256 and extension."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, sha256: str, ext: str) -> Path:
        return self.folder / sha256[:2] / f"{sha256}{ext.lower()}"

    def save(self, data: bytes, ext: str, replace: bool = False) -> str:
        """Keep a copy of a file's bytes under its sha256; returns the sha256.  A copy that is
        there already is kept, unless ``replace`` (a damaged one, see archive.check)."""
        digest = sha256_bytes(data)
        target = self.path(digest, ext)
        if replace or not target.exists():
            # The originals hold closed items' and internal meetings' full text: the owner's only.
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if self.folder.stat().st_mode & 0o077:
                os.chmod(self.folder, 0o700)
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            with open(tmp, "wb", opener=lambda path, flags: os.open(path, flags, 0o600)) as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        return digest

    def read(self, sha256: str, ext: str) -> bytes | None:
        """A stored original's bytes, None when it is missing."""
        try:
            return self.path(sha256, ext).read_bytes()
        except FileNotFoundError:
            return None

    def has(self, sha256: str, ext: str) -> bool:
        return self.path(sha256, ext).exists()
