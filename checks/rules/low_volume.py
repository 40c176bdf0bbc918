"""low-volume 信息发布量偏少.

What:
    A unit that published far less than units of the same kind (city, county, department,
    township, institution) over the last `window_days` days: its count of dated items is below
    `below_median_ratio` times the median count of its kind. The median, not the mean, so a few
    very large units (a city portal, a busy county) do not make everyone else look quiet. Each
    item counts once per unit: by URL across its portal, platform and home page, and a portal
    catalog copy's item (checks.mirrors) not again when the platform column it copies carries
    the same title and date. Only list columns assessed in this run count.
    Not judged (no finding, and an open finding neither fires nor resolves): a unit with a site
    not assessed in this run or a column that failed or was cut short (an unread page would
    look like silence); a unit whose lists do not reach back `window_days` days (a new site, or
    columns that keep only their newest items: too little history to count); a kind with fewer
    than `min_peer_units` such units (the unit itself included). The median is over the units
    judged, each counted over the window of the unit being judged. Evidence: the unit's count,
    the kind's median, the threshold and each peer's count.
Why:
    The city's assessment names 部分市直部门信息发布量偏少 (国办秘函〔2019〕19号《政府网站与政务新媒体
    检查指标》 counts 信息发布 among the 内容建设 indicators; 《政府信息公开条例》（国务院令第711号）
    第二十条 lists what must be actively disclosed). First threshold: under 25% of the kind's
    median over 90 days (rules.md).
How to fix:
    Publish the unit's statutory information (policies, plans, budgets, enforcement and
    results, statistics) as it is produced, in its catalog's columns; check that no column has
    stopped being filled.
Options:
    window_days: the days counted back from the run's date, today included (90).
    below_median_ratio: fires when the unit's count is below this share of its kind's median (0.25).
    min_peer_units: judged units of one kind needed before any of them is judged, itself included (3).
"""

from __future__ import annotations

from statistics import median

from checks.context import Context
from checks.recent import history_covers, recent_items, since
from checks.registry import Hit, Rule, register
from checks.text import KIND_ZH

#: Peers listed in the evidence from each end of the ranking when a kind has many units.
MAX_PEERS_SHOWN = 10


@register
class LowVolume(Rule):
    code = "low-volume"
    title_zh = "信息发布量偏少"
    title_en = "Low publishing volume"
    severity = "deduct"
    scope = "unit"
    regulation = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》；《政府信息公开条例》（国务院令第711号）第二十条"
    fix = "按照主动公开目录及时、全面发布政策文件、规划计划、财政预决算、执法监管和统计数据等信息，避免栏目长期不发布。"
    message = (
        "近{days}天发布信息{count}条，低于同类（{kind}）单位中位数{median}条的{pct}%"
        "（{threshold}条）；同类单位{peers}个"
    )

    def assessed_sql(self) -> str:
        # Resolve only where the unit was judged in this run (peers, history, a full crawl).
        return "f.unit_id IN (SELECT unit_id FROM zc_low_volume_judged)"

    def evaluate(self, ctx: Context) -> list[Hit]:
        names = {u.code: u.name for u in ctx.units}
        judged: list[str] = []
        hits: list[Hit] = []
        enabled = [u.code for u in ctx.units if ctx.config.enabled(self.code, u.code)]
        # {window: {kind: {unit_id: count}}} of the units whose lists cover the window
        kinds_by_window: dict[int, dict[str, dict[str, int]]] = {}
        medians: dict[tuple[int, str], float] = {}
        for unit_id in enabled:
            o = ctx.options(self.code, unit_id)
            window = int(o["window_days"])
            units = recent_items(ctx, window)
            if window not in kinds_by_window:
                by_kind: dict[str, dict[str, int]] = {}
                for u in units.values():
                    if history_covers(u, ctx.today, window):
                        by_kind.setdefault(u.kind, {})[u.unit_id] = len(u.items)
                kinds_by_window[window] = by_kind
            me = units.get(unit_id)
            # Peers are counted over the judged unit's window, so per-unit windows stay fair.
            peers = kinds_by_window[window].get(me.kind, {}) if me else {}
            if unit_id not in peers or len(peers) < o["min_peer_units"]:
                continue
            judged.append(unit_id)
            if (window, me.kind) not in medians:
                medians[(window, me.kind)] = median(peers.values())
            mid = medians[(window, me.kind)]
            threshold = o["below_median_ratio"] * mid
            count = peers[unit_id]
            if count >= threshold:
                continue
            listed = sorted(peers.items(), key=lambda kv: (-kv[1], kv[0]))
            shown = [f"{names.get(u, u)} {n}" for u, n in listed]
            if len(shown) > 2 * MAX_PEERS_SHOWN:  # a province's departments: both ends
                shown = [*shown[:MAX_PEERS_SHOWN], "…", *shown[-MAX_PEERS_SHOWN:]]
            hits.append(
                Hit(
                    unit_id=unit_id,
                    site_id=me.disclosure_site_id,
                    summary=self.render(
                        days=window,
                        count=count,
                        kind=KIND_ZH.get(me.kind, me.kind),
                        median=f"{mid:g}",
                        pct=f"{o['below_median_ratio'] * 100:g}",
                        threshold=f"{threshold:.1f}".rstrip("0").rstrip("."),
                        peers=len(peers),
                    ),
                    evidence={
                        "period_days": window,
                        "since": since(ctx, window),
                        "item_count": count,
                        "kind": KIND_ZH.get(me.kind, me.kind),
                        "kind_median": mid,
                        "below_median_ratio": o["below_median_ratio"],
                        "threshold_count": round(threshold, 2),
                        "peer_units": len(peers),
                        "peer_counts": shown,
                        "newest_items": [
                            f"{i.pub_date} {i.title}（{i.column_name}）" for i in me.items[:5]
                        ],
                    },
                )
            )
        ctx.db.execute("DROP TABLE IF EXISTS temp.zc_low_volume_judged")
        ctx.db.execute("CREATE TEMP TABLE zc_low_volume_judged (unit_id TEXT PRIMARY KEY)")
        ctx.db.conn.executemany(
            "INSERT INTO zc_low_volume_judged VALUES (?)", [(u,) for u in judged]
        )
        return hits
