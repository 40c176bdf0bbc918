"""Ground-truth plants: what each rule must report (fire) or stay silent on (quiet) on a day.

Column- and site-level freshness plants are computed exhaustively from the generated items (so a
rule that fires anywhere else is a false positive); controls near the thresholds are named by the
unit specs in generate.py. Thresholds are rules.md's defaults.
"""

from __future__ import annotations

from datetime import date, timedelta
from statistics import median
from urllib.parse import urlsplit

from zwgk.farm.model import CATEGORY_WINDOW, City, Column, Item, Plant, Site
from zwgk.farm.render_common import meta_style
from zwgk.workdays import add_working_days

BLOCKED = ("ruishu", "ruishu-200", "jsl", "wzws", "down")
BURST_SPAN_DAYS = 2  # three items dated d, d+1, d+2: "within 3 days"
INTERPRETATION_WORKING_DAYS = 3  # interpretation-missing's window_working_days default
INTERPRETATION_TOLERANCE_DAYS = 3  # and its tolerance_days
# low-volume and news-padding defaults (rules.md): the last 90 days, today included
VOLUME_WINDOW_DAYS = 90
LOW_VOLUME_RATIO = 0.25
LOW_VOLUME_MIN_PEERS = 3
NEWS_SHARE_RATIO = 0.7
NEWS_MIN_ITEMS = 20


# stale-column's default `column_windows` (checks/defaults.yaml): a column whose name contains
# the entry is judged by its window, whatever its category
COLUMN_WINDOWS = {"社保参保情况": 31, "新闻发布会": 92}


def column_window(name: str) -> int | None:
    return next((d for k, d in COLUMN_WINDOWS.items() if k in name), None)


def interpretation_deadline(d: date, extra: int = 0) -> date:
    """The last working day of a policy's 解读 window (+ `extra` working days), counted by the
    monitor's own calendar (zwgk.workdays: official holidays and make-up workdays) so the truth
    agrees with it whatever the holidays."""
    return add_working_days(d, INTERPRETATION_WORKING_DAYS + extra)


def assessable(site: Site) -> bool:
    return site.block not in BLOCKED


def category(col: Column) -> str:
    return col.opts.get("override") or col.category


def judged_as(col: Column) -> Column | None:
    """The platform column the checks judge a portal copy as, or None.

    checks.mirrors folds a portal copy matched to a platform column (by URL, catalog path or
    name, or renamed but sharing its items, as 通知公告 for 公示公告 does) into that column for
    the column rules (one finding per defect), when the platform column is assessed. The
    portal-only column has no platform column and is judged on its own."""
    m = col.mirror_of
    if col.section != "mirror" or m is None:
        return None
    return m if assessable(m.site) else None


def burst_at(dates: list[date], window: int) -> date | None:
    """Start of the first cluster of >=3 items within 3 days after a silence >= min(window, 30)."""
    ds = sorted(dates)
    silence = min(window, 30)
    for i in range(len(ds)):
        if i == 0 or (ds[i] - ds[i - 1]).days < silence:
            continue
        if sum(1 for d in ds[i:] if (d - ds[i]).days <= BURST_SPAN_DAYS) >= 3:
            return ds[i]
    return None


def plant(city: City, specs: list[dict]) -> None:
    day = city.day
    today = city.now.date()
    out = city.plants

    def add(rule: str, site: Site, col: Column | None, expect: str, why: str) -> None:
        out.append(
            Plant(rule, site.unit.code, site.url, col.url if col else None, expect, day, why)
        )

    for u in city.units:
        spec = u.opts
        for site in u.sites:
            if site.role == "extra":
                continue
            ok = assessable(site)
            if not ok:
                add(
                    "crawl-failed",
                    site,
                    None,
                    "fire",
                    f"site answers {site.block}: cannot be assessed",
                )
            elif site.block == "flaky-503":
                add(
                    "crawl-failed",
                    site,
                    None,
                    "quiet",
                    "503 on the first request of each list page, 200 on retry: fully assessable",
                )
            news_notice = all_stale = blanks = 0
            for col in site.columns:
                cat = category(col)
                why = col.opts.get("why", "")
                shown = col.visible(day)
                dated = [i.date for i in shown if i.date]
                if not ok:
                    if col.opts.get("control") in ("stale", "blank"):
                        add(f"{col.opts['control']}-column", site, col, "quiet", why)
                    continue
                if judged_as(col) is not None:
                    continue  # its stale/blank/burst plants are the platform column's
                if not shown:
                    blanks += 1
                    add(
                        "blank-column",
                        site,
                        col,
                        "fire",
                        "never had an item"
                        + (" (shows 暂无信息)" if col.placeholder else " (empty list)"),
                    )
                elif col.opts.get("control") == "blank":
                    add("blank-column", site, col, "quiet", why)
                elif col.opts.get("fixed") and day == 2 and col.placeholder:
                    add("blank-column", site, col, "quiet", why + ": the day-1 finding resolves")
                custom = column_window(col.name)
                w = custom or CATEGORY_WINDOW.get(cat)
                if dated and w is not None:
                    if custom:  # stale-column's configured window replaces the category's
                        why = f"configured window {custom} d, not the {cat} window" + (
                            f"; {why}" if why else ""
                        )
                    age = (today - max(dated)).days
                    if age > w:
                        all_stale += 1
                        news_notice += cat in ("news", "notice")
                        add(
                            "stale-column",
                            site,
                            col,
                            "fire",
                            f"{cat} newest item {age} d old > {w} d" + (f"; {why}" if why else ""),
                        )
                    elif col.opts.get("fixed") and day == 2 and not col.placeholder:
                        add(
                            "stale-column",
                            site,
                            col,
                            "quiet",
                            f"{why}: newest {age} d, the finding resolves",
                        )
                    elif col.opts.get("control") == "stale" and age < w:
                        add(
                            "stale-column",
                            site,
                            col,
                            "quiet",
                            f"{cat} newest item {age} d old < {w} d; {why}",
                        )
                    # burst-publishing keeps the category window (its silence rule)
                    b = burst_at(dated, CATEGORY_WINDOW[cat]) if cat in CATEGORY_WINDOW else None
                    if b is not None:
                        add(
                            "burst-publishing",
                            site,
                            col,
                            "fire",
                            f"cluster from {b}; {why}".strip("; "),
                        )
                    elif col.opts.get("control") == "burst":
                        add("burst-publishing", site, col, "quiet", why)
                if day == 2 and col.section != "mirror":
                    if col.opts.get("backdated"):
                        add("backdated-publishing", site, col, "fire", why)
                    elif col.opts.get("control") == "backdated" or "genuinely new" in why:
                        add("backdated-publishing", site, col, "quiet", why)
            if ok and site.role == "disclosure":
                _rollups(site, spec, news_notice, all_stale, blanks, add)
            elif ok and (news_notice >= 5 or all_stale >= 10 or blanks >= 5):
                raise AssertionError(f"unplanned site veto on {site.url}")
            if site.role == "portal" and ok:
                _home(site, today, day, add, spec)
            if site.role == "disclosure" and ok:
                _sections(site, today, add, spec)
        _catalog(u, add)
        _interpretation(u, today, day, add)
        _meta(u, day, add)
        _links(u, add)
    _volume(city, add)
    _policy_columns(city, add)


def _rollups(site: Site, spec: dict, news_notice: int, all_stale: int, blanks: int, add) -> None:
    """Site veto roll-ups; the unit spec states what it expects, and the generator checks it."""
    want = {r: (e, w) for r, e, w in spec.get("site_plants", [])}
    got = {
        "stale-column": (
            "fire" if news_notice >= 5 or all_stale >= 10 else "quiet",
            f"{news_notice} news+notice stale, {all_stale} stale in all",
        ),
        "blank-column": ("fire" if blanks >= 5 else "quiet", f"{blanks} blank columns"),
    }
    for rule, (expect, detail) in got.items():
        if rule in want and want[rule][0] != expect:
            raise AssertionError(f"{site.url}: {rule} roll-up is {expect}, spec says {want[rule]}")
        if expect == "fire" or rule in want:
            why = want[rule][1] if rule in want else "site veto"
            add(rule, site, None, expect, f"{why} ({detail})")


def _home(site: Site, today: date, day: int, add, spec: dict) -> None:
    dates = [i.date for c in site.home_items.values() for i in c.visible(day)[:6] if i.date]
    age = (today - max(dates)).days
    hp = spec["p"].get("home_plant") if isinstance(spec["p"], dict) else None
    if age > 14:
        add("homepage-stale", site, None, "fire", f"newest home item {age} d old > 14")
    elif hp and age < 14:
        add("homepage-stale", site, None, "quiet", f"newest home item {age} d old < 14")


def _sections(site: Site, today: date, add, spec: dict) -> None:
    present = {s.section: s for s in site.sections}
    req = present["request"]
    kind = site.opts.get("request_kind")
    if not req.present:
        add("missing-request-section", site, None, "fire", req.note)
    elif kind in ("extra", "form", "external"):
        add("missing-request-section", site, None, "quiet", req.note)
    missing = [s for s in ("guide", "system", "annual") if not present[s].present]
    if missing:
        add("missing-required-section", site, None, "fire", "missing " + ", ".join(missing))
    elif spec.get("section_control"):
        add("missing-required-section", site, None, "quiet", spec["section_control"])
    annual = next(c for c in site.columns if c.section == "annual")
    years = {int(i.title.split("年政府")[0][-4:]) for i in annual.items}
    gov = site.unit.kind in ("city", "county", "township")
    deadline = date(today.year, 3, 31) if gov else date(today.year, 1, 31)
    last = today.year - 1
    if today > deadline and last not in years:
        add(
            "annual-report-missing",
            site,
            None,
            "fire",
            f"{site.unit.kind}: no {last} report after {deadline}",
        )
    elif site.unit.kind == "city" or site.unit.code == "czj":
        add(
            "annual-report-missing",
            site,
            None,
            "quiet",
            f"{site.unit.kind}: the {last} report is published",
        )


MISMATCH_WHY = {
    "renamed": "the portal names the column differently (same items)",
    "items": "same column, different items on the two sides (2 missing, 1 extra)",
    "lag": "the portal copy lags: the platform's 2 newest items are missing on the portal",
    "portal-only": "专项资金 is on the portal catalog only",
    "platform-only": "the portal's catalog leaves this platform column out",
}


def _catalog(u, add) -> None:
    form = u.portal.opts.get("mirror_form") if u.portal else None
    if not form:
        return
    assessed = u.portal.block in (None, "flaky-503") and u.disclosure.block in (None, "flaky-503")
    mism = [c for c in u.portal.columns if c.opts.get("mismatch")]
    mism += [c for c in u.disclosure.columns if c.opts.get("mismatch") == "platform-only"]
    for c in mism:
        add("catalog-mismatch", u.portal, c, "fire", MISMATCH_WHY[c.opts["mismatch"]])
    if not mism and assessed:
        add(
            "catalog-mismatch",
            u.portal,
            None,
            "quiet",
            f"the portal's catalog ({form}"
            + (", a path copy on the platform's host" if u.portal.ip == u.disclosure.ip else "")
            + ") mirrors the platform exactly",
        )


def recent_by_unit(city: City) -> dict[str, tuple[list[Item], bool]]:
    """Each unit whose every site is assessable: (its items dated in the last 90 days, each
    once by URL across portal, platform and portal copies; whether its lists reach back 90
    days). The home page lists repeat column items, so columns alone are counted."""
    today = city.now.date()
    first = today - timedelta(days=VOLUME_WINDOW_DAYS - 1)
    out: dict[str, tuple[list[Item], bool]] = {}
    for u in city.units:
        sites = [s for s in u.sites if s.role != "extra"]
        if not all(assessable(s) for s in sites):
            continue
        items: dict[str, Item] = {}
        oldest: date | None = None
        for s in sites:
            for col in s.columns:
                for i in col.visible(city.day):
                    if i.date is None:
                        continue
                    oldest = i.date if oldest is None else min(oldest, i.date)
                    if first <= i.date <= today:
                        items.setdefault(i.url, i)
        covers = oldest is not None and oldest <= today - timedelta(days=VOLUME_WINDOW_DAYS)
        out[u.code] = (list(items.values()), covers)
    return out


def _volume(city: City, add) -> None:
    """low-volume and news-padding, computed for every judged unit from the generated items.

    A unit spec's `volume_plant` / `padding_plant` = (expect, why) names a near-threshold
    control; the computed verdict must agree with it (the generator is checked here)."""
    recent = recent_by_unit(city)
    units = {u.code: u for u in city.units}
    by_kind: dict[str, dict[str, int]] = {}
    for code, (items, covers) in recent.items():
        if covers:
            by_kind.setdefault(units[code].kind, {})[code] = len(items)
    for code, (items, covers) in recent.items():
        u = units[code]
        spec = u.opts
        peers = by_kind.get(u.kind, {}) if covers else {}
        judged = len(peers) >= LOW_VOLUME_MIN_PEERS
        if judged:
            mid = median(peers.values())
            limit = LOW_VOLUME_RATIO * mid
            expect = "fire" if len(items) < limit else "quiet"
            detail = f"{len(items)} items in 90 d, {u.kind} median {mid:g}, threshold {limit:g}"
        else:
            expect, detail = "quiet", f"only {len(peers)} {u.kind} unit(s) to compare: not judged"
        want = spec.get("volume_plant")
        if want and want[0] != expect:
            raise AssertionError(f"{code}: low-volume is {expect} ({detail}), spec says {want}")
        if expect == "fire" or want:
            why = f"{want[1]}: {detail}" if want else detail
            add("low-volume", u.disclosure, None, expect, why)
        # news-padding: an item is news when the farm wrote it as news (a news column's title)
        news = sum(1 for i in items if i.column is not None and i.column.category == "news")
        if len(items) < NEWS_MIN_ITEMS:
            expect, detail = "quiet", f"{len(items)} recent items: too few to judge"
        else:
            share = news / len(items)
            expect = "fire" if share > NEWS_SHARE_RATIO else "quiet"
            detail = f"{news}/{len(items)} recent items are news ({share:.3f})"
        want = spec.get("padding_plant")
        if want and want[0] != expect:
            raise AssertionError(f"{code}: news-padding is {expect} ({detail}), spec says {want}")
        if expect == "fire" or want:
            why = f"{want[1]}: {detail}" if want else detail
            add("news-padding", u.disclosure, None, expect, why)


# missing-policy-column's defaults (checks/defaults.yaml): subjects per unit kind and the names
# that count for each
POLICY_REQUIRED = {
    "city": ("重点工程建设", "土地征收", "棚户区改造", "扶贫", "公共服务", "公共监管"),
    "county": ("重点工程建设", "土地征收", "棚户区改造", "扶贫", "公共服务", "公共监管"),
}
POLICY_SYNONYMS = {
    "重点工程建设": ("重大建设项目", "重大项目", "重点项目", "重点工程"),
    "土地征收": ("征地", "土地征用", "征收"),
    "棚户区改造": ("棚改", "保障性住房", "保障性安居工程", "保障房", "住房保障"),
    "扶贫": ("乡村振兴", "脱贫攻坚", "精准扶贫", "脱贫"),
    "公共服务": ("社会公益事业", "公益事业"),
    "公共监管": ("双随机", "随机抽查", "监管执法", "执法监管", "行政执法公示"),
}


def _policy_columns(city: City, add) -> None:
    """missing-policy-column for every unit whose sites are all assessable: the required
    subjects no column name or catalog path of the unit carries (one finding per unit)."""
    for u in city.units:
        sites = [s for s in u.sites if s.role != "extra"]
        required = POLICY_REQUIRED.get(u.kind, ())
        if not required or not all(assessable(s) for s in sites):
            continue
        texts = [t for s in sites for c in s.columns for t in (c.name, c.catalog_path)]
        missing = [
            r for r in required if not any(w in t for w in (r, *POLICY_SYNONYMS[r]) for t in texts)
        ]
        expect = "fire" if missing else "quiet"
        want = u.opts.get("policy_plant")
        if want and want[0] != expect:
            raise AssertionError(f"{u.code}: missing-policy-column is {expect}, spec says {want}")
        if missing or want:
            detail = "missing " + "、".join(missing) if missing else "all present"
            add(
                "missing-policy-column",
                u.disclosure,
                None,
                expect,
                f"{want[1]}: {detail}" if want else detail,
            )


def _interpretation(u, today: date, day: int, add) -> None:
    """interpretation-missing: each planted policy (generate.py `policies`) fires when its
    window has closed before `today` and no planted 解读 answers it within the window; one
    whose window is still open is a quiet control. A policy answered in time fires as a
    one-way link when its page and its 解读's show related links one way only (generate.py
    `links`: "policy"), and is quiet when they link both ways. Every other title was made not
    to read as a policy (text.py), so any other finding is a false positive."""

    def links(a, b) -> bool:
        return any(r is b for r in a.related)

    site = u.disclosure
    if not assessable(site):
        return
    answers = [i for s in u.sites for c in s.columns for i in c.visible(day) if i.answers]
    for col in site.columns:
        for it in col.visible(day):
            if it.plant != "policy":
                continue
            deadline = interpretation_deadline(it.date)
            if deadline >= today:
                add(
                    "interpretation-missing",
                    site,
                    col,
                    "quiet",
                    f"policy of {it.date}: its window runs to {deadline}, not judged yet",
                )
                continue
            earliest = it.date - timedelta(days=INTERPRETATION_TOLERANCE_DAYS)
            mine = [j for j in answers if j.answers is it]
            in_time = [j for j in mine if earliest <= j.date <= deadline]
            one_way = [j for j in in_time if links(it, j) != links(j, it)]
            if one_way and not any(links(it, j) and links(j, it) for j in in_time):
                add(
                    "interpretation-missing",
                    site,
                    col,
                    "fire",
                    f"policy of {it.date}, 解读 on {one_way[0].date}: one-way link",
                )
            elif in_time:
                add(
                    "interpretation-missing",
                    site,
                    col,
                    "quiet",
                    f"policy of {it.date}, 解读 on {mine[0].date}: in its window to {deadline}",
                )
            else:
                why = f"解读 on {mine[0].date}, after {deadline}" if mine else "no 解读"
                add("interpretation-missing", site, col, "fire", f"policy of {it.date}: {why}")


def page_owner(u, url: str) -> Site | None:
    """The site a page counts for in meta-missing, by URL as the spider decides it
    (crawler/spiders/disclosure.py `page_meta`): under the platform root, else by host."""
    parts = urlsplit(url)
    d = urlsplit(u.disclosure.url)
    root_dir = d.path[: d.path.rfind("/") + 1] or "/"
    if parts.netloc == d.netloc and root_dir != "/" and parts.path.startswith(root_dir):
        return u.disclosure
    if u.portal and parts.netloc == urlsplit(u.portal.url).netloc:
        return u.portal
    return u.disclosure if parts.netloc == d.netloc else None


def _meta(u, day: int, add) -> None:
    """meta-missing, per site. The farm's meta styles (render_common.meta_block): `empty`
    blanks SiteDomain (home) and ContentSource (articles); a dateless item's article page has
    an empty PubDate; `sid_detail` prints a wrong SiteIDCode on articles. Articles are judged
    on those read in the run: every one on day 1, the new ones on day 2 (none new: the day-1
    finding stands). `dup` (the Site block twice) and `content_first` (content= before name=)
    sites are the controls: their tags are all there."""
    articles: dict[str, list[Item]] = {}  # by role
    seen: set[str] = set()
    for site in u.sites:
        for col in site.columns:
            for it in col.items:
                owner = page_owner(u, it.url) if it.url not in seen else None
                seen.add(it.url)
                if owner is not None:
                    articles.setdefault(owner.role, []).append(it)
    for site in (u.portal, u.disclosure):
        if site is None or not assessable(site):
            continue
        mine = articles.get(site.role, [])
        read = [i for i in mine if i.day_added == day] or [i for i in mine if i.day_added == 1]
        style = meta_style(site)
        why = []
        if style == "empty":
            why.append(
                "SiteDomain blank on the home page"
                + (", ContentSource on articles" if read else "")
            )
        blank_pub = [i for i in read if i.date is None and not i.meta_pubdate]
        if blank_pub:
            why.append(f"PubDate blank on {len(blank_pub)} dateless article(s)")
        if site.opts.get("sid_detail") and read:
            why.append(f"SiteIDCode {site.opts['sid_detail']} on articles, not {u.site_code}")
        if why:
            add("meta-missing", site, None, "fire", "; ".join(why))
        elif style in ("dup", "content_first"):
            dateless = [i for i in mine if i.day_added == 1 and i.date is None]
            add(
                "meta-missing",
                site,
                None,
                "quiet",
                f"{style} meta style: every required tag present"
                + (
                    "; day 2's new articles carry PubDate (day 1's dateless ones are not re-read)"
                    if day == 2 and dateless
                    else ""
                ),
            )


def _links(u, add) -> None:
    """broken-link, per site (zwgk.farm.render_links): the spec's dead links on the portal's
    home page and on a platform column's first list page fire on their site; a platform whose
    依申请公开 entry is dead (request "dead": its pages link /ysqgk/index.html, which nothing
    serves) fires too, as a supervisor clicking it would find it broken; so do a dead link on a
    platform's root page and dead off-site links there (the farm's configuration grants off-site
    checks); the redirect, 503-once and off-site 200 links are controls on their portal."""
    spec = u.opts.get("links") or {}
    for site in (u.portal, u.disclosure):
        if site is None or not assessable(site):
            continue
        why = []
        if site is u.portal and spec.get("home_dead"):
            why.append(f"{len(spec['home_dead'])} dead links (404) on the home page")
        if site is u.disclosure and spec.get("root_dead"):
            why.append(f"{len(spec['root_dead'])} dead link (404) on the platform's root page")
        if site is u.disclosure and spec.get("root_offsite_dead"):
            why.append(
                "2 dead off-site links on the platform's root page: a 404 on another loopback"
                " host and a closed port (off-site checks granted)"
            )
        if site is u.disclosure and spec.get("column_dead"):
            name, paths = spec["column_dead"]
            if not any(c.name == name and c.section != "mirror" for c in site.columns):
                continue
            why.append(f"{len(paths)} dead link (404) on {name}'s first list page")
        if site is u.disclosure and site.opts.get("request_kind") == "dead":
            why.append("the dead 依申请公开 link /ysqgk/index.html on its pages")
        if site is u.disclosure and site.opts.get("request_kind") == "external":
            # present, not checked as a section; but under the farm's off-site grant its link
            # is asked, and the province's platform is never served (layout.PROVINCE_IP)
            why.append(
                "its 依申请公开 entry links the province's platform, never served (off-site)"
            )
        if why:
            add("broken-link", site, None, "fire", "; ".join(why))
        elif site is u.portal and spec.get("home_controls"):
            add(
                "broken-link",
                site,
                None,
                "quiet",
                "home links answering 200 after a 302, and 200 on the retry after one 503"
                + ("; an off-site link answering 200" if spec.get("offsite_control") else ""),
            )
