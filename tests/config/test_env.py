"""config/env.py: typed helpers that read settings from the environment."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str


def test_str_default_and_stripping(monkeypatch):
    monkeypatch.delenv("CIRCLE_X", raising=False)
    assert env_str("CIRCLE_X", "fallback") == "fallback"
    monkeypatch.setenv("CIRCLE_X", "  ")
    assert env_str("CIRCLE_X", "fallback") == "fallback"
    monkeypatch.setenv("CIRCLE_X", " value ")
    assert env_str("CIRCLE_X") == "value"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("ON", True), ("0", False), ("off", False),
     ("no", False), ("FALSE", False), ("", True)],
)  # fmt: skip
def test_bool(monkeypatch, raw, expected):
    monkeypatch.setenv("CIRCLE_X", raw)
    assert env_bool("CIRCLE_X", True) is expected


def test_bool_bad_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("CIRCLE_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="CIRCLE_X must be one of"):
        env_bool("CIRCLE_X")


def test_int(monkeypatch):
    monkeypatch.delenv("CIRCLE_X", raising=False)
    assert env_int("CIRCLE_X", 7) == 7
    monkeypatch.setenv("CIRCLE_X", " 42 ")
    assert env_int("CIRCLE_X", 7) == 42
    monkeypatch.setenv("CIRCLE_X", "4.5")
    with pytest.raises(ImproperlyConfigured, match="CIRCLE_X must be a whole number"):
        env_int("CIRCLE_X", 7)


def test_list(monkeypatch):
    monkeypatch.delenv("CIRCLE_X", raising=False)
    assert env_list("CIRCLE_X", ["a"]) == ["a"]
    assert env_list("CIRCLE_X") == []
    monkeypatch.setenv("CIRCLE_X", "a.example, b.example,,")
    assert env_list("CIRCLE_X") == ["a.example", "b.example"]
