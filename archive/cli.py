"""`arkiv`: the command line.  A thin caller of archive.ingest, archive.store and index.search."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .config import resolve_home
from .errors import ArkivError
from .store import Store
from .text_plain import strip_marks


class Context:
    def __init__(self, home: Path):
        self.home = home
        self._store: Store | None = None
        self._engine: Any = None        # index.engine.Engine, opened on first use

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.home)
        return self._store

    @property
    def engine(self):
        if self._engine is None:
            from index.engine import open_engine
            self._engine = open_engine(self.store.index_dir)
        return self._engine


pass_ctx = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(file_okay=False), envvar="ARKIV_HOME",
              help="Where the archive keeps its state (default: $ARKIV_HOME or ~/.local/share/arkiv).")
@click.pass_context
def main(click_ctx: click.Context, home: str | None) -> None:
    """arkiv: a searchable archive of Danish meeting minutes."""
    click_ctx.obj = Context(resolve_home(home))


def _fail(message: str) -> None:
    click.echo(f"arkiv: {message}", err=True)
    sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--wait", default=0.0, show_default=True, help="Seconds to wait if another ingest is running.")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: when many files).")
@pass_ctx
def ingest(ctx: Context, paths: tuple[str, ...], wait: float, progress: bool | None) -> None:
    """Ingest minutes files and folders (.pdf .txt .md .html .docx)."""
    from .ingest import ingest as run_ingest

    def report_line(result) -> None:
        if result.status == "failed":
            click.echo(f"FEJL: {result.message}", err=True)
        elif result.message:
            click.echo(f"advarsel: {result.message}", err=True)

    try:
        report = run_ingest(paths, ctx.store, ctx.engine, progress=progress, on_result=report_line, lock_wait=wait)
    except ArkivError as exc:
        _fail(str(exc))
    if report.repaired:
        click.echo(f"Indekset var bagud for {report.repaired} møder og er bragt i orden.")
    click.echo(report.summary())
    if report.failed:
        sys.exit(1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-", help="File (default: stdout).")
@pass_ctx
def export(ctx: Context, fmt: str, output) -> None:
    """Write every item with its meeting fields as JSON lines or CSV."""
    from .export import records, write_csv, write_jsonl

    pairs = ((item, meeting) for meeting in ctx.store.iter_meetings() for item in meeting.items)
    (write_csv if fmt == "csv" else write_jsonl)(records(pairs), output)


@main.command()
@click.argument("query", default="")
@click.option("--presenter", multiple=True, help="Only items this person presented (repeatable).")
@click.option("--outcome", multiple=True, help="Only items with this outcome slug (repeatable).")
@click.option("--body", multiple=True, help="Only items of this body (repeatable).")
@click.option("--from", "date_from", help="From date (YYYY-MM-DD).")
@click.option("--to", "date_to", help="To date (YYYY-MM-DD).")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance", show_default=True)
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--page", default=1, show_default=True, type=click.IntRange(1))
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable field names).")
@pass_ctx
def search(ctx: Context, query: str, presenter, outcome, body, date_from, date_to, sort, limit, page, as_json) -> None:
    """Search agenda items (words, "phrases", OR, -word, prefix*)."""
    from index.search import parse_request
    from index.search import search as run_search

    params: dict[str, object] = {"q": query, "presenter": list(presenter), "outcome": list(outcome),
                                 "body": list(body), "sort": sort, "page": str(page), "per_page": str(limit)}
    if date_from:
        params["from"] = date_from
    if date_to:
        params["to"] = date_to
    try:
        request = parse_request(params)
    except ArkivError as exc:
        _fail(str(exc))
    response = run_search(ctx.engine, request)
    if as_json:
        click.echo(json.dumps(response.to_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{response.total} resultater for «{response.query}»")
    if response.suggestion:
        click.echo(f"Mente du: {response.suggestion}?")
    for hit in response.results:
        presenters = ", ".join(hit.presenters)
        outcomes = ", ".join(hit.outcomes)
        click.echo(f"\n{hit.date or '?'}  {hit.meeting.get('body', '')}  pkt. {hit.number}")
        click.echo(f"  {hit.title}")
        if presenters:
            click.echo(f"  v/ {presenters}")
        if outcomes:
            click.echo(f"  [{outcomes}]")
        if hit.snippet:
            click.echo(f"  {strip_marks(hit.snippet)}")
        click.echo(f"  id: {hit.id}")


@main.command()
@pass_ctx
def reindex(ctx: Context) -> None:
    """Re-parse every stored original and rebuild the index."""
    from .ingest import reindex as run_reindex

    try:
        report = run_reindex(ctx.store, ctx.engine)
    except ArkivError as exc:
        _fail(str(exc))
    for result in report.failed:
        click.echo(f"FEJL: {result.message}", err=True)
    click.echo(f"Genopbygget: {len(report.results) - len(report.failed)} filer, {report.items} dagsordenspunkter.")
    if report.failed:
        sys.exit(1)


@main.command()
@pass_ctx
def check(ctx: Context) -> None:
    """Verify that the index and the stored originals agree."""
    from .ingest import check as run_check

    problems = run_check(ctx.store, ctx.engine)
    counts = ctx.store.counts()
    if not problems:
        click.echo(f"OK: {counts['meetings']} møder, {counts['items']} dagsordenspunkter; indeks og originaler stemmer.")
        return
    for problem in problems:
        click.echo(f"PROBLEM: {problem}", err=True)
    click.echo("Kør `arkiv ingest` igen for at indhente et afbrudt indlæs, eller `arkiv reindex` for at "
               "genopbygge indekset fra de gemte originaler.", err=True)
    sys.exit(1)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=0, type=click.IntRange(0),
              help="Worker processes (default: one per CPU core).")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1), help="Threads per worker.")
@pass_ctx
def serve(ctx: Context, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the search UI and JSON API with a production WSGI server (gunicorn)."""
    from web.serve import serve as run_server

    click.echo(f"arkiv kører på http://{host}:{port}/  (arkiv: {ctx.home})")
    run_server({"ARKIV_HOME": str(ctx.home)}, host, port, workers=workers or None, threads=threads)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the summaries as JSON.")
@click.option("--verbose", "-v", is_flag=True, help="Print every query's scores.")
def evaluate(as_json: bool, verbose: bool) -> None:
    """Print nDCG@10 and recall for the Danish chain and a Snowball-only chain."""
    from index.evaluate import main as run_evaluate

    sys.exit(run_evaluate((["--json"] if as_json else []) + (["--verbose"] if verbose else [])))


if __name__ == "__main__":
    main()
