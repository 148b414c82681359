"""What every `arkiv` command shares: its Context (settings, store, engine), its one-line
failures, Danish usage lines, the settings' options, and JSON output."""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NoReturn, TypeVar

import click

from archive import settings
from archive.errors import ArkivError, disk_full
from archive.settings import Settings
from archive.store.api import ArchiveStore
from arkiv import backend

if TYPE_CHECKING:
    from index.engine_api import SearchEngine


class Context:
    """What a command works on: its settings (built once, from the options, the environment and
    the defaults) and the archive they name, opened on first use (arkiv.backend)."""

    def __init__(self, home: str | None, database: str | None):
        self._home = home
        self._given: dict[str, Any] = {"database": database}
        self._settings: Settings | None = None
        self._store: ArchiveStore | None = None
        self._engine: SearchEngine | None = None

    def give(self, **options: Any) -> None:
        """A command's own setting options (None: not given); before the settings are built."""
        assert self._settings is None, "settings are built once"
        self._given.update(options)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = or_fail(lambda: Settings.load(self._home, **self._given))
        return self._settings

    @property
    def home(self) -> Path:
        return self.settings.home

    @property
    def store(self) -> ArchiveStore:
        if self._store is None:
            self._store = or_fail(lambda: backend.open_store(self.settings))
        return self._store

    @property
    def engine(self) -> SearchEngine:
        if self._engine is None:
            self._engine = backend.open_engine(self.store, self.settings)
        return self._engine


pass_ctx = click.make_pass_decorator(Context)
T = TypeVar("T")


def or_fail(make: Callable[[], T]) -> T:
    """``make()``, or its ArkivError as the command's one-line message (exit 1)."""
    try:
        return make()
    except ArkivError as exc:
        fail(str(exc))


def fail(message: str) -> NoReturn:
    click.echo(f"arkiv: {message}", err=True)
    sys.exit(1)


class Command(click.Command):
    """A command whose usage line speaks Danish ("Brug: arkiv ingest [TILVALG] PATHS...")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TILVALG]")
        super().__init__(*args, **kwargs)


class Arkiv(click.Group):
    """`arkiv` and its groups: a full disk is a clear message, not a traceback; usage in Danish."""
    command_class = Command
    group_class = type                      # a group of arkiv's is one of these too

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TILVALG]")
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENTER]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            message = disk_full(exc)
            if message is None:
                raise
            fail(f"{message}. Det, der allerede var gemt, er intakt; frigør plads og kør kommandoen igen.")


def parsed_setting(click_ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """An option of archive.settings' table, checked as its environment variable would be."""
    if value is None:
        return None
    try:
        return settings.parse(settings.SETTINGS[str(param.name).replace("_", "-")], str(value))
    except ArkivError as exc:
        raise click.BadParameter(str(exc)) from None


def setting_options(command: str) -> Callable:
    """The options of ``command`` from archive.settings' table; the values given go into the
    command's Settings (Context.give), which everything it starts is handed."""
    names = [s for s in settings.SETTINGS.values() if command in s.commands]

    def decorate(f: Callable) -> Callable:
        @functools.wraps(f)
        def run(*args: Any, **kwargs: Any) -> Any:
            given = {s.field: kwargs.pop(s.field) for s in names}
            context = click.get_current_context().find_object(Context)
            assert context is not None
            context.give(**given)
            return f(*args, **kwargs)

        for setting in reversed(names):
            run = click.option(f"--{setting.name}", setting.field, type=setting.kind, default=None,
                               callback=parsed_setting, help=f"{setting.help} [{setting.env}]")(run)
        return run
    return decorate



def emit_json(data: Any) -> None:
    """``--json``: one document on stdout, field names fixed, æøå as they are."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
