"""Every failure a user can meet: one line, exit status 1, the output folder untouched.

Each case breaks a copy of the project in one way, builds with the command
line as a user would, and checks what the user sees and what is left on disk.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from stretchsite import generator
from stretchsite.errors import BuildError
from stretchsite.generator import build_site

from .conftest import ROOT, options_for
from .helpers import as_terminal_job, run_build, tree_digest

DEADLINE = 60


def add_to_template(text: str) -> Callable[[Path], None]:
    """Insert ``text`` as line 4 of templates/stretch.html."""

    def edit(project: Path) -> None:
        template = project / "templates/stretch.html"
        lines = template.read_text().splitlines(keepends=True)
        template.write_text("".join([*lines[:3], text + "\n", *lines[3:]]))

    return edit


def add_to_part(name: str, text: str) -> Callable[[Path], None]:
    """Append ``text`` as a line of its own to the shared part templates/``name``."""

    def edit(project: Path) -> None:
        with (project / "templates" / name).open("a") as part:
            part.write(text + "\n")

    return edit


def symlink(name: str, target: str) -> Callable[[Path], None]:
    return lambda project: (project / name).symlink_to(target)


def write(name: str, text: str = "x\n") -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)

    return edit


BREAKAGES = {
    "undefined name in a template": (
        add_to_template("{{ nosuchname }}"),
        (),
        r"templates/stretch\.html:4: 'nosuchname' is undefined",
    ),
    "template syntax error": (
        add_to_template("{% if %}"),
        (),
        r"templates/stretch\.html:4: template syntax: ",
    ),
    "template includes a missing template": (
        add_to_template('{% include "_nope.html" %}'),
        (),
        r"templates/stretch\.html:4: template '_nope\.html' not found",
    ),
    "template expression raises": (
        add_to_template('{{ 1 + "a" }}'),
        (),
        r"templates/stretch\.html:4: TypeError: unsupported operand",
    ),
    # A shared part is rendered once for many pages: reading the page must fail,
    # not show the first page's title on every other.
    "a shared part reads the page": (
        add_to_part("_site_header.html", "{{ page.title }}"),
        (),
        r"templates/_site_header\.html:10: 'page' is undefined",
    ),
    "a page's template is missing": (
        lambda project: (project / "templates/stretch.html").unlink(),
        (),
        r"templates: template 'stretch\.html' not found",
    ),
    "templates folder missing": (
        lambda project: None,
        ("--templates", "tempaltes"),
        r"the templates folder tempaltes does not exist",
    ),
    "static folder mistyped": (
        lambda project: None,
        ("--static", "statc"),
        r"the static folder statc does not exist",
    ),
    "static path is a file": (
        lambda project: None,
        ("--static", "static/css/site.css"),
        r"the static folder static/css/site\.css is a file, not a folder",
    ),
    "dangling symlink in static": (
        symlink("static/css/old.css", "gone.css"),
        (),
        r"static/css/old\.css is a symlink to gone\.css, which does not exist",
    ),
    "symlink loop in static": (
        symlink("static/css/again", ".."),
        (),
        r"static/css/again is a symlink to a folder it is in",
    ),
    "named pipe in static": (
        lambda project: os.mkfifo(project / "static/css/pipe.css"),
        (),
        r"static/css/pipe\.css is not a regular file",
    ),
    "static file over a generated page": (
        write("static/timer/index.html"),
        (),
        r"static/timer/index\.html would overwrite the generated file timer/index\.html",
    ),
    "static file where the site needs a folder": (
        write("static/stretches"),
        (),
        r"static/stretches is a file where the site needs the folder stretches/",
    ),
    "static folder where the site writes a file": (
        write("static/sw.js/extra.js"),
        (),
        r"static/sw\.js/extra\.js needs a folder where the site writes the file sw\.js",
    ),
}


@pytest.mark.parametrize("case", BREAKAGES)
def test_a_failure_is_one_line_and_leaves_the_output_untouched(project, case):
    breakage, args, expected = BREAKAGES[case]
    assert run_build(project).returncode == 0
    before = tree_digest(project / "dist")
    breakage(project)
    result = run_build(project, "--quiet", *args)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Build stopped: "), lines[0]
    assert re.search(expected, lines[0]), lines[0]
    assert lines[0].endswith("; dist was not changed.")
    assert tree_digest(project / "dist") == before
    assert not list(project.glob(".dist.tmp-*"))


def test_a_template_error_in_a_worker_process_names_the_line(project, monkeypatch):
    """Worker processes lose the traceback: the error is located before it leaves them."""
    monkeypatch.setattr(generator, "PARALLEL_THRESHOLD", 1)
    add_to_template("{{ nosuchname }}")(project)
    with pytest.raises(BuildError, match=r"templates/stretch\.html:4: 'nosuchname' is undefined"):
        build_site(options_for(project, jobs=2, incremental=False))


def in_namespace(project: Path, script: str) -> subprocess.CompletedProcess:
    """Run ``script`` as root of a user and mount namespace of its own (tmpfs mounts allowed)."""
    probe = ["unshare", "-rm", "sh", "-c", "mount -t tmpfs none /mnt"]
    if not shutil.which("unshare") or subprocess.run(probe, capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs in a user namespace here")
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script, sys.executable, str(ROOT / "build.py")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=DEADLINE * 2,
    )


def test_a_full_disk_is_one_line_and_leaves_the_output_untouched(project):
    # A 4 MB disk holding a good site; then it is filled and the next build
    # (with --no-cache, so it must write) runs out of space.
    script = """
        mkdir disk && mount -t tmpfs -o size=4m none disk || exit 99
        "$0" "$1" --quiet --out disk/dist || exit 98
        find disk -type f | sort | xargs sha256sum > before.txt
        head -c 8m /dev/zero > disk/filler 2>/dev/null
        "$0" "$1" --quiet --no-cache --out disk/dist 2> stderr.txt
        echo $? > status.txt
        rm disk/filler
        find disk -type f | sort | xargs sha256sum > after.txt
    """
    result = in_namespace(project, script)
    assert result.returncode == 0, result.stderr
    assert (project / "status.txt").read_text() == "1\n"
    lines = (project / "stderr.txt").read_text().splitlines()
    assert len(lines) == 1, lines
    assert re.fullmatch(
        r"Build stopped: (\S+: )?the disk is full; free some space and build again; "
        r"disk/dist was not changed\.",
        lines[0],
    ), lines[0]
    # The same files before and after: the site, its cache; no temporary folder.
    before = (project / "before.txt").read_text()
    assert before and (project / "after.txt").read_text() == before


def without_root_powers() -> list[str]:
    """A command prefix under which file permissions hold even for root."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("setpriv is needed to build as root without its file powers")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


def test_no_permission_is_one_line_and_leaves_the_output_untouched(project):
    assert run_build(project).returncode == 0
    before = tree_digest(project / "dist")
    project.chmod(0o555)  # the builder may not write beside dist/
    try:
        result = subprocess.run(
            [*without_root_powers(), sys.executable, str(ROOT / "build.py"), "-q", "--no-cache"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=DEADLINE,
        )
    finally:
        project.chmod(0o755)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "permission denied; check who owns it and its permissions" in lines[0]
    assert lines[0].endswith("; dist was not changed.")
    assert tree_digest(project / "dist") == before


def workers_of(pid: int) -> list[str]:
    """The child processes of ``pid`` (Linux)."""
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        pytest.skip("cannot see child processes here")


def interrupted_build(project: Path, workers: int) -> subprocess.CompletedProcess:
    """A build sent Ctrl-C (SIGINT to its whole process group) while writing its new site.

    With ``workers``, the interrupt comes once that many worker processes run.
    """
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        stale = set(project.glob(".dist.tmp-*"))
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "-q", "--no-cache", "--jobs", str(workers)],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's foreground job
            preexec_fn=as_terminal_job,
        )
        while process.poll() is None and not (
            set(project.glob(".dist.tmp-*")) - stale
            and (workers < 2 or len(workers_of(process.pid)) >= workers)
        ):
            time.sleep(0.001)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=DEADLINE)
        if process.returncode != 0:
            return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    raise AssertionError("no build could be interrupted while writing")


@pytest.mark.parametrize("workers", [1, 2], ids=["one process", "worker processes"])
def test_ctrl_c_is_one_line_and_leaves_a_complete_site(project, workers):
    if workers > 1:  # enough pages that workers render them
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from corpus import make_corpus

        make_corpus(generator.PARALLEL_THRESHOLD + 50, project)
    assert run_build(project).returncode == 0
    before = tree_digest(project / "dist")
    result = interrupted_build(project, workers)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["Build interrupted; dist holds the last complete site."]
    assert tree_digest(project / "dist") == before
    assert run_build(project).returncode == 0
    assert not list(project.glob(".dist.tmp-*")), "the next build sweeps what was left"


@pytest.mark.parametrize("second", ["incremental", "no-cache"])
def test_a_failed_build_leaves_nothing_beside_the_output(project, monkeypatch, second):
    # A failed build's half-written folder (a fresh one, or the spare it was
    # updating) is deleted before the error reaches the user, not by a process
    # in the background: a user (or a script) looking right after the command
    # ends finds the output and its own files only.
    from stretchsite import output

    assert build_site(options_for(project)).pages  # the site, and its spare after a second
    assert build_site(options_for(project)).pages
    before = tree_digest(project / "dist")
    beside = sorted(p.name for p in project.iterdir())
    monkeypatch.setattr(output, "remove_tree_soon", lambda *paths: None)  # never deletes
    add_to_template("{{ no_such_name }}")(project)
    with pytest.raises(BuildError):
        build_site(options_for(project, incremental=second == "incremental"))
    # The spare it was updating is gone with it (the next build makes a new one).
    assert sorted(p.name for p in project.iterdir()) == [n for n in beside if n != ".dist.spare"]
    assert tree_digest(project / "dist") == before
