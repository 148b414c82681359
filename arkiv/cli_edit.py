"""`arkiv correct` and `arkiv bodies`: an editor's corrections from the command line.

The same corrections as the web's edit pages (archive.store.corrections, archive.store.aliases):
stored apart from the parse, in the audit log, surviving `arkiv reindex` and a re-ingest, the
index updated at once.  The author is ``--author`` or the user running the command.  Registered
on `arkiv` by arkiv.cli (this module does not import it: no cycle).
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
from typing import Any

import click

from archive.errors import ArkivError
from archive.model import Meeting
from archive.plurals import plural
from archive.store.corrections import FIELD_LABELS, CorrectionError
from arkiv.cli_base import fail as _fail

_DANISH: dict[str, Any] = {"options_metavar": "[TILVALG]"}


def _author(given: str | None) -> str:
    return given or getpass.getuser()


def _write(ctx: Any, wait: float, change) -> list[Meeting]:
    """``change(store)`` as the archive's one writer; the meetings it returns are indexed again."""
    store, engine = ctx.store, ctx.engine
    try:
        with store.write_lock(wait=wait):
            changed = change(store)
            if changed:
                engine.update(changed)
    except CorrectionError as exc:
        _fail(exc.message)
    except ArkivError as exc:
        _fail(str(exc))
    return changed


_author_option = click.option("--author", help="Hvem rettelsen står på i rettelsesloggen (standard: din brugerkonto).")
_wait_option = click.option("--wait", default=0.0, show_default=True,
                            help="Sekunder at vente, hvis en indlæsning kører.")
_json_option = click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")


def _date(raw: str | None) -> dt.date | None:
    if not raw or not raw.strip():
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        _fail(f"{FIELD_LABELS['date']}: «{raw}» er ikke en gyldig dato (ÅÅÅÅ-MM-DD).")


@click.command(**_DANISH)
@click.argument("meeting_id")
@click.option("--title", help="Mødets titel (overskrift); \"\" fjerner den.")
@click.option("--body", help="Mødets organ.")
@click.option("--date", help="Mødets dato, ÅÅÅÅ-MM-DD; \"\" fjerner den.")
@click.option("--number", help="Mødenummeret.")
@_author_option
@_wait_option
@_json_option
@click.pass_obj
def correct(ctx: Any, meeting_id: str, title: str | None, body: str | None, date: str | None,
            number: str | None, author: str | None, wait: float, as_json: bool) -> None:
    """Ret et mødes titel, organ, dato eller nummer (i rettelsesloggen; holder ved `arkiv reindex`)."""
    from archive.store import corrections

    changes: dict[str, Any] = {field: value for field, value in
                               (("title", title), ("body", body), ("number", number)) if value is not None}
    if date is not None:
        changes["date"] = _date(date)
    if not changes:
        _fail("intet at rette: giv mindst én af --title, --body, --date, --number")
    done: list[str] = []

    def change(store: Any) -> list[Meeting]:
        meeting = store.get_meeting(meeting_id)
        if meeting is None:
            _fail(f"intet møde med id {meeting_id!r}")
        done.extend(corrections.save(store, meeting, meeting.id, changes, _author(author)))
        return [meeting] if done else []

    _write(ctx, wait, change)
    if as_json:
        click.echo(json.dumps({"meeting": meeting_id, "changed": done}, ensure_ascii=False))
    elif done:
        click.echo(f"Rettet: {', '.join(FIELD_LABELS[f].lower() for f in done)} for mødet {meeting_id}.")
    else:
        click.echo("Intet ændret: mødet havde allerede de værdier.")


@click.group(subcommand_metavar="KOMMANDO [ARGUMENTER]...", **_DANISH)
def bodies() -> None:
    """Organer: vis dem, slå to sammen (det gamle navn gemmes som stavemåde), fortryd."""


@bodies.command("list", **_DANISH)
@_json_option
@click.pass_obj
def bodies_list(ctx: Any, as_json: bool) -> None:
    """Vis organerne med antal møder og de navne, der er slået sammen med dem."""
    store = ctx.store
    merged: dict[str, list[str]] = {}
    for alias in store.body_aliases():
        merged.setdefault(alias.body, []).append(alias.alias)
    rows = [{"body": row.name, "meetings": row.meetings, "aliases": merged.get(row.name, [])}
            for row in store.body_rows(internal=True)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        also = f"  (også: {'; '.join(row['aliases'])})" if row["aliases"] else ""
        click.echo(f"{row['body']}\t{plural(row['meetings'], 'møde', 'møder')}{also}")


@bodies.command("merge", **_DANISH)
@click.argument("old")
@click.argument("into")
@_author_option
@_wait_option
@_json_option
@click.pass_obj
def bodies_merge(ctx: Any, old: str, into: str, author: str | None, wait: float, as_json: bool) -> None:
    """Slå organet OLD sammen med INTO: møderne flyttes, og OLD gemmes som en stavemåde af INTO."""
    moved = _write(ctx, wait, lambda store: store.merge_bodies(old, into, _author(author)))
    body = moved[0].body if moved else ctx.store.merged_into(old) or into
    if as_json:
        click.echo(json.dumps({"merged": old, "into": body, "meetings": [m.id for m in moved]}, ensure_ascii=False))
        return
    click.echo(f"{old} er slået sammen med {body}: {plural(len(moved), 'møde', 'møder')} flyttet.")


@bodies.command("unmerge", **_DANISH)
@click.argument("alias")
@_author_option
@_wait_option
@_json_option
@click.pass_obj
def bodies_unmerge(ctx: Any, alias: str, author: str | None, wait: float, as_json: bool) -> None:
    """Fortryd en sammenlægning: ALIAS bliver et organ for sig igen."""
    from archive.store.bodies import body_key

    remade = _write(ctx, wait, lambda store: store.unmerge_body(alias, _author(author)))
    back = [m.id for m in remade if body_key(m.body) == body_key(alias)]
    if as_json:
        click.echo(json.dumps({"unmerged": alias, "meetings": back}, ensure_ascii=False))
        return
    click.echo(f"Sammenlægningen af {alias} er fortrudt: {plural(len(back), 'møde', 'møder')} hører til {alias} igen.")
