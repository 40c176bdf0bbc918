"""Validation that is total: any units file or configuration is either accepted or refused with
exit status 2 and ONE short line naming the file and the field, never a traceback, whatever the
bytes (issue 13). A table of specific mistakes through the real CLI, then a few hundred seeded
random mutations of valid files through the same checks `zwgk run` makes before crawling."""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from zwgk.cli import main
from zwgk.errors import MESSAGE_CHARS, ZwgkError, one_line
from zwgk.runner import validate_inputs

REPO = Path(__file__).resolve().parents[2]

UNITS = """\
units:
  - code: city
    name: 示例市人民政府
    kind: city
    site_code: "3408000001"
    portal: http://127.0.1.1:8080/
    disclosure: http://127.0.1.2:8080/gkmlpt/index
  - code: yingjiang
    name: 迎江区人民政府
    kind: county
    parent: city
    site_code: "3408020001"
    portal: http://www.yingjiang.gov.cn/
    disclosure: http://www.yingjiang.gov.cn/xxgk/
    hosts: [ysqgk.yingjiang.gov.cn, "127.0.9.9:8080"]
    columns:
      - url: http://www.yingjiang.gov.cn/xxgk/tzgg/
        category: notice
        name: 通知公告
"""

CONFIG = """\
crawl:
  delay_seconds: 1.0
  concurrency_per_host: 1
  concurrency: 32
  timeout_seconds: 20
  contact: "zwgkb@city.gov.cn"
rules:
  stale-column: {news_window_days: 14}
  site-unreachable: {failure_ratio: 0.05}
units:
  yingjiang: {rules: {blank-column: {enabled: false}}}
reports: {deadline_working_days: 10, veto_deadline_working_days: 5}
schedule: {daily_run_at: "02:30", probes_per_day: 24}
"""


def u(old: str, new: str) -> str:
    assert old in UNITS, old
    return UNITS.replace(old, new, 1)


def c(old: str, new: str) -> str:
    assert old in CONFIG, old
    return CONFIG.replace(old, new, 1)


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)

# (id, units text or bytes, config text or bytes or None, which file is named, fragments)
CASES: list[tuple[str, str | bytes, str | bytes | None, str, list[str]]] = [
    # --- the units file ---------------------------------------------------------------------
    ("empty file", "", None, "units", ["list under 'units:'"]),
    ("top-level list", "- code: a\n", None, "units", ["expected a mapping at the top"]),
    ("top-level scalar", "hello\n", None, "units", ["expected a mapping at the top"]),
    ("units is a mapping", "units: {a: 1}\n", None, "units", ["list under 'units:'"]),
    ("units empty", "units: []\n", None, "units", ["'units:' is empty"]),
    ("unit is a string", "units: [city]\n", None, "units", ["units[0]", "must be a mapping"]),
    ("not utf-8", "units:\n  - name: 迎江\n".encode("gbk"), None, "units", ["not UTF-8"]),
    ("nul byte", u("kind: city", "kind: ci\x00ty"), None, "units", ["not valid YAML", "#x0000"]),
    ("duplicate key", u("kind: city", "kind: city\n    kind: county"), None, "units",
     ["line 5", "duplicate key 'kind'"]),
    ("int key", u("kind: city", "kind: city\n    7: x"), None, "units", ["key 7 is not a string"]),
    ("null key", u("kind: city", "kind: city\n    ~: x"), None, "units", ["key None"]),
    ("list key", u("kind: city", "kind: city\n    ? [a, b]\n    : x"), None, "units", ["key"]),
    ("bool key from 'on'", u("kind: city", "kind: city\n    on: x"), None, "units",
     ["key True is not a string"]),
    ("deep nesting", "units: " + "[" * 3000 + "]" * 3000 + "\n", None, "units", ["nested deeper"]),
    ("billion laughs", BOMB + "units: *i\n", None, "units", ["aliases"]),
    ("recursive alias", "units: &u [*u]\n", None, "units", ["alias refers to a node"]),
    ("huge int", u('site_code: "3408000001"', "site_code: " + "9" * 5000), None, "units",
     ["not valid YAML"]),
    ("bad date", u("kind: city", "kind: city\n    x: 2026-13-45"), None, "units",
     ["not valid YAML", "month"]),
    ("unknown field", u("kind: city", "kind: city\n    homepage: x"), None, "units",
     ["unit 'city'", "unknown field 'homepage'"]),
    ("code with capitals", u("code: city", "code: City"), None, "units",
     ["units[0]", "field 'code'", "[a-z0-9-]+"]),
    ("code too long", u("code: city", "code: " + "c" * 65), None, "units",
     ["units[0]", "field 'code'", "at most 64"]),
    ("code is a list", u("code: city", "code: [a]"), None, "units", ["units[0]", "field 'code'"]),
    ("code with newline", u("code: city", 'code: "city\\n"'), None, "units",
     ["units[0]", "field 'code'"]),
    ("name is a number", u("name: 示例市人民政府", "name: 42"), None, "units",
     ["unit 'city'", "field 'name'", "must be a string"]),
    ("name blank", u("name: 示例市人民政府", 'name: "   "'), None, "units",
     ["unit 'city'", "field 'name'", "must not be empty"]),
    ("name too long", u("name: 示例市人民政府", "name: " + "政" * 5000), None, "units",
     ["unit 'city'", "field 'name'", "at most 200"]),
    ("name with control", u("name: 示例市人民政府", 'name: "示例\\x1b[31m市"'), None, "units",
     ["unit 'city'", "field 'name'", "control character"]),
    ("kind unknown", u("kind: county", "kind: province"), None, "units",
     ["unit 'yingjiang'", "field 'kind'", "township"]),
    ("kind is a mapping", u("kind: county", "kind: {a: 1}"), None, "units",
     ["unit 'yingjiang'", "field 'kind'"]),
    ("parent bad", u("parent: city", "parent: Big City"), None, "units",
     ["unit 'yingjiang'", "field 'parent'"]),
    ("site code short", u('"3408020001"', '"34080"'), None, "units", ["field 'site_code'"]),
    ("site code float", u('"3408020001"', "3.5"), None, "units", ["field 'site_code'"]),
    ("url no scheme", u("disclosure: http://www.yingjiang.gov.cn/xxgk/", "disclosure: www.a.cn/"),
     None, "units", ["unit 'yingjiang'", "field 'disclosure'", "not an http(s) URL"]),
    ("url ftp", u("portal: http://www.yingjiang.gov.cn/", "portal: ftp://www.yingjiang.gov.cn/"),
     None, "units", ["field 'portal'", "not an http(s) URL"]),
    ("url javascript", u("portal: http://www.yingjiang.gov.cn/", "portal: 'javascript:alert(1)'"),
     None, "units", ["field 'portal'"]),
    ("url broken ipv6", u("disclosure: http://127.0.1.2:8080/gkmlpt/index",
                          "disclosure: http://[::1/"), None, "units",
     ["unit 'city'", "field 'disclosure'", "not a valid URL"]),
    ("url bad ipv6 literal", u("disclosure: http://127.0.1.2:8080/gkmlpt/index",
                               "disclosure: http://[zz::1]/"), None, "units",
     ["field 'disclosure'", "not a valid URL"]),
    ("url port too big", u("portal: http://127.0.1.1:8080/", "portal: http://127.0.1.1:99999/"),
     None, "units", ["field 'portal'", "bad port"]),
    ("url port zero", u("portal: http://127.0.1.1:8080/", "portal: http://127.0.1.1:0/"),
     None, "units", ["field 'portal'", "bad port"]),
    ("url bad host", u("portal: http://127.0.1.1:8080/", "portal: http://a..b/"), None, "units",
     ["field 'portal'", "host name"]),
    ("url with space", u("portal: http://127.0.1.1:8080/", "portal: http://a b.cn/"), None,
     "units", ["field 'portal'", "space"]),
    ("url too long", u("portal: http://127.0.1.1:8080/", "portal: http://a.cn/" + "x" * 3000),
     None, "units", ["field 'portal'", "at most 2048"]),
    ("url is a list", u("portal: http://127.0.1.1:8080/", "portal: [http://a.cn/]"), None,
     "units", ["field 'portal'", "URL string"]),
    ("column url broken", u("- url: http://www.yingjiang.gov.cn/xxgk/tzgg/", "- url: http://"),
     None, "units", ["columns[0]", "field 'url'"]),
    ("column name blank", u("name: 通知公告", 'name: ""'), None, "units",
     ["columns[0]", "field 'name'"]),
    ("column category", u("category: notice", "category: [notice]"), None, "units",
     ["columns[0]", "field 'category'"]),
    ("columns a mapping", UNITS.split("    columns:")[0] + "    columns: {a: 1}\n", None,
     "units", ["field 'columns' must be a list"]),
    ("hosts a string", u('hosts: [ysqgk.yingjiang.gov.cn, "127.0.9.9:8080"]', "hosts: a.cn"),
     None, "units", ["field 'hosts' must be a list"]),
    ("host with path", u("ysqgk.yingjiang.gov.cn,", "ysqgk.yingjiang.gov.cn/x,"), None, "units",
     ["field 'hosts[0]'", "host name"]),
    ("host port too big", u('"127.0.9.9:8080"', '"127.0.9.9:70000"'), None, "units",
     ["field 'hosts[1]'", "bad port"]),
    ("host with credentials", u('"127.0.9.9:8080"', '"u:p@127.0.9.9"'), None, "units",
     ["field 'hosts[1]'"]),
    ("host underscore label", u("ysqgk.yingjiang.gov.cn,", "-bad-.gov.cn,"), None, "units",
     ["field 'hosts[0]'"]),
    ("duplicate unit code", u("code: yingjiang", "code: city"), None, "units",
     ["unit 'city'", "duplicate code"]),
    # --- the configuration file -------------------------------------------------------------
    ("config top-level list", UNITS, "- crawl\n", "config", ["expected a mapping at the top"]),
    ("config unknown section", UNITS, c("crawl:", "crawler:"), "config",
     ["unknown section 'crawler'"]),
    ("config section a list", UNITS, c("reports: {deadline_working_days: 10, "
                                       "veto_deadline_working_days: 5}", "reports: [1, 2]"),
     "config", ["reports: expected a mapping"]),
    ("config duplicate section", UNITS, CONFIG + "crawl: {}\n", "config",
     ["duplicate key 'crawl'"]),
    ("delay inf", UNITS, c("delay_seconds: 1.0", "delay_seconds: .inf"), "config",
     ["crawl: delay_seconds"]),
    ("delay nan", UNITS, c("delay_seconds: 1.0", "delay_seconds: .nan"), "config",
     ["crawl: delay_seconds"]),
    ("delay negative", UNITS, c("delay_seconds: 1.0", "delay_seconds: -1"), "config",
     ["crawl: delay_seconds", "above 0"]),
    ("delay zero", UNITS, c("delay_seconds: 1.0", "delay_seconds: 0"), "config",
     ["crawl: delay_seconds must be a number above 0 to 3600, got 0"]),
    ("delay zero float", UNITS, c("delay_seconds: 1.0", "delay_seconds: 0.0"), "config",
     ["crawl: delay_seconds", "above 0"]),
    ("delay a string", UNITS, c("delay_seconds: 1.0", "delay_seconds: fast"), "config",
     ["crawl: delay_seconds"]),
    ("concurrency zero", UNITS, c("concurrency: 32", "concurrency: 0"), "config",
     ["crawl: concurrency must be a whole number from 1"]),
    ("concurrency float", UNITS, c("concurrency: 32", "concurrency: 2.5"), "config",
     ["crawl: concurrency"]),
    ("concurrency bool", UNITS, c("concurrency: 32", "concurrency: true"), "config",
     ["crawl: concurrency"]),
    ("timeout zero", UNITS, c("timeout_seconds: 20", "timeout_seconds: 0"), "config",
     ["crawl: timeout_seconds", "above 0"]),
    ("timeout huge", UNITS, c("timeout_seconds: 20", "timeout_seconds: 1.0e+400"), "config",
     ["crawl: timeout_seconds"]),
    ("contact with newline", UNITS, c('contact: "zwgkb@city.gov.cn"', 'contact: "a\\r\\nX: y"'),
     "config", ["crawl: contact", "control character"]),
    ("detail pages unknown", UNITS, CONFIG.replace("crawl:\n", "crawl:\n  detail_pages: all\n"),
     "config", ["crawl: detail_pages"]),
    ("rule window zero", UNITS, c("news_window_days: 14", "news_window_days: 0"), "config",
     ["rules: stale-column: news_window_days", "from 1"]),
    ("rule ratio above one", UNITS, c("failure_ratio: 0.05", "failure_ratio: 1.5"), "config",
     ["site-unreachable: failure_ratio", "0 to 1"]),
    ("rule ratio nan", UNITS, c("failure_ratio: 0.05", "failure_ratio: .nan"), "config",
     ["site-unreachable: failure_ratio"]),
    ("rule deadline", UNITS, c("site-unreachable: {failure_ratio: 0.05}",
                               "annual-report-missing: {government_deadline: '02-30'}"),
     "config", ["government_deadline", "MM-DD"]),
    ("rule sections", UNITS, c("site-unreachable: {failure_ratio: 0.05}",
                               "missing-required-section: {required_sections: [guide, x]}"),
     "config", ["required_sections"]),
    ("unknown unit in config", UNITS, c("yingjiang: {rules", "yingjaing: {rules"), "config",
     ["units: unknown unit 'yingjaing'", "not in the units file"]),
    ("unit int key in config", UNITS, c("yingjiang: {rules", "123: {rules"), "config",
     ["key 123 is not a string"]),
    ("deadline zero", UNITS, c("deadline_working_days: 10", "deadline_working_days: 0"),
     "config", ["reports: deadline_working_days"]),
    ("reports unknown option", UNITS, c("reports: {", "reports: {days: 3, "), "config",
     ["reports: unknown option 'days'"]),
    ("schedule bad time", UNITS, c('daily_run_at: "02:30"', 'daily_run_at: "25:00"'), "config",
     ["daily_run_at must be a time"]),
    ("schedule timeout inf", UNITS, c("probes_per_day: 24", "probes_per_day: 24, "
                                      "misfire_grace_seconds: .inf"), "config",
     ["misfire_grace_seconds"]),
    ("schedule timezone", UNITS, c("probes_per_day: 24", "probes_per_day: 24, "
                                   "timezone: ../../etc/passwd"), "config", ["timezone"]),
    ("config huge string", UNITS, c('contact: "zwgkb@city.gov.cn"', "contact: " + "x" * 100000),
     "config", ["crawl: contact", "at most 200"]),
    ("config bomb", UNITS, BOMB + CONFIG, "config", ["aliases"]),
    ("review session zero", UNITS, CONFIG + "review: {session_hours: 0}\n", "config",
     ["review: session_hours", "from 1"]),
    ("review unknown option", UNITS, CONFIG + "review: {lockout: 15}\n", "config",
     ["review: unknown option 'lockout'"]),
]  # fmt: skip


def write_pair(tmp_path: Path, units: str | bytes, config: str | bytes | None):
    upath = tmp_path / "units.yaml"
    upath.write_bytes(units.encode("utf-8") if isinstance(units, str) else units)
    cpath = None
    if config is not None:
        cpath = tmp_path / "config.yaml"
        cpath.write_bytes(config.encode("utf-8") if isinstance(config, str) else config)
    return upath, cpath


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({case[0] for case in CASES}) == len(CASES)


def test_valid_files_are_accepted(tmp_path: Path) -> None:
    upath, cpath = write_pair(tmp_path, UNITS, CONFIG)
    units, config, rules = validate_inputs(upath, cpath, tmp_path / "out")
    assert [x.code for x in units] == ["city", "yingjiang"]
    assert units[1].allowed_hosts == {
        "www.yingjiang.gov.cn",  # the portal's and disclosure's host as their URLs give it
        "ysqgk.yingjiang.gov.cn:*",  # a hosts entry without a port: any port
        "127.0.9.9:8080",  # with a port: that port only
    }
    assert config.crawl["concurrency"] == 32
    assert not rules.enabled("blank-column", "yingjiang")


def readme_block(heading: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return text.split(heading, 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]


def test_readme_examples_are_accepted(tmp_path: Path) -> None:
    units = readme_block("### Units file")
    units += units.split("units:\n", 1)[1].replace("yingjiang", "some-township")
    upath, cpath = write_pair(tmp_path, units, readme_block("### Configuration"))
    loaded, config, _ = validate_inputs(upath, cpath, tmp_path / "out")
    assert {x.code for x in loaded} == {"yingjiang", "some-township"}
    assert config.crawl["contact"] == "zwgkb@city.gov.cn"


def test_demo_units_file_is_accepted(tmp_path: Path) -> None:
    from zwgk import clock
    from zwgk.farm.generate import build_city

    city = build_city(seed=7, now=clock.parse("2026-11-29T08:00:00+08:00"))
    upath, _ = write_pair(tmp_path, city.units_yaml(), None)
    assert len(validate_inputs(upath, None)[0]) >= 10


@pytest.mark.parametrize(("case", "units", "config", "named", "fragments"), CASES,
                         ids=[case[0] for case in CASES])  # fmt: skip
def test_each_mistake_is_one_line_exit_2(
    tmp_path: Path,
    case: str,
    units: str | bytes,
    config: str | bytes | None,
    named: str,
    fragments: list[str],
) -> None:
    upath, cpath = write_pair(tmp_path, units, config)
    db = tmp_path / "z.db"
    args = ["run", "--units", str(upath), "--db", str(db), "--out", str(tmp_path / "out")]
    args += ["--config", str(cpath)] if cpath else []
    started = time.monotonic()
    result = CliRunner().invoke(main, args)
    assert time.monotonic() - started < 2
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    line = lines[0]
    assert line.startswith("zwgk: error: ") and len(line) <= MESSAGE_CHARS
    assert "Traceback" not in line
    assert f"{named}.yaml" in line
    for fragment in fragments:
        assert fragment in line, line
    assert not db.exists()  # refused before the store or any crawl


def test_credentials_are_refused_and_never_printed(tmp_path: Path) -> None:
    for url in ("http://admin:hunter2@www.a.gov.cn/", "http://hunter2@www.a.gov.cn/x"):
        units = u("portal: http://www.yingjiang.gov.cn/", f"portal: {url}")
        upath, _ = write_pair(tmp_path, units, None)
        result = CliRunner().invoke(main, ["run", "--units", str(upath), "--db", "z.db"])
        assert result.exit_code == 2
        assert "credentials" in result.output and "field 'portal'" in result.output
        assert "hunter2" not in result.output
    broken = u("portal: http://www.yingjiang.gov.cn/", "portal: 'ftp://u:hunter2@a.cn/'")
    upath, _ = write_pair(tmp_path, broken, None)
    result = CliRunner().invoke(main, ["run", "--units", str(upath), "--db", "z.db"])
    assert result.exit_code == 2 and "hunter2" not in result.output


# --- generated mistakes --------------------------------------------------------------------

JUNK: list[object] = [
    None, True, 0, -1, 10**30, 1.5, float("inf"), float("nan"), "", " ", "x" * 5000,
    "\x1b[2J", "a\nb", "http://[::1/", "http://u:p@h/", [], [1, [2, [3]]], {}, {"k": "v"},
    "\ufeff", "政" * 300,
]  # fmt: skip


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _mutate_tree(doc: object, rng: random.Random) -> object:
    """One structural mistake at a random place: a value replaced by junk, a key dropped,
    renamed or turned into a non-string, a list entry duplicated, a value nested deep."""
    paths = _paths(doc)[1:]
    if not paths:  # an earlier mutation left a scalar or an empty collection
        return doc
    path = rng.choice(paths)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]  # type: ignore[index]
    last = path[-1]
    op = rng.randrange(6)
    if op == 0:
        parent[last] = rng.choice(JUNK)  # type: ignore[index]
    elif op == 1 and isinstance(parent, dict):
        del parent[last]
    elif op == 2 and isinstance(parent, dict):
        parent[rng.choice([f"{last}x", 7, None, True, "units", "code"])] = parent.pop(last)
    elif op == 3 and isinstance(parent, list):
        parent.append(parent[last])
    elif op == 4:
        deep: object = parent[last]  # type: ignore[index]
        for _ in range(rng.choice([5, 30, 100])):
            deep = [deep] if rng.random() < 0.5 else {"k": deep}
        parent[last] = deep  # type: ignore[index]
    else:
        parent[last] = rng.choice(JUNK) if rng.random() < 0.5 else [parent[last]]  # type: ignore[index]
    return doc


def _dump(doc: object) -> str:
    try:
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, RecursionError):
        return repr(doc)


def _mutate_text(text: str, rng: random.Random) -> bytes:
    """Textual mistakes YAML-dumping cannot make: duplicated lines (duplicate keys), aliases,
    anchors, stray bytes, truncation, a line repeated hundreds of times."""
    lines = text.splitlines(keepends=True)
    op = rng.randrange(7)
    if op == 0 and lines:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif op == 1:
        return text.encode("utf-8")[: rng.randrange(len(text) + 1)]
    elif op == 2:
        data = bytearray(text.encode("utf-8"))
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    elif op == 3:
        return BOMB.encode() + text.encode("utf-8")
    elif op == 4 and lines:
        i = rng.randrange(len(lines))
        lines[i] = re.sub(r": (\S.*)$", ": &x \\1", lines[i]) + "extra: *x\n"
    elif op == 5:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
    elif lines:
        lines.insert(rng.randrange(len(lines)), lines[rng.randrange(len(lines))] * 200)
    return "".join(lines).encode("utf-8")


def _generated(rng: random.Random, n: int) -> list[tuple[str, bytes, bytes | None]]:
    out: list[tuple[str, bytes, bytes | None]] = []
    for i in range(n):
        which = rng.choice(["units", "config"])
        base = UNITS if which == "units" else CONFIG
        if rng.random() < 0.6:
            doc = yaml.safe_load(base)
            for _ in range(rng.randint(1, 3)):
                doc = _mutate_tree(doc, rng)
            data = _dump(doc).encode("utf-8")
        else:
            data = _mutate_text(base, rng)
        if which == "units":
            out.append((f"{i}-units", data, CONFIG.encode()))
        else:
            out.append((f"{i}-config", UNITS.encode(), data))
    return out


def test_generated_files_are_accepted_or_refused_in_one_line(tmp_path: Path) -> None:
    rng = random.Random(13)
    refused = 0
    for name, units, config in _generated(rng, 400):
        upath, cpath = write_pair(tmp_path, units, config)
        started = time.monotonic()
        try:
            validate_inputs(upath, cpath, tmp_path / "out")
        except ZwgkError as exc:  # exactly what the CLI catches and prints (zwgk/cli.py)
            refused += 1
            line = one_line(f"zwgk: error: {exc}")
            assert "\n" not in line and len(line) <= MESSAGE_CHARS, (name, line)
            # the mutated file, or the other one when the mutation made them disagree
            # (a unit dropped that the configuration still names)
            assert str(upath) in line or str(cpath) in line, (name, line)
        # anything else escapes as a traceback and fails the test with the case's seed
        assert time.monotonic() - started < 1, name
    assert refused > 300  # the mutations do reach the validators


def test_every_numeric_crawl_option_has_a_declared_range() -> None:
    from zwgk.config import CRAWL_DEFAULTS, CRAWL_RANGES

    numeric = {
        k
        for k, v in CRAWL_DEFAULTS.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }
    assert numeric <= set(CRAWL_RANGES)
