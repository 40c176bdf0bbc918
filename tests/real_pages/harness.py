"""Run the extractors on one saved real page exactly as the spider calls them.

A corpus entry is two files in `pages/`: the page's bytes, verbatim (`NAME.html`, or `NAME.json`
for a platform's JSON answer), and its hand-checked truth (`NAME.truth.json`). The truth names
the URL the page was served at (links resolve against it), the date it was captured ("today" for
dates printed without a year) and what a person reading the page sees:

    {"kind": "list" | "detail" | "catalog" | "api",
     "url": "...", "today": "YYYY-MM-DD", "site": "www.x.gov.cn", "cms": "trs",
     "source": "owner/repo @ commit : path (how the bytes were taken)",
     "items": [{"title": "...", "url": "...", "date": "YYYY-MM-DD" | null}],   # list, api
     "pager": {"page_count": N | null, "next": "absolute URL of page 2" | null}, # list, api
     "placeholder": false,                                                        # list
     "detail": {"pub_date": ..., "index_no": ..., "doc_no": ..., "publisher": ...},  # detail
     "columns": [{"name": "...", "url": "..."}],                                  # catalog
     "catalog_root": "...",  # catalog: the root the spider walks when it reads this page
                             # (a units file's `disclosure`); default: the page itself
     "exceptions": {"field": "why it cannot be read without a browser"}}

`observe` returns the same shape from the extractors, so the test compares field by field.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from crawler import discovery
from crawler.extract import catalog, charset, hanweb, jsonapi, listing, meta

PAGES = Path(__file__).with_name("pages")


def entries() -> list[str]:
    return sorted(p.name[: -len(".truth.json")] for p in PAGES.glob("*.truth.json"))


def load(name: str) -> tuple[bytes, dict[str, Any]]:
    truth = json.loads((PAGES / f"{name}.truth.json").read_text("utf-8"))
    body_path = next(p for p in PAGES.glob(f"{name}.*") if not p.name.endswith(".truth.json"))
    return body_path.read_bytes(), truth


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def observe(body: bytes, truth: dict[str, Any]) -> dict[str, Any]:
    """What the spider would take from this page (same calls, same order)."""
    kind, url = truth["kind"], truth["url"]
    today = date.fromisoformat(truth["today"])
    content_type = truth.get("content_type")
    if kind == "api":
        text = charset.decode_html(body, content_type)[0]
        if "<datastore>" in text or "<record" in text:
            items, _total, pages = hanweb.parse_datastore(text, url, today)
            return {
                "items": [_item(i) for i in items],
                "pager": {"page_count": pages, "next": None},
            }
        items, _info = jsonapi.parse_api(text, url)
        return {"items": [_item(i) for i in items], "pager": {"page_count": None, "next": None}}
    html = charset.decode_html(body, content_type)[0]
    base = discovery.base_url(html, url)
    if kind == "list":
        page = listing.extract_list(html, base, today)
        p = page.pagination
        # The spider reads every URL offered; one marked optional (either end of a series whose
        # first page cannot tell `_1` from `_2`) may 404 without harm, so page 2 is the first
        # URL it is sure of.
        sure = [u for u in p.urls if u not in p.optional] or p.urls
        pager: dict[str, Any] = {"page_count": p.page_count, "next": sure[0] if sure else None}
        if p.hanweb:
            pager["hanweb"] = True
            pager["page_count"] = p.page_count or (
                -(-p.hanweb.total_records // p.hanweb.per_page)
                if p.hanweb.total_records and p.hanweb.per_page
                else None
            )
        return {
            "items": [_item(i) for i in page.items],
            "pager": pager,
            "placeholder": page.placeholder,
        }
    if kind == "detail":
        d = meta.extract_detail(html, url, today)
        return {
            "detail": {
                "pub_date": _iso(d.pub_date or d.meta_pub_date),
                "index_no": d.index_no,
                "doc_no": d.doc_no,
                "publisher": d.publisher,
            }
        }
    if kind == "catalog":
        # The spider reads a catalog page for the catalog it walks (catalog_walk.catalog_links).
        root = truth.get("catalog_root") or url
        links = catalog.extract_nav(html, base, root)
        return {"columns": [{"name": n.name, "url": n.url} for n in links]}
    raise ValueError(f"{truth.get('url')}: unknown kind {kind!r}")


def _item(i: Any) -> dict[str, Any]:
    return {"title": i.title, "url": i.url, "date": _iso(i.date)}


def main() -> None:  # python -m tests.real_pages.harness NAME...: truth against what is read
    import sys

    for name in sys.argv[1:] or entries():
        body, truth = load(name)
        seen = observe(body, truth)
        print(f"== {name}")
        print(json.dumps(seen, ensure_ascii=False, indent=1)[:6000])


if __name__ == "__main__":
    main()
