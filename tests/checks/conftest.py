from __future__ import annotations

import pytest
from builders import Builder

from zwgk import clock


@pytest.fixture
def b(tmp_path, monkeypatch):
    monkeypatch.delenv(clock.ENV, raising=False)
    builder = Builder(tmp_path / "store.db")
    yield builder
    builder.db.conn.close()
    clock.set_now(None)
