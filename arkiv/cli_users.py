"""`arkiv user …`: the accounts of the web pages (editors upload and correct, readers read)."""
from __future__ import annotations

import sys

import click

from archive.errors import ArkivError
from arkiv.cli_base import Arkiv, Context, emit_json, fail, pass_ctx


@click.group(cls=Arkiv)
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
            fail(f"brugeren {name!r} findes allerede (skift adgangskode med `arkiv user passwd {name}`)")
        accounts.add(name, role, _password(password_stdin))
    except ArkivError as exc:
        fail(str(exc))
    click.echo(f"Brugeren {name} er oprettet som {ROLE_LABELS[role]}.")


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="Skriv brugerne som JSON (faste feltnavne).")
@pass_ctx
def user_list(ctx: Context, as_json: bool) -> None:
    """Vis brugerne."""
    from archive.accounts import Accounts
    from archive.visibility import ROLE_LABELS

    users = Accounts(ctx.store.db).users()
    if as_json:     # never a password hash
        emit_json([{"name": u.name, "role": u.role, "created_at": u.created_at.isoformat(),
                    "password_changed_at": u.changed_at.isoformat()} for u in users])
        return
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
        fail(str(exc))
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
        fail(f"ingen bruger ved navn {name!r}")
    try:
        accounts.set_password(name, _password(password_stdin))
    except ArkivError as exc:
        fail(str(exc))
    click.echo(f"Ny adgangskode sat for {name}.")

