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
from typing import TYPE_CHECKING

from checks.mirrors import judged_copies
from checks.text import normalise_title

if TYPE_CHECKING:
    from checks.context import Context

#: Classes of information, in the order title cues are tried (the first match wins). `news`
#: is what 以动态信息充数 is about; the others are the substance the rules ask units to publish.
CLASS_CUES: list[tuple[str, tuple[str, ...]]] = [
    (
        "enforcement",
        ("处罚", "执法", "许可", "双随机", "抽查", "检查结果", "监督检查", "信用", "行政强制"),
    ),
    ("result", ("结果", "名单", "公示", "中标", "成交", "录用", "验收", "办理情况", "答复")),
    ("data", ("数据", "统计", "月报", "季报", "公报", "预算", "决算", "收支", "指标")),
    ("plan", ("规划", "计划", "方案", "要点", "总结", "报告")),
    (
        "document",
        (
            "文件",
            "通知",
            "公告",
            "通告",
            "办法",
            "意见",
            "决定",
            "规定",
            "细则",
            "批复",
            "条例",
            "解读",
            "政策",
        ),
    ),
]
#: Title cues of news: events, meetings, visits (工作动态 in substance).
NEWS_TITLE_CUES = (
    "召开",
    "会议",
    "座谈",
    "调研",
    "视察",
    "考察",
    "走访",
    "慰问",
    "开展",
    "举办",
    "部署",
    "培训",
    "活动",
    "推进会",
    "启动",
    "督导",
    "动员",
    "图片新闻",
    "简讯",
    "取得新进展",
)
#: Column names that hold news (工作动态, 图片新闻, 领导活动, 部门动态, 乡镇动态 ...).
NEWS_COLUMN_CUES = ("动态", "要闻", "新闻", "图片", "领导活动", "工作进展", "简报", "快讯")
CLASSES = ("news", *(c for c, _ in CLASS_CUES), "other")
CLASS_ZH = {
    "news": "动态信息",
    "enforcement": "执法监管",
    "result": "结果公示",
    "data": "数据统计",
    "plan": "规划计划",
    "document": "文件通知",
    "other": "其他",
}


def _first(text: str, cues: list[tuple[str, tuple[str, ...]]]) -> str | None:
    for cls, words in cues:
        if any(w in text for w in words):
            return cls
    return None


#: A title in the form of a document (关于…的通知, 《…》, a 文号): its cue words decide, whatever
#: else the title mentions.
DOCUMENT_FORM = re.compile(r"关于.{1,80}的[^的]{0,6}$|《[^》]+》|〔\d{4}〕|\[\d{4}\]")


def classify(title: str | None, column_name: str | None, category: str | None) -> str:
    """One item's class. A title in a document's form (关于…的通知, 《…》, 〔2026〕) goes by its
    substantive cue; otherwise a news cue (召开, 调研, 开展 ...) makes it news, so a unit's own
    name (市统计局召开…) cannot pass a meeting off as data; then a substantive cue; then the
    column: a news column (by name or category) is news, a column name's cue gives its class,
    a notice column gives `document`, anything else `other`."""
    t = title or ""
    name = column_name or ""
    by_title = _first(t, CLASS_CUES)
    if by_title and DOCUMENT_FORM.search(t):
        return by_title
    if any(w in t for w in NEWS_TITLE_CUES):
        return "news"
    if by_title:
        return by_title
    if category == "news" or any(w in name for w in NEWS_COLUMN_CUES):
        return "news"
    by_name = _first(name, CLASS_CUES)
    if by_name:
        return by_name
    return "document" if category == "notice" else "other"


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
    rows = ctx.query(
        """SELECT u.unit_id, u.kind,
                  (SELECT min(s.site_id) FROM zc_site_runs s
                   WHERE s.unit_id = u.unit_id AND s.role = 'disclosure') AS disclosure_site_id,
                  (SELECT min(i.pub_date) FROM items i JOIN zc_assessed_columns a
                     ON a.column_id = i.column_id
                   WHERE a.unit_id = u.unit_id AND a.is_home = 0
                     AND i.pub_date IS NOT NULL) AS oldest
           FROM zc_run_units u
           WHERE u.assessed = 1
             AND NOT EXISTS (SELECT 1 FROM column_runs cr JOIN columns c
                               ON c.column_id = cr.column_id
                             WHERE cr.run_id = :run AND c.unit_id = u.unit_id
                               AND cr.status NOT IN ('ok', 'placeholder', 'capped'))
           ORDER BY u.unit_id""",
        {"run": ctx.run_id},
    )
    out = {
        r["unit_id"]: UnitRecent(r["unit_id"], r["kind"], r["disclosure_site_id"], r["oldest"])
        for r in rows
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
    rows = ctx.query(
        """SELECT a.unit_id, i.column_id, i.url, i.title, i.pub_date, a.category,
                  c.name AS column_name, c.url AS column_url
           FROM items i
           JOIN zc_assessed_columns a ON a.column_id = i.column_id
           JOIN columns c ON c.column_id = i.column_id
           JOIN zc_run_units u ON u.unit_id = a.unit_id AND u.assessed = 1
           WHERE a.is_home = 0 AND i.pub_date >= :since AND i.pub_date <= :today
           ORDER BY a.unit_id, i.pub_date DESC, i.item_id""",
        {"since": since(ctx, window_days), "today": ctx.today_iso},
    )
    # Platform (and other non-copy) columns first, so a copy's item finds its original.
    rows.sort(key=lambda r: r["column_id"] in copies)
    seen_urls: dict[str, set[str]] = defaultdict(set)
    by_column: dict[int, set[str]] = defaultdict(set)
    # title + date keys are needed only on both sides of a mirror (most columns have none)
    paired = {c["platform_column_id"] for c in copies.values()} | set(copies)
    for r in rows:
        unit = units.get(r["unit_id"])
        if unit is None:
            continue
        copy = None
        if r["column_id"] in paired:
            tkey = normalise_title(r["title"]) + "|" + r["pub_date"]
            by_column[r["column_id"]].add(tkey)
            copy = copies.get(r["column_id"])
        if r["url"] in seen_urls[unit.unit_id]:
            continue
        if copy is not None and tkey in by_column.get(copy["platform_column_id"], ()):
            continue
        seen_urls[unit.unit_id].add(r["url"])
        unit.items.append(
            RecentItem(
                url=r["url"],
                title=r["title"] or "",
                pub_date=r["pub_date"],
                column_id=r["column_id"],
                column_name=r["column_name"] or "",
                column_url=r["column_url"],
                category=r["category"],
                cls=classify(r["title"], r["column_name"], r["category"]),
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
