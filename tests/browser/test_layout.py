"""Page layout promises, measured in Chromium: how tall pages are, what the
first phone screen shows, where the nav goes, how big figures and text come out."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# A phone-width window with a classic 15 px scrollbar (Firefox on a desktop).
NARROW = {"viewport": {"width": 375, "height": 844}}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
MAX_HOME_SCREENS = 3
MIN_THUMB_PX = 120  # on a laptop
MIN_PHONE_TEXT_PX = 14


@pytest.fixture
def open_page(browser, http_root):
    contexts = []

    def open_(path: str, device: dict, scheme: str = "light"):
        context = browser.new_context(**device, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        page.goto(http_root + path)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_is_at_most_three_phone_screens(open_page, scheme):
    page = open_page("", PHONE, scheme)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= MAX_HOME_SCREENS * 844, f"home is {height / 844:.2f} screens tall"


def test_routine_starts_on_the_first_phone_screen(open_page, real_site):
    page = open_page("", PHONE)
    rows = page.locator(".routine > li")
    assert rows.count() == len(real_site.stretches) + 1  # the cooldown walk, then each stretch
    first = page.get_by_role("link", name=real_site.stretches[0].title)
    box = first.bounding_box()
    assert box["y"] + box["height"] <= 844, "the first stretch is below the first screen"
    # Compact rows: each stretch's name, its holds and its dose, no more.
    for i in range(1, rows.count()):
        assert rows.nth(i).bounding_box()["height"] <= 150, rows.nth(i).inner_text()


def test_one_disclaimer_on_the_home_page(open_page, real_site):
    text = " ".join(open_page("", PHONE).locator("body").inner_text().split())
    assert text.count(" ".join(real_site.disclaimer.split())) == 1


@pytest.mark.parametrize("device", [PHONE, NARROW, LAPTOP], ids=["phone", "scrollbar", "laptop"])
def test_nav_goes_to_different_places_on_one_line(open_page, device):
    page = open_page("", device)
    links = page.locator(".site-nav a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(set(hrefs)) == len(hrefs) >= 3, hrefs
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    brand = page.locator(".brand").bounding_box()
    assert len(tops) == 1, "the nav wraps onto a second line"
    assert abs(tops.pop() - brand["y"]) <= 8, "the nav fell below the site's name"
    assert page.evaluate("document.documentElement.scrollWidth") <= device["viewport"]["width"]


@pytest.mark.parametrize("device", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_holds_line_up_the_same_way_in_every_row(open_page, real_site, device):
    """Every row shows each age group's hold on its own line, label and value
    in the same columns, never wrapped inside a value."""
    page = open_page("", device)
    rows = page.evaluate(
        """() => [...document.querySelectorAll('.routine .holds')].map(dl =>
             [...dl.querySelectorAll('dd')].map(dd => {
               const r = dd.getBoundingClientRect();
               const line = parseFloat(getComputedStyle(dd).lineHeight);
               return [Math.round(r.left), Math.round(r.height / line)];
             }))"""
    )
    assert len(rows) == len(real_site.stretches)
    assert all(len(r) == len(real_site.age_groups) for r in rows)
    lefts = {left for row in rows for left, _ in row}
    assert len(lefts) == 1, f"values start at different places: {lefts}"
    assert {lines for row in rows for _, lines in row} == {1}, "a hold wraps onto two lines"


def test_thumbnails_share_one_scale_and_are_large_on_a_laptop(open_page, real_site):
    page = open_page("", LAPTOP)
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.routine .fig-small')].map(svg => {
             const r = svg.getBoundingClientRect();
             return [r.width, r.width / svg.viewBox.baseVal.width];
           })"""
    )
    assert len(sizes) == len(real_site.stretches)
    assert min(w for w, _ in sizes) >= MIN_THUMB_PX, sizes
    scales = [s for _, s in sizes]
    assert max(scales) - min(scales) < 0.01, f"pixels per figure unit differ: {scales}"


@pytest.mark.parametrize("path", ["cheatsheet/", "cards/under-40/"])
def test_printouts_on_a_phone_reflow_into_readable_text(open_page, real_site, path):
    page = open_page(path, PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.sheet *')]
             .filter(e => e.getBoundingClientRect().width > 1 &&
               [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
             .map(e => [parseFloat(getComputedStyle(e).fontSize),
                        e.textContent.trim().slice(0, 30)])"""
    )
    small = [s for s in sizes if s[0] < MIN_PHONE_TEXT_PX]
    assert sizes and small == [], small
    # Every stretch's name and both holds are there to read, not squeezed into columns.
    text = page.locator(".sheet").inner_text()
    width = page.evaluate("document.querySelector('.sheet').getBoundingClientRect().width")
    assert width >= 340, "the sheet is a shrunk picture of paper, not text"
    for stretch in real_site.stretches:
        assert stretch.title in re.sub(r"\s+", " ", text)
