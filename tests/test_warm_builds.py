"""The dev server's warm builds: what it keeps between builds never changes a byte of output.

Each rebuild here goes through the dev server's own path (``DevSite.rebuild``,
which hands its ``WarmState`` to every build), and after each edit the output
must be exactly what a clean build of the same inputs makes.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest

from stretchsite import cache as build_cache
from stretchsite import generator, output
from stretchsite.content import load_site
from stretchsite.errors import BuildError
from stretchsite.generator import build_site
from stretchsite.pages import plan_pages
from stretchsite.printing import print_warnings
from stretchsite.render import Renderer
from stretchsite.serve import DevSite, Terminal
from stretchsite.warm import WarmState

from .conftest import options_for
from .helpers import (
    PUBLISHED,
    build_into,
    edit,
    edit_file,
    same_as_clean_build,
    substituted,
    tree_digest,
)
from .printcheck import EXTRA_CUE, add_to_stretch

CALF = "content/stretches/05-calf-stretch.md"
QUAD = "content/stretches/04-standing-quad-stretch-with-rotation.md"


def dev_site(project: Path) -> DevSite:
    """The dev server's build state, for the same address ``same_as_clean_build`` builds."""
    options = options_for(project, out=project / "dist", site_url=PUBLISHED)
    return DevSite(options, Terminal(quiet=True))


def rebuilt(site: DevSite) -> DevSite:
    assert site.rebuild(), site.problems
    kept = site.warm.cache
    assert kept is not None, "a good build keeps its cache for the next"
    # What the next build starts from is what a fresh process would read.
    on_disk = build_cache.load(site.options.out)
    assert stored(kept) == stored(on_disk)
    assert kept.known() == on_disk.known()
    return site


def stored(cache: build_cache.BuildCache) -> dict:
    return {
        f.name: getattr(cache, f.name)
        for f in dataclasses.fields(cache)
        if f.metadata.get("stored", True)
    }


def same_size_edit(path: Path) -> None:
    """Same length and the same mtime as before: only the bytes tell."""
    info = path.stat()
    edit_file(path, "Standing Quad", "Standing Quid", 1)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


EDITS = {
    "title": lambda p: edit(p, CALF, "title: Calf Stretch", "title: Calf & <Heel> Stretch"),
    "body": lambda p: edit(p, QUAD, "\n1. ", "\n1. Slowly, "),
    "same-size": lambda p: same_size_edit(p / QUAD),
    "order": lambda p: (
        edit(p, CALF, "order: 5", "order: 9"),
        edit(p, QUAD, "order: 4", "order: 5"),
        edit(p, CALF, "order: 9", "order: 4"),
    ),
    "add": lambda p: (p / "content/stretches/06-calf-again.md").write_text(
        substituted((p / CALF).read_text(), r"^order: \d+$", "order: 6\nslug: calf-again", 1, re.M)
    ),
    "remove": lambda p: (p / QUAD).unlink(),
    "template": lambda p: edit(p, "templates/stretch.html", "</nav>", "</nav><p>new</p>"),
    "site": lambda p: edit(p, "content/site.yml", "tagline: ", "tagline: Warm "),
    "static": lambda p: edit(p, "static/css/site.css", "{", "{ "),
    "output": lambda p: edit(p, "dist/index.html", "<main", "<main data-edited"),
}


@pytest.mark.parametrize("share", [False, True], ids=["as-timed", "always-shared"])
def test_every_kind_of_edit_through_the_warm_path_matches_a_clean_build(
    project: Path, share: bool, monkeypatch
):
    if share:  # every warm build renders in two processes (the real site's pages are quick)
        monkeypatch.setattr(generator, "SHARE_SECONDS", 0.0)
        monkeypatch.setattr(generator.os, "cpu_count", lambda: 2)
    site = rebuilt(dev_site(project))
    for name, apply in EDITS.items():
        apply(project)
        rebuilt(site)
        try:
            same_as_clean_build(project)
        except AssertionError as exc:
            raise AssertionError(f"after the {name!r} edit: {exc}") from None


def test_several_edits_to_one_stretch_in_a_row_match_a_clean_build(project: Path):
    site = rebuilt(dev_site(project))
    for n in range(4):
        edit(project, CALF, "title: Calf Stretch", f"title: Calf Stretch {n}")
        rebuilt(site)
        same_as_clean_build(project)
        edit(project, CALF, f"title: Calf Stretch {n}", "title: Calf Stretch")


def test_a_warm_build_does_not_read_its_own_cache_back(project: Path, monkeypatch):
    site = rebuilt(dev_site(project))
    loads = []
    real_load = build_cache.load
    monkeypatch.setattr(build_cache, "load", lambda out: loads.append(out) or real_load(out))
    EDITS["title"](project)
    assert site.rebuild()
    assert loads == [], "the cache this process wrote was read back from disk"
    same_as_clean_build(project)


def test_a_cache_written_by_another_build_is_read_not_the_kept_one(project: Path, monkeypatch):
    """Another process built the same output meanwhile: what this one kept is stale."""
    site = rebuilt(dev_site(project))
    EDITS["title"](project)
    build_into(project, "dist")  # e.g. `make build` in another terminal
    loads = []
    real_load = build_cache.load
    monkeypatch.setattr(build_cache, "load", lambda out: loads.append(out) or real_load(out))
    EDITS["body"](project)
    assert site.rebuild()
    assert loads == [project / "dist"]
    same_as_clean_build(project)


@pytest.mark.parametrize(
    "broken, fixed",
    [
        (("title: Calf Stretch", "title: [Calf"), ("title: [Calf", "title: Calf Stretch 2")),
        (("order: 5", "order: 4"), ("order: 4", "order: 7")),  # a clash, then a move
    ],
    ids=["yaml", "duplicate-order"],
)
def test_after_a_content_error_the_next_good_build_matches_a_clean_build(
    project: Path, broken, fixed
):
    site = rebuilt(dev_site(project))
    before = (project / "dist/index.html").read_bytes()
    edit(project, CALF, *broken)
    assert not site.rebuild()
    assert site.problems and site.problems[0].path.endswith("05-calf-stretch.md")
    assert (project / "dist/index.html").read_bytes() == before, "the last good site stays"
    assert site.warm.cache is None, "a failed build keeps nothing"
    edit(project, CALF, *fixed)
    rebuilt(site)
    same_as_clean_build(project)


def test_after_a_template_error_the_next_good_build_matches_a_clean_build(project: Path):
    site = rebuilt(dev_site(project))
    edit(project, "templates/stretch.html", "</nav>", "</nav>{{ nowhere.at_all }}")
    assert not site.rebuild()
    assert site.problems[0].path.endswith("stretch.html") and site.problems[0].line
    edit(project, "templates/stretch.html", "{{ nowhere.at_all }}", "<p>fixed</p>")
    EDITS["title"](project)
    rebuilt(site)
    same_as_clean_build(project)


def test_a_deleted_cache_file_is_not_replaced_by_the_kept_one(project: Path):
    site = rebuilt(dev_site(project))
    build_cache.cache_path(project / "dist").unlink()
    EDITS["body"](project)
    rebuilt(site)
    same_as_clean_build(project)


def shared_and_serial(project: Path, pages, costs: dict) -> tuple[dict, dict]:
    """Files and digests from rendering ``pages`` shared by ``costs``, and one after the other."""
    site = load_site(project / "content")
    renderer = Renderer(site, project / "templates", pages=tuple(plan_pages(site)))
    results = []
    for name, how in (
        ("shared", lambda root: generator.render_shared(renderer, pages, root, costs)),
        ("serial", lambda root: generator._render_timed(renderer, pages, root, {})),
    ):
        root = project / name
        root.mkdir()
        digests = how(root)
        results.append((digests, tree_digest(root)))
    return results[0], results[1]


def rendered_alone(site) -> list:
    """The pages rendered with no other output known (all but the service worker's list)."""
    return [p for p in plan_pages(site) if not p.lists_outputs and not p.needs_site_url]


def test_pages_shared_with_a_helper_process_are_the_pages_rendered_here(project: Path):
    site = load_site(project / "content")
    pages = rendered_alone(site)
    costs = {p.output: 1.0 for p in pages}  # as if each took a second: shared evenly
    shared, serial = shared_and_serial(project, pages, costs)
    assert shared == serial
    assert set(shared[1]) == {p.output for p in pages}
    assert all(0 < costs[p.output] < 1.0 for p in pages), "every page timed anew"


def test_a_template_error_in_the_helper_is_reported_as_a_serial_build_reports_it(project: Path):
    edit(project, "templates/stretch.html", "</nav>", "</nav>{{ nowhere.at_all }}")
    site = load_site(project / "content")
    pages = rendered_alone(site)
    # The stretch pages are the helper's share: the costliest page stays here.
    costs = {p.output: (2.0 if p.template == "stretch.html" else 1.0) for p in pages}
    renderer = Renderer(site, project / "templates", pages=tuple(pages))
    with pytest.raises(BuildError) as serial:
        generator._render_timed(renderer, pages, project, {})
    (project / "shared").mkdir()
    with pytest.raises(BuildError) as shared:
        generator.render_shared(renderer, pages, project / "shared", costs)
    assert str(shared.value) == str(serial.value)
    assert "stretch.html:" in str(shared.value)


def test_card_warnings_follow_each_edit_as_a_fresh_build_gives_them(project: Path):
    """A stretch made too long for its card, then short again, warns then stops warning."""
    warm = WarmState()
    options = options_for(project, out=project / "dist", site_url=PUBLISHED)

    def warnings_now() -> tuple[tuple[str, ...], list[str]]:
        fresh = print_warnings(load_site(project / "content"), PUBLISHED)
        return build_site(options, warm=warm).warnings, fresh

    assert warnings_now() == ((), [])
    calf = project / CALF
    before = calf.read_text()
    for _ in range(12):  # one stretch alone outgrows the card
        add_to_stretch(calf, cue=EXTRA_CUE)
    built, fresh = warnings_now()
    assert list(built) == fresh and any("will probably not fit" in w for w in fresh)
    calf.write_text(before)
    assert warnings_now() == ((), [])


def test_the_dev_server_readies_a_spare_before_the_first_save(project: Path):
    """A first build leaves no spare; the server makes one of hard links while it waits,
    and the first save's build updates it in place (its folders become the output's)."""
    site = dev_site(project)
    rebuilt(site)
    spare = output.spare_path(project / "dist")
    assert not spare.exists(), "a first build leaves no spare"
    site.make_spare()
    folder = (spare / "stretches/calf-stretch").stat().st_ino
    page = (spare / "index.html").stat()
    assert page.st_ino == (project / "dist/index.html").stat().st_ino, "hard links"
    assert output.make_spare(project / "dist") is False, "a spare is never replaced"
    EDITS["body"](project)
    rebuilt(site)
    same_as_clean_build(project)
    assert (project / "dist/stretches/calf-stretch").stat().st_ino == folder, "updated in place"
