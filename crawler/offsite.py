"""Off-site link checks: the operator's explicit grant to ask about links off a unit's hosts.

The standing rule is that spiders stay on the hosts a unit's config names (UnitHostsMiddleware).
broken-link's `offsite_enabled` (checks/defaults.yaml, per unit like every rule option) is the
one exception, and a narrow one. A granted off-site link:

- is asked as one HEAD of that exact URL; a GET only when HEAD is refused (405, 501), stopped at
  its first chunk and capped at OFFSITE_MAXSIZE bytes; the body is never parsed (not even for a
  meta refresh) and nothing it links is followed; no retries; no cookies kept;
- follows at most OFFSITE_REDIRECTS redirects, each hop cleared here again;
- goes through a download slot of its own per host ("offsite|host": one request at a time,
  `offsite_delay_seconds` apart, AutoThrottle never lowering it);
- is never sent to a loopback, private, link-local, reserved, multicast or unspecified address
  unless one of the unit's own hosts is on an address of that same class (the demo farm lives
  on 127.0.0.0/8: its off-site links may be loopback, never 10/8 nor 169.254/16). Names are
  looked up through the crawl's own resolver, whose cache the connection then uses, so the
  address checked is the address connected to.

The spider (crawler/spiders/link_checks.py) decides which links to ask, the per-site cap and the
once-a-day reuse; this middleware is the gate every off-site request passes, so a request
marked off-site without the unit's grant, or to an address the grant does not reach, is
dropped here whatever asked for it.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future

#: Redirects an off-site check follows before it gives up without a verdict.
OFFSITE_REDIRECTS = 2
#: Bytes an off-site GET may download (it stops at its first chunk anyway).
OFFSITE_MAXSIZE = 64 * 1024
#: request.meta key marking an off-site link check; its value is the unit's hosts.
META = "offsite_link"
#: request.meta key the gate sets to the host:port it cleared (a redirect must be cleared again).
CLEARED = "offsite_cleared"


class OffsiteRefused(IgnoreRequest):
    """An off-site check the grant does not cover (no grant, or an address out of its reach):
    never sent, and no verdict on the link."""


def grants(raw: Any) -> dict[str, dict[str, float]]:
    """ZWGK_OFFSITE_LINKS: {unit code: {"per_site": n, "delay_seconds": s}} for the units whose
    grant is on (a JSON string on the command line, a dict in tests)."""
    if not raw:
        return {}
    data = json.loads(raw) if isinstance(raw, str) else raw
    return {
        str(unit): {"per_site": int(g["per_site"]), "delay_seconds": float(g["delay_seconds"])}
        for unit, g in data.items()
    }


def address_class(addr: str) -> str:
    """global, or the kind of address a grant does not reach by default."""
    ip = ipaddress.ip_address(addr)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "non-global"  # shared address space (100.64/10) and the like
    return "global"


def reachable(target: str, unit_classes: set[str]) -> bool:
    """May an off-site check connect to `target`, for a unit whose own hosts are on addresses
    of `unit_classes`? Global addresses yes; any other class only if the unit lives there."""
    cls = address_class(target)
    return cls == "global" or cls in unit_classes


def _hostname(hostport: str) -> str:
    """The host of a units-file host entry or netloc (host, host:port, [v6]:port)."""
    return urlsplit(f"//{hostport}").hostname or ""


class OffsiteLinkMiddleware:
    """The gate of off-site link checks (see the module docstring). Ahead of
    UnitHostsMiddleware, which lets an off-site check through only once this cleared it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.grants = grants(crawler.settings.get("ZWGK_OFFSITE_LINKS"))
        self.stats = crawler.stats
        self._addresses: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OffsiteLinkMiddleware:
        return cls(crawler)

    async def resolve(self, host: str) -> str:
        """The address the crawl will connect to: an IP literal as it is, a name through the
        reactor's resolver (crawler/resolver.py), whose cache the connection reads."""
        try:
            return str(ipaddress.ip_address(host))
        except ValueError:
            pass
        if host not in self._addresses:
            from twisted.internet import reactor

            got = await maybe_deferred_to_future(reactor.resolver.getHostByName(host))
            self._addresses[host] = got
        return self._addresses[host]

    async def unit_classes(self, hosts: list[str]) -> set[str]:
        out = set()
        for entry in hosts:
            try:
                out.add(address_class(await self.resolve(_hostname(entry))))
            except Exception:  # a unit host that does not resolve gives no class
                continue
        return out

    async def process_request(self, request: Request, spider: Any = None) -> None:
        hosts = request.meta.get(META)
        if hosts is None:
            return None
        unit = request.meta.get("unit")
        grant = self.grants.get(unit)
        parts = urlsplit(request.url)
        if grant is None:
            self.stats.inc_value("zwgk/offsite_refused")
            raise OffsiteRefused(f"no off-site grant for unit {unit}: {request.url}")
        host = parts.hostname or ""
        try:
            target = await self.resolve(host)
        except Exception as exc:  # the lookup failed: the link's own fault, a verdict
            raise OSError(f"DNS lookup failed for {host}: {exc}") from None
        if not reachable(target, await self.unit_classes(hosts)):
            self.stats.inc_value("zwgk/offsite_refused")
            raise OffsiteRefused(
                f"off-site link to a {address_class(target)} address ({target}) refused:"
                f" unit {unit}'s own hosts are not on one: {request.url}"
            )
        slot = f"offsite|{host}"
        request.meta["download_slot"] = slot
        request.meta[CLEARED] = parts.netloc
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        if downloader is not None:
            delay = grant["delay_seconds"]
            current = downloader.per_slot_settings.setdefault(
                slot, {"concurrency": 1, "delay": delay, "jitter": 0}
            )
            if delay > current["delay"]:  # two units' grants: the slower one holds
                current["delay"] = delay
                if slot in downloader.slots:
                    downloader.slots[slot].delay = delay
        return None
