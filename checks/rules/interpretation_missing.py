"""interpretation-missing 政策文件未解读.

What:
    A policy document with no 解读 (interpretation) published within `window_working_days`
    working days after its publication date (`items.pub_date`; working days from
    `zwgk.workdays`: official holidays and make-up workdays, the one calendar the task lists use too). One finding per
    policy (its URL is the finding's sub-key), on the column that lists it.
    A policy, read from its title (`policy_name`), because a column name alone cannot tell a
    规范性文件 from a 工作通知 and a policy rule that flags every 通知 is ignored:
    - its name ends with a policy kind (办法, 规定, 细则, 意见, 方案, 措施, 规则, 条例, 规划,
      纲要, 政策, 准则, 指引, 规范, 标准, 制度, 规程): the title itself (…关于加快X的实施意见,
      X管理办法（试行）), or the document a cover notice issues (关于印发《X办法》的通知, also
      印发X方案的通知 without 《》, 关于修订《X规定》的决定): then the policy is X;
    - a bare 通知 (关于做好X工作的通知) is a 工作通知 and not judged, even with a 文号;
    - never 转发 (a forwarded document is its issuer's to interpret), drafts (征求意见, 草案,
      意见稿), 公示/公告/通告/通报/公报, 批复/复函/答复, personnel and lists (任免, 名单),
      纪要, 废止/失效/清理, 表彰/处分, 报告/总结, nor a 解读 itself;
    - in a 规范性文件 / 政策文件 / 政府文件 / 部门文件 column the title is enough; anywhere else
      it also needs a 文号 (the item's 文号, or one like 示政〔2026〕3号 in its title), so a news
      story naming a 办法 is not a policy.
    A 解读 is any item of the unit (every column it ever listed, portal and platform) whose
    title says so (解读, 图解, 一图读懂, 一图看懂, 答记者问, 政策问答, 起草说明) or that sits in a
    column named …解读… (政策解读) and is not the policy itself (the same URL or title: such
    columns often list the policy beside its 解读). It answers a policy when it names it (the
    《…》 name, or its title with the cue words removed; issuer, 关于, 印发, 的通知 and 的 are
    dropped, one name must end the other and the shorter have 6+ characters, so 《X办法》
    answers 示例市X办法 but not X办法实施细则) or cites its 文号 (same year and number, one
    机关代字 of 2+ characters ending the other). It is in time when dated from `tolerance_days`
    before the policy up to the window's last working day; a matching 解读 with no date counts
    (nothing shows it late). A 解读 also answers a policy by link: the crawl records the
    related links of each detail page it reads (相关链接, 相关文件, 政策解读, 相关解读, 原文链接,
    附件: at most 20 a page, table `detail_links`), and a policy page linking a 解读, or a 解读
    page linking the policy, matches the two whatever their titles say.
    One-way links: a policy answered in time whose 解读 page and its own page were both read
    with their links recorded, where one page links the other but not back (and no in-time
    解读 links both ways), gives a finding of kind "one-way link" (evidence: both URLs, which
    way the link goes) under the policy's key. Not assessed when either page was not read
    since links were recorded, or when neither page links the other (no related links shown).
    解读 that match no policy are not flagged: a 解读 of a superior's or another unit's policy,
    or of one older than the store, is normal, so an orphan is no defect we can show.
    Judged: policies dated within `lookback_days` of the run's date, in columns assessed in this
    run, whose window has closed (the last working day is before the run's date; a policy whose
    window ends today or later is not judged yet), plus any policy that already has an open or
    waived finding (it does not resolve by ageing out of the lookback). A unit whose 解读 column
    was attempted in this run but not read whole is not judged (its 解读 may be there).
    Each policy counts once per unit: items of a portal copy of an assessed platform column
    (checks.mirrors) are the platform's, and the same URL, or the same title and date, in
    several columns is one policy (on the platform, a policy column first).
    Evidence: the policy's title, URL, date and 文号, the window's last working day and length,
    and the closest 解读 candidates considered with why each did not count (a one-way link:
    `kind`, the policy's and the 解读's titles and URLs, which page links which).
Why:
    国办发〔2016〕80号《〈关于全面推进政务公开工作的意见〉实施细则》: 政策解读与政策文件
    “同步组织、同步审签、同步部署”; 国办秘函〔2019〕19号 checks 解读回应 on government sites.
How to fix:
    Publish the 解读 with the policy (the same day, at most within the window), name the policy
    by its 《》 title or 文号, and link the two pages both ways; publish overdue 解读 now.
Options:
    window_working_days: working days after the policy's date by which its 解读 must appear (3).
    lookback_days: policies dated this many days before the run or newer are judged (365).
    tolerance_days: a 解读 dated up to this many days before its policy still counts (3).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from checks.context import Context
from checks.mirrors import judged_copies
from checks.registry import Hit, Rule, finding_key, register
from checks.text import normalise_title, zh_date

# Working days come from the task lists' calendar so both agree (holidays included once that
# calendar follows the official one); reports.data has no import of checks, so no cycle.
from zwgk.workdays import add_working_days as working_days_after

POLICY_COLUMN_WORDS = ("规范性文件", "政策文件", "政府文件", "部门文件")
INTERP_COLUMN_WORD = "解读"
INTERP_CUES = ("解读", "图解", "一图读懂", "一图看懂", "答记者问", "政策问答", "起草说明")
POLICY_KINDS = (
    "办法",
    "规定",
    "细则",
    "意见",
    "方案",
    "措施",
    "规则",
    "条例",
    "规划",
    "纲要",
    "政策",
    "准则",
    "指引",
    "规范",
    "标准",
    "制度",
    "规程",
)
# Titles that are never the unit's own policy, whatever kind word they carry (see What).
NOT_POLICY = (
    "转发",
    "征求意见",
    "意见征集",
    "征集意见",
    "意见稿",
    "草案",
    "公示",
    "公告",
    "通告",
    "通报",
    "公报",
    "批复",
    "复函",
    "答复",
    "任免",
    "任职",
    "免职",
    "名单",
    "纪要",
    "废止",
    "失效",
    "清理",
    "表彰",
    "处分",
    "报告",
    "总结",
    *INTERP_CUES,
)
MIN_NAME = 6  # normalised characters: shorter names (管理办法) would match every policy
MAX_CANDIDATES = 2  # the report shows 12 evidence lines; two candidates fit beside the policy

_NAMED = re.compile(r"《([^《》]{2,120})》")
# 文号: 机关代字 + 〔year〕 + number + 号, in the bracket forms sites use (after NFKC).
_DOC_NO = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s*[〔\[(【]\s*((?:19|20)\d{2})\s*[〕\])】]\s*第?\s*(\d{1,5})\s*号"
)
_TRAILING_DOC_NO = re.compile(r"[(\[【]?\s*" + _DOC_NO.pattern + r"\s*[)\]】]?\s*$")
_TRAILING_GROUP = re.compile(r"\s*[(\[【〔][^()\[\]【】〔〕]*[)\]】〕]\s*$")
_ISSUE_VERB = re.compile(r"^(印发|发布|颁布|出台|公布|修订|修改)")


def _nfkc(text: str | None) -> str:
    s = unicodedata.normalize("NFKC", text or "").strip()
    return s.replace("〈", "《").replace("〉", "》")


def _strip_tail(text: str) -> str:
    """Drop trailing bracketed remarks: a 文号, （试行）, （2026年修订）."""
    prev = None
    while prev != text:
        prev, text = text, _TRAILING_GROUP.sub("", text)
    return text


def _has_kind(name: str) -> bool:
    return _strip_tail(name).endswith(POLICY_KINDS)


def policy_name(title: str | None) -> str | None:
    """The policy a title issues or is, or None when the title does not read as a policy."""
    t = _nfkc(title)
    if not t or any(w in t for w in NOT_POLICY):
        return None
    for name in _NAMED.findall(t):
        if _has_kind(name):
            return name
    core = _strip_tail(_TRAILING_DOC_NO.sub("", t))
    core = core.split("关于", 1)[1] if "关于" in core else core
    core = _ISSUE_VERB.sub("", core)
    core = re.sub(r"的?通知$", "", core)
    return core if len(core) >= 2 and _has_kind(core) else None


def interpretation_names(title: str | None) -> list[str]:
    """The policy names a 解读 title refers to: its 《》 names, else the title without cues."""
    t = _nfkc(title)
    named = _NAMED.findall(t)
    if named:
        return named
    core = _strip_tail(t)
    for cue in (*INTERP_CUES, "政策", "关于", "的", ":", "："):
        core = core.replace(cue, "")
    return [core] if core else []


def name_key(name: str) -> str:
    """Comparable form of a policy name: no issuer, 关于, 印发, 的通知, brackets, 的."""
    s = _strip_tail(_nfkc(name))
    s = s.split("关于", 1)[1] if "关于" in s else s
    s = _ISSUE_VERB.sub("", s)
    s = re.sub(r"的?通知$", "", s)
    return normalise_title(s).replace("的", "")


def doc_keys(*texts: str | None) -> set[tuple[str, str, str]]:
    """(机关代字, year, number) of every 文号 in the texts."""
    out = set()
    for t in texts:
        for prefix, year, num in _DOC_NO.findall(_nfkc(t)):
            out.add((prefix, year, str(int(num))))
    return out


def same_doc(a: set[tuple[str, str, str]], b: set[tuple[str, str, str]]) -> bool:
    # the 机关代字 is read greedily from the text before the bracket (关于示政 for 示政), so
    # one ending the other is the same 文号; one character (政) would match 示政 and 宜政 alike
    return any(
        ya == yb
        and na == nb
        and min(len(pa), len(pb)) >= 2
        and (pa.endswith(pb) or pb.endswith(pa))
        for pa, ya, na in a
        for pb, yb, nb in b
    )


def names_match(policy_key: str, keys: list[str]) -> bool:
    for k in keys:
        short, long_ = sorted((policy_key, k), key=len)
        if len(short) >= MIN_NAME and long_.endswith(short):
            return True
    return False


@dataclass(slots=True)
class Policy:
    item: dict[str, Any]
    name: str
    key: str
    docs: set[tuple[str, str, str]]
    day: date
    columns: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Interp:
    url: str
    title: str
    day: date | None
    keys: list[str]
    docs: set[tuple[str, str, str]]
    cued: bool  # its title says 解读 (else it is one only by its column)


@lru_cache(maxsize=65536)
def link_key(url: str) -> str:
    """Comparable form of a page URL: no fragment, lower-case host, a directory equals its
    index page (as the crawler's seen sets compare URLs)."""
    parts = urlsplit(url.strip())
    path = re.sub(r"/index\.(s?html?|jsp|php)$", "/", parts.path or "/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


@dataclass(slots=True)
class Pages:
    """A unit's recorded related links (page → targets, by `link_key`) and the pages whose
    links were recorded (their detail page was read since the store kept links)."""

    targets: dict[str, set[str]]
    read: set[str]

    def links(self, page: str, target: str) -> bool:
        if not self.targets:  # no page of the unit recorded related links: cheap per pair
            return False
        return link_key(target) in self.targets.get(link_key(page), ())

    def links_either(self, a: str, b: str) -> bool:
        return self.links(a, b) or self.links(b, a)

    def read_page(self, url: str) -> bool:
        return link_key(url) in self.read


def working_days_late(deadline: date, day: date) -> int:
    """How many working days after `deadline` the date `day` falls (>= 1 when day > deadline)."""
    n, current = 0, deadline
    while current < day:
        current = working_days_after(current, 1)
        n += 1
    return n


@register
class InterpretationMissing(Rule):
    code = "interpretation-missing"
    title_zh = "政策文件未解读"
    title_en = "Policy document without interpretation"
    severity = "deduct"
    scope = "page"
    regulation = (
        "国办发〔2016〕80号《〈关于全面推进政务公开工作的意见〉实施细则》；"
        "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
    )
    fix = (
        "按照“同步组织、同步审签、同步部署”要求，政策文件发布时同步发布政策解读，"
        "解读中注明文件名称或文号并与文件页面相互链接；已逾期的应尽快补发解读。"
    )
    message = "政策文件“{title}”（{facts}）{days}个工作日内（{deadline}前）未见政策解读{detail}"
    one_way_message = (
        "政策文件“{title}”（{facts}）与其解读“{interp}”未相互链接：{which}，另一方未链接回来"
    )

    def assessed_sql(self) -> str:
        # a finding resolves only when its policy was judged in this run (see What)
        return "f.key IN (SELECT key FROM zc_im_judged)"

    def evaluate(self, ctx: Context) -> list[Hit]:
        db = ctx.db
        opts = ctx.opts_table(self.code)
        db.execute("DROP TABLE IF EXISTS temp.zc_im_judged")
        db.execute("CREATE TEMP TABLE zc_im_judged (key TEXT PRIMARY KEY)")
        open_urls = self._open_policies(ctx)
        skipped = self._unread_interp_units(ctx, opts)
        due: list[tuple[str, Policy, date, dict[str, Any]]] = []
        for unit, plist in sorted(self._policies(ctx, opts, open_urls, skipped).items()):
            o = ctx.options(self.code, unit)
            for p in plist:
                deadline = working_days_after(p.day, o["window_working_days"])
                if deadline < ctx.today:  # else the window is still open: not judged yet
                    due.append((unit, p, deadline, o))
        # 解读 are read only for units with a policy to judge, from the earliest date one
        # could count (its policy's date less the tolerance), so a quiet city costs nothing
        since: dict[str, date] = {}
        for unit, p, _, o in due:
            first = p.day - timedelta(days=o["tolerance_days"])
            since[unit] = min(since.get(unit, first), first)
        interps = self._interpretations(ctx, opts, since)
        links, read = self._related_links(ctx, due, interps)
        hits, judged = [], []
        for unit, p, deadline, o in due:
            judged += [
                (finding_key(self.code, unit, c["site_id"], c["column_id"], p.item["url"]),)
                for c in p.columns
            ]
            pages = Pages(links.get(unit, {}), read.get(unit, set()))
            hit = self._judge(unit, p, deadline, interps.get(unit, []), o, pages)
            if hit is not None:
                hits.append(hit)
        db.conn.executemany("INSERT OR IGNORE INTO zc_im_judged VALUES (?)", judged)
        return hits

    # -- reading the store -------------------------------------------------------------
    def _open_policies(self, ctx: Context) -> set[tuple[str, str]]:
        """(unit, policy URL) of this rule's open or waived findings."""
        out = set()
        for (key,) in ctx.db.execute(
            "SELECT key FROM findings WHERE rule = ? AND status IN ('open', 'waived')", [self.code]
        ).fetchall():
            parts = key.split("|", 4)  # rule|unit|site|column|url; a URL may hold '|'
            if len(parts) == 5:
                out.add((parts[1], parts[4]))
        return out

    def _unread_interp_units(self, ctx: Context, opts: str) -> set[str]:
        """Units whose 解读 column was attempted in this run but not read whole."""
        rows = ctx.query(
            f"""SELECT DISTINCT c.unit_id FROM column_runs r
                JOIN columns c ON c.column_id = r.column_id
                JOIN {opts} o ON o.unit_id = c.unit_id
                WHERE r.run_id = :run AND instr(c.name, :word) > 0
                  AND r.column_id NOT IN (SELECT column_id FROM zc_assessed_columns)""",
            {"run": ctx.run_id, "word": INTERP_COLUMN_WORD},
        )
        return {r["unit_id"] for r in rows}

    def _policies(
        self, ctx: Context, opts: str, open_urls: set[tuple[str, str]], skipped: set[str]
    ) -> dict[str, list[Policy]]:
        ctx.db.execute("DROP TABLE IF EXISTS temp.zc_im_open")
        ctx.db.execute("CREATE TEMP TABLE zc_im_open (unit_id TEXT, url TEXT)")
        ctx.db.conn.executemany("INSERT INTO zc_im_open VALUES (?, ?)", sorted(open_urls))
        in_policy_column = " OR ".join(
            f"instr(c.name, '{w}') > 0" for w in POLICY_COLUMN_WORDS
        )  # constant words, never scraped text
        # Per column first (the lookback's first date is computed once per column, not per
        # item), then its items by index: those in the lookback, and those with an open finding.
        cols = f"""WITH cols AS MATERIALIZED (
              SELECT a.column_id, a.site_id, a.unit_id, s.role,
                     ({in_policy_column}) AS policy_column,
                     date(:today, '-' || o.lookback_days || ' days') AS since
              FROM zc_assessed_columns a
              JOIN {opts} o ON o.unit_id = a.unit_id
              JOIN columns c ON c.column_id = a.column_id
              JOIN zc_assessed_sites s ON s.site_id = a.site_id
              WHERE a.is_home = 0)"""
        pick = """SELECT i.url, i.title, i.pub_date, i.doc_no, i.item_id AS item_id,
                         k.unit_id AS unit_id, k.site_id, k.column_id AS column_id,
                         k.role != 'disclosure' AS off_platform,
                         k.policy_column AS policy_column
                  FROM cols k"""
        may_be_policy = """i.pub_date IS NOT NULL AND i.pub_date <= :today
              AND (k.policy_column OR nullif(trim(i.doc_no), '') IS NOT NULL
                   OR instr(i.title, '号') > 0)"""
        rows = ctx.query(
            f"""{cols}
                {pick} JOIN items i ON i.column_id = k.column_id AND i.pub_date >= k.since
                WHERE {may_be_policy}
                UNION
                {pick} JOIN zc_im_open x ON x.unit_id = k.unit_id
                JOIN items i ON i.column_id = k.column_id AND i.url = x.url
                WHERE {may_be_policy}
                ORDER BY unit_id, off_platform, policy_column DESC, column_id, item_id""",
            {"today": ctx.today_iso},
        )
        copies = judged_copies(ctx)
        out: dict[str, list[Policy]] = {}
        seen: dict[tuple[str, str], Policy] = {}
        for r in rows:
            if r["unit_id"] in skipped or r["column_id"] in copies:
                continue  # a copy's items are its platform column's (one policy, one finding)
            name = policy_name(r["title"])
            if name is None:
                continue
            docs = doc_keys(r["doc_no"], r["title"])
            if not r["policy_column"] and not docs:
                continue  # outside a policy column the title needs a 文号 to be a document
            unit = r["unit_id"]
            tk = normalise_title(r["title"]) + "|" + r["pub_date"]
            p = seen.get((unit, r["url"])) or seen.get((unit, tk))
            if p is None:
                p = Policy(r, name, name_key(name), docs, date.fromisoformat(r["pub_date"][:10]))
                out.setdefault(unit, []).append(p)
                seen[(unit, r["url"])] = seen[(unit, tk)] = p
            p.columns.append(r)
            p.docs |= docs
        return out

    def _interpretations(
        self, ctx: Context, opts: str, since: dict[str, date]
    ) -> dict[str, list[Interp]]:
        """Each unit's 解读 dated from `since[unit]` on, or undated."""
        if not since:
            return {}
        ctx.db.execute("DROP TABLE IF EXISTS temp.zc_im_units")
        ctx.db.execute("CREATE TEMP TABLE zc_im_units (unit_id TEXT PRIMARY KEY, since TEXT)")
        ctx.db.conn.executemany(
            "INSERT INTO zc_im_units VALUES (?, ?)", [(u, d.isoformat()) for u, d in since.items()]
        )
        cues = " OR ".join(f"instr(i.title, '{w}') > 0" for w in INTERP_CUES)
        rows = ctx.query(
            f"""SELECT c.unit_id, i.url, i.title, i.pub_date, i.doc_no, i.item_id,
                       ({cues}) AS cued
                FROM zc_im_units u JOIN columns c ON c.unit_id = u.unit_id
                JOIN items i ON i.column_id = c.column_id
                WHERE (i.pub_date >= u.since OR i.pub_date IS NULL)
                  AND ({cues} OR instr(c.name, :word) > 0)
                ORDER BY c.unit_id, i.item_id""",
            {"word": INTERP_COLUMN_WORD},
        )
        out: dict[str, list[Interp]] = {}
        seen: set[tuple[str, str]] = set()
        for r in rows:
            if (r["unit_id"], r["url"]) in seen:
                continue
            seen.add((r["unit_id"], r["url"]))
            out.setdefault(r["unit_id"], []).append(
                Interp(
                    url=r["url"],
                    title=r["title"],
                    day=date.fromisoformat(r["pub_date"][:10]) if r["pub_date"] else None,
                    keys=[name_key(n) for n in interpretation_names(r["title"])],
                    docs=doc_keys(r["doc_no"], r["title"]),
                    cued=bool(r["cued"]),
                )
            )
        return out

    def _related_links(
        self,
        ctx: Context,
        due: list[tuple[str, Policy, date, dict[str, Any]]],
        interps: dict[str, list[Interp]],
    ) -> tuple[dict[str, dict[str, set[str]]], dict[str, set[str]]]:
        """Per unit: each judged policy's and 解读's recorded related links (normalised URL →
        normalised targets), and the pages whose links were recorded (read since m011)."""
        pages = {(unit, p.item["url"]) for unit, p, _, _ in due}
        pages |= {(unit, j.url) for unit, _, _, _ in due for j in interps.get(unit, [])}
        if not pages:
            return {}, {}
        ctx.db.execute("DROP TABLE IF EXISTS temp.zc_im_pages")
        ctx.db.execute("CREATE TEMP TABLE zc_im_pages (unit_id TEXT, url TEXT)")
        ctx.db.conn.executemany("INSERT INTO zc_im_pages VALUES (?, ?)", sorted(pages))
        links: dict[str, dict[str, set[str]]] = {}
        for r in ctx.query(
            """SELECT g.unit_id, d.page_url, d.url FROM zc_im_pages g
               JOIN sites s ON s.unit_id = g.unit_id
               JOIN detail_links d ON d.site_id = s.site_id AND d.page_url = g.url"""
        ):
            links.setdefault(r["unit_id"], {}).setdefault(link_key(r["page_url"]), set()).add(
                link_key(r["url"])
            )
        read: dict[str, set[str]] = {}
        for r in ctx.query(
            """SELECT DISTINCT g.unit_id, g.url FROM zc_im_pages g
               JOIN columns c ON c.unit_id = g.unit_id
               JOIN items i ON i.column_id = c.column_id AND i.url = g.url
               WHERE i.related_links IS NOT NULL"""
        ):
            read.setdefault(r["unit_id"], set()).add(link_key(r["url"]))
        return links, read

    # -- judging one policy --------------------------------------------------------------
    def _judge(
        self,
        unit: str,
        p: Policy,
        deadline: date,
        interps: list[Interp],
        o: dict[str, Any],
        pages: Pages | None = None,
    ) -> Hit | None:
        pages = pages or Pages({}, set())
        earliest = p.day - timedelta(days=o["tolerance_days"])
        matched, in_time = [], []
        own = normalise_title(p.item["title"])
        for j in interps:
            if j.url == p.item["url"] or (not j.cued and normalise_title(j.title) == own):
                continue  # a 解读 column listing the policy itself: not its 解读
            if (
                names_match(p.key, j.keys)
                or same_doc(p.docs, j.docs)
                or pages.links_either(p.item["url"], j.url)
            ):
                if j.day is None or earliest <= j.day <= deadline:
                    in_time.append(j)
                else:
                    matched.append(j)
        if in_time:
            return self._one_way(unit, p, in_time, pages)
        # matched but late (or too early) first, nearest first; then the most similar others
        late = sorted((self._why(j, p, deadline, earliest) for j in matched), key=lambda c: c[0])
        tried = [c for _, c in late[:MAX_CANDIDATES]]
        if len(tried) < MAX_CANDIDATES:
            seen = {j.url for j in matched}
            others = [
                (self._similarity(p.key, j), j) for j in interps if j.url not in seen and j.keys
            ]
            others.sort(key=lambda s: (-s[0], s[1].url))
            tried += [
                {
                    "interp_title": j.title,
                    "interp_url": j.url,
                    "why_not": f"名称与文号均不对应（名称相似度{sim:.2f}）",
                }
                for sim, j in others[: MAX_CANDIDATES - len(tried)]
            ]
        c = p.columns[0]
        doc = sorted(p.docs)[0] if p.docs else None
        doc_text = (p.item["doc_no"] or "").strip() or (
            f"{doc[0]}〔{doc[1]}〕{doc[2]}号" if doc else ""
        )
        facts = (f"{doc_text}，" if doc_text else "") + f"{zh_date(p.day)}发布"
        detail = ""
        if matched:
            first = tried[0]
            detail = f"；对应解读“{first['interp_title']}”{first['why_not']}"
        evidence: dict[str, Any] = {
            "policy_title": p.item["title"],
            "policy_url": p.item["url"],
            "policy_date": p.day.isoformat(),
            "deadline": deadline.isoformat(),
            "window_working_days": o["window_working_days"],
            "tried_interpretations": tried,
        }
        if doc_text:
            evidence["policy_doc_no"] = doc_text
        return Hit(
            unit_id=unit,
            site_id=c["site_id"],
            column_id=c["column_id"],
            subkey=p.item["url"],
            summary=self.render(
                title=p.item["title"],
                facts=facts,
                days=o["window_working_days"],
                deadline=zh_date(deadline),
                detail=detail,
            ),
            evidence=evidence,
        )

    def _one_way(self, unit: str, p: Policy, in_time: list[Interp], pages: Pages) -> Hit | None:
        """The policy is interpreted in time; a finding only when every such 解读 was read with
        the policy (else not assessed) and none links both ways while one links one way."""
        pu = p.item["url"]
        if not pages.read_page(pu) or not all(pages.read_page(j.url) for j in in_time):
            return None
        if any(pages.links(pu, j.url) and pages.links(j.url, pu) for j in in_time):
            return None
        one = next((j for j in in_time if pages.links_either(pu, j.url)), None)
        if one is None:
            return None  # neither page links the other: no related links to judge
        forward = pages.links(pu, one.url)
        which = (
            "文件页面链接了解读，解读页面未链接文件"
            if forward
            else ("解读页面链接了文件，文件页面未链接解读")
        )
        c = p.columns[0]
        return Hit(
            unit_id=unit,
            site_id=c["site_id"],
            column_id=c["column_id"],
            subkey=pu,
            summary=self.one_way_message.format(
                title=p.item["title"],
                facts=f"{zh_date(p.day)}发布",
                interp=one.title,
                which=which,
            ),
            evidence={
                "kind": "one-way link",
                "policy_title": p.item["title"],
                "policy_url": pu,
                "policy_date": p.day.isoformat(),
                "interp_title": one.title,
                "interp_url": one.url,
                "policy_links_interp": forward,
                "interp_links_policy": pages.links(one.url, pu),
            },
        )

    @staticmethod
    def _why(j: Interp, p: Policy, deadline: date, earliest: date) -> tuple[float, dict[str, str]]:
        assert j.day is not None  # undated matches count as in time
        if j.day > deadline:
            late = working_days_late(deadline, j.day)
            why = f"{zh_date(j.day)}发布，晚于期限{late}个工作日"
            rank = float(late)
        else:
            why = (
                f"{zh_date(j.day)}发布，早于政策文件{(p.day - j.day).days}天（疑为旧版文件的解读）"
            )
            rank = float((earliest - j.day).days)
        return rank, {"interp_title": j.title, "interp_url": j.url, "why_not": why}

    @staticmethod
    def _similarity(key: str, j: Interp) -> float:
        return max(difflib.SequenceMatcher(None, key, k).ratio() for k in j.keys)
