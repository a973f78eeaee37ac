"""The build trusts nothing it did not write itself: planted caches never run and never count.

An output folder may live in a shared folder such as /tmp, where anyone can
create `.dist.cache` before the owner's first build; the compiled templates'
folder (the user's, `$STRETCHSITE_CACHE_DIR/jinja/` here) gets the same checks.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jinja2.bccache import FileSystemBytecodeCache, bc_magic

from stretchsite import cache as build_cache
from stretchsite import printing
from stretchsite.content import load_site

from .helpers import build_into, same_as_clean_build

PLANTED = "Planted Title"


class Payload:
    """Unpickling this runs a command: it leaves a file behind if it ever runs."""

    def __init__(self, proof: Path):
        self.proof = proof

    def __reduce__(self):
        return (os.system, (f"touch {self.proof}",))


def build(project: Path):
    return build_into(project, "dist")


def every_page(project: Path) -> str:
    return "".join(p.read_text() for p in sorted((project / "dist").rglob("*.html")))


def test_a_planted_pickle_is_never_unpickled(project):
    build(project)
    proof = project / "code-ran"
    build_cache.cache_path(project / "dist").write_bytes(pickle.dumps(Payload(proof)))
    report = build(project)
    assert not proof.exists(), "the build ran code from its cache"
    assert any("unreadable" in note for note in report.notes)
    assert report.rendered == report.pages
    same_as_clean_build(project)


def rewrite_stretches(project: Path, change) -> Path:
    """Change the first cached stretch, as someone with write access could: its changed
    line appended to the stretch store, and the cache pointed at it."""
    path = build_cache.cache_path(project / "dist")
    store = build_cache.store_path(project / "dist")
    head = json.loads(path.read_text())
    shown, (offset, length) = next(iter(head["spans"].items()))
    lines = store.read_bytes()
    name, stored = json.loads(lines[offset : offset + length])
    change(stored["stretch"])
    line = (json.dumps([name, stored]) + "\n").encode()
    head["spans"][shown] = [len(lines), len(line)]
    store.write_bytes(lines + line)
    path.write_text(json.dumps(head) + "\n")
    return path


def plant_title(project: Path) -> Path:
    """Rewrite the cached title of one stretch, as someone with write access could."""
    return rewrite_stretches(project, lambda stretch: stretch.update(title=PLANTED))


def by_another_user(path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    os.chown(path, 65534, 65534)


@pytest.mark.parametrize("spoiled", ["cache", "stretch store"])
@pytest.mark.parametrize(
    "spoil",
    [lambda path: path.chmod(0o666), lambda path: path.chmod(0o620), by_another_user],
    ids=["writable by everyone", "writable by the group", "owned by another user"],
)
def test_a_cache_others_could_have_written_is_ignored(project, spoil, spoiled):
    build(project)
    cache = plant_title(project)
    spoil(cache if spoiled == "cache" else build_cache.store_path(project / "dist"))
    report = build(project)
    assert PLANTED not in every_page(project)
    assert any("not a file only you can write" in note for note in report.notes)
    same_as_clean_build(project)


def test_the_cache_gives_back_exactly_the_stretches_it_stored(project):
    """Same fields and the same types (a tuple, not a list; a Dose, not a dict)."""
    build(project)
    stored = build_cache.load(project / "dist").known()
    fresh = {s.slug: s for s in load_site(project / "content").stretches}
    assert {f.stretch.slug for f in stored.values()} == fresh.keys()
    for kept in stored.values():
        assert kept.stretch == fresh[kept.stretch.slug]
        assert repr(kept.stretch) == repr(fresh[kept.stretch.slug])


@dataclass(frozen=True)
class OneField:
    name: str


@dataclass(frozen=True)
class TwoFields:
    hidden: str = field(default="", metadata={"stored": False})
    inner: OneField | None = None
    count: int = 0


def test_records_of_one_field_or_more_are_written_as_objects_of_their_stored_fields():
    """What the cache writes for a record, as json.dumps of its stored fields would."""
    record = TwoFields("not stored", OneField("abc"), 2)
    assert build_cache._json([record]) == '[{"inner":{"name":"abc"},"count":2}]'
    with pytest.raises(TypeError, match="cannot store"):
        build_cache._json(object())


@pytest.mark.parametrize(
    "damage",
    [
        {"order": "1"},  # a string where a build writes a number
        {"order": True},  # a boolean is not a number here
        {"targets": ["hips", 1]},  # a number among strings
        {"side_names": ["left"]},  # one of a pair
        {"dose": {"unit": "sets", "min": 1}},  # a field short
        {"title": None},  # nothing where text is required
    ],
    ids=lambda damage: next(iter(damage)),
)
def test_a_cache_that_is_not_what_a_build_writes_is_discarded(project, damage):
    build(project)
    # The damage; and a file touched, so the build needs the stretches.
    rewrite_stretches(project, lambda stretch: stretch.update(damage))
    next((project / "content/stretches").glob("*.md")).touch()
    report = build(project)
    assert any("unreadable" in note for note in report.notes)
    assert report.rendered == report.pages
    same_as_clean_build(project)


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own folder of per-user caches; returns where compiled templates go."""
    root = tmp_path / "user-cache"
    monkeypatch.setenv(build_cache.CACHE_DIR_VARIABLE, str(root))
    return root / "jinja"


def plant_compiled_templates(project: Path, folder: Path, proof: Path) -> None:
    """A compiled-template file for every template, whose checksum is a pickle payload."""
    planted = FileSystemBytecodeCache(str(folder))
    templates = project / "templates"
    for template in templates.iterdir():
        key = planted.get_cache_key(template.name, os.path.join(str(templates), template.name))
        path = folder / (planted.pattern % key)
        path.write_bytes(bc_magic + pickle.dumps(Payload(proof), 2))


@pytest.mark.parametrize("mode", ["writable by everyone", "owned by another user"])
def test_compiled_templates_others_could_have_written_never_run(project, user_cache, mode):
    user_cache.mkdir(parents=True)
    if mode == "writable by everyone":
        user_cache.chmod(0o777)
    else:
        by_another_user(user_cache)
    proof = project / "code-ran"
    plant_compiled_templates(project, user_cache, proof)
    report = build(project)
    assert not proof.exists(), "the build ran code from planted compiled templates"
    assert any("compiled templates" in note for note in report.notes)
    same_as_clean_build(project)


def compiled(folder: Path) -> dict[str, tuple[int, int]]:
    """Each compiled template's file and its identity (inode, mtime)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_compiled_templates_serve_every_output_folder_until_a_template_changes(project, user_cache):
    build(project)
    first = compiled(user_cache)
    assert len(first) == len(list((project / "templates").iterdir()))
    # A cold build elsewhere (no output, no build cache) compiles nothing again.
    build_into(project, "elsewhere")
    assert compiled(user_cache) == first
    # An edited template is compiled again, and only that one.
    template = project / "templates/robots.txt"
    template.write_text(template.read_text() + "# edited\n")
    build_into(project, "third")
    after = compiled(user_cache)
    assert after.keys() == first.keys()
    assert sum(after[name] != first[name] for name in first) == 1
    assert (project / "third/robots.txt").read_text().endswith("# edited\n")


def test_templates_compiled_by_other_code_are_compiled_again(project, user_cache, monkeypatch):
    build(project)
    first = compiled(user_cache)
    # Another generator or Jinja version configures Jinja differently: its
    # compiled templates are not this build's, even for the same sources.
    monkeypatch.setattr(build_cache, "jinja_version", "0.0-other")
    build_into(project, "other")
    after = compiled(user_cache)
    assert after.keys() == first.keys()
    assert all(after[name] != first[name] for name in first)


def test_the_cache_is_json_only_its_owner_can_write(project, user_cache):
    build(project)
    path = build_cache.cache_path(project / "dist")
    store = build_cache.store_path(project / "dist")
    (head,) = path.read_text().splitlines()
    assert json.loads(head)["code"] == build_cache.code_version()
    name, *stretches = store.read_text().splitlines()
    assert json.loads(name) == json.loads(head)["store"]
    shown = [json.loads(line)[0] for line in stretches]  # one line each: [name, stretch]
    assert len(shown) == len(list((project / "content/stretches").glob("*.md")))
    assert path.stat().st_mode & 0o077 == 0
    assert store.stat().st_mode & 0o077 == 0
    for folder in (user_cache, user_cache.parent):
        assert folder.stat().st_mode & 0o077 == 0
    assert not path.with_suffix(".jinja").exists(), "compiled templates are the user's, not dist's"


def test_no_cache_folder_for_compiled_templates_only_costs_time(project, user_cache):
    user_cache.parent.write_text("a file where the cache folder should be\n")
    report = build(project)
    assert report.rendered == report.pages
    same_as_clean_build(project)


def plant_qr_codes(folder: Path) -> None:
    """Keep each kept code's first line (what it was made from) and swap in other markup."""
    for path in folder.iterdir():
        head = path.read_text().split("\n", 1)[0]
        path.write_text(f'{head}\n<svg class="planted"><text>{PLANTED}</text></svg>')


def test_qr_codes_are_kept_for_later_builds_and_made_again_when_stale(
    project, user_cache, monkeypatch
):
    qr = user_cache.parent / "qr"
    build(project)
    first = compiled(qr)
    assert len(first) == 2  # one per age group, each shown on its card and the cheat sheet
    build_into(project, "elsewhere")
    assert compiled(qr) == first, "a kept code was made again"
    assert every_page(project) == "".join(
        p.read_text() for p in sorted((project / "elsewhere").rglob("*.html"))
    )
    # Damaged, or made by another segno: made again, and the pages as a clean build's.
    damaged = next(iter(qr.iterdir()))
    damaged.write_text(damaged.read_text()[:-10])
    before = compiled(qr)
    build_into(project, "third")
    assert [name for name in first if compiled(qr)[name] != before[name]] == [damaged.name]
    monkeypatch.setattr(printing, "_segno_stamp", lambda: "another segno")
    fourth = compiled(qr)
    (project / "content/site.yml").touch()  # so the dist build renders again
    shutil.rmtree(project / "dist")
    build(project)
    assert all(compiled(qr)[name] != fourth[name] for name in fourth)
    same_as_clean_build(project)


def test_qr_codes_others_could_have_written_are_never_shown(project, user_cache):
    qr = user_cache.parent / "qr"
    build(project)
    plant_qr_codes(qr)
    qr.chmod(0o777)
    shutil.rmtree(project / "dist")
    report = build(project)
    assert PLANTED not in every_page(project)
    assert any("QR codes" in note for note in report.notes)
    same_as_clean_build(project)
