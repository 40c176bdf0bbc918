"""The units file (contract.md): parse and validate everything before any crawling.

Every error names the file, the unit (by code or position) and the field, so an operator can fix
it without reading a traceback.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from zwgk import fields
from zwgk.errors import ConfigError, echo
from zwgk.fields import CODE_RE
from zwgk.yamlfile import read_yaml_mapping

T = TypeVar("T")

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
SITE_CODE_RE = re.compile(r"^(\d{10}|bm\d{8})$")
# Bounds far above any real city (hundreds of units, dozens of overrides), low enough that a
# runaway generated file fails here rather than in the crawl.
MAX_UNITS = 100_000
MAX_HOSTS = 100
MAX_COLUMNS = 10_000


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
        """What the spiders may visit for this unit, as `host_allowed` entries: the portal's and
        the disclosure's own host[:port] exactly as their URLs give it, plus `host_entries`."""
        found = {canonical_netloc(netloc(u)) for u in (self.portal, self.disclosure) if u}
        return frozenset({n for n in found if n} | self.host_entries)

    @property
    def host_entries(self) -> frozenset[str]:
        """The units file's `hosts` as `host_allowed` entries: "host:port" for an entry with a
        port (that port only), "host:*" for one without (the host on any port)."""
        out = set()
        for h in self.hosts:
            split = _split_netloc(h.lower())
            if split is not None:
                host, port = split
                out.add(f"{host}:{port or ANY_PORT}")
        return frozenset(out)

    def is_government(self) -> bool:
        return self.kind in ("city", "county", "township")


def netloc(url: str) -> str:
    return urlsplit(url).netloc.lower()


#: The port of a `host_allowed` entry that matches any port ("a.gov.cn:*"); a units file
#: cannot spell it (hosts are validated as host[:1-65535]), so it only comes from `hosts`
#: entries written without a port.
ANY_PORT = "*"


def _split_netloc(value: str) -> tuple[str, str | None] | None:
    """(host, port or None) of a lower-cased host[:port], the host canonical (an IPv6 literal
    compressed, in brackets); None when it is not a plain host[:port] (user@, a bad bracket,
    a port that is not a number)."""
    if "@" in value:
        return None
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        host, rest = value[: end + 1], value[end + 1 :]
        with contextlib.suppress(ValueError):  # a zone id or odd literal: compared as written
            host = f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]"
        if rest and not rest.startswith(":"):
            return None
        port = rest[1:] if rest else None
    else:
        host, sep, port = value.partition(":")
        port = port if sep else None
    if not host or (port is not None and not port.isdigit()):
        return None
    return host, port


def canonical_netloc(value: str) -> str | None:
    """host[:port] in the form `host_allowed` compares (lower case, IPv6 compressed)."""
    split = _split_netloc(value.lower())
    if split is None:
        return None
    host, port = split
    return host if port is None else f"{host}:{port}"


def host_allowed(netloc_: str, allowed: Collection[str]) -> bool:
    """May a spider visit a URL whose netloc is `netloc_`, given a unit's `allowed_hosts`?

    The rule of the units file: a `hosts` entry without a port matches that host on any port
    (entry "host:*"); with a port, that port only. The portal's and disclosure's own
    host[:port] match exactly as written in their URLs. IPv6 literals compare in brackets,
    compressed ("[::1]:8080"). Used by every host check of the crawl (the spider's link
    filter, UnitHostsMiddleware for every request and redirect, in one process or on
    distributed workers) and by the units file's column overrides.
    """
    value = netloc_.lower()
    if value in allowed and not value.endswith(":" + ANY_PORT):
        return True  # the common case: an exact entry, no parsing
    split = _split_netloc(value)
    if split is None:
        return False
    host, port = split
    exact = host if port is None else f"{host}:{port}"
    return exact in allowed or f"{host}:{ANY_PORT}" in allowed


def _fail(path: Path, where: str, msg: str) -> ConfigError:
    return ConfigError(f"{path}: {where}: {msg}")


def _check(path: Path, where: str, key: str, check: Callable[[Any], T], value: Any) -> T:
    """`check(value)`, its refusal turned into a message naming the file, unit and field."""
    try:
        return check(value)
    except fields.Invalid as exc:
        raise _fail(path, where, f"field '{key}' {exc}") from None


def _url(path: Path, where: str, key: str, value: object) -> str:
    return _check(path, where, key, fields.url, value)


def _unknown(path: Path, where: str, raw: dict, valid: set[str]) -> None:
    unknown = sorted((k for k in raw if k not in valid), key=str)
    if unknown:
        raise _fail(
            path, where, f"unknown field {echo(unknown[0])} (valid: {', '.join(sorted(valid))})"
        )


def _list(path: Path, where: str, key: str, value: object, limit: int) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(path, where, f"field '{key}' must be a list, got {echo(value)}")
    if len(value) > limit:
        raise _fail(path, where, f"field '{key}' has {len(value)} entries (at most {limit})")
    return value


def _column(path: Path, where: str, i: int, raw: object) -> ColumnOverride:
    cwhere = f"{where}, columns[{i}]"
    if not isinstance(raw, dict):
        raise _fail(path, cwhere, "each column override must be a mapping with 'url'")
    _unknown(path, cwhere, raw, COLUMN_KEYS)
    if "url" not in raw:
        raise _fail(path, cwhere, "missing field 'url'")
    cat = raw.get("category")
    if cat is not None and cat not in CATEGORIES:
        raise _fail(
            path, cwhere, f"field 'category' is {echo(cat)}; valid: {', '.join(CATEGORIES)}"
        )
    name = raw.get("name")
    if name is not None:
        name = _check(path, cwhere, "name", fields.name, name)
    return ColumnOverride(url=_url(path, cwhere, "url", raw["url"]), category=cat, name=name)


def _where(i: int, code: object) -> str:
    """The unit by its code when the code can be shown as it is, else by its position (a
    malformed code could be 10 MB long or carry a newline)."""
    if isinstance(code, str) and CODE_RE.fullmatch(code) and len(code) <= fields.CODE_CHARS:
        return f"unit '{code}'"
    return f"units[{i}]"


def _unit(path: Path, i: int, raw: object) -> Unit:
    if not isinstance(raw, dict):
        raise _fail(path, f"units[{i}]", f"each unit must be a mapping, got {echo(raw)}")
    code = raw.get("code")
    where = _where(i, code)
    _unknown(path, where, raw, UNIT_KEYS)
    for key in ("code", "name", "kind", "disclosure"):
        if raw.get(key) in (None, ""):
            raise _fail(path, where, f"missing required field '{key}'")
    code = _check(path, where, "code", fields.code, code)
    name = _check(path, where, "name", fields.name, raw["name"])
    kind = raw["kind"]
    if not isinstance(kind, str) or kind not in KINDS:
        raise _fail(path, where, f"field 'kind' is {echo(kind)}; valid: {', '.join(KINDS)}")
    parent = raw.get("parent")
    if parent is not None:
        parent = _check(path, where, "parent", fields.code, parent)
    site_code = raw.get("site_code")
    if site_code is not None:
        # an unquoted 3408020001 is an int to YAML; the code is the same digits
        if isinstance(site_code, int) and not isinstance(site_code, bool):
            site_code = str(site_code)
        if not isinstance(site_code, str) or not SITE_CODE_RE.fullmatch(site_code):
            raise _fail(
                path,
                where,
                f"field 'site_code' must be 10 digits or bm+8 digits, got {echo(site_code)}",
            )
    hosts = [
        _check(path, where, f"hosts[{j}]", fields.host, h)
        for j, h in enumerate(_list(path, where, "hosts", raw.get("hosts"), MAX_HOSTS))
    ]
    columns = _list(path, where, "columns", raw.get("columns"), MAX_COLUMNS)
    portal = raw.get("portal")
    unit = Unit(
        code=code,
        name=name,
        kind=kind,
        disclosure=_url(path, where, "disclosure", raw["disclosure"]),
        portal=_url(path, where, "portal", portal) if portal is not None else None,
        parent=parent,
        site_code=site_code,
        hosts=tuple(hosts),
        columns=tuple(_column(path, where, j, c) for j, c in enumerate(columns)),
    )
    for j, col in enumerate(unit.columns):
        if not host_allowed(netloc(col.url), unit.allowed_hosts):
            raise _fail(
                path,
                f"{where}, columns[{j}]",
                f"url host {echo(netloc(col.url))} is not the portal's, the disclosure's or in "
                "'hosts' (spiders stay on those: add it under hosts)",
            )
    return unit


def load_units(path: str | Path) -> list[Unit]:
    """Read and validate a units file; raise ConfigError naming the file, unit and field."""
    path = Path(path)
    doc = read_yaml_mapping(path, "units file")
    if not isinstance(doc.get("units"), list):
        raise ConfigError(f"{path}: expected a mapping with a list under 'units:'")
    extra = sorted(set(doc) - {"units"})
    if extra:
        raise ConfigError(f"{path}: unknown top-level key {echo(extra[0])} (valid: units)")
    if len(doc["units"]) > MAX_UNITS:
        raise ConfigError(f"{path}: 'units:' has {len(doc['units'])} entries (at most {MAX_UNITS})")
    units = [_unit(path, i, raw) for i, raw in enumerate(doc["units"])]
    if not units:
        raise ConfigError(f"{path}: 'units:' is empty")
    seen: set[str] = set()
    for u in units:
        if u.code in seen:
            raise _fail(path, f"unit '{u.code}'", "duplicate code (codes must be unique)")
        seen.add(u.code)
    return units
