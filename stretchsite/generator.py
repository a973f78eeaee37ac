"""The library API: load, validate, plan, render and write a whole site."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .content import load_site
from .output import copy_static, staging, write_file
from .pages import plan_pages
from .render import Renderer, normalise_base


@dataclass(frozen=True)
class BuildOptions:
    content: Path = Path("content")
    templates: Path = Path("templates")
    static: Path = Path("static")
    out: Path = Path("dist")
    base_url: str = "/"
    site_url: str = ""


@dataclass(frozen=True)
class BuildReport:
    out: Path
    pages: int
    static_files: int
    seconds: float

    def summary(self) -> str:
        return (
            f"Built {self.pages} pages and copied {self.static_files} static files "
            f"into {self.out} in {self.seconds * 1000:.0f} ms"
        )


def build_site(options: BuildOptions) -> BuildReport:
    """Build the site described by ``options``.

    Raises :class:`stretchsite.content.ContentErrors` before anything is
    written if the content is invalid; the old output folder is then untouched.
    """
    started = time.perf_counter()
    site = load_site(options.content)
    renderer = Renderer(site, options.templates, options.base_url, options.site_url)
    pages = [p for p in plan_pages(site) if options.site_url or not p.needs_site_url]
    renderer.pages = tuple(pages)
    with staging(options.out) as root:
        static_files = copy_static(options.static, root)
        for page in pages:
            write_file(root, page.output, renderer.render(page))
    return BuildReport(Path(options.out), len(pages), static_files, time.perf_counter() - started)


__all__ = ["BuildOptions", "BuildReport", "build_site", "normalise_base"]
