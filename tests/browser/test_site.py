"""The built site in a real Chromium: navigation works and nothing errors."""

from __future__ import annotations

import pytest

from tools.pages_server import served

from ..conftest import ROOT, options_for

pytestmark = pytest.mark.browser


def test_home_to_stretch_and_back(page, http_root, real_site):
    page.goto(http_root)
    assert page.title().startswith(real_site.title)
    first = real_site.stretches[0]
    page.get_by_role("link", name=first.title, exact=True).click()
    page.wait_for_url(f"**/stretches/{first.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == first.title
    page.get_by_role("link", name="Next").click()
    page.wait_for_url(f"**/stretches/{real_site.stretches[1].slug}/")
    page.go_back()
    page.go_back()
    page.wait_for_url(http_root)
    assert page.problems == []


def test_every_page_loads_cleanly_under_a_project_path(page, tmp_path, real_site):
    out = tmp_path / "dist"
    from stretchsite.generator import build_site

    build_site(options_for(ROOT, out=out, base_url="/stretch-routine/"))
    with served(out, "/stretch-routine/") as base:
        for path in ["", *(f"stretches/{s.slug}/" for s in real_site.stretches)]:
            page.goto(base + path)
            # The stylesheet applied: the body uses the site's font, not the default serif.
            font = page.evaluate("getComputedStyle(document.body).fontFamily")
            assert "system-ui" in font
        assert page.problems == []


def test_keyboard_reaches_skip_link_first(page, http_root):
    page.goto(http_root)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_dark_mode_changes_colours(browser, http_root):
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(http_root)
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        context.close()
    assert colours["light"] != colours["dark"]
