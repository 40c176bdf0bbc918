"""Publication dates from free text, unix epochs and URLs.

Freshness and back-dating rules compare these dates against day-sized windows, so a wrong day is
worse than no date: every parser validates the calendar date and the year range, and a URL that
only carries a month (`/202305/`) yields nothing rather than a guessed day. Forms covered are the
ones seen on real sites.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from urllib.parse import urlsplit

__all__ = ["MIN_YEAR", "date_from_url", "parse_date", "parse_epoch"]

#: Government sites did not publish on the web before this; earlier "years" are 文号 or ids.
MIN_YEAR = 1990

#: Beijing time: gkmlpt epochs are midnight CST, which is the previous day in UTC.
CST = timezone(timedelta(hours=8), "Asia/Shanghai")

# Full-width digits and separators occur in hand-typed Chinese text; fold them to ASCII first.
_FOLD = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "－": "-", "／": "/", "．": ".", "\u3000": " "}
)

# One alternation, scanned left to right, so "the first date in the text" is literal: whichever
# form starts earliest wins. Full dates come before month/day alternatives so `2021/4/2` is never
# read as `4/2`. Lookarounds keep us inside number boundaries (no `2018-00222` from a 索引号, no
# date out of a docid like `t20171020_398361`).
_DATE_RE = re.compile(
    r"""
    (?<![\d.\-/])
    (?:
        (?P<y>\d{4})\s?(?P<sep>[-/.])\s?(?P<m>\d{1,2})\s?(?P=sep)\s?(?P<d>\d{1,2})(?![\d])
      | (?P<cy>\d{4})\s*年\s*(?P<cm>\d{1,2})\s*月\s*(?P<cd>\d{1,2})(?!\d)\s*日?
      | (?<!第)(?P<mm>\d{1,2})(?P<msep>[-/])(?P<md>\d{1,2})(?![\d\-/.%:月日号季年期个名人万亿元倍次条款项])
      | (?P<zm>\d{1,2})\s*月\s*(?P<zd>\d{1,2})\s*日
    )
    """,
    re.VERBOSE,
)


def _valid(y: int, m: int, d: int, max_year: int) -> date | None:
    if not MIN_YEAR <= y <= max_year:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _resolve_month_day(m: int, d: int, today: date) -> date | None:
    """News lists often print only `09-03`; crawlers fill in the year. The current year is right
    unless that lands in the future (a December item read in January), then it is last year's.
    One day of slack absorbs time-zone and clock differences between the site and us."""
    for year in (today.year, today.year - 1):
        try:
            candidate = date(year, m, d)
        except ValueError:  # 02-29 in a non-leap year: try the other year
            continue
        if candidate <= today + timedelta(days=1):
            return candidate
    return None


def parse_date(text: str, today: date) -> date | None:
    """Return the first valid date in `text`, or None.

    Accepts `2017-10-20`, `2026-01-22 11:40:11`, `[ 2026-09-03 ]`, `2026年8月3日`, `2021/4/2`,
    `2026.09.03`, and month/day-only `09-03`, `9/3`, `09月03日` (year resolved against `today`).
    Impossible dates and years outside 1990..today.year+1 are skipped, and scanning continues.
    """
    if not text:
        return None
    text = text.translate(_FOLD)
    max_year = today.year + 1
    for m in _DATE_RE.finditer(text):
        g = m.groupdict()
        if g["y"]:
            found = _valid(int(g["y"]), int(g["m"]), int(g["d"]), max_year)
        elif g["cy"]:
            found = _valid(int(g["cy"]), int(g["cm"]), int(g["cd"]), max_year)
        elif g["mm"]:
            found = _resolve_month_day(int(g["mm"]), int(g["md"]), today)
        else:
            found = _resolve_month_day(int(g["zm"]), int(g["zd"]), today)
        if found is not None:
            return found
    return None


def parse_epoch(value: object) -> date | None:
    """Unix seconds or milliseconds (int, float or digit string) to a Beijing calendar date.

    gkmlpt stores `date: 1783353600`, which is 2026-07-07 00:00 CST but still 07-06 in UTC, so the
    conversion must happen in UTC+8. Values above 1e11 are milliseconds (1e11 s is year 5138).
    """
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value.strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if number != number or number <= 0:  # NaN or non-positive
        return None
    if number > 1e11:
        number /= 1000.0
    try:
        moment = datetime.fromtimestamp(number, tz=UTC).astimezone(CST)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.date() if MIN_YEAR <= moment.year <= 2100 else None


_URL_PATTERNS = (
    # TRS: .../201710/t20171020_398361.html, multi-page ..._398361_1.html
    re.compile(r"/t(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})_\d+(?:_\d+)?\.s?html?$", re.I),
    # Hanweb: /art/2026/9/24/art_6372_11834669.html (month and day not padded)
    re.compile(r"/art/(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/art_", re.I),
    # Shanghai-style day directory: /20230820/{32hex}.html
    re.compile(r"/(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})/[^/]+\.s?html?$", re.I),
)


def date_from_url(url: str, today: date | None = None) -> date | None:
    """The publication day encoded in a detail URL, or None.

    Only day-precise forms count: TRS `t20171020_…`, Hanweb `/art/Y/M/D/`, `/YYYYMMDD/…`. A
    month directory (`/202305/{hex}.shtml`) returns None on purpose: day 1 would be a guess that
    shifts stale-column decisions. `today` (optional) tightens the upper year bound.
    """
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    max_year = today.year + 1 if today else 2100
    for pattern in _URL_PATTERNS:
        m = pattern.search(path)
        if m:
            found = _valid(int(m["y"]), int(m["m"]), int(m["d"]), max_year)
            if found is not None:
                return found
    return None
