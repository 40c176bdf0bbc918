"""Docs that tests check (the Datasette habit): an undocumented command or option fails here."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from zwgk.cli import main
from zwgk.docs import RULES_MD, rules_markdown

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def commands() -> list[tuple[str, click.Command]]:
    return sorted(main.commands.items())


def test_every_command_is_registered() -> None:
    assert {name for name, _ in commands()} == {
        "run",
        "findings",
        "columns",
        "verdicts",
        "probe",
        "waive",
        "unwaive",
        "report",
        "scores",
        "schedule",
        "status",
        "demo",
        "evidence",
        "serve",
        "user",
    }


def test_evidence_subcommands_and_options_are_in_the_readme() -> None:
    from zwgk import evidence

    group = main.commands["evidence"]
    assert set(group.commands) == {"show", "verify", "prune"}
    for name in group.commands:
        assert name in README.split("zwgk evidence", 1)[1][:300], name
    for key in evidence.DEFAULTS:
        assert f"{key}:" in README, key


@pytest.mark.parametrize(("name", "command"), commands(), ids=[n for n, _ in commands()])
def test_every_command_and_option_is_in_the_readme(name: str, command: click.Command) -> None:
    assert f"zwgk {name}" in README
    for param in command.params:
        if isinstance(param, click.Option):
            assert any(opt in README for opt in param.opts), f"zwgk {name} {param.opts[0]}"


def test_rules_doc_is_current() -> None:
    assert RULES_MD.read_text(encoding="utf-8") == rules_markdown(), "run: python -m zwgk.docs"


def test_every_crawl_and_review_option_is_documented() -> None:
    from zwgk.config import CRAWL_DEFAULTS, REVIEW_DEFAULTS

    for key in [*CRAWL_DEFAULTS, *REVIEW_DEFAULTS]:
        assert f"{key}:" in README, key


@pytest.mark.parametrize(
    "module",
    ["checks.cli", "reports.cli", "reports.evidence_cli", "zwgk.ops", "zwgk.cli", "zwgk.web.cli"],
)
def test_each_command_module_imports_on_its_own(module: str) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-1000:]
