"""Evidence through the workspace: a finding's archived pages (the evidence archive) reached from
its card, replayed with nothing that runs, and never across units by changing an id."""

from __future__ import annotations

import sqlite3

import lxml.html
from web_helpers import logged_in

from reports.replay import CSP as REPLAY_CSP
from tests.conftest import add_capture
from zwgk import evidence as ev

URL = "http://www.yingjiang.example.gov.cn/xxgk/tzgg/"
AT = "2026-11-27T08:00:00+08:00"
PAGE = (
    "<html><head><title>通知公告</title><script>alert(1)</script></head>"
    '<body onload="steal()"><p>当时的页面：最新一条 2026-10-01</p></body></html>'
)


def _archive(workspace) -> int:
    """Capture one page of yingjiang's platform in run 2 and rest finding 1 on it."""
    folder = ev.archive_dir(workspace.db_path)
    writer = ev.ArchiveWriter(folder, 2)
    body = PAGE.encode()
    stored = writer.capture(URL, 200, [("Content-Type", "text/html; charset=utf-8")], body, AT)
    writer.close()
    conn = sqlite3.connect(workspace.db_path)
    with conn:
        cid = add_capture(conn, 2, 2, URL, AT, stored)
        conn.execute(
            "INSERT INTO finding_evidence (finding_id, url, run_id, capture_id) VALUES (1, ?, 2, ?)",
            [URL, cid],
        )
    conn.close()
    return cid


def test_a_finding_links_its_pages_as_seen_and_replays_them_without_scripts(workspace):
    cid = _archive(workspace)
    for user in ("sup", "ying"):
        client, _ = logged_in(workspace, user)
        card = client.get("/findings/1").text
        assert "/findings/1/evidence" in card and "证据存档（2026-11-27 08:00 所见）" in card
        assert "/findings/2/evidence" not in client.get("/findings/2").text  # nothing kept
        listing = client.get("/findings/1/evidence")
        assert listing.status_code == 200 and f'href="c{cid}.html"' in listing.text
        page = client.get(f"/findings/1/c{cid}.html")
        assert page.status_code == 200 and "当时的页面：最新一条 2026-10-01" in page.text
        assert page.headers["Content-Security-Policy"] == REPLAY_CSP
        doc = lxml.html.document_fromstring(page.text)
        assert not doc.xpath("//script") and not doc.xpath("//@onload")
        assert URL in page.text  # the banner names the original page


def test_another_units_evidence_is_not_found_by_any_id(workspace):
    cid = _archive(workspace)
    client, _ = logged_in(workspace, "jyj")  # unit B: findings 3, 4 and 6
    assert client.get("/findings/1/evidence").status_code == 404
    assert client.get(f"/findings/1/c{cid}.html").status_code == 404
    # its own finding's URL with unit A's capture id
    assert client.get(f"/findings/6/c{cid}.html").status_code == 404
    assert client.get("/findings/6/evidence").status_code == 404  # no pages kept for it
    sup, _ = logged_in(workspace, "sup")
    assert sup.get(f"/findings/1/c{cid + 1}.html").status_code == 404
