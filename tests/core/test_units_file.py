"""Bad units files are rejected before any crawling with one clear line: file, unit, field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from zwgk.cli import main
from zwgk.errors import ConfigError
from zwgk.units import load_units

GOOD = """
units:
  - code: yingjiang
    name: 迎江区人民政府
    kind: county
    parent: city
    site_code: "3408020001"
    portal: http://127.0.1.1:8080/
    disclosure: http://127.0.1.1:8080/xxgk/
    hosts: [ysqgk.example.gov.cn]
    columns:
      - url: http://127.0.1.1:8080/xxgk/tzgg/
        category: notice
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "units.yaml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_contract_example_loads(tmp_path: Path) -> None:
    (unit,) = load_units(write(tmp_path, GOOD))
    assert unit.code == "yingjiang"
    assert unit.kind == "county"
    assert unit.site_code == "3408020001"
    assert unit.columns[0].category == "notice"
    # the portal's own host:port exactly; a hosts entry without a port on any port
    assert unit.allowed_hosts == {"127.0.1.1:8080", "ysqgk.example.gov.cn:*"}
    assert unit.home == "http://127.0.1.1:8080/"


MISTAKES = [
    (
        "unknown key",
        GOOD.replace("    hosts:", "    host_list: [a]\n    hosts:"),
        ["unit 'yingjiang'", "unknown field 'host_list'"],
    ),
    (
        "unknown kind",
        GOOD.replace("kind: county", "kind: province"),
        ["unit 'yingjiang'", "'kind'", "province", "township"],
    ),
    ("duplicate code", GOOD + GOOD.split("units:\n", 1)[1], ["unit 'yingjiang'", "duplicate code"]),
    (
        "malformed url",
        GOOD.replace("disclosure: http://127.0.1.1:8080/xxgk/", "disclosure: 127.0.1.1/xxgk"),
        ["unit 'yingjiang'", "'disclosure'", "not an http(s) URL"],
    ),
    (
        "bad portal port",
        GOOD.replace("portal: http://127.0.1.1:8080/", "portal: http://127.0.1.1:99999/"),
        ["'portal'", "bad port"],
    ),
    (
        "missing disclosure",
        GOOD.replace("    disclosure: http://127.0.1.1:8080/xxgk/\n", ""),
        ["unit 'yingjiang'", "missing required field 'disclosure'"],
    ),
    ("bad yaml", "units:\n  - code: a\n    name: [unclosed\n", ["line", "not valid YAML"]),
    ("bad code", GOOD.replace("code: yingjiang", "code: Ying Jiang"), ["'code'", "[a-z0-9-]+"]),
    (
        "bad category",
        GOOD.replace("category: notice", "category: urgent"),
        ["columns[0]", "'category'", "periodic"],
    ),
    ("bad site code", GOOD.replace('"3408020001"', '"34080"'), ["'site_code'"]),
    (
        "override off the unit's hosts",
        GOOD.replace("- url: http://127.0.1.1:8080/xxgk/tzgg/", "- url: http://127.0.9.9/tzgg/"),
        ["columns[0]", "'127.0.9.9'", "hosts"],
    ),
    ("no units list", "units: {}\n", ["list under 'units:'"]),
    ("top-level typo", "unit:\n  - code: a\n", ["list under 'units:'"]),
]


@pytest.mark.parametrize(("case", "text", "expected"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_each_mistake_is_named(tmp_path: Path, case: str, text: str, expected: list[str]) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_units(path)
    message = str(err.value)
    assert message.startswith(str(path))
    for fragment in expected:
        assert fragment in message


@pytest.mark.parametrize(
    ("case", "text", "expected"), MISTAKES[:4], ids=[m[0] for m in MISTAKES[:4]]
)
def test_cli_exits_2_with_one_line_and_no_crawl(
    tmp_path: Path, case: str, text: str, expected: list[str]
) -> None:
    path = write(tmp_path, text)
    db = tmp_path / "z.db"
    result = CliRunner().invoke(main, ["run", "--units", str(path), "--db", str(db)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("zwgk: error: ")
    assert not db.exists()  # rejected before the store or any crawling


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="units file not found"):
        load_units(tmp_path / "nope.yaml")


CONFIG_MISTAKES = [
    ("crawl not a mapping", "crawl: 5\n", "crawl: expected a mapping"),
    ("delay not a number", "crawl: {delay_seconds: fast}\n", "delay_seconds must be"),
    ("negative pages", "crawl: {max_pages_per_column: -1}\n", "max_pages_per_column must be"),
    ("unknown crawl option", "crawl: {speed: 3}\n", "unknown option 'speed'"),
    ("unknown section", "crawler: {}\n", "unknown section 'crawler'"),
    ("bad deadline", "reports: {deadline_working_days: 0}\n", "deadline_working_days"),
    ("bad scoring table", "scoring: {vetoes: [broken-link]}\n", "scoring: vetoes: broken-link"),
    ("not utf-8", None, "cannot read configuration file"),
]


@pytest.mark.parametrize(
    ("case", "text", "expected"), CONFIG_MISTAKES, ids=[m[0] for m in CONFIG_MISTAKES]
)
def test_bad_configuration_exits_2_before_the_run(
    tmp_path: Path, case: str, text: str | None, expected: str
) -> None:
    units = write(tmp_path, GOOD)
    config = tmp_path / "config.yaml"
    if text is None:
        config.write_bytes("crawl: {contact: 联系}\n".encode("gbk"))
    else:
        config.write_text(text, encoding="utf-8")
    db = tmp_path / "z.db"
    result = CliRunner().invoke(
        main, ["run", "--units", str(units), "--db", str(db), "--config", str(config),
               "--out", str(tmp_path / "out")]
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert expected in result.output and "Traceback" not in result.output
    assert not db.exists()
