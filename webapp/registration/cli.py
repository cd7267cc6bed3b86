"""`flask --app webapp dossiers expire`: the clock's round. It deletes the declarations not handed
in within 10 days, and the access log's entries past their retention."""

from __future__ import annotations

import time

import click
from flask import Flask


def init_app(app: Flask) -> None:
    @app.cli.group("dossiers")
    def dossiers_group() -> None:
        """Registration dossiers (hồ sơ đăng ký giao dịch điện tử)."""

    @dossiers_group.command("expire")
    @click.option("--loop", is_flag=True, help="Keep expiring every --interval seconds.")
    @click.option("--interval", default=3600, show_default=True, help="Seconds between rounds.")
    def expire_command(loop: bool, interval: int) -> None:
        """Delete declarations not handed in within 10 days of declaring (R4), with their
        photos, and the access log's entries older than ACCESS_LOG_RETENTION_DAYS; nothing
        else. Run it on a schedule (the Procfile's `clock`, or cron)."""
        from webapp.extensions import db
        from webapp.services import access_log
        from webapp.services.registration import expire

        while True:
            now = app.extensions["clock"].now()
            deleted = expire(now, app.config["DOSSIER_UPLOAD_FOLDER"])
            db.session.commit()
            click.echo(f"expired declarations deleted: {deleted}")
            purged = access_log.purge(now, app.config["ACCESS_LOG_RETENTION_DAYS"])
            db.session.commit()
            click.echo(f"access log entries past retention deleted: {purged}")
            if not loop:
                return
            time.sleep(interval)
