"""site-unreachable 站点无法访问.

What:
    Judged from the availability probe history (`probes`, written by `zwgk probe`), not from one
    crawl: over the rolling `window_days` before now, failed probes >= `failure_ratio` of the
    attempts → veto; >= `shutdown_ratio` → the summary and evidence add 疑似关停/改版. Fewer than
    probes_per_day × window_days × min_coverage_ratio attempts (default 20 × 7 × 0.5 = 70) →
    no verdict: no finding, and the unit's probe state is "insufficient" for reports.
Why:
    国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决指标“站点无法访问”：
    监测1周，每天间隔一定时间访问网站首页不少于20次，超过（含）5%的访问无法访问即否决。
How to fix:
    Keep the home page reachable (hosting, DNS, certificates, WAF rules that do not block
    ordinary visitors); announce and file any closure or migration with the supervising office.
Options:
    window_days: length of the rolling probe window in days (7).
    failure_ratio: share of failed probes that vetoes the site (0.05).
    shutdown_ratio: share of failed probes noted as 疑似关停/改版 (0.8).
    probes_per_day: probes the schedule is expected to make each day (20).
    min_coverage_ratio: share of the expected probes needed to judge at all (0.5).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from checks.context import Context
from checks.registry import Hit, Rule, register
from zwgk import clock

STATES = ("ok", "unreachable", "shutdown", "insufficient")


@dataclass(slots=True)
class ProbeState:
    """A unit's availability over the probe window; `state` is one of STATES."""

    unit_id: str
    site_id: int | None
    url: str | None
    attempts: int
    failures: int
    min_probes: int
    window_start: str
    window_end: str
    state: str

    @property
    def failure_ratio(self) -> float:
        return self.failures / self.attempts if self.attempts else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "failure_ratio": round(self.failure_ratio, 4)}


def probe_states(ctx: Context) -> dict[str, ProbeState]:
    """Every enabled unit's probe state at ctx.now (reports show "insufficient" ones)."""
    opts = ctx.opts_table(SiteUnreachable.code)
    end = ctx.now
    out: dict[str, ProbeState] = {}
    units = ctx.query(
        f"""SELECT o.*, (SELECT s.site_id FROM sites s WHERE s.unit_id = o.unit_id
                         ORDER BY s.role = 'portal' DESC LIMIT 1) AS site_id
            FROM {opts} o"""
    )
    for u in units:
        start = end - timedelta(days=u["window_days"])
        s_iso, e_iso = clock.iso(start), clock.iso(end)
        attempts, failures, url = ctx.db.execute(
            """SELECT count(*), coalesce(sum(ok = 0), 0), max(url) FROM probes
               WHERE unit_id = ? AND probed_at > ? AND probed_at <= ?""",
            [u["unit_id"], s_iso, e_iso],
        ).fetchone()
        need = int(u["probes_per_day"] * u["window_days"] * u["min_coverage_ratio"])
        ratio = failures / attempts if attempts else 0.0
        if attempts < max(need, 1):
            state = "insufficient"
        elif ratio >= u["shutdown_ratio"]:
            state = "shutdown"
        elif ratio >= u["failure_ratio"]:
            state = "unreachable"
        else:
            state = "ok"
        out[u["unit_id"]] = ProbeState(
            u["unit_id"], u["site_id"], url, attempts, failures, need, s_iso, e_iso, state
        )
    return out


@register
class SiteUnreachable(Rule):
    code = "site-unreachable"
    title_zh = "站点无法访问"
    title_en = "Site unreachable"
    severity = "veto"
    scope = "site"
    regulation = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
    fix = "排查服务器、域名解析、证书和防护策略，保证网站首页稳定可访问；确需关停或迁移的应按程序报备。"
    message = "近{days}天首页可用性监测{attempts}次，{failures}次无法访问（{pct}%，达到{limit}%即单项否决）{note}"

    def assessed_sql(self) -> str:
        return "f.unit_id IN (SELECT unit_id FROM zc_probe_judged)"

    def evaluate(self, ctx: Context) -> list[Hit]:
        states = probe_states(ctx)
        ctx.db.execute("DROP TABLE IF EXISTS temp.zc_probe_judged")
        ctx.db.execute("CREATE TEMP TABLE zc_probe_judged (unit_id TEXT PRIMARY KEY)")
        ctx.db.conn.executemany(
            "INSERT INTO zc_probe_judged VALUES (?)",
            [(s.unit_id,) for s in states.values() if s.state != "insufficient"],
        )
        hits = []
        for s in states.values():
            if s.state not in ("unreachable", "shutdown"):
                continue
            o = ctx.options(self.code, s.unit_id)
            note = "，疑似关停/改版" if s.state == "shutdown" else ""
            hits.append(
                Hit(
                    unit_id=s.unit_id,
                    site_id=s.site_id,
                    summary=self.render(
                        days=o["window_days"],
                        attempts=s.attempts,
                        failures=s.failures,
                        pct=f"{s.failure_ratio * 100:.1f}",
                        limit=f"{o['failure_ratio'] * 100:g}",
                        note=note,
                    ),
                    evidence={**s.as_dict(), "suspected_shutdown": s.state == "shutdown"},
                )
            )
        return hits
