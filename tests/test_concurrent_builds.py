"""Builds of one output folder at the same time: the output is always one complete site."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time

from .conftest import ROOT
from .helpers import tree_digest

DEADLINE = 60  # seconds; generous for a loaded machine, never reached when all is well


def start(project, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--no-cache", *args],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def first_line(process: subprocess.Popen) -> str:
    """The first line the process writes to stderr ("" if it exits without one)."""
    ready, _, _ = select.select([process.stderr], [], [], DEADLINE)
    return process.stderr.readline() if ready else ""


def stopped_while_writing(project) -> subprocess.Popen:
    """A build frozen (SIGSTOP) while its temporary folder exists: it holds the lock."""
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        process = start(project, "--quiet")
        while process.poll() is None and not list(project.glob(".dist.tmp-*")):
            time.sleep(0.001)
        process.send_signal(signal.SIGSTOP)
        if list(project.glob(".dist.tmp-*")) and process.poll() is None:
            return process
        process.send_signal(signal.SIGCONT)
        process.wait(timeout=DEADLINE)
    raise AssertionError("no build could be caught while writing")


def test_a_second_build_waits_and_never_sweeps_a_live_builds_folder(project):
    assert start(project, "--out", "reference").wait(timeout=DEADLINE) == 0
    reference = tree_digest(project / "reference")
    assert start(project).wait(timeout=DEADLINE) == 0

    first = stopped_while_writing(project)
    live = set(project.glob(".dist.tmp-*"))
    second = start(project)
    try:
        # Without the lock the second build would sweep the first one's
        # temporary folder away and swap in its own site meanwhile.
        assert first_line(second) == "Waiting for another build of dist to finish...\n"
        assert second.poll() is None
        assert live <= set(project.glob(".dist.tmp-*")), "a live build's folder was swept"
        assert tree_digest(project / "dist") == reference
    finally:
        first.send_signal(signal.SIGCONT)
    assert first.wait(timeout=DEADLINE) == 0
    assert second.wait(timeout=DEADLINE) == 0, second.stderr.read()
    second.stderr.close()
    first.stderr.close()
    assert tree_digest(project / "dist") == reference
    assert not list(project.glob(".dist.tmp-*"))


def test_many_builds_at_once_leave_one_complete_site(project):
    assert start(project, "--out", "reference").wait(timeout=DEADLINE) == 0
    reference = tree_digest(project / "reference")
    builds = [start(project, "--quiet") for _ in range(4)]
    for process in builds:
        assert process.wait(timeout=DEADLINE) == 0, process.stderr.read()
        process.stderr.close()
    assert tree_digest(project / "dist") == reference
    assert os.path.isdir(project / "dist")
