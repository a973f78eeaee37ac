"""tools/ensure_tools.py: a missing Java fails CI and only warns elsewhere."""

from __future__ import annotations

import pytest

from tools import ensure_tools


@pytest.fixture
def no_java(monkeypatch):
    monkeypatch.setattr(ensure_tools.ensure_browser, "main", lambda: 0)
    monkeypatch.setattr(ensure_tools, "find_java", lambda: None)
    monkeypatch.setattr(ensure_tools, "install_java", lambda: False)


def test_missing_java_fails_under_ci(no_java, monkeypatch, capsys):
    monkeypatch.setenv("CI", "true")
    assert ensure_tools.main() == 1
    assert "error: No Java" in capsys.readouterr().err


def test_missing_java_only_warns_outside_ci(no_java, monkeypatch, capsys):
    monkeypatch.delenv("CI", raising=False)
    assert ensure_tools.main() == 0
    assert "warning: No Java" in capsys.readouterr().err


def test_java_installed_on_demand(monkeypatch):
    found = iter([None, "/usr/bin/java"])
    monkeypatch.setattr(ensure_tools, "find_java", lambda: next(found))
    monkeypatch.setattr(ensure_tools, "install_java", lambda: True)
    assert ensure_tools.ensure_java()


def test_java_home_is_preferred(monkeypatch, tmp_path):
    java = tmp_path / "bin/java"
    java.parent.mkdir()
    java.write_text("#!/bin/sh\n")
    java.chmod(0o755)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    assert ensure_tools.find_java() == str(java)
