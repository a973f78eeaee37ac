"""Building the real content: pages, links, holds, and what a failed build leaves."""

from __future__ import annotations

import gc
import os
import re
import stat
import subprocess
import sys

import pytest

from stretchsite import generator
from stretchsite.content import ContentErrors, load_site
from stretchsite.generator import build_site
from stretchsite.pages import plan_pages
from stretchsite.phrases import EN
from stretchsite.render import normalise_base
from stretchsite.wording import Wording

from .conftest import ROOT, options_for
from .helpers import edit, edit_file, read_html, run_build, tree_digest
from .sitecheck import broken_links

WORDS = Wording(EN)


def test_every_page_exists(built, real_site):
    assert (built / "index.html").is_file()
    for stretch in real_site.stretches:
        assert (built / "stretches" / stretch.slug / "index.html").is_file()
    assert (built / "css/site.css").is_file()


@pytest.mark.parametrize("base", ["/", "/sub/", "/stretch-routine/"])
def test_internal_links_resolve_under_any_base(tmp_path, base):
    out = tmp_path / "dist"
    build_site(options_for(ROOT, out=out, base_url=base))
    assert broken_links(out, base) == []
    links = read_html(out / "index.html").links
    internal = [link for link in links if link.startswith("/")]
    assert internal and all(link.startswith(base) for link in internal)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("", "/"), ("/", "/"), ("repo", "/repo/"), ("/repo", "/repo/"), ("/a/b/", "/a/b/")],
)
def test_base_url_is_normalised(given, expected):
    assert normalise_base(given) == expected


def test_home_lists_routine_in_order_with_holds(built, real_site):
    text = read_html(built / "index.html").visible_text
    text = text[text.index("The routine") :]
    positions = [text.index(real_site.cooldown.title)]
    positions += [text.index(s.title) for s in real_site.stretches]
    assert positions == sorted(positions), "cooldown first, then stretches in order"
    for group in real_site.age_groups:
        assert f"{group.label} {WORDS.hold(group)}" in text
    for phrase in (
        real_site.intensity.text[:40],
        real_site.consistency.text[:40],
        real_site.disclaimer[:40],
        real_site.credit.author,
        "Carson",
    ):
        assert " ".join(phrase.split()) in text


def test_stretch_pages_show_both_holds_and_facts(built, real_site):
    for stretch in real_site.stretches:
        text = read_html(built / "stretches" / stretch.slug / "index.html").visible_text
        assert stretch.title in text
        assert WORDS.dose(stretch.dose).capitalize() in text
        for group in real_site.age_groups:
            shown = f"{group.label} {WORDS.hold(group)}"
            assert shown in text, f"{stretch.slug} lacks {shown!r}"
        switches = re.search(r"switch (sides|to the|legs)", text, re.IGNORECASE)
        assert bool(switches) == stretch.one_sided, stretch.slug
        assert ("Both sides at once" in text) != stretch.one_sided
        if stretch.easier:
            assert WORDS.easier_hold(stretch.easier) in text


@pytest.mark.parametrize(
    "page, routine, timer, printouts",
    [
        ("index.html", "page", None, None),
        ("stretches/calf-stretch/index.html", "true", None, None),
        ("timer/index.html", None, "page", None),
        ("cheatsheet/index.html", None, None, "page"),
        ("cards/40-plus/index.html", None, None, "true"),
        ("404.html", None, None, None),
    ],
)
def test_the_navigation_marks_where_the_page_is(built, page, routine, timer, printouts):
    """The page itself is `aria-current="page"`; a stretch is in the routine and a card in
    the printouts (`"true"`). The header is rendered once per place, so each is checked."""
    links = read_html(built / page).one("nav", class_="site-nav").find_all("a")
    assert [a.attrs.get("aria-current") for a in links] == [routine, timer, printouts]


def test_a_build_holds_the_cycle_collector_and_then_restores_it(project, monkeypatch):
    """Collections are held while the site is read (see generator.collections_held) and
    resume after the build, whether it succeeds or fails; a caller's own pause stays."""
    during = []
    loader = generator.load_site
    monkeypatch.setattr(
        generator, "load_site", lambda *a: (during.append(gc.isenabled()), loader(*a))[1]
    )
    assert gc.isenabled()
    build_site(options_for(project))
    assert during == [False] and gc.isenabled()
    (project / "content/stretches/05-calf-stretch.md").write_text("no frontmatter\n")
    with pytest.raises(ContentErrors):
        build_site(options_for(project))
    assert during == [False, False] and gc.isenabled()
    gc.disable()
    try:
        build_site(options_for(project, out=project / "other"), None)
    except ContentErrors:
        pass
    finally:
        still_held = not gc.isenabled()
        gc.enable()
    assert still_held


def test_holds_follow_the_age_group_data(project):
    site_yml = project / "content/site.yml"
    edit_file(site_yml, "hold: 30", "hold: 45")
    out = project / "dist"
    build_site(options_for(project, out=out))
    text = read_html(out / "stretches/calf-stretch/index.html").visible_text
    assert "Under 40 45 seconds per side" in text
    assert "30 seconds" not in text


def test_cli_builds_and_reports(project):
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    # Pages that need --site-url (sitemap.xml) are left out of a build without it.
    planned = [p for p in plan_pages(load_site(project / "content")) if not p.needs_site_url]
    assert f"Built {len(planned)} pages" in result.stdout
    assert " ms" in result.stdout
    assert (project / "dist/index.html").is_file()


def test_cli_whose_report_nobody_reads_ends_without_a_traceback(project):
    """`build.py | head -0`: the build completes; printing its report fails quietly."""
    reader, writer = os.pipe()
    os.close(reader)  # every write to the pipe fails
    try:
        result = subprocess.run(
            [sys.executable, str(ROOT / "build.py")],
            cwd=project,
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
        )
    finally:
        os.close(writer)
    assert "Traceback" not in result.stderr and "Error" not in result.stderr, result.stderr
    assert result.returncode == 120
    assert (project / "dist/index.html").is_file()


def test_cli_ends_its_process_through_sys_exit(project):
    """A build run as a program skips Python's teardown, yet ends through SystemExit:
    a caller catching it (a profiler, a timing wrapper) still runs, what it prints
    still comes out (buffered, as in a pipe), and the process's exit status is the
    build's."""
    wrapper = (
        "import runpy, sys\n"
        "sys.argv = ['build.py', '--quiet', *sys.argv[1:]]\n"
        "try:\n"
        f"    runpy.run_path({str(ROOT / 'build.py')!r}, run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    print('ended with', exc.code)\n"
    )
    for args, status in (([], 0), (["--content", "missing"], 1)):
        result = subprocess.run(
            [sys.executable, "-c", wrapper, *args],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=60,
            env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
        )
        assert result.stdout == f"ended with {status}\n"
        assert result.returncode == status, result.stderr


def test_cli_runs_every_exit_function(project):
    """Exit functions registered before the build (a tool's, say coverage saving its
    data) still run, though the process ends without Python's teardown."""
    wrapper = (
        "import atexit, runpy, sys\n"
        "atexit.register(print, 'saved')\n"
        "sys.argv = ['build.py', '--quiet']\n"
        f"runpy.run_path({str(ROOT / 'build.py')!r}, run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", wrapper], cwd=project, capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout) == (0, "saved\n"), result.stderr


def test_failed_build_leaves_previous_dist_untouched(project):
    assert run_build(project).returncode == 0
    before = tree_digest(project / "dist")
    bad = project / "content/stretches/05-calf-stretch.md"
    edit_file(bad, "equipment: [step]", "equipment: [stool]")
    other = project / "content/stretches/02-bridge-hold-with-pelvic-tilt.md"
    edit_file(other, "order: 2", "order: two")
    result = run_build(project)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("content/stretches/02-bridge-hold-with-pelvic-tilt.md:3: `order`")
    assert lines[1].startswith("content/stretches/05-calf-stretch.md:")
    assert "unknown equipment 'stool'" in lines[1]
    assert "dist was not changed" in lines[-1]
    assert tree_digest(project / "dist") == before
    assert not list(project.glob(".dist.tmp-*")), "temporary folder left behind"


def test_out_option(project):
    result = run_build(project, "--out", "public", "--base-url", "/repo/")
    assert result.returncode == 0, result.stderr
    assert "/repo/css/site.css" in read_html(project / "public/index.html").links


@pytest.mark.parametrize(
    ("umask", "file_mode", "folder_mode"), [(0o022, 0o644, 0o755), (0o002, 0o664, 0o775)]
)
def test_output_modes_follow_the_umask(project, umask, file_mode, folder_mode):
    """Pages and their folders are made as any file the user makes: a web server reads them."""
    previous = os.umask(umask)
    try:
        result = run_build(project)
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    dist = project / "dist"
    modes = {
        p.relative_to(dist).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in dist.rglob("*")
    }
    assert {p for p, mode in modes.items() if (dist / p).is_dir() and mode != folder_mode} == set()
    generated = {p for p in modes if p.endswith(".html")}
    assert generated and {p for p in generated if modes[p] != file_mode} == set()


def test_output_is_reproducible(project):
    first = project / "a"
    second = project / "b"
    build_site(options_for(project, out=first))
    build_site(options_for(project, out=second))
    assert tree_digest(first) == tree_digest(second)


def test_site_url_sets_the_base_path(project):
    result = run_build(project, "--site-url", "https://example.github.io/stretch-routine/")
    assert result.returncode == 0, result.stderr
    assert "/stretch-routine/css/site.css" in read_html(project / "dist/index.html").links


def test_previous_site_is_deleted_after_the_swap(project):
    import time

    assert run_build(project).returncode == 0
    assert run_build(project, "--no-cache").returncode == 0  # a new folder is swapped in
    deadline = time.monotonic() + 20
    while list(project.glob(".dist.old-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(project.glob(".dist.old-*")), "the old site was not deleted"
    assert not list(project.glob(".dist.tmp-*"))
    assert (project / "dist/index.html").is_file()


def test_a_first_build_leaves_nothing_beside_the_site_and_starts_no_deleter(project, monkeypatch):
    from stretchsite import output

    deleted = []
    monkeypatch.setattr(output, "remove_tree_soon", lambda *paths: deleted.extend(paths))
    build_site(options_for(project, out=project / "site/dist"))
    assert deleted == [], "a process was started to delete an empty folder"
    assert sorted(p.name for p in (project / "site").iterdir()) == [
        ".dist.cache",
        ".dist.cache-stretches",
        ".dist.lock",
        "dist",
    ]
    # The site the next build swaps out is kept to be updated, not deleted...
    build_site(options_for(project, out=project / "site/dist", incremental=False))
    assert deleted == []
    assert (project / "site/.dist.spare").is_dir()
    # ... and the one before is deleted once the next is kept.
    build_site(options_for(project, out=project / "site/dist", incremental=False))
    assert [p.name[: len(".dist.old-")] for p in deleted] == [".dist.old-"]


def test_a_capital_letter_in_the_content_survives_sentence_case(project, tmp_path):
    """Lists that start a line get a capital first letter; the content's own capitals stay."""
    edit(project, "content/stretches/01-foam-roller-thoracic-extension.md",
         "targets: [chest, upper back]", "targets: [IT band, upper back]")  # fmt: skip
    build_site(options_for(project, out=tmp_path / "out", incremental=False))
    page = read_html(tmp_path / "out" / "stretches/foam-roller-thoracic-extension/index.html")
    assert "IT band, upper back" in page.visible_text
