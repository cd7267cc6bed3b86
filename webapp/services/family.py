"""The family's cards on one phone (C11, C12): who may see whose data, and delegations.

Two ways to see another person's data, both decided here at every request, never remembered:
- **Guardianship** (C11): the head of a household and the head's spouse, as the household
  registry records them, see the health insurance card of every child of the household under
  18. At 18, or when the registry moves the child or the adult to another household, the access
  ends by itself: nothing is stored that could outlive it.
- **Delegation** (C12): an adult grants another adult account holder chosen parts of their data
  (`PARTS`) for a chosen period, confirmed by an SMS code on the grantor's phone; it counts once
  the delegate has accepted it, until it ends (its period, or either side ending it).

Every change of state is one conditional UPDATE (an offer is accepted once, ended once, even
when both sides press at the same moment), and one open delegation per pair is a unique index.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import case, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from webapp.extensions import db
from webapp.models import Account, Delegation, Person
from webapp.models.family import OPEN_STATES
from webapp.services import audit, notifications
from webapp.services.clock import VIETNAM
from webapp.services.text import fold

# What a delegation can cover, in the order the pages list them.
PARTS = ("card", "book", "history", "benefits")
GUARDIAN_PARTS = frozenset({"card"})
PERIOD_DAYS = (7, 30, 90, 365)
ADULT_AGE = 18
PARENT_RELATIONS = ("head", "spouse")
DELEGATE = "delegate"  # the OTP purpose that confirms a delegation


def eighteen_years_before(today: dt.date) -> dt.date:
    """The birthday of someone who turns 18 today (29 February counts as 28 February)."""
    try:
        return today.replace(year=today.year - ADULT_AGE)
    except ValueError:
        return today.replace(year=today.year - ADULT_AGE, day=28)


def _adult_on(born: dt.date) -> dt.datetime:
    """The moment a child turns 18, as the country's calendar turns (midnight in Vietnam)."""
    try:
        birthday = born.replace(year=born.year + ADULT_AGE)
    except ValueError:  # born on 29 February: 18 on 1 March
        birthday = dt.date(born.year + ADULT_AGE, 3, 1)
    return dt.datetime.combine(birthday, dt.time(), tzinfo=VIETNAM)


def is_adult(person: Person, today: dt.date) -> bool:
    return person.date_of_birth <= eighteen_years_before(today)


@dataclass(frozen=True)
class Access:
    """What the signed-in account may see of `person`, and why."""

    person: Person
    kind: str  # guardian / delegate
    parts: frozenset[str]
    until: dt.datetime  # a delegation's end, a child's 18th birthday
    delegation_id: int | None = None


def _children_query(parent: Person, today: dt.date):
    return (
        select(Person)
        .where(
            Person.household_id == parent.household_id,
            Person.household_relation == "child",
            Person.date_of_birth > eighteen_years_before(today),
            Person.id != parent.id,
        )
        .order_by(Person.date_of_birth, Person.id)
    )


def children_of(parent: Person, today: dt.date) -> list[Person]:
    """The household's children under 18, for its head or the head's spouse; else none."""
    if parent.household_id is None or parent.household_relation not in PARENT_RELATIONS:
        return []
    return list(db.session.scalars(_children_query(parent, today)))


def _active(now: dt.datetime):
    return (Delegation.state == "active") & (Delegation.ends_at > now)


def shared_with(account: Account, now: dt.datetime, today: dt.date) -> list[Access]:
    """Everyone whose data this account may see now: the children, then the grantors of the
    delegations in force (a grantor whose account was closed or locked shares nothing)."""
    children = children_of(account.person, today)
    found = [
        Access(child, "guardian", GUARDIAN_PARTS, until=_adult_on(child.date_of_birth))
        for child in children
    ]
    grantor = aliased(Account)
    rows = db.session.execute(
        select(Delegation, Person)
        .join(grantor, grantor.id == Delegation.grantor_id)
        .join(Person, Person.id == grantor.person_id)
        .where(Delegation.delegate_id == account.id, _active(now), grantor.status == "active")
        .order_by(Delegation.ends_at, Delegation.id)
    ).all()
    for delegation, person in rows:
        found.append(
            Access(
                person,
                "delegate",
                frozenset(delegation.part_list),
                until=delegation.ends_at,
                delegation_id=delegation.id,
            )
        )
    return found


def access(shared: list[Access], person_id: int, part: str) -> Access | None:
    """Of what an account may see (`shared_with`), the access to `part` of person `person_id`,
    or None: a part outside the grant and a person never granted are refused alike (the
    account's own data is never in the list: its own pages show it)."""
    return next((a for a in shared if a.person.id == person_id and part in a.parts), None)


# --- Delegations -------------------------------------------------------------------------------


class Problem(enum.Enum):
    NO_SUCH_HOLDER = "no_such_holder"  # no adult account holder with this code and name
    YOURSELF = "yourself"
    ALREADY = "already"  # an open offer or delegation to this person exists
    NOT_ADULT = "not_adult"  # the grantor is under 18


class Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def find_delegate(grantor: Account, bhxh_code: str, full_name: str, today: dt.date) -> Account:
    """The adult account holder with this BHXH code and this name (compared as the registry
    compares names), or `Refused`: which of the two did not match is not said."""
    if not is_adult(grantor.person, today):
        raise Refused(Problem.NOT_ADULT)
    found = db.session.execute(
        select(Account, Person)
        .join(Person, Person.id == Account.person_id)
        .where(Person.bhxh_code == bhxh_code, Account.status == "active")
    ).first()
    if found is None:
        raise Refused(Problem.NO_SUCH_HOLDER)
    delegate, person = found
    if fold(person.full_name) != fold(full_name) or not is_adult(person, today):
        raise Refused(Problem.NO_SUCH_HOLDER)
    if delegate.id == grantor.id:
        raise Refused(Problem.YOURSELF)
    return delegate


def offer(
    grantor: Account, delegate_id: int, parts: list[str], days: int, now: dt.datetime
) -> Delegation:
    """The delegation, confirmed by the grantor's SMS code: offered to the delegate, who is told
    in their inbox. A second open one for the same pair is `Refused(ALREADY)`."""
    if not parts or not set(parts) <= set(PARTS) or days not in PERIOD_DAYS:
        raise ValueError(f"not a delegation: {parts!r} for {days!r} days")
    # An offer or a delegation of this pair whose period is over ends now, so that it no
    # longer holds the pair's one open place (the unique index) against the new one.
    db.session.execute(
        update(Delegation)
        .where(
            Delegation.grantor_id == grantor.id,
            Delegation.delegate_id == delegate_id,
            Delegation.state.in_(OPEN_STATES),
            Delegation.ends_at <= now,
        )
        .values(state="ended", ended_at=now, ended_by="period")
        .execution_options(synchronize_session=False)
    )
    delegation = Delegation(
        grantor_id=grantor.id,
        delegate_id=delegate_id,
        parts=",".join(part for part in PARTS if part in parts),
        state="offered",
        created_at=now,
        ends_at=now + dt.timedelta(days=days),
    )
    try:
        with db.session.begin_nested():
            db.session.add(delegation)
    except IntegrityError:
        raise Refused(Problem.ALREADY) from None
    audit.record(
        "delegation_offered",
        now,
        actor_type="citizen",
        actor_id=grantor.id,
        subject_type="delegation",
        subject_id=delegation.id,
        delegate=delegate_id,
        parts=delegation.parts,
        days=days,
    )
    notifications.notify(
        delegate_id,
        "delegation_offered",
        now,
        link=notifications.path_for("citizen.family"),
        params={"name": grantor.person.full_name},
    )
    return delegation


def has_open(grantor: Account, delegate_id: int, now: dt.datetime) -> bool:
    """An offer or a delegation of this pair still open and in its period."""
    return (
        db.session.scalar(
            select(Delegation.id).where(
                Delegation.grantor_id == grantor.id,
                Delegation.delegate_id == delegate_id,
                Delegation.state.in_(OPEN_STATES),
                Delegation.ends_at > now,
            )
        )
        is not None
    )


def _change(delegation_id: int, where, values: dict) -> Delegation | None:
    """One conditional UPDATE: the delegation if this request changed it, else None (it was
    not this account's, or another request changed it first)."""
    changed = db.session.execute(
        update(Delegation)
        .where(Delegation.id == delegation_id, *where)
        .values(**values)
        .returning(Delegation.id)
        .execution_options(synchronize_session=False)
    ).first()
    if changed is None:
        return None
    return db.session.get(Delegation, delegation_id, populate_existing=True)


def accept(delegate: Account, delegation_id: int, now: dt.datetime) -> Delegation | None:
    """The delegate accepts an offer still open and in its period."""
    delegation = _change(
        delegation_id,
        [
            Delegation.delegate_id == delegate.id,
            Delegation.state == "offered",
            Delegation.ends_at > now,
        ],
        {"state": "active", "accepted_at": now},
    )
    if delegation is not None:
        _tell(delegation, "delegation_accepted", delegation.grantor_id, delegate, now)
    return delegation


def decline(delegate: Account, delegation_id: int, now: dt.datetime) -> Delegation | None:
    delegation = _change(
        delegation_id,
        [Delegation.delegate_id == delegate.id, Delegation.state == "offered"],
        {"state": "declined", "ended_at": now, "ended_by": "delegate"},
    )
    if delegation is not None:
        _tell(delegation, "delegation_declined", delegation.grantor_id, delegate, now)
    return delegation


def end(account: Account, delegation_id: int, now: dt.datetime) -> Delegation | None:
    """Either side ends an offer or a delegation at any time; the other side is told."""
    mine = or_(Delegation.grantor_id == account.id, Delegation.delegate_id == account.id)
    side = case((Delegation.grantor_id == account.id, "grantor"), else_="delegate")
    delegation = _change(
        delegation_id,
        [mine, Delegation.state.in_(OPEN_STATES)],
        {"state": "ended", "ended_at": now, "ended_by": side},
    )
    if delegation is not None:
        other = (
            delegation.delegate_id if delegation.ended_by == "grantor" else delegation.grantor_id
        )
        _tell(delegation, "delegation_ended", other, account, now)
    return delegation


def _tell(
    delegation: Delegation, kind: str, recipient_id: int, actor: Account, now: dt.datetime
) -> None:
    audit.record(
        kind,
        now,
        actor_type="citizen",
        actor_id=actor.id,
        subject_type="delegation",
        subject_id=delegation.id,
    )
    notifications.notify(
        recipient_id,
        kind,
        now,
        link=notifications.path_for("citizen.family"),
        params={"name": actor.person.full_name},
    )


def given_by(account: Account, now: dt.datetime) -> list[tuple[Delegation, Person]]:
    """The grantor's offers and delegations still open and in their period, with the
    delegate."""
    return _listed(Delegation.grantor_id == account.id, Delegation.delegate_id, now)


def offered_to(account: Account, now: dt.datetime) -> list[tuple[Delegation, Person]]:
    """Offers waiting for this account's answer, with the grantor."""
    return _listed(
        (Delegation.delegate_id == account.id) & (Delegation.state == "offered"),
        Delegation.grantor_id,
        now,
    )


def _listed(where, other_column, now: dt.datetime) -> list[tuple[Delegation, Person]]:
    other = aliased(Account)
    return [
        (delegation, person)
        for delegation, person in db.session.execute(
            select(Delegation, Person)
            .join(other, other.id == other_column)
            .join(Person, Person.id == other.person_id)
            .where(where, Delegation.state.in_(OPEN_STATES), Delegation.ends_at > now)
            .order_by(Delegation.created_at.desc(), Delegation.id.desc())
        ).all()
    ]
