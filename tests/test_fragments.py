"""Listing pages' entries kept across builds (stretchsite/fragments.py) never change a byte.

A kept entry is reused only while everything it reads is unchanged: each test
here changes one thing an entry reads and checks that the entry is rendered
again and the page is what a render without any kept entry makes; and what no
key can cover is refused when the template is compiled.
"""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

import pytest

from stretchsite import generator
from stretchsite.content import Site, Stretch, load_site
from stretchsite.errors import BuildError
from stretchsite.fragments import EVERY_FIELD, Fragments
from stretchsite.keys import stretch_digest
from stretchsite.pages import Page, plan_pages
from stretchsite.render import Renderer
from stretchsite.serve import DevSite, Terminal

from .conftest import ROOT, options_for
from .helpers import PUBLISHED, edit, same_as_clean_build, with_change

CALF = "content/stretches/05-calf-stretch.md"


def listing_pages(site: Site) -> list[Page]:
    """The pages that hold kept entries: every page listing all stretches."""
    return [p for p in plan_pages(site) if p.reads.stretches is None and not p.lists_outputs]


def rendered(
    site: Site, kept: dict | None, pages: list[Page], templates: Path = ROOT / "templates"
):
    """Each page's text, and the Fragments used (None: rendered with nothing kept)."""
    fragments = Fragments(kept, {}) if kept is not None else None
    renderer = Renderer(site, templates, site_url=PUBLISHED, pages=tuple(plan_pages(site)),
                        fragments=fragments)  # fmt: skip
    return {p.output: renderer.render(p) for p in pages}, fragments


def entries_of(site: Site, stretch: Stretch) -> int:
    """How many kept entries show ``stretch`` on the listing pages (as built now)."""
    kept: dict = {}
    rendered(site, kept, listing_pages(site))
    digest = stretch_digest(stretch, EVERY_FIELD, {})
    return sum(digest in key for entries in kept.values() for key in entries)


def test_a_title_edit_renders_one_entry_per_listing_and_matches_a_clean_build(
    project: Path, monkeypatch
):
    # Every page rendered here, so every entry rendered is seen (helpers: see below).
    monkeypatch.setattr(generator, "SHARE_SECONDS", float("inf"))
    site = DevSite(options_for(project, site_url=PUBLISHED), Terminal(quiet=True))
    assert site.rebuild()
    assert site.warm.fragments, "the first build keeps its entries"
    made: list[str] = []
    real_keep = Fragments.keep

    def keep(self, entry):
        made.append(self._key)
        return real_keep(self, entry)

    monkeypatch.setattr(Fragments, "keep", keep)
    edit(project, CALF, "title: Calf Stretch", "title: Calf & <Heel> Stretch")
    assert site.rebuild()
    made = list(made)  # before anything else renders
    same_as_clean_build(project)
    now = load_site(project / "content")
    calf = next(s for s in now.stretches if s.slug == "calf-stretch")
    digest = stretch_digest(calf, EVERY_FIELD, {})
    assert made, "the edited stretch's entries are rendered again"
    assert all(digest in key for key in made), "only the edited stretch's entries"
    assert len(made) == entries_of(now, calf)


def renderable_change(site: Site, index: int, name: str) -> Site:
    """``with_change``, but a dose keeps a unit the wording knows."""
    if name != "dose":
        return with_change(site, index, name)
    stretch = site.stretches[index]
    dose = replace(stretch.dose, min=stretch.dose.min + 1, max=stretch.dose.max + 1)
    stretches = list(site.stretches)
    stretches[index] = replace(stretch, dose=dose)
    return replace(site, stretches=tuple(stretches))


@pytest.mark.parametrize("name", [f.name for f in fields(Stretch)])
def test_a_change_to_any_field_renders_that_stretch_s_entries_again(real_site: Site, name: str):
    """Every field, read by an entry or not yet: a field read later is covered already."""
    pages = listing_pages(real_site)
    kept: dict = {}
    rendered(real_site, kept, pages)
    changed = renderable_change(real_site, 2, name)
    again, fragments = rendered(changed, kept, pages)
    assert fragments.rendered == entries_of(changed, changed.stretches[2]) > 0
    fresh, _ = rendered(changed, None, pages)
    assert again == fresh


def test_a_value_read_by_an_included_template_is_in_the_key(tmp_path: Path, real_site: Site):
    (tmp_path / "page.html").write_text(
        '{% for stretch in site.stretches %}{% fragment %}{% include "_part.html" %}'
        "{% endfragment %}{% endfor %}"
    )
    (tmp_path / "_part.html").write_text("{{ stretch.title }} in {{ tone }};")
    page = Page("", "page.html", "T", "")
    kept: dict = {}
    fragments = Fragments(kept, {})
    renderer = Renderer(real_site, tmp_path, fragments=fragments)
    assert renderer.render(page, tone="green").endswith("in green;")
    again = Renderer(real_site, tmp_path, fragments=Fragments(kept, {}))
    assert again.render(page, tone="blue") == Renderer(real_site, tmp_path).render(
        page, tone="blue"
    )


def test_a_helper_process_s_entries_are_kept_as_if_rendered_here(project: Path, real_site: Site):
    """The dev server shares slow pages with a forked helper: what it renders comes back."""
    pages = listing_pages(real_site)
    costs = {p.output: 1.0 for p in pages}  # shared evenly between the two processes
    kept_here: dict = {}
    renderer = Renderer(real_site, project / "templates", pages=tuple(plan_pages(real_site)),
                        fragments=Fragments(kept_here, {}))  # fmt: skip
    (project / "serial").mkdir()
    generator._render_timed(renderer, pages, project / "serial", {})
    shared: dict = {}
    renderer = Renderer(real_site, project / "templates", pages=tuple(plan_pages(real_site)),
                        fragments=Fragments(shared, {}))  # fmt: skip
    (project / "shared").mkdir()
    generator.render_shared(renderer, pages, project / "shared", costs)
    assert shared.keys() == kept_here.keys() and shared == kept_here
    # And after an edit, the helper's changes (an entry gone, one made) too.
    changed = with_change(real_site, 1, "title")
    renderer = Renderer(changed, project / "templates", pages=tuple(plan_pages(changed)),
                        fragments=Fragments(shared, {}))  # fmt: skip
    (project / "shared-2").mkdir()
    generator.render_shared(renderer, pages, project / "shared-2", costs)
    fresh: dict = {}
    rendered(changed, fresh, pages, project / "templates")
    assert shared == fresh


REFUSED = {
    "loop": ("{{ loop.index }}", "cannot read `loop`"),
    "stretches": ("{{ site.stretches | length }}", "only through its site data"),
    "equipment": ("{{ site.equipment | join }}", "only through its site data"),
    "site": ("{{ site }}", "only through its site data"),
    "global": ("{{ routine_json() }}", "cannot call 'routine_json'"),
    "nested": ("{% fragment %}x{% endfragment %}", "cannot hold another fragment", 4),
    "macro": ("{% macro m() %}x{% endmacro %}", "cannot hold a macro"),
    "include": ("{% include stretch.slug %}", "a template named by a string only"),
    "filter": ("{{ stretch | sneaky }}", "cannot use the filter 'sneaky'"),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_an_entry_reading_what_no_key_covers_is_a_template_error(
    tmp_path: Path, real_site: Site, case: str
):
    body, message, line = (*REFUSED[case], 3)[:3]
    (tmp_path / "page.html").write_text(
        "<ol>\n{% for stretch in site.stretches %}\n{% fragment %}\n"
        f"<li>{body}</li>\n{{% endfragment %}}\n{{% endfor %}}\n</ol>\n"
    )
    renderer = Renderer(real_site, tmp_path)  # in a fresh process too: no store needed
    renderer.env.filters["sneaky"] = lambda s: len(real_site.stretches)
    with pytest.raises(BuildError) as error:
        renderer.render(Page("", "page.html", "T", ""))
    assert f"page.html:{line}:" in str(error.value) and message in str(error.value)


def test_an_entry_keyed_on_a_value_it_cannot_key_is_a_template_error(
    tmp_path: Path, real_site: Site
):
    (tmp_path / "page.html").write_text(
        "{% for stretch in site.stretches %}{% fragment %}{{ handle }}{% endfragment %}{% endfor %}"
    )
    renderer = Renderer(real_site, tmp_path, fragments=Fragments({}, {}))
    with pytest.raises(BuildError) as error:
        renderer.render(Page("", "page.html", "T", ""), handle=object())
    assert "page.html:1:" in str(error.value) and "cannot be keyed on a object" in str(error.value)


def test_without_a_store_each_entry_renders_in_place(real_site: Site):
    """A fresh process (make build) keeps nothing and makes the same pages."""
    pages = listing_pages(real_site)
    kept: dict = {}
    with_store, _ = rendered(real_site, kept, pages)
    without, _ = rendered(real_site, None, pages)
    assert with_store == without
    reused, fragments = rendered(real_site, kept, pages)
    assert reused == without and fragments.rendered == 0


def test_a_different_environment_key_uses_nothing_kept(project: Path):
    site = DevSite(options_for(project, site_url=PUBLISHED), Terminal(quiet=True))
    assert site.rebuild()
    kept_before = site.warm.fragments_env
    edit(project, "templates/index.html", '<li class="routine-step"', '<li class="routine-step x"')
    assert site.rebuild()
    assert site.warm.fragments_env != kept_before
    same_as_clean_build(project)
    assert all("routine-step x" in e for e in site.warm.fragments["index.html"].values())


def test_the_timer_s_data_is_the_same_with_each_stretch_s_part_kept(real_site: Site):
    """routine_json joins kept parts as json.dumps would: the same text, and < > & ' escaped."""
    hostile = with_change(real_site, 1, "title")
    stretches = list(hostile.stretches)
    stretches[1] = replace(stretches[1], title="</script><b>'Tom' & \"Jerry\"</b>")
    hostile = replace(hostile, stretches=tuple(stretches))
    for site in (real_site, hostile):
        kept: dict = {}
        first = Renderer(site, ROOT / "templates", fragments=Fragments(kept, {}))
        first.fragments.begin("timer/index.html")
        made = first.routine_json()
        first.fragments.end("timer/index.html")
        assert made == Renderer(site, ROOT / "templates").routine_json()
        assert "</script>" not in made
        changed = renderable_change(site, 3, "cues")
        again = Renderer(changed, ROOT / "templates", fragments=Fragments(kept, {}))
        again.fragments.begin("timer/index.html")
        assert again.routine_json() == Renderer(changed, ROOT / "templates").routine_json()
        assert again.fragments.rendered == 1, "the edited stretch's part alone is encoded again"
