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
