"""Fixtures for the WebKit and Firefox tests: one browser per engine for the whole run.

A test that takes ``engine`` runs once in each engine. An engine that is not
installed skips its tests with the reason, and fails them under CI=true, where
tools/ensure_engines.py has installed everything (see its docstring).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.ensure_engines import MISSING

from .drivers import EnginePage, firefox_page, webkit_page

STARTERS = {"webkit": webkit_page, "firefox": firefox_page}


def start_engine(name: str, logs: Path) -> Iterator[EnginePage]:
    reason = MISSING[name]()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is missing under CI=true: {reason}")
        pytest.skip(f"{name} is not installed: {reason} (make test installs it where it can)")
    with STARTERS[name](logs / f"{name}.log") as page:
        yield page


@pytest.fixture(scope="session")
def webkit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EnginePage]:
    """WebKitGTK on its own Xvfb display, started once."""
    yield from start_engine("webkit", tmp_path_factory.mktemp("webkit"))


@pytest.fixture(scope="session")
def firefox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EnginePage]:
    """Firefox ESR over WebDriver BiDi, started once."""
    yield from start_engine("firefox", tmp_path_factory.mktemp("firefox"))


@pytest.fixture(
    params=[
        pytest.param("webkit", marks=[pytest.mark.webkit, pytest.mark.xdist_group("webkit")]),
        pytest.param("firefox", marks=[pytest.mark.firefox, pytest.mark.xdist_group("firefox")]),
    ]
)
def engine(request: pytest.FixtureRequest) -> EnginePage:
    """The test's page in each engine in turn, on a blank 390 x 844 viewport."""
    page = request.getfixturevalue(request.param)
    page.open()
    return page
