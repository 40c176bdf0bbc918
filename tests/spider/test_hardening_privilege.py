"""Least privilege: a crawl opens no listening socket (Scrapy's Telnet console and 2.13+
RemoteControl server are off) and writes nothing under $HOME (RemoteControl's token files)."""

from __future__ import annotations

import threading
import time
from contextlib import suppress
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from crawler import settings
from crawler.distributed import worker_settings
from tests.conftest import crawl_units, loopback_site
from tests.spider.test_robustness import scrapy_pids

LIST = (
    "<html><body><div class='list'><ul>"
    "<li><a href='./t20261120_1.html'>通知一</a><span>2026-11-20</span></li>"
    "</ul></div></body></html>"
).encode()


class Slow(BaseHTTPRequestHandler):
    """A one-column site that takes a while, so the crawl process can be inspected alive."""

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        time.sleep(0.5)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(LIST)))
        self.end_headers()
        self.wfile.write(LIST)


def listening_inodes(pid: int) -> set[str]:
    """Socket inodes the process holds that are in LISTEN state (TCP v4/v6)."""
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().as_posix()
        except OSError:
            continue
        if target.startswith("socket:["):
            held.add(target[8:-1])
    listening = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A":  # TCP_LISTEN
                listening.add(fields[9])
    return held & listening


def test_settings_disable_local_endpoints() -> None:
    assert settings.TELNETCONSOLE_ENABLED is False
    assert settings.REMOTE_CONTROL_ENABLED is False
    assert settings.EXTENSIONS["scrapy.extensions.telnet.TelnetConsole"] is None
    assert settings.EXTENSIONS["scrapy.extensions.remote_control.RemoteControl"] is None
    worker = worker_settings("p", "redis://127.0.0.1:1/0", items_to_redis=False)
    assert worker["TELNETCONSOLE_ENABLED"] == worker["REMOTE_CONTROL_ENABLED"] == "False"


def test_a_crawl_listens_on_nothing_and_leaves_home_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(var, raising=False)
    db = tmp_path / "z.db"
    seen: dict[int, set[str]] = {}
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for pid in scrapy_pids(db):
                with suppress(OSError):  # the crawl ended between listing and reading
                    seen.setdefault(pid, set()).update(listening_inodes(pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    with loopback_site(Slow) as site:
        try:
            crawl_units(
                tmp_path,
                f"units:\n  - code: s\n    name: 慢站\n    kind: township\n"
                f"    disclosure: {site}/tzgg/\n",
                crawl="{delay_seconds: 0.001, autothrottle: false, detail_pages: new}",
            )
        finally:
            done.set()
            watcher.join()
    assert seen, "the crawl process was never observed"
    assert not any(seen.values()), f"the crawl listened on sockets: {seen}"
    assert list(home.rglob("*")) == [], "the crawl wrote under $HOME"
