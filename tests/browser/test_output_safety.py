"""Hostile text in Chromium: shown as text on every page, no script runs, the timer reads it back.

Also the documented choice for raw HTML in Markdown: it is passed through
(content is the site owners'), and the page policy still stops a script in it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.pages_server import served

from ..conftest import PUBLISHED_PREFIX, options_for
from ..helpers import CSP_LISTENER, csp_violations
from ..hostile_site import FIELDS, MARKER, STRETCH_FILE, STRETCH_SLUG, make_hostile

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory):
    dist = make_hostile(tmp_path_factory.mktemp("hostile"))
    with served(dist, PUBLISHED_PREFIX, not_found_page=True) as base:
        yield dist, base


@pytest.fixture
def watched(browser):
    """A page that records dialogs (alert() would open one), policy violations and errors."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.add_init_script(CSP_LISTENER)
    page.console_csp = []
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda exc: page.dialogs.append(f"page error: {exc}"))
    yield page
    context.close()


def test_hostile_text_is_only_text_in_the_browser(watched, hostile_root):
    dist, base = hostile_root
    page = watched
    urls = [
        base + f.relative_to(dist).as_posix().removesuffix("index.html")
        for f in sorted(dist.rglob("*.html"))
    ]
    for url in [*urls, base + "missing/page/"]:
        page.goto(url)
        assert page.locator(f"[{MARKER}], img[src=x]").count() == 0, url
        assert page.title().endswith(FIELDS["site_title"]), url
        assert csp_violations(page) == [], url
    page.goto(base + f"stretches/{STRETCH_SLUG}/")
    assert page.locator("h1").text_content() == FIELDS["title"]
    assert page.locator("p.lead").text_content() == FIELDS["summary"]
    assert FIELDS["cue"] in page.locator("ul.cues li").all_text_contents()
    assert page.dialogs == [], "a planted script ran"


def test_timer_reads_the_exact_strings_and_shows_them_as_text(watched, hostile_root):
    _, base = hostile_root
    page = watched
    page.clock.install()
    page.goto(base + "timer/?walk=0")
    data = page.evaluate("JSON.parse(document.getElementById('routine-data').textContent)")
    calf = next(s for s in data["stretches"] if s["slug"] == STRETCH_SLUG)
    assert (calf["title"], calf["side_names"][0]) == (FIELDS["title"], FIELDS["side"])
    assert FIELDS["cue"] in calf["cues"]
    page.get_by_role("button", name="Start", exact=True).click()
    timer = page.locator("#timer")
    for _ in range(200):
        if timer.get_attribute("data-stretch") == STRETCH_SLUG:
            break
        page.keyboard.press("ArrowRight")
    assert timer.get_attribute("data-stretch") == STRETCH_SLUG
    assert page.locator("[data-view=title]").text_content() == FIELDS["title"]
    assert page.locator("[data-view=side]").text_content() == FIELDS["side"]
    assert FIELDS["cue"] in page.locator("[data-view=cues] li").all_text_contents()
    assert page.locator(f"[{MARKER}]").count() == 0
    assert page.dialogs == []
    assert csp_violations(page) == []


def test_raw_html_in_markdown_is_passed_through_and_its_script_blocked(watched, project: Path):
    """README, *Writing content*: raw HTML is the owners' choice; the policy is the backstop."""
    from stretchsite.generator import build_site

    stretch = project / "content" / STRETCH_FILE
    stretch.write_text(
        stretch.read_text(encoding="utf-8")
        + '\n<p class="owner-note">Owner <em>note</em></p>\n\n'
        + "<script>window.__bodyScript = 1; alert('body')</script>\n",
        encoding="utf-8",
    )
    out = project / "dist"
    build_site(options_for(project, out=out))
    html = (out / "stretches" / STRETCH_SLUG / "index.html").read_text(encoding="utf-8")
    assert "<script>window.__bodyScript = 1; alert('body')</script>" in html  # passed through
    with served(out) as base:
        page = watched
        page.goto(base + f"stretches/{STRETCH_SLUG}/")
        assert page.locator(".steps .owner-note em").text_content() == "note"
        assert page.evaluate("window.__bodyScript") is None
        assert page.dialogs == []
        found = csp_violations(page)
        assert any(v.startswith("script-src-elem blocked inline") for v in found), found
