"""Command-line options are operator input too (issue 13: no traceback for any input, every wait
bounded): each number has a finite range, NaN included, so a mistyped value is a usage error
with exit status 2 before any work, never a traceback, an endless wait or a fork storm."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import scheduler
from zwgk import clock
from zwgk.cli import main
from zwgk.schedule.config import MAX_SECONDS

HUGE = str(10**30)

BAD = [
    (["probe", "--units", "U", "--db", "D", "--timeout", "nan"], "--timeout"),
    (["probe", "--units", "U", "--db", "D", "--timeout", "inf"], "--timeout"),
    (["probe", "--units", "U", "--db", "D", "--timeout", "1e400"], "--timeout"),
    (["probe", "--units", "U", "--db", "D", "--timeout", "0"], "--timeout"),
    (["probe", "--units", "U", "--db", "D", "--workers", HUGE], "--workers"),
    (["run", "--units", "U", "--db", "D", "--workers", "100000"], "--workers"),
    (["run", "--units", "U", "--db", "D", "--wait", "nan"], "--wait"),
    (["run", "--units", "U", "--db", "D", "--wait", "-1"], "--wait"),
    (["report", "--db", "D", "--wait", "inf"], "--wait"),
    (["report", "--db", "D", "--run", HUGE], "--run"),
    (["verdicts", "--db", "D", "--run", HUGE], "--run"),
    (["verdicts", "--db", "D", "--run", "0"], "--run"),
    (["waive", "--db", "D", HUGE, "--reason", "x"], "FINDING_ID"),
    (["unwaive", "--db", "D", "0"], "FINDING_ID"),
    (["waive", "--db", "D", "1", "--reason", "x", "--wait", "NaN"], "--wait"),
    (["status", "--db", "D", "--limit", HUGE], "--limit"),
]


@pytest.mark.parametrize(("args", "option"), BAD, ids=[" ".join(a[:1] + a[-2:]) for a, _ in BAD])
def test_a_bad_number_is_a_usage_error(tmp_path: Path, args: list[str], option: str) -> None:
    db = tmp_path / "z.db"
    args = [str(db) if a == "D" else str(tmp_path / "u.yaml") if a == "U" else a for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"Invalid value for '{option}'" in result.output, result.output
    assert not db.exists()  # refused before the store was opened


def parse(argv: list[str]) -> click.Context:
    """Parse a `zwgk` command line with the CLI's own option types, running nothing (a group's
    subcommand, such as `evidence prune`, parsed as itself)."""
    name, cmd, args = argv[0], main.commands[argv[0]], list(argv[1:])
    while isinstance(cmd, click.Group):
        name, cmd, args = args[0], cmd.commands[args[0]], args[1:]
    return cmd.make_context(name, args)


def test_every_scheduled_command_parses_even_at_the_largest_limits(tmp_path: Path) -> None:
    """The scheduler hands its job limits to the commands as --wait and --timeout: the largest
    a schedule accepts must be accepted there too, or a job would fail at every fire time."""
    for limits in ({}, dict.fromkeys(("crawl", "probe", "report"), MAX_SECONDS)):
        s = scheduler.parse_schedule({f"{k}_timeout_seconds": v for k, v in limits.items()})
        for spec in scheduler.job_specs(s, Path("u.yaml"), tmp_path / "z.db", tmp_path / "out"):
            argv = spec.argv(clock.now())[len(spec.program) :]
            ctx = parse(argv)
            if "--wait" in argv:
                assert ctx.params["wait"] == float(argv[argv.index("--wait") + 1])
