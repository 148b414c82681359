"""`arkiv`: the command line.  A thin caller of archive.ingest, archive.store and index.search.

What every command shares is in arkiv.cli_base; `arkiv user …` in arkiv.cli_users."""
from __future__ import annotations

import functools
import json
import sys
from typing import Any, Callable

import click

from archive import settings, version
from archive.errors import ArkivError
from archive.ingest_results import Status
from archive.plurals import plural
from archive.text_plain import strip_marks
from arkiv import cli_edit, cli_messages
from arkiv.cli_base import Arkiv, Context, emit_json, fail, or_fail, parsed_setting, pass_ctx, setting_options
from arkiv.cli_users import user
from index.fields import SEARCH_FIELDS, Match, ParameterError

cli_messages.install()      # Click's usage lines, headings and errors in Danish

__all__ = ["Context", "main"]



@click.group(cls=Arkiv, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version(), "--version", "-V", prog_name="arkiv", message="%(prog)s %(version)s",
                      help="Vis versionen og afslut.")
@click.option("--home", type=click.Path(file_okay=False), envvar="ARKIV_HOME",
              help="Hvor arkivet gemmes (standard: $ARKIV_HOME, ellers ~/.local/share/arkiv).")
@click.option("--database", metavar="URL", callback=parsed_setting, is_eager=True,
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
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON (faste feltnavne).")
@setting_options("ingest")
@pass_ctx
def ingest(ctx: Context, paths: tuple[str, ...], wait: float, progress: bool | None, body: str,
           explain: bool, as_json: bool) -> None:
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
        if as_json:         # the results are in the document
            return
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
        fail(str(exc))
    if as_json:
        emit_json(report.to_json())
        sys.exit(1 if report.failed else 0)
    if report.repaired:
        click.echo(f"Søgeindekset var bagud for {plural(report.repaired, 'møde', 'møder')} og er bragt i orden.")
    click.echo(report.summary())
    if report.failed:
        sys.exit(1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "csv-da", "ocd"]), default="jsonl",
              show_default=True,
              help="jsonl; csv (komma, engelske kolonnenavne); csv-da (semikolon og danske kolonnenavne, til "
                   "regneark); ocd (Open Civic Data: ét Event pr. møde med dagsordenen, som JSON).")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="Fil (standard: standard-output).")
@setting_options("export")
@pass_ctx
def export(ctx: Context, fmt: str, output) -> None:
    """Skriv alle dagsordenspunkter med deres møde som JSON-linjer, CSV eller Open Civic Data."""
    from archive.export import records, write_csv, write_jsonl

    pairs = ((item, meeting) for meeting in ctx.store.iter_meetings() for item in meeting.items)
    if fmt == "ocd":
        _export_ocd(ctx, output)
        return
    if fmt == "jsonl":
        write_jsonl(records(pairs), output)
        return
    if fmt == "csv-da":
        output.write("\ufeff")        # a BOM: a Danish spreadsheet then reads the UTF-8 (æøå) as such
    write_csv(records(pairs), output, dialect="da" if fmt == "csv-da" else "en")


def _export_ocd(ctx: Context, output) -> None:
    """Every meeting as an Open Civic Data Event (archive.ocd), in one JSON document; the links under
    --public-url (ARKIV_PUBLIC_URL), else from the site's root ("/moede/…")."""
    from archive import ocd

    base = (ctx.settings.public_url or "").rstrip("/")
    store = ctx.store

    def links(meeting) -> ocd.EventLinks:
        originals = [
            ocd.Original(o.name, f"{base}/moede/{meeting.id}/original" if k == 0
                         else f"{base}/moede/{meeting.id}/original/{o.sha256}", o.ext)
            for k, o in enumerate(store.meeting_originals(meeting.id)) if store.has_original(o.sha256, o.ext)
        ]
        return ocd.EventLinks(f"{base}/moede/{meeting.id}", lambda item_id: f"{base}/punkt/{item_id}", originals)

    meetings = list(store.iter_meetings())
    events = [ocd.event(meeting, None, links(meeting)) for meeting in meetings]
    body = {"format": "ocd-event", "count": sum(len(m.items) for m in meetings), "event_count": len(events),
            "events": events}
    output.write(json.dumps(body, ensure_ascii=False, indent=1) + "\n")


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
@setting_options("search")
@pass_ctx
def search(ctx: Context, query: str, sort: str, limit: int, page: int, as_json: bool, explain: bool,
           **filters: Any) -> None:
    """Søg i dagsordenspunkterne (ord, "fraser", OR, -ord, præfiks*, sag:SAGSNUMMER)."""
    from index.query import parse_words
    from index.query_expand import explain as explain_query
    from index.search import merged_bodies, parse_request
    from index.search import search as run_search
    from web.format import danish_date

    params: dict[str, object] = {"q": query, "sort": sort, "page": str(page), "per_page": str(limit)}
    for field in SEARCH_FIELDS:
        if field.option:
            params[field.url_param] = filters[field.name]
    try:
        request = merged_bodies(parse_request(params), ctx.store.merged_into)
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
@click.option("--progress/--no-progress", default=None, help="Vis en fremdriftslinje (standard: når stderr er en terminal).")
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON (faste feltnavne).")
@setting_options("reindex")
@pass_ctx
def reindex(ctx: Context, progress: bool | None, as_json: bool) -> None:
    """Læs alle gemte originaler igen og genopbyg søgeindekset."""
    from archive.ingest import reindex as run_reindex

    try:
        report = run_reindex(ctx.store, ctx.engine, settings=ctx.settings, progress=progress)
    except ArkivError as exc:
        fail(str(exc))
    if as_json:
        emit_json({**report.to_json(), **ctx.store.counts()})
        sys.exit(1 if report.failed else 0)
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
@click.option("--progress/--no-progress", default=None, help="Vis en fremdriftslinje (standard: når stderr er en terminal).")
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON (faste feltnavne).")
@pass_ctx
def check(ctx: Context, repair: bool, wait: float, progress: bool | None, as_json: bool) -> None:
    """Kontrollér, at søgeindekset, arkivet og de gemte originaler stemmer overens."""
    from archive.check import ADVICE
    from archive.check import check as run_check
    from archive.check import repair as run_repair

    problems = run_check(ctx.store, ctx.engine, progress)
    done: list[str] = []
    if problems and repair:
        try:
            done = run_repair(ctx.store, ctx.engine, problems, lock_wait=wait)
        except ArkivError as exc:
            fail(str(exc))
        for line in done if not as_json else ():
            click.echo(f"Rettet: {line}.")
        problems = run_check(ctx.store, ctx.engine, progress)
    counts = ctx.store.counts()
    if as_json:
        emit_json({"ok": not problems, **counts, "repaired": done,
                   "problems": [{"kind": p.kind, "message": p.message, "meeting_id": p.meeting_id or None,
                                 "source": p.source or None, "repairable": p.repairable} for p in problems]})
        sys.exit(1 if problems else 0)
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
@setting_options("serve")
@pass_ctx
def serve(ctx: Context, host: str, port: int, public: bool) -> None:
    """Servér søgesiden og JSON-API'et med en produktionsserver (gunicorn)."""
    from arkiv import alert_schedule
    from web.serve import serve as run_server

    given = ctx.settings
    workers, threads = given.workers, given.threads
    if given.alerts_interval and (gaps := alert_schedule.missing(given)):
        fail(f"--alerts-interval kræver også {', '.join(gaps)} (eller tilvalgene --smtp-url, --mail-from, --public-url)")
    access = "offentligt: alle kan læse" if public else "kun for brugere, der er logget ind"
    alerts_line = (f"; e-mailadviseringer hvert {plural(given.alerts_interval, 'sekund', 'sekunder')}"
                   if given.alerts_interval else "")
    click.echo(f"arkiv kører på http://{host}:{port}/  ({access}; arkiv: {ctx.store.location}; "
               f"{plural(workers, 'arbejdsproces', 'arbejdsprocesser')} à {plural(threads, 'tråd', 'tråde')}"
               f"{alerts_line})")
    schedule = functools.partial(alert_schedule.start, given) if given.alerts_interval else None
    run_server(given, {"PUBLIC": public}, host, port, on_worker=schedule)


@main.group()
def alerts() -> None:
    """E-mailadviseringer om det, brugerne følger (søgninger, organer, sager, personer)."""


@alerts.command("send")
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON (faste feltnavne).")
@setting_options("alerts")
@pass_ctx
def alerts_send(ctx: Context, as_json: bool) -> None:
    """Send hver følger det, der er kommet til arkivet siden sidste e-mail (til cron eller en systemd-timer)."""
    from arkiv.alerts import send_due

    given = ctx.settings
    missing = [name for name, value in (("--smtp-url", given.smtp_url), ("--mail-from", given.mail_from),
                                        ("--public-url", given.public_url)) if not value]
    if missing:
        fail(f"alerts send kræver {', '.join(missing)} (eller ARKIV_SMTP_URL, ARKIV_MAIL_FROM, ARKIV_PUBLIC_URL)")
    assert given.smtp_url and given.mail_from and given.public_url
    report = or_fail(lambda: send_due(ctx.store, ctx.engine, given.smtp_url or "", given.mail_from or "",
                                       given.public_url or ""))
    if as_json:
        emit_json({"sent": report.sent, "items": report.items, "skipped": report.skipped})
        return
    click.echo(f"Sendt: {plural(report.sent, 'e-mail', 'e-mails')} med {plural(report.items, 'punkt', 'punkter')}"
               + (f"; {plural(report.skipped, 'følger', 'følgere')} uden bruger sprunget over" if report.skipped else "")
               + ".")



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


main.add_command(user)
main.add_command(cli_edit.correct)
main.add_command(cli_edit.bodies)

if __name__ == "__main__":
    main()
