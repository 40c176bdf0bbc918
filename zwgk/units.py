"""The units file (contract.md): parse and validate everything before any crawling.

Every error names the file, the unit (by code or position) and the field, so an operator can fix
it without reading a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from zwgk.errors import ConfigError
from zwgk.yamlfile import read_yaml_mapping

KINDS = ("city", "county", "department", "township", "institution")
CATEGORIES = ("news", "notice", "periodic", "static")
UNIT_KEYS = {
    "code",
    "name",
    "kind",
    "parent",
    "site_code",
    "portal",
    "disclosure",
    "hosts",
    "columns",
}
COLUMN_KEYS = {"url", "category", "name"}
CODE_RE = re.compile(r"^[a-z0-9-]+$")
SITE_CODE_RE = re.compile(r"^(\d{10}|bm\d{8})$")
HOST_RE = re.compile(r"^[A-Za-z0-9.-]+(:\d+)?$")


@dataclass(frozen=True, slots=True)
class ColumnOverride:
    url: str
    category: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    name: str
    kind: str
    disclosure: str
    portal: str | None = None
    parent: str | None = None
    site_code: str | None = None
    hosts: tuple[str, ...] = ()
    columns: tuple[ColumnOverride, ...] = field(default_factory=tuple)

    @property
    def home(self) -> str:
        """The page availability probes visit: the portal, else the disclosure root."""
        return self.portal or self.disclosure

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """host[:port] values the spiders may visit for this unit."""
        found = {netloc(u) for u in (self.portal, self.disclosure) if u}
        return frozenset(found | {h.lower() for h in self.hosts})

    def is_government(self) -> bool:
        return self.kind in ("city", "county", "township")


def netloc(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _fail(path: Path, where: str, msg: str) -> ConfigError:
    return ConfigError(f"{path}: {where}: {msg}")


def _url(path: Path, where: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise _fail(path, where, f"field '{key}' must be a URL string, got {value!r}")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _fail(path, where, f"field '{key}' is not an http(s) URL: {value!r}")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise _fail(path, where, f"field '{key}' has a bad port: {value!r}") from None
    return value.strip()


def _column(path: Path, where: str, i: int, raw: object) -> ColumnOverride:
    cwhere = f"{where}, columns[{i}]"
    if not isinstance(raw, dict):
        raise _fail(path, cwhere, "each column override must be a mapping with 'url'")
    unknown = sorted(set(raw) - COLUMN_KEYS)
    if unknown:
        raise _fail(
            path, cwhere, f"unknown field '{unknown[0]}' (valid: {', '.join(sorted(COLUMN_KEYS))})"
        )
    if "url" not in raw:
        raise _fail(path, cwhere, "missing field 'url'")
    cat = raw.get("category")
    if cat is not None and cat not in CATEGORIES:
        raise _fail(path, cwhere, f"field 'category' is {cat!r}; valid: {', '.join(CATEGORIES)}")
    name = raw.get("name")
    return ColumnOverride(url=_url(path, cwhere, "url", raw["url"]), category=cat, name=name)


def _unit(path: Path, i: int, raw: object) -> Unit:
    where = f"units[{i}]"
    if not isinstance(raw, dict):
        raise _fail(path, where, "each unit must be a mapping")
    code = raw.get("code")
    if code is not None:
        where = f"unit '{code}'"
    unknown = sorted(set(raw) - UNIT_KEYS)
    if unknown:
        raise _fail(
            path, where, f"unknown field '{unknown[0]}' (valid: {', '.join(sorted(UNIT_KEYS))})"
        )
    for key in ("code", "name", "kind", "disclosure"):
        if raw.get(key) in (None, ""):
            raise _fail(path, where, f"missing required field '{key}'")
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise _fail(path, where, f"field 'code' must match [a-z0-9-]+, got {code!r}")
    if raw["kind"] not in KINDS:
        raise _fail(path, where, f"field 'kind' is {raw['kind']!r}; valid: {', '.join(KINDS)}")
    site_code = raw.get("site_code")
    if site_code is not None:
        site_code = str(site_code)
        if not SITE_CODE_RE.match(site_code):
            raise _fail(
                path,
                where,
                f"field 'site_code' must be 10 digits or bm+8 digits, got {site_code!r}",
            )
    hosts = raw.get("hosts") or []
    if not isinstance(hosts, list) or not all(
        isinstance(h, str) and HOST_RE.match(h) for h in hosts
    ):
        raise _fail(path, where, f"field 'hosts' must be a list of host names, got {hosts!r}")
    columns = raw.get("columns") or []
    if not isinstance(columns, list):
        raise _fail(path, where, "field 'columns' must be a list")
    portal = raw.get("portal")
    unit = Unit(
        code=code,
        name=str(raw["name"]),
        kind=raw["kind"],
        disclosure=_url(path, where, "disclosure", raw["disclosure"]),
        portal=_url(path, where, "portal", portal) if portal is not None else None,
        parent=raw.get("parent"),
        site_code=site_code,
        hosts=tuple(h.lower() for h in hosts),
        columns=tuple(_column(path, where, j, c) for j, c in enumerate(columns)),
    )
    for j, col in enumerate(unit.columns):
        if netloc(col.url) not in unit.allowed_hosts:
            raise _fail(
                path,
                f"{where}, columns[{j}]",
                f"url host {netloc(col.url)!r} is not the portal's, the disclosure's or in "
                "'hosts' (spiders stay on those: add it under hosts)",
            )
    return unit


def load_units(path: str | Path) -> list[Unit]:
    """Read and validate a units file; raise ConfigError naming the file, unit and field."""
    path = Path(path)
    doc = read_yaml_mapping(path, "units file")
    if not isinstance(doc, dict) or not isinstance(doc.get("units"), list):
        raise ConfigError(f"{path}: expected a mapping with a list under 'units:'")
    extra = sorted(set(doc) - {"units"})
    if extra:
        raise ConfigError(f"{path}: unknown top-level key '{extra[0]}' (valid: units)")
    units = [_unit(path, i, raw) for i, raw in enumerate(doc["units"])]
    if not units:
        raise ConfigError(f"{path}: 'units:' is empty")
    seen: set[str] = set()
    for u in units:
        if u.code in seen:
            raise _fail(path, f"unit '{u.code}'", "duplicate code (codes must be unique)")
        seen.add(u.code)
    return units
