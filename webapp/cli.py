"""`flask --app webapp …` commands of the project."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from webapp.extensions import db

DEMO_ONLY = (
    "Refused: demo mode is off. The demo data signs in with published passwords, so it is"
    " loaded (and its logins printed) only with DEMO_MODE=1, as `make run` sets, and never"
    " into a production database."
)


def _require_demo_mode(app: Flask) -> None:
    """Stop a demo-only command before it reads or writes anything: on stderr, exit status 1."""
    if not app.config["DEMO_MODE"]:
        raise click.ClickException(DEMO_ONLY)


def init_app(app: Flask) -> None:
    _notification_commands(app)
    _settings_doc_command(app)

    @app.cli.command("demo-data")
    @click.option("--persons", default=2000, show_default=True, help="How many persons to create.")
    @click.option("--seed", default=2025, show_default=True, help="Same seed, same data.")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the database has persons.")
    @click.option(
        "--progress/--no-progress",
        default=None,
        help="Show a progress bar on stderr  [default: when stderr is a terminal]",
    )
    def demo_data_command(persons: int, seed: int, if_empty: bool, progress: bool | None) -> None:
        """Fill the database with synthetic demo data (no real person's name or code); demo
        mode only, since every demo account signs in with a published password. A bar on
        stderr shows the persons done, the rate and the time left."""
        from webapp.progress import progress_bar
        from webapp.services import demo_data

        _require_demo_mode(app)
        if not demo_data.is_empty():
            if if_empty:
                click.echo("Demo data already loaded.")
                return
            raise click.ClickException("The database already holds persons; use an empty one.")
        started = time.perf_counter()
        with progress_bar(persons, "persons", show=progress) as advance:
            summary = demo_data.generate(persons=persons, seed=seed, progress=advance)
        db.session.commit()
        rows = sum(summary.counts.values())
        click.echo(
            f"Demo data: {persons} persons, {rows} rows in {time.perf_counter() - started:.1f} s"
        )

    @app.cli.group("content")
    def content_group() -> None:
        """The site's content files (webapp/content/): FAQ, news and the directories."""

    @content_group.command("load")
    @click.option(
        "--force",
        is_flag=True,
        help="Also overwrite the entries an admin edited in the back office.",
    )
    def content_load(force: bool) -> None:
        """Add or update the FAQ, the news and the directories (offices, facilities, collection
        points) from webapp/content/*.json, matched by key, slug and code: run twice, it changes
        nothing, and it deletes nothing. FAQ entries an admin edited in the back office, and
        articles officers published, are kept unless --force."""
        from webapp.services import content

        report = content.load(force=force)
        db.session.commit()
        for line in report.lines():
            click.echo(line)

    @app.cli.group("outbox")
    def outbox_group() -> None:
        """The SMS/email outbox: list what was sent, deliver what is due."""

    @outbox_group.command("list")
    @click.option("--to", "recipient", default=None, help="Only messages to this phone or email.")
    @click.option("--limit", default=20, show_default=True)
    def outbox_list(recipient: str | None, limit: int) -> None:
        """Print the newest messages (demo and debug mode only: they hold OTP codes)."""
        from webapp.models import OutboxMessage
        from webapp.templating import format_datetime

        if not (app.config["DEMO_MODE"] or app.debug):
            raise click.ClickException("The outbox is readable in demo or debug mode only.")
        query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
        if recipient:
            query = query.where(OutboxMessage.recipient == recipient)
        for message in db.session.scalars(query):
            click.echo(
                f"{format_datetime(message.created_at)} {message.channel} → {message.recipient}"
                f" [{message.status}]: {message.body}"
            )

    @outbox_group.command("deliver")
    @click.option("--loop", is_flag=True, help="Keep delivering every --interval seconds.")
    @click.option("--interval", default=15, show_default=True)
    @click.option("--rounds", default=None, type=int, help="Stop after this many rounds.")
    def outbox_deliver(loop: bool, interval: int, rounds: int | None) -> None:
        """Send what is due through the configured backends, retrying failures with backoff.
        One round, or every --interval seconds with --loop (for ever, or --rounds times)."""
        from webapp.workers import deliver_outbox

        if rounds is None and not loop:
            rounds = 1
        done = 0
        while rounds is None or done < rounds:
            if done:
                time.sleep(interval)
            done += 1
            sent = deliver_outbox(app.config, app.extensions["clock"].now())
            if sent or not loop:  # a loop says only what it did
                click.echo(f"delivered {sent}")

    @app.cli.command("demo-logins")
    def demo_logins_command() -> None:
        """Print the demo logins (only those whose demo password still works); demo mode only."""
        from webapp.models import Account, Delegation, Officer, Person
        from webapp.services import card_check, demo_data, family
        from webapp.services.passwords import verify_password

        _require_demo_mode(app)
        clock = app.extensions["clock"]
        for code in demo_data.demo_citizen_codes():
            account = db.session.scalar(
                select(Account).join(Account.person).where(Person.bhxh_code == code)
            )
            if account and verify_password(account.password_hash, demo_data.DEMO_PASSWORD):
                click.echo(f"demo citizen: {code} / {demo_data.DEMO_PASSWORD}")
                children = family.children_of(account.person, clock.today())
                if children:
                    names = ", ".join(child.full_name for child in children)
                    click.echo(f"  a parent: their children's cards are in Gia đình ({names})")
        for delegation in db.session.scalars(
            select(Delegation).where(Delegation.state == "active").order_by(Delegation.id).limit(1)
        ):
            if verify_password(delegation.delegate.password_hash, demo_data.DEMO_PASSWORD):
                click.echo(
                    f"demo delegate: {delegation.delegate.person.bhxh_code} /"
                    f" {demo_data.DEMO_PASSWORD}  (sees the card, medical book and benefits of"
                    f" {delegation.grantor.person.full_name} in Gia đình)"
                )
        demo_key = card_check.authenticate(demo_data.DEMO_API_KEY, clock.now())
        if demo_key is not None:
            click.echo(
                f"demo facility API key: {demo_data.DEMO_API_KEY}  ({demo_key.facility.code}"
                f" {demo_key.facility.name}; see /api/v1/docs)"
            )
            db.session.rollback()  # printing it is not a use
        officer = db.session.scalar(select(Officer).where(Officer.username == "canbo01"))
        if officer and verify_password(officer.password_hash, demo_data.OFFICER_PASSWORD):
            click.echo(f"demo officer: canbo01 / {demo_data.OFFICER_PASSWORD}")


def _notification_commands(app: Flask) -> None:
    """`flask vapid-keys` and `flask notifications scan|deliver|work` (X4)."""

    @app.cli.command("vapid-keys")
    def vapid_keys_command() -> None:
        """Print a new VAPID key pair for Web Push, as environment variables."""
        from webapp.services.push import generate_vapid_keys

        private, public = generate_vapid_keys()
        click.echo(f"VAPID_PRIVATE_KEY={private}")
        click.echo(f"VAPID_PUBLIC_KEY={public}")

    @app.cli.group("notifications")
    def notifications_group() -> None:
        """The in-app inbox and Web Push: find new events, send pushes."""

    @notifications_group.command("scan")
    def notifications_scan() -> None:
        """Notify cards expiring or renewed, new medical visits and benefits paid."""
        from webapp.services.notifications import scan_events

        clock = app.extensions["clock"]
        created = scan_events(clock.now(), clock.today())
        db.session.commit()
        click.echo(f"notifications created: {dict(created) or 0}")

    @notifications_group.command("deliver")
    def notifications_deliver() -> None:
        """Send pending notifications to the subscribed devices (Web Push)."""
        from webapp.services.push import deliver_pushes

        counts = deliver_pushes(app.extensions["clock"].now())
        db.session.commit()
        click.echo(f"pushes: {dict(counts) or 0}")

    @notifications_group.command("work")
    @click.option("--interval", default=60, show_default=True, help="Seconds between rounds.")
    @click.option("--rounds", default=None, type=int, help="Stop after this many rounds.")
    def notifications_work(interval: int, rounds: int | None) -> None:
        """Scan and deliver every --interval seconds (the Procfile's worker)."""
        from webapp.workers import run_notifications

        rounds_run = run_notifications(app.extensions["clock"], interval, iterations=rounds)
        for created, pushed in rounds_run:
            if created or pushed:
                click.echo(f"notifications created: {dict(created)}; pushes: {dict(pushed)}")


def _settings_doc_command(app: Flask) -> None:
    """`flask settings-doc [--write | --check]`: the README's configuration table."""

    @app.cli.command("settings-doc")
    @click.option("--write", is_flag=True, help="Rewrite the section of README.md.")
    @click.option("--check", is_flag=True, help="Fail when README.md's section is out of date.")
    def settings_doc_command(write: bool, check: bool) -> None:
        """Print the configuration table written from SETTINGS (webapp/config.py), the one
        between the settings markers of README.md."""
        from webapp import settings
        from webapp.config import SETTINGS

        section = settings.markdown(SETTINGS)
        if not (write or check):
            click.echo(section)
            return
        readme = Path(app.root_path).parent / "README.md"
        current = readme.read_text(encoding="utf-8")
        wanted = settings.replace_section(current, section)
        if check:
            if wanted != current:
                raise click.ClickException(
                    "README.md's configuration table is out of date: run `make settings-doc`."
                )
            return
        if wanted != current:
            readme.write_text(wanted, encoding="utf-8")
        click.echo(f"{readme}: configuration table up to date")
