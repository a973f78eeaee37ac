"""A forked helper's result comes back, its failure costs only the work, and none outlives
the block that started it (stretchsite/forking.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import time

import pytest

from stretchsite.forking import forked


def forks_recorded(monkeypatch) -> list[int]:
    """The process ids of the helpers forked from now on."""
    pids: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return pids


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_helper_returns_what_its_work_made(monkeypatch):
    pids = forks_recorded(monkeypatch)
    with forked(lambda: {"pid": os.getpid(), "made": [1, 2, 3]}) as helped:
        result = helped()
    assert result["made"] == [1, 2, 3]
    assert result["pid"] == pids[0] != os.getpid()  # made in the helper, not here
    assert gone(pids[0])


def test_a_failing_helper_returns_nothing():
    with forked(lambda: 1 / 0) as helped:
        assert helped() is None


@pytest.mark.parametrize("how", ["raises", "never asks"])
def test_no_helper_outlives_its_block(monkeypatch, how):
    """A block that fails (Ctrl-C included) or never asks kills its helper, not waits for it."""
    pids = forks_recorded(monkeypatch)
    statuses = []
    real_waitpid = os.waitpid

    def waitpid(pid: int, options: int) -> tuple[int, int]:
        reaped = real_waitpid(pid, options)
        statuses.append(reaped[1])
        return reaped

    monkeypatch.setattr(os, "waitpid", waitpid)

    def waited_for_it(signum, frame):
        raise AssertionError("waited for the helper instead of stopping it")

    # An hour's work: a build that waited for it would hang, so the test stops it.
    previous = signal.signal(signal.SIGALRM, waited_for_it)
    signal.alarm(60)
    failing = pytest.raises(RuntimeError) if how == "raises" else contextlib.nullcontext()
    try:
        with failing, forked(lambda: time.sleep(3600)):
            if how == "raises":
                raise RuntimeError("the build failed")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert gone(pids[0])
    assert len(statuses) == 1 and os.WTERMSIG(statuses[0]) == signal.SIGKILL


def test_without_fork_the_caller_does_the_work(monkeypatch):
    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    with forked(lambda: 42) as helped:
        assert helped() is None
