"""Worker-side plumbing for distributed runs on scrapy-redis (enabled by `zwgk run --workers N`).

Every worker is an ordinary `scrapy crawl zwgk` process with these components swapped in by
settings (see `worker_settings`); the spider itself is unchanged:

- `Scheduler`: scrapy-redis's scheduler on the run's keys. A pop also marks this worker active
  (one Lua call); a worker that goes idle unmarks itself and closes only when the shared queue is
  empty AND no worker is active: nobody holds a request that could add more, so the run is done.
  That is exact, not a timeout, so no worker hangs and none quits while another is still feeding
  the queue. The engine's 5 s heartbeat is shortened so an idle worker picks up new requests fast.
- `DupeFilter`: scrapy-redis's RFPDupeFilter with our fingerprinter (site role + canonical URL),
  so catalog dedupe behaves exactly as Scrapy's own dupefilter does in a single process.
- `DropStartMiddleware`: workers do not run the spider's `start()`; the orchestrator pushed those
  requests into the queue before starting them.
- `RedisItemsPipeline` (setting `ZWGK_ITEMS_TO_REDIS`): records go to a Redis list that the
  orchestrator drains through the same StorePipeline, so one process writes SQLite and workers on
  other machines need no shared file system. Records are flushed before any request is queued,
  so a column's list pages always reach the store before the ColumnDone another worker emits.
"""

from __future__ import annotations

import json
import os
import pickle
import socket
from typing import Any

import redis
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from crawler.fingerprint import SiteAwareFingerprinter

_FINGERPRINTER = SiteAwareFingerprinter()

#: Every Redis connection of ours in a distributed run (scrapy-redis sets the same for its own,
#: REDIS_PARAMS): a Redis that accepts and then stops answering (paused, or the network gone
#: without a reset) makes a command fail after this long instead of holding a worker, or the
#: orchestrator and with it the run's crawl deadline, for ever.
REDIS_TIMEOUTS: dict[str, float] = {"socket_timeout": 30.0, "socket_connect_timeout": 10.0}


def redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, **REDIS_TIMEOUTS)


# Pop the best request and mark the worker active in one step, so there is no moment where a
# request is neither in the queue nor held by an active worker.
POP_LUA = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0)
if r[1] then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
  redis.call('SADD', KEYS[2], ARGV[1])
  return r[1]
end
return false
"""

# Unmark the worker; the run is over when nothing is queued and nobody is active.
IDLE_LUA = """
redis.call('SREM', KEYS[2], ARGV[1])
return {redis.call('ZCARD', KEYS[1]), redis.call('SCARD', KEYS[2])}
"""


def run_keys(prefix: str) -> dict[str, str]:
    """Every Redis key a run uses (the orchestrator deletes them all when the run ends)."""
    return {
        name: f"{prefix}:{name}"
        for name in ("requests", "dupefilter", "items", "active", "owner", "config")
    }


def fingerprint(request: Request) -> str:
    return _FINGERPRINTER.fingerprint(request).hex()


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_settings(prefix: str, redis_url: str, items_to_redis: bool) -> dict[str, str]:
    """The `-s` settings that turn `scrapy crawl zwgk` into a worker of the run `prefix`."""
    from crawler import settings as base

    keys = run_keys(prefix)
    pipelines = (
        {"crawler.distributed.RedisItemsPipeline": 300} if items_to_redis else base.ITEM_PIPELINES
    )
    downloader = dict(base.DOWNLOADER_MIDDLEWARES, **{"crawler.ratelimit.RedisRateLimit": 950})
    spider_mws = dict(
        getattr(base, "SPIDER_MIDDLEWARES", {}), **{"crawler.distributed.DropStartMiddleware": 10}
    )
    return {
        "SCHEDULER": "crawler.distributed.Scheduler",
        "DUPEFILTER_CLASS": "crawler.distributed.DupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": keys["requests"],
        "SCHEDULER_DUPEFILTER_KEY": keys["dupefilter"],
        "SCHEDULER_PERSIST": "True",  # one worker closing must not flush the others' queue
        "REDIS_URL": redis_url,
        "ZWGK_REDIS_PREFIX": prefix,
        "ZWGK_ITEMS_TO_REDIS": str(items_to_redis),
        "ITEM_PIPELINES": json.dumps(pipelines),
        "SPIDER_MIDDLEWARES": json.dumps(spider_mws),
        "DOWNLOADER_MIDDLEWARES": json.dumps(downloader),
        # Workers inherit crawler.settings; restated so no worker ever opens a local endpoint.
        "TELNETCONSOLE_ENABLED": "False",
        "REMOTE_CONTROL_ENABLED": "False",
    }


class DupeFilter(RFPDupeFilter):
    """scrapy-redis's shared fingerprint set, with our fingerprints.

    Fingerprints are never removed during a run, so one this worker has already sent to the set
    is known to be there: a local copy answers the repeats (every list page of a TRS site repeats
    its whole catalogue nav, ~50 links) without a Redis round trip each.
    """

    LOCAL_MAX = 1_000_000

    def __init__(self, server, key: str, debug: bool = False) -> None:
        super().__init__(server, key, debug)
        self.local: set[str] = set()

    def request_fingerprint(self, request: Request) -> str:
        return fingerprint(request)

    def request_seen(self, request: Request) -> bool:
        fp = self.request_fingerprint(request)
        if fp in self.local:
            return True
        added = self.server.sadd(self.key, fp)
        if len(self.local) >= self.LOCAL_MAX:
            self.local.clear()
        self.local.add(fp)
        return added == 0

    @classmethod
    def from_spider(cls, spider):
        settings = spider.settings
        server = redis_client(settings["REDIS_URL"])
        return cls(server, key=settings["SCHEDULER_DUPEFILTER_KEY"])

    def close(self, reason: str = "") -> None:
        """Keep the shared set: other workers still use it; the orchestrator deletes it."""


class Scheduler(RedisScheduler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.worker = worker_id()
        self.crawler: Crawler | None = None
        self._pop = self.server.register_script(POP_LUA)
        self._idle = self.server.register_script(IDLE_LUA)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Scheduler:
        instance = super().from_crawler(crawler)
        instance.crawler = crawler
        instance.active_key = run_keys(crawler.settings["ZWGK_REDIS_PREFIX"])["active"]
        crawler.signals.connect(instance.engine_started, signal=signals.engine_started)
        crawler.signals.connect(instance.spider_idle, signal=signals.spider_idle)
        return instance

    def engine_started(self) -> None:
        # The engine polls an empty scheduler every 5 s; a worker waiting for others to feed
        # the shared queue would sit idle that long. Ask for new requests 5 times a second.
        poll = self.crawler.settings.getfloat("ZWGK_IDLE_POLL_SECONDS", 0.2)
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = poll

    def enqueue_request(self, request: Request) -> bool:
        flush = getattr(self.crawler, "zwgk_flush_items", None)
        if flush is not None:
            flush()  # records the callback yielded before this request reach Redis first
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        data = self._pop(keys=[self.queue.key, self.active_key], args=[self.worker])
        if not data:
            return None
        request = self.queue._decode_request(data)
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def spider_idle(self, spider=None) -> None:
        flush = getattr(self.crawler, "zwgk_flush_items", None)
        if flush is not None:
            flush()
        queued, active = self._idle(keys=[self.queue.key, self.active_key], args=[self.worker])
        if queued or active:
            raise DontCloseSpider


class DropStartMiddleware:
    """Workers take their start requests from the shared queue, never from `spider.start()`."""

    async def process_start(self, start):
        return
        yield  # an async generator that yields nothing


class RedisItemsPipeline:
    """Spider records into the run's Redis list, in order, for the orchestrator to store."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.server = redis_client(settings["REDIS_URL"])
        self.key = run_keys(settings["ZWGK_REDIS_PREFIX"])["items"]
        self.batch = settings.getint("ZWGK_ITEMS_BATCH", 200)
        self.buffer: list[bytes] = []
        crawler.zwgk_flush_items = self.flush  # the scheduler flushes before queueing requests

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisItemsPipeline:
        if not crawler.settings.getbool("ZWGK_ITEMS_TO_REDIS"):
            raise NotConfigured("ZWGK_ITEMS_TO_REDIS is off: StorePipeline writes SQLite")
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        self.buffer.append(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
        if len(self.buffer) >= self.batch:
            self.flush()
        return item

    def flush(self) -> None:
        if self.buffer:
            chunk, self.buffer = self.buffer, []
            self.server.rpush(self.key, *chunk)

    def close_spider(self) -> None:
        self.flush()
