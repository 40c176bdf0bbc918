"""The review workspace over the reports' small fixed store (3 units, findings in every state,
a scraped title carrying markup), with a supervisor and a user for each of two units."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
from reports_fixture import build_store  # noqa: E402
from web_helpers import PASSWORD  # noqa: E402


@dataclass
class Workspace:
    db_path: Path
    app: object

    def client(self):
        return self.app.test_client()  # type: ignore[attr-defined]


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    from zwgk.web.accounts import add_user
    from zwgk.web.app import create_app

    db_path = tmp_path / "zwgk.db"
    db = build_store(db_path)
    add_user(db, "sup", "supervisor", None, PASSWORD)
    add_user(db, "ying", "unit", "yingjiang", PASSWORD)  # unit A: findings 1, 2
    add_user(db, "jyj", "unit", "jyj", PASSWORD)  # unit B: findings 3, 4, 6
    db.conn.close()
    app = create_app(db_path)
    app.testing = True
    return Workspace(db_path, app)


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """argon2 at its lightest in tests: the production parameters cost ~0.5 s a hash here, and
    what is tested is who may log in, not the hash's cost."""
    from argon2 import PasswordHasher

    from zwgk.web import accounts

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))
