"""Errors that name what went wrong with which input, for one clear line per file."""


class ArkivError(Exception):
    """Base class: the message is meant for the person running arkiv."""


class ExtractError(ArkivError):
    """Text could not be taken out of a file (empty, binary junk, no text layer, truncated)."""


class ParseError(ArkivError):
    """Text was extracted but is not minutes arkiv can make sense of."""


class ArchiveBusyError(ArkivError):
    """Another process holds the archive's write lock."""


class NotMinutesError(ParseError):
    """A document that is no meeting's minutes (a README, a licence, a text without any sign of a meeting)."""


def disk_full(exc: BaseException) -> str | None:
    """"disken er fuld ..." (Danish) when ``exc`` says the disk or the user's quota is
    full, else None.  SQLite reports it as its own error, not as an OSError; PostgreSQL's
    server as SQLSTATE 53100 (disk_full)."""
    import errno
    import sqlite3

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        where = f" ved skrivning til {exc.filename}" if exc.filename else ""
    elif isinstance(exc, sqlite3.OperationalError) and (
            getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)):
        where = " ved skrivning til arkivets database"
    elif getattr(exc, "sqlstate", None) == "53100":
        where = " på databaseserveren"
    else:
        return None
    return f"disken er fuld{where}"
