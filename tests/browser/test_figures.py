"""Figures in Chromium: visible on light, dark and print backgrounds, no console errors."""

from __future__ import annotations

import base64

import pytest

pytestmark = pytest.mark.browser

# Decode a PNG in the page and count the pixels that stand out from the
# background (the colour at the image's top-left corner): Chromium does the
# decoding, so the tests need no imaging library.
CONTRAST_JS = """async (src) => {
  const img = new Image();
  img.src = src;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, img.width, img.height).data;
  const lum = (i) => 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
  const bg = lum(0);
  let strong = 0;
  for (let i = 0; i < d.length; i += 4) if (Math.abs(lum(i) - bg) > 100) strong++;
  return {bg, share: strong / (d.length / 4)};
}"""


def contrast(scratch, locator) -> dict:
    """Decoded on ``scratch``, a blank page: the site's CSP rightly refuses data: images."""
    png = locator.screenshot()
    return scratch.evaluate(CONTRAST_JS, "data:image/png;base64," + base64.b64encode(png).decode())


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark", "print"])
def test_figures_stand_out_from_the_background(browser, http_root, real_site, scheme):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        color_scheme="light" if scheme == "print" else scheme,
    )
    page = context.new_page()
    scratch = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    if scheme == "print":
        page.emulate_media(media="print")
    backgrounds = set()
    for stretch in real_site.stretches:
        page.goto(f"{http_root}stretches/{stretch.slug}/")
        figure = page.get_by_role("img", name=real_site.figures[stretch.figure].alt)
        result = contrast(scratch, figure)
        backgrounds.add(result["bg"] > 128)
        # The drawn body and equipment cover a few percent of the box at least.
        assert result["share"] > 0.03, (stretch.slug, scheme, result)
    page.goto(http_root)
    thumbs = page.locator(".routine .fig-small")
    assert thumbs.count() == len(real_site.stretches)
    for i in range(thumbs.count()):
        assert contrast(scratch, thumbs.nth(i))["share"] > 0.03, (i, scheme)
    assert backgrounds == {scheme != "dark"}, "the background did not follow the scheme"
    assert problems == []
    context.close()
