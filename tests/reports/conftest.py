from __future__ import annotations

from pathlib import Path

import pytest
from reports_fixture import build_store


@pytest.fixture
def store(tmp_path: Path):
    return build_store(tmp_path / "zwgk.db")


@pytest.fixture
def reports(store, tmp_path: Path):
    from reports.build import write_reports

    return write_reports(store, 2, tmp_path / "out")
