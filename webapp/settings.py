"""Settings as one typed table: each entry names an environment variable, its type, its default
and what it means. `Config` reads its values through the table (the conversion, and the error
that names a variable whose value cannot be read, live here only), and the README's
configuration section is written from it (`flask settings-doc --write`), so a setting cannot be
read without being documented, nor documented with another default than the one it has.

The table itself is `SETTINGS` in `webapp/config.py`, beside the defaults it computes.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from limits import parse_many

BEGIN = "<!-- settings:begin -->"
END = "<!-- settings:end -->"
GENERATED_NOTE = (
    "<!-- Written by `make settings-doc` from SETTINGS in webapp/config.py: edit it there. -->"
)

APP = "the app"


class SettingError(ValueError):
    """A variable whose value cannot be read: the app refuses to start, naming it."""


@dataclass(frozen=True)
class Kind:
    """A type of setting: what the README calls it, how a value is read from its text (raising
    ValueError with what was expected), how a default is written back, and, for the types whose
    spelling needs it, a sentence under the README's table."""

    label: str
    parse: Callable[[str], Any] = str
    show: Callable[[Any], str] = str
    description: str | None = None


def _whole_number(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValueError("expected a whole number, such as 5") from None


def _number(raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ValueError("expected a number, such as 2.5") from None


def _boolean(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _limits(raw: str) -> str:
    try:
        parse_many(raw)
    except ValueError:
        raise ValueError("expected rate limits such as '5 per minute; 20 per hour'") from None
    return raw


def _hosts(raw: str) -> tuple[str, ...]:
    return tuple(host.strip().lower() for host in raw.split(",") if host.strip())


def _origins(raw: str) -> tuple[str, ...]:
    origins = tuple(
        origin.strip().rstrip("/").lower() for origin in raw.split(",") if origin.strip()
    )
    for origin in origins:
        scheme, _, rest = origin.partition("://")
        if scheme not in {"https", "http"} or not rest or "/" in rest:
            raise ValueError(f"expected origins such as 'https://vssid.example.vn', not {origin!r}")
    return origins


def _database_url(raw: str) -> str:
    # Heroku-style URLs name the dialect "postgres"; SQLAlchemy wants psycopg 3 named explicitly.
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def integer(unit: str = "integer") -> Kind:
    """A whole number, labelled with its unit ("minutes", "bytes", …) in the README."""
    return Kind(unit, _whole_number)


TEXT = Kind("text")
URL = Kind("URL")
PATH = Kind("path")
DATABASE_URL = Kind("SQLAlchemy URL", _database_url)
BOOLEAN = Kind(
    "boolean",
    _boolean,
    lambda value: "1" if value else "0",
    "*boolean*: on for `1`, `true`, `yes` or `on` (in any case), off for anything else.",
)
SECONDS = Kind("seconds", _number)
DAYS = Kind("days", lambda raw: dt.timedelta(days=_whole_number(raw)), lambda value: value.days)
LIMITS = Kind(
    "limits",
    _limits,
    description="*limits*: Flask-Limiter rate limits separated by `;`, such as"
    " `5 per minute; 20 per hour`; a value it cannot read stops the app at start-up.",
)
HOSTS = Kind(
    "host list",
    _hosts,
    ", ".join,
    "*host list*: host names separated by commas (spaces and case ignored).",
)

ORIGINS = Kind(
    "origin list",
    _origins,
    ", ".join,
    "*origin list*: web origins (`https://host[:port]`) separated by commas.",
)


@dataclass(frozen=True)
class Setting:
    """One environment variable: `name`, `kind`, `default` (a value, or a function of the
    instance folder and the other values, then described by `default_doc`) and `meaning`, one
    English sentence for the README.

    `key` is the config key when it is not the variable's name; a `secret`'s default is never
    written out; `empty_is_default` makes an empty value (or one that reads as nothing) count as
    unset; `read_by` names what reads a variable that the app does not ("the Procfile", …)."""

    name: str
    kind: Kind
    default: Any
    meaning: str
    key: str | None = None
    secret: bool = False
    default_doc: str | None = None
    empty_is_default: bool = False
    read_by: str = APP

    def __post_init__(self) -> None:
        if callable(self.default) and not self.default_doc:
            raise TypeError(f"{self.name}: a computed default needs default_doc")
        if self.default_doc and not (callable(self.default) or self.default is None):
            raise TypeError(f"{self.name}: default_doc describes computed or absent defaults only")

    @property
    def config_key(self) -> str:
        return self.key or self.name

    def parse(self, raw: str) -> Any:
        """The value of `raw`, or SettingError naming the variable (and its value, unless it is a
        secret)."""
        try:
            return self.kind.parse(raw)
        except ValueError as error:
            shown = " (value not shown)" if self.secret else f"={raw!r}"
            raise SettingError(f"Setting {self.name}{shown} cannot be read: {error}.") from None

    def given(self, environ: Mapping[str, str]) -> tuple[bool, Any]:
        """(True, the value) when the environment sets this variable, else (False, None)."""
        raw = environ.get(self.name)
        if raw is None:
            return False, None
        value = self.parse(raw)
        if not value and self.empty_is_default:
            return False, None
        return True, value

    def value(
        self,
        instance_path: str | Path,
        values: Mapping[str, Any] | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> Any:
        """This setting's value: what the environment says, else its default (a computed one
        from the instance folder and `values`, the others read so far by config key)."""
        given, value = self.given(environ)
        if given:
            return value
        if callable(self.default):
            return self.default(Path(instance_path), values or {})
        return self.default


def read(
    settings: Iterable[Setting], instance_path: str | Path, environ: Mapping[str, str] = os.environ
) -> dict[str, Any]:
    """The values of the app's settings (those read by the app) by config key. Computed
    defaults are worked out last, in table order, so they can use any value given or any plain
    default."""
    values: dict[str, Any] = {}
    computed: list[Setting] = []
    for setting in settings:
        if setting.read_by != APP:
            continue
        given, value = setting.given(environ)
        if given or not callable(setting.default):
            values[setting.config_key] = value if given else setting.default
        else:
            computed.append(setting)
    for setting in computed:
        values[setting.config_key] = setting.value(instance_path, values, environ)
    return values


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _default_cell(setting: Setting) -> str:
    if setting.default_doc:
        return setting.default_doc
    if setting.secret or setting.default is None:
        return "—"
    shown = setting.kind.show(setting.default)
    return f"`{shown}`" if shown else "empty"


def markdown(settings: Iterable[Setting]) -> str:
    """The README's configuration table, and a line for each type whose spelling needs one."""
    settings = list(settings)
    lines = [
        GENERATED_NOTE,
        "",
        "| Variable | Type | Default | Meaning |",
        "|---|---|---|---|",
    ]
    for setting in settings:
        lines.append(
            f"| `{setting.name}` | {setting.kind.label} | {_cell(_default_cell(setting))}"
            f" | {_cell(setting.meaning)} |"
        )
    descriptions = dict.fromkeys(s.kind.description for s in settings if s.kind.description)
    if descriptions:
        lines.append("")
        lines.extend(f"- {description}" for description in descriptions)
    return "\n".join(lines)


def replace_section(document: str, section: str) -> str:
    """`document` with what lies between the BEGIN and END markers replaced by `section`."""
    if document.count(BEGIN) != 1 or document.count(END) != 1:
        raise ValueError(f"the document needs exactly one {BEGIN} and one {END}")
    head, rest = document.split(BEGIN)
    _, tail = rest.split(END)
    return f"{head}{BEGIN}\n{section}\n{END}{tail}"
