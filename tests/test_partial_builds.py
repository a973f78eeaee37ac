"""A build after a few stretch edits plans only their pages (stretchsite.partial): it
decodes no other stretch from the build cache, yet its output stays byte for byte a
clean build's, and any edit a page reading every stretch shows still reaches it."""

from __future__ import annotations

import json
import shutil
from dataclasses import fields
from pathlib import Path

import pytest

from benchmarks.corpus import make_corpus
from stretchsite import cache as build_cache
from stretchsite import generator, partial
from stretchsite.content import Stretch, load_site
from stretchsite.pages import plan_pages

from .conftest import ROOT
from .helpers import build_into as build
from .helpers import edit_file, same_as_clean_build

N = 24


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch) -> Path:
    """A synthetic site of N stretches; files count as unchanged right after a build."""
    monkeypatch.setattr(build_cache, "RACY_NS", 0)
    make_corpus(N, tmp_path)
    for name in ("templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def stretch_files(project: Path) -> list[Path]:
    return sorted((project / "content/stretches").glob("*.md"))


def append_line(stretch: Path, line: str) -> None:
    """Add a line to a stretch's steps: its own text changes, nothing a listing shows."""
    stretch.write_text(stretch.read_text() + f"\n{line}\n")


def record_a_spare(corpus: Path, stretch: Path) -> None:
    """Three builds, each after an edit of ``stretch``: the second makes a spare, the
    third a record of it."""
    for round in range(3):
        append_line(stretch, f"Edit {round}.")
        build(corpus, "dist")


@pytest.fixture
def decoded(monkeypatch) -> list[str]:
    """The stretch files decoded from the build cache, as they are."""
    seen: list[str] = []
    real = build_cache._decode_line

    def noted(shown: str, line: bytes):
        seen.append(Path(shown).name)
        return real(shown, line)

    monkeypatch.setattr(build_cache, "_decode_line", noted)
    return seen


def test_a_body_edit_decodes_only_the_stretches_its_pages_read(corpus, decoded):
    build(corpus, "dist")
    files = stretch_files(corpus)
    edited = N // 2
    files[edited].write_text(files[edited].read_text() + "\nOne more line.\n")
    decoded.clear()
    report = build(corpus, "dist")
    # Its page and the service worker's file list; its neighbours' pages, which name
    # it in their Previous and Next links, are planned and keyed but stay as they are.
    # The stretches those three pages read are decoded.
    assert report.rendered == 2
    assert sorted(decoded) == [f.name for f in files[edited - 2 : edited + 3]]
    page = corpus / "dist/stretches" / f"synthetic-stretch-{edited + 1}/index.html"
    assert "One more line." in page.read_text()
    same_as_clean_build(corpus)
    # The next build reads what this one wrote back as it was (the lines it never decoded).
    files[0].write_text(files[0].read_text() + "\nAnd one at the start.\n")
    decoded.clear()
    assert build(corpus, "dist").rendered == 2
    assert sorted(decoded) == [f.name for f in files[:3]]
    same_as_clean_build(corpus)


@pytest.mark.parametrize(
    "before, words, shown_in",
    [
        ("cues:\n  - ", "A new first cue,", "timer/index.html"),
        ("cues:\n  - ", "A new first cue,", "cheatsheet/index.html"),
        ("title: ", "Renamed,", "index.html"),
    ],
    ids=["cue on the timer", "cue on the cheat sheet", "title on the home page"],
)
def test_an_edit_a_page_listing_every_stretch_shows_reaches_that_page(
    corpus, before, words, shown_in
):
    build(corpus, "dist")
    edit_file(stretch_files(corpus)[3], before, f"{before}{words} ", 1)
    build(corpus, "dist")
    assert words in (corpus / "dist" / shown_in).read_text()
    same_as_clean_build(corpus)


@pytest.mark.parametrize(
    "deleted",
    ["sitemap.xml", "index.html", "stretches/synthetic-stretch-2/index.html"],
    ids=["sitemap", "home", "a far stretch page"],
)
def test_a_body_edit_still_repairs_any_page_deleted_by_hand(corpus, deleted):
    build(corpus, "dist")
    files = stretch_files(corpus)
    files[-3].write_text(files[-3].read_text() + "\nOne more line.\n")
    (corpus / "dist" / deleted).unlink()
    build(corpus, "dist")
    same_as_clean_build(corpus)


def stored_line(project: Path, stretch: Path) -> tuple[int, int]:
    """Where the stretch store holds ``stretch``'s line: offset and length."""
    head = json.loads(build_cache.cache_path(project / "dist").read_text())
    return tuple(head["spans"][str(stretch)])


def test_a_damaged_stretch_line_in_the_cache_means_a_whole_build(corpus):
    build(corpus, "dist")
    files = stretch_files(corpus)
    offset, length = stored_line(corpus, files[N // 2 + 1])  # a neighbour's: decoded, not read
    store = build_cache.store_path(corpus / "dist")
    lines = store.read_bytes()
    store.write_bytes(
        lines[:offset] + b'["cut off' + b" " * (length - 10) + b"\n" + lines[offset + length :]
    )
    files[N // 2].write_text(files[N // 2].read_text() + "\nOne more line.\n")
    report = build(corpus, "dist")
    assert report.rendered == report.pages
    assert any("unreadable" in note for note in report.notes)
    same_as_clean_build(corpus)


def test_a_one_stretch_edit_writes_its_line_only_and_the_store_stays_bounded(corpus):
    build(corpus, "dist")
    store = build_cache.store_path(corpus / "dist")
    files = stretch_files(corpus)
    before = store.read_bytes()
    files[4].write_text(files[4].read_text() + "\nOne more line.\n")
    build(corpus, "dist")
    after = store.read_bytes()
    assert after.startswith(before), "the lines already there were not written again"
    offset, length = stored_line(corpus, files[4])
    assert (offset, offset + length) == (len(before), len(after)), "one line appended"
    # Edit after edit, old lines never pile up beyond the live ones.
    for round in range(3 * N):
        files[4].write_text(files[4].read_text() + f"\nEdit {round}.\n")
        build(corpus, "dist")
    assert store.stat().st_size < 3 * len(before)
    same_as_clean_build(corpus)


def test_a_store_the_cache_does_not_name_is_never_read(corpus):
    """A build killed between writing a new store and the cache naming it."""
    build(corpus, "dist")
    store = build_cache.store_path(corpus / "dist")
    first = store.read_bytes()
    files = stretch_files(corpus)
    files[4].write_text(files[4].read_text() + "\nOne more line.\n")
    build(corpus, "dist")
    cache = build_cache.cache_path(corpus / "dist").read_bytes()
    store.write_bytes(b'"another"\n' + first.split(b"\n", 1)[1])
    files[4].write_text(files[4].read_text() + "\nAnd another.\n")
    report = build(corpus, "dist")
    assert build_cache.cache_path(corpus / "dist").read_bytes() != cache
    assert any("not the store of this cache" in note for note in report.notes)
    same_as_clean_build(corpus)


def stored_identity(store: Path) -> tuple[int, int, bytes]:
    info = store.stat()
    return info.st_ino, info.st_mtime_ns, store.read_bytes()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_first_build_writes_the_store_with_its_pages_and_saves_only_the_cache(
    corpus, monkeypatch, jobs
):
    """The stretch store of a build that renders every page is written once its keys are
    worked out: while worker processes render, or else before the pages; saving the
    cache after them leaves it as it is. The next build reads its lines."""
    monkeypatch.setattr(generator, "PARALLEL_THRESHOLD", 1)
    store = build_cache.store_path(corpus / "dist")
    seen: dict[str, tuple] = {}
    real_write, real_save = generator.write_page, build_cache.save

    def write_page(root, relative, text):  # in this process: the pages of a serial build
        seen.setdefault("first page", stored_identity(store) if store.exists() else None)
        return real_write(root, relative, text)

    def save(cache, out):
        seen["save"] = stored_identity(store)
        real_save(cache, out)

    monkeypatch.setattr(generator, "write_page", write_page)
    monkeypatch.setattr(build_cache, "save", save)
    build(corpus, "dist", jobs=jobs)
    # Each page's file as the build recorded it, looked at by the process that wrote it.
    recorded = build_cache.load(corpus / "dist").files
    assert recorded == build_cache.output_files(corpus / "dist")
    assert stored_identity(store) == seen["save"], "saving the cache wrote no store"
    if jobs == 1:
        assert seen["first page"] == seen["save"], "written before the first page"
    head = json.loads(build_cache.cache_path(corpus / "dist").read_bytes().split(b"\n")[0])
    assert json.loads(seen["save"][2].split(b"\n")[0]) == head["store"]
    files = stretch_files(corpus)
    append_line(files[3], "One more line.")
    report = build(corpus, "dist", jobs=jobs)
    assert not report.notes and report.rendered == 2
    same_as_clean_build(corpus)


def test_a_store_that_cannot_be_written_costs_one_note(corpus):
    """Writing the store is tried once more with the cache; failing again, it is
    said once, the site is built, and the next build can write it."""
    store = build_cache.store_path(corpus / "dist")
    store.mkdir()  # nothing can be renamed over a folder
    report = build(corpus, "dist")
    assert [note for note in report.notes if "build cache" in note] == [
        f"could not write the build cache {build_cache.cache_path(corpus / 'dist')}: Is a directory"
    ]
    assert not build_cache.cache_path(corpus / "dist").exists()
    assert report.rendered == report.pages and (corpus / "dist/index.html").is_file()
    store.rmdir()
    build(corpus, "dist")
    assert build(corpus, "dist").rendered == 0


def test_a_partial_plan_is_made_only_for_an_edit_it_covers(corpus, monkeypatch):
    build(corpus, "dist")
    plans = []
    real = partial.partial_plan

    def noted(*args):
        plans.append(real(*args))
        return plans[-1]

    monkeypatch.setattr("stretchsite.generator.partial_plan", noted)
    files = stretch_files(corpus)
    append_line(files[5], "More.")
    build(corpus, "dist")
    edit_file(files[5], "order: ", "order: 1000", 1)  # moves it: every neighbour changes
    build(corpus, "dist")
    files[7].unlink()
    build(corpus, "dist")
    assert [plan is not None for plan in plans] == [True, False, False]
    same_as_clean_build(corpus)


def reads_any_field(page, stretch) -> bool:
    """Whether ``page`` reads ``stretch`` in particular (not as one of every stretch)."""
    return page.reads.stretches is not None and any(
        page.reads.covers(stretch, f.name) for f in fields(Stretch)
    )


@pytest.mark.parametrize("source", ["real", "corpus"])
def test_pages_planned_near_a_stretch_are_all_the_pages_reading_it(source, corpus):
    site = load_site(ROOT / "content" if source == "real" else corpus / "content")
    everything = plan_pages(site)
    for i, stretch in enumerate(site.stretches):
        near = plan_pages(site, near={i})
        reading = [p for p in everything if reads_any_field(p, stretch)]
        assert [p for p in near if p.reads.stretches] == reading
        # Pages reading every stretch, or none, are always planned.
        assert [p for p in near if not p.reads.stretches] == [
            p for p in everything if not p.reads.stretches
        ]


@pytest.fixture
def folders_read(monkeypatch) -> list[str]:
    """The folders of output trees read entry by entry, as they are read."""
    from stretchsite import output

    seen: list[str] = []
    real = output._read_folder

    def noted(root, relative, *rest):
        seen.append(relative)
        return real(root, relative, *rest)

    monkeypatch.setattr(output, "_read_folder", noted)
    return seen


def test_the_spare_is_read_only_where_it_changed_and_hand_edits_there_never_reach_the_site(
    corpus, folders_read
):
    files = stretch_files(corpus)
    record_a_spare(corpus, files[5])
    folders_read.clear()
    append_line(files[5], "One more.")
    build(corpus, "dist")
    # The top folder, which renames change, and at most the edited page's, whose
    # new page may have been written in the clock tick its cache was written in.
    edited = "stretches/synthetic-stretch-6"
    assert set(folders_read) - {edited} == {""}
    spare = corpus / ".dist.spare"
    (spare / "stretches/synthetic-stretch-3/stray.html").write_text("left by hand")
    with (spare / "stretches/synthetic-stretch-9/index.html").open("a") as page:
        page.write("edited in place")  # the same file as in dist/: both are repaired
    (spare / "cards/40-plus/index.html").unlink()
    folders_read.clear()
    append_line(files[5], "And one more.")
    build(corpus, "dist")
    assert set(folders_read) - {edited} == {"", "cards/40-plus", "stretches/synthetic-stretch-3"}
    assert not (corpus / "dist/stretches/synthetic-stretch-3/stray.html").exists()
    same_as_clean_build(corpus)


def test_a_spare_that_is_not_the_recorded_site_is_read_whole(corpus, folders_read):
    # Another site, with a stray file, written before the one the builds record.
    build(corpus, "other", incremental=False)
    (corpus / "other/stretches/synthetic-stretch-3/stray.html").write_text("not ours")
    files = stretch_files(corpus)
    record_a_spare(corpus, files[5])
    # ... put where the spare goes: its folders are older than the record, yet not it.
    shutil.rmtree(corpus / ".dist.spare")
    (corpus / "other").rename(corpus / ".dist.spare")
    folders_read.clear()
    append_line(files[5], "One more.")
    build(corpus, "dist")
    assert len(folders_read) > N, "every folder was read"
    assert not (corpus / "dist/stretches/synthetic-stretch-3/stray.html").exists()
    same_as_clean_build(corpus)


def test_the_folder_of_a_removed_stretch_is_gone_from_both_sites(corpus):
    files = stretch_files(corpus)
    record_a_spare(corpus, files[5])
    # A stray file in its folder in the spare: the folder changed since its record.
    (corpus / ".dist.spare/stretches/synthetic-stretch-8/stray.html").write_text("by hand")
    files[7].unlink()
    for round in range(2):  # each of the two sites in turn
        build(corpus, "dist")
        assert not (corpus / "dist/stretches/synthetic-stretch-8").exists()
        same_as_clean_build(corpus)
        append_line(files[5], f"After {round}.")


def test_an_output_folder_that_is_not_the_recorded_site_is_read_whole(corpus, folders_read):
    # Another site, with a stray file, written before the one the builds record ...
    build(corpus, "other", incremental=False)
    (corpus / "other/stretches/synthetic-stretch-3/stray.html").write_text("not ours")
    files = stretch_files(corpus)
    record_a_spare(corpus, files[5])
    # ... put in its place (a copy restored by hand): its folders are older than the record.
    (corpus / "dist").rename(corpus / "moved")
    (corpus / "other").rename(corpus / "dist")
    folders_read.clear()
    build(corpus, "dist")  # nothing changed in the content
    assert len(folders_read) > N, "every folder was read"
    assert not (corpus / "dist/stretches/synthetic-stretch-3/stray.html").exists()
    same_as_clean_build(corpus)
