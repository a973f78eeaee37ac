"""axe-core in Chromium: zero violations on every built page, light and dark, no third parties."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ..accessibility import AXE_OPTIONS

pytestmark = pytest.mark.browser

DEEP_MISS = "missing/at/some/depth/"


@pytest.fixture(scope="module")
def axe():
    module = pytest.importorskip("axe_playwright_python.sync_playwright")
    return module.Axe()


def every_page(published: Path, base: str) -> list[str]:
    """The URL of every .html file in the build, so pages added later are covered too."""
    urls = []
    for file in sorted(published.rglob("*.html")):
        relative = file.relative_to(published).as_posix()
        urls.append(base + relative.removesuffix("index.html"))
    return [*urls, base + DEEP_MISS]


def violations(axe, page) -> str:
    """axe's report on the page as it is now, "" when it has no violation."""
    results = axe.run(page, options=AXE_OPTIONS)
    return results.generate_report() if results.violations_count else ""


def summary(reports: dict[str, str]) -> str:
    return "\n\n".join(f"{url}\n{report}" for url, report in reports.items())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [("light", {"width": 390, "height": 844}), ("dark", {"width": 1280, "height": 900})],
)
def test_axe_reports_no_violations(browser, axe, published, published_root, scheme, viewport):
    context = browser.new_context(color_scheme=scheme, viewport=viewport)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    reports = {}
    try:
        for url in every_page(published, published_root):
            response = page.goto(url)
            assert response is not None
            assert response.status == (404 if url.endswith(DEEP_MISS) else 200), url
            # Styles applied everywhere, including the 404 page seen from a deep URL.
            assert "system-ui" in page.evaluate("getComputedStyle(document.body).fontFamily"), url
            if report := violations(axe, page):
                reports[url] = report
    finally:
        context.close()
    assert not reports, summary(reports)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(published_root))
    assert len(requested) > len(every_page(published, published_root))
    assert [url for url in requested if not url.startswith(origin)] == []


def test_axe_does_report_violations(browser, axe):
    """The gate can fail: an unlabelled button and grey-on-grey text are caught."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content(
        '<html><body><main><button></button><p class="x">faint</p></main>'
        "<style>.x{color:#bbb;background:#ccc}</style></body></html>"
    )
    results = axe.run(page, options=AXE_OPTIONS)
    context.close()
    ids = {v["id"] for v in results.response["violations"]}
    assert {"button-name", "color-contrast"} <= ids


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chosen_state_has_no_violations(browser, axe, published_root, scheme):
    """The pages as a runner with choices sees them (their hold marked, a stretch left
    out, the habit panel open, a finished routine on record): still zero violations."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844})
    context.add_init_script(
        "localStorage.setItem('stretchsite:prefs',"
        " JSON.stringify({age: '40-plus', without: ['step']}));"
        "localStorage.setItem('stretchsite:history', JSON.stringify([{"
        "at: '2026-11-24T18:00:00.000Z', date: '2026-11-24', seconds: 600,"
        " age: '40-plus', stretches: ['calf-stretch']}]));"
    )
    page = context.new_page()
    reports = {}
    try:
        for path in ["", "stretches/calf-stretch/", "timer/", "cards/40-plus/"]:
            page.goto(published_root + path)
            if path == "":
                page.locator("#habit > summary").click()
            if report := violations(axe, page):
                reports[path] = report
    finally:
        context.close()
    assert not reports, summary(reports)
