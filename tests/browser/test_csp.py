"""The strict Content-Security-Policy in Chromium: every page works under it, untouched.

Each page is loaded as GitHub Pages would serve it (under /stretch-routine/),
with a listener that records every `securitypolicyviolation` event and every
console message about the policy. The timer runs, a card's Print button is
pressed and the service worker registers: not one violation. A page with
inline code injected into it shows that the listener does catch them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..devserver import dev_server, settled, wait_until_settled
from ..helpers import CSP_LISTENER, csp_violations, edit_file, replaced

pytestmark = pytest.mark.browser

# Runs before any script of the page (Playwright injects it outside the policy).
CSP_WORDS = "Content Security Policy"


@pytest.fixture
def csp_page(browser):
    """A fresh page that records policy violations and console messages about the policy."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.add_init_script(CSP_LISTENER)
    page.console_csp = []
    page.on(
        "console",
        lambda msg: page.console_csp.append(msg.text) if CSP_WORDS in msg.text else None,
    )
    yield page
    context.close()


def html_urls(published: Path, base: str) -> list[str]:
    """Every .html file of the build, so pages added later are checked too."""
    return [
        base + f.relative_to(published).as_posix().removesuffix("index.html")
        for f in sorted(published.rglob("*.html"))
    ]


def test_every_page_works_under_the_policy(csp_page, published, published_root):
    page = csp_page
    urls = html_urls(published, published_root)
    assert len(urls) >= 10
    for url in [*urls, published_root + "missing/at/some/depth/"]:
        page.goto(url)
        policy = page.locator("meta[http-equiv=Content-Security-Policy]")
        assert policy.count() == 1, url
        # The service worker registers (and installs: it fetches every file) under the policy.
        scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
        assert scope == published_root
        assert csp_violations(page) == [], url


def test_timer_runs_under_the_policy(csp_page, published_root):
    page = csp_page
    page.clock.install()
    page.goto(published_root + "timer/?walk=0")
    page.locator("#set-ready").fill("7")
    page.locator("#set-ready").press("Enter")  # the settings form must not navigate away
    assert page.url.startswith(published_root + "timer/")
    page.get_by_role("button", name="Start", exact=True).click()
    # The routine's code arrives on the first tap: wait for it to run.
    page.wait_for_function("() => document.getElementById('timer').dataset.state === 'running'")
    page.clock.run_for(45_000)
    assert page.locator("#timer").get_attribute("data-state") == "running"
    assert int(page.locator("#timer").get_attribute("data-step")) >= 1
    assert re.fullmatch(r"\d+(:[0-5]\d)?", page.locator("[data-view=clock]").inner_text())
    page.keyboard.press("ArrowRight")
    page.get_by_role("button", name="Pause").click()
    assert csp_violations(page) == []


@pytest.mark.parametrize("path", ["cards/under-40/", "cheatsheet/"])
def test_print_button_works_under_the_policy(csp_page, published_root, path):
    page = csp_page
    page.goto(published_root + path)
    page.get_by_role("button", name="Print this page").click()
    assert page.evaluate("window.__printed") == 1
    assert csp_violations(page) == []


def test_inline_code_is_blocked_and_reported(csp_page, published, published_root):
    """The listener is not blind: inline script, style attributes and outside requests show up."""
    page = csp_page
    html = (published / "index.html").read_text(encoding="utf-8")
    hostile = (
        '<script>window.__ran = "inline";</script>'
        '<p style="color: red" onclick="window.__ran = 1">styled</p>'
        '<img src="https://tracker.example/pixel.png" alt="">'
        '<iframe src="https://frame.example/"></iframe>'
    )
    html = replaced(html, "<main", hostile + "<main", 1)
    page.route(published_root, lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(published_root)
    page.locator("p", has_text="styled").click()
    found = csp_violations(page)
    assert page.evaluate("window.__ran") is None, "the inline script ran"
    directives = {v.split()[0] for v in found if not v.startswith("Refused")}
    assert {"script-src-elem", "style-src-attr", "script-src-attr", "img-src", "frame-src"} <= (
        directives
    ), found


def test_dev_server_live_reloads_under_the_policy(csp_page, project):
    """The reload client is a same-origin file and its websocket is covered by connect-src."""
    page = csp_page
    calf = project / "content/stretches/05-calf-stretch.md"
    with dev_server(project) as server:
        page.goto(server.url + "stretches/calf-stretch/")
        wait_until_settled(page)
        assert settled(page, lambda: csp_violations(page)) == []
        edit_file(calf, "title: Calf Stretch", "title: Calf Reloaded")
        page.get_by_role("heading", level=1, name="Calf Reloaded").wait_for(timeout=15000)
        # Under load a tab may reload once more (a second build, the catch-up check on
        # reconnect): read the violations of the page the server leaves it on.
        assert settled(page, lambda: csp_violations(page)) == []
