"""The timer's pure modules under `node --test` (tests/js/): steps, speech plan,
cue track, settings, clock, wake lock and the sound queue, without a browser."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from .conftest import ROOT
from .pseudo import both

JS_TESTS = sorted((ROOT / "tests" / "js").glob("*.test.mjs"))


def test_timer_modules_pass_node_test():
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is needed for tests/js (Node 20 or newer)")
        pytest.skip("no node on this machine")
    assert len(JS_TESTS) >= 6, JS_TESTS
    result = subprocess.run(
        [node, "--test", *map(str, JS_TESTS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        # The timer's phrases, real and pseudo (tests/js/routine.mjs).
        env=os.environ | {"STRETCHSITE_PHRASES": json.dumps(both())},
    )
    failed = [line for line in result.stdout.splitlines() if line.startswith("not ok")]
    shown = "\n".join(failed) or result.stdout[-3000:] + result.stderr[-2000:]
    assert result.returncode == 0, shown
    assert "# fail 0" in result.stdout
