"""The run's mirror map: which portal catalog column copies which platform column.

A unit's portal carries its own 政府信息公开 catalog: columns on the portal site with origin
`catalog` (list pages of its own, "portal copies") or `link` (entries that link straight into
the platform's column). Menu columns (origin `menu`) and the home page pseudo-column are not
catalog. Each unit's portal catalog columns seen in this run are matched with its platform's
catalog columns seen in this run, in three passes over what is still unmatched:

1. `url`: the same first list page (a linked entry is the platform's column itself);
2. `path`: the same normalised catalog path (generic roots such as 信息公开目录 dropped);
3. `name`: the same normalised name (政府, whitespace, punctuation removed), only when exactly
   one unmatched platform column has it;
4. renamed (catalog-mismatch's options): what is still unmatched pairs up when the two share
   at least `rename_item_overlap_ratio` of the smaller side's items (the same column under
   another name: `how` = `items`, a mirror), or sit under the same parent with names at least
   `rename_similarity` alike (`how` = `similar name`, reported but not a mirror: their items
   differ, so their defects may too).

Matched pairs and item-sharing renames are the run's mirrors. `mirror_map(ctx)` computes them once per run (cached on the
Context) and writes temp table `zc_mirrors(portal_column_id, platform_column_id, unit_id, how)`.
catalog-mismatch compares the sides through this map (its unmatched columns are its portal-only,
platform-only and renamed candidates); the column rules where a copy would repeat its platform
column's finding (stale-column, blank-column, burst-publishing, backdated-publishing) fold the
copy into the platform column with `fold_copies`, so one defect is one finding. crawl-failed
keeps a copy's own failure (it is another page nobody could read), and the site-scoped rules
(homepage-stale, sections, annual report) have no column to duplicate.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from checks.registry import Hit
from checks.text import normalise_name, normalise_title

if TYPE_CHECKING:
    from checks.context import Context

GENERIC_ROOTS = {
    normalise_name(n)
    for n in (
        "首页",
        "政务公开",
        "信息公开",
        "政府信息公开",
        "信息公开目录",
        "政府信息公开目录",
        "政务公开目录",
        "信息公开专栏",
    )
}
MATCH_KEYS = ("url", "path", "nn")
HOW = {"url": "url", "path": "path", "nn": "name"}


def catalog_path_key(catalog_path: str | None, name: str | None) -> tuple[str, ...]:
    """A column's place in its catalog, comparable across the two sites: normalised segments
    with the generic roots (首页, 信息公开目录...) dropped; the name alone when nothing is left."""
    segs = [normalise_name(s) for s in (catalog_path or "").split("/") if s.strip()]
    while segs and segs[0] in GENERIC_ROOTS:
        segs.pop(0)
    return tuple(segs) or (normalise_name(name),)


@dataclass(slots=True)
class UnitCatalog:
    """One unit's two catalogs and how they pair up. Columns are dicts (the `columns` row's
    column_id, unit_id, site_id, url, name, catalog_path, origin, plus `side`, `assessed`,
    `path` and `nn`)."""

    portal: list[dict[str, Any]] = field(default_factory=list)
    platform: list[dict[str, Any]] = field(default_factory=list)
    matched: list[tuple[dict[str, Any], dict[str, Any], str]] = field(default_factory=list)
    #: (portal, platform, how, why): `how` "items" (a mirror) or "similar name"
    renamed: list[tuple[dict[str, Any], dict[str, Any], str, str]] = field(default_factory=list)
    portal_left: list[dict[str, Any]] = field(default_factory=list)
    platform_left: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class MirrorMap:
    units: dict[str, UnitCatalog]

    def pairs(self) -> list[tuple[dict[str, Any], dict[str, Any], str]]:
        """Every mirror: matched pairs and renames that share their items."""
        return [m for u in self.units.values() for m in u.matched] + [
            (a, b, how) for u in self.units.values() for a, b, how, _ in u.renamed if how == "items"
        ]


def match(
    portal: list[dict[str, Any]], platform: list[dict[str, Any]]
) -> tuple[list[tuple[dict[str, Any], dict[str, Any], str]], list[dict], list[dict]]:
    """(matched (portal, platform, how) pairs, unmatched portal, unmatched platform).

    URL and path match the first candidate; a name matches only a unique candidate (two
    platform 通知公告 under different parents are not guessed between)."""
    matched = []
    left, right = list(portal), list(platform)
    for key in MATCH_KEYS:
        by_key: dict[Any, list[dict]] = defaultdict(list)
        for b in right:
            by_key[b[key]].append(b)
        rest = []
        for a in left:
            cands = by_key.get(a[key], [])
            if len(cands) == 1 or (cands and key != "nn"):
                b = cands.pop(0)
                matched.append((a, b, HOW[key]))
                right.remove(b)
            else:
                rest.append(a)
        left = rest
    return matched, left, right


def _item_keys(ctx: Context, ids: list[int]) -> dict[int, set[str]]:
    """Each column's dated items as normalised title + date (what two sides share)."""
    out: dict[int, set[str]] = defaultdict(set)
    marks = ",".join("?" * len(ids))
    for cid, title, pub in ctx.db.execute(
        f"SELECT column_id, title, pub_date FROM items WHERE column_id IN ({marks})"
        " AND pub_date IS NOT NULL",
        ids,
    ):
        out[cid].add(normalise_title(title) + "|" + pub)
    return out


def renames(
    ctx: Context, left: list[dict], right: list[dict], o: dict[str, Any]
) -> tuple[list[tuple[dict, dict, str, str]], list[dict], list[dict]]:
    """(renamed (portal, platform, how, why), still-unmatched portal, still-unmatched platform)
    among columns the keys did not match: shared items first, then similar names under the
    same parent; each column in at most one pair, best score first."""
    if not left or not right:
        return [], left, right
    keys = _item_keys(ctx, [c["column_id"] for c in (*left, *right)])
    scored = []
    for a in left:
        ka = keys.get(a["column_id"], set())
        for b in right:
            kb = keys.get(b["column_id"], set())
            shared, smaller = len(ka & kb), min(len(ka), len(kb))
            sim = difflib.SequenceMatcher(None, a["nn"], b["nn"]).ratio()
            if smaller and shared >= max(1, o["rename_item_overlap_ratio"] * smaller):
                scored.append((1 + shared / smaller, a, b, "items", f"两栏目有{shared}条相同信息"))
            elif a["path"][:-1] == b["path"][:-1] and sim >= o["rename_similarity"]:
                scored.append((sim, a, b, "similar name", f"名称相似度{sim:.2f}"))
    scored.sort(key=lambda s: (-s[0], s[1]["column_id"], s[2]["column_id"]))
    renamed, used_l, used_r = [], set(), set()
    for _score, a, b, how, why in scored:
        if a["column_id"] in used_l or b["column_id"] in used_r:
            continue
        used_l.add(a["column_id"])
        used_r.add(b["column_id"])
        renamed.append((a, b, how, why))
    return (
        renamed,
        [a for a in left if a["column_id"] not in used_l],
        [b for b in right if b["column_id"] not in used_r],
    )


def mirror_map(ctx: Context) -> MirrorMap:
    """The run's mirror map, computed on first use and kept for the run (zc_mirrors too)."""
    cached = ctx.cache.get("mirrors")
    if cached is not None:
        return cached
    units: dict[str, UnitCatalog] = defaultdict(UnitCatalog)
    # Sites of the run's units by role; columns seen in this run (walked now or reused from an
    # unchanged catalog), whether or not their site was assessed: matching is a fact about the
    # catalogs, assessment decides what each rule may judge.
    rows = ctx.query(
        """SELECT c.column_id, c.unit_id, c.site_id, c.url, c.name, c.catalog_path, c.origin,
                  s.role AS side,
                  c.column_id IN (SELECT column_id FROM zc_assessed_columns) AS assessed
           FROM columns c JOIN zc_site_runs s ON s.site_id = c.site_id
           WHERE c.is_home = 0 AND c.origin IN ('catalog', 'link')
             -- only units whose portal shows a catalog: most units have none to match
             AND c.unit_id IN (SELECT p.unit_id FROM zc_site_runs p JOIN columns k
                               ON k.site_id = p.site_id AND k.is_home = 0
                               AND k.origin IN ('catalog', 'link')
                               WHERE p.role = 'portal')
             AND (c.last_run_id = :run OR EXISTS (SELECT 1 FROM column_runs r
                  WHERE r.column_id = c.column_id AND r.run_id = :run))
           ORDER BY c.unit_id, c.column_id""",
        {"run": ctx.run_id},
    )
    for c in rows:
        c["side"] = "portal" if c["side"] == "portal" else "platform"
        c["path"] = catalog_path_key(c["catalog_path"], c["name"])
        c["nn"] = normalise_name(c["name"])
        getattr(units[c["unit_id"]], c["side"]).append(c)
    out = MirrorMap(units={u: cat for u, cat in units.items() if cat.portal and cat.platform})
    for unit, cat in out.units.items():
        cat.matched, left, right = match(cat.portal, cat.platform)
        cat.renamed, cat.portal_left, cat.platform_left = renames(
            ctx, left, right, ctx.options("catalog-mismatch", unit)
        )
    ex = ctx.db.execute
    ex("DROP TABLE IF EXISTS temp.zc_mirrors")
    ex(
        "CREATE TEMP TABLE zc_mirrors (portal_column_id INTEGER PRIMARY KEY,"
        " platform_column_id INTEGER NOT NULL, unit_id TEXT NOT NULL, how TEXT NOT NULL)"
    )
    ctx.db.conn.executemany(
        "INSERT INTO zc_mirrors VALUES (?, ?, ?, ?)",
        [(a["column_id"], b["column_id"], a["unit_id"], how) for a, b, how in out.pairs()],
    )
    ex("CREATE INDEX temp.zc_mirrors_platform ON zc_mirrors (platform_column_id)")
    ctx.cache["mirrors"] = out
    return out


def judged_copies(ctx: Context) -> dict[int, dict[str, Any]]:
    """Portal copies whose platform column was assessed in this run, by portal column id:
    {platform_column_id, url, name, how}. Only these are folded: when the platform column was
    not assessed, the copy is the only evidence and is judged on its own."""
    mirror_map(ctx)
    return {
        r["portal_column_id"]: r
        for r in ctx.query(
            """SELECT m.portal_column_id, m.platform_column_id, m.how, c.url, c.name
               FROM zc_mirrors m JOIN columns c ON c.column_id = m.portal_column_id
               WHERE m.platform_column_id IN (SELECT column_id FROM zc_assessed_columns)"""
        )
    }


def fold_copies(ctx: Context, hits: list[Hit], keep: tuple[str, ...] = ()) -> list[Hit]:
    """One finding per defect: drop every column hit on a portal copy whose platform column
    was assessed in this run. When the platform column fires too, its hit names the copy in
    `evidence["portal_copies"]` ({portal_name, portal_url, match} plus the copy's own
    evidence keys in `keep`) and its summary says the portal shows the same. When only the copy
    fires, the copy lags behind the platform: catalog-mismatch reports that (its items), not
    this rule. Hits without a column, and copies of an unassessed platform column, pass."""
    copies = judged_copies(ctx)
    if not copies:
        return hits
    by_column = {h.column_id: h for h in hits if h.column_id is not None}
    out = []
    for h in hits:
        copy = copies.get(h.column_id) if h.column_id is not None else None
        if copy is None:
            out.append(h)
            continue
        target = by_column.get(copy["platform_column_id"])
        if target is None:
            continue
        named = {"portal_name": copy["name"], "portal_url": copy["url"], "match": copy["how"]}
        named.update({k: h.evidence[k] for k in keep if k in h.evidence})
        target.evidence.setdefault("portal_copies", []).append(named)
    for h in out:
        named = h.evidence.get("portal_copies")
        if named:
            names = "、".join(f"“{c['portal_name']}”" for c in named)
            h.summary += f"（门户网站信息公开目录中的同步栏目{names}同样存在此问题）"
    return out
