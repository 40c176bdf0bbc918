"""Data model of the simulated city: units, sites, columns, items, sections and plants.

Everything here is plain data. `generate.py` fills it, the `render_*` modules turn it into bytes,
`server.py` serves the bytes. Dates are `datetime.date` values in China Standard Time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

CATEGORY_WINDOW = {"news": 14, "notice": 183, "periodic": 365}


@dataclass
class Item:
    uid: int  # global, increasing document id (TRS docid / Hanweb article id / gkmlpt post id)
    title: str
    date: date | None  # the truth: the date the detail page shows as 发布日期
    day_added: int = 1
    index_no: str | None = None
    doc_no: str | None = None
    publisher: str = ""
    url_date: date | None = None  # date written into the URL (may differ from `date`)
    meta_pubdate: str | None = None  # <meta name="PubDate"> when it disagrees with `date`
    pinned: bool = False
    pages: int = 1  # >1: multi-page detail (TRS `_1.html`)
    big: bool = False  # >100 KB detail page with browser noise
    path: str = ""  # path on `host`
    host: str = ""  # ip of the site that serves the detail page
    url: str = ""  # absolute URL
    hex: str = ""  # 32-hex id (Ucap)
    column: Column | None = field(default=None, repr=False)
    plant: str = ""  # "policy" / "interpretation": planted for interpretation-missing
    answers: Item | None = field(default=None, repr=False)  # the policy a planted 解读 answers
    # pages its detail page shows in a 相关解读 / 原文链接 block (interpretation-missing links)
    related: list[Item] = field(default_factory=list, repr=False)


@dataclass
class Column:
    key: str  # slug, unique per site
    name: str
    category: str  # news | notice | periodic | static
    section: str  # fdzdgknr | guide | system | annual | portal | mirror
    catalog_path: str
    items: list[Item] = field(default_factory=list)
    placeholder: bool = False  # an empty list that shows 暂无信息
    date_form: str = "iso"  # iso | bracket | chinese | md | none | slash
    layout: str = "ul"  # family-specific list markup
    per_page: int = 15
    list_path: str = ""  # path of the first list page
    api_url: str | None = None  # JSON-API platforms: page 1 of the column's data
    url: str = ""  # absolute URL of the first list page, exactly as the catalog links it
    colid: int = 0  # numeric id (Hanweb columnid, gkmlpt classify id)
    column_type: str = ""  # <meta name="ColumnType">
    mirror_of: Column | None = field(default=None, repr=False)
    site: Site | None = field(default=None, repr=False)
    opts: dict = field(default_factory=dict)

    def visible(self, day: int) -> list[Item]:
        """Items shown on `day`, in list order: pinned first, then day-2 additions, then newest."""
        shown = [i for i in self.items if i.day_added <= day]
        return sorted(
            shown,
            key=lambda i: (not i.pinned, -i.day_added, -(i.date or date.min).toordinal(), -i.uid),
        )


@dataclass
class Section:
    section: str  # guide | system | fdzdgknr | annual | request
    present: bool
    url: str | None
    note: str = ""


@dataclass
class Site:
    unit: Unit
    role: str  # portal | disclosure | extra
    ip: str
    cms: str  # trs | hanweb | gkmlpt | ucap
    root: str = "/"  # path of the site root on its host
    charset: str = "utf-8"  # utf-8 | gbk
    meta_charset: str | None = "utf-8"  # what the <meta> says (None: no charset meta at all)
    block: str | None = None
    url: str = ""
    columns: list[Column] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    opts: dict = field(default_factory=dict)
    catalog: list = field(default_factory=list)  # tree: (name, Column | list, url-or-None)
    home_items: dict = field(default_factory=dict)  # list title -> Column (portal home lists)


@dataclass
class Unit:
    index: int
    code: str
    name: str
    short: str
    kind: str
    site_code: str
    parent: str | None = None
    portal: Site | None = None
    disclosure: Site | None = None
    extra: Site | None = None
    hosts: list[str] = field(default_factory=list)
    column_overrides: list[dict] = field(default_factory=list)
    org_code: str = ""  # for 索引号
    opts: dict = field(default_factory=dict)  # the generator's spec for this unit

    @property
    def sites(self) -> list[Site]:
        return [s for s in (self.portal, self.disclosure, self.extra) if s is not None]


@dataclass
class Plant:
    rule: str
    unit: str
    site: str
    column_url: str | None
    expect: str  # fire | quiet
    day: int
    why: str


@dataclass
class City:
    seed: int
    day: int
    now: datetime  # this day's clock
    port: int
    units: list[Unit]
    plants: list[Plant] = field(default_factory=list)

    @property
    def sites(self) -> list[Site]:
        return [s for u in self.units for s in u.sites]

    @property
    def columns(self) -> list[Column]:
        return [c for s in self.sites for c in s.columns]

    def truth(self) -> dict:
        from zwgk.farm.truth import truth

        return truth(self)

    def units_yaml(self) -> str:
        from zwgk.farm.truth import units_yaml

        return units_yaml(self)

    def render(self) -> dict:
        """ip -> Host (pre-rendered pages + dynamic handlers) for this day."""
        from zwgk.farm.render import render_city

        return render_city(self)
