"""Reports for supervisors: the run's HTML report, unit pages, 整改交办清单 workbooks and the
quarterly 通报 draft. Public API: `write_reports`, `write_quarterly`, `ReportPaths`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reports.build import ReportPaths, write_reports
    from reports.quarterly import write_quarterly

__all__ = ["ReportPaths", "write_reports", "write_quarterly"]


def __getattr__(name: str) -> Any:
    # Lazy: `zwgk findings` and friends import nothing from openpyxl/docx unless they report.
    if name in ("ReportPaths", "write_reports"):
        from reports import build

        return getattr(build, name)
    if name == "write_quarterly":
        from reports import quarterly

        return quarterly.write_quarterly
    raise AttributeError(name)
