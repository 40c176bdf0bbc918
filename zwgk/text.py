"""Text from the web, made safe once where it enters the store (crawler/pipelines.py), so every
reader (checks, HTML pages, workbooks, JSON exports) sees the same clean strings.

Removed: Unicode non-characters (U+FDD0..U+FDEF and the last two code points of every plane),
lone surrogates, C0/C1 controls other than tab and line breaks, bidi embeddings, overrides and
isolates (they reorder what a supervisor reads: a title can be made to show another text) and
zero-width characters (they make two equal-looking titles differ). In single-line fields, tab and
line breaks become spaces; in multi-line ones, line breaks become \\n.

This is core (no crawler import): the reports may use `clean` on anything older stores hold.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

_PLANE_ENDS = "".join(chr(p << 16 | 0xFFFE) + chr(p << 16 | 0xFFFF) for p in range(1, 17))
_REMOVE = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 (not \t \n \r), DEL, C1
    "\ud800-\udfff"  # surrogates: only ever lone in a str
    "\u200b-\u200d\u2060\ufeff"  # zero width space / non-joiner / joiner, word joiner, BOM
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides and isolates
    "\ufdd0-\ufdef\ufffe\uffff" + _PLANE_ENDS + "]"
)
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
_SPACES = re.compile("\r\n|[\t\n\r\u2028\u2029]")
_SUSPECT = re.compile(_REMOVE.pattern[:-1] + "\t\n\r\u2028\u2029]")

# Fields that keep their line breaks (our own error text, which may quote a page); every other
# text field is one line.
MULTILINE_FIELDS = frozenset({"error"})


def clean(text: str, single_line: bool = True) -> str:
    """`text` without the characters above (unchanged, and cheap, when it has none)."""
    # isprintable() is False for every character we remove or respace (controls, format and
    # unassigned code points, surrogates, line breaks), so a clean title costs one C-speed scan;
    # the regex then decides (U+3000, say, is not "printable" yet stays).
    if text.isprintable() or not _SUSPECT.search(text):
        return text
    text = _REMOVE.sub("", text)
    if single_line:
        return _SPACES.sub(" ", text)
    return _LINE_BREAKS.sub("\n", text)


def clean_record(record: Any) -> Any:
    """The dataclass `record` with `clean` applied to every text field, in place, including
    strings in list fields, in tuples they hold and the dataclasses they hold (a list page's
    items)."""
    for f in _fields(type(record)):
        value = getattr(record, f)
        if isinstance(value, str):
            cleaned = clean(value, f not in MULTILINE_FIELDS)
            if cleaned is not value:
                setattr(record, f, cleaned)
        elif isinstance(value, list):
            for i, entry in enumerate(value):
                if isinstance(entry, str):
                    value[i] = clean(entry)
                elif isinstance(entry, tuple):  # (URL, link text) pairs of related links
                    value[i] = tuple(clean(e) if isinstance(e, str) else e for e in entry)
                elif dataclasses.is_dataclass(entry) and not isinstance(entry, type):
                    clean_record(entry)
    return record


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names
