"""A large generated farm for benchmarks and the distributed tests: N sites x M columns of
TRS-style list pages, generated on the fly from the URL (nothing pre-rendered), served by one
asyncio process on one port over many loopback addresses (site i answers on 127.2.X.Y).

Every request is logged to `DIR/access.log` as `unix_time<TAB>host<TAB>path<TAB>status`, so a
benchmark can measure the request rate each host saw. Day 2 adds new items at the top of every
`new_every`-th column; unchanged pages answer 304 to If-None-Match.

    python -m bench.bigfarm DIR --sites 200 --columns 50      # serve until SIGTERM
    with BigFarm(dir, sites=20, columns=10) as farm: farm.units_path, farm.set_day(2)
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONTROL = "127.2.0.1"
SECTIONS = ("法定主动公开内容", "部门文件", "工作信息", "财政信息", "其他信息")
NAMES = ("通知公告", "工作动态", "政策文件", "规划计划", "人事信息", "统计数据", "财政预决算")


@dataclass(frozen=True, slots=True)
class Shape:
    sites: int = 20
    columns: int = 10
    per_page: int = 20
    max_items: int = 45  # a column holds 3 + (hash % max_items) items on day 1
    new_every: int = 4  # day 2: every 4th column gains `new_items` items
    new_items: int = 2
    day1: str = "2026-11-29"


def site_ip(i: int) -> str:
    n = i + 2  # 127.2.0.1 is the control address
    return f"127.2.{n // 250}.{1 + n % 250}"


def site_index(ip: str) -> int | None:
    parts = ip.split(".")
    if len(parts) != 4 or parts[:2] != ["127", "2"]:
        return None
    return int(parts[2]) * 250 + int(parts[3]) - 1 - 2


def h(*parts: object) -> int:
    return int.from_bytes(hashlib.blake2b(repr(parts).encode(), digest_size=4).digest(), "big")


class Model:
    """Everything a URL needs, computed from (site, column, day)."""

    def __init__(self, shape: Shape) -> None:
        self.s = shape
        self.day1 = date.fromisoformat(shape.day1)

    def total(self, site: int, col: int, day: int) -> int:
        n = 3 + h("n", site, col) % self.s.max_items
        if day >= 2 and col % self.s.new_every == 0:
            n += self.s.new_items
        return n

    def pages(self, site: int, col: int, day: int) -> int:
        return max(1, -(-self.total(site, col, day) // self.s.per_page))

    def item_date(self, site: int, col: int, item_id: int) -> date:
        """Item ids count from the oldest (1); day-1 items keep their dates on day 2, whose new
        items are dated day 2."""
        n1 = self.total(site, col, 1)
        if item_id > n1:
            return self.day1 + timedelta(days=1)
        return self.day1 - timedelta(days=(n1 - item_id) * (1 + h("g", site, col) % 5))

    def column_name(self, col: int) -> str:
        return f"{NAMES[col % len(NAMES)]}{col:02d}"

    def truth(self, day: int, port: int) -> dict:
        cols = items = 0
        for s in range(self.s.sites):
            for c in range(self.s.columns):
                cols += 1
                items += self.total(s, c, day)
        return {"columns": cols, "items": items, "sites": self.s.sites}


def page_html(title: str, body: str, metas: str = "") -> bytes:
    return (
        '<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; '
        f'charset=utf-8" />\n<title>{title}</title>\n{metas}</head>\n<body>\n'
        f'<div class="header"><div class="logo">{title}</div></div>\n{body}\n'
        '<div class="footer">主办单位：基准测试 版权所有</div>\n</body></html>\n'
    ).encode()


class Renderer:
    def __init__(self, model: Model) -> None:
        self.m = model
        self._nav: dict[int, str] = {}

    def nav(self, site: int) -> str:
        if site not in self._nav:
            out = ['<ul class="left-nav">']
            cols = self.m.s.columns
            per = -(-cols // len(SECTIONS))
            for k, sec in enumerate(SECTIONS):
                chunk = range(k * per, min(cols, (k + 1) * per))
                if not chunk:
                    continue
                out.append(f'<li><span class="node">{sec}</span><ul class="sub">')
                for c in chunk:
                    name = self.m.column_name(c)
                    out.append(
                        f'<li><a href="/xxgk/c{c:03d}/index.html" title="{name}">{name}</a></li>'
                    )
                out.append("</ul></li>")
            out.append("</ul>")
            self._nav[site] = "\n".join(out)
        return self._nav[site]

    def catalog(self, site: int) -> bytes:
        body = (
            '<div class="position">当前位置：<a href="/">首页</a> &gt; 政府信息公开</div>'
            '<div class="wrap"><div class="left"><h3>政府信息公开目录</h3>'
            f"{self.nav(site)}</div></div>"
        )
        return page_html(f"站点{site}政府信息公开", body, '<meta name="SiteIDCode" content="">')

    def list_page(self, site: int, col: int, index: int, day: int) -> bytes | None:
        total = self.m.total(site, col, day)
        count = self.m.pages(site, col, day)
        if index >= count:
            return None
        per = self.m.s.per_page
        rows = []
        top = total - index * per
        for item_id in range(top, max(0, top - per), -1):
            d = self.m.item_date(site, col, item_id)
            title = f"关于站点{site}栏目{col}第{item_id}号事项的通知"
            rows.append(
                f'<li><a href="./{d:%Y%m}/t{d:%Y%m%d}_{item_id}.html" target="_blank" '
                f'title="{title}">{title}</a><span class="date">{d.isoformat()}</span></li>'
            )
        name = self.m.column_name(col)
        body = (
            f'<div class="position">当前位置：<a href="/">首页</a> &gt; '
            f'<a href="/xxgk/">政府信息公开</a> &gt; {name}</div>\n'
            f'<div class="wrap"><div class="left">{self.nav(site)}</div><div class="right">'
            f'<div class="lm_title">{name}</div>\n<ul class="list">{"".join(rows)}</ul>\n'
            f'<div class="page"><script type="text/javascript">createPageHTML({count}, {index},'
            f' "index", "html");</script></div></div></div>'
        )
        metas = f'<meta name="ColumnName" content="{name}">'
        return page_html(f"{name}_站点{site}", body, metas)

    def detail(self, site: int, col: int, ym: str, stamp: str, item_id: int) -> bytes:
        d = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}"
        title = f"关于站点{site}栏目{col}第{item_id}号事项的通知"
        body = (
            f'<div class="article"><h1 class="title">{title}</h1>'
            f'<div class="info"><span class="time">发布日期：{d}</span>'
            f"<span>来源：站点{site}办公室</span></div>"
            f'<div class="TRS_Editor"><p>　　{title}。现将有关事项公开如下。</p></div></div>'
        )
        metas = f'<meta name="PubDate" content="{d} 09:00">'
        return page_html(title, body, metas)


class FarmServer:
    def __init__(self, shape: Shape, log_path: Path | None) -> None:
        self.model = Model(shape)
        self.render = Renderer(self.model)
        self.day = 1
        self.log_path = log_path
        self.log: list[str] = []

    def route(self, host: str, method: str, path: str, headers: dict[str, str]):
        if host == CONTROL:
            if path.startswith("/__farm__/day"):
                if method == "POST" and "n=" in path:
                    self.day = int(path.rsplit("n=", 1)[1])
                return 200, {"Content-Type": "application/json"}, b'{"day": %d}' % self.day
            return 404, {}, b"control"
        site = site_index(host)
        if site is None or site >= self.model.s.sites:
            return 404, {}, b"no such site"
        path = path.split("?", 1)[0]
        ctype = {"Content-Type": "text/html; charset=utf-8"}
        if path in ("/", "/xxgk/", "/xxgk/index.html"):
            return 200, ctype, self.render.catalog(site)
        parts = path.strip("/").split("/")
        if len(parts) >= 3 and parts[0] == "xxgk" and parts[1].startswith("c"):
            try:
                col = int(parts[1][1:])
            except ValueError:
                return 404, ctype, b"not found"
            leaf = parts[-1]
            if len(parts) == 3 and leaf.startswith("index"):
                stem = leaf.rsplit(".", 1)[0]
                index = int(stem.split("_", 1)[1]) if "_" in stem else 0
                etag = f'"{site}-{col}-{index}-{self.model.total(site, col, self.day)}"'
                if headers.get("if-none-match") == etag:
                    return 304, {"ETag": etag}, b""
                body = self.render.list_page(site, col, index, self.day)
                if body is not None and col < self.model.s.columns:
                    return 200, {**ctype, "ETag": etag}, body
            elif len(parts) == 4 and leaf.startswith("t") and "_" in leaf:
                stamp, rest = leaf[1:].split("_", 1)
                item_id = int(rest.split(".", 1)[0])
                return 200, ctype, self.render.detail(site, col, parts[2], stamp, item_id)
        return 404, ctype, b"<html><body><h1>404 Not Found</h1></body></html>"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                n = int(headers.get("content-length") or 0)
                if n:
                    await reader.readexactly(n)
                status, hdrs, body = self.route(host, method, path, headers)
                self.log.append(f"{time.time():.4f}\t{host}\t{path}\t{status}\n")
                out = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}"]
                out += [f"{k}: {v}" for k, v in hdrs.items()]
                writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + body)
                if headers.get("connection", "").lower() == "close":
                    break
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    async def flush_log(self) -> None:
        while True:
            await asyncio.sleep(0.2)
            self.flush()

    def flush(self) -> None:
        if self.log and self.log_path is not None:
            chunk, self.log = self.log, []
            with open(self.log_path, "a", encoding="utf-8") as fh:
                fh.writelines(chunk)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((CONTROL, 0))
        return s.getsockname()[1]


async def serve(directory: Path, shape: Shape) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "ready.json").unlink(missing_ok=True)
    log = directory / "access.log"
    log.write_text("")
    farm = FarmServer(shape, log)
    ips = [CONTROL] + [site_ip(i) for i in range(shape.sites)]
    for _ in range(30):
        port = free_port()
        try:
            server = await asyncio.start_server(
                farm.handle, host=ips, port=port, reuse_address=True, backlog=1024
            )
            break
        except OSError:
            continue
    else:
        raise OSError("cannot bind the big farm's addresses on one port")
    units = ["units:"]
    for i in range(shape.sites):
        units += [
            f"  - code: s{i:04d}",
            f"    name: 基准站点{i}",
            "    kind: county",
            f"    disclosure: http://{site_ip(i)}:{port}/xxgk/",
        ]
    (directory / "units.yaml").write_text("\n".join(units) + "\n", encoding="utf-8")
    ready = {"port": port, "pid": os.getpid(), "shape": asdict(shape)}
    (directory / "ready.json").write_text(json.dumps(ready))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    flusher = asyncio.create_task(farm.flush_log())
    async with server:
        await stop.wait()
    flusher.cancel()
    farm.flush()


class BigFarm:
    """The farm in a subprocess (its own core, not our GIL)."""

    def __init__(self, directory: Path, **shape: int | str) -> None:
        self.dir = Path(directory)
        self.shape = Shape(**shape)
        self.proc: subprocess.Popen | None = None
        self.port = 0

    @property
    def units_path(self) -> Path:
        return self.dir / "units.yaml"

    @property
    def access_log(self) -> Path:
        return self.dir / "access.log"

    def truth(self, day: int = 1) -> dict:
        return Model(self.shape).truth(day, self.port)

    def start(self) -> BigFarm:
        self.dir.mkdir(parents=True, exist_ok=True)
        ready = self.dir / "ready.json"
        ready.unlink(missing_ok=True)
        args = [sys.executable, "-m", "bench.bigfarm", str(self.dir)]
        for k, v in asdict(self.shape).items():
            args += [f"--{k.replace('_', '-')}", str(v)]
        env = dict(
            os.environ,
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        )
        self.proc = subprocess.Popen(args, cwd=REPO, env=env)
        deadline = time.monotonic() + 30
        while not ready.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"big farm did not start (exit {self.proc.returncode})")
            time.sleep(0.05)
        self.port = json.loads(ready.read_text())["port"]
        return self

    def set_day(self, n: int) -> None:
        req = urllib.request.Request(
            f"http://{CONTROL}:{self.port}/__farm__/day?n={n}", method="POST", data=b""
        )
        with urllib.request.urlopen(req, timeout=5) as r:
            r.read()

    def hits(self) -> list[tuple[float, str, str, int]]:
        """(time, host, path, status) for every request so far (the log is flushed every 0.2 s)."""
        time.sleep(0.3)
        out = []
        for line in self.access_log.read_text(encoding="utf-8").splitlines():
            t, host, path, status = line.split("\t")
            out.append((float(t), host, path, int(status)))
        return out

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> BigFarm:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    for f, default in asdict(Shape()).items():
        ap.add_argument(f"--{f.replace('_', '-')}", type=type(default), default=default)
    a = ap.parse_args()
    shape = Shape(**{f: getattr(a, f) for f in asdict(Shape())})
    asyncio.run(serve(a.dir, shape))


if __name__ == "__main__":
    main()
