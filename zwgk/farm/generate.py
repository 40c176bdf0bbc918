"""Build the simulated city: units, sites, columns, items, sections (pure, deterministic).

`build_city(seed, now, day)`: `now` is the clock of day 1; day 2's clock is `now + 1 day`. Every
date is placed relative to day 1's date, so a different `now` shifts every date with it. Items that
appear on day 2 carry `day_added=2` and go to the top of their lists.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from zwgk.farm import plants, text
from zwgk.farm.model import City, Column, Item, Site, Unit

GAPS = {"news": (2, 6), "notice": (8, 30), "periodic": (25, 80), "static": (150, 400)}

# The standard 法定主动公开内容 tree: (section name, slug, leaves) or a leaf; a leaf is
# (name, slug, category, n_items, newest_age_days).
STD_TREE = [
    (
        "机构信息",
        "jgxx",
        [("机构职能", "jgzn", "periodic", 3, 120), ("领导信息", "ldxx", "periodic", 4, 90)],
    ),
    (
        "政策文件",
        "zcwj",
        [("规范性文件", "gfxwj", "notice", 10, 20), ("政策文件", "zcwjl", "notice", 16, 12)],
    ),
    (
        "工作动态",
        "gzdt",
        [("工作动态", "gzdt", "news", 40, 1), ("通知公告", "tzgg", "notice", 14, 6)],
    ),
    ("规划计划", "ghjh", "periodic", 5, 150),
    (
        "财政资金",
        "czzj",
        [("预决算", "yjs", "periodic", 7, 200), ("财政信息", "czxx", "periodic", 5, 110)],
    ),
    ("人事信息", "rsxx", "periodic", 6, 60),
    ("统计信息", "tjxx", "periodic", 5, 100),
    ("重大项目", "zdxm", "periodic", 4, 130),
]
# 重点领域 columns (missing-policy-column): names the crawler's category keywords classify as
# the category given, carrying a required subject or one of its synonyms. Their items are all
# older than 90 days, so the units' recent volume (low-volume, news-padding) is unchanged.
KEY_AREAS = {
    "重点领域": [
        ("土地征收", "tdzs", "periodic", 3, 120),
        ("棚户区改造规划", "phqgz", "periodic", 3, 150),
        ("乡村振兴专项资金", "xczx", "periodic", 3, 110),
        ("社会公益事业统计", "shgy", "periodic", 3, 130),
        ("双随机抽查公示", "ssj", "notice", 3, 100),
    ]
}
COLUMN_TYPE = {"news": "工作动态", "notice": "通知公告", "periodic": "", "static": "信息公开指南"}

# Units. `p` = portal spec ("down" = nothing listens), `d` = disclosure platform spec,
# `cols` = per-column overrides on the platform by leaf name.
UNITS: list[dict] = [
    dict(
        code="city",
        name="示例市人民政府",
        short="示例市",
        kind="city",
        site_code="3408000001",
        org="11340800MB0000001X",
        fmt="usc18",
        prefix="示政",
        p=dict(
            cms="trs",
            ext="html",
            pager="shared",
            layouts=["ul"],
            forms=["iso"],
            news=dict(n=110, per_page=20),
            day2_news=[-1],
        ),
        d=dict(cms="gkmlpt", sid="3408000001", per_page=10),
        mirror=True,
        # broken-link controls: a link that redirects to a served page, one that answers 503
        # once and 200 on the retry, an off-site link answering 200; plants: two dead off-site
        # links (a 404, a closed port) on the platform's root page (the farm's grant is on)
        links=dict(home_controls=True, offsite_control=True, root_offsite_dead=True),
        extra_leaves={
            "工作动态": [
                ("社保参保情况统计", "sbcbqk", "periodic", 8, 29),
                ("新闻发布会", "xwfbh", "news", 4, 95),
            ]
        },
        cols={
            "社保参保情况统计": dict(gaps=(28, 31), control="stale", why="monthly 29 d < 31"),
            "新闻发布会": dict(gaps=(80, 95), why="quarterly 95 d > 92"),
            "规范性文件": dict(
                policies=[
                    dict(
                        title="示例市人民政府关于进一步优化营商环境的实施意见",
                        doc="示政发〔{y}〕90号",
                        age=25,
                    )
                ]
            ),
            "通知公告": dict(age=186, why="notice 186 d > 183"),
            "政策文件": dict(age=180, control="stale", why="notice 180 d < 183"),
            "工作动态": dict(n=75, day2=[-1, -1, -1], why="3 genuinely new day-2 items"),
        },
    ),
    dict(
        code="yingjiang",
        name="迎江区人民政府",
        short="迎江区",
        kind="county",
        site_code="3408020001",
        parent="city",
        org="003185542",
        fmt="org9",
        prefix="迎政",
        p=dict(
            cms="trs",
            ext="shtml",
            pager="countPage",
            layouts=["ul"],
            forms=["bracket", "iso"],
            day2_news=[-1],
        ),
        d=dict(
            cms="trs",
            ext="html",
            pager="inline",
            layouts=["ul", "anchor", "ul"],
            forms=["iso", "bracket", "none", "iso"],
            etag=True,
        ),
        mirror="menu",
        # broken-link: dead on-host links on the portal's home page and a platform list page
        links=dict(
            home_dead=["/zwgk/2019/jgsz_old.html", "/zt/expired/index.html"],
            column_dead=("通知公告", ["/attach/2020/notfound.pdf"]),
            # the city's off-site control linked here too: asked once a day for both units
            offsite_control=True,
        ),
        extra_leaves={
            "工作动态": [
                ("乡镇动态", "xzdt", "news", 12, 13),
                ("部门动态", "bmdt", "news", 14, 20),
                # stale-column's configured windows: monthly data, quarterly press conferences
                ("社保参保情况统计", "sbcbqk", "periodic", 8, 33),
                ("新闻发布会", "xwfbh", "news", 4, 80),
            ]
        },
        cols={
            "社保参保情况统计": dict(
                gaps=(28, 31), why="monthly 33 d > 31 (its periodic window would allow 365)"
            ),
            "新闻发布会": dict(
                gaps=(80, 95),
                control="stale",
                why="quarterly 80 d < 92 (its news window would say 14)",
            ),
            "工作动态": dict(
                n=85,
                age=15,
                url_shift_newest=1,
                multipage=True,
                why="news 15 d > 14 (the newest URL says 14 d: displayed date is the truth)",
            ),
            "乡镇动态": dict(control="stale", why="news 13 d < 14"),
            "部门动态": dict(day2=[-1], fixed=True, why="news 20 d stale on day 1, fixed on day 2"),
            "重大项目": dict(
                n=0,
                placeholder=True,
                day2=[-1],
                fixed=True,
                why="blank (暂无信息) on day 1, gets its first item on day 2",
            ),
            "领导信息": dict(n=1, age=100, control="blank", why="one item: not blank"),
            "政策文件": dict(
                head=[8, 7, 6],
                silence=70,
                n=5,
                burst=True,
                why="3 items within 3 days after 70 d of silence",
            ),
            "规范性文件": dict(
                head=[8, 7],
                silence=70,
                n=5,
                control="burst",
                why="only 2 items after 70 d of silence",
            ),
            "规划计划": dict(
                day2=[20, 41], control="backdated", why="2 day-2 items dated before day 1: under 3"
            ),
            "通知公告": dict(pin=True),
            "机构职能": dict(dateless=1),
        },
    ),
    dict(
        code="yixiu",
        name="宜秀区人民政府",
        short="宜秀区",
        kind="county",
        site_code="3408110001",
        parent="city",
        org="003185631",
        fmt="org9",
        prefix="宜政",
        one_host=True,
        p=dict(
            cms="hanweb",
            style="li_span",
            day2_news=[-1],
            news=dict(gaps=(20, 25)),
            notice=dict(gaps=(25, 35)),
        ),
        d=dict(
            cms="hanweb",
            dataproxy="/module/web/jpage/dataproxy.jsp",
            style="li_span",
            names=dict(guide="信息公开指南", system="信息公开制度", annual="年度报告"),
            request="external",
        ),
        extra_leaves={
            "工作动态": [("乡镇动态", "xzdt", "news", 12, 40), ("部门动态", "bmdt", "news", 12, 25)]
        },
        cols={
            "工作动态": dict(n=100, age=30, gaps=(25, 30)),
            "通知公告": dict(age=200),
            "政策文件": dict(age=250),
            "乡镇动态": dict(gaps=(30, 40)),
            "部门动态": dict(gaps=(70, 80)),
        },
        volume_plant=("quiet", "publishes rarely, at the county threshold on day 1: not below it"),
        site_plants=[("stale-column", "fire", "5 news+notice columns stale: site veto")],
        section_control="all five sections present under variant names (信息公开指南, 年度报告)",
    ),
    dict(
        code="daguan",
        name="大观区人民政府",
        short="大观区",
        kind="county",
        site_code="3408030001",
        parent="city",
        org="014742224A",
        fmt="org10",
        prefix="观政",
        p=dict(
            cms="trs", ext="htm", pager="container", page_name="list", layouts=["ul"], forms=["iso"]
        ),
        d=dict(
            cms="ucap",
            ucap_site="dgqzf",
            charset="gbk",
            meta_charset="gb2312",
            forms=["chinese", "iso", "chinese"],
            meta="dup",
        ),
        extra=True,
        mirror=True,
        mirror_defects=True,
        # every 重点领域 but 公共监管 (双随机): one subject missing
        extra_leaves={"重点领域": KEY_AREAS["重点领域"][:4]},
        policy_plant=("fire", "only 公共监管 missing"),
        padding_plant=("fire", "news just over 70% of recent items"),
        cols={
            "规划计划": dict(
                age=370,
                restamp=True,
                why="periodic 370 d > 365 (meta PubDate restamped recently: visible date is the truth)",
            ),
            "人事信息": dict(control="stale", age=360, why="periodic 360 d < 365"),
            "通知公告": dict(rename="公示公告"),
            "工作动态": dict(n=45),
        },
    ),
    dict(
        code="huaining",
        name="怀宁县人民政府",
        short="怀宁县",
        kind="county",
        site_code="3408220001",
        parent="city",
        org="003190425",
        fmt="org9",
        prefix="怀政",
        p=dict(
            cms="trs",
            ext="html",
            pager="shared",
            layouts=["table"],
            forms=["iso"],
            charset="gbk",
            meta_charset=None,
        ),
        d=dict(
            cms="hanweb",
            dataproxy="/module/jslib/jquery/jpage/dataproxy.jsp",
            style="li_b",
            styles=["li_b", "tr"],
        ),
        extra_leaves={
            "工作动态": [
                ("乡镇动态", "xzdt", "news", 10, 16),
                ("部门动态", "bmdt", "news", 10, 18),
            ],
            **KEY_AREAS,
        },
        policy_plant=("quiet", "every 重点领域 column present, most under another name"),
        cols={
            "工作动态": dict(age=20),
            "通知公告": dict(age=190),
            "政策文件": dict(
                n=40,
                day2=[20, 35, 50],
                backdated=True,
                why="3 day-2 items dated 20-50 d before day 1",
            ),
            "统计信息": dict(n=0, placeholder=True),
            "重大项目": dict(n=0),
            "人事信息": dict(n=0),
            "规划计划": dict(n=0, placeholder=True),
        },
        site_plants=[
            ("stale-column", "quiet", "only 4 news+notice columns stale: no veto"),
            ("blank-column", "quiet", "only 4 blank columns: no veto"),
        ],
    ),
    dict(
        code="tjj",
        name="示例市统计局",
        short="市统计局",
        kind="department",
        site_code="3408000012",
        parent="city",
        org="003185001",
        fmt="org9",
        prefix="示统",
        p=dict(cms="trs", ext="html", pager="shared", layouts=["anchor"], forms=["iso", "none"]),
        d=dict(
            cms="trs",
            ext="html",
            pager="countPage",
            layouts=["xxgk"],
            forms=["iso"],
            numbered=True,
            big="tjxx",
            request="form",
            annual_last=2,
            # meta-missing: its article template prints another unit's 网站标识码
            sid_detail="3408000099",
        ),
        extra_leaves={
            "统计数据": [
                ("月度统计信息", "ydtj", "periodic", 5, 480),
                ("年度统计信息", "ndtj", "periodic", 4, 620),
                ("专项统计信息", "zxtj", "periodic", 3, 900),
            ]
        },
        cols={
            "规范性文件": dict(
                policies=[
                    dict(
                        title="示例市统计局关于印发《示例市统计数据质量管理办法》的通知",
                        doc="示统规〔{y}〕1号",
                        age=30,
                    ),
                ]
            ),
            "政策文件": dict(
                # linked one way (the policy links its 解读, no link back): fires here, while
                # the two-way pair of the 规范性文件 column is its control
                policies=[
                    dict(
                        title="示例市统计局关于印发《示例市统计调查项目管理办法》的通知",
                        doc="示统规〔{y}〕2号",
                        age=45,
                    )
                ],
                interpretations=[
                    dict(
                        title="关于《示例市统计数据质量管理办法》的解读",
                        policy_age=30,
                        late=0,
                        links="both",
                    ),
                    dict(
                        title="《示例市统计调查项目管理办法》政策解读",
                        policy_age=45,
                        late=0,
                        links="policy",
                    ),
                ],
            ),
            "工作动态": dict(n=70, per_page=20, day2=[-1]),
            **{
                n: dict(age=a)
                for n, a in [
                    ("机构职能", 400),
                    ("领导信息", 420),
                    ("规划计划", 450),
                    ("预决算", 500),
                    ("财政信息", 410),
                    ("人事信息", 430),
                    ("统计信息", 700),
                    ("重大项目", 800),
                ]
            },
        },
        site_plants=[
            ("stale-column", "fire", "11 periodic columns stale > 365 d: long-stale veto")
        ],
    ),
    dict(
        code="czj",
        name="示例市财政局",
        short="市财政局",
        kind="department",
        site_code="3408000013",
        parent="city",
        org="003185002",
        fmt="org9",
        prefix="示财",
        padding_plant=("quiet", "news just under 70% of recent items (its policy documents count)"),
        p=dict(
            cms="trs", ext="html", pager="shared", layouts=["ul"], forms=["md"], md_newyear=True
        ),
        d=dict(
            cms="trs",
            ext="html",
            pager="shared",
            layouts=["ul"],
            forms=["iso", "slash"],
            no_system=True,
        ),
        # broken-link on the platform's root page (its home page): a dead on-host link to an
        # old article (an article URL: never a catalog entry)
        links=dict(root_dead=["/xxgk/2018-03/t20180301_4521.html"]),
        cols={
            "统计信息": dict(n=0),
            "重大项目": dict(n=0, placeholder=True),
            "人事信息": dict(n=0),
            "规划计划": dict(n=0, placeholder=True),
            "领导信息": dict(n=0),
            "规范性文件": dict(
                policies=[
                    dict(
                        title="示例市财政局关于印发《示例市财政专项资金管理办法》的通知",
                        doc="示财规〔{y}〕2号",
                        age=31,
                    )
                ]
            ),
            "政策文件": dict(
                interpretations=[
                    dict(title="《示例市财政专项资金管理办法》政策解读", policy_age=31, late=1)
                ]
            ),
        },
        site_plants=[("blank-column", "fire", "5 blank columns: site veto")],
    ),
    dict(
        code="jyj",
        name="示例市教育局",
        short="市教育局",
        kind="department",
        site_code="3408000014",
        parent="city",
        org="003185003",
        fmt="org9",
        prefix="示教",
        p=dict(cms="trs", ext="html", pager="inline", layouts=["ul"], forms=["iso"]),
        d=dict(
            cms="trs",
            ext="html",
            pager="shared",
            layouts=["ul"],
            forms=["iso"],
            block="ruishu",
            small=True,
        ),
        cols={
            "工作动态": dict(
                age=40,
                control="stale",
                hidden=True,
                why="stale behind a 412 $_ts wall: not assessable",
            ),
            "重大项目": dict(
                n=0,
                control="blank",
                hidden=True,
                why="blank behind a 412 $_ts wall: not assessable",
            ),
        },
    ),
    dict(
        code="wjw",
        name="示例市卫生健康委员会",
        short="市卫健委",
        kind="department",
        site_code="3408000015",
        parent="city",
        org="003185004",
        fmt="org9",
        prefix="示卫",
        p=dict(cms="trs", ext="shtml", pager="shared", layouts=["ul"], forms=["iso"]),
        d=dict(
            cms="trs",
            ext="html",
            pager="shared",
            layouts=["ul"],
            forms=["iso"],
            block="ruishu-200",
            small=True,
        ),
    ),
    dict(
        code="jtj",
        name="示例市交通运输局",
        short="市交通运输局",
        kind="department",
        site_code="3408000016",
        parent="city",
        org="003185005",
        fmt="org9",
        prefix="示交",
        p=dict(
            cms="trs",
            ext="html",
            pager="shared",
            layouts=["ul"],
            forms=["iso"],
            news=dict(age=15),
            notice=dict(age=22),
            home_plant=("fire", "home newest 15 d > 14"),
        ),
        d=dict(
            cms="hanweb",
            dataproxy="/module/web/jpage/dataproxy.jsp",
            style="li_span",
            block="jsl",
            small=True,
        ),
    ),
    dict(
        code="jixian",
        name="集贤镇人民政府",
        short="集贤镇",
        kind="township",
        site_code="3408020101",
        parent="yingjiang",
        org="003185561",
        fmt="org9",
        prefix="集政",
        p=dict(
            cms="trs",
            ext="html",
            pager="shared",
            layouts=["ul"],
            forms=["iso"],
            news=dict(age=13),
            notice=dict(age=30),
            home_plant=("quiet", "home newest 13 d < 14"),
        ),
        d=dict(
            cms="trs",
            ext="html",
            pager="shared",
            layouts=["ul"],
            forms=["iso"],
            block="wzws",
            small=True,
        ),
    ),
    dict(
        code="wuhang",
        name="五横乡人民政府",
        short="五横乡",
        kind="township",
        site_code="3408220102",
        parent="huaining",
        org="003190441",
        fmt="org9",
        prefix="五政",
        p="down",
        d=dict(cms="trs", ext="htm", pager="shared", layouts=["ul"], forms=["bracket"]),
    ),
    dict(
        code="shibei",
        name="石碑镇人民政府",
        short="石碑镇",
        kind="township",
        site_code="3408220103",
        parent="huaining",
        org="003190452",
        fmt="org9",
        prefix="石政",
        volume_plant=("quiet", "the only assessable township"),
        one_host=True,
        mirror=True,
        p=dict(cms="trs", ext="html", pager="shared", layouts=["ul"], forms=["iso"]),
        d=dict(
            cms="trs",
            ext="html",
            pager="shared",
            layouts=["ul", "table"],
            forms=["none", "iso", "undated"],
            block="flaky-503",
        ),
        cols={
            "工作动态": dict(
                n=55, age=16, why="news 16 d > 14 on a site that answers 503 once per list page"
            )
        },
    ),
    dict(
        code="zjj",
        name="示例市住房和城乡建设局",
        short="市住建局",
        kind="department",
        site_code="3408000017",
        parent="city",
        org="003185006",
        fmt="org9",
        prefix="示建",
        padding_plant=("quiet", "news just under 70% of recent items"),
        p=dict(
            cms="trs", ext="html", pager="shared", layouts=["ul"], forms=["iso"], day2_news=[-1]
        ),
        d=dict(
            cms="hanweb",
            dataproxy="/module/jpage/dataproxy.jsp",
            style="li_i_trunc",
            request="none",
        ),
        mirror="links",
        cols={
            "工作动态": dict(
                head=[5, 4, 3],
                silence=25,
                n=30,
                burst=True,
                why="3 news items within 3 days after 25 d of silence",
            )
        },
    ),
    dict(
        code="mzj",
        name="示例市民政局",
        short="市民政局",
        kind="department",
        site_code="3408000018",
        parent="city",
        org="003185007",
        fmt="org9",
        prefix="示民",
        p=dict(
            cms="trs",
            ext="html",
            pager="shared",
            layouts=["ul"],
            forms=["iso"],
            news=dict(gaps=(30, 40)),
            notice=dict(gaps=(80, 100)),
        ),
        d=dict(
            cms="trs",
            ext="html",
            pager="shared",
            layouts=["ul", "anchor"],
            forms=["iso", "chinese"],
            uuid=True,
            request="dead",
        ),
        mirror="iframe",
        extra_leaves={"财政资金": [("征地补偿", "zdbc", "periodic", 4, 200)]},
        volume_plant=("fire", "publishes rarely: just under a quarter of the departments' median"),
        padding_plant=("quiet", "too few recent items to judge its mix"),
        cols={
            # a 7-day gap before the newest item: the two day-2 items are no burst
            "工作动态": dict(day2=[-1, -1], head=[1, 8], silence=25, gaps=(30, 40)),
            "通知公告": dict(gaps=(80, 100)),
            "政策文件": dict(gaps=(80, 100)),
            "规范性文件": dict(
                gaps=(50, 80),
                policies=[
                    dict(
                        title="示例市民政局关于印发《示例市养老服务补贴管理办法》的通知",
                        doc="示民规〔{y}〕3号",
                        age="window_open",
                    )
                ],
            ),
            "征地补偿": dict(
                override="periodic",
                control="stale",
                why="category periodic comes from the units file: 200 d < 365",
            ),
        },
    ),
]


def _rng(seed: int, *parts: object) -> random.Random:
    return random.Random(f"{seed}:" + ":".join(map(str, parts)))


class Builder:
    def __init__(self, seed: int, now: datetime, port: int):
        self.seed = seed
        self.now = now
        self.base: date = now.date()
        self.port = port

    # ---- items -------------------------------------------------------------------------
    def ages(self, rng: random.Random, cat: str, n: int, age: int, spec: dict) -> list[int]:
        out: list[int] = []
        if spec.get("head"):
            out = list(spec["head"])
            age = out[-1] + spec["silence"]
        # `gaps`: a column that publishes more rarely (low-volume plants) keeps its item count
        # (and its pages) while fewer of its items fall in the last 90 days
        lo, hi = spec.get("gaps", GAPS[cat])
        a = age
        for _ in range(n):
            out.append(a)
            a += rng.randint(lo, hi)
        return out

    def make_items(
        self, col: Column, unit: Unit, rng: random.Random, n: int, age: int, spec: dict
    ) -> None:
        used: set[str] = {i.title for i in col.items}
        ages = self.ages(rng, col.category if col.category in GAPS else "static", n, age, spec)
        if col.date_form == "md":
            ages = [a for a in ages if a <= 345]
        for k, a in enumerate(ages):
            d = self.base - timedelta(days=a)
            col.items.append(self._item(col, unit, rng, used, d, 1))
            if k == 0 and spec.get("url_shift_newest"):
                col.items[-1].url_date = d + timedelta(days=spec["url_shift_newest"])
        for a in spec.get("day2", []):
            d = self.base - timedelta(days=a)
            if a >= 0:  # back-dated: keep 2+ days away from every other item (no false bursts)
                taken = {i.date for i in col.items}
                while any(x and abs((x - d).days) < 2 for x in taken):
                    d -= timedelta(days=1)
            col.items.append(self._item(col, unit, rng, used, d, 2))
        if spec.get("pin"):  # an old notice kept at the top (置顶)
            it = self._item(col, unit, rng, used, self.base - timedelta(days=700), 1)
            it.pinned = True
            col.items.append(it)
        for _ in range(spec.get("dateless", 0)):
            it = self._item(col, unit, rng, used, None, 1)
            it.title = f"{unit.short}主要职责和内设机构"
            col.items.append(it)
        self.interpretation_plants(col, unit, spec)

    def interpretation_plants(self, col: Column, unit: Unit, spec: dict) -> None:
        """interpretation-missing plants (plants.py judges them): `policies` in this column
        and `interpretations` answering a policy of the unit dated `policy_age` days ago, on
        the window's last working day plus `late` working days. Made without the rng and
        numbered after every other item (_number_items), so the rest of the city is unchanged."""
        for p in spec.get("policies", ()):
            age = p["age"]
            if age == "window_open":  # the oldest policy whose window is still open on day 2
                age = 0
                while plants.interpretation_deadline(self.base - timedelta(days=age + 1)) > (
                    self.base
                ):
                    age += 1
            d = self.base - timedelta(days=age)
            it = Item(uid=0, title=p["title"], date=d, publisher=unit.name, column=col)
            it.url_date, it.doc_no, it.plant = d, p["doc"].format(y=d.year), "policy"
            col.items.append(it)
        for j in spec.get("interpretations", ()):
            policy_day = self.base - timedelta(days=j["policy_age"])
            d = plants.interpretation_deadline(policy_day, j["late"])
            policy = next(
                i
                for c in [*unit.disclosure.columns, col]  # this column may not be added yet
                for i in c.items
                if i.plant == "policy" and i.date == policy_day
            )
            it = Item(uid=0, title=j["title"], date=d, publisher=unit.name, column=col)
            it.url_date, it.plant, it.answers = d, "interpretation", policy
            # related links: "both" ways, "policy" (the policy links it, no link back), none
            links = j.get("links")
            if links in ("both", "policy"):
                policy.related.append(it)
            if links == "both":
                it.related.append(policy)
            col.items.append(it)

    def _item(
        self, col: Column, unit: Unit, rng: random.Random, used: set[str], d: date | None, day: int
    ) -> Item:
        t = text.title(rng, used, col.category, unit.short, d, col.section)
        it = Item(uid=0, title=t, date=d, day_added=day, publisher=unit.name, column=col)
        it.url_date = d
        if col.category == "notice" and d is not None and rng.random() < 0.7:
            it.doc_no = "pending"
        return it

    # ---- columns -----------------------------------------------------------------------
    def column(
        self,
        site: Site,
        unit: Unit,
        name: str,
        slug: str,
        cat: str,
        n: int,
        age: int,
        section: str,
        catalog_path: str,
        spec: dict,
        k: int,
    ) -> Column:
        forms = site.opts.get("forms", ["iso"])
        layouts = site.opts.get("layouts", ["ul"])
        col = Column(
            key=slug,
            name=spec.get("rename", name),
            category=cat,
            section=section,
            catalog_path=catalog_path,
            site=site,
        )
        col.date_form = spec.get("form", forms[k % len(forms)])
        col.layout = spec.get("layout", layouts[k % len(layouts)])
        if col.date_form == "undated":
            col.date_form = "none"
            col.opts["undated_urls"] = True
        col.per_page = spec.get("per_page", site.opts.get("per_page", 15))
        col.placeholder = bool(spec.get("placeholder"))
        col.column_type = f"信息公开，{COLUMN_TYPE.get(cat) or name}"
        col.opts.update(
            {
                k2: v
                for k2, v in spec.items()
                if k2
                in (
                    "control",
                    "why",
                    "burst",
                    "backdated",
                    "fixed",
                    "multipage",
                    "restamp",
                    "pin",
                    "hidden",
                    "page_name",
                    "override",
                )
            }
        )
        rng = _rng(self.seed, site.ip, site.root, slug)
        if site.opts.get("small") and not spec:
            n = max(1, n // 3)
        self.make_items(col, unit, rng, spec.get("n", n), spec.get("age", age), spec)
        site.columns.append(col)
        return col


def _site(unit: Unit, role: str, ip: str, spec: dict, root: str = "/") -> Site:
    s = Site(
        unit=unit,
        role=role,
        ip=ip,
        cms=spec.get("cms", "trs"),
        root=root,
        charset=spec.get("charset", "utf-8"),
        meta_charset=spec.get("meta_charset", "utf-8"),
        block=spec.get("block"),
    )
    s.opts = dict(spec)
    if s.cms == "trs":
        s.opts.setdefault("detail_ext", s.opts.get("ext", "html"))
    return s


def build_city(
    seed: int = 7,
    now: datetime | None = None,
    day: int = 1,
    port: int = 8080,
    vary: bool = False,
    size: int | None = None,
) -> City:
    """The city as it looks on `day` (1 or 2); `now` is day 1's clock (aware, +08:00).

    vary=True: a small city (`size` units) whose site templates, list markup, pagers, catalog
    labels, dates and charsets are drawn per seed from variety.CATALOGUE instead of UNITS."""
    if now is None:
        raise TypeError("build_city needs now= (an aware datetime)")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if day not in (1, 2):
        raise ValueError("day must be 1 or 2")
    specs = UNITS
    if vary:
        from zwgk.farm import variety

        specs = variety.draw(seed, size or variety.SIZE)
    b = Builder(seed, now, port)
    units: list[Unit] = []
    for idx, spec in enumerate(specs):
        units.append(_build_unit(b, idx, spec))
    _number_items(seed, units)
    from zwgk.farm import layout

    for u in units:
        layout.place(u, port)
    city = City(seed=seed, day=day, now=now + timedelta(days=day - 1), port=port, units=units)
    plants.plant(city, specs)
    return city


def _build_unit(b: Builder, idx: int, spec: dict) -> Unit:
    x = idx + 1
    u = Unit(
        index=idx,
        code=spec["code"],
        name=spec["name"],
        short=spec["short"],
        kind=spec["kind"],
        site_code=spec["site_code"],
        parent=spec.get("parent"),
        org_code=spec["org"],
    )
    u.opts = spec
    one_host = spec.get("one_host", False)
    pspec = spec["p"]
    dspec = dict(spec["d"])
    if pspec == "down":
        u.portal = Site(unit=u, role="portal", ip=f"127.0.{x}.1", cms="trs", block="down")
        u.portal.opts = {"ext": "html"}
    else:
        u.portal = _site(u, "portal", f"127.0.{x}.1", pspec)
    if one_host:
        dspec.setdefault("charset", u.portal.charset)
        dspec.setdefault("meta_charset", u.portal.meta_charset)
        u.disclosure = _site(u, "disclosure", f"127.0.{x}.1", dspec, root="/xxgk/")
        u.disclosure.block = u.portal.block = dspec.get("block")
    else:
        u.disclosure = _site(u, "disclosure", f"127.0.{x}.2", dspec)
    if spec.get("extra"):
        u.extra = Site(unit=u, role="extra", ip=f"127.0.{x}.3", cms="trs")
        u.extra.opts = {"ext": "html"}
    _platform_columns(b, u, spec)
    if u.portal.block != "down":
        _portal_columns(b, u, pspec)
    else:  # the down portal still "has" its own columns (never seen)
        _portal_columns(b, u, {"cms": "trs"})
    _mirror_columns(b, u)
    return u


MIRROR_FORMS = ("page", "menu", "links", "iframe")


def mirror_form(u: Unit) -> str | None:
    """How the portal shows its 政府信息公开 catalog: `page` (its own /zwgk/ page of copies),
    `menu` (an in-page menu of copies under an unlinked heading on the home page), `links`
    (a /zwgk/ page whose entries link straight into the platform) or `iframe` (a /zwgk/ page
    framing the platform). None: the portal shows no catalog."""
    m = u.opts.get("mirror")
    if not m or u.portal is None or u.portal.block == "down":
        return None
    return "page" if m is True else m


def _mirror_columns(b: Builder, u: Unit) -> None:
    """The portal's own copies of the platform's leaf columns (forms page and menu): one
    single-page list each, listing the same items (linking to the platform's detail pages).
    With `mirror_defects` (大观区 in the demo city) the copy differs in every way the
    catalog-mismatch rule knows: a renamed column, a column with different items, a copy that
    lags (the newest items missing), a platform column the portal leaves out, and a
    portal-only column."""
    portal = u.portal
    form = mirror_form(u)
    portal.opts["mirror_form"] = form
    if form not in ("page", "menu"):
        return
    defects = bool(u.opts.get("mirror_defects"))
    rng = _rng(b.seed, portal.ip, "mirror")
    leaves = [c for c in u.disclosure.columns if c.section == "fdzdgknr"]
    plan: dict[int, str] = {}
    if defects:
        # each kind on its own column, with the dated items it needs to show
        need = {"items": 4, "lag": 3, "renamed": 1, "platform-only": 1}
        usable = [c for c in leaves if not c.placeholder]
        usable.sort(key=lambda c: c.name != "公示公告")  # 公示公告 -> 通知公告 where there is one
        for kind in ("renamed", "items", "lag", "platform-only"):
            for c in usable:
                if id(c) not in plan and len([i for i in c.items if i.date]) >= need[kind]:
                    plan[id(c)] = kind
                    break
    for c in leaves:
        kind = plan.get(id(c))
        if kind == "platform-only":
            c.opts["mismatch"] = "platform-only"  # the portal's catalog leaves it out
            continue
        m = Column(
            key=c.key,
            name=c.name,
            category=c.category,
            section="mirror",
            catalog_path="信息公开目录/" + c.catalog_path,
            site=portal,
            date_form="iso",
            layout="ul",
            per_page=100000,
            mirror_of=c,
            placeholder=c.placeholder,
        )
        m.opts["group"] = c.opts.get("group")
        m.column_type = c.column_type
        m.items = list(c.items)
        dated = sorted((i for i in c.items if i.date), key=lambda i: i.date, reverse=True)
        if kind == "renamed":
            m.name = "通知公告" if c.name == "公示公告" else f"{c.name}信息发布"
            m.catalog_path = m.catalog_path.rsplit("/", 1)[0] + "/" + m.name
        elif kind == "items":
            drop = {id(dated[1]), id(dated[3])}
            m.items = [i for i in c.items if id(i) not in drop]
            used = {i.title for i in c.items}
            extra = b._item(m, u, rng, used, dated[2].date - timedelta(days=1), 1)
            extra.doc_no = None
            m.items.append(extra)
        elif kind == "lag":
            newest = {id(dated[0]), id(dated[1])}
            m.items = [i for i in c.items if id(i) not in newest]
        if kind:
            m.opts["mismatch"] = kind
        portal.columns.append(m)
    if defects:
        m = b.column(
            portal,
            u,
            "专项资金",
            "zxzj",
            "periodic",
            4,
            95,
            "mirror",
            "信息公开目录/法定主动公开内容/财政资金/专项资金",
            {"form": "iso", "layout": "ul"},
            0,
        )
        m.per_page = 100000
        m.opts["group"] = ("财政资金", "czzj")
        m.opts["mismatch"] = "portal-only"


def _platform_columns(b: Builder, u: Unit, spec: dict) -> None:
    site = u.disclosure
    d = spec["d"]
    names = d.get("names", {})
    cols = spec.get("cols", {})
    k = 0
    stat = [
        ("guide", "zfxxgkzn", names.get("guide", "政府信息公开指南"), 1),
        ("system", "zfxxgkzd", names.get("system", "政府信息公开制度"), 3),
    ]
    for section, slug, name, n in stat:
        if section == "system" and d.get("no_system"):
            continue
        c = b.column(
            site,
            u,
            name,
            slug,
            "static",
            n,
            200 if section == "guide" else 300,
            section,
            name,
            {},
            0,
        )
        c.date_form = "iso"
    tree = [list(x) if isinstance(x[2], list) else x for x in STD_TREE]
    extra = spec.get("extra_leaves", {})
    known = {n[0] for n in tree}
    tree += [(g, f"g{k}", []) for k, g in enumerate(extra) if g not in known]
    for node in tree:
        sname, sslug = node[0], node[1]
        if isinstance(node[2], list):
            for leaf in list(node[2]) + extra.get(sname, []):
                lname, lslug, cat, n, age = leaf
                b.column(
                    site,
                    u,
                    lname,
                    lslug,
                    cat,
                    n,
                    age,
                    "fdzdgknr",
                    f"法定主动公开内容/{sname}/{cols.get(lname, {}).get('rename', lname)}",
                    cols.get(lname, {}),
                    k,
                )
                site.columns[-1].opts["group"] = (sname, sslug)
                k += 1
        else:
            _, _, cat, n, age = node
            b.column(
                site,
                u,
                sname,
                sslug,
                cat,
                n,
                age,
                "fdzdgknr",
                f"法定主动公开内容/{sname}",
                cols.get(sname, {}),
                k,
            )
            site.columns[-1].opts["group"] = None
            k += 1
    aname = names.get("annual", "政府信息公开年报")
    annual = Column(
        key="zfxxgknb",
        name=aname,
        category="static",
        section="annual",
        catalog_path=aname,
        site=site,
        date_form="iso",
    )
    annual.column_type = "信息公开，政府信息公开年报"
    last = b.base.year - d.get("annual_last", 1)
    used: set[str] = set()
    rng = _rng(b.seed, site.ip, "annual")
    for y in range(b.base.year - 6, last + 1):
        pub = date(y + 1, 1, 15 + rng.randint(0, 10))
        annual.items.append(b._item(annual, u, rng, used, pub, 1))
    site.columns.append(annual)


def _portal_columns(b: Builder, u: Unit, pspec: dict) -> None:
    site = u.portal
    news = dict(pspec.get("news", {}))
    notice = dict(pspec.get("notice", {}))
    news.setdefault("n", 40)
    if pspec.get("day2_news"):
        news["day2"] = pspec["day2_news"]
    news_age = news.pop("age", b.seed % 3)
    c1 = b.column(
        site,
        u,
        "工作动态",
        "gzdt",
        "news",
        news["n"],
        news_age,
        "portal",
        "工作动态",
        {k: v for k, v in news.items() if k != "n"} | {"n": news["n"]},
        0,
    )
    c2 = b.column(
        site,
        u,
        "通知公告",
        "tzgg",
        "notice",
        notice.get("n", 14),
        notice.get("age", 5),
        "portal",
        "通知公告",
        {k: v for k, v in notice.items() if k == "gaps"},
        1,
    )
    if pspec.get("md_newyear"):
        # items on both sides of 1 January, shown as month-day only
        used = {i.title for i in c2.items}
        rng = _rng(b.seed, site.ip, "newyear")
        for d in (
            date(b.base.year, 1, 3),
            date(b.base.year - 1, 12, 29),
            date(b.base.year - 1, 12, 22),
        ):
            if 0 < (b.base - d).days <= 345 and all(abs((d - i.date).days) >= 2 for i in c2.items):
                c2.items.append(b._item(c2, u, rng, used, d, 1))
    site.home_items = {"工作动态": c1, "通知公告": c2}


def _number_items(seed: int, units: list[Unit]) -> None:
    """Docids increase over time (not strictly with date); 索引号 serials per unit and year."""
    seen: set[int] = set()
    items = []
    for u in units:
        for s in u.sites:
            for c in s.columns:
                for i in c.items:
                    if id(i) not in seen:
                        seen.add(id(i))
                        items.append((u, c, i))
    # planted items come after the rest, so adding a plant renumbers nothing else
    planted = [t for t in items if t[2].plant]
    items = [t for t in items if not t[2].plant]
    rng = _rng(seed, "uids")
    jitter = {id(i): rng.randint(-3, 3) for _, _, i in items}
    items.sort(
        key=lambda t: (
            t[2].day_added,
            (t[2].date or date(2020, 1, 1)).toordinal() + jitter[id(t[2])],
            t[0].index,
            t[1].key,
            t[2].title,
        )
    )
    uid = 398000
    serial: dict[tuple[str, int], int] = {}
    k_doc: dict[tuple[str, int], int] = {}
    for u, c, it in items:
        uid += rng.randint(1, 37)
        it.uid = uid
        y = (it.date or date(2020, 1, 1)).year
        serial[(u.code, y)] = serial.get((u.code, y), 0) + 1
        if c.section not in ("portal",):
            it.index_no = text.index_no(u.opts["fmt"], u.org_code, y, serial[(u.code, y)])
        if it.doc_no == "pending":
            k_doc[(u.code, y)] = k_doc.get((u.code, y), 0) + 1
            it.doc_no = text.doc_no(
                rng,
                u.opts["prefix"] + ("办" if rng.random() < 0.4 else "发"),
                y,
                k_doc[(u.code, y)],
            )
    for u, _c, it in planted:
        uid += 101
        it.uid = uid
        y = it.date.year
        serial[(u.code, y)] = serial.get((u.code, y), 0) + 1
        it.index_no = text.index_no(u.opts["fmt"], u.org_code, y, serial[(u.code, y)])
