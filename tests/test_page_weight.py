"""Every page's first round trip fits the first TCP window (about 14.6 KB).

What a browser needs before it can paint: the gzipped HTML plus every
render-blocking stylesheet the page links in its head.
"""

from __future__ import annotations

import gzip

from .helpers import parse_html

FIRST_ROUND_TRIP = 14_600


def first_round_trip(built, page) -> int:
    html = page.read_bytes()
    size = len(gzip.compress(html, 9))
    for link in parse_html(html.decode()).one("head").find_all("link", rel="stylesheet"):
        size += len(gzip.compress((built / link.get("href").lstrip("/")).read_bytes(), 9))
    return size


def test_every_page_fits_the_first_round_trip(built):
    pages = sorted(built.rglob("*.html"))
    assert len(pages) >= 10
    sizes = {p.relative_to(built).as_posix(): first_round_trip(built, p) for p in pages}
    too_big = {name: size for name, size in sizes.items() if size > FIRST_ROUND_TRIP}
    assert too_big == {}


def test_the_measure_counts_linked_stylesheets(built):
    timer = built / "timer/index.html"
    html_only = len(gzip.compress(timer.read_bytes(), 9))
    assert first_round_trip(built, timer) > html_only + 1000  # site.css and timer.css
