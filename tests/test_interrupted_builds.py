"""A build killed at any moment leaves dist/ complete: the old site or the new one."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from .conftest import ROOT
from .helpers import edit_file, tree_digest

KILLS = 50


def build(project, out="dist") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--quiet", "--out", out],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def retitle(project, name: str) -> None:
    """Every page changes: each file of the spare is replaced."""
    site_yml = project / "content/site.yml"
    old = site_yml.read_text().split("\ntitle: ", 1)[1].split("\n", 1)[0]
    edit_file(site_yml, f"\ntitle: {old}\n", f"\ntitle: {name}\n", 1)


def steps_then_title(project, name: str) -> None:
    """One stretch's steps change, then every page, in turn (A B C D A ...).

    After a steps edit the spare shares all but a few files with dist/ (hard
    links), so the next build replaces shared files in the spare: writing
    into one would change dist/ too.
    """
    retitle(project, {"A": "One", "B": "One", "C": "Two", "D": "Two"}[name])
    bridge = project / "content/stretches/02-bridge-hold-with-pelvic-tilt.md"
    text = bridge.read_text().split("\nVersion ", 1)[0]
    steps = {"A": 1, "B": 2, "C": 2, "D": 1}[name]
    bridge.write_text(f"{text}\nVersion {steps}.\n")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("change", "names", "settle"),
    [(retitle, "AB", False), (steps_then_title, "ABCD", True)],
    ids=["every-page", "spare-in-place"],
)
def test_sigkill_at_random_moments_never_leaves_a_mix(project, change, names, settle):
    """With ``settle``, each killed build follows a finished one: a spare to update in place."""
    versions = {}
    for name in names:
        change(project, name)
        assert build(project, f"reference-{name}").wait(timeout=60) == 0
        versions[name] = tree_digest(project / f"reference-{name}")
    assert all(versions[a] != versions[b] for a in names for b in names if a < b)
    started = time.monotonic()
    assert build(project).wait(timeout=60) == 0  # dist/ now holds the last version
    # Aim the kills across the whole life of a build, writing phase included.
    full = time.monotonic() - started

    rng = random.Random(20261124)
    landed_mid_write = 0
    held = names[-1]  # the version dist/ holds
    for i in range(KILLS):
        current = names[i % len(names)]
        if settle:
            change(project, names[i % len(names) - 1])
            assert build(project).wait(timeout=60) == 0
            held = names[i % len(names) - 1]
        change(project, current)
        stale = set(project.glob(".dist.tmp-*"))
        process = build(project)
        if i % 2:
            # Half the kills wait for this build's temporary folder (a fresh
            # one or the spare being updated), then strike while it is being
            # written, however loaded the machine is.
            deadline = time.monotonic() + 30
            while not set(project.glob(".dist.tmp-*")) - stale and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(rng.uniform(0, 0.03))
        else:
            time.sleep(rng.uniform(0.3, 1.05) * full)
        mid_write = bool(set(project.glob(".dist.tmp-*")) - stale) and process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        landed_mid_write += mid_write
        digest = tree_digest(project / "dist")
        assert digest in (versions[held], versions[current]), "dist/ is a mix of two builds"
        held = current if digest == versions[current] else held
    assert landed_mid_write >= KILLS // 4, f"only {landed_mid_write} kills landed while writing"

    # The next build sweeps away what the killed ones left behind.
    assert build(project).wait(timeout=60) == 0
    assert not list(project.glob(".dist.tmp-*"))
    assert tree_digest(project / "dist") == versions[current]
    print(f"{KILLS} kills, {landed_mid_write} while this build's temporary folder existed")
    assert os.path.isdir(project / "dist")
