"""Commands that change findings or write files from them (`zwgk report`, `zwgk waive`,
`zwgk unwaive`) respect the store's run lock like `zwgk run` does (issue 13): while a run (or one
of them) holds it they exit 2 with one line naming the holder, or wait for it with --wait; a run
meeting one of them says so; `zwgk status` shows who holds the store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from zwgk.cli import main
from zwgk.storelock import probe_lock, run_lock

REPO = Path(__file__).resolve().parents[2]
UNITS = (
    "units:\n  - code: s\n    name: 站\n    kind: township\n    disclosure: http://127.0.0.1:9/x/\n"
)


@pytest.fixture
def db_path(store, tmp_path: Path) -> Path:
    store.conn.close()
    return tmp_path / "zwgk.db"


def one_error_line(output: str) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith("zwgk: error: ") and "Traceback" not in output
    return lines[0]


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["report", "--out", "OUT"], "zwgk report"),
        (["report", "--quarter", "2026Q4", "--out", "OUT"], "zwgk report"),
        (["waive", "2", "--reason", "已整改"], "zwgk waive"),
        (["unwaive", "4"], "zwgk unwaive"),
        (["scores", "--quarter", "2026Q4"], "zwgk scores"),  # stores the scores it computes
    ],
    ids=["report", "quarterly", "waive", "unwaive", "scores"],
)
def test_a_results_command_during_a_run_exits_2_with_one_line(
    db_path: Path, tmp_path: Path, args: list[str], command: str
) -> None:
    out = tmp_path / "out"
    args = [str(out) if a == "OUT" else a for a in args]
    before = db_path.read_bytes()
    with run_lock(db_path):  # what `zwgk run` holds for its whole run
        result = CliRunner().invoke(main, [args[0], "--db", str(db_path), *args[1:]])
    assert result.exit_code == 2, result.output
    line = one_error_line(result.output)
    assert line.startswith(f"zwgk: error: a monitoring run is already running on {db_path} ")
    assert f"(pid {os.getpid()}, lock {db_path}.run.lock)" in line
    assert f"{command} waits for it: rerun when it has finished, or pass --wait SECONDS" in line
    assert not out.exists()  # nothing written
    assert db_path.read_bytes() == before  # no finding changed


def test_a_probe_round_does_not_hold_up_a_report(db_path: Path, tmp_path: Path) -> None:
    with probe_lock(db_path):  # probes write their own rows: no reason to wait for them
        result = CliRunner().invoke(
            main, ["report", "--db", str(db_path), "--out", str(tmp_path / "out")]
        )
    assert result.exit_code == 0, result.output
    assert run_lock(db_path).holder() is None  # the report let go of the lock


def test_report_with_wait_runs_once_the_run_has_finished(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    lock = run_lock(db_path).acquire()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "zwgk.cli", "report", "--db", str(db_path), "--out", str(out),
             "--wait", "120"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert proc.stderr is not None
        # It says once what it waits for; then the "run" ends.
        waiting = proc.stderr.readline()
        assert waiting.startswith(
            f"zwgk: waiting up to 120 s for a monitoring run (pid {os.getpid()}) to release "
        ), waiting
        assert not out.exists()
    finally:
        lock.release()
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert stdout.strip() == str(out / "index.html") and (out / "index.html").exists()


def test_a_wait_that_runs_out_exits_2_and_says_how_long(db_path: Path) -> None:
    with run_lock(db_path):
        result = CliRunner().invoke(
            main, ["waive", "--db", str(db_path), "2", "--reason", "x", "--wait", "0.3"]
        )
    assert result.exit_code == 2
    assert "zwgk: waiting up to 0.3 s for a monitoring run" in result.output  # told first
    assert "a monitoring run is already running on " in result.output.splitlines()[-1]
    assert "; waited 0.3 s; zwgk waive waits for it" in result.output.splitlines()[-1]


def test_a_run_meeting_a_report_names_it(db_path: Path, tmp_path: Path) -> None:
    units = tmp_path / "units.yaml"
    units.write_text(UNITS, encoding="utf-8")
    with run_lock(db_path, "zwgk report"):  # as the report above holds it
        result = CliRunner().invoke(
            main, ["run", "--units", str(units), "--db", str(db_path), "--no-progress"]
        )
        status = CliRunner().invoke(main, ["status", "--db", str(db_path)])
    assert result.exit_code == 2, result.output
    line = one_error_line(result.output)
    assert line.startswith(f"zwgk: error: zwgk report is already running on {db_path} ")
    assert line.endswith("wait for it to finish or use another --db")
    assert status.exit_code == 0, status.output
    assert f"run lock: held by pid {os.getpid()} (zwgk report)   probe lock: free" in status.output


def test_demo_never_deletes_a_store_in_use(tmp_path: Path) -> None:
    db = tmp_path / "zwgk.db"
    db.write_bytes(b"a store in use")
    with run_lock(db):
        result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path), "--days", "1"])
    assert result.exit_code == 2, result.output
    line = one_error_line(result.output)
    assert "a monitoring run is already running on" in line and "use another --out" in line
    assert db.read_bytes() == b"a store in use"


def test_a_lock_file_names_its_holder_and_frees_on_release(tmp_path: Path) -> None:
    db = tmp_path / "z.db"
    lock = run_lock(db, "zwgk waive").acquire()
    assert (tmp_path / "z.db.run.lock").read_text() == f"{os.getpid()} zwgk waive\n"
    assert run_lock(db).held_by() == (os.getpid(), "zwgk waive")
    lock.release()
    assert run_lock(db).held_by() is None and run_lock(db).holder() is None
