"""`zwgk serve` (the review workspace on waitress) and `zwgk user add|passwd|disable|list`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from zwgk.cli_options import config_option, db_option, existing

#: waitress threads: each request is a few short queries; a handful serves a city's staff.
THREADS = 8


@click.command()
@db_option
@config_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option(
    "--secure-cookies/--no-secure-cookies",
    default=False,
    help="Always mark cookies Secure (set this when users reach the app over https).",
)
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="Trust one reverse proxy's X-Forwarded-For and X-Forwarded-Proto (client address for "
    "the login rate limit; https there makes cookies Secure).",
)
def serve(
    db_path: Path,
    config_path: Path | None,
    host: str,
    port: int,
    secure_cookies: bool,
    behind_proxy: bool,
) -> None:
    """Serve the review workspace (supervisors review findings, units answer tasks).

    Runs on waitress, a production WSGI server. Create users first with `zwgk user add`.
    """
    from waitress import serve as waitress_serve

    from zwgk.config import load_config
    from zwgk.web.app import create_app

    config = load_config(config_path).raw
    app = create_app(existing(db_path), config, secure_cookies, behind_proxy, config_path)
    click.echo(f"zwgk serve: http://{host}:{port}/ (store {db_path})", err=True)
    waitress_serve(app, host=host, port=port, threads=THREADS, ident="zwgk")


def _password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


password_stdin = click.option(
    "--password-stdin", is_flag=True, help="Read the password from one line of stdin (scripts)."
)


@click.group()
def user() -> None:
    """Accounts of the review workspace (`zwgk serve`)."""


def _db(db_path: Path):
    from zwgk.store import open_db

    return open_db(existing(db_path))


@user.command("add")
@db_option
@click.argument("username")
@click.option("--role", type=click.Choice(["supervisor", "unit"]), required=True)
@click.option("--unit", "unit_id", default=None, help="The unit's code (role unit only).")
@password_stdin
def add(db_path: Path, username: str, role: str, unit_id: str | None, password_stdin: bool):
    """Create a user: a supervisor (all units) or a unit user bound to one unit code."""
    from zwgk.web.accounts import add_user

    db = _db(db_path)
    add_user(db, username, role, unit_id, _password(password_stdin))
    click.echo(f"user {username} added ({role}{' ' + unit_id if unit_id else ''})")


@user.command("passwd")
@db_option
@click.argument("username")
@password_stdin
def passwd(db_path: Path, username: str, password_stdin: bool) -> None:
    """Set a new password (and re-enable the account); its sessions end."""
    from zwgk.web.accounts import set_password

    set_password(_db(db_path), username, _password(password_stdin))
    click.echo(f"password of {username} changed; its sessions ended")


@user.command("disable")
@db_option
@click.argument("username")
def disable(db_path: Path, username: str) -> None:
    """Disable an account; its sessions end at once (`passwd` enables it again)."""
    from zwgk.web.accounts import disable_user

    disable_user(_db(db_path), username)
    click.echo(f"user {username} disabled; its sessions ended")


@user.command("list")
@db_option
def list_(db_path: Path) -> None:
    """The accounts: username, role, unit, active."""
    from zwgk.web.accounts import list_users

    for u in list_users(_db(db_path)):
        state = "active" if u["active"] else "disabled"
        click.echo(f"{u['username']:24} {u['role']:10} {u['unit_id'] or '-':16} {state}")
