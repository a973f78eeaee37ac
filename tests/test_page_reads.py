"""Incremental builds trust each page's `reads`: prove no page reads more than it says.

For every page and every stretch field its `reads` leaves out, the field is
changed in the site and the page rendered again: the bytes must not move.
A page that starts reading such a field (a list showing `why`, a stretch page
showing a far neighbour) fails here instead of going stale in incremental builds.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from stretchsite.content import Site, Stretch
from stretchsite.keys import page_key
from stretchsite.pages import EVERYTHING, Page, plan_pages

from .helpers import rendered_pages, site_renderer, with_change


def render_all(site: Site, bytecode: Path, only: set[str] | None = None) -> dict[str, str]:
    """Every page's text by output file (or only those in ``only``)."""
    return rendered_pages(site_renderer(site, bytecode), only)


def covers(page: Page, stretch: Stretch, name: str) -> bool:
    return page.reads.covers(stretch, name)


def test_no_page_reads_a_stretch_field_it_does_not_declare(real_site: Site, tmp_path: Path):
    bytecode = tmp_path / "jinja"
    bytecode.mkdir()
    before = render_all(real_site, bytecode)
    pages = plan_pages(real_site)
    unread = []
    for index, stretch in enumerate(real_site.stretches):
        for name in (f.name for f in fields(Stretch)):
            blind = [p.output for p in pages if not covers(p, stretch, name)]
            if not blind:
                continue
            after = render_all(with_change(real_site, index, name), bytecode, set(blind))
            unread += [
                f"{output} reads `{name}` of {stretch.slug} but does not declare it"
                for output in blind
                if after.get(output) != before[output]
            ]
    assert unread == [], "\n".join(unread)


def test_a_page_reads_everything_unless_it_says_otherwise():
    assert Page("new/", "new.html", "New", "").reads == EVERYTHING


@pytest.mark.parametrize("name", [f.name for f in fields(Stretch)])
def test_every_stretch_field_is_in_the_key_of_a_page_that_reads_everything(
    real_site: Site, name: str
):
    """Including fields added later: nobody keeps a list of them."""
    page = Page("new/", "new.html", "New", "")
    changed_site = with_change(real_site, 0, name)
    assert page_key(page, "env", real_site, {}) != page_key(page, "env", changed_site, {})
