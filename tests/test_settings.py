"""Issue 12, item 5: the settings are one typed table (`SETTINGS` in webapp/config.py) that
`Config` reads and the README's configuration section is written from, so a setting can be
neither read without being documented nor documented otherwise than it is read."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from webapp import create_app, settings
from webapp.config import SETTINGS, SETTINGS_BY_NAME, Config, TestConfig
from webapp.settings import TEXT, Setting, SettingError, integer

ROOT = Path(__file__).parent.parent
WEBAPP = ROOT / "webapp"
APP_SETTINGS = [s for s in SETTINGS if s.read_by == settings.APP]


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """A deployment's environment with nothing but what a test sets: no variable of the table
    left over from the shell running the suite."""
    for setting in SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "a-deployment-secret-for-this-test")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    return monkeypatch


# --- The README is written from the table ---------------------------------------------------


def test_the_readme_configuration_section_is_the_one_the_table_writes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    regenerated = settings.replace_section(readme, settings.markdown(SETTINGS))
    assert regenerated == readme, "README.md's configuration table drifted: run make settings-doc"


def test_every_setting_has_a_row_in_the_readme_with_its_default():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split(settings.BEGIN)[1].split(settings.END)[0]
    rows = {
        line.split("|")[1].strip(" `"): line
        for line in section.splitlines()
        if line.startswith("| `")
    }
    assert list(rows) == [s.name for s in SETTINGS]
    assert "`RECOVERY_LIMIT_PER_IDENTIFIER` | limits | `5 per 15 minutes` |" in section
    assert "`LOGIN_MAX_FAILURES` | integer | `5` |" in section
    assert "`SESSION_COOKIE_SECURE` | boolean | on, off in demo mode |" in section


def test_settings_doc_check_fails_on_a_stale_readme_and_write_repairs_it(tmp_path, monkeypatch):
    """`make settings-doc` rewrites only the section between the markers, prose kept."""
    app = create_app(TestConfig)
    project = tmp_path / "project"
    (project / "webapp").mkdir(parents=True)
    readme = project / "README.md"
    readme.write_text(
        f"# Title\n\nProse before.\n\n{settings.BEGIN}\n| old | table |\n{settings.END}"
        "\n\nAfter.\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(app, "root_path", str(project / "webapp"))
    runner = app.test_cli_runner()

    stale = runner.invoke(args=["settings-doc", "--check"])
    assert stale.exit_code == 1
    assert "out of date" in stale.output

    assert runner.invoke(args=["settings-doc", "--write"]).exit_code == 0
    written = readme.read_text(encoding="utf-8")
    assert written.startswith("# Title\n\nProse before.\n\n<!-- settings:begin -->\n")
    assert written.endswith("<!-- settings:end -->\n\nAfter.\n")
    assert "| old | table |" not in written
    assert "| `DEMO_MODE` | boolean | `0` |" in written
    assert runner.invoke(args=["settings-doc", "--check"]).exit_code == 0


def test_a_secrets_default_is_never_written():
    secret = Setting("SOME_TOKEN", TEXT, "s3cret-default", "A token", secret=True)
    plain = Setting("SOME_NAME", TEXT, "visible-default", "A name")
    table = settings.markdown([secret, plain])
    assert "s3cret-default" not in table
    assert "| `SOME_TOKEN` | text | — | A token |" in table
    assert "`visible-default`" in table
    assert {s.name for s in SETTINGS if s.secret} >= {
        "SECRET_KEY",
        "CARD_SIGNING_KEY",
        "VAPID_PRIVATE_KEY",
        "SMS_HTTP_TOKEN",
        "SMTP_PASSWORD",
    }


@pytest.mark.parametrize(
    "setting",
    [s for s in SETTINGS if s.default is not None and not callable(s.default)],
    ids=lambda s: s.name,
)
def test_each_written_default_reads_back_as_the_value_the_app_uses(setting):
    """The README shows a default as the variable would be spelt; spelt so, it is the same."""
    assert setting.kind.parse(setting.kind.show(setting.default)) == setting.default


# --- Every setting the code reads is in the table ---------------------------------------------


def _is_config(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "config") or (
        isinstance(node, ast.Name) and node.id == "config"
    )


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


READERS_OF_A_LIMIT = {"spend_per_address", "limit_posts"}  # webapp/throttling.py


def config_keys_read_in(source: str) -> set[str]:
    """Keys in `….config["KEY"]`, `config["KEY"]`, `….config.get("KEY")`, `config.get("KEY")`
    and `spend_per_address("KEY")` or `limit_posts("KEY")` (which read the limit the
    configuration names)."""
    keys = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_config(node.value):
            keys.add(_string(node.slice))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if (name == "get" and _is_config(func.value)) or name in READERS_OF_A_LIMIT:
                keys.add(_string(node.args[0]))
    return keys - {None}


TEMPLATE_READ = re.compile(r"\bconfig(?:\.([A-Z][A-Z0-9_]*)|\[\s*['\"]([A-Z][A-Z0-9_]*)['\"])")


def config_keys_read_by_the_app() -> dict[str, str]:
    """Every config key the package reads, with one file that reads it."""
    found = {}
    for path in sorted(WEBAPP.rglob("*.py")):
        for key in config_keys_read_in(path.read_text(encoding="utf-8")):
            found.setdefault(key, str(path.relative_to(ROOT)))
    for path in sorted((WEBAPP / "templates").rglob("*.html")):
        for match in TEMPLATE_READ.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match[1] or match[2], str(path.relative_to(ROOT)))
    return found


def test_the_walk_finds_each_way_the_code_reads_a_setting():
    read = config_keys_read_by_the_app()
    assert read["RECOVERY_LIMIT_PER_IDENTIFIER"] == "webapp/auth/recovery.py"  # limit_posts
    assert read["REGISTRATION_LIMIT_PER_IP"] == "webapp/registration/views.py"  # spend_per_address
    assert read["SMTP_PASSWORD"] == "webapp/services/messaging.py"  # config.get(…)
    assert read["RATELIMIT_KEY_PREFIX"] == "webapp/throttling.py"  # current_app.config.get(…)
    assert read["PASSWORD_MAX_AGE_DAYS"]  # and in a template, config.NAME
    assert config_keys_read_in('x = current_app.config["NOT_A_SETTING"]') == {"NOT_A_SETTING"}


def test_every_config_key_the_code_reads_is_a_setting_or_a_constant_of_config(tmp_path):
    """A key read by the code is in SETTINGS, or assigned by Config itself (Flask and extension
    constants, which the next test keeps away from the environment)."""
    in_table = {s.config_key for s in APP_SETTINGS}
    config = Config(str(tmp_path))
    constants = {key for key in dir(config) if key.isupper()} - in_table
    unknown = {
        key: where
        for key, where in config_keys_read_by_the_app().items()
        if key not in in_table | constants
    }
    assert not unknown, f"read but not in SETTINGS (webapp/config.py): {unknown}"


def test_only_the_settings_table_reads_the_environment():
    """So every value Config sets outside the table is a constant, not a hidden setting.
    (Writing a variable for the app to read, as gunicorn's configuration does, is allowed.)"""
    readers = set()
    for path in WEBAPP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        written = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store)
        }
        for node in ast.walk(tree):
            if id(node) in written:
                continue
            if (isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}) or (
                isinstance(node, ast.Name) and node.id in {"environ", "getenv"}
            ):
                readers.add(str(path.relative_to(ROOT)))
    # gunicorn's configuration runs in gunicorn's master, before any app exists.
    assert readers == {"webapp/settings.py", "webapp/gunicorn_config.py"}


def test_each_variable_the_app_does_not_read_is_read_where_the_table_says():
    files = {
        "the Makefile": ["Makefile"],
        "the Procfile": ["Procfile"],
        "the Makefile and the Procfile": ["Makefile", "Procfile"],
    }
    tests = [path.read_text(encoding="utf-8") for path in (ROOT / "tests").rglob("*.py")]
    for setting in SETTINGS:
        if setting.read_by == "the test suite":
            assert any(setting.name in text for text in tests), setting.name
        elif setting.read_by != settings.APP:
            for name in files[setting.read_by]:
                assert setting.name in (ROOT / name).read_text(encoding="utf-8"), setting.name


# --- Reading values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("LOGIN_MAX_FAILURES", "abc", "expected a whole number, such as 5"),
        ("SESSION_LIFETIME_DAYS", "a month", "expected a whole number, such as 5"),
        ("SMS_HTTP_TIMEOUT", "soon", "expected a number, such as 2.5"),
        ("LOGIN_LIMIT_PER_IP", "lots", "expected rate limits such as '5 per minute; 20 per hour'"),
    ],
)
def test_a_value_that_cannot_be_read_stops_the_app_naming_the_variable(
    environment, name, value, expected
):
    environment.setenv(name, value)
    with pytest.raises(SettingError) as error:
        create_app()
    assert str(error.value) == f"Setting {name}={value!r} cannot be read: {expected}."


def test_a_secret_that_cannot_be_read_is_named_without_its_value():
    pin = Setting("SOME_PIN", integer(), 1234, "A PIN", secret=True)
    with pytest.raises(SettingError) as error:
        pin.parse("hunter2")
    assert str(error.value).startswith("Setting SOME_PIN (value not shown) cannot be read")
    assert "hunter2" not in str(error.value)


def test_values_are_converted_to_their_types(environment):
    environment.setenv("SESSION_LIFETIME_DAYS", "7")
    environment.setenv("SMS_HTTP_TIMEOUT", "2.5")
    environment.setenv("DEMO_MODE", "Yes")
    environment.setenv("PUSH_SERVICE_HOSTS", " Push.Example , ,other.example")
    environment.setenv("DATABASE_URL", "postgres://vssid@db/vssid")
    config = create_app().config
    assert config["PERMANENT_SESSION_LIFETIME"].days == 7
    assert config["SMS_HTTP_TIMEOUT"] == 2.5
    assert config["DEMO_MODE"] is True
    assert config["SESSION_COOKIE_SECURE"] is False  # its default follows demo mode
    assert config["PUSH_SERVICE_HOSTS"] == ("push.example", "other.example")
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://vssid@db/vssid"


def test_an_empty_value_means_the_default_only_where_the_table_says_so(environment, tmp_path):
    for name in ("DATABASE_URL", "SECRET_KEY", "VAPID_KEY_FILE", "PUSH_SERVICE_HOSTS"):
        environment.setenv(name, "")
    environment.setenv("DEMO_MODE", "1")
    environment.setenv("MAP_TILE_URL", "")  # documented: empty means no map
    environment.setenv("SUPPORT_EMAIL", "lienhe@example.vn")
    values = settings.read(SETTINGS, tmp_path)
    assert values["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'vssid.sqlite3'}"
    assert values["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    assert values["VAPID_KEY_FILE"] == str(tmp_path / "vapid_private_key")
    assert values["PUSH_SERVICE_HOSTS"] == SETTINGS_BY_NAME["PUSH_SERVICE_HOSTS"].default
    assert values["MAP_TILE_URL"] == ""
    assert values["VAPID_SUBJECT"] == "mailto:lienhe@example.vn"
