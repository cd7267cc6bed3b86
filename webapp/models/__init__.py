"""The domain data model, one module per aggregate. Importing this package registers every table."""

from webapp.models.account import (
    Account,
    DeviceSession,
    IdentifierLock,
    OtpChallenge,
    OtpThrottle,
    Passkey,
    PasswordHistory,
    WebAuthnChallenge,
)
from webapp.models.api import FacilityApiKey
from webapp.models.audit import AuditEvent
from webapp.models.card import HealthCard
from webapp.models.content import FaqEntry, Feedback, NewsArticle
from webapp.models.directory import BhxhOffice, CollectionPoint, Employer, Facility
from webapp.models.dossier import RegistrationDossier
from webapp.models.family import AccessLogEntry, Delegation
from webapp.models.history import Benefit, ParticipationPeriod
from webapp.models.messaging import (
    Notification,
    NotificationScan,
    OutboxMessage,
    PushSubscription,
)
from webapp.models.officer import Officer, OfficerSession
from webapp.models.person import Household, Person
from webapp.models.visit import MedicalVisit

__all__ = [
    "AccessLogEntry",
    "Account",
    "AuditEvent",
    "Benefit",
    "BhxhOffice",
    "CollectionPoint",
    "Delegation",
    "DeviceSession",
    "Employer",
    "Facility",
    "FacilityApiKey",
    "FaqEntry",
    "Feedback",
    "HealthCard",
    "IdentifierLock",
    "Household",
    "MedicalVisit",
    "NewsArticle",
    "Notification",
    "NotificationScan",
    "Officer",
    "OfficerSession",
    "OtpChallenge",
    "OtpThrottle",
    "Passkey",
    "OutboxMessage",
    "ParticipationPeriod",
    "PasswordHistory",
    "Person",
    "PushSubscription",
    "RegistrationDossier",
    "WebAuthnChallenge",
]
