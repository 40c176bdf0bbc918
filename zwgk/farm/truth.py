"""The machine-readable ground truth (`City.truth()`) and the units file (`City.units_yaml()`)."""

from __future__ import annotations

import yaml

from zwgk.farm.model import City, Column
from zwgk.farm.plants import assessable, category, judged_as


def _column(c: Column, day: int) -> dict:
    site = c.site
    return {
        "unit": site.unit.code,
        "site": site.url,
        "column_url": c.url,
        "api_url": c.api_url,
        "column_name": c.name,
        # Paths are relative to the catalog's root; a portal copy's root is its 信息公开目录 page.
        "catalog_path": c.catalog_path.split("/", 1)[1]
        if c.section == "mirror"
        else c.catalog_path,
        "category": category(c),
        "section": c.section,
        "assessable": assessable(site),
        "placeholder": c.placeholder,
        # A portal copy the checks judge as this platform column (one finding per defect).
        "judged_as": judged.url if (judged := judged_as(c)) else None,
        "items": [
            {
                "url": i.url,
                "title": i.title,
                "date": i.date.isoformat() if i.date else None,
                "index_no": i.index_no,
                "doc_no": i.doc_no,
                "day_added": i.day_added,
            }
            for i in c.visible(day)
        ],
    }


def truth(city: City) -> dict:
    day = city.day
    units, sites, home, columns, sections = [], [], [], [], []
    for u in city.units:
        units.append(
            {
                "code": u.code,
                "name": u.name,
                "kind": u.kind,
                "portal": u.portal.url if u.portal else None,
                "disclosure": u.disclosure.url,
                "hosts": list(u.hosts),
            }
        )
        for s in u.sites:
            sites.append(
                {
                    "unit": u.code,
                    "role": s.role,
                    "url": s.url,
                    "cms": s.cms,
                    "charset": s.charset,
                    "block": s.block,
                }
            )
            if s.role == "portal" and s.home_items:
                shown = [i for c in s.home_items.values() for i in c.visible(day)[:6]]
                home.append(
                    {
                        "unit": u.code,
                        "site": s.url,
                        "items": [
                            {
                                "url": i.url,
                                "title": i.title,
                                "date": i.date.isoformat() if i.date else None,
                            }
                            for i in shown
                        ],
                    }
                )
            columns.extend(_column(c, day) for c in s.columns)
            sections.extend(
                {
                    "unit": u.code,
                    "site": s.url,
                    "section": x.section,
                    "present": x.present,
                    "url": x.url,
                    "note": x.note,
                }
                for x in s.sections
            )
    return {
        "seed": city.seed,
        "day": day,
        "now": city.now.isoformat(),
        "port": city.port,
        "units": units,
        "sites": sites,
        "home": home,
        "columns": columns,
        "sections": sections,
        "plants": [p.__dict__ for p in city.plants],
    }


def units_yaml(city: City) -> str:
    out = []
    for u in city.units:
        d: dict = {"code": u.code, "name": u.name, "kind": u.kind}
        if u.parent:
            d["parent"] = u.parent
        d["site_code"] = u.site_code
        if u.portal:
            d["portal"] = u.portal.url
        d["disclosure"] = u.disclosure.url
        if u.hosts:
            d["hosts"] = list(u.hosts)
        if u.column_overrides:
            d["columns"] = [dict(c) for c in u.column_overrides]
        out.append(d)
    head = f"# zwgk demo farm: seed {city.seed}, clock {city.now.isoformat()}, port {city.port}\n"
    return head + yaml.safe_dump({"units": out}, allow_unicode=True, sort_keys=False)
