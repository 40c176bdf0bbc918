"""Benchmark 6: a page bomb. One column whose list page claims 99,999,999 pages, both ways TRS
pages say it (`createPageHTML(99999999, 0, "index", "html")` and `var countPage = 99999999`),
served on loopback; `zwgk run` crawls it and this prints the crawl's wall time, pages fetched
and the peak RSS of the largest process (the crawl). A bounded crawl reads at most
`max_pages_per_column` pages in flat time and memory, whatever the page claims.

    python -m bench.page_bomb [--count 99999999 --max-pages 50 --mem-limit-mib 2048 --timeout 180]

The run's address space is capped (RLIMIT_AS, inherited by the crawl) and the run is killed
after --timeout, so an unbounded pager shows as a MemoryError or a timeout, not a swapped-out
machine.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.common import DAY1, REPO, env, table, write_config

ITEMS_PER_PAGE = 20


def handler(count: int) -> type[BaseHTTPRequestHandler]:
    class Bomb(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            m = re.fullmatch(r"/tzgg/(?:index(?:_(\d+))?\.html)?", self.path)
            if not m:  # detail pages are not read (detail_pages: none); nothing else exists
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            page = int(m[1] or 0)
            rows = "".join(
                f'<li><a href="./202611/t20261101_{page * ITEMS_PER_PAGE + i}.html">'
                f"第{page}页第{i}条</a><span>2026-11-{i + 1:02d}</span></li>"
                for i in range(ITEMS_PER_PAGE)
            )
            body = (
                "<html><head><title>通知公告</title></head><body>"
                f'<div class="list"><ul>{rows}</ul></div>'
                f"<script>var countPage = {count}; var currentPage = {page};"
                f'createPageHTML({count}, {page}, "index", "html");</script>'
                "</body></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Bomb


def limit_memory(mib: int):
    def preexec() -> None:
        limit = mib * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return preexec


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=99_999_999, help="pages the list claims")
    ap.add_argument("--max-pages", type=int, default=50, help="crawl: max_pages_per_column")
    ap.add_argument("--mem-limit-mib", type=int, default=2048)
    ap.add_argument("--timeout", type=float, default=180)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zwgk-bench-bomb-"))
    config = write_config(
        work / "config.yaml", delay_seconds=0.001, autothrottle="false", detail_pages="none",
        max_pages_per_column=a.max_pages, retries=0,
    )  # fmt: skip
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(a.count))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    units = work / "units.yaml"
    units.write_text(
        f"units:\n  - code: bomb\n    name: 页数炸弹\n    kind: township\n"
        f"    disclosure: {site}/tzgg/index.html\n",
        encoding="utf-8",
    )
    db = work / "zwgk.db"
    t0 = time.monotonic()
    outcome = "completed"
    try:
        r = subprocess.run(
            [sys.executable, "-c", "from zwgk.cli import main; main()", "run", "--units",
             str(units), "--db", str(db), "--config", str(config), "--no-progress",
             "--now", DAY1],
            capture_output=True, text=True, env=env(), cwd=REPO, timeout=a.timeout,
            preexec_fn=limit_memory(a.mem_limit_mib),
        )  # fmt: skip
        if r.returncode != 0:
            outcome = f"exit {r.returncode}"
    except subprocess.TimeoutExpired:
        outcome = f"killed after {a.timeout:g} s"
    wall = time.monotonic() - t0
    server.shutdown()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pages, crawl_s, log_errors = 0, None, 0
    if db.exists():
        with sqlite3.connect(db) as conn:
            pages = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
            row = conn.execute("SELECT stats FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()
        stats = json.loads(row[0] or "{}") if row else {}
        crawl_s = stats.get("crawl_seconds")
        log = Path(stats.get("crawl_log", work / "logs" / "crawl-1.log"))
        if log.exists():
            text = log.read_text(encoding="utf-8", errors="replace")
            log_errors = text.count("MemoryError")
    table(
        f"Page bomb: one list page claiming {a.count:,} pages, max_pages_per_column "
        f"{a.max_pages}, RLIMIT_AS {a.mem_limit_mib} MiB",
        ["run", "wall s", "crawl s", "pages fetched", "peak RSS MiB", "MemoryErrors in log"],
        [[outcome, f"{wall:.1f}", crawl_s if crawl_s is not None else "-", pages,
          f"{peak:.0f}", log_errors]],
    )  # fmt: skip
    print(f"work dir: {work}")


if __name__ == "__main__":
    main()
