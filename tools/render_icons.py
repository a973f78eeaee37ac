"""Render the PNG app icons from static/icons/icon.svg with Chromium (run once, commit).

python tools/render_icons.py

Writes icon-192.png and icon-512.png (the SVG as it is, rounded corners
transparent) and icon-maskable-512.png (full-bleed background, the figure
inside the central 80% safe zone that launchers may crop to a circle).
"""

from __future__ import annotations

import base64
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM_ARGS  # noqa: E402
from tools.ensure_browser import find_chromium  # noqa: E402

ICONS = ROOT / "static" / "icons"


def html_for(svg: str, size: int, maskable: bool) -> str:
    data = base64.b64encode(svg.encode()).decode()
    if not maskable:
        inner = f'<img src="data:image/svg+xml;base64,{data}" width="{size}" height="{size}">'
        return f"<body style='margin:0;background:transparent'>{inner}</body>"
    fill = re.search(r'<rect[^>]*fill="(#[0-9a-fA-F]+)"', svg)[1]
    figure = round(size * 0.8)
    inset = (size - figure) // 2
    inner = (
        f'<img src="data:image/svg+xml;base64,{data}" width="{figure}" height="{figure}" '
        f'style="position:absolute;left:{inset}px;top:{inset}px">'
    )
    return f"<body style='margin:0;background:{fill}'>{inner}</body>"


def main() -> None:
    from playwright.sync_api import sync_playwright

    svg = (ICONS / "icon.svg").read_text()
    jobs = [("icon-192.png", 192, False), ("icon-512.png", 512, False)]
    jobs.append(("icon-maskable-512.png", 512, True))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        for name, size, maskable in jobs:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(html_for(svg, size, maskable))
            page.screenshot(path=str(ICONS / name), omit_background=not maskable)
            page.close()
            print(f"wrote {ICONS / name}")
        browser.close()


if __name__ == "__main__":
    main()
