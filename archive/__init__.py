"""arkiv's archive package: minutes files in, meetings and agenda items out."""


def version() -> str:
    """The installed distribution's version (``arkiv-referater``; the command is ``arkiv``)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("arkiv-referater")
    except PackageNotFoundError:
        return "0+unknown"
