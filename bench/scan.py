"""One notification scan (the worker's `scan_events`), timed, in a process of its own.

    python bench/scan.py scan                      # one scan: JSON with seconds, memory, counts
    python bench/scan.py events --visits 1000 --benefits 1000   # new back-office events

`bench/run.py` calls it on the database of DATABASE_URL: a first scan (everything due since
nothing was ever notified), then a steady one after a fixed number of new events (what the
worker meets every minute), then an idle one (nothing new). Memory is how far the process's
peak resident size (`getrusage`) rose above its resident size just before the scan, so the
app's own start-up is not counted; the time includes the commit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def resident_kib() -> int:
    """The process's resident size now (Linux), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def scan() -> dict:
    from sqlalchemy import func, select

    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Notification
    from webapp.services.notifications import scan_events

    app = create_app()
    with app.app_context():
        clock = app.extensions["clock"]
        db.session.scalar(select(func.count()).select_from(Notification))  # connect, warm up
        db.session.rollback()
        before = resident_kib()
        started = time.perf_counter()
        created = scan_events(clock.now(), clock.today())
        db.session.commit()
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        db.engine.dispose()
    return {
        "seconds": round(seconds, 3),
        "peak_rss_growth_mib": round(max(after - before, 0) / 1024, 1),  # both in KiB
        "peak_rss_mib": round(after / 1024, 1),
        "created": dict(created),
    }


def events(visits: int, benefits: int) -> dict:
    """New visits (admitted and discharged today) and benefits paid today, for persons spread
    over the whole population who have an account: what hospitals and the back office record
    between two scans."""
    from sqlalchemy import func, insert, select

    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Account, Benefit, Facility, MedicalVisit

    app = create_app()
    with app.app_context():
        today = app.extensions["clock"].today()
        accounts = db.session.scalar(select(func.count(Account.id)))
        wanted = max(visits, benefits)
        step = max(accounts // max(wanted, 1), 1)
        persons = db.session.scalars(
            select(Account.person_id)
            .where(Account.id % step == 0)
            .order_by(Account.id)
            .limit(wanted)
        ).all()
        facility = db.session.scalar(select(Facility.id).order_by(Facility.id).limit(1))
        if visits:
            db.session.execute(
                insert(MedicalVisit),
                [
                    {
                        "person_id": person_id,
                        "facility_id": facility,
                        "admitted_on": today,
                        "discharged_on": today,
                        "inpatient": False,
                        "icd10": "J06.9",
                        "diagnosis": "Viêm đường hô hấp trên cấp",
                        "total_cost": 250_000,
                        "bhyt_paid": 200_000,
                        "patient_paid": 50_000,
                    }
                    for person_id in persons[:visits]
                ],
            )
        if benefits:
            db.session.execute(
                insert(Benefit),
                [
                    {
                        "person_id": person_id,
                        "kind": "short_term",
                        "regime": "sickness",
                        "decided_on": today - dt.timedelta(days=3),
                        "period_from": today - dt.timedelta(days=10),
                        "period_to": today - dt.timedelta(days=6),
                        "days": 5,
                        "amount": 1_200_000,
                        "paid_on": today,
                    }
                    for person_id in persons[:benefits]
                ],
            )
        db.session.commit()
        db.engine.dispose()
    return {"visits": min(visits, len(persons)), "benefits": min(benefits, len(persons))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("scan", help="one scan, printed as JSON")
    add = commands.add_parser("events", help="record new visits and benefits paid today")
    add.add_argument("--visits", type=int, default=1000)
    add.add_argument("--benefits", type=int, default=1000)
    args = parser.parse_args()
    result = scan() if args.command == "scan" else events(args.visits, args.benefits)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
