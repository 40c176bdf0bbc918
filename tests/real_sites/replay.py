"""Replay archived pages of a real site at their original URLs, on loopback.

The crawler runs with `http_proxy=http://127.0.0.1:PORT`, so Scrapy's HttpProxyMiddleware sends
every http:// request here with its absolute URL in the request line; the server answers from
`ROOT/<host>/<path>` (a path ending in `/` is `index.html`) and 404s anything not archived.
`https_proxy` points here too: a CONNECT (an https:// link) is refused with 403, so no request
can leave loopback. Every request is recorded (`Replay.requests`) for the test to check.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent


@dataclass
class Replay:
    root: Path
    port: int = 0
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, target as sent)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def proxy(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def file_for(self, target: str, host_header: str | None) -> Path | None:
        parts = urlsplit(target)
        host = (parts.hostname or (host_header or "").split(":")[0]).lower()
        path = unquote(parts.path or "/")
        if path.endswith("/"):
            path += "index.html"
        base = (self.root / host).resolve()
        f = (base / path.lstrip("/")).resolve()
        if base not in f.parents or not f.is_file():
            return None
        return f


def _handler(replay: Replay) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def _record(self) -> None:
            with replay.lock:
                replay.requests.append((self.command, self.path))

        def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_CONNECT(self) -> None:  # https:// through the proxy: never tunnel anywhere
            self._record()
            self._send(403, b"replay: no tunnels")
            self.close_connection = True

        def do_GET(self) -> None:
            self._record()
            f = replay.file_for(self.path, self.headers.get("Host"))
            if f is None:
                self._send(404, b"<html><body>not archived</body></html>")
            else:
                self._send(200, f.read_bytes())

        do_HEAD = do_GET

        def do_POST(self) -> None:
            self._record()
            self._send(404, b"<html><body>not archived</body></html>")

    return Handler


@contextmanager
def replay_site(root: Path):
    """Serve `root` (laid out as <host>/<path>) as a forward proxy on 127.0.0.1."""
    replay = Replay(root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(replay))
    replay.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield replay
    finally:
        server.shutdown()
        server.server_close()
