"""A build only ever replaces a folder it made: every other --out is refused untouched.

Each refusal is one line on stderr and exit status 1, and nothing in the
project (nor anything beside the refused folder) is deleted or changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stretchsite import guard
from stretchsite.errors import BuildError
from stretchsite.generator import build_site
from stretchsite.output import MARKER

from .conftest import ROOT, options_for
from .helpers import run_build, tree_digest


def everything(root: Path) -> dict[str, str]:
    """Digest of every file, folder and link under ``root``, dotfiles included."""
    state = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            state[name] = "-> " + os.readlink(path)
        elif path.is_file():
            state[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            state[name] = "folder"
    return state


@pytest.fixture
def user_project(tmp_path: Path) -> Path:
    """A project with a docs folder and a plain file of the user's own.

    It sits one level down, so that even `--out ..` stays in this test's folder.
    """
    project = tmp_path / "outer/project"
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, project / name)
    (project / "docs").mkdir()
    (project / "docs/notes.txt").write_text("my notes\n")
    (project / "notes.txt").write_text("a plain file\n")
    return project


REFUSED = {
    ".": "it is the working folder",
    "": "it is the working folder",  # what an unset shell variable gives
    "..": "it holds the working folder",
    "content": "it is the content folder",
    "templates": "it is the templates folder",
    "static": "it is the static folder",
    "static/site": "it lies inside the static folder",
    "content/stretches/site": "it lies inside the content folder",
    "docs": "was not made by this generator",
    "notes.txt": "it is a file, not a folder",
}


@pytest.mark.parametrize("out", REFUSED, ids=lambda o: repr(o))
def test_an_output_that_is_not_the_builds_own_is_refused_untouched(user_project, out):
    outside = user_project.parent
    before, around = everything(user_project), sorted(p.name for p in outside.iterdir())
    result = run_build(user_project, "--out", out)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Build stopped: refusing to build into "), lines[0]
    assert REFUSED[out] in lines[0]
    assert everything(user_project) == before
    assert sorted(p.name for p in outside.iterdir()) == around


def test_nothing_beside_a_refused_output_is_swept_away(user_project):
    # What looks like a killed build's leftover of `docs` is only ever swept
    # by a build that may replace `docs`.
    leftover = user_project / ".docs.tmp-keep"
    leftover.mkdir()
    (leftover / "file").write_text("kept\n")
    assert run_build(user_project, "--out", "docs").returncode == 1
    assert (leftover / "file").read_text() == "kept\n"


def test_the_generators_own_project_is_refused(tmp_path, monkeypatch):
    # The project this generator lives in is never replaced, wherever the
    # build runs from. (A copy stands in for it: a missing guard must not
    # cost the real one.)
    inputs = tmp_path / "inputs"
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, inputs / name)
    home = tmp_path / "tools/generator"
    (home / "stretchsite").mkdir(parents=True)
    (home / "build.py").write_text("# the generator\n")
    monkeypatch.setattr(guard, "PROJECT", home)
    monkeypatch.chdir(inputs)
    for out in (home, home.parent):
        with pytest.raises(BuildError, match=r"(is|holds) this project"):
            build_site(options_for(inputs, out=out))
    assert (home / "build.py").read_text() == "# the generator\n"


def test_a_folder_the_build_made_or_an_empty_one_is_replaced(project):
    (project / "dist").mkdir()
    assert run_build(project).returncode == 0
    assert (project / "dist" / MARKER).is_file()
    (project / "dist/stray.txt").write_text("left by hand\n")
    assert run_build(project, "--no-cache").returncode == 0
    assert not (project / "dist/stray.txt").exists()


def test_a_symlinked_output_is_followed_and_kept(project):
    (project / "www").mkdir()
    (project / "dist").symlink_to("www/site")
    for _ in range(2):
        result = run_build(project, "--no-cache")
        assert result.returncode == 0, result.stderr
        assert (project / "dist").is_symlink()
        assert os.readlink(project / "dist") == "www/site"
        assert (project / "www/site/index.html").is_file()
    assert tree_digest(project / "dist") == tree_digest(project / "www/site")


@pytest.mark.parametrize(
    ("target", "reason"),
    [("docs", "was not made by this generator"), ("content", "it is the content folder")],
)
def test_a_symlink_is_checked_where_it_points(user_project, target, reason):
    (user_project / "dist").symlink_to(target)
    before = everything(user_project)
    result = run_build(user_project)
    assert result.returncode == 1
    assert reason in result.stderr
    assert everything(user_project) == before


def test_a_mount_point_is_refused(project):
    """A mount point cannot be swapped for another folder: say so before any work."""
    (project / "dist").mkdir()
    script = 'mount -t tmpfs none dist && exec "$0" "$1" --out dist; exit 99'
    probe = ["unshare", "-rm", "sh", "-c", "mount -t tmpfs none /mnt"]
    if not shutil.which("unshare") or subprocess.run(probe, capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs in a user namespace here")
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script, sys.executable, str(ROOT / "build.py")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "Build stopped: refusing to build into dist: it is a mount point, which cannot be "
        "swapped for a new folder; pass --out a folder inside it, such as dist/site; "
        "dist was not changed."
    ]
    assert not list(project.glob(".dist.tmp-*"))
