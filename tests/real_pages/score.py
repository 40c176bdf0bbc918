"""Compare a corpus page's truth with what the extractors read, and total the corpus.

`python -m tests.real_pages.score` prints one line per page that differs and the totals the
README reports (items exact / expected, pagers understood / present, details, catalogs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.real_pages.harness import entries, load, observe


def _norm_title(t: str | None) -> str:
    return "".join((t or "").split())


def _key(i: dict[str, Any]) -> tuple[str, str | None]:
    return i["url"], i.get("date")


@dataclass
class Score:
    items_expected: int = 0
    items_exact: int = 0
    items_extra: int = 0
    pagers_present: int = 0
    pagers_understood: int = 0
    detail_fields: int = 0
    detail_exact: int = 0
    columns_expected: int = 0
    columns_found: int = 0
    problems: list[str] = field(default_factory=list)


def compare(name: str, truth: dict[str, Any], seen: dict[str, Any], score: Score) -> list[str]:
    """Differences between truth and what was read, each a short line; adds to `score`."""
    problems: list[str] = []
    exceptions = truth.get("exceptions") or {}
    if "items" in truth and "items" not in exceptions:
        # A URL listed twice (a re-posted row) is one item, read at its first row - as the
        # crawler's list extractor keeps it - on both sides.
        want: dict[str, dict[str, Any]] = {}
        for i in truth["items"]:
            want.setdefault(i["url"], i)
        got: dict[str, dict[str, Any]] = {}
        for i in seen.get("items", []):
            got.setdefault(i["url"], i)
        score.items_expected += len(want)
        for url, w in want.items():
            g = got.get(url)
            if g is None:
                problems.append(f"missing item {w['title'][:30]!r} {url}")
            elif g.get("date") != w.get("date"):
                problems.append(f"date of {url}: read {g.get('date')}, truth {w.get('date')}")
            elif _norm_title(w["title"]) not in _norm_title(g["title"]) and _norm_title(
                g["title"]
            ) not in _norm_title(w["title"]):
                problems.append(f"title of {url}: read {g['title'][:40]!r}")
            else:
                score.items_exact += 1
        extra = [u for u in got if u not in want]
        score.items_extra += len(extra)
        problems += [f"extra item {got[u]['title'][:30]!r} {u}" for u in extra]
    if "placeholder" in truth and bool(seen.get("placeholder")) != truth["placeholder"]:
        problems.append(f"placeholder read {seen.get('placeholder')}, truth {truth['placeholder']}")
    pager = truth.get("pager")
    if pager and "pager" not in exceptions and (pager.get("page_count") or 0) > 1:
        score.pagers_present += 1
        sp = seen.get("pager") or {}
        ok = True
        if sp.get("hanweb") and pager.get("hanweb"):
            ok = sp.get("page_count") == pager["page_count"]
        else:
            if pager.get("next") and sp.get("next") != pager["next"]:
                problems.append(f"next page read {sp.get('next')}, truth {pager['next']}")
                ok = False
            elif "next" in pager and pager["next"] is None and sp.get("next"):
                # Page 2 has no URL (a script request, a POST): a URL read for it is invented.
                problems.append(f"next page read {sp['next']}, truth: page 2 has no URL")
                ok = False
            if sp.get("page_count") not in (None, pager["page_count"]):
                problems.append(
                    f"page count read {sp.get('page_count')}, truth {pager['page_count']}"
                )
                ok = False
        score.pagers_understood += ok
    elif pager and (pager.get("page_count") or 1) <= 1 and (seen.get("pager") or {}).get("next"):
        problems.append(f"a one-page list read a next page {seen['pager']['next']}")
    if "detail" in truth:
        got_d = seen.get("detail", {})
        for k, v in truth["detail"].items():
            if k in exceptions:
                continue
            score.detail_fields += 1
            if got_d.get(k) == v:
                score.detail_exact += 1
            else:
                problems.append(f"detail {k}: read {got_d.get(k)!r}, truth {v!r}")
    if "columns" in truth:
        got_c = {c["url"]: c["name"] for c in seen.get("columns", [])}
        score.columns_expected += len(truth["columns"])
        for c in truth["columns"]:
            if c["url"] not in got_c:
                problems.append(f"missing column {c['name']} {c['url']}")
            elif _norm_title(got_c[c["url"]]) != _norm_title(c["name"]):
                problems.append(f"column {c['url']} named {got_c[c['url']]!r}, truth {c['name']!r}")
            else:
                score.columns_found += 1
        for url in truth.get("not_columns", []):
            if url in got_c:
                problems.append(f"chrome link read as a column: {got_c[url]} {url}")
    score.problems += [f"{name}: {p}" for p in problems]
    return problems


def total() -> Score:
    score = Score()
    for name in entries():
        body, truth = load(name)
        compare(name, truth, observe(body, truth), score)
    return score


def main() -> None:
    s = total()
    for p in s.problems:
        print(p)
    n = len(entries())
    sites = {load(e)[1].get("site") for e in entries()}
    print(
        f"{n} pages from {len(sites)} sites: items {s.items_exact}/{s.items_expected} exact "
        f"({s.items_extra} extra), pagers {s.pagers_understood}/{s.pagers_present}, "
        f"detail fields {s.detail_exact}/{s.detail_fields}, "
        f"catalog columns {s.columns_found}/{s.columns_expected}"
    )


if __name__ == "__main__":
    main()
