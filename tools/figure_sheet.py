#!/usr/bin/env python3
"""Screenshots of the stretch figures: a contact sheet and each stretch page.

python tools/figure_sheet.py OUT_DIR [--pages]

Writes figures-light.png and figures-dark.png (all figures on one sheet, at a
phone-sized width) into OUT_DIR; with --pages also each stretch page at
390x844 in both colour schemes. Used to judge the figures by eye and to
refresh docs/figures-*.png.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stretchsite.content import load_site  # noqa: E402
from stretchsite.drawing import render_svg  # noqa: E402
from stretchsite.generator import BuildOptions, build_site  # noqa: E402
from tools.ensure_browser import find_chromium  # noqa: E402
from tools.pages_server import serve_folder  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def sheet_html(css: str) -> str:
    """Every figure with its stretch's title, styled by the site's own CSS."""
    site = load_site(ROOT / "content")
    items = "".join(
        f"<section><h2>{s.order}. {s.title}</h2><figure class='stretch-figure'>"
        f"{render_svg(site.figures[s.figure], 'large', 'f' + str(s.order))}</figure></section>"
        for s in site.stretches
        if s.figure
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<meta name='color-scheme' content='light dark'>"
        f"<style>{css} h2{{font-size:1rem;margin:.6rem 0 .2rem}} "
        ".stretch-figure{margin:0}</style>"
        f"</head><body><main class='wrap'>{items}</main></body></html>"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", action="store_true", help="also each stretch page")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    css = (ROOT / "static/css/site.css").read_text()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=ARGS)
        for scheme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": 390, "height": 844}, color_scheme=scheme
            )
            page = context.new_page()
            page.set_content(sheet_html(css))
            page.screenshot(path=str(args.out / f"figures-{scheme}.png"), full_page=True)
            if args.pages:
                dist = Path(tmp) / "dist"
                if not dist.exists():
                    build_site(
                        BuildOptions(ROOT / "content", ROOT / "templates", ROOT / "static", dist)
                    )
                server, base = serve_folder(dist)
                for path in sorted((dist / "stretches").glob("*/index.html")):
                    page.goto(f"{base}stretches/{path.parent.name}/")
                    page.screenshot(path=str(args.out / f"{path.parent.name}-{scheme}.png"))
                page.goto(base)
                page.locator(".routine").screenshot(path=str(args.out / f"home-{scheme}.png"))
                server.shutdown()
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
