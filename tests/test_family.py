"""The family's cards on one phone (issue 15): children's cards by the household registry,
delegations between adults, the access log, and that nobody reaches what was not granted.
The browser's side (offline copies kept and forgotten) is in tests/e2e/test_family_browser.py."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from tests import factories
from tests.conftest import NOW
from tests.test_security import csrf, otp_from_outbox, post_form
from webapp.extensions import db
from webapp.models import AccessLogEntry, Delegation, HealthCard, Household, Notification
from webapp.services import access_log, cards
from webapp.services.clock import as_utc

FAMILY = "/ca-nhan/gia-dinh"
NEW = f"{FAMILY}/uy-quyen"
LOG = "/ca-nhan/nhat-ky-truy-cap"


def shared(person_id: int, page: str = "the-bhyt") -> str:
    return f"/ca-nhan/nguoi-than/{person_id}/{page}"


def household(**kw) -> Household:
    row = Household(
        code=kw.pop("code", f"HG01{next(factories._seq):07d}"),
        head_name="Chủ hộ",
        address="Số 5, phố Thử, Hà Nội",
        province_code="01",
    )
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def home(app, citizen):
    """The signed-in citizen as head of a household with a spouse, a child of 9 with a card,
    a child of 17, an adult child of 19 and a grandparent; and a child of another household."""
    house = household()
    citizen.household_id, citizen.household_relation = house.id, "head"
    members = {
        "spouse": factories.person(
            full_name="Phạm Thị Mai", household_id=house.id, household_relation="spouse"
        ),
        "child": factories.person(
            account=False,
            full_name="Trần Minh An",
            date_of_birth=dt.date(2017, 5, 1),
            household_id=house.id,
            household_relation="child",
            guardian_name=citizen.full_name,
        ),
        "teen": factories.person(
            account=False,
            full_name="Trần Thu Hà",
            date_of_birth=dt.date(2008, 11, 26),  # 18 on 26/11/2026, the day after NOW
            household_id=house.id,
            household_relation="child",
        ),
        "adult_child": factories.person(
            full_name="Trần Văn Lớn",
            date_of_birth=dt.date(2007, 1, 2),
            household_id=house.id,
            household_relation="child",
        ),
        "grandparent": factories.person(
            full_name="Trần Văn Ông",
            date_of_birth=dt.date(1950, 1, 2),
            household_id=house.id,
            household_relation="parent",
        ),
    }
    factories.card(members["child"], group_code="TE", benefit_level=1)
    factories.card(members["teen"], group_code="HS", benefit_level=4)
    factories.card(members["adult_child"])
    other_house = household()
    members["strange_child"] = factories.person(
        account=False,
        full_name="Lạ Văn Con",
        date_of_birth=dt.date(2016, 1, 1),
        household_id=other_house.id,
        household_relation="child",
    )
    factories.card(members["strange_child"])
    db.session.commit()
    return members


# --- Children's cards -----------------------------------------------------------------------------


def test_a_parent_sees_their_childrens_cards_named_and_with_the_qr(client, citizen, home):
    soup = client.page(FAMILY)
    text_ = soup.get_text(" ")
    assert "Trần Minh An" in text_ and "Trần Thu Hà" in text_
    assert "Trần Văn Lớn" not in text_ and "Lạ Văn Con" not in text_  # an adult, a stranger
    soup = client.page(shared(home["child"].id, "the-bhyt/xem"))
    assert soup.select_one(".bhyt-card-name").get_text(strip=True) == "Trần Minh An"
    assert soup.select_one("svg.card-qr") is not None
    assert "Trần Minh An" in soup.select_one(".shared-banner").get_text()
    details = client.page(shared(home["child"].id))
    assert f"TE101{home['child'].bhxh_code}" in details.get_text()
    # its links stay on the child's pages
    assert details.find("a", href=shared(home["child"].id, "the-bhyt/xem"))


def test_the_head_s_spouse_sees_them_too_a_grandparent_does_not(app, home, login):
    spouse = app.test_client()
    assert login(home["spouse"].bhxh_code, c=spouse).status_code == 302
    assert spouse.get(shared(home["child"].id)).status_code == 200
    grandparent = app.test_client()
    assert login(home["grandparent"].bhxh_code, c=grandparent).status_code == 302
    assert grandparent.get(shared(home["child"].id)).status_code == 404


def test_a_childs_card_only_not_the_rest_of_their_records(client, home):
    child = home["child"].id
    for page in ("so-kham-chua-benh", "qua-trinh-tham-gia", "thong-tin-huong"):
        assert client.get(shared(child, page)).status_code == 404, page


def test_the_access_ends_by_itself_at_18_and_when_the_household_changes(client, clock, home):
    teen = home["teen"]
    assert client.get(shared(teen.id)).status_code == 200
    clock.advance(days=1)  # the 18th birthday
    assert client.get(shared(teen.id)).status_code == 404
    assert "Trần Thu Hà" not in client.page(FAMILY).get_text()
    child = home["child"]
    child.household_id = household().id  # the registry moved the child
    db.session.commit()
    assert client.get(shared(child.id)).status_code == 404


def test_each_view_of_a_childs_card_is_in_the_childs_log(client, citizen, home):
    client.get(shared(home["child"].id))
    client.get(shared(home["child"].id, "the-bhyt/xem"))
    entries = access_log.entries(home["child"].id).entries
    assert [(e.kind, e.viewer_type, e.viewer_name) for e in entries] == [
        ("card", "guardian", citizen.full_name)
    ] * 2


# --- Delegations -------------------------------------------------------------------------------


def act(browser, delegation, action: str):
    """Press a delegation's button (accept, decline, end) on the family page."""
    url = f"{FAMILY}/uy-quyen/{delegation.id}/{action}"
    return browser.post(url, data={"csrf_token": csrf(browser, FAMILY)})


def offer(client, grantor, delegate, parts=("card", "book"), period="30"):
    response = client.post(
        NEW,
        data={
            "csrf_token": csrf(client, NEW),
            "bhxh_code": delegate.bhxh_code,
            "full_name": delegate.full_name.upper(),  # as people type it
            "parts": list(parts),
            "period": period,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith(f"{NEW}/otp")
    response = post_form(client, f"{NEW}/otp", code=otp_from_outbox(grantor.phone))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(FAMILY)
    return db.session.scalars(select(Delegation).order_by(Delegation.id.desc())).first()


@pytest.fixture
def delegate(app, login):
    """Another adult account holder, signed in on their own phone."""
    person = factories.person(full_name="Đoàn Thị Hiền")
    db.session.commit()
    browser = app.test_client()
    assert login(person.bhxh_code, c=browser).status_code == 302
    return person, browser


def test_a_delegation_offered_accepted_used_logged_and_ended(client, citizen, delegate, clock):
    factories.visit(citizen, admitted_on=dt.date(2026, 10, 2), diagnosis="Viêm họng cấp")
    factories.benefit(citizen, amount=3_333_333)
    db.session.commit()
    person, browser = delegate
    delegation = offer(client, citizen, person)
    assert delegation.state == "offered" and delegation.parts == "card,book"
    assert as_utc(delegation.ends_at) == NOW + dt.timedelta(days=30)
    # Not accepted yet: nothing to see; the offer is in the delegate's inbox and family page.
    assert browser.get(shared(citizen.id)).status_code == 404
    inbox = browser.page("/ca-nhan/thong-bao").get_text(" ")
    assert f"{citizen.full_name} đề nghị ủy quyền cho bạn" in inbox
    page = browser.page(FAMILY)
    assert "Đang chờ bạn trả lời" in page.get_text()
    response = act(browser, delegation, "chap-nhan")
    assert response.status_code == 302
    # Now the card and the book, not the benefits.
    assert "Viêm họng cấp" in browser.page(shared(citizen.id, "so-kham-chua-benh")).get_text()
    assert browser.get(shared(citizen.id)).status_code == 200
    assert browser.get(shared(citizen.id, "thong-tin-huong")).status_code == 404
    response = browser.get(FAMILY)
    assert response.headers["X-Vssid-Shared"] == str(citizen.id)
    # The grantor reads who looked, newest first, and can filter by kind.
    soup = client.page(LOG)
    entries = [li.get_text(" ", strip=True) for li in soup.select(".access-entry")]
    assert len(entries) == 2 and all(person.full_name in e for e in entries)
    assert "Thẻ BHYT" in entries[0] and "Sổ khám chữa bệnh" in entries[1]
    book_only = client.page(f"{LOG}?kind=book").select(".access-entry")
    assert len(book_only) == 1 and "Sổ khám chữa bệnh" in book_only[0].get_text()
    # The grantor ends it: the delegate sees nothing more, and is told.
    response = act(client, delegation, "ket-thuc")
    assert response.status_code == 302
    assert browser.get(shared(citizen.id)).status_code == 404
    assert browser.get(FAMILY).headers["X-Vssid-Shared"] == ""
    assert f"{citizen.full_name} đã kết thúc một ủy quyền" in browser.page(
        "/ca-nhan/thong-bao"
    ).get_text(" ")


def test_the_delegate_can_decline_or_end_it_and_it_ends_with_its_period(
    client, citizen, delegate, clock
):
    person, browser = delegate
    first = offer(client, citizen, person)
    assert act(browser, first, "tu-choi").status_code == 302
    db.session.refresh(first)
    assert first.state == "declined"
    clock.advance(minutes=2)
    second = offer(client, citizen, person, period="7")
    act(browser, second, "chap-nhan")
    assert browser.get(shared(citizen.id)).status_code == 200
    clock.advance(days=7)
    assert browser.get(shared(citizen.id)).status_code == 404  # its period is over
    clock.set(NOW)
    assert act(browser, second, "ket-thuc").status_code == 302
    db.session.refresh(second)
    assert (second.state, second.ended_by) == ("ended", "delegate")


def test_one_open_delegation_per_pair(client, citizen, delegate):
    person, _browser = delegate
    offer(client, citizen, person)
    response = client.post(
        NEW,
        data={
            "csrf_token": csrf(client, NEW),
            "bhxh_code": person.bhxh_code,
            "full_name": person.full_name,
            "parts": ["benefits"],
            "period": "7",
        },
    )
    assert response.status_code == 400
    assert "Bạn đã ủy quyền hoặc đề nghị ủy quyền" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({}, "bhxh_code", "Nhập mã số BHXH của người được ủy quyền"),
        ({}, "full_name", "Nhập họ và tên người được ủy quyền"),
        ({}, "parts", "Chọn ít nhất một phần"),
        ({}, "period", "Chọn thời hạn ủy quyền"),
        ({"bhxh_code": "12345"}, "bhxh_code", "Mã số BHXH gồm 10 chữ số"),
        ({"bhxh_code": "9" * 5000}, "bhxh_code", "Mã số BHXH gồm 10 chữ số"),
        ({"full_name": "<script>alert(1)</script>"}, "full_name", "chỉ gồm chữ cái và dấu cách"),
        ({"full_name": "A" * 121}, "full_name", "có tối đa 120 ký tự"),
        ({"parts": ["card", "passwords"]}, "parts", "Chọn ít nhất một phần"),
        ({"period": "100000"}, "period", "Chọn thời hạn ủy quyền"),
        ({"full_name": "Người Khác Hẳn"}, "bhxh_code", "Không có người trưởng thành nào"),
    ],
)
def test_wrong_empty_oversized_and_hostile_values_are_refused_by_their_field(
    client, citizen, delegate, values, field, message
):
    person, _browser = delegate
    data = {
        "bhxh_code": person.bhxh_code,
        "full_name": person.full_name,
        "parts": ["card"],
        "period": "30",
    }
    for name in values:
        data.pop(name)
    if values == {}:
        data = {}
    data.update(values)
    response = client.post(NEW, data={"csrf_token": csrf(client, NEW), **data})
    assert response.status_code == 400
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    error = soup.select_one(f"#{field}-error")
    assert error is not None and message in error.get_text(), soup.select(".error-message")
    assert db.session.scalar(select(Delegation.id)) is None


def test_no_delegation_to_oneself_a_minor_or_someone_without_an_account(client, citizen):
    minor = factories.person(full_name="Lê Văn Nhỏ", date_of_birth=dt.date(2010, 1, 1))
    no_account = factories.person(full_name="Lê Văn Không", account=False)
    db.session.commit()
    for who, message in (
        (citizen, "mã số BHXH của chính bạn"),
        (minor, "Không có người trưởng thành nào"),
        (no_account, "Không có người trưởng thành nào"),
    ):
        response = client.post(
            NEW,
            data={
                "csrf_token": csrf(client, NEW),
                "bhxh_code": who.bhxh_code,
                "full_name": who.full_name,
                "parts": ["card"],
                "period": "7",
            },
        )
        assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_a_wrong_code_offers_nothing(client, citizen, delegate):
    person, _browser = delegate
    client.post(
        NEW,
        data={
            "csrf_token": csrf(client, NEW),
            "bhxh_code": person.bhxh_code,
            "full_name": person.full_name,
            "parts": ["card"],
            "period": "7",
        },
    )
    code = otp_from_outbox(citizen.phone)
    wrong = "000000" if code != "000000" else "111111"
    response = post_form(client, f"{NEW}/otp", code=wrong)
    assert response.status_code == 400
    assert db.session.scalar(select(Delegation.id)) is None


# --- Privacy -------------------------------------------------------------------------------------


def test_nobody_reaches_what_was_not_granted(
    app, client, login, citizen, delegate, other_citizen, home
):
    person, browser = delegate
    delegation = offer(client, citizen, person, parts=("card",))
    stranger = other_citizen.id
    # The delegate, before accepting: nothing of the grantor's, and nobody else's.
    pages = (
        "the-bhyt",
        "the-bhyt/xem",
        "so-kham-chua-benh",
        "so-kham-chua-benh/2025",
        "qua-trinh-tham-gia",
        "thong-tin-huong",
        "so-kham-chua-benh/luot/1",
    )
    for who in (citizen.id, stranger, home["child"].id, person.id, 0, 999_999_999):
        for page in pages:
            assert browser.get(shared(who, page)).status_code == 404, (who, page)
            # the fragments htmx asks for (a scheme's tab, a year of the book) too
            assert browser.htmx(shared(who, page)).status_code == 404, (who, page)
    assert browser.htmx(shared(citizen.id, "qua-trinh-tham-gia?scheme=bhyt")).status_code == 404
    # Another citizen cannot answer or end an offer made to someone else.
    outsider = app.test_client()
    assert login(other_citizen.bhxh_code, c=outsider).status_code == 302
    for action in ("chap-nhan", "tu-choi", "ket-thuc"):
        url = f"{FAMILY}/uy-quyen/{delegation.id}/{action}"
        response = outsider.post(url, data={"csrf_token": csrf(outsider, FAMILY)})
        assert response.status_code == 404, action
    db.session.refresh(delegation)
    assert delegation.state == "offered"
    # The grantor cannot accept their own offer.
    response = client.post(
        f"{FAMILY}/uy-quyen/{delegation.id}/chap-nhan", data={"csrf_token": csrf(client, FAMILY)}
    )
    assert response.status_code == 404
    # A visit of someone else through a delegation of the card only: not found.
    visit = factories.visit(citizen, admitted_on=dt.date(2026, 1, 5))
    db.session.commit()
    act(browser, delegation, "chap-nhan")
    assert browser.get(shared(citizen.id, f"so-kham-chua-benh/luot/{visit.id}")).status_code == 404


def test_officers_never_reach_the_family_pages(officer, home):
    for url in (FAMILY, NEW, LOG, shared(home["child"].id)):
        assert officer.browser.get(url).status_code == 403, url


def test_signed_out_the_family_pages_ask_to_sign_in(app, home):
    anonymous = app.test_client()
    for url in (FAMILY, NEW, LOG, shared(home["child"].id)):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_a_shared_page_tells_the_worker_until_when_to_show_it(client, citizen, delegate, home):
    response = client.get(shared(home["child"].id))
    assert response.headers["X-Vssid-Until"] == "2035-04-30T17:00:00+00:00"  # 18, in Hà Nội
    person, browser = delegate
    delegation = offer(client, citizen, person, period="7")
    act(browser, delegation, "chap-nhan")
    response = browser.get(shared(citizen.id))
    assert response.headers["X-Vssid-Until"] == (NOW + dt.timedelta(days=7)).isoformat()
    assert "X-Vssid-Until" not in browser.get("/ca-nhan/the-bhyt").headers


def test_the_shared_list_tells_the_worker_whom_to_keep(client, home):
    response = client.get("/ca-nhan/")
    kept = response.headers["X-Vssid-Shared"].split(",")
    assert kept == sorted([str(home["child"].id), str(home["teen"].id)], key=int)
    assert "X-Vssid-Shared" not in client.get("/ca-nhan/the-bhyt").headers


# --- The access log -------------------------------------------------------------------------------


def test_an_officer_opening_a_dossier_is_logged_and_in_the_inbox_once_a_day(
    client, citizen, officer
):
    dossier = factories.dossier(bhxh_code=citizen.bhxh_code, full_name=citizen.full_name)
    db.session.commit()
    for _ in range(2):
        assert officer.browser.get(f"/officer/ho-so/{dossier.number}").status_code == 200
    soup = client.page(f"{LOG}?kind=dossier")
    entries = soup.select(".access-entry")
    assert len(entries) == 2
    assert (
        officer.record.full_name in entries[0].get_text() and "Cán bộ BHXH" in entries[0].get_text()
    )
    titles = db.session.scalars(
        select(Notification.kind).where(Notification.account_id == citizen.account.id)
    ).all()
    assert titles.count("viewed_by_officer") == 1
    inbox = client.page("/ca-nhan/thong-bao").get_text(" ")
    assert "Cán bộ BHXH đã mở hồ sơ của bạn ngày 25/11/2026" in inbox


def test_a_qr_check_on_the_verify_page_is_logged_unless_the_holder_checks(
    app, client, citizen, home
):
    card = db.session.scalar(select(HealthCard).where(HealthCard.person_id == home["child"].id))
    key = cards.signing_key_from_config(app.config)
    payload = cards.signed_payload(cards.qr_fields(card, home["child"]), key)
    anonymous = app.test_client()
    response = post_form(anonymous, "/verify", payload=payload)
    assert response.status_code == 200
    entries = access_log.entries(home["child"].id, "qr").entries
    assert [(e.viewer_type, e.viewer_name) for e in entries] == [("verifier", None)]
    own = db.session.scalar(select(HealthCard).where(HealthCard.person_id == citizen.id))
    post_form(client, "/verify", payload=cards.signed_payload(cards.qr_fields(own, citizen), key))
    assert access_log.entries(citizen.id, "qr").entries == []


def test_the_log_is_append_only_and_kept_for_its_retention(app, citizen):
    now = NOW
    access_log.record(citizen.id, "card", "verifier", now - dt.timedelta(days=800))
    access_log.record(citizen.id, "card", "verifier", now - dt.timedelta(days=10))
    db.session.commit()
    with pytest.raises(DatabaseError):
        db.session.execute(text("UPDATE access_log SET viewer_name = 'someone else'"))
        db.session.flush()
    db.session.rollback()
    assert access_log.purge(now, app.config["ACCESS_LOG_RETENTION_DAYS"]) == 1
    db.session.commit()
    assert db.session.scalar(select(db.func.count(AccessLogEntry.id))) == 1


def test_the_log_filter_refuses_unknown_kinds(client, citizen):
    assert client.get(f"{LOG}?kind=passwords").status_code == 404
    assert client.get(f"{LOG}?page=0").status_code == 404
    assert client.get(f"{LOG}?page=abc").status_code == 404
    assert "Chưa có ai khác xem" in client.page(LOG).get_text()


def test_an_offer_whose_period_passed_does_not_block_a_new_one(client, citizen, delegate, clock):
    """Never accepted, a 7-day offer lapses; the grantor can offer again, and the lapsed one
    is recorded as ended by its period."""
    person, browser = delegate
    first = offer(client, citizen, person, period="7")
    clock.advance(days=8)
    second = offer(client, citizen, person, period="30")
    db.session.refresh(first)
    assert (first.state, first.ended_by) == ("ended", "period")
    assert second.state == "offered" and second.id != first.id
    assert act(browser, first, "chap-nhan").status_code == 404
    assert act(browser, second, "chap-nhan").status_code == 302


def test_qr_checks_on_the_verify_page_are_limited_per_address(app, client, home):
    """Each check of a genuine card writes a row of its holder's log: one address cannot write
    them without end."""
    app.config["VERIFY_LIMIT_PER_IP"] = "2 per minute"
    card = db.session.scalar(select(HealthCard).where(HealthCard.person_id == home["child"].id))
    payload = cards.signed_payload(
        cards.qr_fields(card, home["child"]), cards.signing_key_from_config(app.config)
    )
    anonymous = app.test_client()
    statuses = [post_form(anonymous, "/verify", payload=payload).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert len(access_log.entries(home["child"].id, "qr").entries) == 2
