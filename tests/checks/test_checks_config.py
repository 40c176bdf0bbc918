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
