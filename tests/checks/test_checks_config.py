"""Rule configuration: defaults.yaml merged with the deployment file; clear errors."""

from __future__ import annotations

import pytest

from checks.config import coerce, load_rule_config, shipped_defaults
from zwgk.errors import ConfigError


def test_defaults_and_overrides():
    cfg = load_rule_config(
        {
            "rules": {"stale-column": {"news_window_days": 10}},
            "units": {"u1": {"rules": {"stale-column": {"news_window_days": 7, "enabled": False}}}},
        },
        "conf.yaml",
    )
    assert cfg.options("stale-column")["news_window_days"] == 10
    assert cfg.options("stale-column", "u1")["news_window_days"] == 7
    assert cfg.options("stale-column", "u2")["notice_window_days"] == 183
    assert not cfg.enabled("stale-column", "u1") and cfg.enabled("stale-column", "u2")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (
            {"rules": {"stale-colum": {}}},
            ["conf.yaml", "unknown rule 'stale-colum'", "stale-column"],
        ),
        ({"rules": {"stale-column": {"days": 3}}}, ["unknown option 'days'", "news_window_days"]),
        (
            {"units": {"u1": {"rules": {"blank-column": {"x": 1}}}}},
            ["units: u1: rules: blank-column", "unknown option 'x'", "site_veto_columns"],
        ),
        ({"units": {"nope": {"rules": {}}}}, ["unknown unit 'nope'", "u1"]),
        ({"units": {"u1": {"thresholds": {}}}}, ["unknown key 'thresholds'", "valid: rules"]),
        ({"rules": {"stale-column": {"news_window_days": "14"}}}, ["should be a int"]),
        ({"rules": {"site-unreachable": {"failure_ratio": True}}}, ["should be a float"]),
    ],
)
def test_errors_name_file_unit_and_choices(raw, words):
    with pytest.raises(ConfigError) as err:
        load_rule_config(raw, "conf.yaml", unit_codes=["u1"])
    for w in words:
        assert w in str(err.value)


def test_int_accepted_for_float_option():
    cfg = load_rule_config({"rules": {"site-unreachable": {"failure_ratio": 1}}})
    assert cfg.options("site-unreachable")["failure_ratio"] == 1


def test_coerce_accepts_lead_config_object():
    class Lead:
        raw = {"rules": {"blank-column": {"site_veto_columns": 3}}}
        path = "deploy.yaml"

    assert coerce(Lead()).options("blank-column")["site_veto_columns"] == 3
    assert coerce(None).options("blank-column") == shipped_defaults()["blank-column"]


@pytest.mark.parametrize(
    ("opts", "words"),
    [
        ({"offsite_enabled": "yes"}, ["offsite_enabled", "should be a bool"]),
        ({"offsite_per_site": 0}, ["offsite_per_site", "1"]),
        ({"offsite_per_site": 2.5}, ["offsite_per_site"]),
        ({"offsite_delay_seconds": 0}, ["offsite_delay_seconds"]),  # 0 is no politeness
        ({"offsite_delay_seconds": float("inf")}, ["offsite_delay_seconds"]),
        ({"offsite_delay_seconds": 3601}, ["offsite_delay_seconds"]),
    ],
)
def test_offsite_grant_options_are_checked(opts, words):
    with pytest.raises(ConfigError) as err:
        load_rule_config({"rules": {"broken-link": opts}}, "conf.yaml")
    for w in words:
        assert w in str(err.value)


def test_offsite_grant_is_off_by_default_and_per_unit():
    """The crawl's grants (zwgk/runner.py offsite_grants): none by default; a unit's own
    override turns it on or off; a unit whose broken-link rule is off gets none."""
    from zwgk.runner import offsite_grants
    from zwgk.units import Unit

    units = [Unit(code=c, name=c, kind="county", disclosure=f"http://{c}.test/") for c in "abc"]
    assert shipped_defaults()["broken-link"]["offsite_enabled"] is False
    assert offsite_grants(None, units) == {}
    assert offsite_grants(load_rule_config({}), units) == {}
    cfg = load_rule_config(
        {
            "rules": {"broken-link": {"offsite_enabled": True, "offsite_delay_seconds": 0.5}},
            "units": {
                "b": {"rules": {"broken-link": {"offsite_enabled": False}}},
                "c": {"rules": {"broken-link": {"offsite_per_site": 3, "enabled": False}}},
            },
        },
        "conf.yaml",
        unit_codes=["a", "b", "c"],
    )
    assert offsite_grants(cfg, units) == {"a": {"per_site": 20, "delay_seconds": 0.5}}
    one = load_rule_config(
        {"units": {"c": {"rules": {"broken-link": {"offsite_enabled": True}}}}},
        "conf.yaml",
        unit_codes=["a", "b", "c"],
    )
    assert offsite_grants(one, units) == {"c": {"per_site": 20, "delay_seconds": 10.0}}
