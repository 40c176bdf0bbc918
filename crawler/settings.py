"""Scrapy settings for zwgk-monitor's spiders.

Defaults are polite for small government servers; `zwgk run` overrides them from the
configuration file's `crawl:` section (see zwgk/crawl.py), and the demo farm on loopback uses
faster values. Every value here is a Scrapy setting; ZWGK_* are ours.
"""

from scrapy.settings import default_settings as _scrapy_defaults

BOT_NAME = "zwgk-monitor"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Identify ourselves honestly; ZWGK_CONTACT (from configuration) is appended when set.
USER_AGENT = "zwgk-monitor/0.1 (+government disclosure compliance monitor)"
ROBOTSTXT_OBEY = False  # supervisors are mandated to inspect these public pages

CONCURRENT_REQUESTS = 32
# A list page yields tens of records; processing them 10 at a time is cheaper than 100 tasks.
CONCURRENT_ITEMS = 10
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
RANDOMIZE_DOWNLOAD_DELAY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# A total deadline per request (connect, headers and body together), not a per-read timeout:
# a server dripping a byte a second is cut off after 20 s (tests/spider/test_hardening_deadline).
DOWNLOAD_TIMEOUT = 20
# No disclosure page is 20 MiB; a bigger body (or a gzip body decompressing past it: Scrapy's
# HttpCompressionMiddleware applies the same limit) is dropped and recorded as a failed page.
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
DNS_TIMEOUT = 10
# Each lookup in a daemon thread: a resolver that hangs cannot keep a finished crawl alive (the
# reactor joins its own thread pool on the way out); crawler/resolver.py. Scrapy renamed the
# setting (DNS_RESOLVER before 2.14, deprecated since); set the one this Scrapy reads.
if hasattr(_scrapy_defaults, "TWISTED_DNS_RESOLVER"):
    TWISTED_DNS_RESOLVER = "crawler.resolver.DaemonThreadResolver"
else:
    DNS_RESOLVER = "crawler.resolver.DaemonThreadResolver"

RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
ZWGK_RETRY_BACKOFF_BASE = 1.0  # seconds; doubled per retry by RetryBackoffMiddleware

# We judge 404s, WAF 412/521 pages and 5xx ourselves: the callbacks see every status.
HTTPERROR_ALLOW_ALL = True
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = True
# Least privilege: a crawl opens no local endpoint. Scrapy's Telnet console and (2.13+) its
# RemoteControl HTTP server both listen on localhost, and RemoteControl writes a token file
# under the user's home; neither is used (progress is read from the store).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformatter.QuietLogFormatter"
# Scrapy re-reads each callback's source (inspect + ast) to warn about generators returning a
# value, and its cache is keyed by bound methods that die with their request: 3 % of a crawl's
# CPU. Our callbacks are tested; sub-generators returning values (emit_items) are deliberate.
WARN_ON_GENERATOR_RETURN_VALUE = False
REQUEST_FINGERPRINTER_CLASS = "crawler.fingerprint.SiteAwareFingerprinter"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

DOWNLOADER_MIDDLEWARES = {
    # The gate of off-site link checks (an operator's grant), ahead of the unit-hosts rule.
    "crawler.offsite.OffsiteLinkMiddleware": 49,
    "crawler.middlewares.UnitHostsMiddleware": 50,
    "crawler.middlewares.RetryBackoffMiddleware": 60,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.QuickMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.GuardedRedirectMiddleware": 600,
    # After decompression (590), before the redirects and retries see the response.
    "crawler.middlewares.UnreadableBodyMiddleware": 585,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.ParseErrorMiddleware": 950,
    # Closer to the engine than ParseErrorMiddleware, so recovered records are batched too.
    "crawler.middlewares.RecordBatchMiddleware": 940,
    # Between the callbacks and the batching, so it sees each record and request on its own.
    "crawler.budget.DetailBudgetMiddleware": 945,
}
ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
    "crawler.gctune.GcTuning": 0,
}

# ours
ZWGK_MAX_PAGES_PER_COLUMN = 50
ZWGK_MAX_CATALOG_DEPTH = 4
ZWGK_MAX_COLUMNS_PER_SITE = 400
ZWGK_DETAIL_PAGES = "new"  # new | dateless | none
# Bounded work per site (crawler/budget.py); a cap that bites makes the column partial.
ZWGK_MAX_DETAILS_PER_PAGE = 200
ZWGK_MAX_DETAILS_PER_COLUMN = 2000
ZWGK_MAX_DETAILS_PER_SITE = 20000
ZWGK_MAX_ITEMS_PER_PAGE = 1000
# broken-link's link checks (crawler/spiders/link_checks.py): on-host links only, at most this
# many per site a run; 0 turns them off.
ZWGK_MAX_LINKS_PER_SITE = 200
# Off-site link checks, per unit whose broken-link grant is on (offsite_enabled; zwgk/runner.py
# writes it): {unit: {"per_site": n, "delay_seconds": s}}. Empty: off-site links never fetched.
ZWGK_OFFSITE_LINKS = {}
# Cycle-collector thresholds during a crawl (crawler/gctune.py); empty keeps CPython's.
ZWGK_GC_THRESHOLDS = [50_000, 20, 100]
