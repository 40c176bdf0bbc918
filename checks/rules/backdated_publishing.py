"""backdated-publishing 倒签补发（伪造发布日期嫌疑）.

What:
    Items first seen in a crawl of a column whose publication date is earlier than the previous
    successful crawl (ok / placeholder) of that column by more than `tolerance_days`: they were
    not on the list when the monitor last looked, yet claim to be older. >= `min_items` such
    items in one crawl → finding. Items dated before the oldest item already known in the column
    are ignored (deeper pages coming into view, not backdating). Crawls within the last
    `lookback_days` are reported, so the finding stays visible for that long; only columns
    crawled in this run are judged. Evidence: each crawl, the previous crawl and the items.
    A portal catalog copy of an assessed platform column (checks.mirrors) is judged as that
    column: backdating on both is one finding on the platform column naming the copy
    (`portal_copies`); a copy that alone lists old items late is syncing late (the platform
    published them on time), which catalog-mismatch reports, not backdating.
Why:
    Only the monitor's own crawl history can see this. Backdated items make a column look
    up to date for an inspection (国办秘函〔2019〕19号 栏目更新要求；《政府信息公开条例》第二十六条:
    属于主动公开范围的政府信息，应当自该政府信息形成或者变更之日起20个工作日内及时公开).
How to fix:
    Publish each item with its real publication date; never date a late item as if published
    earlier. Correct the dates of the listed items.
Options:
    min_items: backdated items in one crawl that make a finding (3).
    tolerance_days: days before the previous crawl an item may be dated without suspicion (1).
    lookback_days: crawls in this many days before now are reported (30).
"""

from __future__ import annotations

import json

from checks.context import Context
from checks.mirrors import fold_copies
from checks.registry import Hit, Rule, register
from checks.text import column_label, zh_date
from zwgk import clock

MAX_ITEMS = 20


@register
class BackdatedPublishing(Rule):
    code = "backdated-publishing"
    title_zh = "倒签补发（伪造发布日期嫌疑）"
    title_en = "Backdated publishing"
    severity = "warn"
    scope = "column"
    regulation = "《政府信息公开条例》（国务院令第711号）第二十六条；国办秘函〔2019〕19号"
    fix = "如实标注信息发布日期，不得将新发布的信息倒签为早于实际发布的日期。"
    message = (
        "{label}在{crawl}采集时新出现{count}条发布日期早于上次采集（{prev}）的信息，疑似倒签补发"
    )

    def evaluate(self, ctx: Context) -> list[Hit]:
        opts = ctx.opts_table(self.code)
        rows = ctx.query(
            f"""
            WITH crawls AS (
              SELECT cr.column_id, cr.run_id, cr.crawled_at, a.unit_id, a.site_id,
                     o.min_items, o.tolerance_days,
                     (SELECT max(p.run_id) FROM column_runs p WHERE p.column_id = cr.column_id
                        AND p.run_id < cr.run_id
                        AND p.status IN ('ok', 'placeholder', 'capped')) AS prev_run
              FROM zc_assessed_columns a JOIN {opts} o ON o.unit_id = a.unit_id
              JOIN column_runs cr ON cr.column_id = a.column_id
              WHERE a.is_home = 0 AND cr.status IN ('ok', 'placeholder', 'capped')
                AND julianday(cr.crawled_at) >= julianday(:now) - o.lookback_days
            ),
            pairs AS (
              SELECT c.*, p.crawled_at AS prev_at,
                     (SELECT min(k.pub_date) FROM items k WHERE k.column_id = c.column_id
                        AND k.first_run_id < c.run_id AND k.pub_date IS NOT NULL) AS oldest_known
              FROM crawls c JOIN column_runs p
                ON p.column_id = c.column_id AND p.run_id = c.prev_run
            )
            SELECT pr.column_id, pr.unit_id, pr.site_id, pr.run_id,
                   (SELECT name FROM columns k WHERE k.column_id = pr.column_id) AS name, pr.crawled_at, pr.prev_at,
                   pr.min_items, count(*) AS n,
                   json_group_array(json_object('title', i.title, 'url', i.url,
                                                'pub_date', i.pub_date)) AS items
            FROM pairs pr JOIN items i ON i.column_id = pr.column_id AND i.first_run_id = pr.run_id
            WHERE i.pub_date IS NOT NULL AND pr.oldest_known IS NOT NULL
              AND i.pub_date >= pr.oldest_known
              AND julianday(date(substr(pr.prev_at, 1, 10))) - julianday(i.pub_date)
                  > pr.tolerance_days
            GROUP BY pr.column_id, pr.run_id
            HAVING count(*) >= pr.min_items
            ORDER BY pr.column_id, pr.run_id DESC
            """,
            {"now": clock.iso(ctx.now)},
        )
        per_column: dict[int, list[dict]] = {}
        for r in rows:
            per_column.setdefault(r["column_id"], []).append(r)
        hits = []
        for column_id, crawls in per_column.items():
            last = crawls[0]
            hits.append(
                Hit(
                    unit_id=last["unit_id"],
                    site_id=last["site_id"],
                    column_id=column_id,
                    summary=self.render(
                        label=column_label(last["name"]),
                        crawl=zh_date(last["crawled_at"]),
                        count=last["n"],
                        prev=zh_date(last["prev_at"]),
                    ),
                    evidence={
                        "crawls": [
                            {
                                "crawled_at": c["crawled_at"],
                                "previous_crawl_at": c["prev_at"],
                                "backdated_items": c["n"],
                                "items": sorted(
                                    json.loads(c["items"]), key=lambda i: (i["pub_date"], i["url"])
                                )[:MAX_ITEMS],
                            }
                            for c in crawls
                        ],
                        "backdated_items": sum(c["n"] for c in crawls),
                    },
                )
            )
        # A portal copy repeats its platform column's pattern: one finding, on the platform
        # column (a copy that alone shows it is catching up late: catalog-mismatch's).
        return fold_copies(ctx, hits, keep=("backdated_items",))
