"""Incremental builds give byte-identical output to clean builds, and skip real work."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stretchsite import cache as build_cache
from stretchsite import generator
from stretchsite.content import load_site
from stretchsite.output import MARKER

from .conftest import ROOT
from .helpers import build_into as build
from .helpers import edit_file, replaced, same_as_clean_build, tree_digest

STRETCHES = sorted((ROOT / "content/stretches").glob("*.md"))
SPARE = ".dist.spare"  # the site before last, which the next build updates in place


# One edit an author might make, applied to a project copy.
EDITS = st.one_of(
    st.tuples(
        st.just("title"),
        st.integers(0, 4),
        # A blank title is invalid content, not an edit to build.
        st.text("abcXYZ <&\"'", min_size=1, max_size=8).filter(str.strip),
    ),
    st.tuples(st.just("body"), st.integers(0, 4), st.text("abc 12.", min_size=1, max_size=20)),
    st.tuples(st.just("same-size"), st.integers(0, 4), st.just("")),
    st.tuples(st.just("touch"), st.integers(0, 4), st.just("")),
    st.tuples(st.just("site"), st.just(0), st.text("abcdef", min_size=1, max_size=6)),
    st.tuples(st.just("template"), st.just(0), st.text("abcdef", min_size=1, max_size=6)),
    st.tuples(st.just("static"), st.just(0), st.text("abcdef", min_size=1, max_size=6)),
    st.tuples(st.just("add"), st.integers(0, 4), st.just("")),
    st.tuples(st.just("remove"), st.integers(5, 9), st.just("")),
    st.tuples(st.just("reorder"), st.integers(0, 4), st.just("")),
    # Edits made by hand inside the output folder: a build repairs them.
    st.tuples(st.just("out-delete"), st.integers(0, 999), st.just("")),
    st.tuples(st.just("out-edit"), st.integers(0, 999), st.text("abc", min_size=1, max_size=4)),
    st.tuples(st.just("out-add"), st.integers(0, 2), st.text("abc", min_size=1, max_size=4)),
    st.tuples(st.just("out-static"), st.integers(0, 1), st.just("")),
    # The same by hand in the spare (the site before last, kept beside dist/).
    st.tuples(st.just("spare-delete"), st.integers(0, 999), st.just("")),
    st.tuples(st.just("spare-edit"), st.integers(0, 999), st.text("abc", min_size=1, max_size=4)),
    st.tuples(st.just("spare-replace"), st.integers(0, 99), st.text("abc", min_size=1, max_size=4)),
    st.tuples(st.just("spare-add"), st.integers(0, 2), st.text("abc", min_size=1, max_size=4)),
)


def output_file(project: Path, index: int, folder: str = "dist") -> Path | None:
    """One file of the built site, the marker aside (without it the folder is not the build's)."""
    files = [p for p in sorted((project / folder).rglob("*")) if p.is_file()]
    files = [p for p in files if p.name != MARKER]
    return files[index % len(files)] if files else None


def apply(project: Path, edit: tuple[str, int, str]) -> None:
    kind, index, text = edit
    stretch_dir = project / "content/stretches"
    files = sorted(stretch_dir.glob("*.md"))
    target = files[index % len(files)]
    source = target.read_text()
    if kind == "title":
        lines = source.splitlines(keepends=True)
        lines = [f"title: {json.dumps(text)}\n" if ln.startswith("title:") else ln for ln in lines]
        target.write_text("".join(lines))
    elif kind == "body":
        target.write_text(source + f"\n{text}\n")
    elif kind == "same-size":
        # Same length, same mtime second: only a digest can tell.
        stat = target.stat()
        # Every stretch has a numbered step "1."; once swapped, it has a "2." to swap back.
        if "1." in source:
            swapped = replaced(source, "1.", "2.", 1)
        else:
            swapped = replaced(source, "2.", "1.", 1)
        target.write_text(swapped)
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    elif kind == "touch":
        target.touch()
    elif kind == "site":
        site = project / "content/site.yml"
        edit_file(site, "tagline: ", f"tagline: {text} ", 1)
    elif kind == "template":
        template = project / "templates/stretch.html"
        template.write_text(template.read_text() + f"{{# {text} #}}<!-- {text} -->\n")
    elif kind == "static":
        (project / "static/css/site.css").write_text(
            (project / "static/css/site.css").read_text() + f"/* {text} */\n"
        )
    elif kind == "add":
        new = stretch_dir / f"{len(files) + 10:02d}-extra-{len(files)}.md"
        order = max(int(f.read_text().split("order: ")[1].split()[0]) for f in files) + 1
        new.write_text(replaced(STRETCHES[index].read_text(), "order: ", f"order: {order}\n#", 1))
    elif kind == "remove" and len(files) > 5:
        files[-1].unlink()
    elif kind == "reorder":
        # Swap two stretches' places: neighbours change, so do their pages.
        other = files[(index + 1) % len(files)]
        a = source.split("order: ")[1].split()[0]
        b = other.read_text().split("order: ")[1].split()[0]
        edit_file(target, f"order: {a}\n", "order: 999\n", 1)
        edit_file(other, f"order: {b}\n", f"order: {a}\n", 1)
        edit_file(target, "order: 999\n", f"order: {b}\n", 1)
    elif kind == "out-delete":
        output_file(project, index).unlink()
    elif kind == "out-edit":
        with output_file(project, index).open("a") as handle:
            handle.write(text)
    elif kind == "out-add":
        folder = project / "dist" / ("", "css", "stretches/new")[index]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"stray-{text}.html").write_text(text)
    elif kind.startswith("spare-"):
        hand_edit_spare(project, kind, index, text)
    elif kind == "out-static":
        css = project / "dist/css/site.css"
        if index:
            css.unlink(missing_ok=True)
        elif css.exists():
            edit_file(css, "{", "{ ", 1)  # same folder, edited bytes


def hand_edit_spare(project: Path, kind: str, index: int, text: str) -> None:
    """Change the spare by hand; most of its files are hard links to the ones in dist/."""
    spare = project / SPARE
    target = output_file(project, index, SPARE)
    if target is None:  # no spare yet (the first build swaps out nothing)
        return
    if kind == "spare-delete":
        target.unlink()
    elif kind == "spare-edit":  # in place: the same file in dist/ changes too
        with target.open("a") as handle:
            handle.write(text)
    elif kind == "spare-replace":  # a new file under the old name, as editors save
        data = target.read_bytes() + text.encode()
        target.unlink()
        target.write_bytes(data)
    else:
        folder = spare / ("", "css", "stretches/new")[index % 3]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"stray-{text}.html").write_text(text)


@pytest.mark.slow
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(EDITS, min_size=1, max_size=4))
def test_any_edit_sequence_matches_a_clean_build(tmp_path_factory, edits):
    project = tmp_path_factory.mktemp("incremental")
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, project / name)
    build(project, "dist")
    for edit in edits:
        apply(project, edit)
        build(project, "dist")
        same_as_clean_build(project)


def test_no_change_rebuild_leaves_the_output_folder_alone(project):
    first = build(project, "dist")
    folder = (project / "dist").stat().st_ino
    again = build(project, "dist")
    assert first.rendered == first.pages
    assert again.rendered == 0
    assert (project / "dist").stat().st_ino == folder, "no new folder swapped in"
    same_as_clean_build(project)
    # A changed static file alone still makes a new site (and a new file list).
    css = project / "static/css/site.css"
    css.write_text(css.read_text() + "/* changed */\n")
    third = build(project, "dist")
    assert third.rendered == 1
    assert "/* changed */" in (project / "dist/css/site.css").read_text()
    same_as_clean_build(project)


def test_one_stretch_edit_renders_its_neighbours_and_site_wide_pages(project, real_site):
    build(project, "dist")
    calf = project / "content/stretches/05-calf-stretch.md"
    edit_file(calf, "title: Calf Stretch", "title: Calf Raise Stretch")
    report = build(project, "dist")
    stretch_pages = len(real_site.stretches)
    assert report.rendered < report.pages - stretch_pages + 3
    assert "Calf Raise Stretch" in (project / "dist/stretches/calf-stretch/index.html").read_text()
    # The page before it names it in its "Next" link.
    quad = (project / "dist/stretches/standing-quad-stretch-with-rotation/index.html").read_text()
    assert "Calf Raise Stretch" in quad
    same_as_clean_build(project)


def test_template_edit_rerenders_every_page_using_it(project, real_site):
    build(project, "dist")
    template = project / "templates/stretch.html"
    edit_file(template, '{{ phrase("stretch.steps") }}', "How to do this one")
    report = build(project, "dist")
    assert report.rendered == report.pages
    for stretch in real_site.stretches:
        page = project / "dist/stretches" / stretch.slug / "index.html"
        assert "How to do this one" in page.read_text()


def test_corrupt_cache_is_discarded_with_a_note(project):
    build(project, "dist")
    build_cache.cache_path(project / "dist").write_bytes(b'{"code": "cut off')
    report = build(project, "dist")
    assert report.rendered == report.pages
    assert any("unreadable" in note for note in report.notes)
    same_as_clean_build(project)


def test_cache_from_another_version_is_discarded_with_a_note(project):
    build(project, "dist")
    path = build_cache.cache_path(project / "dist")
    head, stretches = path.read_text().split("\n", 1)
    data = json.loads(head)
    data["code"] = "older"
    path.write_text(json.dumps(data) + "\n" + stretches)
    report = build(project, "dist")
    assert report.rendered == report.pages
    assert any("another generator version" in note for note in report.notes)


def test_cache_for_a_replaced_output_folder_is_not_trusted(project):
    build(project, "dist")
    # Someone rebuilt dist/ by other means (or a build died after writing the cache).
    shutil.rmtree(project / "dist")
    build(project, "other")
    (project / "other").rename(project / "dist")
    report = build(project, "dist")
    assert report.rendered == report.pages


def test_parallel_build_matches_serial(project, monkeypatch):
    from stretchsite import generator

    monkeypatch.setattr(generator, "PARALLEL_THRESHOLD", 1)
    build(project, "dist", jobs=2, incremental=False)
    serial = project / "serial"
    build(project, "serial", jobs=1, incremental=False)
    assert tree_digest(project / "dist") == tree_digest(serial)


def test_keys_worked_out_while_workers_render_are_the_keys(project, monkeypatch):
    """A first build keys its pages while worker processes render them (it renders every
    page whatever its key): it records the keys and warnings a serial first build does,
    and the next build finds every page unchanged."""
    monkeypatch.setattr(generator, "PARALLEL_THRESHOLD", 1)
    parallel = build(project, "dist", jobs=2)
    serial = build(project, "serial", jobs=1)
    assert parallel.rendered == parallel.pages
    assert parallel.warnings == serial.warnings
    recorded = build_cache.load(project / "dist")
    assert recorded.outputs == build_cache.load(project / "serial").outputs
    assert all(key for key, _ in recorded.outputs.values())
    assert build(project, "dist", jobs=2).rendered == 0


def test_editing_steps_renders_only_that_stretch_and_its_neighbours(project, real_site):
    build(project, "dist")
    bridge = project / "content/stretches/02-bridge-hold-with-pelvic-tilt.md"
    bridge.write_text(bridge.read_text() + "\nKeep your chin tucked.\n")
    report = build(project, "dist")
    # The stretch and the service worker's file list: its neighbours' Next and
    # Previous links name it, but not its steps; no page that lists every stretch.
    assert report.rendered == 2
    page = (project / "dist/stretches/bridge-hold-with-pelvic-tilt/index.html").read_text()
    assert "Keep your chin tucked." in page
    same_as_clean_build(project)


def test_static_files_changed_in_the_output_are_restored(project):
    build(project, "dist")
    (project / "dist/css/site.css").unlink()
    icons = sorted((project / "dist/icons").iterdir())
    icons[0].write_bytes(b"not an icon")
    (project / "dist/stray.html").write_text("left by hand")
    report = build(project, "dist")
    assert report.rendered < report.pages, "unchanged pages are still carried over"
    same_as_clean_build(project)


@pytest.fixture
def aged(monkeypatch):
    """Files count as unchanged right after a build (no racy window): the edits in these
    tests come a whole build later, long after the coarsest file clock has moved on."""
    monkeypatch.setattr(build_cache, "RACY_NS", 0)


def test_a_no_change_build_does_not_even_load_the_content(project, monkeypatch, aged):
    build(project, "dist")

    def refuse(*args, **kwargs):
        raise AssertionError("a build with nothing changed loaded the content")

    monkeypatch.setattr(generator, "load_site", refuse)
    report = build(project, "dist")
    assert (report.rendered, report.pages) == (0, len(build_cache.load(project / "dist").outputs))


@pytest.mark.parametrize(
    "edit",
    [
        ("body", 1, "x"),
        ("same-size", 0, ""),
        ("touch", 2, ""),
        ("site", 0, "abc"),
        ("static", 0, "abc"),
        ("add", 0, ""),
        ("out-edit", 3, "abc"),
        ("out-add", 1, "abc"),
    ],
    ids=lambda edit: edit[0],
)
def test_after_a_no_change_build_any_edit_is_still_seen(project, edit, aged, monkeypatch):
    build(project, "dist")
    loaded = []
    monkeypatch.setattr(generator, "load_site", lambda *a: loaded.append(a) or load_site(*a))
    assert build(project, "dist").rendered == 0
    assert not loaded, "the no-change build took the long way"
    apply(project, edit)
    build(project, "dist")
    same_as_clean_build(project)


def identity(path: Path) -> tuple[int, int]:
    """A file's inode and modification time: a file written anew has another (even if it
    reuses a freed inode number)."""
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def test_a_one_stretch_edit_updates_the_spare_in_place(project):
    bridge = project / "content/stretches/02-bridge-hold-with-pelvic-tilt.md"
    build(project, "dist")
    bridge.write_text(bridge.read_text() + "\nFirst edit.\n")
    build(project, "dist")  # swaps out the first site: the spare
    spare = (project / SPARE).stat().st_ino
    css = identity(project / SPARE / "css/site.css")
    bridge.write_text(bridge.read_text() + "\nSecond edit.\n")
    build(project, "dist")
    assert (project / "dist").stat().st_ino == spare, "the spare was not the new site"
    assert identity(project / "dist/css/site.css") == css, "an unchanged file was rewritten"
    same_as_clean_build(project)


def edit_template(project: Path, round: int) -> None:
    """Change what every stretch page shows."""
    template = project / "templates/stretch.html"
    template.write_text(template.read_text() + f"<!-- edit {round} -->\n")


CALF = "stretches/calf-stretch/index.html"


def test_a_template_edit_rewrites_the_spares_own_files_in_place(project):
    """Every stretch page changes: the spare's copy of each, linked nowhere else, is
    overwritten, not deleted for a new file (half the system calls, no inode churn)."""
    build(project, "dist")
    edit_template(project, 1)
    build(project, "dist")  # the first site is the spare; its stretch pages are its own
    assert (project / SPARE / CALF).stat().st_nlink == 1
    # Held open, the file cannot be freed and its inode number reused for another.
    with (project / SPARE / CALF).open("rb") as held:
        edit_template(project, 2)
        build(project, "dist")
        assert os.path.samestat(os.fstat(held.fileno()), (project / "dist" / CALF).stat())
    same_as_clean_build(project)


def test_a_spare_file_linked_elsewhere_is_never_written_into(project):
    """A file of the spare with another name (a hard link someone made) is replaced, not
    overwritten: what the other name shows stays as it was."""
    build(project, "dist")
    edit_template(project, 1)
    build(project, "dist")
    theirs = project / "theirs.html"
    os.link(project / SPARE / CALF, theirs)
    before = theirs.read_bytes()
    edit_template(project, 2)
    build(project, "dist")
    assert theirs.read_bytes() == before
    assert (project / "dist" / CALF).stat().st_ino != theirs.stat().st_ino
    same_as_clean_build(project)


@pytest.mark.parametrize("kind", ["spare-delete", "spare-edit", "spare-replace", "spare-add"])
def test_hand_edits_to_the_spare_never_reach_the_site(project, kind):
    bridge = project / "content/stretches/02-bridge-hold-with-pelvic-tilt.md"
    build(project, "dist")
    for round in range(3):
        bridge.write_text(bridge.read_text() + f"\nEdit {round}.\n")
        build(project, "dist")
        for index in (0, 7, 19):
            hand_edit_spare(project, kind, index, "abc")
    bridge.write_text(bridge.read_text() + "\nLast edit.\n")
    build(project, "dist")
    same_as_clean_build(project)


@pytest.mark.parametrize("missing", ["renameat2", "hard links", "both"])
def test_without_renameat2_or_hard_links_builds_stay_right(project, monkeypatch, missing):
    from stretchsite import output

    if missing in ("renameat2", "both"):
        monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    if missing in ("hard links", "both"):

        def no_links(*args, **kwargs):
            raise OSError(1, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_links)
    bridge = project / "content/stretches/02-bridge-hold-with-pelvic-tilt.md"
    build(project, "dist")
    for round, hand_edit in enumerate(["out-edit", "spare-edit", "spare-add", "out-delete"]):
        bridge.write_text(bridge.read_text() + f"\nEdit {round}.\n")
        build(project, "dist")
        same_as_clean_build(project)
        apply(project, (hand_edit, round * 7, "abc"))
    build(project, "dist")
    same_as_clean_build(project)
