"""The demo data generator: deterministic, well-formed, and true to the domain rules."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import (
    Account,
    Benefit,
    BhxhOffice,
    CollectionPoint,
    Employer,
    Facility,
    FaqEntry,
    HealthCard,
    MedicalVisit,
    NewsArticle,
    Officer,
    ParticipationPeriod,
    Person,
    RegistrationDossier,
)
from webapp.services import demo_data
from webapp.services import faq as faq_service
from webapp.services.cards import card_state, current_card
from webapp.services.passwords import verify_password
from webapp.services.provinces import FORMER_PROVINCES, PROVINCES
from webapp.services.text import fold, search_text

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hà Nội, the fixture clock
PERSONS = 200
MOBILE = re.compile(r"0[35789]\d{8}")
PERCENT_OF_LEVEL = {1: 100, 2: 100, 3: 95, 4: 80, 5: 100}


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes back; they were written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@pytest.fixture
def demo(app) -> demo_data.DemoSummary:
    summary = demo_data.generate(persons=PERSONS, today=TODAY)
    db.session.commit()
    return summary


def snapshot() -> list[tuple]:
    persons = db.session.execute(
        select(
            Person.bhxh_code, Person.full_name, Person.cccd, Person.phone, Person.date_of_birth
        ).order_by(Person.id)
    ).all()
    numbers = db.session.scalars(select(HealthCard.number).order_by(HealthCard.id)).all()
    visits = db.session.execute(
        select(func.count(MedicalVisit.id), func.sum(MedicalVisit.total_cost))
    ).one()
    return [tuple(row) for row in persons] + [tuple(numbers), tuple(visits)]


def empty_database() -> None:
    db.session.remove()
    db.drop_all()
    db.create_all()


def test_the_same_seed_gives_the_same_people_and_another_seed_others(app):
    demo_data.generate(persons=PERSONS, seed=7, today=TODAY)
    first = snapshot()
    empty_database()
    demo_data.generate(persons=PERSONS, seed=7, today=TODAY)
    assert snapshot() == first
    empty_database()
    demo_data.generate(persons=PERSONS, seed=8, today=TODAY)
    other = snapshot()
    assert [row[1] for row in other[:PERSONS]] != [row[1] for row in first[:PERSONS]]


def test_is_empty_before_and_generating_twice_is_refused(app):
    assert demo_data.is_empty()
    demo_data.generate(persons=PERSONS, today=TODAY)
    assert not demo_data.is_empty()
    with pytest.raises(RuntimeError):
        demo_data.generate(persons=PERSONS, today=TODAY)


def test_progress_is_told_of_every_person_once(app):
    """The hook a progress bar hangs on (a bar's `update`): 1 per person, `persons` in all."""
    told: list[int] = []
    demo_data.generate(persons=PERSONS, today=TODAY, progress=told.append)
    assert told == [1] * PERSONS


def test_demo_data_shows_a_bar_with_rate_and_time_left_on_stderr_only_if_asked_off_a_terminal(
    app,
):
    runner = app.test_cli_runner()
    quiet = runner.invoke(args=["demo-data", "--persons", "20"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout.startswith("Demo data: 20 persons, ")
    assert quiet.stderr == ""  # stderr is not a terminal here: no bar in tests or logs
    empty_database()
    shown = runner.invoke(args=["demo-data", "--persons", "20", "--progress"])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("Demo data: 20 persons, ")
    last = shown.stderr.strip().split("\r")[-1]
    assert re.search(r"100%.*\| 20/20 \[\d\d:\d\d<\d\d:\d\d, +[\d.]+ persons/s\]", last), last


def test_counts_match_the_tables(demo):
    for model in (
        Person,
        Account,
        HealthCard,
        ParticipationPeriod,
        MedicalVisit,
        Benefit,
        Employer,
    ):
        rows = db.session.scalar(select(func.count()).select_from(model))
        assert demo.counts[model.__tablename__] == rows, model.__tablename__
    assert demo.counts["person"] == PERSONS


def test_bhxh_codes_cccd_and_phones_are_well_formed(demo):
    persons = db.session.scalars(select(Person)).all()
    codes = [p.bhxh_code for p in persons]
    assert len(set(codes)) == len(codes)
    for p in persons:
        assert re.fullmatch(r"\d{10}", p.bhxh_code)
        assert p.bhxh_code[:2] in FORMER_PROVINCES
        assert p.province_code in PROVINCES
        if p.cccd:
            assert re.fullmatch(r"0\d{11}", p.cccd)
            assert p.cccd[1:3] in FORMER_PROVINCES
            century = 0 if p.date_of_birth.year < 2000 else 2
            assert int(p.cccd[3]) == century + p.gender - 1
            assert p.cccd[4:6] == f"{p.date_of_birth.year % 100:02d}"
        if p.cmnd:
            assert re.fullmatch(r"\d{9}", p.cmnd)
        if p.phone:
            assert MOBILE.fullmatch(p.phone), p.phone
        if p.email:
            assert re.fullmatch(r"[a-z0-9.]+@example\.(com|vn|net|org)", p.email), p.email
        assert p.name_folded == fold(p.full_name)
        assert unicodedata.is_normalized("NFC", p.full_name)
        assert len(p.full_name.split()) >= 3
        assert dt.date(1950, 1, 1) <= p.date_of_birth <= TODAY
        if p.date_of_birth > TODAY.replace(year=TODAY.year - 18):
            assert p.guardian_name
    assert sum(1 for p in persons if p.cccd) > 0.6 * len(persons)
    assert any(p.full_name != fold(p.full_name) for p in persons)  # names carry diacritics


def test_every_person_has_a_card_numbered_from_its_parts(demo):
    cards = db.session.scalars(select(HealthCard)).all()
    codes = dict(db.session.execute(select(Person.id, Person.bhxh_code)).all())
    assert sorted(c.person_id for c in cards) == sorted(codes)
    facility_ids = set(db.session.scalars(select(Facility.id)))
    for card in cards:
        assert len(card.number) == 15
        assert card.number == (
            f"{card.group_code}{card.benefit_level}{card.province_code}{codes[card.person_id]}"
        )
        assert card.benefit_percent == PERCENT_OF_LEVEL[card.benefit_level]
        assert card.valid_from <= card.valid_to
        assert card.issued_on <= TODAY
        assert card.facility_id in facility_ids
    states = Counter(card_state(card, TODAY) for card in cards)
    assert states["valid"] > 0.7 * len(cards)
    assert states["expired"] > 0
    assert states["expiring"] > 0
    assert {c.group_code for c in cards} >= {"DN", "HS", "GD", "HT", "TE"}
    assert sum(1 for c in cards if c.five_years_on) > 0.5 * len(cards)


def test_demo_citizens_have_the_records_the_demo_shows(demo):
    assert len(demo.citizens) == 3
    assert demo_data.demo_citizen_codes() == [code for code, _password in demo.citizens]
    people = []
    for code, password in demo.citizens:
        assert password == demo_data.DEMO_PASSWORD
        person = db.session.scalar(select(Person).where(Person.bhxh_code == code))
        assert person.phone and person.cccd and person.account is not None
        people.append(person)
    active, expiring, pensioner = people
    assert verify_password(active.account.password_hash, demo_data.DEMO_PASSWORD)
    assert card_state(current_card(active.id, TODAY), TODAY) == "valid"
    card = current_card(expiring.id, TODAY)
    assert card_state(card, TODAY) == "expiring"
    assert 0 < (card.valid_to - TODAY).days < 30
    assert current_card(pensioner.id, TODAY).group_code == "HT"
    pension = db.session.scalar(
        select(Benefit).where(Benefit.person_id == pensioner.id, Benefit.kind == "monthly")
    )
    assert pension.regime == "pension" and pension.period_to is None
    employers = db.session.scalars(
        select(func.count(func.distinct(ParticipationPeriod.employer_id))).where(
            ParticipationPeriod.person_id == active.id
        )
    ).one()
    assert employers >= 2
    for person in people:
        assert (
            db.session.scalar(select(func.count()).where(MedicalVisit.person_id == person.id)) >= 5
        )


def test_officers_and_their_shared_password(demo):
    assert demo.officer == ("canbo01", "CanBo@2025")
    officers = {o.username: o for o in db.session.scalars(select(Officer))}
    assert officers["canbo01"].role == "admin"
    assert officers["canbo02"].role == "reviewer"
    hanoi = db.session.scalar(select(BhxhOffice).where(BhxhOffice.code == "01000"))
    assert {o.office_id for o in officers.values()} == {hanoi.id}
    assert officers["canbo01"].password_hash == officers["canbo02"].password_hash
    assert verify_password(officers["canbo02"].password_hash, "CanBo@2025")


def test_about_seventy_percent_have_an_account_and_some_adults_can_still_register(demo):
    accounts = db.session.scalars(select(Account)).all()
    assert 0.6 <= len(accounts) / PERSONS <= 0.8
    assert len({a.password_hash for a in accounts}) == 1  # hashed once, shared
    for account in accounts:
        assert account.status == "active" and not account.must_change_password
        age = NOW - aware(account.password_changed_at)
        assert dt.timedelta(0) <= age < dt.timedelta(days=150)
        assert aware(account.created_at) <= aware(account.password_changed_at)
    assert demo.unregistered
    for code, _name in demo.unregistered:
        person = db.session.scalar(select(Person).where(Person.bhxh_code == code))
        assert person.account is None and person.phone
        assert person.date_of_birth <= TODAY.replace(year=TODAY.year - 18)


def test_participation_periods_follow_the_schemes_history(demo):
    periods = db.session.scalars(select(ParticipationPeriod)).all()
    schemes = Counter(p.scheme for p in periods)
    assert set(schemes) == {"bhxh", "bhtn", "bhtnld", "bhyt"}
    for period in periods:
        assert period.start_month.day == 1
        assert period.start_month <= TODAY
        if period.end_month is not None:
            assert period.end_month.day == 1 and period.end_month >= period.start_month
        assert period.contribution_base % 1000 == 0
        assert period.employer_id or period.unit_label
        if period.scheme == "bhtn":
            assert period.start_month >= dt.date(2009, 1, 1)
        if period.scheme == "bhtnld":
            assert period.start_month >= dt.date(2016, 1, 1)
    labels = {p.unit_label for p in periods}
    assert "BHXH tự nguyện" in labels and "BHYT hộ gia đình" in labels
    assert min(p.start_month for p in periods if p.scheme == "bhxh").year <= 2000  # decades


def test_no_person_has_two_overlapping_periods_of_one_scheme(demo):
    by_key: dict[tuple[int, str], list[tuple[dt.date, dt.date]]] = {}
    for period in db.session.scalars(select(ParticipationPeriod)):
        end = period.end_month or TODAY
        by_key.setdefault((period.person_id, period.scheme), []).append((period.start_month, end))
    for spans in by_key.values():
        spans.sort()
        for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
            assert s2 > e1


def test_medical_visits_are_past_and_add_up(demo):
    visits = db.session.scalars(select(MedicalVisit)).all()
    assert visits
    births = dict(db.session.execute(select(Person.id, Person.date_of_birth)).all())
    for visit in visits:
        assert visit.admitted_on <= visit.discharged_on <= TODAY
        assert visit.admitted_on >= births[visit.person_id] - dt.timedelta(days=1)
        assert visit.bhyt_paid + visit.patient_paid == visit.total_cost
        assert 0 <= visit.patient_paid <= visit.total_cost
        assert visit.total_cost % 1000 == 0
        assert visit.diagnosis == demo_data.ICD10[visit.icd10]
        if not visit.inpatient:
            assert 100_000 <= visit.total_cost <= 2_000_000
            assert visit.admitted_on == visit.discharged_on
        else:
            assert 2_000_000 <= visit.total_cost <= 60_000_000
    assert any(v.inpatient for v in visits)
    assert {v.admitted_on.year for v in visits} >= set(range(TODAY.year - 5, TODAY.year + 1))


def test_benefits_are_decided_in_the_past(demo):
    benefits = db.session.scalars(select(Benefit)).all()
    assert {(b.kind, b.regime) for b in benefits} >= {
        ("short_term", "sickness"),
        ("monthly", "pension"),
        ("unemployment", "unemployment"),
    }
    for benefit in benefits:
        assert benefit.decided_on <= TODAY
        assert benefit.amount > 0
        assert benefit.paid_on is None or benefit.decided_on <= benefit.paid_on <= TODAY


def test_dossiers_pending_within_their_ten_days(demo):
    dossiers = db.session.scalars(select(RegistrationDossier)).all()
    numbers = [d.number for d in dossiers]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"HS\d{4}-\d{6}", n) for n in numbers)
    states = Counter((d.kind, d.state) for d in dossiers)
    assert states[("register", "declared")] > 0
    assert states[("register", "approved")] > 0
    assert states[("register", "rejected")] > 0
    assert states[("change_info", "declared")] > 0
    for dossier in dossiers:
        declared = aware(dossier.declared_at)
        assert aware(dossier.deadline_at) - declared == dt.timedelta(days=10)
        assert declared <= NOW
        person = db.session.get(Person, dossier.person_id) if dossier.person_id else None
        if dossier.kind == "register" and dossier.state == "declared":
            assert aware(dossier.deadline_at) > NOW
            assert person.account is None
        if dossier.state == "approved":
            assert person.account is not None and dossier.decided_by_id
        if dossier.state == "rejected":
            assert dossier.reason and person.account is None


def test_directories_cover_every_province(demo):
    offices = db.session.scalars(select(BhxhOffice)).all()
    provincial = [o for o in offices if o.level == "province"]
    assert sorted(o.province_code for o in provincial) == sorted(PROVINCES)
    assert all(o.latitude and o.longitude for o in offices)
    assert all(o.name.startswith("BHXH cơ sở") for o in offices if o.level == "commune")
    facilities = db.session.scalars(select(Facility)).all()
    assert len(facilities) >= 8 * len(PROVINCES)
    for facility in facilities:
        assert re.fullmatch(r"\d{5}", facility.code) and facility.code[:2] == facility.province_code
        assert facility.name_folded == search_text(facility.name)
    assert any(f.issues_sick_leave for f in facilities)
    assert sum(f.has_bhyt_contract for f in facilities) > 0.8 * len(facilities)
    employers = db.session.scalars(select(Employer)).all()
    assert len(employers) >= 300
    assert all(re.fullmatch(r"[A-Z]{2}\d{4}[A-Z]", e.unit_code) for e in employers)
    assert all(re.fullmatch(r"\d{10}", e.tax_code) for e in employers)
    points = db.session.scalars(select(CollectionPoint)).all()
    assert {p.kind for p in points} == {"point", "agent"}
    assert {p.province_code for p in points} == set(PROVINCES)


def test_news_and_faq_in_both_languages(demo):
    news = db.session.scalars(select(NewsArticle)).all()
    assert len(news) >= 12
    assert len({n.slug for n in news}) == len(news)
    assert all(re.fullmatch(r"[a-z0-9-]+", n.slug) for n in news)
    assert sum(1 for n in news if n.title_en) >= 6
    assert all(aware(n.published_at) <= NOW for n in news)
    faq = db.session.scalars(select(FaqEntry)).all()
    assert len(faq) >= 40
    assert {f.topic for f in faq} == set(faq_service.TOPICS)  # the content file, loaded
    assert all(f.question_en and f.answer_en for f in faq)
    assert any(f.question_vi == "Quên mật khẩu thì làm thế nào?" for f in faq)


def test_the_app_can_add_rows_after_the_demo(demo):
    """Explicit ids must not leave PostgreSQL's sequences behind the data."""
    entry = FaqEntry(topic="account", question_vi="Câu hỏi mới?", answer_vi="Trả lời.", position=99)
    db.session.add(entry)
    db.session.commit()
    assert entry.id == db.session.scalar(select(func.max(FaqEntry.id)))
    article = NewsArticle(
        slug="moi", title_vi="Mới", summary_vi="Tóm tắt", body_vi="Bài.", published_at=NOW
    )
    db.session.add(article)
    db.session.commit()
    assert article.id == demo.counts["news_article"] + 1
