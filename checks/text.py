"""Small text helpers for finding sentences in the inspectors' style."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

CATEGORY_ZH = {
    "news": "动态要闻类",
    "notice": "通知公告/政策文件类",
    "periodic": "应定期更新类",
    "static": "静态类",
}
KIND_ZH = {
    "city": "市级",
    "county": "区县",
    "department": "部门",
    "township": "乡镇（街道）",
    "institution": "事业单位",
}
SECTION_ZH = {
    "guide": "政府信息公开指南",
    "system": "政府信息公开制度",
    "fdzdgknr": "法定主动公开内容",
    "annual": "政府信息公开年报",
    "request": "依申请公开",
}


def zh_date(value: str | date | None) -> str:
    """'2026-03-01' → '2026年3月1日' (the way inspection notices write dates)."""
    if value is None:
        return "无"
    d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{d.year}年{d.month}月{d.day}日"


def column_label(name: str | None) -> str:
    """'通知公告' → '通知公告栏目'; names already ending in 栏目 stay as they are."""
    name = (name or "").strip() or "未命名"
    return name if name.endswith("栏目") else f"{name}栏目"


_PUNCT = re.compile(r"[\s\u3000]+")


# Cached: catalog names repeat across a province's units (工作动态, 通知公告 ...) and several
# rules normalise every column's name and path segments.
@lru_cache(maxsize=1 << 16)
def normalise_name(name: str | None) -> str:
    """Catalog-name normal form: NFKC, no 政府, no whitespace, no punctuation or symbols."""
    s = unicodedata.normalize("NFKC", name or "").replace("政府", "")
    s = _PUNCT.sub("", s)
    return "".join(ch for ch in s if unicodedata.category(ch)[0] not in "PSZ").lower()


def normalise_title(title: str | None) -> str:
    """Item titles: like names but keep 政府 (it is content, not decoration) and drop '...'."""
    s = unicodedata.normalize("NFKC", title or "")
    return "".join(ch for ch in s if unicodedata.category(ch)[0] not in "PSZC").lower()
