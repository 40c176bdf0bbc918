"""catalog-mismatch 门户目录与平台目录不一致.

What:
    For a unit whose portal and disclosure platform were both crawled in this run, the portal's
    政府信息公开 catalog columns (non-home columns of the portal site) are matched with the
    platform's columns by normalised catalog path, then by normalised name (政府, whitespace and
    punctuation removed; generic roots such as 信息公开目录 ignored). Findings (site = portal):
    - portal-only / platform-only: a column on one side only;
    - renamed: an unmatched pair under the same parent with similar names (difflib ratio >=
      `rename_similarity`), or sharing >= `rename_item_overlap_ratio` of the smaller side's items
      (then the same column under another name: its freshness findings are folded into the
      platform column like any mirror, see checks/mirrors.py);
    - items: a matched pair, both crawled ok, listing different items (an item matches by URL,
      索引号, 文号, or normalised title + date) dated from the later of the two sides' oldest
      dated items up to the run's date: a portal copy that stopped syncing is caught on its
      newest items, a portal list showing fewer pages is not held to older platform items,
      and items dated after the run's date are ignored. A portal copy with no item at all
      (暂无信息) lacks every platform item; a side with dateless items only is not compared.
    Evidence: both URLs and names, the differing items (at most `max_listed_items` per side).
    A portal that shows no catalog columns is not compared.
Why:
    国办公开办函〔2019〕61号: the portal's 政府信息公开 column and the platform must present the
    same catalog and content (one source, 统一发布), so the public sees one consistent record.
How to fix:
    Publish disclosure content once on the platform and have the portal catalog mirror it:
    same column names, same tree, same items.
Options:
    rename_similarity: name similarity (0-1) that marks two unmatched columns as renamed (0.6).
    rename_item_overlap_ratio: share of the smaller column's items found in the other that
        marks a rename (0.5).
    max_listed_items: differing items listed per side in the evidence (10).
"""

from __future__ import annotations

from collections import defaultdict

from checks.context import Context
from checks.mirrors import mirror_map
from checks.registry import Hit, Rule, register
from checks.text import normalise_title

ITEMS_SQL = """
CREATE TEMP TABLE zc_cm_items AS
SELECT i.column_id, i.url, i.title, i.pub_date, nullif(trim(i.index_no), '') AS index_no,
       nullif(trim(i.doc_no), '') AS doc_no, zc_norm(i.title) || '|' || i.pub_date AS tk
FROM items i WHERE i.column_id IN (SELECT column_id FROM zc_cm_cols) AND i.pub_date IS NOT NULL
"""


@register
class CatalogMismatch(Rule):
    code = "catalog-mismatch"
    title_zh = "门户目录与平台目录不一致"
    title_en = "Portal catalog differs from the platform"
    severity = "deduct"
    scope = "column"
    regulation = "国办公开办函〔2019〕61号《关于政府信息公开平台建设的通知》"
    fix = "门户网站政府信息公开栏目应与政府信息公开平台目录、内容保持一致，做到同源发布。"
    message = "{detail}"

    def assessed_sql(self) -> str:
        return "f.unit_id IN (SELECT unit_id FROM zc_cm_units)"

    def evaluate(self, ctx: Context) -> list[Hit]:
        db = ctx.db
        opts = ctx.opts_table(self.code)
        db.conn.create_function("zc_norm", 1, normalise_title, deterministic=True)
        for t in ("zc_cm_units", "zc_cm_cols", "zc_cm_items", "zc_cm_pairs"):
            db.execute(f"DROP TABLE IF EXISTS temp.{t}")
        db.execute(
            f"""CREATE TEMP TABLE zc_cm_units AS
                SELECT p.unit_id, p.site_id AS portal_id, d.site_id AS platform_id
                FROM zc_assessed_sites p JOIN zc_assessed_sites d
                  ON d.unit_id = p.unit_id AND d.role = 'disclosure'
                JOIN {opts} o ON o.unit_id = p.unit_id
                WHERE p.role = 'portal'"""
        )
        # The sides and their pairing come from the run's mirror map (shared with the rules
        # that fold portal copies into their platform column); only units judged here count.
        judged = {r[0] for r in db.execute("SELECT unit_id FROM zc_cm_units").fetchall()}
        catalogs = {u: c for u, c in mirror_map(ctx).units.items() if u in judged}
        if not catalogs:
            return []
        db.execute(
            "CREATE TEMP TABLE zc_cm_cols (column_id INTEGER PRIMARY KEY, unit_id TEXT, side TEXT)"
        )
        db.conn.executemany(
            "INSERT INTO zc_cm_cols VALUES (?, ?, ?)",
            [
                (c["column_id"], c["unit_id"], c["side"])
                for cat in catalogs.values()
                for c in (*cat.portal, *cat.platform)
            ],
        )
        db.execute(ITEMS_SQL)
        for idx in ("tk", "url", "index_no", "doc_no"):
            db.execute(f"CREATE INDEX temp.zc_cm_items_{idx} ON zc_cm_items (column_id, {idx})")
        portal_site = {
            r[0]: r[1] for r in db.execute("SELECT unit_id, portal_id FROM zc_cm_units").fetchall()
        }
        hits: list[Hit] = []
        pairs: list[tuple[dict, dict]] = []
        for unit, cat in sorted(catalogs.items()):
            pairs += [(a, b) for a, b, _how in cat.matched]
            left, right = cat.portal_left, cat.platform_left
            site = portal_site[unit]
            for a, b, _how, why in cat.renamed:
                hits.append(
                    self._hit(
                        unit,
                        site,
                        a,
                        b,
                        "renamed",
                        f"门户网站目录“{a['name']}”与平台目录“{b['name']}”名称不一致（{why}）",
                        {"match": why},
                    )
                )
            for a in left:
                hits.append(
                    self._hit(
                        unit,
                        site,
                        a,
                        None,
                        "portal-only",
                        f"门户网站信息公开目录有“{a['name']}”栏目，政府信息公开平台目录中没有",
                        {},
                    )
                )
            for b in right:
                hits.append(
                    self._hit(
                        unit,
                        site,
                        None,
                        b,
                        "platform-only",
                        f"政府信息公开平台有“{b['name']}”栏目，门户网站信息公开目录中没有",
                        {},
                    )
                )
        # Linked entries show the platform's own page: nothing to compare item by item.
        pairs = [(a, b) for a, b in pairs if a["origin"] != "link"]
        hits += self._item_diffs(ctx, pairs, portal_site)
        return hits

    def _item_diffs(self, ctx: Context, pairs: list[tuple[dict, dict]], portal_site: dict):
        pairs = [(a, b) for a, b in pairs if a["assessed"] and b["assessed"]]
        if not pairs:
            return []
        db = ctx.db
        db.execute(
            "CREATE TEMP TABLE zc_cm_pairs (pa INTEGER PRIMARY KEY, pb INTEGER, lo TEXT, hi TEXT)"
        )
        db.conn.executemany(
            "INSERT INTO zc_cm_pairs (pa, pb, hi) VALUES (?, ?, ?)",
            [(a["column_id"], b["column_id"], ctx.today_iso) for a, b in pairs],
        )
        # The window runs from the later of the two sides' oldest dated items (a portal list
        # may show fewer pages: older platform items are not held against it) up to the run's
        # date, so a copy that stopped syncing is caught on its newest items. A portal copy
        # with no item at all is compared from the platform's oldest item (it lacks them all);
        # otherwise a side without dated items gives no window ('9999' compares nothing).
        db.execute(
            """UPDATE zc_cm_pairs SET lo = CASE
                 WHEN NOT EXISTS (SELECT 1 FROM items WHERE column_id = pa)
                   THEN (SELECT min(pub_date) FROM zc_cm_items WHERE column_id = pb)
                 ELSE max(
                   coalesce((SELECT min(pub_date) FROM zc_cm_items WHERE column_id = pa), '9999'),
                   coalesce((SELECT min(pub_date) FROM zc_cm_items WHERE column_id = pb), '9999'))
                 END"""
        )
        diff_sql = """
            SELECT p.pa, p.pb, '{side}' AS side, y.title, y.pub_date, y.url, y.index_no, y.doc_no
            FROM zc_cm_pairs p JOIN zc_cm_items y ON y.column_id = p.{this}
            WHERE y.pub_date >= p.lo AND y.pub_date <= p.hi
              AND NOT EXISTS (SELECT 1 FROM zc_cm_items x WHERE x.column_id = p.{other}
                              AND x.tk = y.tk)
              AND NOT EXISTS (SELECT 1 FROM zc_cm_items x WHERE x.column_id = p.{other}
                              AND x.url = y.url)
              AND (y.index_no IS NULL OR NOT EXISTS (SELECT 1 FROM zc_cm_items x
                   WHERE x.column_id = p.{other} AND x.index_no = y.index_no))
              AND (y.doc_no IS NULL OR NOT EXISTS (SELECT 1 FROM zc_cm_items x
                   WHERE x.column_id = p.{other} AND x.doc_no = y.doc_no))
        """
        rows = ctx.query(
            diff_sql.format(side="portal_only", this="pa", other="pb")
            + " UNION ALL "
            + diff_sql.format(side="platform_only", this="pb", other="pa")
            + " ORDER BY 1, 3, 5 DESC, 6"
        )
        by_pair: dict[int, dict[str, list[dict]]] = defaultdict(
            lambda: {"portal_only": [], "platform_only": []}
        )
        for r in rows:
            by_pair[r["pa"]][r["side"]].append(
                {k: r[k] for k in ("title", "pub_date", "url", "index_no", "doc_no") if r[k]}
            )
        hits = []
        for a, b in pairs:
            d = by_pair.get(a["column_id"])
            if not d:
                continue
            cap = ctx.options(self.code, a["unit_id"])["max_listed_items"]
            n_p, n_f = len(d["portal_only"]), len(d["platform_only"])
            detail = (
                f"“{a['name']}”栏目门户网站与政府信息公开平台发布的信息不一致："
                f"平台有{n_f}条门户未显示，门户有{n_p}条平台没有"
            )
            hits.append(
                self._hit(
                    a["unit_id"],
                    portal_site[a["unit_id"]],
                    a,
                    b,
                    "items",
                    detail,
                    {
                        "missing_on_portal": d["platform_only"][:cap],
                        "missing_on_platform": d["portal_only"][:cap],
                        "missing_on_portal_count": n_f,
                        "missing_on_platform_count": n_p,
                    },
                )
            )
        return hits

    def _hit(
        self,
        unit: str,
        site: int,
        a: dict | None,
        b: dict | None,
        kind: str,
        detail: str,
        extra: dict,
    ) -> Hit:
        col = a or b
        evidence = {
            "kind": kind,
            "portal_url": a["url"] if a else None,
            "portal_name": a["name"] if a else None,
            "portal_path": a["catalog_path"] if a else None,
            "platform_url": b["url"] if b else None,
            "platform_name": b["name"] if b else None,
            "platform_path": b["catalog_path"] if b else None,
            **extra,
        }
        return Hit(
            unit_id=unit,
            site_id=site,
            column_id=col["column_id"],
            subkey=kind,
            summary=self.render(detail=detail),
            evidence=evidence,
        )
