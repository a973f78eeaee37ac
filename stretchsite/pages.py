"""Decide which pages the site has, where they live and what they show.

A page is plain data: its URL path (relative to the site's base), the template
that renders it and the context handed to that template. URLs here are a
promise: printed cards and bookmarks point at them, so they never change.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .content import Site, Stretch
from .phrases import Phrases
from .routes import ROUTES
from .wording import Wording


@dataclass(frozen=True)
class Reads:
    """The part of the stretches a page's output depends on, besides templates and site data.

    ``stretches``: the ones it reads (None: every stretch, and how many there are);
    ``skips``: fields of :class:`Stretch` it never reads. Every other field counts,
    so a field added to the model later is a dependency of every page at once.
    ``others``: more stretches it reads, all but their ``others_skip`` fields (a
    stretch page's neighbours, named in its Previous and Next links).
    """

    stretches: tuple[Stretch, ...] | None = None
    skips: frozenset[str] = frozenset()
    others: tuple[Stretch, ...] = ()
    others_skip: frozenset[str] = frozenset()

    def of(self, site: Site) -> tuple[Stretch, ...]:
        """The stretches this covers (but ``others``)."""
        return site.stretches if self.stretches is None else self.stretches

    def covers(self, stretch: Stretch, name: str) -> bool:
        """Whether a page with these reads may read field ``name`` of ``stretch``."""
        if self.stretches is None or stretch in self.stretches:
            return name not in self.skips
        return stretch in self.others and name not in self.others_skip


EVERYTHING = Reads()
# Lists of every stretch show names, doses, cues ... but never the long texts,
# so editing one stretch's steps re-renders that stretch's pages only.
LISTING = Reads(skips=frozenset({"body", "why"}))
# Files that show site data only (the stretch count is part of every key).
NOTHING = Reads(stretches=())


@dataclass(frozen=True)
class Page:
    """One file of the site: where it goes, its template and what it reads."""

    path: str  # URL path under the base, from stretchsite.routes
    template: str
    title: str
    description: str
    context: dict[str, Any] = field(default_factory=dict)
    # Rendered after every other file is written, with `outputs` (their URLs)
    # and `version` (a hash of them) in its context: the service worker.
    lists_outputs: bool = False
    # Listed in sitemap.xml (HTML pages only; see `in_sitemap`).
    sitemap: bool = True
    # Written only when the build knows the published address (--site-url).
    needs_site_url: bool = False
    # What of the stretches the output depends on (incremental builds re-render
    # the page when it changes). The default, every field of every stretch, is
    # always safe; tests/test_page_reads.py fails if a page reads more than it says.
    reads: Reads = field(default_factory=lambda: EVERYTHING)

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


def home_page(site: Site) -> list[Page]:
    return [Page(ROUTES.home, "index.html", site.title, site.tagline, reads=LISTING)]


# A stretch page reads its own stretch and this many on either side (its
# Previous and Next links).
NEIGHBOURS = 1


def stretch_pages(site: Site, near: Collection[int] | None = None) -> list[Page]:
    """One page per stretch; with ``near``, only the pages reading a stretch at those
    positions (an incremental build re-renders no others for an edit there)."""
    stretches = site.stretches
    if near is None:
        positions: Iterable[int] = range(len(stretches))
    else:
        around = {j for i in near for j in range(i - NEIGHBOURS, i + NEIGHBOURS + 1)}
        positions = sorted(j for j in around if 0 <= j < len(stretches))
    return [stretch_page(stretches, i) for i in positions]


def stretch_page(stretches: Sequence[Stretch], i: int) -> Page:
    stretch = stretches[i]
    return Page(
        ROUTES.stretch(stretch),
        "stretch.html",
        stretch.title,
        stretch.summary,
        {
            "stretch": stretch,
            "number": i + 1,
            "previous": stretches[i - 1] if i > 0 else None,
            "next": stretches[i + 1] if i + 1 < len(stretches) else None,
        },
        # Its neighbours as pages listing every stretch read them: an edit to
        # their steps does not change this page.
        reads=Reads(
            (stretch,),
            others=tuple(stretches[max(i - NEIGHBOURS, 0) : i])
            + tuple(stretches[i + 1 : i + NEIGHBOURS + 1]),
            others_skip=LISTING.skips,
        ),
    )


def print_pages(site: Site) -> list[Page]:
    """A printable routine card per age group, then the cheat sheet with every group."""
    printouts = [
        {"group": g, "path": ROUTES.card(g), "timer_path": ROUTES.timer_for(g)}
        for g in site.age_groups
    ]
    say = Phrases(site.language)
    cards = [
        Page(
            item["path"],
            "card.html",
            say("page.card.title", label=item["group"].label),
            say(
                "page.card.description",
                hold=Wording(say).hold(item["group"]),
                label=item["group"].label.lower(),
            ),
            # The card has room for its own timer's QR code only.
            {
                **item,
                "printouts": printouts,
                "qr_items": [item],
                "qrs_in_head": False,
            },
            reads=LISTING,
        )
        for item in printouts
    ]
    cheatsheet = Page(
        ROUTES.cheatsheet,
        "cheatsheet.html",
        say("page.cheatsheet.title"),
        say("page.cheatsheet.description"),
        {
            "printouts": printouts,
            "path": ROUTES.cheatsheet,
            "qr_items": printouts,
            "qrs_in_head": True,
        },
        reads=LISTING,
    )
    return [*cards, cheatsheet]


def timer_pages(site: Site) -> list[Page]:
    """The hands-free timer at its stable URL `timer/` (`?age=<age-group-id>` presets it)."""
    say = Phrases(site.language)
    return [
        Page(
            ROUTES.timer,
            "timer.html",
            say("page.timer.title"),
            say("page.timer.description"),
            reads=LISTING,
        )
    ]


def choice_styles(site: Site) -> list[Page]:
    """The stylesheet that shows the runner's choices: one rule per age group and per
    equipment, so it is generated from the content rather than written by hand."""
    return [Page(ROUTES.choices_css, "choices.css", "Choices", "", sitemap=False, reads=LISTING)]


def offline_pages(site: Site) -> list[Page]:
    """The web app manifest and the service worker that keeps the site working offline."""
    return [
        Page(ROUTES.manifest, "manifest.webmanifest", site.title, site.tagline, reads=NOTHING),
        # The service worker lists the files (`outputs`, `version`), never a stretch.
        Page(
            ROUTES.service_worker,
            "sw.js",
            site.title,
            site.tagline,
            lists_outputs=True,
            reads=NOTHING,
        ),
    ]


def not_found_page(site: Site) -> list[Page]:
    """GitHub Pages serves /404.html for every missing URL, at any depth."""
    say = Phrases(site.language)
    return [
        Page(
            ROUTES.not_found,
            "404.html",
            say("page.not_found.title"),
            say("page.not_found.description", site=site.title),
            sitemap=False,
            reads=LISTING,  # its navigation lists every stretch
        )
    ]


def publishing_files(site: Site) -> list[Page]:
    """Files for search engines and for GitHub Pages itself."""
    return [
        # Sitemaps must list absolute URLs, so one is written only with --site-url.
        Page(
            ROUTES.sitemap,
            "sitemap.xml",
            "Sitemap",
            "",
            sitemap=False,
            needs_site_url=True,
            reads=LISTING,
        ),
        Page(ROUTES.robots, "robots.txt", "Robots", "", sitemap=False, reads=NOTHING),
        # Tells GitHub Pages not to run Jekyll when publishing from a branch.
        Page(ROUTES.nojekyll, "nojekyll.txt", "No Jekyll", "", sitemap=False, reads=NOTHING),
    ]


# Each entry adds one kind of page. Non-HTML outputs (sitemap.xml, a service
# worker, ...) are pages too: their path is the file name and a template
# renders them.
PAGE_KINDS = [
    home_page,
    stretch_pages,
    timer_pages,
    print_pages,
    choice_styles,
    not_found_page,
    publishing_files,
    offline_pages,
]


def plan_pages(site: Site, near: Collection[int] | None = None) -> list[Page]:
    """Every page of the site, in a stable order.

    With ``near`` (positions in ``site.stretches``), of the pages that read
    particular stretches only those reading one at these positions: the
    others do not look at ``site.stretches`` at all, so an incremental build
    can plan an edit's pages without every stretch at hand.
    """
    return [
        page
        for kind in PAGE_KINDS
        for page in (kind(site, near) if kind is stretch_pages else kind(site))
    ]
