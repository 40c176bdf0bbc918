"""`hosts` entries and ports (zwgk.units.host_allowed): an entry without a port matches that
host on any port, with a port that port only; the portal's and disclosure's own host:port match
exactly; IPv6 literals compare canonically. Loopback addresses only."""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler.middlewares import UnitHostsMiddleware
from zwgk.errors import ConfigError
from zwgk.units import Unit, host_allowed, load_units


def unit(*hosts: str, portal: str | None = None, disclosure: str = "http://127.0.0.1:8080/xxgk/"):
    return Unit(code="u", name="U", kind="county", disclosure=disclosure, portal=portal,
                hosts=tuple(hosts))  # fmt: skip


@pytest.mark.parametrize(
    ("netloc", "ok"),
    [
        ("a.gov.cn", True),
        ("a.gov.cn:8080", True),
        ("a.gov.cn:443", True),
        ("A.GOV.CN:8080", True),
        ("b.a.gov.cn", False),  # not a suffix match
        ("a.gov.cn.evil.test", False),
        ("user@a.gov.cn", False),
        ("a.gov.cn:*", False),  # the entry's own marker is never a request's port
        ("a.gov.cn:x", False),
    ],
)
def test_an_entry_without_a_port_matches_any_port(netloc: str, ok: bool) -> None:
    assert host_allowed(netloc, unit("a.gov.cn").allowed_hosts) is ok


@pytest.mark.parametrize(
    ("netloc", "ok"),
    [
        ("a.gov.cn:8080", True),
        ("a.gov.cn", False),
        ("a.gov.cn:8081", False),
        ("a.gov.cn:80", False),
    ],
)
def test_an_entry_with_a_port_matches_that_port_only(netloc: str, ok: bool) -> None:
    assert host_allowed(netloc, unit("a.gov.cn:8080").allowed_hosts) is ok


def test_portal_and_disclosure_keep_their_exact_host_and_port() -> None:
    allowed = unit(
        portal="http://127.0.0.2/", disclosure="http://127.0.0.1:8080/xxgk/"
    ).allowed_hosts
    assert host_allowed("127.0.0.1:8080", allowed)
    assert not host_allowed("127.0.0.1:8081", allowed)
    assert not host_allowed("127.0.0.1", allowed)
    assert host_allowed("127.0.0.2", allowed)
    assert not host_allowed("127.0.0.2:8080", allowed)


def test_a_hosts_entry_for_the_portals_host_opens_every_port() -> None:
    allowed = unit("127.0.0.2", portal="http://127.0.0.2/").allowed_hosts
    assert host_allowed("127.0.0.2:8080", allowed)


@pytest.mark.parametrize(
    ("entry", "netloc", "ok"),
    [
        ("[::1]", "[::1]:8080", True),
        ("[::1]", "[::1]", True),
        ("[::1]", "[0:0:0:0:0:0:0:1]:9000", True),  # the same address, written long
        ("[::1]", "[::2]:8080", False),
        ("[::1]:8080", "[::1]:8080", True),
        ("[::1]:8080", "[0::1]:8080", True),
        ("[::1]:8080", "[::1]:8081", False),
        ("[::1]:8080", "[::1]", False),
        ("[::1]", "[::1", False),  # a broken bracket never matches
        ("[::1]", "::1", False),
    ],
)
def test_ipv6_literals(entry: str, netloc: str, ok: bool) -> None:
    assert host_allowed(netloc, unit(entry).allowed_hosts) is ok


def test_an_ipv6_disclosure_url_is_exact() -> None:
    allowed = unit(disclosure="http://[::1]:8080/xxgk/").allowed_hosts
    assert host_allowed("[::1]:8080", allowed) and not host_allowed("[::1]:8081", allowed)


def test_the_offsite_middleware_applies_the_port_rule() -> None:
    stats = SimpleNamespace(values={})
    stats.inc_value = lambda key: stats.values.__setitem__(key, stats.values.get(key, 0) + 1)
    mw = UnitHostsMiddleware(SimpleNamespace(stats=stats))
    u = unit("127.0.0.3", "127.0.0.4:8443", "[::1]", portal="http://127.0.0.2:8080/")
    meta = {"unit": "u", "allowed_hosts": sorted(u.allowed_hosts)}  # as the spider sends it
    for url in (
        "http://127.0.0.3:8080/ysqgk/",
        "https://127.0.0.3/",
        "https://127.0.0.4:8443/",
        "http://127.0.0.2:8080/",
        "http://[::1]:9000/",
    ):
        assert mw.process_request(Request(url, meta=meta)) is None, url
    for url in ("http://127.0.0.4/", "http://127.0.0.2:8081/", "http://127.0.0.5/"):
        with pytest.raises(IgnoreRequest, match="offsite for unit u"):
            mw.process_request(Request(url, meta=meta))
    assert stats.values == {"zwgk/offsite_dropped": 3}


def test_the_spiders_link_filter_applies_the_port_rule() -> None:
    from crawler.spiders.disclosure import DisclosureSpider

    u = unit("127.0.0.3", portal="http://127.0.0.2:8080/")
    m = {"allowed_hosts": sorted(u.allowed_hosts)}
    allowed = DisclosureSpider.allowed
    assert allowed(None, m, "http://127.0.0.3:8080/ysqgk/index.html")
    assert not allowed(None, m, "http://127.0.0.2:9090/")
    assert not allowed(None, m, "http://[::1/")  # does not parse: never followed


def test_a_column_override_on_any_port_of_a_portless_hosts_entry_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "units.yaml"
    text = """\
        units:
          - code: u
            name: U
            kind: county
            disclosure: http://127.0.0.1:8080/xxgk/
            hosts: [127.0.0.3, "127.0.0.4:8443"]
            columns:
              - url: {url}
        """
    path.write_text(textwrap.dedent(text.format(url="http://127.0.0.3:9000/tzgg/")), "utf-8")
    (u,) = load_units(path)
    assert u.columns[0].url == "http://127.0.0.3:9000/tzgg/"
    path.write_text(textwrap.dedent(text.format(url="http://127.0.0.4:9000/tzgg/")), "utf-8")
    with pytest.raises(ConfigError, match="'127.0.0.4:9000' is not the portal's"):
        load_units(path)
