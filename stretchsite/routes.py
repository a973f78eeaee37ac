"""Every URL of the site, in one place.

A path here is relative to the site's base (``""`` is the home page); the
renderer's ``url()`` adds the base and ``absolute_url()`` the published
address. These paths are a promise: printed cards, QR codes and bookmarks
point at them, so they never change. Pages, printing, the timer's data, the
templates (as ``routes``) and the web manifest all take them from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import AgeGroup, Stretch


@dataclass(frozen=True)
class Routes:
    """Where each page lives under the site's base."""

    home: str = ""
    timer: str = "timer/"
    cheatsheet: str = "cheatsheet/"
    stretches: str = "stretches/"  # one folder per stretch below it
    cards: str = "cards/"  # one folder per age group below it
    not_found: str = "404.html"
    manifest: str = "manifest.webmanifest"
    service_worker: str = "sw.js"
    choices_css: str = "css/choices.css"
    sitemap: str = "sitemap.xml"
    robots: str = "robots.txt"
    nojekyll: str = ".nojekyll"

    def stretch(self, stretch: Stretch) -> str:
        """`stretches/calf-stretch/`."""
        return f"{self.stretches}{stretch.slug}/"

    def card(self, group: AgeGroup) -> str:
        """`cards/40-plus/`: the printable routine card of one age group."""
        return f"{self.cards}{group.id}/"

    def timer_for(self, group: AgeGroup) -> str:
        """`timer/?age=40-plus`: the timer preset to one age group (printed as a QR code)."""
        return f"{self.timer}?age={group.id}"

    def section(self, path: str) -> str:
        """The path that stands for a page in the site's navigation: its own, but
        `stretches/` for any stretch and `cards/` for any card (their lists' entries)."""
        if self.is_stretch(path):
            return self.stretches
        return self.cards if self.is_card(path) else path

    def is_stretch(self, path: str) -> bool:
        return path.startswith(self.stretches)

    def is_card(self, path: str) -> bool:
        return path.startswith(self.cards)


ROUTES = Routes()
