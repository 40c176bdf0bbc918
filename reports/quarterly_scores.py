"""The 通报's 二、测评得分与排名: the score table by kind, the most improved and the worst units,
and the score distribution (an inline SVG in HTML, a table in the .docx: python-docx draws no
charts, and a table needs no image library).

The lines are (style, payload) like the rest of the 通报: "p"/"h2" carry text, "table" a list of
rows (the first one the header), "chart" the distribution. Names and veto titles are plain text
here; the HTML template escapes them.
"""

from __future__ import annotations

from typing import Any

from reports.meta import KIND_ZH
from reports.scores import PeriodScores, most_improved, worst

BANDS = (0.6, 0.7, 0.8, 0.9, 1.0)  # of full marks: 不及格 below 60 %, then tens, 满分 and above
CHART_W, CHART_H, PAD_L, PAD_B, PAD_T = 640, 220, 40, 40, 24


def _num(x: float) -> str:
    return f"{x:g}"


def _change(u: dict[str, Any]) -> str:
    if u["change"] is None:
        return "—"
    return f"{u['change']:+g}" if u["change"] else "0"


def _conclusion(u: dict[str, Any]) -> str:
    if u["verdict"] != "不合格":
        return u["verdict"]
    titles = sorted({v["title"] for v in u["vetoes"]})
    return f"不合格（单项否决：{'、'.join(titles)}）" if titles else "不合格"


def distribution(units: list[dict[str, Any]], full_marks: float) -> dict[str, Any]:
    """Scored units per band of the score, with bar geometry for the SVG."""
    edges = [round(full_marks * b, 2) for b in BANDS]
    labels = [f"{_num(edges[0])}分以下"]
    labels += [f"{_num(lo)}–{_num(hi)}分" for lo, hi in zip(edges, edges[1:], strict=False)]
    labels.append(f"{_num(edges[-1])}分及以上")
    counts = [0] * len(labels)
    for u in units:
        if u["score"] is not None:
            counts[sum(u["score"] >= e for e in edges)] += 1
    top = max(counts) or 1
    inner_w, inner_h = CHART_W - PAD_L - 16, CHART_H - PAD_T - PAD_B
    step = inner_w / len(labels)
    bars = []
    for n, (label, count) in enumerate(zip(labels, counts, strict=True)):
        h = round(inner_h * count / top, 1)
        x = round(PAD_L + n * step + step * 0.15, 1)
        bars.append(
            {
                "label": label,
                "count": count,
                "x": x,
                "w": round(step * 0.7, 1),
                "y": round(PAD_T + inner_h - h, 1),
                "h": h,
                "mid": round(x + step * 0.35, 1),
            }
        )
    return {
        "bars": bars,
        "width": CHART_W,
        "height": CHART_H,
        "base": PAD_T + inner_h,
        "left": PAD_L,
        "right": CHART_W - 16,
    }


def score_section(result: PeriodScores) -> dict[str, Any]:
    units = result.units
    scored = [u for u in units if u["score"] is not None]
    full = scored[0]["full_marks"] if scored else 0.0
    kinds: dict[str, list[dict[str, Any]]] = {}
    for u in scored:  # units come sorted by kind, then rank
        kinds.setdefault(u["kind"], []).append(u)
    average = round(sum(u["score"] for u in scored) / len(scored), 2) if scored else None
    # named for criticism only when 不合格 or below the average: the bottom of a good field is
    # not a failure
    low = [u for u in worst(result) if u["verdict"] == "不合格" or u["score"] < (average or 0)]
    return {
        "version": result.table_version,
        "full_marks": full,
        "scored": scored,
        "average": average,
        "vetoed": [u for u in scored if u["verdict"] == "不合格"],
        "unassessed": [u for u in units if u["score"] is None],
        "kinds": [(KIND_ZH.get(k, k), group) for k, group in kinds.items()],
        "has_previous": result.previous is not None,
        "previous": result.period.previous().label,
        "improved": most_improved(result),
        "worst": low,
        "chart": distribution(scored, full),
    }


def score_lines(s: dict[str, Any]) -> list[tuple[str, Any]]:
    lines: list[tuple[str, Any]] = [("h1", "二、测评得分与排名")]
    scored = s["scored"]
    if not scored:
        return lines + [("p", "本季度没有可评估的单位，未作测评。")]
    top = max(u["score"] for u in scored)
    low = min(u["score"] for u in scored)
    vetoed = f"{len(s['vetoed'])}个单位因单项否决为不合格。" if s["vetoed"] else "无单项否决。"
    lines.append(
        (
            "p",
            f"按测评评分表（{s['version']}）对{len(scored)}个单位进行测评，满分"
            f"{_num(s['full_marks'])}分，另设加分项。平均得分{_num(s['average'])}分，最高"
            f"{_num(top)}分，最低{_num(low)}分；{vetoed}",
        )
    )
    if s["unassessed"]:
        names = "、".join(u["unit_name"] for u in s["unassessed"])
        lines.append(("p", f"未评估单位（本季度未能采集）：{names}。"))
    lines.append(("h2", "（一）各类单位得分排名"))
    for kind_zh, group in s["kinds"]:
        lines.append(("p", f"{kind_zh}（{len(group)}个）："))
        rows = [["排名", "单位", "得分", "较上季度", "结论"]]
        rows += [
            [str(u["rank"]), u["unit_name"], _num(u["score"]), _change(u), _conclusion(u)]
            for u in group
        ]
        lines.append(("table", rows))
    lines.append(("h2", "（二）进步明显的单位"))
    if not s["has_previous"]:
        lines.append(("p", f"{s['previous']}无测评数据，本季度不作比较。"))
    elif not s["improved"]:
        lines.append(("p", "本季度没有得分较上季度提高的单位。"))
    else:
        lines.append(
            (
                "p",
                "、".join(
                    f"{u['unit_name']}（{_num(u['previous_score'])}分→{_num(u['score'])}分，"
                    f"提高{_num(u['change'])}分）"
                    for u in s["improved"]
                )
                + "，予以通报表扬。",
            )
        )
    lines.append(("h2", "（三）得分靠后的单位"))
    if not s["worst"]:
        lines.append(("p", "各单位得分均不低于平均分，且无单项否决。"))
    else:
        lines.append(
            (
                "p",
                "、".join(
                    f"{u['unit_name']}（{KIND_ZH.get(u['kind'], u['kind'])}，{_num(u['score'])}分"
                    + ("，" + _conclusion(u) if u["verdict"] == "不合格" else "")
                    + "）"
                    for u in s["worst"]
                )
                + "，予以通报批评，限期整改。",
            )
        )
    lines.append(("h2", "（四）得分分布"))
    lines.append(("chart", s["chart"]))
    return lines
