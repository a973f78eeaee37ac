"""Keys of a build's inputs: equal keys mean byte-identical output.

Every page's key covers what it is made from: the generator's code, the
templates, the site data and options (the environment key), its own place
and context, and what it declares it reads of the stretches (``page.reads``),
field by field, so a field added to the model is covered without anyone
listing it here.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass
from pathlib import Path

from .cache import tree_digest, values_of
from .content import Site, Stretch
from .pages import LISTING, Page, Reads


def page_keys(pages: Iterable[Page], env: str, site: Site, known: dict) -> dict[str, str]:
    """Each page's key, by output file."""
    return {p.output: page_key(p, env, site, known) for p in pages}


def lister_key(key: str, version: str) -> str:
    """Key of a page that lists every output file: its own ``key`` and the files' version."""
    return digest_of([key, version])


def environment_key(content: Path, templates: Path, base_url: str, site_url: str, code: str) -> str:
    """Everything every page depends on: generator code, templates, site data, options."""
    shared = [p for p in sorted(Path(content).iterdir()) if p.name != "stretches"]
    return digest_of([code, tree_digest(Path(templates), *shared), base_url, site_url])


def page_key(page: Page, env: str, site: Site, known: dict) -> str:
    """Key of all inputs of one page; equal keys mean byte-identical output.

    What the page says it reads of the stretches (``page.reads``) is keyed
    field by field, so a new field counts without anyone listing it here.
    ``known`` memoises the digest of each stretch and field set across pages
    (and, in a long-lived process, across builds: see :func:`stretch_digest`).
    """
    return page_key_reading(page, env, reads_digest(page.reads, site, known))


def page_key_reading(page: Page, env: str, depends: str) -> str:
    """Key of one page, given the digest of what it reads (:func:`reads_digest`)."""
    context = {k: _stable(v) for k, v in page.context.items()}
    return digest_of(
        [env, page.path, page.template, page.title, page.description, depends, context]
    )


def wide_reads(pages: Iterable[Page], site: Site, known: dict) -> dict[str, tuple[str, str]]:
    """Each page reading every stretch: the fields it skips (:func:`skipped`) and the
    digest of what it reads, for a later build to key it without every stretch."""
    return {
        p.output: (skipped(p.reads.skips), reads_digest(p.reads, site, known))
        for p in pages
        if p.reads.stretches is None
    }


def reads_digest(reads: Reads, site: Site, known: dict) -> str:
    """Digest of what ``reads`` covers of the site's stretches, and how many there are.

    A read of every stretch is memoised for the last site it was asked of (a
    build asks it for each listing page, its warnings and the next build's
    notes: some 17 times 2,000 stretch digests); the site is frozen, and the
    memo holds it, so no other site can be taken for it.
    """
    if reads.stretches is None:
        hit = _EVERY_STRETCH.get(reads)
        if hit is not None and hit[0] is site:
            return hit[1]
    digest = digest_of(
        [
            len(site.stretches),
            *(stretch_digest(s, reads.skips, known) for s in reads.of(site)),
            *(("others", stretch_digest(s, reads.others_skip, known)) for s in reads.others),
        ]
    )
    if reads.stretches is None:
        _EVERY_STRETCH[reads] = (site, digest)
    return digest


_EVERY_STRETCH: dict[Reads, tuple[Site, str]] = {}


def stretch_digest(stretch: Stretch, skips: frozenset[str], known: dict) -> str:
    """Digest of every field of ``stretch`` but ``skips``.

    Memoised in ``known`` by the object's id, with the object itself: a stretch
    is immutable, and while the memo holds it no other object can take its id.
    """
    memo = (id(stretch), skips)
    hit = known.get(memo)
    if hit is None or hit[0] is not stretch:
        reading = _reading(skips)
        base = "" if reading.base is None else stretch_digest(stretch, reading.base, known)
        hit = known[memo] = (stretch, reading.digest(stretch, base))
    return hit[1]


def seed_known(known: dict, stored: Iterable[tuple[Stretch, dict[str, str]]]) -> None:
    """Fill the memo ``known`` with each stretch's digests as :func:`known_of` gave them."""
    for stretch, digests in stored:
        for skipped, digest in digests.items():
            memo = (id(stretch), skips_of(skipped))
            if memo not in known:
                known[memo] = (stretch, digest)


def known_of(known: dict) -> dict[int, tuple[Stretch, dict[str, str]]]:
    """The memo ``known`` by stretch: its id -> (the stretch, its digests by fields skipped)."""
    found: dict[int, tuple[Stretch, dict[str, str]]] = {}
    for (ident, skips), (stretch, digest) in known.items():
        found.setdefault(ident, (stretch, {}))[1][skipped(skips)] = digest
    return found


@functools.cache  # asked for each stretch's digests, of a handful of field sets
def skipped(skips: frozenset[str]) -> str:
    """Fields skipped, as the build cache stores them: `body,why`."""
    return ",".join(sorted(skips))


@functools.cache
def skips_of(skipped: str) -> frozenset[str]:
    """The fields :func:`skipped` wrote."""
    return frozenset(skipped.split(",")) if skipped else frozenset()


def keep_known(known: dict, stretches: Iterable[Stretch]) -> None:
    """Drop from a memo keyed by (stretch id, ...) every stretch but ``stretches``."""
    alive = {id(s) for s in stretches}
    for memo in [m for m in known if m[0] not in alive]:
        del known[memo]


class _Reading:
    """How :func:`stretch_digest` hashes the fields of a stretch it reads.

    The fields' values are written with ``marshal`` (format 2: unlike later
    ones it never notes which objects are shared or interned, so it writes
    equal values alike in any process), which takes no repr of the long
    texts and no Python-level ``__repr__`` of the nested records. A field
    whose type marshal cannot write (a record like :class:`Dose`) is
    made plain first (:func:`_plain`), as is any value marshal refuses.

    Fields read beyond the ones every listing page reads (``_BASE``
    skipped) are hashed after that digest, which a build works out for
    every stretch anyway, not with those fields again.
    """

    def __init__(self, skips: frozenset[str]):
        hints = typing.get_type_hints(Stretch)
        self.base = _BASE if skips < _BASE else None
        names = [f.name for f in fields(Stretch) if f.name not in skips]
        own = [n for n in names if self.base is None or n in self.base]
        self.values = values_of(own)
        self.records = tuple(i for i, n in enumerate(own) if not _written_as_is(hints[n]))
        self.head = hashlib.sha256(marshal.dumps((tuple(names), tuple(own)), _MARSHAL))

    def digest(self, stretch: Stretch, base: str) -> str:
        """The digest, given that of the fields but ``self.base`` ("" without one)."""
        values = self.values(stretch)
        if self.records:
            values = list(values)
            for i in self.records:
                values[i] = _plain(values[i])
        digest = self.head.copy()
        digest.update(base.encode())
        digest.update(_written(values))
        return digest.hexdigest()


_MARSHAL = 2  # see _Reading
_BASE = LISTING.skips  # see _Reading


@functools.cache
def _reading(skips: frozenset[str]) -> _Reading:
    return _Reading(skips)


_AS_IS = frozenset({str, int, float, bool, bytes, type(None)})


def _written_as_is(hint: object) -> bool:
    """Whether marshal writes a value of type ``hint`` exactly as it is: scalars, and
    tuples or optionals of them; a record, set or mapping is made plain first."""
    if hint in _AS_IS:
        return True
    origin = typing.get_origin(hint)
    if origin is tuple or origin is typing.Union or origin is types.UnionType:
        return all(a is Ellipsis or _written_as_is(a) for a in typing.get_args(hint))
    return False


def _plain(value: object) -> object:
    """``value`` as marshal writes it alike in every run: a scalar as it is, anything
    else as a tuple led by its type's name (a record's fields by name, a set in order)."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    record = _record(kind)
    if record is not None:
        names, values, as_is = record
        return (names, *values(value)) if as_is else (names, *map(_plain, values(value)))
    name = f"{kind.__module__}.{kind.__qualname__}"
    if kind is tuple or kind is list:
        return (name, *map(_plain, value))  # type: ignore[call-overload]
    if isinstance(value, (set, frozenset)):
        items = sorted((_plain(v) for v in value), key=lambda v: marshal.dumps(v, _MARSHAL))
        return (name, *items)
    if isinstance(value, dict):
        return (name, *((_plain(k), _plain(v)) for k, v in value.items()))
    return (name, repr(value))


@functools.cache
def _record(kind: type) -> tuple[tuple[str, ...], Callable[[object], tuple], bool] | None:
    """For a record (dataclass) type: its name and field names, what gives its field
    values, and whether marshal writes them as they are (see :func:`_written_as_is`)."""
    if not is_dataclass(kind):
        return None
    names = [f.name for f in fields(kind)]
    values = values_of(names)
    hints = typing.get_type_hints(kind)
    as_is = all(_written_as_is(hints[n]) for n in names)
    return (f"{kind.__module__}.{kind.__qualname__}", *names), values, as_is


def _stable(value: object) -> object:
    """A stretch in a page's context is keyed through ``page.reads``; here by name only."""
    return ("stretch", value.slug) if isinstance(value, Stretch) else repr(value)


def digest_of(parts: Iterable[object]) -> str:
    """One digest of the parts, in order, as marshal writes them (see :class:`_Reading`)."""
    return hashlib.sha256(_written(tuple(parts))).hexdigest()


def _written(value: object) -> bytes:
    """``value`` in bytes that tell it from any other value, alike in every run."""
    try:
        return b"v" + marshal.dumps(value, _MARSHAL)
    except ValueError:  # a value marshal cannot write: plain, and told apart
        return b"p" + marshal.dumps(_plain(value), _MARSHAL)
