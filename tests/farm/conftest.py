"""One farm process for the farm tests (`farm_proc`), and what it serves on day 1 (`served`)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from farm_reader import read_column

from zwgk import clock

DAY1 = "2026-11-29T08:00:00+08:00"


@pytest.fixture(scope="session")
def farm_proc(tmp_path_factory: pytest.TempPathFactory):
    from zwgk.farm.server import FarmProcess

    with FarmProcess(tmp_path_factory.mktemp("farmproc"), seed=7, now=clock.parse(DAY1)) as farm:
        yield farm


@pytest.fixture(scope="session")
def truth1(farm_proc) -> dict:
    return farm_proc.truth(1)


@pytest.fixture(scope="session")
def served(farm_proc, truth1) -> dict[str, dict]:
    """column_url -> items as read from the served bytes on day 1 (every assessable column)."""
    farm_proc.set_day(1)
    today = date.fromisoformat(truth1["now"][:10])
    sites = {s["url"]: s for s in truth1["sites"]}
    cols = [c for c in truth1["columns"] if c["assessable"]]
    with ThreadPoolExecutor(8) as ex:
        got = list(ex.map(lambda c: read_column(c, sites[c["site"]], today), cols))
    return {c["column_url"]: g for c, g in zip(cols, got, strict=True)}
