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


@pytest.mark.slow
def test_sigkill_at_random_moments_never_leaves_a_mix(project):
    site_yml = project / "content/site.yml"
    versions = {}
    for old, name in (("After the Run", "A"), ("A", "B")):
        edit_file(site_yml, f"title: {old}\n", f"title: {name}\n", 1)
        assert build(project, f"reference-{name}").wait(timeout=60) == 0
        versions[name] = tree_digest(project / f"reference-{name}")
    assert versions["A"] != versions["B"]
    started = time.monotonic()
    assert build(project).wait(timeout=60) == 0  # dist/ now holds B
    # Aim the kills across the whole life of a build, writing phase included.
    full = time.monotonic() - started

    rng = random.Random(20261124)
    landed_mid_write = 0
    current = "B"
    for i in range(KILLS):
        current = "A" if current == "B" else "B"
        other = "B" if current == "A" else "A"
        edit_file(site_yml, f"title: {other}\n", f"title: {current}\n", 1)
        stale = set(project.glob(".dist.tmp-*"))
        process = build(project)
        if i % 2:
            # Half the kills wait for this build's temporary folder, then strike
            # while it is being written, however loaded the machine is.
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
        assert digest in (versions["A"], versions["B"]), "dist/ is a mix of two builds"
    assert landed_mid_write >= KILLS // 4, f"only {landed_mid_write} kills landed while writing"

    # The next build sweeps away what the killed ones left behind.
    assert build(project).wait(timeout=60) == 0
    assert not list(project.glob(".dist.tmp-*"))
    assert tree_digest(project / "dist") == versions[current]
    print(f"{KILLS} kills, {landed_mid_write} while this build's temporary folder existed")
    assert os.path.isdir(project / "dist")
