"""Ground-truth plants: what each rule must report (fire) or stay silent on (quiet) on a day.

Column- and site-level freshness plants are computed exhaustively from the generated items (so a
rule that fires anywhere else is a false positive); controls near the thresholds are named by the
unit specs in generate.py. Thresholds are rules.md's defaults.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

from zwgk.farm.model import CATEGORY_WINDOW, City, Column, Item, Plant, Site
from zwgk.farm.render_common import meta_style

BLOCKED = ("ruishu", "ruishu-200", "jsl", "wzws", "down")
BURST_SPAN_DAYS = 2  # three items dated d, d+1, d+2: "within 3 days"
INTERPRETATION_WORKING_DAYS = 3  # interpretation-missing's window_working_days default
INTERPRETATION_TOLERANCE_DAYS = 3  # and its tolerance_days


def interpretation_deadline(d: date, extra: int = 0) -> date:
    """The last working day of a policy's 解读 window (+ `extra` working days), counted by the
    monitor's own calendar so the truth agrees with it whatever the holidays (imported here,
    not at the top: the farm is core and only its truth needs the reports' calendar)."""
    from reports.data import working_days_after

    return working_days_after(d, INTERPRETATION_WORKING_DAYS + extra)


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
                if dated and cat in CATEGORY_WINDOW:
                    w = CATEGORY_WINDOW[cat]
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
                    b = burst_at(dated, w)
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


def _interpretation(u, today: date, day: int, add) -> None:
    """interpretation-missing: each planted policy (generate.py `policies`) fires when its
    window has closed before `today` and no planted 解读 answers it within the window; one
    whose window is still open is a quiet control. Every other title was made not to read as
    a policy (text.py), so any other finding is a false positive."""
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
            if any(earliest <= j.date <= deadline for j in mine):
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
