"""Benchmark 2: a second-day incremental run. Day 2 adds items at the top of every 4th column;
the spider reuses the catalog, asks for column first pages conditionally (304 when unchanged),
stops paging at the first page of known items and fetches detail pages of new items only.

    python -m bench.incremental [--sites 20 --columns 20 --max-items 30]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.bigfarm import BigFarm
from bench.common import DAY1, DAY2, table, write_config, zwgk_run


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=20)
    ap.add_argument("--columns", type=int, default=20)
    ap.add_argument("--max-items", type=int, default=30)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zwgk-bench-incr-"))
    config = write_config(
        work / "config.yaml", delay_seconds=0.001, concurrency=64, concurrency_per_host=8,
        autothrottle="false", timeout_seconds=30, retries=1,
    )  # fmt: skip
    with BigFarm(work / "farm", sites=a.sites, columns=a.columns, max_items=a.max_items) as farm:
        d1 = zwgk_run(farm.units_path, work / "zwgk.db", config, DAY1)
        farm.set_day(2)
        d2 = zwgk_run(farm.units_path, work / "zwgk.db", config, DAY2)
        t1, t2 = farm.truth(1), farm.truth(2)
    new_items = t2["items"] - t1["items"]
    budget = 1.2 * (t2["columns"] + new_items)
    table(
        f"Second-day incremental run: {a.sites} sites x {a.columns} columns, detail pages of new"
        " items",
        ["run", "pages fetched", "crawl s", "pages vs day 1", "time vs day 1"],
        [
            ["day 1", d1["pages"], f"{d1['crawl_s']:.1f}", "1.00", "1.00"],
            ["day 2", d2["pages"], f"{d2['crawl_s']:.1f}", f"{d2['pages'] / d1['pages']:.3f}",
             f"{d2['crawl_s'] / d1['crawl_s']:.2f}"],
        ],
    )  # fmt: skip
    verdict = "within" if d2["pages"] <= budget else "OVER"
    print(
        f"day 2: {d2['pages']} pages fetched vs 1.2 x ({t2['columns']} columns + {new_items} new"
        f" items) = {budget:.0f}: {verdict} budget"
    )
    print(f"work dir: {work}")


if __name__ == "__main__":
    main()
