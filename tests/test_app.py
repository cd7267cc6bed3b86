"""Cross-cutting: catalogues, language switch, formats, headers, migration, page weight."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from bs4 import BeautifulSoup

from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.templating import format_date, format_datetime, format_money, format_number

ROOT = Path(__file__).parent.parent


def _catalogue(lang: str):
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def _source_msgids() -> set[str]:
    method_map = [
        ("webapp/**.py", "python"),
        ("webapp/templates/**.html", "jinja2"),
        ("webapp/templates/**.txt", "jinja2"),
    ]
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("lang", [lang for lang in TestConfig.LANGUAGES if lang != "en"])
def test_every_msgid_in_the_code_has_a_translation(lang):
    """Every language but English (the msgids) is complete: no page shows a sentence in
    English to a reader of Vietnamese, Korean, Japanese or Chinese."""
    catalogue = _catalogue(lang)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue if m.id}
    missing = sorted(i for i in _source_msgids() if i not in translated or not translated[i].string)
    fuzzy = sorted(i for i, m in translated.items() if m.fuzzy)
    assert not missing, f"msgids without a translation in {lang}: {missing}"
    assert not fuzzy, f"fuzzy translations in {lang}: {fuzzy}"


@pytest.mark.parametrize("lang", [lang for lang in TestConfig.LANGUAGES if lang != "en"])
def test_translations_keep_the_placeholders_of_their_msgid(lang):
    """A translation that drops or renames `%(name)s` breaks the page that formats it."""
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]")
    wrong = []
    for message in _catalogue(lang):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(placeholder.findall(ids[-1])) | set(placeholder.findall(ids[0]))
        for string in strings:
            if not set(placeholder.findall(string)) <= expected:
                wrong.append(ids[0])
            elif len(ids) == 1 and set(placeholder.findall(string)) != expected:
                wrong.append(ids[0])
    assert not wrong, f"placeholders changed in {lang}: {wrong}"


def test_a_lazy_text_follows_the_request_and_a_forced_language(app):
    """The request keeps its catalogue beside its locale: a message forced into another
    language (an SMS in the recipient's) and a language changed mid-request still translate."""
    from flask_babel import force_locale, lazy_gettext, refresh

    sign_out = lazy_gettext("Sign out")
    # each request in an application context of its own, as a server gives it
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "vi"}):
        assert str(sign_out) == "Đăng xuất"
        with force_locale("en"):
            assert str(sign_out) == "Sign out"
            with force_locale("ko"):
                assert str(sign_out) == "로그아웃"
            assert str(sign_out) == "Sign out"
        assert str(sign_out) == "Đăng xuất"
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert str(sign_out) == "Sign out"
        from flask import request

        request.cookies = {"lang": "vi"}
        refresh()
        assert str(sign_out) == "Đăng xuất"


def test_formats_are_vietnamese_in_both_languages():
    assert format_date(dt.date(2026, 3, 7)) == "07/03/2026"
    assert format_money(1_234_567) == "1.234.567\u00a0₫"
    assert format_money(0) == "0\u00a0₫"
    # 03:05 UTC is 10:05 in Hà Nội
    assert format_datetime(dt.datetime(2026, 1, 2, 3, 5, tzinfo=dt.UTC)) == "02/01/2026 10:05"


@pytest.mark.parametrize(
    "value", [0, 7, -7, 999, 1000, -1000, 1_234_567, -98_765_432, 10**15 + 3, -(10**18), 12.5]
)
def test_numbers_are_grouped_as_babel_groups_them_in_vietnamese(value):
    """Whole numbers take a direct path; it must agree with Babel's Vietnamese pattern."""
    assert format_number(value) == format_decimal(value, locale="vi")
    assert format_money(value) == format_decimal(value, locale="vi") + "\u00a0₫"


def _switch(client, lang: str, next_url: str = "/login"):
    soup = client.page(next_url)
    token = soup.select_one("form.lang-switch input[name=csrf_token]")["value"]
    return client.post("/language", data={"lang": lang, "next": next_url, "csrf_token": token})


NATIVE_NAMES = {
    "vi": "Tiếng Việt",
    "en": "English",
    "ko": "한국어",
    "ja": "日本語",
    "zh_Hans": "简体中文",
}


def test_the_language_menu_names_every_language_in_itself(client):
    soup = client.page("/login")
    menu = soup.select_one("details.lang-menu")
    assert menu.summary.get_text(" ", strip=True) == "Ngôn ngữ: Tiếng Việt"
    buttons = menu.select("form.lang-switch button[name=lang]")
    assert {b["value"]: b.get_text() for b in buttons} == NATIVE_NAMES
    assert [b["lang"] for b in buttons] == ["vi", "en", "ko", "ja", "zh-Hans"]
    assert [b["value"] for b in buttons if b.get("aria-current") == "true"] == ["vi"]


@pytest.mark.parametrize("lang", TestConfig.LANGUAGES)
def test_each_language_is_chosen_from_the_menu_and_remembered_by_the_browser(client, lang):
    response = _switch(client, lang)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    soup = client.page("/login")
    sign_in = _catalogue(lang)["Sign in"].string if lang != "en" else "Sign in"
    assert sign_in and soup.h1.get_text() == sign_in
    assert soup.html["lang"] == lang.replace("_", "-")
    summary = soup.select_one("details.lang-menu summary").get_text(" ", strip=True)
    assert summary.endswith(NATIVE_NAMES[lang])
    current = soup.select("form.lang-switch button[aria-current=true]")
    assert [b["value"] for b in current] == [lang]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("ko-KR,ko;q=0.9,en;q=0.8", "ko"),
        ("ja", "ja"),
        ("zh-CN,zh;q=0.9", "zh-Hans"),
        ("zh-TW", "zh-Hans"),
        ("zh-Hans-CN", "zh-Hans"),
        ("en-US,en;q=0.9", "en"),
        ("fr-FR,de;q=0.5", "vi"),
        ("fr-FR,ja;q=0.3", "ja"),
        ("", "vi"),
        ("*", "vi"),
        ("x" * 4000, "vi"),
        (";q=;;,,", "vi"),
    ],
)
def test_the_browser_language_chooses_the_first_visit(client, accept, expected):
    soup = client.page("/login", headers={"Accept-Language": accept})
    assert soup.html["lang"] == expected


def test_a_chosen_language_outranks_the_browser_language(client):
    _switch(client, "ja")
    soup = client.page("/login", headers={"Accept-Language": "ko-KR"})
    assert soup.html["lang"] == "ja"


def test_language_is_remembered_on_the_account(app, client, citizen, login):
    _switch(client, "en", "/ca-nhan/")
    db.session.refresh(citizen.account)
    assert citizen.account.locale == "en"
    other_browser = app.test_client()  # the same phone, another browser
    other_browser.set_cookie("device_id", client.get_cookie("device_id").value)
    login(citizen.bhxh_code, c=other_browser)
    assert other_browser.page("/ca-nhan/").h1.get_text() == "Personal management"
    _switch(other_browser, "zh_Hans", "/ca-nhan/")  # a name longer than the first two
    db.session.refresh(citizen.account)
    assert citizen.account.locale == "zh_Hans"


@pytest.mark.parametrize("lang", ["fr", "", "<script>", "x" * 5000])
def test_unknown_language_changes_nothing(client, lang):
    _switch(client, lang)
    assert client.page("/login").h1.get_text() == "Đăng nhập"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example", "javascript:alert(1)"]
)
def test_language_switch_never_redirects_off_site(client, next_url):
    soup = client.page("/login")
    token = soup.select_one("form.lang-switch input[name=csrf_token]")["value"]
    response = client.post("/language", data={"lang": "en", "next": next_url, "csrf_token": token})
    assert response.headers["Location"] == "/ca-nhan/"


@pytest.mark.parametrize("url", ["/login", "/static/css/app.css", "/no-such-page"])
def test_security_headers_on_pages_static_files_and_errors(client, url):
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_not_found_is_a_translated_page(client):
    soup = client.page("/no-such-page", status=404)
    assert soup.h1.get_text() == "Không tìm thấy trang"


def test_personal_pages_are_never_stored_by_shared_caches(client, citizen):
    response = client.get("/ca-nhan/")
    assert response.headers["Cache-Control"] == "private, no-store"


def test_home_shows_masked_phone_and_id_and_every_feature(client, citizen):
    soup = client.page("/ca-nhan/")
    text = soup.get_text(" ")
    assert citizen.bhxh_code in text and "Trần Văn Bình" in text and "14/03/1985" in text
    assert citizen.phone not in text and citizen.cccd not in text
    assert f"{citizen.phone[:3]}****{citizen.phone[-3:]}" in text
    assert "********" + citizen.cccd[-4:] in text
    tiles = [a.get_text(strip=True) for a in soup.select("nav.tiles a")]
    assert tiles == [
        "Thẻ BHYT",
        "Xem thẻ",
        "Quá trình tham gia BH",
        "Thông tin hưởng",
        "Sổ khám chữa bệnh",
        "Thông báo",
        "Gia đình",
        "Đổi mật khẩu",
    ]
    assert soup.select_one("form.logout button").get_text() == "Đăng xuất"


def test_citizen_pages_stay_small_on_first_load(client, citizen):
    """A citizen page with its CSS and JS, gzip-compressed, stays well under 60 KB."""
    for url in ["/ca-nhan/", "/ca-nhan/the-bhyt/xem", "/ca-nhan/so-kham-chua-benh"]:
        response = client.get(url)
        assert response.status_code == 200
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assets = [t["href"] for t in soup.select("link[rel=stylesheet]")]
        assets += [t["src"] for t in soup.select("script[src]")]
        total = len(gzip.compress(response.get_data()))
        for asset in assets:
            asset_response = client.get(asset)
            assert asset_response.status_code == 200, asset
            total += len(gzip.compress(asset_response.get_data()))
            asset_response.close()
        assert total < 40_000, (url, total)


def test_migrations_build_the_schema_of_the_models(tmp_path):
    """`flask db upgrade` on an empty database gives exactly the tables of the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from flask_migrate import upgrade

    class MigratedConfig(TestConfig):
        def __init__(self, instance_path: str) -> None:
            super().__init__(instance_path)
            self.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
            self.SQLALCHEMY_ENGINE_OPTIONS = {}  # none of PostgreSQL's (a test schema)

    app = create_app(MigratedConfig)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    assert diff == []


def test_templates_url_for_remembers_urls_and_builds_what_flask_builds(app):
    """The templates' `url_for` keeps what it built; every URL is the one Flask builds."""
    url_for = app.jinja_env.globals["url_for"]
    cases = [
        ("static", {"filename": "css/app.css"}),
        ("citizen.home", {}),
        ("public.news_article", {"slug": "tin-1"}),
        ("officer.queue", {"page": 2}),
        ("officer.queue", {"page": 2.0}),  # another type: another URL
        ("officer.queue", {"page": True}),
        ("officer.queue", {"state": ["a", "b"]}),  # unhashable: built
        ("citizen.home", {"_external": True}),
        ("citizen.home", {"_anchor": "top"}),
    ]
    with app.test_request_context("/", base_url="https://vssid.example/app"):
        for endpoint, values in cases:
            for _ in range(2):
                assert url_for(endpoint, **values) == app.url_for(endpoint, **values)
        assert url_for("citizen.home").startswith("/app/")
    with app.test_request_context("/"):  # another mount point: not the URL kept above
        assert url_for("citizen.home") == app.url_for("citizen.home") == "/ca-nhan/"
    assert url_for.cache_info().hits >= 5


def test_templates_translate_as_jinjas_newstyle_gettext_does(app):
    """Escaped values, a percent sign written %%, plural with num, and in Vietnamese."""
    source = (
        "{{ _('Hello %(name)s, 50%%', name=who) }}|"
        "{{ ngettext('%(num)d office', '%(num)d offices', n) }}|"
        "{% trans %}Skip to content{% endtrans %}|{{ _('Skip to content') }}"
    )
    with app.test_request_context("/"):
        template = app.jinja_env.from_string(source)
        html = template.render(who="<b>Lan</b>", n=3)
        assert html.split("|") == [
            "Hello &lt;b&gt;Lan&lt;/b&gt;, 50%",
            "3 cơ quan BHXH",
            "Chuyển đến nội dung chính",
            "Chuyển đến nội dung chính",
        ]
