"""The age group and equipment chosen once, followed on every page (issue 14).

Choices are progressive enhancement: without JavaScript, or before a choice,
pages show every hold as they always did; with one, the runner's hold is first
from the very first paint, so nothing shifts and the other hold never flashes.
"""

from __future__ import annotations

import json
import time

import pytest

from stretchsite.printing import qr_svg

from ..conftest import PUBLISHED_URL, ROOT

pytestmark = pytest.mark.browser

PREFS_KEY = "stretchsite:prefs"
# The home page: the holds of the first stretch in the routine list.
FIRST_ROW_HOLDS = ".routine-step:nth-child(2) [data-group]"

# Records, from before any page script, what <html> carried when <body> was
# inserted (the first moment anything could be painted), and every layout shift.
FIRST_PAINT_PROBE = """
window.__atBody = null; window.__shifts = [];
new MutationObserver((records, observer) => {
  if (document.body) {
    window.__atBody = { age: document.documentElement.dataset.age || null,
                        without: document.documentElement.dataset.without || null };
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__shifts.push(e.value);
}).observe({ type: "layout-shift", buffered: true });
"""


def groups(site):
    under, over = site.age_groups[0], site.age_groups[-1]
    return under, over


def visual_order(page, selector: str) -> list[str]:
    """data-group of the items matching `selector`, in the order they are drawn."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)]
            .map((e) => [e.getBoundingClientRect(), e.dataset.group])
            .sort(([a], [b]) => a.top - b.top || a.left - b.left)
            .map(([, g]) => g)""",
        selector,
    )


def mine(page, selector: str) -> list[str]:
    """data-group of the items drawn as the runner's own (a visible border)."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)]
            .filter((e) => getComputedStyle(e).borderTopStyle !== "none"
                && getComputedStyle(e).borderTopColor !== "rgba(0, 0, 0, 0)")
            .map((e) => e.dataset.group)""",
        selector,
    )


def test_age_chosen_on_home_is_followed_everywhere(browser, http_root, real_site):
    under, over = groups(real_site)
    stretch = real_site.stretches[1]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(http_root)
    # Before any choice: content order, nothing marked as theirs.
    assert visual_order(page, FIRST_ROW_HOLDS) == [g.id for g in real_site.age_groups]
    assert mine(page, "[data-group]") == []
    page.get_by_role("radio", name=over.label, exact=True).first.check()
    assert visual_order(page, FIRST_ROW_HOLDS)[0] == over.id
    assert json.loads(page.evaluate(f"localStorage.getItem('{PREFS_KEY}')"))["age"] == over.id

    page.goto(http_root + f"stretches/{stretch.slug}/")
    assert visual_order(page, ".holds [data-group]")[0] == over.id
    assert mine(page, ".holds [data-group]") == [over.id]
    assert page.get_by_role("radio", name=over.label, exact=True).is_checked()
    # "Print" goes to their card.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Print").click()
    page.wait_for_url(f"**/cards/{over.id}/")
    page.reload()
    page.goto(http_root + f"stretches/{stretch.slug}/")
    assert visual_order(page, ".holds [data-group]")[0] == over.id

    # A fresh browser context with this device's storage (a restarted browser).
    fresh = browser.new_context(
        viewport={"width": 390, "height": 844}, storage_state=context.storage_state()
    )
    context.close()
    page = fresh.new_page()
    page.goto(http_root + f"stretches/{stretch.slug}/")
    assert visual_order(page, ".holds [data-group]")[0] == over.id
    # Chosen back on a stretch page: the home page follows.
    page.get_by_role("radio", name=under.label, exact=True).check()
    page.goto(http_root)
    assert visual_order(page, FIRST_ROW_HOLDS)[0] == under.id
    assert mine(page, FIRST_ROW_HOLDS) == [under.id]
    fresh.close()


def late(route):
    """Answer a request half a second late: a page script arriving after the first paint."""
    time.sleep(0.5)
    route.continue_()


@pytest.mark.parametrize("path", ["", "stretches/calf-stretch/"])
def test_choice_is_drawn_from_the_first_paint_without_shift(browser, http_root, real_site, path):
    _, over = groups(real_site)
    # The whole page in view: a layout shift is only reported where it is seen.
    context = browser.new_context(viewport={"width": 390, "height": 9000})
    context.add_init_script(
        f"localStorage.setItem('{PREFS_KEY}', "
        f"JSON.stringify({{age: '{over.id}', without: ['step']}}));" + FIRST_PAINT_PROBE
    )
    page = context.new_page()
    # The page's modules never load: what the runner sees must not depend on them.
    page.route("**/js/choices.js", lambda route: route.abort())
    page.route("**/js/habit/*", lambda route: route.abort())
    page.goto(http_root + path)
    page.wait_for_load_state("load")
    assert page.evaluate("window.__atBody") == {"age": over.id, "without": "step"}
    assert visual_order(page, ".holds [data-group]")[0] == over.id
    # Modules that arrive well after the first paint change nothing on screen.
    page.unroute_all()
    page.route("**/js/choices.js", late)
    page.route("**/js/habit/*", late)
    page.reload()
    page.wait_for_function("() => document.querySelector('input[name=age]:checked')")
    page.evaluate("new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)))")
    assert page.evaluate("window.__shifts") == []
    context.close()


def test_without_javascript_both_holds_show_and_no_choice_is_offered(browser, http_root, real_site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(http_root + "stretches/calf-stretch/")
    holds = page.locator(".holds [data-group]")
    assert holds.count() == len(real_site.age_groups)
    for group in real_site.age_groups:
        assert page.locator(f'.holds [data-group="{group.id}"]').is_visible()
    assert visual_order(page, ".holds [data-group]") == [g.id for g in real_site.age_groups]
    assert not page.locator("form[data-prefs-form]").first.is_visible()
    page.goto(http_root)
    assert not page.locator("#habit").is_visible()
    assert not page.locator(".lacks").first.is_visible()
    context.close()


def test_a_stored_choice_that_is_not_valid_shows_both_holds(browser, http_root, real_site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(
        f'localStorage.setItem(\'{PREFS_KEY}\', \'{{"age": "<b>", "without": 7}}\');'
    )
    page = context.new_page()
    page.goto(http_root + "stretches/calf-stretch/")
    assert visual_order(page, ".holds [data-group]") == [g.id for g in real_site.age_groups]
    assert mine(page, "[data-group]") == []
    assert not page.locator(".lacks").first.is_visible()
    context.close()


def test_missing_equipment_marks_its_stretches_on_the_home_page(page, http_root, real_site):
    page.goto(http_root)
    roller = next(s for s in real_site.stretches if "foam-roller" in s.needs)
    others = [s for s in real_site.stretches if "foam-roller" not in s.needs]
    assert not page.locator(".lacks:visible").count()
    page.get_by_role("checkbox", name="Foam roller").uncheck()
    marked = page.locator(".routine-step:has(.lacks:visible) h3")
    assert marked.all_inner_texts() == [roller.title]
    assert json.loads(page.evaluate(f"localStorage.getItem('{PREFS_KEY}')"))["without"] == [
        "foam-roller"
    ]
    page.reload()
    assert marked.all_inner_texts() == [roller.title]
    assert not page.get_by_role("checkbox", name="Foam roller").is_checked()
    assert others and all(
        page.get_by_role("link", name=s.title, exact=True).is_visible() for s in others
    )
    assert page.problems == []


def test_printed_card_qr_still_opens_its_own_preset(published, real_site):
    _, over = groups(real_site)
    html = (published / f"cards/{over.id}/index.html").read_text()
    expected = qr_svg(f"{PUBLISHED_URL}timer/?age={over.id}", "x")
    path = expected.split(' d="', 1)[1].split('"', 1)[0]
    assert path in html


def test_early_script_and_module_share_the_storage_key():
    early = (ROOT / "static/js/prefs-early.js").read_text()
    module = (ROOT / "static/js/choices.js").read_text()
    assert f'"{PREFS_KEY}"' in early and f'export const KEY = "{PREFS_KEY}"' in module


def test_a_links_age_group_wins_for_the_visit(browser, http_root, real_site):
    under, over = groups(real_site)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(
        f"localStorage.setItem('{PREFS_KEY}', JSON.stringify({{age: '{under.id}', without: []}}));"
    )
    page = context.new_page()
    page.goto(http_root + f"stretches/calf-stretch/?age={over.id}")
    assert visual_order(page, ".holds [data-group]")[0] == over.id
    assert page.get_by_role("radio", name=over.label, exact=True).is_checked()
    # Choosing on the page outlasts the link: it is saved and leaves the address.
    page.get_by_role("radio", name=under.label, exact=True).check()
    assert visual_order(page, ".holds [data-group]")[0] == under.id
    assert "age=" not in page.url
    page.reload()
    assert visual_order(page, ".holds [data-group]")[0] == under.id
    context.close()


def test_equipment_alone_chooses_no_age_group(browser, http_root, real_site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(f"localStorage.setItem('{PREFS_KEY}', '{{\"without\": [\"step\"]}}');")
    page = context.new_page()
    page.goto(http_root + "stretches/calf-stretch/")
    assert page.evaluate("document.documentElement.dataset.age") is None
    assert mine(page, "[data-group]") == []
    assert not page.get_by_role(
        "radio", name=real_site.age_groups[0].label, exact=True
    ).is_checked()
    context.close()
