"""Every page in WebKit and Firefox: no script error or policy violation, a phone layout that holds.

The site is built and served as GitHub Pages would publish it (the session's
``published_root``), and each page is loaded at 390 x 844 CSS px, the width of
a common phone. probe.js records errors and violations from before the page's
first script, so nothing the page does on load goes unseen.
"""

from __future__ import annotations

from pathlib import Path

from ..sitecheck import url_of

# Waits for the service worker (installing it fetches every file of the site),
# then one more task, so queued error and policy reports have arrived.
SETTLE = """() => navigator.serviceWorker.ready.then((registration) =>
  new Promise((resolve) => setTimeout(() => resolve(registration.scope), 50)))"""

# What sticks out at the right edge, what is cut off at the left, and the rows
# the main navigation's links sit on, all from the elements' boxes.
LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (typeof e.className === "string" && e.className.trim()
      ? "." + e.className.trim().split(/\\s+/).join(".") : "");
  const clippedByAncestor = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  const outside = [...document.body.querySelectorAll("*")].filter((e) => {
    const box = e.getBoundingClientRect();
    if (box.width < 2 || box.height < 2 || box.right <= 0) return false; // hidden on purpose
    return (box.right > width + 0.5 || box.left < -0.5) && !clippedByAncestor(e);
  }).map((e) => {
    const box = e.getBoundingClientRect();
    return `${name(e)} spans ${Math.round(box.left)}..${Math.round(box.right)}`;
  });
  const navRows = new Set([...document.querySelectorAll("header nav a")]
    .filter((a) => a.getClientRects().length)
    .map((a) => Math.round(a.getBoundingClientRect().top)));
  return {
    viewport: width, scrollWidth: document.documentElement.scrollWidth,
    outside: outside.slice(0, 10), navRows: navRows.size,
  };
}"""


def page_urls(published: Path, base: str) -> list[str]:
    """Every .html file of the build (pages added later are covered too), and a deep miss."""
    files = sorted(published.rglob("*.html"))
    return [url_of(published, f, base) for f in files] + [base + "missing/at/some/depth/"]


def test_every_page_loads_without_script_errors_or_policy_violations(
    engine, published, published_root
):
    urls = page_urls(published, published_root)
    assert len(urls) >= 10
    problems = {}
    for url in urls:
        engine.goto(url)
        scope = engine.run(SETTLE)
        found = engine.problems() + ([] if scope == published_root else [f"worker scope {scope}"])
        if found:
            problems[url.removeprefix(published_root)] = found
    assert problems == {}


def test_the_probe_sees_errors_and_violations(engine, published_root):
    """probe.js is not blind: an error thrown, an inline script and an outside image all show."""
    engine.goto(published_root)
    engine.run(
        """() => {
        setTimeout(() => { throw new Error("thrown on purpose"); });
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.append(script);
        const image = document.createElement("img");
        image.src = "https://tracker.example/pixel.png";
        document.body.append(image);
        return new Promise((resolve) => setTimeout(resolve, 200));
      }"""
    )
    found = " | ".join(engine.problems())
    assert engine.run("() => window.__ran ?? null") is None, "the inline script ran"
    assert "thrown on purpose" in found
    assert "script-src" in found
    assert "img-src" in found


def test_layout_holds_at_phone_width(engine, published, published_root):
    """At 390 px: the nav on one row, nothing wider than the window, nothing cut off."""
    broken = {}
    for url in page_urls(published, published_root):
        engine.goto(url)
        layout = engine.run(LAYOUT)
        assert layout["viewport"] <= 390, layout  # a classic scrollbar may take some of it
        wider = layout["scrollWidth"] > layout["viewport"]
        if layout["outside"] or layout["navRows"] != 1 or wider:
            broken[url.removeprefix(published_root)] = layout
    assert broken == {}
