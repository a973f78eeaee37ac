"""tools/ensure_tools.py: a missing Java or browser engine fails CI and only warns elsewhere."""

from __future__ import annotations

import pytest

from tools import ensure_tools


@pytest.fixture
def no_java(monkeypatch):
    monkeypatch.setattr(ensure_tools.ensure_browser, "main", lambda: 0)
    monkeypatch.setattr(ensure_tools.ensure_engines, "main", lambda: 0)
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


@pytest.fixture
def no_engines(monkeypatch):
    """Neither WebKit nor Firefox here, and no apt to install them with."""
    engines = ensure_tools.ensure_engines
    monkeypatch.setattr(
        engines, "MISSING", {"webkit": lambda: "no driver", "firefox": lambda: "no ff"}
    )
    monkeypatch.setattr(engines.ensure_browser, "apt_prefix", lambda: None)
    monkeypatch.setattr(engines, "install_puppeteer", lambda: False)
    monkeypatch.setattr(engines, "apt_packages", lambda engine: [f"{engine}-package"])


def test_missing_engine_fails_under_ci(no_engines, monkeypatch, capsys):
    monkeypatch.setenv("CI", "true")
    assert ensure_tools.ensure_engines.main() == 1
    errors = capsys.readouterr().err
    assert "error: webkit tests cannot run: no driver" in errors
    assert "apt-get install webkit-package" in errors
    assert "error: firefox tests cannot run: no ff" in errors


def test_missing_engine_only_warns_outside_ci(no_engines, monkeypatch, capsys):
    monkeypatch.delenv("CI", raising=False)
    assert ensure_tools.ensure_engines.main() == 0
    assert capsys.readouterr().err.count("They will be skipped.") == 2


def test_engines_are_installed_with_apt_where_possible(no_engines, monkeypatch):
    engines = ensure_tools.ensure_engines
    installed = []
    monkeypatch.setattr(engines.ensure_browser, "apt_prefix", lambda: [])
    monkeypatch.setattr(
        engines.ensure_browser, "apt_install", lambda packages, *_: installed.extend(packages)
    )
    monkeypatch.setattr(engines, "MISSING", {"webkit": lambda: None if installed else "none yet"})
    assert engines.main() == 0
    assert installed == ["webkit-package"]
