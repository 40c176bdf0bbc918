"""What a rule sees: the store, the run, the clock, per-unit options, and what was assessed.

`Context.prepare()` builds small temp tables every rule joins (all per run, set-based):

- `zc_run(run_id, today)`: one row, for SQL that needs the run.
- `zc_run_units(unit_id, kind, assessed)`: units in this run; `assessed` = every site assessed.
- `zc_site_runs(site_id, unit_id, role, url, status, block, error)`: the run's sites with the
  spider's outcome (status NULL when the site was never attempted).
- `zc_assessed_sites(site_id, unit_id, role, url)`: sites crawled ok or partial in this run.
- `zc_assessed_columns(column_id, site_id, unit_id, category, status)`: columns crawled ok,
  placeholder or capped (newest pages read, older left by the page limit) in this run on an assessed site; `category` resolved as units-file override, else
  the pipeline's category, else name keywords (rules.md "Column categories").
- `zc_mirrors(portal_column_id, platform_column_id, unit_id, how)`: built on first use by
  `checks.mirrors.mirror_map` (portal catalog copies matched to platform columns by URL, path
  or name); cached in `Context.cache` for the run.

Nothing outside these tables counts as assessed, so no rule fires on pages it never saw.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlite_utils

from checks.config import ENABLED, RuleConfig
from zwgk import clock
from zwgk.units import Unit

# Fallback classification by name when neither the units file nor the pipeline gave a category.
CATEGORY_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("static", ("指南", "制度", "机构概况", "年报", "年度报告", "依申请", "专题", "简介")),
    ("news", ("动态", "要闻", "新闻", "工作进展")),
    ("notice", ("通知", "公告", "公示", "政策文件", "规范性文件")),
    (
        "periodic",
        (
            "人事",
            "规划",
            "计划",
            "统计",
            "财政",
            "预决算",
            "预算",
            "决算",
            "重大项目",
            "领导",
            "机构职能",
        ),
    ),
]

TEMP_TABLES = (
    "zc_run",
    "zc_run_units",
    "zc_site_runs",
    "zc_assessed_sites",
    "zc_assessed_columns",
    "zc_overrides",
    "zc_mirrors",
)


def _category_case(expr: str) -> str:
    parts = []
    for cat, words in CATEGORY_KEYWORDS:
        cond = " OR ".join(f"instr({expr}, '{w}') > 0" for w in words)
        parts.append(f"WHEN {cond} THEN '{cat}'")
    return "CASE " + " ".join(parts) + " END"


@dataclass
class Context:
    db: sqlite_utils.Database
    run_id: int
    now: datetime
    config: RuleConfig
    units: list[Unit] = field(default_factory=list)
    prev_run_id: int | None = None
    _opts: dict[str, str] = field(default_factory=dict)
    # Per-run results shared by several rules (the mirror map); emptied with the temp tables.
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.astimezone(clock.CST).date()

    @property
    def today_iso(self) -> str:
        return self.today.isoformat()

    @property
    def unit_codes(self) -> list[str]:
        return [u.code for u in self.units]

    def options(self, code: str, unit_id: str | None = None) -> dict[str, Any]:
        return self.config.options(code, unit_id)

    def query(self, sql: str, params: Any = None) -> list[dict[str, Any]]:
        cur = self.db.execute(sql, params or {})
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    # -- per-run temp tables -------------------------------------------------------------
    def load_units(self) -> None:
        """Without a units list, judge every unit in the store."""
        if not self.units:
            self.units = [
                Unit(code=r[0], name=r[1], kind=r[2], disclosure=r[3], portal=r[4])
                for r in self.db.execute(
                    "SELECT unit_id, name, kind, disclosure, portal FROM units"
                ).fetchall()
            ]

    def prepare(self) -> None:
        ex = self.db.execute
        self.load_units()
        for t in TEMP_TABLES:
            ex(f"DROP TABLE IF EXISTS temp.{t}")
        ex("CREATE TEMP TABLE zc_run (run_id INTEGER, today TEXT)")
        ex("INSERT INTO zc_run VALUES (?, ?)", [self.run_id, self.today_iso])
        ex("CREATE TEMP TABLE zc_run_units (unit_id TEXT PRIMARY KEY, kind TEXT, assessed INT)")
        self.db.conn.executemany(
            "INSERT OR REPLACE INTO zc_run_units VALUES (?, ?, 0)",
            [(u.code, u.kind) for u in self.units],
        )
        ex(
            "CREATE TEMP TABLE zc_overrides (unit_id TEXT, url TEXT, category TEXT,"
            " PRIMARY KEY (unit_id, url))"
        )
        self.db.conn.executemany(
            "INSERT OR REPLACE INTO zc_overrides VALUES (?, ?, ?)",
            [(u.code, c.url, c.category) for u in self.units for c in u.columns if c.category],
        )
        ex(
            """CREATE TEMP TABLE zc_site_runs AS
               SELECT s.site_id, s.unit_id, s.role, s.url, sr.status, sr.block, sr.error
               FROM sites s JOIN zc_run_units u ON u.unit_id = s.unit_id
               LEFT JOIN site_runs sr ON sr.site_id = s.site_id AND sr.run_id = :run""",
            {"run": self.run_id},
        )
        ex(
            """CREATE TEMP TABLE zc_assessed_sites AS
               SELECT site_id, unit_id, role, url FROM zc_site_runs
               WHERE status IN ('ok', 'partial')"""
        )
        ex("CREATE UNIQUE INDEX temp.zc_assessed_sites_pk ON zc_assessed_sites (site_id)")
        ex(
            """UPDATE zc_run_units SET assessed = 1 WHERE NOT EXISTS (
                 SELECT 1 FROM zc_site_runs s WHERE s.unit_id = zc_run_units.unit_id
                 AND s.status IS NOT 'ok' AND s.status IS NOT 'partial')"""
        )
        ex(
            f"""CREATE TEMP TABLE zc_assessed_columns AS
               SELECT c.column_id, c.site_id, c.unit_id, c.is_home, cr.status,
                      coalesce(o.category, c.category, {_category_case("c.name")}) AS category
               FROM column_runs cr
               JOIN columns c ON c.column_id = cr.column_id
               JOIN zc_assessed_sites s ON s.site_id = c.site_id
               LEFT JOIN zc_overrides o ON o.unit_id = c.unit_id AND o.url = c.url
               WHERE cr.run_id = :run AND cr.status IN ('ok', 'placeholder', 'capped')""",
            {"run": self.run_id},
        )
        ex("CREATE UNIQUE INDEX temp.zc_assessed_columns_pk ON zc_assessed_columns (column_id)")
        ex("CREATE INDEX temp.zc_assessed_columns_site ON zc_assessed_columns (site_id, is_home)")
        self._opts.clear()
        self.cache.clear()

    def opts_table(self, code: str) -> str:
        """A temp table `(unit_id, kind, <option>...)` of the units where `code` is enabled.

        Rules join it on unit_id so per-unit thresholds stay set-based; list options are JSON.
        """
        if code in self._opts:
            return self._opts[code]
        name = "zc_opts_" + re.sub(r"\W", "_", code)
        keys = [k for k in self.config.options(code) if k != ENABLED]
        self.db.execute(f"DROP TABLE IF EXISTS temp.{name}")
        cols = ", ".join(f'"{k}"' for k in keys)
        self.db.execute(
            f"CREATE TEMP TABLE {name} (unit_id TEXT PRIMARY KEY, kind TEXT"
            + (f", {cols})" if keys else ")")
        )
        rows = []
        for u in self.units:
            opts = self.config.options(code, u.code)
            if not opts.get(ENABLED, True):
                continue
            vals = [
                json.dumps(opts[k]) if isinstance(opts[k], list | dict) else opts[k] for k in keys
            ]
            rows.append((u.code, u.kind, *vals))
        marks = ", ".join("?" for _ in range(len(keys) + 2))
        self.db.conn.executemany(f"INSERT OR REPLACE INTO {name} VALUES ({marks})", rows)
        self._opts[code] = name
        return name

    def cleanup(self) -> None:
        names = self.db.execute(
            "SELECT name FROM sqlite_temp_master WHERE type = 'table' AND name LIKE 'zc\\_%' ESCAPE '\\'"
        ).fetchall()
        for (t,) in names:
            self.db.execute(f"DROP TABLE IF EXISTS temp.{t}")
        self._opts.clear()
        self.cache.clear()
