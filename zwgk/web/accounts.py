"""Users, argon2 passwords, server-side sessions and login rate limiting, all in the store.

Sessions live in the `sessions` table (the cookie carries a random token, the table its hash):
`passwd` and `disable` delete a user's sessions, so an old cookie stops working at once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from zwgk import clock
from zwgk.config import REVIEW_DEFAULTS, review_options
from zwgk.errors import ZwgkError

USERNAME = re.compile(r"[A-Za-z0-9_.@-]{2,64}")
MIN_PASSWORD = 10
DEFAULTS = REVIEW_DEFAULTS


@dataclass(frozen=True)
class Policy:
    """Session length and login lockout of the review workspace (the configuration's `review:`
    section): failed logins allowed in `lockout_minutes` per username, and per client address
    (many names from one address is guessing too); past either, logins are refused without
    checking a password."""

    session_hours: int = DEFAULTS["session_hours"]
    max_failed_per_user: int = DEFAULTS["max_failed_per_user"]
    max_failed_per_client: int = DEFAULTS["max_failed_per_client"]
    lockout_minutes: int = DEFAULTS["lockout_minutes"]

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.lockout_minutes)


def policy(raw: dict[str, Any] | None, path: object = None) -> Policy:
    """The configuration's `review:` section, validated (errors name the file and key)."""
    return Policy(**review_options(raw, path))


_hasher = PasswordHasher()
# A hash to verify against when the username is unknown, so both cases cost the same time
# (made by the hasher in use, with its parameters).
_dummy: dict[int, str] = {}


def _dummy_hash() -> str:
    key = id(_hasher)
    if key not in _dummy:
        _dummy[key] = _hasher.hash(secrets.token_hex(16))
    return _dummy[key]


class AccountError(ZwgkError):
    """A bad username, role, unit or password (one line for the CLI)."""


@dataclass(frozen=True)
class User:
    user_id: int
    username: str
    role: str
    unit_id: str | None

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row: Any) -> User:
    return User(row[0], row[1], row[2], row[3])


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    return password


def add_user(
    db: sqlite_utils.Database, username: str, role: str, unit_id: str | None, password: str
) -> User:
    if not USERNAME.fullmatch(username or ""):
        raise AccountError(f"username {username!r}: 2-64 of A-Z a-z 0-9 _ . @ -")
    if role not in ("supervisor", "unit"):
        raise AccountError(f"role {role!r}: supervisor or unit")
    if role == "unit":
        if not unit_id:
            raise AccountError("a unit user needs --unit CODE (a unit in the store)")
        if db.execute("SELECT 1 FROM units WHERE unit_id = ?", [unit_id]).fetchone() is None:
            known = [r[0] for r in db.execute("SELECT unit_id FROM units ORDER BY unit_id")]
            raise AccountError(
                f"unit {unit_id!r} is not in the store (known: {', '.join(known) or 'none'};"
                " run `zwgk run` first)"
            )
    elif unit_id:
        raise AccountError("a supervisor sees all units: no --unit")
    check_password(password)
    if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
        raise AccountError(f"user {username!r} already exists (use `zwgk user passwd`)")
    now = clock.iso()
    with db.conn:
        cur = db.execute(
            "INSERT INTO users (username, role, unit_id, password_hash, created_at,"
            " password_changed_at) VALUES (?, ?, ?, ?, ?, ?)",
            [username, role, unit_id if role == "unit" else None, _hasher.hash(password), now, now],
        )
    return User(int(cur.lastrowid), username, role, unit_id if role == "unit" else None)


def _user_id(db: sqlite_utils.Database, username: str) -> int:
    row = db.execute("SELECT user_id FROM users WHERE username = ?", [username]).fetchone()
    if row is None:
        raise AccountError(f"no user {username!r}")
    return int(row[0])


def set_password(db: sqlite_utils.Database, username: str, password: str) -> None:
    """New password; every session of the user ends (a stolen cookie dies with the old one)."""
    check_password(password)
    user_id = _user_id(db, username)
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            "UPDATE users SET password_hash = ?, password_changed_at = ?, active = 1"
            " WHERE user_id = ?",
            [_hasher.hash(password), clock.iso(), user_id],
        )
        db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])


def disable_user(db: sqlite_utils.Database, username: str) -> None:
    user_id = _user_id(db, username)
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE users SET active = 0 WHERE user_id = ?", [user_id])
        db.execute("DELETE FROM sessions WHERE user_id = ?", [user_id])


def list_users(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    cur = db.execute(
        "SELECT username, role, unit_id, active, created_at FROM users ORDER BY username"
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def rate_limited(
    db: sqlite_utils.Database, username: str, client: str, rules: Policy = Policy()
) -> bool:
    since = clock.iso(clock.now() - rules.window)
    by_user = db.execute(
        "SELECT count(*) FROM login_attempts WHERE username = ? AND ok = 0 AND at >= ?",
        [username, since],
    ).fetchone()[0]
    by_client = db.execute(
        "SELECT count(*) FROM login_attempts WHERE client = ? AND ok = 0 AND at >= ?",
        [client, since],
    ).fetchone()[0]
    return by_user >= rules.max_failed_per_user or by_client >= rules.max_failed_per_client


def authenticate(
    db: sqlite_utils.Database,
    username: str,
    password: str,
    client: str,
    rules: Policy = Policy(),
) -> User | None:
    """The user when the password is right and the account active, else None; every attempt
    is recorded for the rate limit (the caller checks `rate_limited` first)."""
    row = db.execute(
        "SELECT user_id, username, role, unit_id, password_hash, active FROM users"
        " WHERE username = ?",
        [username],
    ).fetchone()
    ok = False
    try:
        ok = _hasher.verify(row[4] if row else _dummy_hash(), password) and bool(row and row[5])
    except (VerificationError, InvalidHashError):
        ok = False
    now = clock.now()
    with db.conn:
        db.execute(
            "INSERT INTO login_attempts (username, client, at, ok) VALUES (?, ?, ?, ?)",
            [username[:64], client, clock.iso(now), int(ok)],
        )
        # keep the table small: attempts older than the window no longer count
        db.execute("DELETE FROM login_attempts WHERE at < ?", [clock.iso(now - 2 * rules.window)])
    return _user(row) if ok and row else None


def start_session(
    db: sqlite_utils.Database, user: User, client: str, rules: Policy = Policy()
) -> tuple[str, Session]:
    """A new session; returns (cookie token, session)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = clock.now()
    with db.conn:
        db.execute("DELETE FROM sessions WHERE expires_at < ?", [clock.iso(now)])
        db.execute(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at, client)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                _hash_token(token),
                user.user_id,
                csrf,
                clock.iso(now),
                clock.iso(now + timedelta(hours=rules.session_hours)),
                client,
            ],
        )
    return token, Session(user, csrf)


def load_session(db: sqlite_utils.Database, token: str | None) -> Session | None:
    """The live session of an active user for this cookie token, else None."""
    if not token or len(token) > 200:
        return None
    row = db.execute(
        "SELECT u.user_id, u.username, u.role, u.unit_id, s.csrf FROM sessions s"
        " JOIN users u ON u.user_id = s.user_id"
        " WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1",
        [_hash_token(token), clock.iso()],
    ).fetchone()
    return Session(_user(row), row[4]) if row else None


def end_session(db: sqlite_utils.Database, token: str | None) -> None:
    if token:
        with db.conn:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", [_hash_token(token)])
