"""Tra cứu as people type: abbreviations (TP, BV, TTYT, PK, Cty, TNHH, MTV, HCM, HN, Q., P., …)
in the query or in the row's name, no diacritics, stray dots and spaces, other names of a
province ("Sài Gòn", "TP.HCM") and the former provinces merged on 1 July 2025 ("Bình Dương",
"Thừa Thiên Huế"), which name the province they are part of now."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select, text

from tests import factories
from webapp.extensions import db
from webapp.models import Facility
from webapp.services import lookups
from webapp.services.provinces import FORMER_PROVINCES, PROVINCES
from webapp.services.text import search_text, search_words

FACILITIES = "/tra-cuu/cskcb-kham-chua-benh-bhyt"
EMPLOYERS = "/tra-cuu/don-vi-tham-gia"

ROWS = {
    # name: province code (74 and 77 are former provinces' codes, as older rows keep them)
    "Bệnh viện Bạch Mai": "01",
    "BV Đa khoa Xanh Pôn": "01",
    "Trung tâm Y tế quận Ba Đình": "01",
    "Bệnh viện Chợ Rẫy": "79",
    "TTYT huyện Củ Chi": "79",
    "Trung tâm Y tế Quận 3": "79",
    "PK Đa khoa Hoàn Mỹ Sài Gòn": "79",
    "Trạm Y tế P. Bến Nghé": "79",
    "Bệnh viện Đa khoa tỉnh Bình Dương": "74",
    "Bệnh viện Bà Rịa": "77",
    "Bệnh viện Trung ương Huế": "46",
    "Trạm Y tế thị xã Hương Thủy": "46",
    "Bệnh viện Đà Nẵng": "48",
}
EMPLOYER_ROWS = {
    "Công ty TNHH MTV Thương mại Dịch vụ Sài Gòn": "79",
    "Cty Trách nhiệm hữu hạn Bình Minh": "74",
    "Công ty CP Xây dựng Hà Nội": "01",
    "Công ty Cổ phần Sữa Ánh Dương": "01",
    "Hợp tác xã Nông nghiệp Đông Anh": "01",
}


@pytest.fixture
def typed(app):
    for n, (name, province) in enumerate(ROWS.items()):
        factories.facility(name=name, code=f"{province}{n:03d}", province_code=province)
    for name, province in EMPLOYER_ROWS.items():
        factories.employer(name=name).province_code = province
    db.session.commit()


def names(client, url: str, query: str) -> list[str]:
    soup = client.page(url, query_string={"q": query})
    return [h.get_text(strip=True) for h in soup.select(".lookup-name")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # abbreviations in the query, the name written out (and the other way round)
        ("BV Bạch Mai", ["Bệnh viện Bạch Mai"]),
        ("bv bach mai", ["Bệnh viện Bạch Mai"]),
        ("bv. bach mai", ["Bệnh viện Bạch Mai"]),
        ("  BV.Bạch-Mai  ", ["Bệnh viện Bạch Mai"]),
        ("BỆNH VIỆN BẠCH MAI", ["Bệnh viện Bạch Mai"]),
        ("benh vien xanh pon", ["BV Đa khoa Xanh Pôn"]),
        ("bvdk xanh pon", ["BV Đa khoa Xanh Pôn"]),
        ("ttyt cu chi", ["TTYT huyện Củ Chi"]),
        ("trung tam y te huyen cu chi", ["TTYT huyện Củ Chi"]),
        ("TTYT H. Củ Chi", ["TTYT huyện Củ Chi"]),
        ("ttyt q3", ["Trung tâm Y tế Quận 3"]),
        ("TTYT Q.3", ["Trung tâm Y tế Quận 3"]),
        ("ttyt q ba dinh", ["Trung tâm Y tế quận Ba Đình"]),
        ("pk hoan my", ["PK Đa khoa Hoàn Mỹ Sài Gòn"]),
        ("phong kham da khoa hoan my", ["PK Đa khoa Hoàn Mỹ Sài Gòn"]),
        ("pkdk hoan my", ["PK Đa khoa Hoàn Mỹ Sài Gòn"]),
        ("tram y te phuong ben nghe", ["Trạm Y tế P. Bến Nghé"]),
        ("tyt p ben nghe", ["Trạm Y tế P. Bến Nghé"]),
        ("tyt tx huong thuy", ["Trạm Y tế thị xã Hương Thủy"]),
        ("bv tw hue", ["Bệnh viện Trung ương Huế"]),
        ("khong co benh vien nay", []),
        ("bv cho ray ha noi", []),  # Chợ Rẫy is not in Hà Nội
    ],
)
def test_facilities_found_as_typed(client, typed, query, expected):
    assert names(client, FACILITIES, query) == expected


@pytest.mark.parametrize(
    ("query", "province"),
    [
        ("TP.HCM", "79"),
        ("tp hcm", "79"),
        ("HCM", "79"),
        ("tphcm", "79"),
        ("Thành phố Hồ Chí Minh", "79"),
        ("ho chi minh", "79"),
        ("Sài Gòn", "79"),
        ("sai gon", "79"),
        ("SG", "79"),
        ("Bình Dương", "79"),  # former province, now part of Hồ Chí Minh
        ("tinh binh duong", "79"),
        ("Bà Rịa - Vũng Tàu", "79"),
        ("ba ria vung tau", "79"),
        ("BRVT", "79"),
        ("HN", "01"),
        ("tp. ha noi", "01"),
        ("Hà Nội", "01"),
        ("thanh pho ha noi", "01"),
        ("Thừa Thiên Huế", "46"),
        ("thua thien hue", "46"),
        ("TT Huế", "46"),
        ("Huế", "46"),
        ("Quảng Nam", "48"),  # former, now Đà Nẵng
    ],
)
def test_a_province_as_people_name_it_finds_its_facilities(client, typed, query, province):
    """Every facility of that province today (former provinces' codes included) is found, and
    none of another province."""
    found = set(names(client, FACILITIES, query))
    codes = set(lookups.province_codes(province))
    assert found == {name for name, code in ROWS.items() if code in codes}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "bv binh duong",
            ["Bệnh viện Đa khoa tỉnh Bình Dương", "Bệnh viện Bà Rịa", "Bệnh viện Chợ Rẫy"],
        ),
        ("BV HCM", ["Bệnh viện Đa khoa tỉnh Bình Dương", "Bệnh viện Bà Rịa", "Bệnh viện Chợ Rẫy"]),
        ("ttyt tp.hcm", ["TTYT huyện Củ Chi", "Trung tâm Y tế Quận 3"]),
        ("BV HN", ["Bệnh viện Bạch Mai", "BV Đa khoa Xanh Pôn"]),
        ("benh vien thua thien hue", ["Bệnh viện Trung ương Huế"]),
        ("tyt hue", ["Trạm Y tế thị xã Hương Thủy"]),
    ],
)
def test_a_kind_of_facility_in_a_province(client, typed, query, expected):
    assert names(client, FACILITIES, query) == expected


def test_a_province_chosen_in_the_list_and_a_former_name_typed(client, typed):
    """With the province list set, the typed words are matched in the name only."""
    soup = client.page(FACILITIES, query_string={"q": "binh duong", "tinh": "79"})
    assert [h.get_text(strip=True) for h in soup.select(".lookup-name")] == [
        "Bệnh viện Đa khoa tỉnh Bình Dương"
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "cty tnhh",
            ["Công ty TNHH MTV Thương mại Dịch vụ Sài Gòn", "Cty Trách nhiệm hữu hạn Bình Minh"],
        ),
        (
            "công ty trách nhiệm hữu hạn",
            ["Công ty TNHH MTV Thương mại Dịch vụ Sài Gòn", "Cty Trách nhiệm hữu hạn Bình Minh"],
        ),
        ("tnhh mtv", ["Công ty TNHH MTV Thương mại Dịch vụ Sài Gòn"]),
        ("cty tnhh mot thanh vien tmdv", ["Công ty TNHH MTV Thương mại Dịch vụ Sài Gòn"]),
        ("Cty CP", ["Công ty CP Xây dựng Hà Nội", "Công ty Cổ phần Sữa Ánh Dương"]),
        ("ctcp xd", ["Công ty CP Xây dựng Hà Nội"]),
        ("cong ty co phan xay dung", ["Công ty CP Xây dựng Hà Nội"]),
        ("htx dong anh", ["Hợp tác xã Nông nghiệp Đông Anh"]),
        ("cty binh minh", ["Cty Trách nhiệm hữu hạn Bình Minh"]),
    ],
)
def test_employers_found_as_typed(client, typed, query, expected):
    assert sorted(names(client, EMPLOYERS, query)) == sorted(expected)


@pytest.mark.parametrize(
    "keystrokes", ["b", "bv", "bv ", "bv b", "bv bac", "bv bach m", "bv bach mai"]
)
def test_the_results_stay_while_a_word_is_being_typed(client, typed, keystrokes):
    """Each request the page sends as the citizen types finds the row meant, the half-typed
    abbreviation ("b", "bv") included."""
    assert "Bệnh viện Bạch Mai" in names(client, FACILITIES, keystrokes)


@pytest.mark.parametrize("keystrokes", ["t", "tt", "tty", "ttyt", "ttyt h", "ttyt huy", "ttyt h."])
def test_typing_ttyt_huyen(client, typed, keystrokes):
    assert "TTYT huyện Củ Chi" in names(client, FACILITIES, keystrokes)


def test_every_province_and_former_province_name_finds_its_province():
    for code, name in PROVINCES.items():
        assert lookups.named_province(search_words(name)) == (code, [])
        assert lookups.named_province(search_words(f"tỉnh {name}")) == (code, [])
    for name, now in FORMER_PROVINCES.values():
        assert lookups.named_province(search_words(name)) == (now, []), name
        assert lookups.named_province(search_words(f"bv {name}")) == (now, ["benh", "vien"])


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("TP.HCM", "thanh pho ho chi minh"),
        ("Q.1", "quan 1"),
        ("p12", "phuong 12"),
        ("BV ĐK", "benh vien da khoa"),
        ("Cty TNHH MTV", "cong ty trach nhiem huu han mot thanh vien"),
        ("UBND xã", "uy ban nhan dan xa"),
        ("“Bạch   Mai”…", "bach mai"),
        ("Bà Rịa–Vũng Tàu", "ba ria vung tau"),
        ("tt", "tt"),  # thị trấn or trung tâm: left as typed
    ],
)
def test_search_words(typed, words):
    assert search_text(typed) == words


def test_rows_are_indexed_by_their_search_words_whoever_writes_them(app, typed):
    row = db.session.scalar(select(Facility).where(Facility.name == "BV Đa khoa Xanh Pôn"))
    assert row.name_folded == "benh vien da khoa xanh pon"  # the factory passed fold(name)
    row.name = "PK Đa khoa Xanh Pôn"
    db.session.commit()
    assert row.name_folded == "phong kham da khoa xanh pon"


def test_a_long_query_stays_cheap(client, typed):
    """A query is cut at 100 characters and 60 words: as many LIKE conditions at most, each
    over the indexed column, whatever is typed."""
    query = ("bv tnhh " * 20)[: lookups.QUERY_MAX_LENGTH]
    started = time.perf_counter()
    soup = client.page(FACILITIES, query_string={"q": query})
    assert time.perf_counter() - started < 2
    assert soup.select(".lookup-name") == []
    words, _typing = lookups.query_words(query)
    assert len(words) <= lookups.MAX_WORDS


def test_the_lookup_reads_the_table_once_as_before(app, typed):
    """EXPLAIN on SQLite: a name search scans the directory once (a LIKE '%…%' uses no B-tree,
    as before this change), with no temporary table per word and no subquery."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is SQLite's")
    statements = []
    original = db.session.scalars

    def spy(statement, *args, **kwargs):
        statements.append(statement)
        return original(statement, *args, **kwargs)

    db.session.scalars = spy
    try:
        lookups.search(lookups.DIRECTORIES["cskcb-kham-chua-benh-bhyt"], "bv binh duong")
    finally:
        del db.session.scalars
    compiled = statements[-1].compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = [row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
    assert len([step for step in plan if step.startswith(("SCAN", "SEARCH"))]) == 1, plan


def test_the_migration_indexes_existing_rows_by_their_search_words(tmp_path):
    """A database made before search words: `flask db upgrade` computes every row's again."""
    from flask_migrate import downgrade, upgrade

    from webapp import create_app
    from webapp.config import TestConfig

    class MigratedConfig(TestConfig):
        def __init__(self, instance_path: str) -> None:
            super().__init__(instance_path)
            self.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
            self.SQLALCHEMY_ENGINE_OPTIONS = {}

    app = create_app(MigratedConfig)
    with app.app_context():
        upgrade(revision="0009_faq_content")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO facility (code, name, name_folded, level, province_code, address,"
                    " has_bhyt_contract, issues_sick_leave) VALUES ('79001', 'BV Chợ Rẫy',"
                    " 'bv cho ray', 'central', '79', '201B Nguyễn Chí Thanh', 1, 1)"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            indexed = connection.execute(text("SELECT name_folded FROM facility")).scalar_one()
        assert indexed == "benh vien cho ray"
        downgrade(revision="0009_faq_content")
        with db.engine.connect() as connection:
            indexed = connection.execute(text("SELECT name_folded FROM facility")).scalar_one()
        assert indexed == "bv cho ray"
        db.engine.dispose()
