"""Checks for one value of an operator's file (units, configuration, schedule): type, range and
length. Each raises `Invalid` with the reason only; the caller adds the file, unit and field, so
every message has the same shape wherever the value lives.

Nothing here echoes a value unbounded (zwgk.errors.echo), and a URL is echoed with any
credentials cut out, so a password typed into a units file never reaches a log.
"""

from __future__ import annotations

import ipaddress
import math
import re
from urllib.parse import urlsplit

from zwgk.errors import echo

CODE_RE = re.compile(r"^[a-z0-9-]+$")
CODE_CHARS = 64
NAME_CHARS = 200
URL_CHARS = 2048
HOST_CHARS = 253
LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# C0 and C1 controls and DEL: invisible in a terminal, and a newline in a name would split the
# one-line messages and report rows that carry it.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Invalid(ValueError):
    """Why a value is refused (the caller says where it is)."""


def code(value: object) -> str:
    if not isinstance(value, str) or not CODE_RE.fullmatch(value) or len(value) > CODE_CHARS:
        raise Invalid(f"must match [a-z0-9-]+ (at most {CODE_CHARS} characters), got {echo(value)}")
    return value


def name(value: object, limit: int = NAME_CHARS) -> str:
    """A non-empty single-line string of at most `limit` characters."""
    if not isinstance(value, str):
        raise Invalid(f"must be a string, got {echo(value)}")
    text = value.strip()
    if not text:
        raise Invalid("must not be empty")
    if len(text) > limit:
        raise Invalid(f"is {len(text)} characters long (at most {limit})")
    if CONTROL_RE.search(text):
        raise Invalid(f"contains a control character: {echo(text)}")
    return text


def redact(url: str) -> str:
    """The URL with anything before an '@' in its authority cut out (user:password@)."""
    head, sep, rest = url.partition("//")
    if not sep:
        return url
    authority, slash, tail = rest.partition("/")
    if "@" in authority:
        authority = "***@" + authority.rsplit("@", 1)[1]
    return f"{head}{sep}{authority}{slash}{tail}"


def _show(url: str) -> str:
    return echo(redact(url))


def hostname(host: str) -> None:
    """A DNS name (IDNA allowed) or an IP address; raises Invalid."""
    if host.startswith("[") or ":" in host:
        try:
            ipaddress.IPv6Address(host.strip("[]"))
        except ValueError:
            raise Invalid(f"has a malformed IPv6 address: {echo(host)}") from None
        return
    if len(host) > HOST_CHARS:
        raise Invalid(f"has a host name longer than {HOST_CHARS} characters")
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise Invalid(f"has an invalid host name: {echo(host)}") from None
    labels = ascii_host.removesuffix(".").split(".")
    if not all(LABEL_RE.fullmatch(label) for label in labels):
        raise Invalid(f"has an invalid host name: {echo(host)}")


def _port(parts) -> None:
    try:
        port = parts.port
    except ValueError:
        raise Invalid("has a bad port (valid: 1-65535)") from None
    if port == 0:
        raise Invalid("has a bad port (valid: 1-65535)")


def url(value: object) -> str:
    """An absolute http(s) URL with a valid host, an optional port and no credentials."""
    if not isinstance(value, str):
        raise Invalid(f"must be a URL string, got {echo(value)}")
    text = value.strip()
    if len(text) > URL_CHARS:
        raise Invalid(f"is {len(text)} characters long (at most {URL_CHARS})")
    if CONTROL_RE.search(text) or " " in text:
        raise Invalid(f"contains a space or control character: {_show(text)}")
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # e.g. http://[::1/ (an unclosed IPv6 bracket)
        raise Invalid(f"is not a valid URL: {_show(text)}") from None
    if parts.scheme not in ("http", "https") or not host:
        raise Invalid(f"is not an http(s) URL: {_show(text)}")
    if parts.username is not None or parts.password is not None:
        raise Invalid("must not carry credentials (user:password@): remove them")
    hostname(host)
    _port(parts)
    return text


def host(value: object) -> str:
    """host[:port] as the spiders compare it with a request's netloc (lower-cased)."""
    if not isinstance(value, str):
        raise Invalid(f"must be a host name string, got {echo(value)}")
    text = value.strip().lower()
    if not text or len(text) > HOST_CHARS + 6 or CONTROL_RE.search(text):
        raise Invalid(f"is not a host name: {echo(value)}")
    try:
        parts = urlsplit(f"//{text}")
        name_ = parts.hostname
    except ValueError:
        raise Invalid(f"is not a host name: {echo(value)}") from None
    if not name_ or parts.netloc != text or "@" in text or parts.path or parts.query:
        raise Invalid(f"is not a host name with an optional :port: {echo(value)}")
    hostname(name_)
    _port(parts)
    return text


def number(
    value: object,
    *,
    minimum: float,
    maximum: float,
    whole: bool = False,
    above_minimum: bool = False,
) -> int | float:
    """A finite int (or float unless `whole`) in [minimum, maximum] (minimum excluded if
    `above_minimum`); booleans are not numbers here, though Python says they are."""
    kind = "whole number" if whole else "number"
    low = f"above {minimum:g}" if above_minimum else f"from {minimum:g}"
    wanted = f"must be a {kind} {low} to {maximum:g}"
    if isinstance(value, bool) or not isinstance(value, int if whole else int | float):
        raise Invalid(f"{wanted}, got {echo(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise Invalid(f"{wanted}, got {echo(value)}")
    too_low = value <= minimum if above_minimum else value < minimum
    if too_low or value > maximum:
        raise Invalid(f"{wanted}, got {echo(value)}")
    return value
