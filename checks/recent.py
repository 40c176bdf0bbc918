"""A unit's recent items, each counted once, and what kind of information each one is.

low-volume and news-padding judge a unit by what it published in the last N days. Both read the
same set, built here once per run and window:

- only units whose every site was assessed in this run and none of whose columns failed or was
  cut short (a page nobody read would make a unit look quiet, or shift its mix);
- only list columns (the home page's lists repeat column items), assessed in this run;
- items dated in (today - N days, today]; a dateless item cannot be placed in the window;
- each item once per unit: by URL (a portal list linking to the platform's article, the home
  page, a column listed twice in the catalog), and a portal catalog copy's item also when the
  platform column it copies (checks.mirrors) carries the same normalised title and date under
  another URL.

`classify` names each item's class from its title first (a 通知 posted in 工作动态 is a
document, not news), then its column's name and category.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from checks.mirrors import judged_copies
from checks.text import normalise_title

if TYPE_CHECKING:
    from checks.context import Context

#: Classes of information. `news` is what 以动态信息充数 is about; the others are the substance
#: the rules ask units to publish, their title cues tried in this order (the first match wins).
#: The cue words themselves are news-padding's options (checks/defaults.yaml:
#: `news_title_cues`, `document_title_cues`), overridable per unit: see `Cues`.
SUBSTANCE = ("enforcement", "result", "data", "plan", "document")
#: Column names that hold news (工作动态, 图片新闻, 领导活动, 部门动态, 乡镇动态 ...).
NEWS_COLUMN_CUES = ("动态", "要闻", "新闻", "图片", "领导活动", "工作进展", "简报", "快讯")
CLASSES = ("news", *SUBSTANCE, "other")
CLASS_ZH = {
    "news": "动态信息",
    "enforcement": "执法监管",
    "result": "结果公示",
    "data": "数据统计",
    "plan": "规划计划",
    "document": "文件通知",
    "other": "其他",
}


def _cue_re(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation per class: a search in C instead of a Python loop over the words (the
    checks classify every recent item of a province, hundreds of thousands of titles). None
    for no words (an empty alternation would match every title)."""
    words = tuple(w for w in words if w)
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


@dataclass(frozen=True, slots=True)
class Cues:
    """Title cues: the words that make a title news, and each substance class's words in the
    order they are tried. Built from news-padding's options (`Cues.of`); hashable, so
    compiled patterns and column classes are cached per cue set."""

    news: tuple[str, ...]
    classes: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def of(cls, options: dict) -> Cues:
        by_class = options.get("document_title_cues") or {}
        return cls(
            news=tuple(options.get("news_title_cues") or ()),
            classes=tuple((c, tuple(by_class.get(c) or ())) for c in SUBSTANCE),
        )


@lru_cache(maxsize=1)
def default_cues() -> Cues:
    """The shipped cues (checks/defaults.yaml)."""
    from checks.config import shipped_defaults

    return Cues.of(shipped_defaults()["news-padding"])


@lru_cache(maxsize=64)
def _compiled(cues: Cues) -> tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str] | None]:
    classes = [(c, rx) for c, words in cues.classes if (rx := _cue_re(words)) is not None]
    return classes, _cue_re(cues.news)


_NEWS_COLUMN_RE = _cue_re(NEWS_COLUMN_CUES)


def _first(text: str, cues: Cues) -> str | None:
    for cls, cue in _compiled(cues)[0]:
        if cue.search(text):
            return cls
    return None


@lru_cache(maxsize=4096)
def _by_column(column_name: str, category: str | None, cues: Cues) -> str:
    """The class a column gives an item whose title has no cue (columns repeat: cached)."""
    if category == "news" or _NEWS_COLUMN_RE.search(column_name):
        return "news"
    by_name = _first(column_name, cues)
    if by_name:
        return by_name
    return "document" if category == "notice" else "other"


#: A title in the form of a document (关于…的通知, 《…》, a 文号): its cue words decide, whatever
#: else the title mentions.
DOCUMENT_FORM = re.compile(r"关于.{1,80}的[^的]{0,6}$|《[^》]+》|〔\d{4}〕|\[\d{4}\]")


def classify(
    title: str | None, column_name: str | None, category: str | None, cues: Cues | None = None
) -> str:
    """One item's class. A title in a document's form (关于…的通知, 《…》, 〔2026〕) goes by its
    substantive cue; otherwise a news cue (召开, 调研, 开展 ...) makes it news, so a unit's own
    name (市统计局召开…) cannot pass a meeting off as data; then a substantive cue; then the
    column: a news column (by name or category) is news, a column name's cue gives its class,
    a notice column gives `document`, anything else `other`. `cues`: the unit's title cues
    (news-padding's options), the shipped ones by default."""
    cues = cues or default_cues()
    t = title or ""
    by_title = _first(t, cues)
    if by_title and DOCUMENT_FORM.search(t):
        return by_title
    news = _compiled(cues)[1]
    if news is not None and news.search(t):
        return "news"
    if by_title:
        return by_title
    return _by_column(column_name or "", category, cues)


@dataclass(slots=True)
class RecentItem:
    url: str
    title: str
    pub_date: str
    column_id: int
    column_name: str
    column_url: str
    category: str | None
    cls: str


@dataclass(slots=True)
class UnitRecent:
    unit_id: str
    kind: str
    disclosure_site_id: int | None
    #: the oldest dated item in the unit's assessed list columns: does its history cover N days?
    oldest: str | None
    items: list[RecentItem] = field(default_factory=list)


def since(ctx: Context, window_days: int) -> str:
    """First day inside the window: items dated after today - N days (today is day 1 of N)."""
    return (ctx.today - timedelta(days=window_days - 1)).isoformat()


def judged_units(ctx: Context) -> dict[str, UnitRecent]:
    """Units whose crawl this run is complete enough to count: every site assessed and no
    column of theirs failed, partial or blocked in this run. {unit_id: UnitRecent without
    items}. Cached for the run."""
    cached = ctx.cache.get("recent-units")
    if cached is not None:
        return cached
    # Set-based: one pass each (a correlated subquery per unit would rescan the run's columns
    # once per unit).
    incomplete = {
        r["unit_id"]
        for r in ctx.query(
            """SELECT DISTINCT c.unit_id FROM column_runs cr
               JOIN columns c ON c.column_id = cr.column_id
               WHERE cr.run_id = :run AND cr.status NOT IN ('ok', 'placeholder', 'capped')""",
            {"run": ctx.run_id},
        )
    }
    oldest = {
        r["unit_id"]: r["oldest"]
        for r in ctx.query(
            """SELECT a.unit_id, min(i.pub_date) AS oldest
               FROM zc_assessed_columns a JOIN items i ON i.column_id = a.column_id
               WHERE a.is_home = 0 AND i.pub_date IS NOT NULL
               GROUP BY a.unit_id"""
        )
    }
    platform = {
        r["unit_id"]: r["site_id"]
        for r in ctx.query(
            """SELECT unit_id, min(site_id) AS site_id FROM zc_site_runs
               WHERE role = 'disclosure' GROUP BY unit_id"""
        )
    }
    out = {
        r["unit_id"]: UnitRecent(
            r["unit_id"], r["kind"], platform.get(r["unit_id"]), oldest.get(r["unit_id"])
        )
        for r in ctx.query(
            "SELECT unit_id, kind FROM zc_run_units WHERE assessed = 1 ORDER BY unit_id"
        )
        if r["unit_id"] not in incomplete
    }
    ctx.cache["recent-units"] = out
    return out


def recent_items(ctx: Context, window_days: int) -> dict[str, UnitRecent]:
    """Judged units with their items of the last `window_days` days, each item once per unit.
    Cached per window for the run (both rules usually ask for the same one)."""
    key = f"recent-items-{int(window_days)}"
    cached = ctx.cache.get(key)
    if cached is not None:
        return cached
    base = judged_units(ctx)
    units = {
        u: UnitRecent(r.unit_id, r.kind, r.disclosure_site_id, r.oldest) for u, r in base.items()
    }
    copies = judged_copies(ctx)
    # The judged units' list columns, then their items in the window read as plain tuples by
    # the (column_id, pub_date) index: a province has hundreds of thousands of recent items.
    cols = {
        r["column_id"]: (r["unit_id"], r["name"] or "", r["url"], r["category"])
        for r in ctx.query(
            """SELECT a.column_id, a.unit_id, a.category, c.name, c.url
               FROM zc_assessed_columns a JOIN columns c ON c.column_id = a.column_id
               WHERE a.is_home = 0"""
        )
        if r["unit_id"] in units
    }
    ctx.db.execute("DROP TABLE IF EXISTS temp.zc_recent_columns")
    ctx.db.execute("CREATE TEMP TABLE zc_recent_columns (column_id INTEGER PRIMARY KEY)")
    ctx.db.conn.executemany("INSERT INTO zc_recent_columns VALUES (?)", [(c,) for c in cols])
    rows = ctx.db.execute(
        """SELECT i.column_id, i.url, i.title, i.pub_date FROM items i
           WHERE i.column_id IN (SELECT column_id FROM zc_recent_columns)
             AND i.pub_date >= :since AND i.pub_date <= :today""",
        {"since": since(ctx, window_days), "today": ctx.today_iso},
    ).fetchall()
    # Platform (and other non-copy) columns first, so a copy's item finds its original.
    if copies:
        rows.sort(key=lambda r: r[0] in copies)
    seen_urls: dict[str, set[str]] = defaultdict(set)
    by_column: dict[int, set[str]] = defaultdict(set)
    # title + date keys are needed only on both sides of a mirror (most columns have none)
    paired = {c["platform_column_id"] for c in copies.values()} | set(copies)
    for column_id, url, title, pub_date in rows:
        unit_id, column_name, column_url, category = cols[column_id]
        copy = None
        if column_id in paired:
            tkey = normalise_title(title) + "|" + pub_date
            by_column[column_id].add(tkey)
            copy = copies.get(column_id)
        seen = seen_urls[unit_id]
        if url in seen:
            continue
        if copy is not None and tkey in by_column.get(copy["platform_column_id"], ()):
            continue
        seen.add(url)
        units[unit_id].items.append(
            RecentItem(
                url=url,
                title=title or "",
                pub_date=pub_date,
                column_id=column_id,
                column_name=column_name,
                column_url=column_url,
                category=category,
                cls=classify(title, column_name, category),
            )
        )
    for u in units.values():
        u.items.sort(key=lambda i: (i.pub_date, i.url), reverse=True)
    ctx.cache[key] = units
    return units


def history_covers(unit: UnitRecent, today: date, window_days: int) -> bool:
    """The unit's lists reach back the whole window (a new site, or lists that keep only their
    newest items, cannot say how much was published over N days)."""
    if unit.oldest is None:
        return False
    return date.fromisoformat(unit.oldest[:10]) <= today - timedelta(days=window_days)
