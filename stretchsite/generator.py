"""The library API: load, validate, plan, render and write a whole site."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from .content import load_site
from .output import copy_static, staging, write_file
from .pages import plan_pages
from .printing import print_warnings
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
    warnings: tuple[str, ...] = ()  # the site was built, but an author should know

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
            if not page.lists_outputs:
                write_file(root, page.output, renderer.render(page))
        outputs, version = list_outputs(root)
        for page in pages:
            if page.lists_outputs:
                write_file(
                    root, page.output, renderer.render(page, outputs=outputs, version=version)
                )
    warnings = tuple(print_warnings(site, options.site_url))
    seconds = time.perf_counter() - started
    return BuildReport(Path(options.out), len(pages), static_files, seconds, warnings)


def list_outputs(root: Path) -> tuple[list[str], str]:
    """URLs (relative to the site's base) of every file written so far, and a hash of them.

    A folder's `index.html` is listed as the folder (`timer/`), which is the URL
    people visit. The hash changes whenever any file's name or content does, so
    a service worker built from it gets a fresh cache name on every change.
    """
    digest = hashlib.sha256()
    urls = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
        if relative == "index.html":
            urls.append("./")
        elif relative.endswith("/index.html"):
            urls.append(relative[: -len("index.html")])
        else:
            urls.append(relative)
    return urls, digest.hexdigest()[:16]


__all__ = ["BuildOptions", "BuildReport", "build_site", "normalise_base"]
