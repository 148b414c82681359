"""`arkiv`: the command line.  A thin caller of archive.ingest, archive.store and index.search."""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NoReturn, TypeVar

import click

from archive import settings, version
from archive.errors import ArkivError, disk_full
from archive.ingest_results import Status
from archive.plurals import plural
from archive.settings import Settings
from archive.store.api import ArchiveStore
from archive.text_plain import strip_marks
from arkiv import backend, cli_messages
from index.fields import SEARCH_FIELDS, Match, ParameterError

if TYPE_CHECKING:
    from index.engine_api import SearchEngine

cli_messages.install()      # Click's usage lines, headings and errors in Danish


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
            self._settings = _or_fail(lambda: Settings.load(self._home, **self._given))
        return self._settings

    @property
    def home(self) -> Path:
        return self.settings.home

    @property
    def store(self) -> ArchiveStore:
        if self._store is None:
            self._store = _or_fail(lambda: backend.open_store(self.settings))
        return self._store

    @property
    def engine(self) -> SearchEngine:
        if self._engine is None:
            self._engine = backend.open_engine(self.store, self.settings)
        return self._engine


pass_ctx = click.make_pass_decorator(Context)
T = TypeVar("T")


def _or_fail(make: Callable[[], T]) -> T:
    """``make()``, or its ArkivError as the command's one-line message (exit 1)."""
    try:
        return make()
    except ArkivError as exc:
        _fail(str(exc))


def _fail(message: str) -> NoReturn:
    click.echo(f"arkiv: {message}", err=True)
    sys.exit(1)


class _Command(click.Command):
    """A command whose usage line speaks Danish ("Brug: arkiv ingest [TILVALG] PATHS...")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TILVALG]")
        super().__init__(*args, **kwargs)


class _Arkiv(click.Group):
    """`arkiv` and its groups: a full disk is a clear message, not a traceback; usage in Danish."""
    command_class = _Command
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
            _fail(f"{message}. Det, der allerede var gemt, er intakt; frigør plads og kør kommandoen igen.")


def _parsed_setting(click_ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """An option of archive.settings' table, checked as its environment variable would be."""
    if value is None:
        return None
    try:
        return settings.parse(settings.SETTINGS[str(param.name).replace("_", "-")], str(value))
    except ArkivError as exc:
        raise click.BadParameter(str(exc)) from None


def _settings(command: str) -> Callable:
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
                               callback=_parsed_setting, help=f"{setting.help} [{setting.env}]")(run)
        return run
    return decorate


@click.group(cls=_Arkiv, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version(), "--version", "-V", prog_name="arkiv", message="%(prog)s %(version)s",
                      help="Vis versionen og afslut.")
@click.option("--home", type=click.Path(file_okay=False), envvar="ARKIV_HOME",
              help="Hvor arkivet gemmes (standard: $ARKIV_HOME, ellers ~/.local/share/arkiv).")
@click.option("--database", metavar="URL", callback=_parsed_setting, is_eager=True,
              help=f"{settings.SETTINGS['database'].help} [{settings.SETTINGS['database'].env}]")
@click.pass_context
def main(click_ctx: click.Context, home: str | None, database: str | None) -> None:
    """arkiv: et søgbart arkiv af danske mødereferater."""
    click_ctx.obj = Context(home, database)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--wait", default=0.0, show_default=True, help="Sekunder at vente, hvis en anden indlæsning kører.")
@click.option("--progress/--no-progress", default=None, help="Vis en fremdriftslinje (standard: ved mange filer).")
@click.option("--body", default="", help="Mødeorganet for alle filerne; går forud for en mappes arkiv.toml.")
@click.option("--explain", is_flag=True,
              help="Vis hvordan hver fil læses (blokke, valgte overskrifter og hvorfor, hvor teksten endte); "
                   "gemmer intet.")
@_settings("ingest")
@pass_ctx
def ingest(ctx: Context, paths: tuple[str, ...], wait: float, progress: bool | None, body: str,
           explain: bool) -> None:
    """Indlæs referater: filer og mapper (.pdf .txt .md .html .docx)."""
    from archive.ingest import discover, hints_for, metadata_roots
    from archive.ingest import ingest as run_ingest

    if explain:
        from archive.explain import explain as explain_file

        files, problems = discover(paths)
        for problem in problems:
            click.echo(f"{'FEJL' if problem.status is Status.FAILED else 'sprunget over'}: {problem.message}", err=True)
        for file in files:
            try:
                click.echo(explain_file(file, hints_for(file, metadata_roots(paths), body)))
            except ArkivError as exc:
                click.echo(f"FEJL: {exc}", err=True)
            click.echo("")
        return

    def report_line(result) -> None:
        if result.status is Status.FAILED:
            click.echo(f"FEJL: {result.message}", err=True)
        elif result.status is Status.SKIPPED:
            click.echo(f"sprunget over: {result.message}", err=True)
        elif result.message:
            click.echo(f"advarsel: {result.message}", err=True)

    try:
        report = run_ingest(paths, ctx.store, ctx.engine, progress=progress, on_result=report_line,
                            lock_wait=wait, body=body, settings=ctx.settings)
    except ArkivError as exc:
        _fail(str(exc))
    if report.repaired:
        click.echo(f"Søgeindekset var bagud for {plural(report.repaired, 'møde', 'møder')} og er bragt i orden.")
    click.echo(report.summary())
    if report.failed:
        sys.exit(1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "csv-da"]), default="jsonl", show_default=True,
              help="jsonl; csv (komma, engelske kolonnenavne); csv-da (semikolon og danske kolonnenavne, til regneark).")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="Fil (standard: standard-output).")
@pass_ctx
def export(ctx: Context, fmt: str, output) -> None:
    """Skriv alle dagsordenspunkter med deres møde som JSON-linjer eller CSV."""
    from archive.export import records, write_csv, write_jsonl

    pairs = ((item, meeting) for meeting in ctx.store.iter_meetings() for item in meeting.items)
    if fmt == "jsonl":
        write_jsonl(records(pairs), output)
        return
    if fmt == "csv-da":
        output.write("\ufeff")        # a BOM: a Danish spreadsheet then reads the UTF-8 (æøå) as such
    write_csv(records(pairs), output, dialect="da" if fmt == "csv-da" else "en")


def _search_field_options(f: Callable) -> Callable:
    """`arkiv search`'s filter options, one per search field that has one (index.fields)."""
    for field in reversed(SEARCH_FIELDS):
        if field.option:
            many = field.match is Match.ANY
            f = click.option(f"--{field.option}", field.name, multiple=many, default=() if many else None,
                             help=field.help)(f)
    return f


@main.command()
@click.argument("query", default="")
@_search_field_options
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance", show_default=True)
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--page", default=1, show_default=True, type=click.IntRange(1))
@click.option("--json", "as_json", is_flag=True, help="Skriv JSON (faste feltnavne).")
@click.option("--explain", is_flag=True, help="Skriv først, hvad søgningen gør af hvert ord (ordforråd, sammensatte ord).")
@_settings("search")
@pass_ctx
def search(ctx: Context, query: str, sort: str, limit: int, page: int, as_json: bool, explain: bool,
           **filters: Any) -> None:
    """Søg i dagsordenspunkterne (ord, "fraser", OR, -ord, præfiks*, sag:SAGSNUMMER)."""
    from index.query import parse_words
    from index.query_expand import explain as explain_query
    from index.search import parse_request
    from index.search import search as run_search
    from web.format import danish_date

    params: dict[str, object] = {"q": query, "sort": sort, "page": str(page), "per_page": str(limit)}
    for field in SEARCH_FIELDS:
        if field.option:
            params[field.url_param] = filters[field.name]
    try:
        request = parse_request(params)
    except ParameterError as exc:   # a bad option value is a usage error (exit 2), named as typed
        option = next((f.option for f in SEARCH_FIELDS if f.url_param == exc.param and f.option), exc.param)
        raise click.UsageError(f"--{option}: {exc.message}") from None
    request.private = True      # the archive's owner: closed items' text and internal meetings too
    if explain:
        lines = explain_query(parse_words(request.q), getattr(ctx.engine, "chain", "danish"), ctx.engine.doc_frequency)
        click.echo("\n".join(lines) + "\n", err=as_json)      # beside JSON: on stderr, the JSON stays whole
    response = run_search(ctx.engine, request)
    if as_json:
        click.echo(json.dumps(response.to_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{plural(response.total, 'resultat', 'resultater')} for «{response.query}»")
    if response.suggestion:
        count = f" ({response.suggestion_total})" if response.suggestion_total is not None else ""
        click.echo(f"Søgte du efter {response.suggestion}{count}?")
        if response.typed_query:
            click.echo(f"Resultaterne omfatter også den stavemåde; kun «{response.query}»: "
                       f"{plural(response.typed_total or 0, 'resultat', 'resultater')} ({response.typed_query}).")
    for hit in response.results:
        presenters = ", ".join(hit.presenters)
        outcomes = ", ".join(hit.outcomes)
        click.echo(f"\n{danish_date(hit.date)}  {hit.meeting.get('body', '')}  pkt. {hit.number}")
        click.echo(f"  {hit.title}" if hit.where == "item" else f"  Mødets tekst (ved pkt. {hit.number}: {hit.title})")
        if presenters:
            click.echo(f"  v/ {presenters}")
        if outcomes:
            click.echo(f"  [{outcomes}]")
        if hit.snippet:
            click.echo(f"  {strip_marks(hit.snippet)}")
        click.echo(f"  id: {hit.id}")


@main.command()
@_settings("reindex")
@pass_ctx
def reindex(ctx: Context) -> None:
    """Læs alle gemte originaler igen og genopbyg søgeindekset."""
    from archive.ingest import reindex as run_reindex

    try:
        report = run_reindex(ctx.store, ctx.engine, settings=ctx.settings)
    except ArkivError as exc:
        _fail(str(exc))
    for result in report.failed:
        click.echo(f"FEJL: {result.message}", err=True)
    counts = ctx.store.counts()
    files = plural(len(report.results) - len(report.failed), "fil", "filer")
    click.echo(f"Genopbygget: {files}, {plural(counts['meetings'], 'møde', 'møder')}, "
               f"{plural(counts['items'], 'dagsordenspunkt', 'dagsordenspunkter')}.")
    if report.failed:
        sys.exit(1)


@main.command()
@click.option("--repair", is_flag=True, help="Ret det, der kan rettes: indeksér fra arkivet, gendan originaler.")
@click.option("--wait", default=0.0, show_default=True, help="Sekunder at vente, hvis en indlæsning kører.")
@pass_ctx
def check(ctx: Context, repair: bool, wait: float) -> None:
    """Kontrollér, at søgeindekset, arkivet og de gemte originaler stemmer overens."""
    from archive.check import ADVICE
    from archive.check import check as run_check
    from archive.check import repair as run_repair

    problems = run_check(ctx.store, ctx.engine)
    if problems and repair:
        try:
            done = run_repair(ctx.store, ctx.engine, problems, lock_wait=wait)
        except ArkivError as exc:
            _fail(str(exc))
        for line in done:
            click.echo(f"Rettet: {line}.")
        problems = run_check(ctx.store, ctx.engine)
    counts = ctx.store.counts()
    if not problems:
        click.echo(f"OK: {plural(counts['meetings'], 'møde', 'møder')}, "
                   f"{plural(counts['items'], 'dagsordenspunkt', 'dagsordenspunkter')}; "
                   "søgeindeks og originaler stemmer.")
        return
    for problem in problems:
        click.echo(f"PROBLEM: {problem.message}", err=True)
    if not repair and any(p.repairable for p in problems):
        click.echo(ADVICE, err=True)
    sys.exit(1)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--public", is_flag=True,
              help="Anonyme besøgende kan læse (men ikke lukkede punkters tekst eller interne møder); "
                   "uden den kræver hver side en bruger, der er logget ind.")
@_settings("serve")
@pass_ctx
def serve(ctx: Context, host: str, port: int, public: bool) -> None:
    """Servér søgesiden og JSON-API'et med en produktionsserver (gunicorn)."""
    from web.serve import serve as run_server

    workers, threads = ctx.settings.workers, ctx.settings.threads
    access = "offentligt: alle kan læse" if public else "kun for brugere, der er logget ind"
    click.echo(f"arkiv kører på http://{host}:{port}/  ({access}; arkiv: {ctx.store.location}; "
               f"{plural(workers, 'arbejdsproces', 'arbejdsprocesser')} à {plural(threads, 'tråd', 'tråde')})")
    run_server(ctx.settings, {"PUBLIC": public}, host, port)


@main.group()
def alerts() -> None:
    """E-mailadviseringer om det, brugerne følger (søgninger, organer, sager, personer)."""


@alerts.command("send")
@_settings("alerts")
@pass_ctx
def alerts_send(ctx: Context) -> None:
    """Send hver følger det, der er kommet til arkivet siden sidste e-mail (til cron eller en systemd-timer)."""
    from arkiv.alerts import send_due

    given = ctx.settings
    missing = [name for name, value in (("--smtp-url", given.smtp_url), ("--mail-from", given.mail_from),
                                        ("--public-url", given.public_url)) if not value]
    if missing:
        _fail(f"alerts send kræver {', '.join(missing)} (eller ARKIV_SMTP_URL, ARKIV_MAIL_FROM, ARKIV_PUBLIC_URL)")
    assert given.smtp_url and given.mail_from and given.public_url
    report = _or_fail(lambda: send_due(ctx.store, ctx.engine, given.smtp_url or "", given.mail_from or "",
                                       given.public_url or ""))
    click.echo(f"Sendt: {plural(report.sent, 'e-mail', 'e-mails')} med {plural(report.items, 'punkt', 'punkter')}"
               + (f"; {plural(report.skipped, 'følger', 'følgere')} uden bruger sprunget over" if report.skipped else "")
               + ".")


@main.group()
def user() -> None:
    """Brugere af websiden: redaktører lægger op og retter, læsere læser (også lukkede punkter)."""


def _password(given_on_stdin: bool) -> str:
    if given_on_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    while True:     # click's own confirmation_prompt answers a mismatch in English
        first = click.prompt("Adgangskode", hide_input=True)
        if first == click.prompt("Gentag adgangskoden", hide_input=True):
            return first
        click.echo("De to adgangskoder er ikke ens. Prøv igen.", err=True)


_password_stdin = click.option("--password-stdin", is_flag=True,
                               help="Læs adgangskoden fra én linje på standard-input (til scripts).")


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["editor", "reader"]), required=True,
              help="editor: lægge op, rette, markere interne; reader: læse alt.")
@_password_stdin
@pass_ctx
def user_add(ctx: Context, name: str, role: str, password_stdin: bool) -> None:
    """Opret en bruger (adgangskoden spørges om to gange)."""
    from archive.accounts import Accounts, check_name
    from archive.visibility import ROLE_LABELS

    accounts = Accounts(ctx.store.db)
    try:
        check_name(name)
        if accounts.get(name):
            _fail(f"brugeren {name!r} findes allerede (skift adgangskode med `arkiv user passwd {name}`)")
        accounts.add(name, role, _password(password_stdin))
    except ArkivError as exc:
        _fail(str(exc))
    click.echo(f"Brugeren {name} er oprettet som {ROLE_LABELS[role]}.")


@user.command("list")
@pass_ctx
def user_list(ctx: Context) -> None:
    """Vis brugerne."""
    from archive.accounts import Accounts
    from archive.visibility import ROLE_LABELS

    users = Accounts(ctx.store.db).users()
    if not users:
        click.echo("Ingen brugere endnu. Opret en med `arkiv user add NAVN --role editor`.")
    for u in users:
        click.echo(f"{u.name}\t{ROLE_LABELS.get(u.role, u.role)}\toprettet {u.created_at:%Y-%m-%d}"
                   f"\tadgangskode sat {u.changed_at:%Y-%m-%d}")


@user.command("remove")
@click.argument("name")
@pass_ctx
def user_remove(ctx: Context, name: str) -> None:
    """Slet en bruger (brugerens åbne sessioner slutter med det samme)."""
    from archive.accounts import Accounts

    try:
        Accounts(ctx.store.db).remove(name)
    except ArkivError as exc:
        _fail(str(exc))
    click.echo(f"Brugeren {name} er slettet.")


@user.command("passwd")
@click.argument("name")
@_password_stdin
@pass_ctx
def user_passwd(ctx: Context, name: str, password_stdin: bool) -> None:
    """Sæt en ny adgangskode (brugerens åbne sessioner slutter)."""
    from archive.accounts import Accounts

    accounts = Accounts(ctx.store.db)
    if not accounts.get(name):
        _fail(f"ingen bruger ved navn {name!r}")
    try:
        accounts.set_password(name, _password(password_stdin))
    except ArkivError as exc:
        _fail(str(exc))
    click.echo(f"Ny adgangskode sat for {name}.")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Skriv resultaterne som JSON.")
@click.option("--verbose", "-v", is_flag=True, help="Skriv hver forespørgsels tal.")
@click.option("--judgments", type=click.Path(exists=True, dir_okay=False),
              help="Bedømte forespørgsler (punkter ved id) over arkivet i hjemmet, i stedet for projektets.")
@pass_ctx
def evaluate(ctx: Context, as_json: bool, verbose: bool, judgments: str | None) -> None:
    """Skriv nDCG@10 og genfinding for den danske kæde og en Lucene-lignende grundlinje (kun Snowball)."""
    from index.evaluate import main as run_evaluate

    # The real minutes' judged set is scored over the archive in the home, where there is one.
    has_archive = ctx.settings.database is not None or (ctx.home / "arkiv.sqlite").is_file()
    meetings = list(ctx.store.iter_meetings()) if has_archive else None
    argv = (["--json"] if as_json else []) + (["--verbose"] if verbose else []) + \
        (["--judgments", judgments] if judgments else [])
    sys.exit(run_evaluate(argv, archive=meetings))


if __name__ == "__main__":
    main()
