"""The timer shows the figure of the stretch being done, and only that one."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def visible_figures(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-figure]')]
            .filter(f => f.getClientRects().length > 0).map(f => f.dataset.figure)"""
    )


def test_each_stretch_shows_its_own_figure(page, http_root, real_site):
    page.clock.install()
    page.goto(http_root + "timer/")
    page.get_by_role("button", name="Start", exact=True).click()
    # The routine's code arrives on the first tap: wait for it to run.
    page.wait_for_function("() => document.getElementById('timer').dataset.state === 'running'")
    seen = []
    for _ in range(80):
        if page.evaluate("document.getElementById('timer').dataset.state") == "finished":
            break
        current = page.evaluate("document.getElementById('timer').dataset.stretch")
        shown = visible_figures(page)
        assert shown == ([current] if current else []), (current, shown)
        if current and current not in seen:
            seen.append(current)
        page.get_by_role("button", name="Next").click()
    with_figures = [s.slug for s in real_site.stretches if s.figure]
    assert seen == [s.slug for s in real_site.stretches]
    assert set(with_figures) <= set(seen)
    assert page.problems == []
