"""Stretch digests (stretchsite/keys.py) depend on the fields' values and nothing else.

A digest that moved with which objects hold the values (interned or shared
strings, a stretch decoded from the build cache rather than read from its
file) would make an incremental build re-render pages for nothing; one that
missed a change would leave them stale. Both are checked here, and across
processes, whose string hashes differ.
"""

from __future__ import annotations

import subprocess
import sys
import typing
from dataclasses import fields, replace

from markupsafe import Markup

from stretchsite.content import Site, Stretch
from stretchsite.keys import page_keys, stretch_digest
from stretchsite.pages import LISTING, plan_pages

from .conftest import ROOT

SKIPS = (frozenset(), LISTING.skips)


def fresh(value: object) -> object:
    """An equal value held by new objects: strings neither interned nor shared."""
    if isinstance(value, str):
        return "".join(list(value))
    if isinstance(value, tuple):
        return tuple(fresh(v) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        values = {f.name: fresh(getattr(value, f.name)) for f in fields(value)}  # type: ignore[arg-type]
        return replace(value, **values)  # type: ignore[type-var]
    return value


def interned(value: object) -> object:
    """An equal value whose every string is interned (as names in code are)."""
    if isinstance(value, str):
        return sys.intern(value)
    if isinstance(value, tuple):
        return tuple(interned(v) for v in value)
    return value


def test_equal_stretches_have_equal_digests_whatever_objects_hold_their_values(real_site: Site):
    for stretch in real_site.stretches:
        values = {f.name: interned(getattr(stretch, f.name)) for f in fields(Stretch)}
        same = [fresh(stretch), replace(stretch, **values)]
        for skips in SKIPS:
            digest = stretch_digest(stretch, skips, {})
            assert [stretch_digest(s, skips, {}) for s in same] == [digest, digest]


def test_a_value_of_another_type_is_keyed_apart_from_its_text(real_site: Site):
    """A str subclass (markup is not escaped), in a field or in a record, or a number as
    text must not share a key."""
    stretch = real_site.stretches[0]
    hints = typing.get_type_hints(Stretch)
    others = [
        replace(stretch, title=Markup(stretch.title)),
        replace(stretch, order=str(stretch.order)),  # type: ignore[arg-type]
        replace(stretch, order=float(stretch.order)),  # type: ignore[arg-type]
        replace(stretch, dose=replace(stretch.dose, unit=Markup(stretch.dose.unit))),
    ]
    assert hints["title"] is str and hints["order"] is int
    digests = {stretch_digest(s, frozenset(), {}) for s in [stretch, *others]}
    assert len(digests) == 1 + len(others)
    # And the same again for the same values.
    assert stretch_digest(others[0], frozenset(), {}) == stretch_digest(
        replace(stretch, title=Markup(stretch.title)), frozenset(), {}
    )


def test_page_keys_are_the_same_in_processes_with_other_string_hashes():
    script = (
        "from stretchsite.content import load_site\n"
        "from stretchsite.keys import page_keys\n"
        "from stretchsite.pages import plan_pages\n"
        f"site = load_site({str(ROOT / 'content')!r})\n"
        "keys = page_keys(plan_pages(site), 'env', site, {})\n"
        "print(sorted(keys.items()))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1] and runs[0].count("index.html") > 1


def test_page_keys_follow_the_values_not_the_objects(real_site: Site):
    """The whole site's keys, from a copy of every stretch held by new objects."""
    copied = replace(real_site, stretches=tuple(fresh(s) for s in real_site.stretches))
    keys = page_keys(plan_pages(real_site), "env", real_site, {})
    assert page_keys(plan_pages(copied), "env", copied, {}) == keys
