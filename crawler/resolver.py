"""Name lookups that can never hold a crawl: Scrapy's caching resolver, with each lookup in a
daemon thread of its own instead of the reactor's thread pool.

Scrapy's default resolver already gives up on a lookup after DNS_TIMEOUT, and DOWNLOAD_TIMEOUT
cuts the request off sooner; but the lookup itself (`socket.gethostbyname` has no timeout) keeps
running in a thread of the reactor's pool, and the reactor joins that pool when it stops. A
resolver that hangs (a dead DNS server retried per resolv.conf, a stuck NSS module) therefore
kept a finished crawl process alive until the lookup returned, up to the run's whole
`crawl_timeout_seconds`. A daemon thread is abandoned at the deadline instead and never delays
the process's exit (tests/spider/test_hardening_deadline.py).
"""

from __future__ import annotations

import socket
import threading
from contextlib import suppress
from typing import Any

from scrapy.resolver import CachingThreadedResolver, dnscache
from twisted.internet import defer, error
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure


class DaemonThreadResolver(CachingThreadedResolver):
    """IResolverSimple for Scrapy's DNS_RESOLVER setting: cached, DNS_TIMEOUT seconds at most."""

    def getHostByName(self, name: str, timeout: Any = ()) -> Deferred[str]:  # noqa: N802 - Twisted's name
        if name in dnscache:
            return defer.succeed(dnscache[name])
        answer: Deferred[str] = Deferred()

        def settle(outcome: str | Failure) -> None:
            # Whichever comes first wins: the lookup, the timeout, or a cancel from the request's
            # own DOWNLOAD_TIMEOUT (which fires `answer` itself); the others find it fired.
            if not answer.called:
                if isinstance(outcome, Failure):
                    answer.errback(outcome)
                else:
                    answer.callback(outcome)

        def lookup() -> None:
            try:
                outcome: str | Failure = socket.gethostbyname(name)
            except (OSError, UnicodeError) as exc:
                outcome = Failure(error.DNSLookupError(f"address {name!r} not found: {exc}"))
            # After the crawl has stopped there is no reactor to hand the answer to: drop it.
            with suppress(RuntimeError):
                self.reactor.callFromThread(settle, outcome)

        threading.Thread(target=lookup, name=f"dns {name}", daemon=True).start()

        def give_up() -> None:
            late = f"address {name!r} not found: no answer within {self.timeout:g} s"
            settle(Failure(error.DNSLookupError(late)))

        timer = self.reactor.callLater(self.timeout, give_up)

        def stop_timer(result: Any) -> Any:
            if timer.active():
                timer.cancel()
            return result

        answer.addBoth(stop_timer)
        if dnscache.limit:
            answer.addCallback(self._cache_result, name)
        return answer
