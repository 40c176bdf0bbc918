"""Small shared pieces of the spider: request priorities, the column state that travels in
request meta, header access."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.http import Response

ATTACHMENTS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".rar", ".wps", ".ofd")
PRIORITY = {"home": 40, "root": 40, "catalog": 30, "api": 20, "list": 20, "detail": 0}


def header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def new_col(url: str, name: str, path: Iterable[str]) -> dict[str, Any]:
    """A column's crawl state; it travels from page to page in request meta."""
    path = [p for p in path if p]
    return {
        "url": url,
        "name": name or (path[-1] if path else url),
        "path": path,
        "pages": 0,
        "items": 0,
        "queue": [],
        "seen": [],
        "etag": None,
        "lm": None,
    }
