"""decide(): what a build carries over and renders, from data alone (no files, no clock)."""

from __future__ import annotations

from stretchsite.cache import BuildCache
from stretchsite.generator import decide, list_outputs, lister_key
from stretchsite.pages import plan_pages


def last_build(real_site):
    """The pages, their keys, and a cache as if the last build made exactly these files."""
    pages = tuple(p for p in plan_pages(real_site) if not p.needs_site_url)
    keys = {p.output: f"key-{p.output}" for p in pages}
    static = {"css/site.css": "s1"}
    digests = {p.output: f"bytes-{p.output}" for p in pages if not p.lists_outputs}
    _, version = list_outputs({**static, **digests})
    outputs = {rel: (keys[rel], digest) for rel, digest in digests.items()}
    for page in pages:
        if page.lists_outputs:
            outputs[page.output] = (lister_key(keys[page.output], version), "bytes-lister")
    found = {rel: (i, 0, 0) for i, rel in enumerate([*outputs, *static])}
    cache = BuildCache("code", outputs=outputs, files=dict(found), static=dict(static))
    return pages, keys, static, found, cache


def test_nothing_changed_leaves_the_output_alone(real_site):
    decision = decide(*last_build(real_site))
    assert decision.untouched and decision.render == ()


def test_a_changed_key_renders_that_page_only(real_site):
    pages, keys, static, found, cache = last_build(real_site)
    target = next(p.output for p in pages if p.output.startswith("stretches/"))
    decision = decide(pages, {**keys, target: "new"}, static, found, cache)
    assert [p.output for p in decision.render] == [target]
    assert target not in decision.carry and not decision.untouched


def test_a_file_edited_by_hand_is_rendered_again(real_site):
    pages, keys, static, found, cache = last_build(real_site)
    found = {**found, "index.html": (999, 1, 1)}  # not the file the last build wrote
    decision = decide(pages, keys, static, found, cache)
    assert [p.output for p in decision.render] == ["index.html"]


def test_a_changed_static_file_writes_a_new_site(real_site):
    pages, keys, _, found, cache = last_build(real_site)
    decision = decide(pages, keys, {"css/site.css": "s2"}, found, cache)
    assert decision.render == () and not decision.untouched
