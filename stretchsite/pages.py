"""Decide which pages the site has, where they live and what they show.

A page is plain data: its URL path (relative to the site's base), the template
that renders it and the context handed to that template. URLs here are a
promise: printed cards and bookmarks point at them, so they never change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .content import Site, Stretch


@dataclass(frozen=True)
class Page:
    path: str  # URL path under the base, "" for the home page, "stretches/calf/" ...
    template: str
    title: str
    description: str
    context: dict[str, Any] = field(default_factory=dict)
    # Listed in sitemap.xml (HTML pages only; see `in_sitemap`).
    sitemap: bool = True
    # Written only when the build knows the published address (--site-url).
    needs_site_url: bool = False

    @property
    def output(self) -> str:
        """File to write, relative to the output folder."""
        if self.path == "" or self.path.endswith("/"):
            return self.path + "index.html"
        return self.path

    @property
    def in_sitemap(self) -> bool:
        """Whether search engines should find this page through sitemap.xml."""
        return self.sitemap and self.output.endswith(".html")


def stretch_path(stretch: Stretch) -> str:
    return f"stretches/{stretch.slug}/"


def home_page(site: Site) -> list[Page]:
    return [Page("", "index.html", site.title, site.tagline)]


def stretch_pages(site: Site) -> list[Page]:
    stretches = site.stretches
    return [
        Page(
            stretch_path(stretch),
            "stretch.html",
            stretch.title,
            stretch.summary,
            {
                "stretch": stretch,
                "number": i + 1,
                "previous": stretches[i - 1] if i > 0 else None,
                "next": stretches[i + 1] if i + 1 < len(stretches) else None,
            },
        )
        for i, stretch in enumerate(stretches)
    ]


def not_found_page(site: Site) -> list[Page]:
    """GitHub Pages serves /404.html for every missing URL, at any depth."""
    return [
        Page(
            "404.html",
            "404.html",
            "Page not found",
            f"This page does not exist. The whole routine is on the home page of {site.title}.",
            sitemap=False,
        )
    ]


def publishing_files(site: Site) -> list[Page]:
    """Files for search engines and for GitHub Pages itself."""
    return [
        # Sitemaps must list absolute URLs, so one is written only with --site-url.
        Page("sitemap.xml", "sitemap.xml", "Sitemap", "", sitemap=False, needs_site_url=True),
        Page("robots.txt", "robots.txt", "Robots", "", sitemap=False),
        # Tells GitHub Pages not to run Jekyll when publishing from a branch.
        Page(".nojekyll", "nojekyll.txt", "No Jekyll", "", sitemap=False),
    ]


# Each entry adds one kind of page. Non-HTML outputs (sitemap.xml, a service
# worker, ...) are pages too: their path is the file name and a template
# renders them.
PAGE_KINDS = [
    home_page,
    stretch_pages,
    not_found_page,
    publishing_files,
]


def plan_pages(site: Site) -> list[Page]:
    """Every page of the site, in a stable order."""
    return [page for kind in PAGE_KINDS for page in kind(site)]
