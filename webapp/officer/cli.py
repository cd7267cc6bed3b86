"""`flask --app webapp officer create USERNAME --role admin --office CODE`: add an officer;
`officer set-password USERNAME`: give one a new password; `officer disable USERNAME` and
`officer enable USERNAME`: stop and restore one's access.

A password is asked for on the terminal (twice, never echoed, never an argument that would
stay in the shell history) and only its hash is stored. A new password and a deactivation sign
the officer out of every browser at once (their sessions end on the server)."""

from __future__ import annotations

import re

import click
from flask import Flask
from sqlalchemy import select

from webapp.extensions import db
from webapp.services.passwords import officer_password_problem

USERNAME = re.compile(r"[a-z0-9._-]{3,40}")


def _prompt_password(username: str) -> str:
    while True:
        password = click.prompt(
            "Password", hide_input=True, confirmation_prompt="Repeat the password"
        )
        problem = officer_password_problem(password, username)
        if problem is None:
            return password
        click.echo(f"Refused: the password needs {problem}.", err=True)


def _officer(username: str):
    from webapp.models import Officer

    officer = db.session.scalar(select(Officer).where(Officer.username == username.strip().lower()))
    if officer is None:
        raise click.ClickException(f"no officer is named {username!r}")
    return officer


def init_app(app: Flask) -> None:
    @app.cli.group("officer")
    def officer_group() -> None:
        """Officers of BHXH offices: the back-office's own users."""

    @officer_group.command("create")
    @click.argument("username")
    @click.option(
        "--role",
        type=click.Choice(["reviewer", "admin"]),
        default="reviewer",
        show_default=True,
        help="An admin sees every office's dossiers; a reviewer those of their office.",
    )
    @click.option("--office", "office_code", required=True, help="The BHXH office's code.")
    @click.option("--full-name", default=None, help="Shown in the audit log (default: USERNAME).")
    def create_command(username: str, role: str, office_code: str, full_name: str | None) -> None:
        """Create an officer; the password is prompted for and stored hashed."""
        from webapp.models import BhxhOffice, Officer
        from webapp.services import audit
        from webapp.services.passwords import hash_password

        username = username.strip().lower()
        if not USERNAME.fullmatch(username):
            raise click.BadParameter(
                "3 to 40 lower-case letters, digits, dots, hyphens or underscores",
                param_hint="USERNAME",
            )
        office = db.session.scalar(select(BhxhOffice).where(BhxhOffice.code == office_code))
        if office is None:
            raise click.BadParameter(
                f"no BHXH office has the code {office_code!r}", param_hint="--office"
            )
        if db.session.scalar(select(Officer.id).where(Officer.username == username)):
            raise click.ClickException(f"an officer named {username!r} already exists")
        password = _prompt_password(username)
        now = app.extensions["clock"].now()
        officer = Officer(
            username=username,
            password_hash=hash_password(password),
            full_name=(full_name or username).strip()[:120],
            role=role,
            office_id=office.id,
            active=True,
            created_at=now,
        )
        db.session.add(officer)
        db.session.flush()
        audit.record(
            "officer_created",
            now,
            subject_type="officer",
            subject_id=officer.id,
            role=role,
            office=office.code,
        )
        db.session.commit()
        click.echo(f"officer {username} ({role}) of {office.name} created")

    @officer_group.command("set-password")
    @click.argument("username")
    def set_password_command(username: str) -> None:
        """Give an officer a new password (prompted); every browser they are signed in on is
        signed out."""
        from webapp.services import officer_sessions
        from webapp.services.passwords import hash_password

        officer = _officer(username)
        password = _prompt_password(officer.username)
        now = app.extensions["clock"].now()
        closed = officer_sessions.set_password(officer, hash_password(password), now)
        db.session.commit()
        click.echo(f"password of {officer.username} changed; sessions ended: {closed}")

    @officer_group.command("disable")
    @click.argument("username")
    def disable_command(username: str) -> None:
        """Deactivate an officer: no sign-in any more, and every open session ends now."""
        from webapp.services import officer_sessions

        officer = _officer(username)
        closed = officer_sessions.disable(officer, app.extensions["clock"].now())
        db.session.commit()
        click.echo(f"officer {officer.username} disabled; sessions ended: {closed}")

    @officer_group.command("enable")
    @click.argument("username")
    def enable_command(username: str) -> None:
        """Let a deactivated officer sign in again."""
        from webapp.services import officer_sessions

        officer = _officer(username)
        officer_sessions.enable(officer, app.extensions["clock"].now())
        db.session.commit()
        click.echo(f"officer {officer.username} enabled")
