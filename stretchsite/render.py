"""Turn planned pages into HTML: the Jinja environment, Markdown and URLs."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import markdown
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .content import Site
from .pages import Page, stretch_path


def normalise_base(base: str) -> str:
    """`repo`, `/repo`, `/repo/` -> `/repo/`; empty -> `/`."""
    base = "/" + base.strip().strip("/")
    return base if base == "/" else base + "/"


class Renderer:
    """Renders pages of one site with one set of templates and one base URL."""

    def __init__(self, site: Site, templates: Path, base_url: str = "/", site_url: str = ""):
        self.site = site
        self.base_url = normalise_base(base_url)
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        # Every page of the build, for pages that list others (sitemap.xml).
        self.pages: tuple[Page, ...] = ()
        self._markdown = markdown.Markdown(extensions=["sane_lists"], output_format="html")
        self.env = Environment(
            loader=FileSystemLoader(str(templates)),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["markdown"] = self.markdown
        self.env.globals.update(
            site=site,
            url=self.url,
            absolute_url=self.absolute_url,
            stretch_url=lambda s: self.url(stretch_path(s)),
            site_url=self.site_url,
        )

    def url(self, path: str = "") -> str:
        """Base-aware link to a path under the site, e.g. url("timer/")."""
        return self.base_url + path.lstrip("/")

    def absolute_url(self, path: str = "") -> str:
        """Full URL for canonical links and QR codes; falls back to the base path."""
        if not self.site_url:
            return self.url(path)
        return urljoin(self.site_url, path.lstrip("/"))

    def markdown(self, text: str) -> Markup:
        """Markdown to HTML. Content is the site owner's own, so it is trusted."""
        html = self._markdown.reset().convert(text)
        return Markup(html)

    def render(self, page: Page) -> str:
        template = self.env.get_template(page.template)
        return template.render(page=page, pages=self.pages, **page.context)
