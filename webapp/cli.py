"""`flask --app webapp …` commands of the project."""

from __future__ import annotations

import time

import click
from flask import Flask
from sqlalchemy import select

from webapp.extensions import db


def init_app(app: Flask) -> None:
    @app.cli.command("demo-data")
    @click.option("--persons", default=2000, show_default=True, help="How many persons to create.")
    @click.option("--seed", default=2025, show_default=True, help="Same seed, same data.")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the database has persons.")
    def demo_data_command(persons: int, seed: int, if_empty: bool) -> None:
        """Fill the database with synthetic demo data (no real person's name or code)."""
        from webapp.services import demo_data

        if not demo_data.is_empty():
            if if_empty:
                click.echo("Demo data already loaded.")
                return
            raise click.ClickException("The database already holds persons; use an empty one.")
        started = time.perf_counter()
        summary = demo_data.generate(persons=persons, seed=seed, today=app.extensions["clock"].today())
        click.echo(f"Demo data: {summary.counts} in {time.perf_counter() - started:.1f} s")

    @app.cli.command("demo-logins")
    def demo_logins_command() -> None:
        """Print the demo logins (only those whose demo password still works)."""
        from webapp.models import Account, Officer, Person
        from webapp.services.demo_data import DEMO_CITIZENS, DEMO_OFFICERS, DEMO_PASSWORD
        from webapp.services.passwords import verify_password

        for code in DEMO_CITIZENS:
            account = db.session.scalar(
                select(Account).join(Account.person).where(Person.bhxh_code == code)
            )
            if account and verify_password(account.password_hash, DEMO_PASSWORD):
                click.echo(f"demo citizen: {code} / {DEMO_PASSWORD}")
        for username, password in DEMO_OFFICERS:
            officer = db.session.scalar(select(Officer).where(Officer.username == username))
            if officer and verify_password(officer.password_hash, password):
                click.echo(f"demo officer: {username} / {password}")
