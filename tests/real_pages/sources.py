"""SOURCES.md of the real-page corpus, written from the truth files (`python -m
tests.real_pages.sources` rewrites it; a test keeps it current)."""

from __future__ import annotations

from pathlib import Path

from tests.real_pages.harness import PAGES, entries, load

SOURCES = Path(__file__).with_name("SOURCES.md")

HEADER = """# Where each real page came from

Every page in `pages/` is a real government page kept as it was served or saved (see each
entry's source and notes); its `NAME.truth.json` holds what a person reads on it, checked by
hand. Generated from the truth files by `python -m tests.real_pages.sources`.

| page | kind | site | CMS | URL | source |
|---|---|---|---|---|---|
"""


def render() -> str:
    rows = []
    for name in entries():
        _, t = load(name)
        body = next(p.name for p in PAGES.glob(f"{name}.*") if not p.name.endswith(".truth.json"))
        cells = [
            body,
            t["kind"],
            t.get("site", ""),
            t.get("cms", ""),
            t["url"],
            t.get("source", ""),
        ]
        rows.append("| " + " | ".join(str(c).replace("|", "\\\\|") for c in cells) + " |")
    return HEADER + "\n".join(rows) + "\n"


if __name__ == "__main__":
    SOURCES.write_text(render(), encoding="utf-8")
