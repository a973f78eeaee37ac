"""Plan a build in which a few stretch files changed, without the other stretches.

An edit to one stretch of 10,000 re-renders a handful of pages. Planning it as
a whole build would decode every stretch from the build cache, plan every page
and hash what each reads: far more work than the pages themselves. When the
edit provably leaves every other page as the last build made it, only the
edit's pages are planned:

- the same stretch files as the last build, the same environment (templates,
  site data, figures, options, code) and the same static files;
- each changed file a valid stretch with the same slug and order, and the same
  in every field that a page reading every stretch reads (the home page, the
  printouts: `pages.LISTING`), so those pages, the shape of the plan and the
  print warnings are the last build's.

Then the pages reading a changed stretch (its page and its neighbours') are
planned and keyed as usual, the pages reading every stretch are keyed from
the digest of what they read that the last build stored, and every other page
keeps its key. The stretches come from the cache one by one, as the planned
pages read them (:class:`stretchsite.cache.StoredStretches`). In any other
case the build plans everything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from .cache import BuildCache, LostStretch, StoredStretches
from .content import Site, Stretch
from .content.loaders import load_figures, load_site_data, load_stretch, shown_paths, site_of
from .keys import page_key, page_key_reading, seed_known, skipped, skips_of, stretch_digest
from .pages import LISTING, Page, plan_pages


@dataclass(frozen=True)
class Plan:
    """What a build is made from: the site, the pages it may render, every output's key."""

    site: Site
    pages: tuple[Page, ...]
    keys: dict[str, str]  # every page's key, planned or not
    # `pages` holds only the pages reading a changed stretch and the ones reading
    # every stretch or none; every other output keeps the key the last build gave it.
    partial: bool = False


def partial_plan(
    content: Path,
    with_site_url: bool,
    cache: BuildCache,
    env: str,
    static: dict[str, str],
    stats: dict[str, os.stat_result],
) -> Plan | None:
    """The plan of a build whose only change is a few stretches' own text; else None.

    See the module docstring for when. Stretch files read here are noted in
    ``cache`` (with the digests the next build keys pages with), as a whole
    build would note them.
    """
    if not (
        cache.outputs
        and cache.env == env
        and cache.static == static
        and stats.keys() == cache.stamps.keys() == set(cache.sequence)
        and len(cache.sequence) == len(stats)
    ):
        return None
    known: dict = {}
    edited = _edited(cache, stats, known)
    if edited is None:
        return None
    shown = shown_paths()
    fields, errors = load_site_data(content / "site.yml", shown(content / "site.yml"))
    if fields is None or errors:
        return None
    position = {source: i for i, source in enumerate(cache.sequence)}
    site = site_of(fields, StoredStretches(cache), {})
    try:
        pages = tuple(
            p
            for p in plan_pages(site, near={position[source] for source in edited})
            if with_site_url or not p.needs_site_url
        )
    except LostStretch:  # a damaged line: the cache is empty now, the build starts afresh
        return None
    if not {p.output for p in pages} <= cache.outputs.keys():
        return None
    read = {s.source: s for p in pages for s in (*(p.reads.stretches or ()), *p.reads.others)}
    figures, errors = load_figures(content, read.values(), shown)
    if errors:
        return None
    site = replace(site, figures=figures)
    seed_known(known, [(f.stretch, f.fields) for f in cache.stretches.values()])
    keys = {rel: key for rel, (key, _) in cache.outputs.items()}
    for page in pages:
        if page.reads.stretches is not None:
            keys[page.output] = page_key(page, env, site, known)
        elif page.output in cache.wide:
            keys[page.output] = page_key_reading(page, env, cache.wide[page.output][1])
        else:
            return None
    return Plan(site, pages, keys, partial=True)


def _edited(cache: BuildCache, stats: dict[str, os.stat_result], known: dict) -> dict | None:
    """The stretches whose files changed in content since the last build, by file; None
    if any is invalid or changed in its slug, order or a field pages reading every
    stretch read. A file whose bytes are the same (touched) only gets its new stamp."""
    wide = {skipped(LISTING.skips)} | {skips for skips, _ in cache.wide.values()}
    edited: dict[str, Stretch] = {}
    for shown, stat in stats.items():
        if cache.holds(shown, stat):
            continue
        old = cache.stored(shown)
        if old is None:
            return None
        if cache.reuse(shown, shown, stat) is not None:
            continue  # the same bytes
        stretch, _, _ = load_stretch(Path(shown), shown, cache)
        if stretch is None or _place(stretch) != _place(old.stretch):
            return None
        digests = {s: stretch_digest(stretch, skips_of(s), known) for s in wide | old.fields.keys()}
        if any(digests[s] != old.fields.get(s) for s in wide):
            return None
        cache.current[shown] = replace(cache.current[shown], fields=digests)
        edited[shown] = stretch
    return edited


def _place(stretch: Stretch) -> tuple[str, int]:
    """What places a stretch's page in the site: its URL name and its position."""
    return stretch.slug, stretch.order
