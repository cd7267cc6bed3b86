"""The benchmark's scale load: a demo population replicated, in SQL, to a million persons.

    python bench/run.py --scale 1000000 --database-url postgresql://…

`flask demo-data` writes a realistic population through Python (about 150 persons a second):
fine for 20,000, hours for a million. So the benchmark generates a base population with it and
this module replicates that base inside PostgreSQL, copy after copy, with `INSERT … SELECT`:

- every row of the person-owned tables (households, persons, accounts, BHYT cards,
  participation periods, benefits, medical visits) gets a new id, `id + copy × span`;
- each copy's person gets a new BHXH code (same two-digit province prefix, the other eight
  digits a bijection of the copy and the base person, so no two copies share one), a new CCCD
  (the first six digits kept: province of birth, gender and century digit, year of birth; the
  last six new), CMND, passport number, phone (same network prefix) and e-mail (the local part
  numbered); a card's number is its group, level and province followed by the new BHXH code,
  as `services.cards.card_number` lays it out;
- names and dates shift so that rows are not identical: the family name is drawn again from
  the base's own distribution of family names (the same draw for a household's members who
  share one, and for the head's name on the household), the date of birth moves back by up to
  a year, never out of its year (the CCCD's year digits stay true, and every record dated after
  the birth stays after it);
- the registration dossiers are topped up to their target in one statement, numbered on from
  the highest number of their year (`HS<year>-<6 digits>`).

The load runs without indexes: every index, unique and primary key constraint, and foreign key
of those tables is read from the catalogue (`pg_get_indexdef`, `pg_get_constraintdef`), dropped,
and built again after the last row, then the tables are analysed. A base code that a copy's code
happens to equal (the base's codes are random) is re-drawn before the unique indexes come back.
"""

from __future__ import annotations

import datetime as dt
import math
import queue
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import psycopg
from sqlalchemy.engine import make_url
from tqdm import tqdm

# The tables a person owns, in the order they are copied (no foreign key is checked while
# loading, the order only keeps the progress readable).
PERSON_TABLES = (
    "household",
    "person",
    "account",
    "health_card",
    "participation_period",
    "benefit",
    "medical_visit",
)
TABLES = (*PERSON_TABLES, "registration_dossier")

# Odd and not a multiple of 5, so `(g × M + B) mod 10^k` is a bijection of the k-digit numbers:
# distinct copies of distinct persons never share a code.
MULTIPLIERS = {"bhxh": 1_234_567, "cccd": 7_919, "cmnd": 6_007, "passport": 7_001, "phone": 4_093}
FAMILY_SLOTS = 1000


def connect(database_url: str) -> psycopg.Connection:
    """A psycopg connection (autocommit) from the app's SQLAlchemy URL."""
    url = make_url(database_url).set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


@dataclass
class ScaleReport:
    persons: int = 0
    dossiers: int = 0
    rows: Counter = field(default_factory=Counter)
    redrawn: Counter = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)
    index_seconds: dict[str, float] = field(default_factory=dict)  # each rebuilt index and key

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


# --- Indexes and foreign keys: dropped for the load, built again after ------------------------


@dataclass
class Ddl:
    """What is dropped before the load, and the statements that restore it."""

    foreign_keys: list[tuple[str, str, str]]  # (table, name, definition)
    constraints: list[tuple[str, str, str]]  # primary keys and unique constraints
    indexes: list[tuple[str, str, str]]  # (table, name, CREATE INDEX …)

    @classmethod
    def read(cls, conn: psycopg.Connection, tables: tuple[str, ...]) -> Ddl:
        names = list(tables)
        foreign_keys = conn.execute(
            """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
               FROM pg_constraint
               WHERE contype = 'f' AND connamespace = 'public'::regnamespace
                 AND (conrelid::regclass::text = ANY(%s) OR confrelid::regclass::text = ANY(%s))
               ORDER BY 1, 2""",
            (names, names),
        ).fetchall()
        constraints = conn.execute(
            """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
               FROM pg_constraint
               WHERE contype IN ('p', 'u') AND connamespace = 'public'::regnamespace
                 AND conrelid::regclass::text = ANY(%s)
               ORDER BY contype, 1, 2""",
            (names,),
        ).fetchall()
        indexes = conn.execute(
            """SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                 WHERE c.conindid = (quote_ident(i.indexname))::regclass
                                   AND c.contype IN ('p', 'u', 'x'))
               ORDER BY 1, 2""",
            (names,),
        ).fetchall()
        return cls(foreign_keys, constraints, indexes)

    def drop(self, conn: psycopg.Connection) -> None:
        for table, name, _definition in self.foreign_keys:
            conn.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for _table, name, _definition in self.indexes:
            conn.execute(f'DROP INDEX "{name}"')
        for table, name, _definition in self.constraints:
            conn.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')

    def keys_and_indexes(self) -> list[tuple[str, str, str]]:
        """(table, what, SQL): primary keys, unique constraints and indexes, independent of
        each other (they can be built side by side)."""
        return [
            (table, name, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            for table, name, definition in self.constraints
        ] + [(table, name, definition) for table, name, definition in self.indexes]

    def foreign_keys_unchecked(self) -> list[tuple[str, str, str]]:
        """The foreign keys, added without checking the rows (a moment each)…"""
        return [
            (table, name, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition} NOT VALID')
            for table, name, definition in self.foreign_keys
        ]

    def foreign_keys_checked(self) -> list[tuple[str, str, str]]:
        """…then checked: VALIDATE locks less than ADD, so two can run side by side."""
        return [
            (table, name, f'ALTER TABLE "{table}" VALIDATE CONSTRAINT "{name}"')
            for table, name, _definition in self.foreign_keys
        ]


class Pool:
    """A few connections running independent statements side by side (one per core)."""

    def __init__(self, database_url: str, size: int) -> None:
        self.size = size
        self.free: queue.Queue[psycopg.Connection] = queue.Queue()
        for _ in range(size):
            conn = connect(database_url)
            conn.execute("SET synchronous_commit = off")
            conn.execute("SET maintenance_work_mem = '512MB'")
            conn.execute("SET work_mem = '128MB'")
            self.free.put(conn)

    def run(self, jobs: list[tuple[str, str, dict | None, int]], bar: tqdm) -> dict[str, tuple]:
        """Run (name, SQL, parameters, weight) jobs; the bar advances by each one's weight.
        Returns each job's (row count, seconds)."""

        def one(job):
            name, statement, parameters, weight = job
            conn = self.free.get()
            began = time.perf_counter()
            try:
                for attempt in range(3):
                    try:
                        rowcount = conn.execute(statement, parameters).rowcount
                        break
                    except psycopg.errors.DeadlockDetected:
                        if attempt == 2:
                            raise
            except psycopg.Error as error:
                raise RuntimeError(f"{name} failed: {error}") from error
            finally:
                self.free.put(conn)
            bar.update(weight)
            return name, (rowcount, time.perf_counter() - began)

        with ThreadPoolExecutor(self.size) as executor:
            return dict(executor.map(one, jobs))

    def close(self) -> None:
        while not self.free.empty():
            self.free.get().close()


# --- One copy of the person-owned tables ---------------------------------------------------


def _shifted_family(name: str, key: str) -> str:
    """SQL: `name` with its first word (the family name) drawn again, by a hash of `key`, from
    the base's distribution of family names (the %(families)s array); `name` unchanged when it
    has a single word."""
    slot = f"(%(families)s::text[])[1 + mod(abs(hashtext({key})), {FAMILY_SLOTS})]"
    return f"""CASE WHEN strpos({name}, ' ') > 0
                THEN {slot} || substr({name}, strpos({name}, ' ')) ELSE {name} END"""


def _shifted_folded(name: str, folded: str, key: str) -> str:
    slot = f"(%(folded)s::text[])[1 + mod(abs(hashtext({key})), {FAMILY_SLOTS})]"
    return f"""CASE WHEN strpos({folded}, ' ') > 0
                THEN {slot} || substr({folded}, strpos({folded}, ' ')) ELSE {folded} END"""


def _digits(g: str, kind: str, width: int, salt: int = 0) -> str:
    """SQL: `width` digits, a bijection of the (copy, person) number `g`."""
    return (
        f"lpad(mod({g} * {MULTIPLIERS[kind]} + {salt + 7 * width}, {10**width})::text,"
        f" {width}, '0')"
    )


# `g` numbers the copies' persons: (base id − first id) × copies + copy, so that one person's
# copies are neighbours (their codes then differ in every digit, not in the first few only).
G_PERSON = "((b.id - %(person_first)s)::bigint * %(copies)s + %(copy)s)"
G_OWNER = "((b.person_id - %(person_first)s)::bigint * %(copies)s + %(copy)s)"


def _family_key(household: str, person_id: str, name: str) -> str:
    """The hash key of a family-name draw: the household (or the person without one), the copy,
    and the old family name, so that a household's members who share a name keep sharing it."""
    return (
        f"coalesce(({household})::text, 'p' || ({person_id})::text) || ':' || %(copy)s::text"
        f" || ':' || split_part({name}, ' ', 1)"
    )


def _new_id(table: str) -> str:
    return f"b.id + %(copy)s::bigint * %({table}_span)s"


def _new_person_id(column: str = "b.person_id") -> str:
    return f"{column} + %(copy)s::bigint * %(person_span)s"


def overrides() -> dict[str, dict[str, str]]:
    """Per table, the SQL of each column a copy changes (every other column is copied as is)."""
    household_id = "b.household_id + %(copy)s::bigint * %(household_span)s"
    return {
        "household": {
            "id": _new_id("household"),
            "code": f"'HG' || b.province_code || lpad(({_new_id('household')})::text, 7, '0')",
            "head_name": _shifted_family(
                "b.head_name",
                _family_key(_new_id("household"), "NULL", "b.head_name"),
            ),
        },
        "person": {
            "id": _new_id("person"),
            "bhxh_code": f"left(b.bhxh_code, 2) || {_digits(G_PERSON, 'bhxh', 8)}",
            "cccd": f"CASE WHEN b.cccd IS NOT NULL THEN left(b.cccd, 6) || "
            f"{_digits(G_PERSON, 'cccd', 6)} END",
            "cmnd": f"CASE WHEN b.cmnd IS NOT NULL THEN left(b.cmnd, 3) || "
            f"{_digits(G_PERSON, 'cmnd', 6)} END",
            "passport": f"CASE WHEN b.passport IS NOT NULL THEN left(b.passport, 1) || "
            f"{_digits(G_PERSON, 'passport', 7)} END",
            "phone": f"CASE WHEN b.phone ~ '^0[0-9]{{9}}$' THEN left(b.phone, 3) || "
            f"{_digits(G_PERSON, 'phone', 7)} ELSE b.phone END",
            "email": "CASE WHEN b.email LIKE '%%@%%' THEN split_part(b.email, '@', 1) || "
            "%(copy)s::text || '@' || split_part(b.email, '@', 2) END",
            "full_name": _shifted_family(
                "b.full_name", _family_key(household_id, _new_id("person"), "b.full_name")
            ),
            "name_folded": _shifted_folded(
                "b.full_name",
                "b.name_folded",
                _family_key(household_id, _new_id("person"), "b.full_name"),
            ),
            "guardian_name": _shifted_family(
                "b.guardian_name",
                _family_key(household_id, _new_id("person"), "b.guardian_name"),
            ),
            # Back by up to a year, never before the 1st of January of the same year.
            "date_of_birth": "b.date_of_birth - mod(%(copy)s * 37 + b.id * 13,"
            " extract(doy FROM b.date_of_birth)::int)",
            "household_id": household_id,
        },
        "account": {"id": _new_id("account"), "person_id": _new_person_id()},
        "health_card": {
            "id": _new_id("health_card"),
            "person_id": _new_person_id(),
            # group (2) + level (1) + province (2) + the person's new BHXH code
            "number": f"left(b.number, 7) || {_digits(G_OWNER, 'bhxh', 8)}",
        },
        "participation_period": {
            "id": _new_id("participation_period"),
            "person_id": _new_person_id(),
        },
        "benefit": {"id": _new_id("benefit"), "person_id": _new_person_id()},
        "medical_visit": {"id": _new_id("medical_visit"), "person_id": _new_person_id()},
    }


def copy_statement(conn: psycopg.Connection, table: str, changes: dict[str, str]) -> str:
    """INSERT … SELECT of one copy of `table`'s base rows (ids up to the base's last)."""
    columns = [
        row[0]
        for row in conn.execute(
            """SELECT column_name FROM information_schema.columns
               WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position""",
            (table,),
        )
    ]
    values = [changes.get(column, f"b.{column}") for column in columns]
    quoted = ", ".join(f'"{column}"' for column in columns)
    return (
        f'INSERT INTO "{table}" ({quoted}) SELECT {", ".join(values)} '
        f'FROM "{table}" b WHERE b.id <= %({table}_last)s'
    )


def family_draws(conn: psycopg.Connection) -> tuple[list[str], list[str]]:
    """FAMILY_SLOTS family names in the base's proportions, and their folded spellings."""
    from webapp.services.text import fold

    counts = conn.execute(
        "SELECT split_part(full_name, ' ', 1), count(*) FROM person GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    total = sum(n for _name, n in counts)
    slots: list[str] = []
    for name, n in counts:
        slots += [name] * max(1, round(n * FAMILY_SLOTS / total))
    slots = (slots * 2)[:FAMILY_SLOTS]
    # Interleave, so that neighbouring hashes do not all land on one name.
    slots = [slots[(i * 389) % FAMILY_SLOTS] for i in range(FAMILY_SLOTS)]
    return slots, [fold(name) for name in slots]


# --- Repairs before the unique indexes come back ---------------------------------------------


def redraw_duplicates(conn: psycopg.Connection, column: str, width: int, keep: int) -> int:
    """A copy's code equal to another person's (the base's codes are random): draw the copy's
    again (the first `keep` characters kept, `width` new random digits) until every one is
    unique. Returns how many were drawn again."""
    redrawn = 0
    for _attempt in range(20):
        ids = [
            row[0]
            for row in conn.execute(
                f"""SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY {column}
                                                                  ORDER BY id) AS n
                                    FROM person WHERE {column} IS NOT NULL) d
                    WHERE n > 1"""
            )
        ]
        if not ids:
            return redrawn
        redrawn += len(ids)
        conn.execute(
            f"""UPDATE person SET {column} = left({column}, {keep})
                    || lpad((floor(random() * {10**width}))::bigint::text, {width}, '0')
                WHERE id = ANY(%s)""",
            (ids,),
        )
        if column == "bhxh_code":
            conn.execute(
                """UPDATE health_card c SET number = left(c.number, 5) || p.bhxh_code
                   FROM person p WHERE p.id = c.person_id AND p.id = ANY(%s)""",
                (ids,),
            )
    raise RuntimeError(f"person.{column}: duplicates remain after 20 draws")


# --- Registration dossiers ------------------------------------------------------------------

# As `run.fill_dossiers` draws them: 2 declared, 6 approved, 1 rejected, 1 no code, 1 applied.
DOSSIER_STATES = ["declared"] * 2 + ["approved"] * 6 + ["rejected", "no_code", "applied"]


def add_dossiers(conn: psycopg.Connection, target: int, now: dt.datetime, seed: int = 2025) -> int:
    """Top the registration dossiers up to `target`: a year and a half of declarations (as the
    benchmark's `fill_dossiers`), each for a person of the population (the first million
    distinct), numbered on from the highest number of its year. Returns how many were added."""
    have, last_id = conn.execute(
        "SELECT count(*), coalesce(max(id), 0) FROM registration_dossier"
    ).fetchone()
    need = target - have
    if need <= 0:
        return 0
    first, last, persons = conn.execute("SELECT min(id), max(id), count(*) FROM person").fetchone()
    span = last - first + 1
    step = next(m for m in range(7919, span + 7919) if math.gcd(m, span) == 1)
    offices = [row[0] for row in conn.execute("SELECT id FROM bhxh_office ORDER BY id")]
    conn.execute("SELECT setseed(%s)", (((seed % 1000) / 1000.0),))
    conn.execute(
        """
        CREATE TEMP TABLE new_dossier ON COMMIT DROP AS
        SELECT g, %(last_id)s + g AS id, declared_at,
               to_char(declared_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY') AS year,
               state, random() AS r
        FROM (SELECT g,
                     %(now)s - make_interval(mins => floor(random() * 540 * 24 * 60)::int)
                         AS declared_at,
                     (%(states)s::text[])[1 + floor(random() * 11)::int] AS state
              FROM generate_series(1, %(need)s) AS g) AS drawn
        """,
        {"last_id": last_id, "now": now, "states": DOSSIER_STATES, "need": need},
    )
    # Never a second open declaration of one code: a person's second dossier (past the first
    # million), or a code that has one open already, was decided.
    conn.execute(
        """
        UPDATE new_dossier n SET state = 'approved'
        FROM person p
        WHERE n.state = 'declared' AND p.id = %(first)s + (n.g::bigint * %(step)s) %% %(span)s
          AND (n.g > %(persons)s OR p.bhxh_code IN (
                   SELECT bhxh_code FROM registration_dossier WHERE state = 'declared'))
        """,
        {"first": first, "step": step, "span": span, "persons": persons},
    )
    conn.execute(
        """
        WITH year_max AS (
            SELECT substr(number, 3, 4) AS year, max(substr(number, 8)::int) AS top
            FROM registration_dossier WHERE number ~ '^HS[0-9]{4}-[0-9]{6}$' GROUP BY 1)
        INSERT INTO registration_dossier (id, number, kind, person_id, bhxh_code, full_name,
            date_of_birth, gender, nationality, id_type, id_number, id_issued_on,
            id_issued_place, address, phone, email, office_id, declared_at, deadline_at,
            assessment, state, decided_at, version)
        SELECT n.id,
               -- HS<year of declaration in Vietnam>-<6 digits>, on from the year's highest
               'HS' || n.year || '-' || lpad((coalesce(m.top, 0) + row_number() OVER (
                   PARTITION BY n.year ORDER BY n.declared_at, n.g))::text, 6, '0'),
               CASE WHEN n.state = 'applied' OR n.r < 0.08 THEN 'change_info' ELSE 'register' END,
               p.id, p.bhxh_code, p.full_name, p.date_of_birth, p.gender, p.nationality,
               CASE WHEN p.cccd IS NOT NULL THEN 'cccd' WHEN p.cmnd IS NOT NULL THEN 'cmnd'
                    ELSE 'passport' END,
               coalesce(p.cccd, p.cmnd, p.passport), p.id_issued_on, p.id_issued_place,
               p.address, p.phone, p.email,
               (%(offices)s::int[])[1 + n.g %% %(office_count)s],
               n.declared_at, n.declared_at + interval '10 days',
               CASE n.state WHEN 'declared' THEN 'pending' WHEN 'rejected' THEN 'invalid'
                    ELSE 'valid' END,
               n.state,
               CASE WHEN n.state <> 'declared'
                    THEN n.declared_at + make_interval(hours => 1 + (n.g %% 200)::int) END,
               1
        FROM new_dossier n
        JOIN person p ON p.id = %(first)s + (n.g::bigint * %(step)s) %% %(span)s
        LEFT JOIN year_max m ON m.year = n.year
        """,
        {
            "offices": offices,
            "office_count": len(offices),
            "first": first,
            "step": step,
            "span": span,
        },
    )
    # An open declaration that an earlier dossier of the same code and kind already holds open
    # (the unique index allows one): this one was decided.
    conn.execute(
        """UPDATE registration_dossier SET state = 'approved', assessment = 'valid',
                  decided_at = declared_at + interval '1 hour'
           WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (
                            PARTITION BY kind, bhxh_code ORDER BY id) AS n
                        FROM registration_dossier WHERE state = 'declared') d WHERE n > 1)"""
    )
    return need


# --- The whole load ---------------------------------------------------------------------------


def scale_up(
    database_url: str,
    persons: int,
    dossiers: int,
    now: dt.datetime,
    progress: bool = True,
    connections: int = 2,
) -> ScaleReport:
    """Replicate the database's population until it holds about `persons` persons (a whole
    number of copies of the base), and its dossiers up to `dossiers`. `connections` statements
    run side by side (the copies of different tables, the indexes of different tables)."""
    report = ScaleReport()
    conn = connect(database_url)
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET work_mem = '256MB'")
    started = time.perf_counter()
    params: dict[str, object] = {}
    base_rows: dict[str, int] = {}
    for table in PERSON_TABLES:
        first, last, count = conn.execute(
            f'SELECT coalesce(min(id), 1), coalesce(max(id), 0), count(*) FROM "{table}"'
        ).fetchone()
        params[f"{table}_last"] = last
        params[f"{table}_span"] = last  # new ids: id + copy × last, above every base id
        base_rows[table] = count
        if table == "person":
            params["person_first"], params["person_span"] = first, last - first + 1
    copies = max(1, round(persons / max(base_rows["person"], 1)))
    params["copies"] = copies
    params["families"], params["folded"] = family_draws(conn)
    changes = overrides()
    statements = {table: copy_statement(conn, table, changes[table]) for table in PERSON_TABLES}
    ddl = Ddl.read(conn, TABLES)
    ddl.drop(conn)
    pool = Pool(database_url, connections)
    report.seconds["drop indexes"] = time.perf_counter() - started

    started = time.perf_counter()
    try:
        # The biggest tables first, so that the last jobs are small ones.
        jobs = [
            (f"{table} copy {copy}", statements[table], {**params, "copy": copy}, base_rows[table])
            for table in sorted(PERSON_TABLES, key=lambda t: -base_rows[t])
            for copy in range(1, copies)
        ]
        with tqdm(
            total=sum(job[3] for job in jobs),
            unit="row",
            unit_scale=True,
            desc="copies",
            disable=not progress,
        ) as bar:
            for name, (rowcount, _seconds) in pool.run(jobs, bar).items():
                report.rows[name.split()[0]] += rowcount
        report.seconds["copies"] = time.perf_counter() - started

        started = time.perf_counter()
        report.redrawn["bhxh_code"] = redraw_duplicates(conn, "bhxh_code", 8, keep=2)
        report.redrawn["cccd"] = redraw_duplicates(conn, "cccd", 6, keep=6)
        for table in PERSON_TABLES:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f'(SELECT max(id) FROM "{table}"))'
            )
        with conn.transaction():
            report.rows["registration_dossier"] = add_dossiers(conn, dossiers, now)
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('registration_dossier', 'id'), "
            "(SELECT max(id) FROM registration_dossier))"
        )
        report.seconds["dossiers"] = time.perf_counter() - started
    finally:
        started = time.perf_counter()
        size = {table: base_rows.get(table, dossiers // copies) for table in TABLES}
        keys = sorted(ddl.keys_and_indexes(), key=lambda job: -size.get(job[0], 0))
        unchecked, checked = ddl.foreign_keys_unchecked(), ddl.foreign_keys_checked()
        with tqdm(
            total=len(keys) + len(unchecked) + len(checked),
            unit="index",
            desc="indexes and keys",
            disable=not progress,
        ) as bar:
            done = pool.run([(f"{t}.{name}", sql, None, 1) for t, name, sql in keys], bar)
            for _table, _name, sql in unchecked:  # a moment each, one after the other
                conn.execute(sql)
                bar.update(1)
            done |= pool.run([(f"{t}.{name} ✓", sql, None, 1) for t, name, sql in checked], bar)
            report.index_seconds = {what: seconds for what, (_rows, seconds) in done.items()}
        report.seconds["indexes and foreign keys"] = time.perf_counter() - started

    started = time.perf_counter()
    analyse = [(table, f'ANALYZE "{table}"', None, 1) for table in TABLES]
    with tqdm(total=len(analyse), unit="table", desc="analyse", disable=not progress) as bar:
        pool.run(analyse, bar)
    report.seconds["analyse"] = time.perf_counter() - started
    report.persons, report.dossiers = conn.execute(
        "SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM registration_dossier)"
    ).fetchone()
    pool.close()
    conn.close()
    return report
