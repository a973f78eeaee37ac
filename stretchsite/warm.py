"""What a long-lived process (the dev server) keeps from one build to the next.

A build in a fresh process reads the build cache from disk, decodes every
stretch in it, hashes every stretch for the page keys and encodes them all
again to write the cache back. A process that builds again and again can keep
those results in memory instead, and redo the work for what changed only.

Each part is a shortcut to exactly what the build would otherwise read or
compute, and is used only while it provably still holds:

- the build cache as this process last read or wrote it, only while the file
  on disk is still that very file (same inode, size, mtime and ctime: any
  write or replacement moves the ctime, which cannot be set back); otherwise
  the build reads the file as usual;
- the digest of each stretch's fields and its estimated height on a printed
  card, by object: an unchanged stretch file
  gives back the very same (immutable) stretch object, a changed one a new
  object, which is hashed afresh;
- each stretch's line in the build cache's store, likewise by object;
- each listing page's per-stretch entries (see :mod:`stretchsite.fragments`),
  only while the environment key (templates, site data, generator code,
  options) is the one they were rendered with.

It also remembers how long each page took to render, to share the slow ones
of a build between two processes.

A build that fails for any reason drops everything: the next one starts from
the files on disk, as a fresh process would.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .cache import BuildCache, cache_path, file_identity
from .fragments import Fragments


@dataclass
class WarmState:
    """Build results a long-lived process hands from one build of an output folder to the next."""

    out: Path | None = None  # the output folder the rest belongs to
    cache: BuildCache | None = None
    known: dict = field(default_factory=dict)  # see keys.stretch_digest
    heights: dict = field(default_factory=dict)  # see printing.card_height
    # CPU seconds each page took to render the last time it was (see generator.render_pages):
    # only ever decides which process renders a page, never what it holds.
    render_seconds: dict[str, float] = field(default_factory=dict)
    # Page output -> its kept entries by key, rendered with environment key `fragments_env`.
    fragments: dict[str, dict[str, Markup]] = field(default_factory=dict)
    fragments_env: str = ""

    def cache_for(self, out: Path) -> BuildCache | None:
        """The kept cache, if it was kept for ``out`` and its file is still the one it came from."""
        cache = self.cache
        if cache is None or cache.origin is None or out != self.out:
            return None
        try:
            on_disk = file_identity(os.stat(cache_path(out)))
        except OSError:
            return None
        if on_disk != cache.origin:
            return None
        cache.notes = []  # about one build each
        return cache

    def keep(self, out: Path, cache: BuildCache) -> None:
        """After a good build of ``out``: keep its cache (if it is on disk as it is in memory)."""
        if out != self.out:
            self.forget()
        self.out = out
        self.cache = cache if cache.origin is not None else None

    def fragments_for(self, env: str, known: dict) -> Fragments:
        """The listing pages' kept entries, for a build with environment key ``env``."""
        if env != self.fragments_env:
            self.fragments.clear()
            self.fragments_env = env
        return Fragments(self.fragments, known)

    def forget(self) -> None:
        """Drop everything: after a failed build, or when in any doubt."""
        self.out = None
        self.cache = None
        self.known.clear()
        self.heights.clear()
        self.fragments.clear()
        self.fragments_env = ""
