"""Printable pages in Chromium: each prints to exactly one page, legibly, on A4 and Letter."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import pypdf
import pytest

from stretchsite.generator import build_site
from tools.pages_server import served

from ..conftest import options_for
from ..printcheck import overstuff_content, printed_page, stress_content

pytestmark = pytest.mark.browser

SITE_URL = "https://example.github.io/stretch-routine/"
PREFIX = "/stretch-routine/"
# A little more than Chrome's default margins (0.4 in) and about what Firefox
# and Safari use: if a sheet fits with these, it fits with the defaults.
MARGINS = {side: "0.5in" for side in ("top", "right", "bottom", "left")}
MARGIN_PT = 36
# Legible from the floor at arm's length (points on paper).
MIN_HOLD_PT = 14
MIN_NAME_PT = 13
MIN_TEXT_PT = 9  # everything but the credit line with the address
MIN_FIGURE_IN = 1
MAX_BLANK = 0.12  # of the page area, below the last ink
# The page area of each paper with MARGINS, in CSS px: print media queries
# see it, so a window this size lays the sheet out as that paper does.
PAGE_AREAS = {"Letter": (720, 960), "A4": (698, 1027)}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def printable_paths(site) -> list[str]:
    return [*(f"cards/{g.id}/" for g in site.age_groups), "cheatsheet/"]


def page_count(page, paper: str) -> int:
    pdf = page.pdf(format=paper, margin=MARGINS, print_background=False)
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


@contextmanager
def serve_build(project, edit=None) -> Iterator[tuple[str, object]]:
    """``project`` built after ``edit``, served: (base URL, build report)."""
    if edit:
        edit(project / "content")
    out = project / "dist"
    report = build_site(options_for(project, out=out, site_url=SITE_URL, base_url=PREFIX))
    with served(out, PREFIX) as base:
        yield base, report


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_each_printable_page_prints_on_one_page(browser, published_root, real_site, device):
    context = browser.new_context(**device)
    page = context.new_page()
    counts = {}
    for path in printable_paths(real_site):
        page.goto(published_root + path)
        page.emulate_media(media="print")
        for paper in ("Letter", "A4"):
            counts[path, paper] = page_count(page, paper)
    context.close()
    assert counts == dict.fromkeys(counts, 1), counts


def test_print_media_hides_screen_parts_and_keeps_text_legible(page, published_root, real_site):
    for path in printable_paths(real_site):
        page.goto(published_root + path)
        page.emulate_media(media="print")
        hidden = page.evaluate(
            """() => ['.site-header', '.site-footer', '.print-toolbar', '[data-print]']
                .map(s => document.querySelector(s))
                .filter(e => e && e.getClientRects().length > 0).map(e => e.className)"""
        )
        assert hidden == [], path
        # 9 pt = 12 CSS px: the smallest text anywhere on the sheet.
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('.sheet *')]
                .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
                .map(e => parseFloat(getComputedStyle(e).fontSize)))"""
        )
        assert smallest >= 12, (path, smallest)
        # Black text on white; nothing needs a background colour to be read.
        colours = page.evaluate(
            """() => [...new Set([...document.querySelectorAll('.sheet, .sheet *')]
                .map(e => getComputedStyle(e).color))]"""
        )
        assert colours == ["rgb(0, 0, 0)"], (path, colours)
        page.emulate_media(media="screen")
    assert page.problems == []


def test_stretch_blocks_never_split(page, published_root, real_site):
    page.goto(published_root + printable_paths(real_site)[0])
    page.emulate_media(media="print")
    rules = page.evaluate(
        """() => [...document.querySelectorAll('.card-stretch')]
            .map(e => getComputedStyle(e).breakInside)"""
    )
    assert rules == ["avoid"] * len(real_site.stretches)


def test_print_button_prints_and_timer_link_has_the_preset(page, published_root, real_site):
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; }")
    group = real_site.age_groups[-1]
    page.goto(published_root + f"cards/{group.id}/")
    page.get_by_role("button", name="Print this page").click()
    assert page.evaluate("window.__printed") == 1
    link = page.get_by_role("link", name=f"Open the timer for {group.label.lower()}")
    assert link.get_attribute("href") == f"{PREFIX}timer/?age={group.id}"
    # On screen the sheet is scaled to fit the phone, never wider than the window.
    width = page.evaluate("document.querySelector('.sheet').getBoundingClientRect().right")
    assert width <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.problems == []


def test_stressed_content_still_fits_one_page(browser, project):
    with serve_build(project, stress_content) as (base, report):
        assert report.warnings == ()
        page = browser.new_page()
        page.emulate_media(media="print")
        from stretchsite.content import load_site

        for path in printable_paths(load_site(project / "content")):
            page.goto(base + path)
            for paper in ("Letter", "A4"):
                assert page_count(page, paper) == 1, (path, paper)
        page.close()


def test_the_fit_warning_is_honest(browser, project):
    """Content the build warns about really does spill onto a second page."""
    with serve_build(project, overstuff_content) as (base, report):
        assert any("will probably not fit" in w for w in report.warnings)
        page = browser.new_page()
        page.emulate_media(media="print")
        page.goto(base + "cards/under-40/")
        assert page_count(page, "Letter") > 1
        page.close()


def test_printouts_are_legible_from_the_floor(browser, published_root, real_site):
    """Holds, names and figures are big enough on paper, on each paper size."""
    context = browser.new_context()
    page = context.new_page()
    for path in printable_paths(real_site):
        for paper, (width, height) in PAGE_AREAS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(published_root + path)
            page.emulate_media(media="print")
            found = page.evaluate(
                """() => {
                  const pt = (e) => parseFloat(getComputedStyle(e).fontSize) * 0.75;
                  const all = (s) => [...document.querySelectorAll(s)];
                  return {
                    holds: all('.card-hold strong, .cheat-hold strong').map(pt),
                    names: all('.card-text h2, .cheat-stretch .cheat-name').map(pt),
                    figures: all('.sheet .fig').map((e) => e.getBoundingClientRect().width / 96),
                  };
                }"""
            )
            where = (path, paper)
            assert len(found["holds"]) >= len(real_site.stretches), where
            assert min(found["holds"]) >= MIN_HOLD_PT, (where, found["holds"])
            assert len(found["names"]) == len(real_site.stretches), where
            assert min(found["names"]) >= MIN_NAME_PT, (where, found["names"])
            assert len(found["figures"]) == len(real_site.stretches), where
            assert min(found["figures"]) >= MIN_FIGURE_IN, (where, found["figures"])
    context.close()


def test_printed_pages_use_the_paper_and_no_text_is_tiny(browser, published_root, real_site):
    """In the PDF itself: one page, no text under 9 pt but the credit line,
    and at most 12% of the page area left blank below the last ink."""
    page = browser.new_page()
    for path in printable_paths(real_site):
        page.goto(published_root + path)
        credit = " ".join(page.locator(".sheet-credit").inner_text().split())
        page.emulate_media(media="print")
        for paper in ("Letter", "A4"):
            pdf = page.pdf(format=paper, margin=MARGINS, print_background=False)
            printed = printed_page(pdf)
            where = (path, paper)
            assert printed["pages"] == 1, where
            tiny = [(t, s) for t, s, _ in printed["runs"] if s < MIN_TEXT_PT and t not in credit]
            assert tiny == [], (where, tiny)
            assert min(s for _, s, _ in printed["runs"]) >= 8, where  # the credit line too
            area = printed["height"] - 2 * MARGIN_PT
            blank = (printed["height"] - MARGIN_PT - printed["ink_bottom"]) / area
            assert 0 <= blank <= MAX_BLANK, f"{where}: {blank:.0%} of the page is blank at the foot"
    page.close()
