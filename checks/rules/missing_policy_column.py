"""missing-policy-column 缺少重点领域栏目.

What:
    A unit whose catalog has no column for a subject its kind must publish under its own column:
    by default the 重点领域 of city and county governments, 重点工程建设 (重大建设项目), 土地征收,
    棚户区改造 (保障性住房), 扶贫 (乡村振兴), 公共服务 (社会公益事业) and 公共监管 (双随机一公开).
    `required_columns` lists the subjects per unit kind; `synonyms` the other names each goes by.
    A subject is present when any column of the unit seen in this run, on its portal or its
    platform, carries the subject or one of its synonyms in its name or in its catalog path (a
    heading 乡村振兴 over its own columns counts), compared after removing spaces, punctuation
    and 政府. A column that is present but empty or stale is blank-column's or stale-column's
    finding, not this one. Judged only for units whose every site was assessed in this run
    (a catalog nobody could read lacks nothing). One finding per unit, listing every missing
    subject with the names looked for.
Why:
    《政府信息公开条例》（国务院令第711号）第二十条 lists what governments must actively disclose,
    among it 重大建设项目的批准和实施情况、扶贫、社会保障和公共服务的政策措施及其实施情况、征收或者
    征用土地及其补偿情况、行政处罚和监管; the city's assessment and the yearly 政务公开工作要点 ask
    for these 重点领域 (重点工程建设、土地征收、棚户区改造、扶贫、公共服务、公共监管) to have their own
    columns.
How to fix:
    Add a column for each missing subject to the 法定主动公开内容 catalog (or a 重点领域信息公开
    heading) and publish its information there; if the unit has none to publish, say so in the
    column and configure the unit's `required_columns`.
Options:
    required_columns: unit kind -> subjects required of that kind ({city: [...six 重点领域], county: [...], department: [], township: [], institution: []}); a configured mapping (global or a unit's) replaces the lists of the kinds it names, the others keep theirs.
    synonyms: subject -> other names that count as that subject (重点工程建设: 重大建设项目, 重大项目 ...); a configured mapping replaces the default one.
"""

from __future__ import annotations

from checks.context import Context
from checks.registry import Hit, Rule, register
from checks.text import KIND_ZH, normalise_name


def present(subject: str, names: list[str], columns: list[tuple[str, list[str]]]) -> str | None:
    """The first column (name) carrying the subject or a synonym in its name or catalog path;
    `columns` = (name, its normalised name and catalog path segments)."""
    wanted = [n for n in (normalise_name(x) for x in [subject, *names]) if n]
    for name, hay in columns:
        if any(w in h for h in hay for w in wanted):
            return name
    return None


def _hay(name: str, path: str) -> list[str]:
    return [h for h in (normalise_name(x) for x in [name, *path.split("/")]) if h]


@register
class MissingPolicyColumn(Rule):
    code = "missing-policy-column"
    title_zh = "缺少重点领域栏目"
    title_en = "Required policy column missing"
    severity = "deduct"
    scope = "unit"
    regulation = "《政府信息公开条例》（国务院令第711号）第二十条"
    fix = "在法定主动公开内容（或重点领域信息公开）目录下为缺少的领域设置专栏并发布相关信息；确无此类信息的，在栏目中说明。"
    message = "{kind}单位目录中未找到以下领域的栏目：{missing}（共{count}个）"

    def assessed_sql(self) -> str:
        return "f.unit_id IN (SELECT unit_id FROM zc_policy_judged)"

    def evaluate(self, ctx: Context) -> list[Hit]:
        judged: list[str] = []
        hits: list[Hit] = []
        defaults = self.defaults()
        units = {
            r["unit_id"]: r
            for r in ctx.query(
                """SELECT u.unit_id, u.kind,
                          (SELECT min(s.site_id) FROM zc_site_runs s WHERE s.unit_id = u.unit_id
                           AND s.role = 'disclosure') AS site_id
                   FROM zc_run_units u WHERE u.assessed = 1"""
            )
        }
        # Columns seen in this run (walked now, or reused from an unchanged catalog) on the
        # unit's assessed sites; the home page's pseudo-column is no catalog entry.
        columns: dict[str, list[tuple[str, list[str]]]] = {}
        for r in ctx.query(
            """SELECT c.unit_id, c.name, c.catalog_path FROM columns c
               JOIN zc_assessed_sites s ON s.site_id = c.site_id
               WHERE c.is_home = 0 AND (c.last_run_id = :run OR EXISTS (
                     SELECT 1 FROM column_runs r WHERE r.column_id = c.column_id
                     AND r.run_id = :run))
               ORDER BY c.column_id""",
            {"run": ctx.run_id},
        ):
            if r["unit_id"] not in units:
                continue  # not judged: no need to read its names
            name = r["name"] or ""
            columns.setdefault(r["unit_id"], []).append((name, _hay(name, r["catalog_path"] or "")))
        for u in ctx.units:
            row = units.get(u.code)
            if row is None or not ctx.config.enabled(self.code, u.code):
                continue
            o = ctx.options(self.code, u.code)
            # a configured mapping that leaves a kind out keeps the shipped list for that kind
            required = o["required_columns"].get(
                row["kind"], defaults["required_columns"].get(row["kind"], [])
            )
            judged.append(u.code)
            mine = columns.get(u.code, [])
            missing, found = [], {}
            for subject in required:
                hit = present(subject, o["synonyms"].get(subject, []), mine)
                if hit is None:
                    missing.append(subject)
                else:
                    found[subject] = hit
            if not missing:
                continue
            looked = [f"{s}（{'、'.join([s, *o['synonyms'].get(s, [])])}）" for s in missing]
            hits.append(
                Hit(
                    unit_id=u.code,
                    site_id=row["site_id"],
                    summary=self.render(
                        kind=KIND_ZH.get(row["kind"], row["kind"]),
                        missing="、".join(missing),
                        count=len(missing),
                    ),
                    evidence={
                        "missing_columns": missing,
                        "names_looked_for": looked,
                        "found_columns": [f"{s}：{n}" for s, n in found.items()],
                        "columns_checked": len(mine),
                    },
                )
            )
        ctx.db.execute("DROP TABLE IF EXISTS temp.zc_policy_judged")
        ctx.db.execute("CREATE TEMP TABLE zc_policy_judged (unit_id TEXT PRIMARY KEY)")
        ctx.db.conn.executemany("INSERT INTO zc_policy_judged VALUES (?)", [(x,) for x in judged])
        return hits
