"""`build.py serve` in Chromium: live reload on save, and build errors shown over the page.

The overlay is checked under the site's own Content-Security-Policy: no
violation may be reported while it comes and goes.
"""

from __future__ import annotations

import time
import urllib.request

import pytest
from playwright.sync_api import expect

from ..accessibility import AXE_OPTIONS
from ..devserver import dev_server, settled, wait_until_settled
from ..helpers import edit_file, replaced

pytestmark = pytest.mark.browser

OVERLAY = "[data-dev-overlay] aside"
# Runs before any script of the page (Playwright injects it outside the policy).
LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`));
"""


@pytest.fixture
def server(project):
    with dev_server(project) as running:
        yield running.url


@pytest.fixture
def watched(page):
    """The page, recording policy violations and any dialog (the overlay replaced alerts)."""
    page.add_init_script(LISTENER)
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    return page


def open_stretch(page, server: str) -> None:
    page.goto(server + "stretches/calf-stretch/")
    # Not the "waiting for the first build" page, nor one about to catch up with a build.
    wait_until_settled(page)


def break_file(page, server: str, path, old: str, new: str):
    """Open a page, save ``path`` with ``old`` replaced; the overlay that appears."""
    good = path.read_text()
    open_stretch(page, server)
    page.evaluate("window.__sameDocument = true")
    path.write_text(replaced(good, old, new, 1))
    overlay = page.locator(OVERLAY)
    overlay.wait_for(timeout=15000)
    assert page.evaluate("window.__sameDocument"), "shown without reloading the page"
    return overlay, good


def test_edit_reloads_the_open_page(watched, project, server):
    page = watched
    calf = project / "content/stretches/05-calf-stretch.md"
    open_stretch(page, server)
    assert page.get_by_role("heading", level=1).inner_text() == "Calf Stretch"
    edit_file(calf, "title: Calf Stretch", "title: Calf Stretch Deluxe")
    page.get_by_role("heading", level=1, name="Calf Stretch Deluxe").wait_for(timeout=15000)
    expect(page.locator(OVERLAY)).to_have_count(0)
    assert settled(page, lambda: page.evaluate("window.__csp")) == []


def test_a_build_that_ends_while_the_page_loads_is_not_missed(watched, project, server):
    """A build's reload reaches only tabs already listening; a tab that starts later catches up.

    The tab's "info" message, which makes the server count it as listening, is
    held back until the build is done: the reload goes to no one.
    """
    page = watched
    held: list = []
    released = False

    def route(socket) -> None:
        upstream = socket.connect_to_server()

        def to_server(message) -> None:
            if not released and '"info"' in str(message):
                held.append((upstream, message))
            else:
                upstream.send(message)

        socket.on_message(to_server)

    page.route_web_socket("**/livereload", route)
    open_stretch(page, server)
    deadline = time.monotonic() + 15
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the reload client said hello"
    calf = project / "content/stretches/05-calf-stretch.md"
    edit_file(calf, "title: Calf Stretch", "title: Calf Stretch Late")
    deadline = time.monotonic() + 30
    while b"Calf Stretch Late" not in urllib.request.urlopen(page.url).read():
        assert time.monotonic() < deadline, "the server rebuilt"
        time.sleep(0.05)
    assert page.get_by_role("heading", level=1).inner_text() == "Calf Stretch", "not reloaded"
    released = True
    for upstream, message in held:
        upstream.send(message)
    page.get_by_role("heading", level=1, name="Calf Stretch Late").wait_for(timeout=15000)


def test_content_error_shows_over_the_page_and_goes_when_fixed(watched, project, server):
    page = watched
    calf = project / "content/stretches/05-calf-stretch.md"
    overlay, good = break_file(page, server, calf, "order: 5", "order: five")
    assert overlay.locator("code").first.inner_text() == "content/stretches/05-calf-stretch.md:3"
    assert "`order` must be a whole number" in overlay.inner_text()
    assert "still serving the site built at" in overlay.get_by_role("heading").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Calf Stretch", "last good page"
    # A tab opened while the build is broken shows the problem too.
    other = page.context.new_page()
    other.goto(server)
    other.locator(OVERLAY).wait_for(timeout=15000)
    assert "05-calf-stretch.md:3" in other.locator(OVERLAY).inner_text()
    other.close()
    # Hide, by button or Escape, for a look at the page underneath.
    overlay.get_by_role("button", name="Hide").click()
    assert not overlay.is_visible()
    calf.write_text(replaced(good, "title: Calf Stretch", "title: Calf Stretch Fixed"))
    page.get_by_role("heading", level=1, name="Calf Stretch Fixed").wait_for(timeout=15000)
    expect(page.locator(OVERLAY)).to_have_count(0)
    assert page.dialogs == [], "no alert() dialogs: the overlay says it"
    assert settled(page, lambda: page.evaluate("window.__csp")) == []


def test_template_error_shows_its_file_and_line(watched, project, server):
    page = watched
    template = project / "templates/stretch.html"
    overlay, good = break_file(
        page, server, template, "{% block main %}", "{% block main %}{% if %}"
    )
    assert overlay.locator("code").first.inner_text() == "templates/stretch.html:2"
    page.keyboard.press("Escape")
    assert not overlay.is_visible()
    template.write_text(good)
    page.wait_for_function("() => !document.querySelector('[data-dev-overlay]')", timeout=15000)
    assert settled(page, lambda: page.evaluate("window.__csp")) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_overlay_is_accessible(browser, project, scheme):
    """axe-core over the overlay, on the page shown before any good build.

    That page has little on it: over a figure, axe cannot tell the overlay's
    background and skips the contrast check.
    """
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    calf = project / "content/stretches/05-calf-stretch.md"
    edit_file(calf, "order: 5", "order: five")
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        with dev_server(project) as server:
            page.goto(server.url)
            page.locator(OVERLAY).wait_for()
            assert page.get_by_role("alert").get_by_role("heading").is_visible()
            results = axe.run(page, options=AXE_OPTIONS)
            assert results.violations_count == 0, results.generate_report()
            checked = {r["id"] for r in results.response["passes"]}
            assert "color-contrast" in checked, "contrast was judged, not skipped"
    finally:
        context.close()
