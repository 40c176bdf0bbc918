"""StorePipeline on its own: what a detail page read through one column gives the same item
listed in another column of the site, and that list pages of a site with no read details skip
the lookup."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from scrapy.settings import Settings

from crawler.extract.types import ListItem
from crawler.items import ColumnRecord, DetailRecord, ListRecord, PageRecord, Records
from crawler.pipelines import StorePipeline
from zwgk import store
from zwgk.units import load_units

SITE = "http://127.0.0.1:9/xxgk/"
ITEM = SITE + "a/202611/t20261120_1.html"


def pipeline(tmp_path: Path) -> tuple[StorePipeline, list[str]]:
    units = tmp_path / "units.yaml"
    units.write_text(
        f"units:\n  - code: u\n    name: U\n    kind: county\n    disclosure: {SITE}\n",
        encoding="utf-8",
    )
    db = store.open_db(tmp_path / "z.db")
    store.sync_units(db, load_units(units))
    run_id = store.start_run(db)
    db.conn.close()
    spider = SimpleNamespace(run_id=run_id, db_path=str(tmp_path / "z.db"))
    p = StorePipeline.from_crawler(SimpleNamespace(settings=Settings(), spider=spider))
    p.open_spider()
    statements: list[str] = []
    p.conn.set_trace_callback(statements.append)
    return p, statements


def column(name: str) -> ColumnRecord:
    return ColumnRecord("u", "disclosure", SITE + name + "/", name, name, "notice", "name", None)


def listed(name: str, dated: bool) -> ListRecord:
    item = ListItem(title="通知", url=ITEM)
    if dated:
        item.date, item.date_source = date(2026, 11, 20), "list"
    return ListRecord("u", "disclosure", SITE + name + "/", [item], first_page=True)


def test_a_read_detail_page_serves_the_item_in_every_column(tmp_path: Path) -> None:
    p, statements = pipeline(tmp_path)
    p.process_item(Records([column("a"), column("b"), listed("a", dated=False)]))
    assert not any("UPDATE items SET detail_fetched = o." in s for s in statements)
    p.process_item(
        DetailRecord("u", "disclosure", ITEM, pub_date="2026-11-19", index_no="X-2026-001")
    )
    p.process_item(Records([listed("b", dated=False)]))
    assert any("UPDATE items SET detail_fetched = o." in s for s in statements)
    p.close_spider()
    rows = sqlite3.connect(tmp_path / "z.db").execute(
        "SELECT c.name, i.detail_fetched, i.pub_date, i.date_source, i.index_no"
        " FROM items i JOIN columns c USING (column_id) ORDER BY c.name"
    )
    assert rows.fetchall() == [
        ("a", 1, "2026-11-19", "detail", "X-2026-001"),
        ("b", 1, "2026-11-19", "detail", "X-2026-001"),
    ]


def test_a_later_run_knows_the_sites_read_details_from_the_store(tmp_path: Path) -> None:
    p, _ = pipeline(tmp_path)
    p.process_item(Records([column("a"), column("b"), listed("a", dated=True)]))
    p.process_item(
        DetailRecord("u", "disclosure", ITEM, pub_date="2026-11-20", doc_no="〔2026〕1号")
    )
    p.close_spider()
    again = StorePipeline.from_crawler(
        SimpleNamespace(
            settings=Settings(),
            spider=SimpleNamespace(run_id=p.run_id, db_path=str(tmp_path / "z.db")),
        )
    )
    again.open_spider()
    again.process_item(Records([listed("b", dated=True)]))
    again.close_spider()
    doc_nos = sqlite3.connect(tmp_path / "z.db").execute("SELECT doc_no FROM items").fetchall()
    assert doc_nos == [("〔2026〕1号",), ("〔2026〕1号",)]


def test_related_links_are_stored_cleaned_and_replaced_when_read_again(tmp_path: Path) -> None:
    p, _ = pipeline(tmp_path)
    p.process_item(Records([column("a"), column("b"), listed("a", dated=True)]))
    p.process_item(Records([listed("b", dated=True)]))
    evil = "'); DROP TABLE items; --"
    related = [
        ("http://x.test/j.html", " 关于《X办法》的\x00解读 "),
        ("http://x.test/k.html", evil),
    ]
    p.process_item(DetailRecord("u", "disclosure", ITEM, pub_date="2026-11-20", related=related))
    p.process_item(
        DetailRecord("u", "disclosure", ITEM, pub_date="2026-11-20", related=related[1:])
    )
    p.process_item(DetailRecord("u", "disclosure", ITEM + "?none", related=None))
    p.close_spider()
    db = sqlite3.connect(tmp_path / "z.db")
    assert db.execute("SELECT page_url, url, text FROM detail_links").fetchall() == [
        (ITEM, "http://x.test/k.html", evil)
    ]
    assert db.execute("SELECT related_links FROM items").fetchall() == [(1,), (1,)]
    p, _ = pipeline(tmp_path)
    p.process_item(DetailRecord("u", "disclosure", ITEM, related=related[:1]))
    p.close_spider()
    # clean() drops the control character (outer spaces are the extractor's to trim)
    assert db.execute("SELECT text FROM detail_links").fetchall() == [(" 关于《X办法》的解读 ",)]


def test_one_bad_record_does_not_lose_the_rest_of_its_page(tmp_path: Path, caplog) -> None:
    from crawler.items import ColumnDone

    p, _ = pipeline(tmp_path)
    stranger = ListRecord("nobody", "disclosure", SITE + "a/", [], first_page=True)
    p.process_item(
        Records([column("a"), stranger, ColumnDone("u", "disclosure", SITE + "a/", "ok", 1, 0)])
    )
    p.close_spider()
    assert "Error processing" in caplog.text and "nobody" in caplog.text
    runs = sqlite3.connect(tmp_path / "z.db").execute("SELECT status FROM column_runs").fetchall()
    assert runs == [("ok",)]


def test_an_external_section_is_stored_and_carried_with_a_reused_catalog(tmp_path: Path) -> None:
    """What the spider yields for a catalog entry outside the unit's hosts (a provincial
    依申请公开 platform): stored with external = 1 and no status; a later run that reuses the
    unchanged catalog carries it along, still external; an ordinary section stays 0."""
    from crawler.items import SectionRecord, SiteInfo

    outside = "https://ysqgk.province.test/apply?unit=u"
    p, _ = pipeline(tmp_path)
    p.process_item(
        Records(
            [
                SectionRecord("u", "disclosure", "request", "依申请公开", outside, None, True,
                              external=True),
                SectionRecord("u", "disclosure", "guide", "政府信息公开指南", SITE + "zn/", 200,
                              True),
                SiteInfo("u", "disclosure", catalog_sig="sig-1"),
            ]
        )
    )  # fmt: skip
    p.close_spider()
    db = store.open_db(tmp_path / "z.db")
    run2 = store.start_run(db)
    db.conn.close()
    again = StorePipeline.from_crawler(
        SimpleNamespace(
            settings=Settings(),
            spider=SimpleNamespace(run_id=run2, db_path=str(tmp_path / "z.db")),
        )
    )
    again.open_spider()
    again.process_item(SiteInfo("u", "disclosure", catalog_sig="sig-1", reused=True))
    again.close_spider()
    rows = sqlite3.connect(tmp_path / "z.db").execute(
        "SELECT run_id, section, url, status, ok, external FROM sections ORDER BY run_id, section"
    )
    assert rows.fetchall() == [
        (p.run_id, "guide", SITE + "zn/", 200, 1, 0),
        (p.run_id, "request", outside, None, 1, 1),
        (run2, "guide", SITE + "zn/", 200, 1, 0),
        (run2, "request", outside, None, 1, 1),
    ]


def test_page_metas_are_tallied_per_site_and_kind_across_commits_and_workers(
    tmp_path: Path,
) -> None:
    """meta-missing's store: counts add up over flushes and over a second pipeline (another
    worker of a distributed run); each tally keeps its first 3 example URLs; SiteIDCode values
    are counted per value; nothing is written per page."""
    from crawler.items import PageMeta

    def detail(n: int, code: str = "3408000001") -> PageMeta:
        return PageMeta("u", "disclosure", "detail", f"{SITE}d/{n}.html", "", "ContentSource", code)

    p, statements = pipeline(tmp_path)
    p.process_item(Records([detail(1), detail(2)]))
    p.process_item(
        Records([PageMeta("u", "disclosure", "home", SITE, "SiteDomain", "", "3408000001")])
    )
    assert not any("page_meta" in s for s in statements)  # tallied in memory until a commit
    p.flush_meta()
    p.process_item(Records([detail(3), detail(4, "3408000099")]))
    p.close_spider()
    other = StorePipeline.from_crawler(
        SimpleNamespace(
            settings=Settings(),
            spider=SimpleNamespace(run_id=p.run_id, db_path=str(tmp_path / "z.db")),
        )
    )
    other.open_spider()
    other.process_item(Records([detail(5)]))
    other.close_spider()
    conn = sqlite3.connect(tmp_path / "z.db")
    rows = [
        (*r[:4], json.loads(r[4]))
        for r in conn.execute(
            "SELECT kind, tag, state, pages, examples FROM page_meta ORDER BY kind, tag, state"
        )
    ]
    urls = [f"{SITE}d/{n}.html" for n in (1, 2, 3)]
    assert rows == [
        ("detail", "", "checked", 5, urls),
        ("detail", "ContentSource", "empty", 5, urls),
        ("home", "", "checked", 1, [SITE]),
        ("home", "SiteDomain", "absent", 1, [SITE]),
    ]
    codes = conn.execute(
        "SELECT kind, value, pages, example_url FROM page_site_codes ORDER BY kind, value"
    ).fetchall()
    assert codes == [
        ("detail", "3408000001", 4, f"{SITE}d/1.html"),
        ("detail", "3408000099", 1, f"{SITE}d/4.html"),
        ("home", "3408000001", 1, SITE),
    ]


def test_a_capture_is_its_pages_row_and_its_payloads_record(tmp_path: Path) -> None:
    """The evidence rows of each fetch (m017): the capture id is the page id; a new payload
    adds its record, a known one (archived before, warc None) and a 304 answer point at the
    record already there (a 304's: the URL's latest capture's); a 304 with nothing captured
    before, or a page without a body, has no capture."""
    p, _ = pipeline(tmp_path)
    one, two = SITE + "1.html", SITE + "2.html"

    def page(url, status=200, sha=None, warc=None, offset=None):
        rec = PageRecord("u", "disclosure", url, "list", status, 10, 5, sha256=sha, warc=warc,
                         offset=offset, length=50 if warc else None)  # fmt: skip
        p.process_item(Records([rec]))

    page(two, 304)  # nothing captured for it yet
    page(one, sha="a" * 64, warc="run-1-1.warc.gz", offset=0)
    page(two, sha="a" * 64)  # the same payload elsewhere: already archived
    page(one, sha="b" * 64, warc="run-1-1.warc.gz", offset=50)
    page(one, 304)  # confirms b, the URL's latest
    page(two, 304)  # confirms a
    page(one, status=500)  # an error: no body, no capture
    page(two, sha="b" * 64, warc="run-1-2.warc.gz", offset=0)  # another process stored b first
    p.close_spider()
    conn = sqlite3.connect(tmp_path / "z.db")
    rows = conn.execute(
        "SELECT p.page_id, p.url, p.status, c.capture_id, r.sha256 FROM pages p"
        " LEFT JOIN captures c ON c.capture_id = p.page_id"
        " LEFT JOIN evidence_records r ON r.record_id = c.record_id ORDER BY p.page_id"
    ).fetchall()
    assert [(url, status, cid == pid, sha and sha[0]) for pid, url, status, cid, sha in rows] == [
        (two, 304, False, None),
        (one, 200, True, "a"),
        (two, 200, True, "a"),
        (one, 200, True, "b"),
        (one, 304, True, "b"),
        (two, 304, True, "a"),
        (one, 500, False, None),
        (two, 200, True, "b"),
    ]
    records = conn.execute("SELECT sha256, warc, offset, length FROM evidence_records").fetchall()
    assert sorted(records) == [
        ("a" * 64, "run-1-1.warc.gz", 0, 50),
        ("b" * 64, "run-1-1.warc.gz", 50, 50),
    ]
