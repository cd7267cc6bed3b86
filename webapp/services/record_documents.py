"""Records as documents (C14): the participation history and a year of the medical book, as the
PDF prints them, with a signed digest of their contents that the verify page checks.

A document is described by who (the person), what (the history of one scheme or of all, or one
year of the book) and when it was made. Its digest is a SHA-256 of its figures in a canonical
form; the description and the digest are signed (itsdangerous, HMAC-SHA256 with the app's
secret key) into the token the PDF's QR code carries. The verify page reads the token (an
altered one is refused), builds the same document again from the database as it was made, and
compares the digests: equal, the paper says what the database holds.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from webapp.extensions import db
from webapp.models import MedicalVisit, Person
from webapp.models.history import SCHEMES
from webapp.services import records
from webapp.services.clock import VIETNAM

ALL = "all"
SALT = "vssid-record-document"


@dataclass(frozen=True)
class Document:
    kind: str  # history / book
    person: Person
    scope: str  # a scheme, or "all" (history); a year (book)
    made_at: dt.datetime
    histories: list[records.SchemeHistory] | None = None
    totals: records.YearTotals | None = None
    visits: list[MedicalVisit] | None = None

    @property
    def made_on(self) -> dt.date:
        return self.made_at.astimezone(VIETNAM).date()

    def figures(self) -> list:
        """The contents in a canonical form: what the digest is of."""
        if self.kind == "history":
            return [
                [
                    h.scheme,
                    h.total.total_months,
                    [
                        [
                            line.start.isoformat(),
                            line.end.isoformat() if line.end else None,
                            line.unit,
                            line.occupation,
                            line.contribution_base,
                            line.months,
                        ]
                        for line in h.periods
                    ],
                ]
                for h in self.histories or []
            ]
        t = self.totals
        return [
            [t.year, t.visits, t.total_cost, t.bhyt_paid, t.patient_paid],
            [
                [
                    v.admitted_on.isoformat(),
                    v.discharged_on.isoformat(),
                    v.facility.code,
                    v.icd10,
                    v.total_cost,
                    v.bhyt_paid,
                    v.patient_paid,
                ]
                for v in self.visits or []
            ],
        ]

    @property
    def digest(self) -> str:
        canonical = json.dumps(self.figures(), ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def history(person: Person, scope: str, made_at: dt.datetime) -> Document:
    """The participation history of one scheme, or of all four, as of the day it is made."""
    schemes = SCHEMES if scope == ALL else (scope,)
    if scope != ALL and scope not in SCHEMES:
        raise ValueError(f"unknown scheme {scope!r}")
    made_on = made_at.astimezone(VIETNAM).date()
    histories = [records.participation(person.id, scheme, made_on) for scheme in schemes]
    return Document("history", person, scope, made_at, histories=histories)


def book(person: Person, year: int, made_at: dt.datetime) -> Document:
    """One year of the medical book: its totals and its visits."""
    totals = next(
        (t for t in records.book_years(person.id) if t.year == year), records.YearTotals(year)
    )
    visits = records.visits_of_year(person.id, year) if totals.visits else []
    return Document("book", person, str(year), made_at, totals=totals, visits=visits)


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT, signer_kwargs={"digest_method": hashlib.sha256})


def token(document: Document, secret_key: str) -> str:
    """What the QR code carries: the document's description and digest, signed."""
    return _serializer(secret_key).dumps(
        {
            "k": document.kind,
            "p": document.person.id,
            "s": document.scope,
            "t": int(document.made_at.timestamp()),
            "d": document.digest,
        }
    )


class Status(enum.Enum):
    MATCHES = "matches"  # the paper says what the database holds
    CHANGED = "changed"  # a genuine document, but the records changed since it was made
    REFUSED = "refused"  # not a token of ours, or altered


@dataclass(frozen=True)
class Verdict:
    status: Status
    document: Document | None = None  # rebuilt from the database, for the page to show


def check(text: str, secret_key: str) -> Verdict:
    """Read a document's token and compare it with the database."""
    try:
        claims = _serializer(secret_key).loads(text[:2000])
    except (BadSignature, UnicodeError, ValueError):
        return Verdict(Status.REFUSED)
    if not isinstance(claims, dict):
        return Verdict(Status.REFUSED)
    kind, person_id, scope = claims.get("k"), claims.get("p"), claims.get("s")
    made, digest = claims.get("t"), claims.get("d")
    person = db.session.get(Person, person_id) if isinstance(person_id, int) else None
    if person is None or not isinstance(made, int) or not isinstance(digest, str):
        return Verdict(Status.REFUSED)
    made_at = dt.datetime.fromtimestamp(made, dt.UTC)
    if kind == "history" and (scope == ALL or scope in SCHEMES):
        document = history(person, scope, made_at)
    elif kind == "book" and isinstance(scope, str) and scope.isdigit():
        document = book(person, int(scope), made_at)
    else:
        return Verdict(Status.REFUSED)
    return Verdict(Status.MATCHES if document.digest == digest else Status.CHANGED, document)
