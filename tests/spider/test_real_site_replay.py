"""`zwgk run` against a real site's archived pages, replayed at their original URLs on loopback.

The units file names the real URL (http://www.pingtan.gov.cn/...); `http_proxy` sends every
request to tests/real_sites/replay.py, which answers from the archive and 404s the rest. Truth is
what the archived pages show (tests/real_sites/pingtan/truth.json, read by hand): the six 规划信息
columns, reached from the entry column through its 更多栏目 menu.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import zwgk
from tests.real_sites.replay import HERE, replay_site

SITE = HERE / "pingtan"
TRUTH = json.loads((SITE / "truth.json").read_text("utf-8"))
NOW = "2026-09-10T12:00:00+08:00"  # the capture date (SOURCES.md)
ENTRY = "http://www.pingtan.gov.cn/zwgk/ghxx/ztgh/"
BINDINGS = {"el.chnldocurl", "rel.url", "logoutUrl"}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("replay")
    (work / "units.yaml").write_text(
        "units:\n  - code: pingtan\n    name: 平潭综合实验区\n    kind: county\n"
        f"    disclosure: {ENTRY}\n",
        encoding="utf-8",
    )
    (work / "config.yaml").write_text(
        "crawl: {delay_seconds: 0.001, autothrottle: false, detail_pages: none, timeout_seconds: 10,"
        " retries: 0}\n",
        encoding="utf-8",
    )
    saved = {k: os.environ.get(k) for k in ("http_proxy", "https_proxy", "no_proxy", "NO_PROXY",
                                            "HTTP_PROXY", "HTTPS_PROXY")}  # fmt: skip
    with replay_site(SITE) as replay:
        for k in saved:
            os.environ.pop(k, None)
        os.environ["http_proxy"] = os.environ["https_proxy"] = replay.proxy
        try:
            db = work / "z.db"
            run = zwgk("run", "--units", str(work / "units.yaml"), "--db", str(db),
                       "--config", str(work / "config.yaml"), "--no-progress", now=NOW,
                       timeout=60)  # fmt: skip
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        requests = list(replay.requests)
    cols = json.loads(zwgk("columns", "--db", str(db), "--format", "json").stdout)
    return run, db, cols, requests


def stored_items(db: Path) -> dict[str, dict[str, str | None]]:
    con = sqlite3.connect(db)
    got: dict[str, dict[str, str | None]] = {}
    for col_url, url, pub in con.execute(
        "SELECT c.url, i.url, i.pub_date FROM items i JOIN columns c USING (column_id)"
    ):
        got.setdefault(col_url, {})[url] = pub
    return got


def test_run_completes_and_every_request_came_to_the_replay(crawl) -> None:
    run, _db, _cols, requests = crawl
    assert run.returncode in (0, 1), run.stderr[-2000:]
    assert requests, "no request reached the replay server"
    # Every request the crawler made was a proxied absolute URL (or a refused CONNECT): none
    # went anywhere but 127.0.0.1.
    for method, target in requests:
        assert method == "CONNECT" or target.startswith("http://www.pingtan.gov.cn/"), target
    assert ("GET", ENTRY) in requests
    # avalon bindings (<a ms-attr-href="el.chnldocurl">, "rel.url", "logoutUrl") are no links:
    # checking them once reported three broken links on every column.
    assert not [t for _m, t in requests if t.rsplit("/", 1)[-1] in BINDINGS]


def test_archived_column_found(crawl) -> None:
    _run, _db, cols, _requests = crawl
    found = {c["column_url"] for c in cols}
    for col in TRUTH["columns"]:
        assert col["url"] in found, (col["url"], sorted(found))


def test_first_block_items_exact(crawl) -> None:
    """The first ms-visible block (5 items): URLs and dates exactly as archived."""
    _run, db, _cols, _requests = crawl
    col = TRUTH["columns"][0]
    have = stored_items(db).get(col["url"], {})
    want = {i["url"]: i["date"] for i in col["items"][:5]}
    assert {u: have.get(u) for u in want} == want


def test_every_archived_item_exact(crawl) -> None:
    _run, db, _cols, _requests = crawl
    for col in TRUTH["columns"]:
        have = stored_items(db).get(col["url"], {})
        want = {i["url"]: i["date"] for i in col["items"]}
        assert have == want, col["url"]


def test_inventory_is_exactly_what_the_archive_served(crawl) -> None:
    """Items land only in the archived columns, and in all of them: 201 rows in six lists."""
    _run, db, _cols, requests = crawl
    got = {col: set(items) for col, items in stored_items(db).items() if items}
    want = {c["url"]: {i["url"] for i in c["items"]} for c in TRUTH["columns"]}
    assert got == want
    assert sum(len(v) for v in want.values()) == 201
    for col in TRUTH["columns"]:  # every sibling was fetched once the menu named it
        assert ("GET", col["url"]) in requests, col["url"]
