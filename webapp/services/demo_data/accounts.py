"""Who signs in: the demo officers, and the citizens' accounts (about 70 % of persons), with the
registration dossiers planned for some of the others."""

from __future__ import annotations

import datetime as dt
import hashlib

from webapp.services.clock import VIETNAM

from . import names
from .common import DAY, add_years
from .state import PersonDraft, Run

DEMO_PASSWORD = "VssID@2025"  # noqa: S105  (the published password of every demo citizen)
OFFICER_PASSWORD = "CanBo@2025"  # noqa: S105  (the published password of the demo officers)
OFFICERS = (("canbo01", "admin"), ("canbo02", "reviewer"))
# The demo's card-check API key (published, like the passwords): the first hospital's.
DEMO_API_KEY = "vssid_00000000dea0_demo-key-of-the-vssid-demo-only"  # noqa: S105


def make_officers(run: Run, officer_hash: str) -> None:
    """canbo01 (admin) and canbo02 (reviewer), both of the Hà Nội provincial office."""
    rng = run.rng
    sink = run.sinks["officer"]
    for username, role in OFFICERS:
        gender = rng.choice((1, 2))
        officer_id = sink.new_id()
        sink.add(
            {
                "id": officer_id,
                "username": username,
                "password_hash": officer_hash,
                "full_name": names.full_name(rng, gender, 1985, names.family_name(rng, "01")),
                "role": role,
                "office_id": run.offices["01"][0][0],
                "active": True,
                "created_at": run.moment(run.today - dt.timedelta(days=400 + 30 * officer_id)),
            }
        )
        run.officer_ids.append(officer_id)


def plan_accounts(run: Run) -> None:
    """About 70 % of persons get an account: adults with a phone, most of them. Some of the
    rest get registration dossiers (pending or rejected); a few accounts came from approved
    dossiers, whose decision time is the account's creation time."""
    rng = run.rng
    eligible = [p for p in run.people if not p.minor and p.row["phone"]]
    share = min(0.93, 0.70 * len(run.people) / max(len(eligible), 1))
    for p in eligible:
        p.account = p.rich or rng.random() < share
    without = [p for p in eligible if not p.account]
    with_account = [p for p in eligible if p.account and not p.rich]
    scale = max(1, len(run.people) // 2000)
    n_pending = min(12 * scale, 60, len(without) // 3)
    n_rejected = min(5 * scale, 20, len(without) // 5)
    n_approved = min(10 * scale, 40, len(with_account) // 10)
    n_change = min(3 * scale, 12, len(with_account) // 20)
    picked = rng.sample(without, n_pending + n_rejected)
    now = run.now
    for p in picked[:n_pending]:
        declared = now - dt.timedelta(minutes=rng.randint(30, 9 * 24 * 60))
        run.dossier_plan.append(("pending", p, declared))
    for p in picked[n_pending:]:
        declared = now - dt.timedelta(days=rng.randint(12, 200), minutes=rng.randint(0, 600))
        run.dossier_plan.append(("rejected", p, declared))
    for p in rng.sample(with_account, n_approved + n_change):
        if len(run.dossier_plan) - n_pending - n_rejected < n_approved:
            declared = now - dt.timedelta(days=rng.randint(3, 300), minutes=rng.randint(0, 600))
            decided = declared + dt.timedelta(days=rng.randint(1, 8), minutes=rng.randint(10, 300))
            p.account_created = min(decided, now - dt.timedelta(hours=2))
            run.dossier_plan.append(("approved", p, declared))
        else:
            declared = now - dt.timedelta(days=rng.randint(0, 6), minutes=rng.randint(10, 600))
            run.dossier_plan.append(("change_info", p, declared))


def make_account(run: Run, p: PersonDraft, citizen_hash: str) -> None:
    """The account: created since mid-2019 (or when its dossier was approved), its password
    changed within the policy's 180 days, most of them used lately; nine in ten read Vietnamese,
    a few English, the rest never chose."""
    rng = run.rng
    today = run.today
    created = p.account_created
    if created is None:
        earliest = max(dt.date(2019, 6, 1), add_years(p.dob, 18))
        created = run.moment(run.day_between(earliest, today - 2 * DAY))
    created_day = created.astimezone(VIETNAM).date()
    if p.rich:
        changed_day = today - 20 * DAY
    else:
        changed_day = run.day_between(max(created_day, today - 140 * DAY), today - DAY)
    changed = min(max(run.moment(changed_day), created), run.now)
    last_login = None
    if p.rich or rng.random() < 0.8:
        last_login = min(
            max(run.moment(run.day_between(changed_day, today - DAY)), changed), run.now
        )
    sink = run.sinks["account"]
    p.account_id = sink.new_id()
    sink.add(
        {
            "id": p.account_id,
            "person_id": p.id,
            "password_hash": citizen_hash,
            "status": "active",
            "must_change_password": False,
            "password_changed_at": changed,
            "locale": "vi" if rng.random() < 0.9 else ("en" if rng.random() < 0.2 else None),
            "created_at": created,
            "last_login_at": last_login,
            "failed_logins": 0,
            "locked_until": None,
            "first_password_resent_at": None,
        }
    )


def make_delegation(run: Run) -> None:
    """One delegation to try (C12): the pensioner among the demo citizens lets a grown child of
    the household, who has an account, see his card, medical book and benefits for a year,
    accepted a week ago."""
    pensioner = next((p for p in run.people if p.rich and p.profile == "pensioner"), None)
    if pensioner is None or pensioner.account_id is None:
        return
    household = pensioner.row["household_id"]
    child = next(
        (
            p
            for p in run.people
            if p.row["household_id"] == household
            and p.row.get("household_relation") == "child"
            and not p.minor
            and p.account_id is not None
        ),
        None,
    )
    if child is None:
        return
    created = run.now - 7 * DAY
    sink = run.sinks["delegation"]
    sink.add(
        {
            "id": sink.new_id(),
            "grantor_id": pensioner.account_id,
            "delegate_id": child.account_id,
            "parts": "card,book,benefits",
            "state": "active",
            "created_at": created,
            "ends_at": created + 365 * DAY,
            "accepted_at": created + dt.timedelta(hours=3),
            "ended_at": None,
            "ended_by": None,
        }
    )


def make_api_key(run: Run) -> None:
    """A card-check API key for the first facility, so that the README's `curl` works on the
    demo; the key is published, like the demo passwords."""
    prefix, _sep, secret = DEMO_API_KEY.removeprefix("vssid_").partition("_")
    sink = run.sinks["facility_api_key"]
    sink.add(
        {
            "id": sink.new_id(),
            "facility_id": 1,
            "prefix": prefix,
            "secret_hash": hashlib.sha256(secret.encode()).hexdigest(),
            "label": "Demo",
            "created_at": run.now - 30 * DAY,
            "created_by_id": run.officer_ids[0],
            "revoked_at": None,
            "last_used_at": None,
        }
    )
