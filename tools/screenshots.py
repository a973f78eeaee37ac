#!/usr/bin/env python3
"""Screenshots of every page kind, on a phone and a laptop, light and dark,
and PNG renderings of every printed page on Letter and A4.

python tools/screenshots.py OUT_DIR [--only home,stretch,...] [--docs]

Builds the site for a published address (so the printouts carry their QR
codes), serves it the way GitHub Pages does and writes into OUT_DIR:

- ``KIND-phone-light.png`` ... ``KIND-laptop-dark.png``: whole pages at
  390x844 and 1280x800, for every page kind (every stretch page), and
  ``...-screen.png``: the first screen only;
- ``print-KIND-letter.png`` / ``-a4.png``: each printable page printed to PDF
  with half-inch margins and rendered by ``pdftoppm`` (poppler-utils, installed
  with apt on first use where possible);
- ``sizes.txt``: each page's height in screens and each printout's page count.

With ``--docs`` it also refreshes the README's images in ``docs/``. Used to
judge pages by eye after changing templates, CSS or figures.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stretchsite.content import load_site  # noqa: E402
from stretchsite.generator import BuildOptions, build_site  # noqa: E402
from tools import ensure_browser  # noqa: E402
from tools.pages_server import serve_folder  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
SITE_URL = "https://example.github.io/stretch-routine/"
PREFIX = "/stretch-routine/"
DEVICES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "laptop": {"viewport": {"width": 1280, "height": 800}},
}
SCHEMES = ("light", "dark")
PAPERS = {"letter": "Letter", "a4": "A4"}
# The same margins as the print tests: a little more than Chrome's default.
MARGINS = dict.fromkeys(("top", "right", "bottom", "left"), "0.5in")
# README images: (file in docs/, screenshot file written by this tool).
DOCS = {
    "screenshot.png": "home-laptop-light.png",
    "home-phone-light.png": "home-phone-light.png",
    "home-phone-dark.png": "home-phone-dark.png",
    "stretch-phone-light.png": "stretch-calf-stretch-phone-light.png",
    "stretch-phone-dark.png": "stretch-calf-stretch-phone-dark.png",
    "timer-light.png": "timer-phone-light-screen.png",
    "timer-dark.png": "timer-phone-dark-screen.png",
    "card-phone-light.png": "card-under-40-phone-light.png",
    "card-phone-dark.png": "card-under-40-phone-dark.png",
    "print-card-under-40.png": "print-card-under-40-letter.png",
    "print-card-40-plus.png": "print-card-40-plus-letter.png",
    "print-cheatsheet.png": "print-cheatsheet-letter.png",
}


def page_kinds() -> dict[str, str]:
    """Screenshot name -> URL path (under the base) of every page kind."""
    site = load_site(ROOT / "content")
    kinds = {"home": ""}
    kinds |= {f"stretch-{s.slug}": f"stretches/{s.slug}/" for s in site.stretches}
    kinds["timer"] = "timer/"
    kinds |= {f"card-{g.id}": f"cards/{g.id}/" for g in site.age_groups}
    kinds["cheatsheet"] = "cheatsheet/"
    kinds["404"] = "no-such-page/"
    return kinds


def printable(kinds: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in kinds.items() if k.startswith("card-") or k == "cheatsheet"}


def ensure_pdftoppm() -> str | None:
    """Path of pdftoppm, installing Debian's poppler-utils if it is missing and we can."""
    found = shutil.which("pdftoppm")
    if found:
        return found
    prefix = ensure_browser.apt_prefix()
    ensure_browser.apt_install(["poppler-utils"], "(to render printouts as PNG)", prefix)
    return shutil.which("pdftoppm")


def pdf_to_png(pdf: bytes, out: Path, pdftoppm: str) -> int:
    """Render every page of ``pdf`` to ``out`` (page 2 on: ``-2`` before .png); pages."""
    import pypdf

    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for old in out.parent.glob(f"{out.stem}-*.png"):  # extra pages of an earlier run
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.pdf"
        src.write_bytes(pdf)
        subprocess.run([pdftoppm, "-r", "100", "-png", str(src), str(Path(tmp) / "p")], check=True)
        rendered = sorted(Path(tmp).glob("p*.png"))
        for i, png in enumerate(rendered):
            target = out if i == 0 else out.with_name(f"{out.stem}-{i + 1}.png")
            shutil.copyfile(png, target)
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--only", default="", help="comma-separated name prefixes, e.g. home,card")
    parser.add_argument("--docs", action="store_true", help="also refresh the images in docs/")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    kinds = page_kinds()
    if args.only:
        wanted = tuple(args.only.split(","))
        kinds = {k: v for k, v in kinds.items() if k.startswith(wanted)}
    pdftoppm = ensure_pdftoppm()
    if pdftoppm is None:
        print("warning: no pdftoppm (poppler-utils): printouts are not rendered", file=sys.stderr)
    from playwright.sync_api import sync_playwright

    sizes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        dist = Path(tmp) / "dist"
        build_site(
            BuildOptions(
                ROOT / "content",
                ROOT / "templates",
                ROOT / "static",
                dist,
                site_url=SITE_URL,
                base_url=PREFIX,
            )
        )
        server, base = serve_folder(dist, PREFIX, not_found_page=True)
        browser = pw.chromium.launch(executable_path=ensure_browser.find_chromium(), args=ARGS)
        for device, settings in DEVICES.items():
            for scheme in SCHEMES:
                context = browser.new_context(**settings, color_scheme=scheme)
                page = context.new_page()
                for name, path in kinds.items():
                    page.goto(base + path)
                    page.evaluate("document.fonts.ready")
                    shot = args.out / f"{name}-{device}-{scheme}.png"
                    page.screenshot(path=str(shot), full_page=True)
                    # The first screen alone, as someone holding the phone sees it.
                    page.screenshot(path=str(shot.with_name(f"{shot.stem}-screen.png")))
                    height = page.evaluate("document.documentElement.scrollHeight")
                    screens = height / settings["viewport"]["height"]
                    sizes.append(f"{shot.name}: {height} px tall, {screens:.2f} screens")
                context.close()
        if pdftoppm:
            page = browser.new_page()
            for name, path in printable(kinds).items():
                page.goto(base + path)
                page.emulate_media(media="print")
                for paper, paper_format in PAPERS.items():
                    pdf = page.pdf(format=paper_format, margin=MARGINS, print_background=False)
                    shot = args.out / f"print-{name}-{paper}.png"
                    pages = pdf_to_png(pdf, shot, pdftoppm)
                    sizes.append(f"{shot.name}: {pages} printed page(s)")
                page.emulate_media(media="screen")
        browser.close()
        server.shutdown()
    (args.out / "sizes.txt").write_text("\n".join(sizes) + "\n")
    print("\n".join(sizes))
    if args.docs:
        for target, source in DOCS.items():
            if (args.out / source).is_file():
                shutil.copyfile(args.out / source, ROOT / "docs" / target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
