"""Work shared with forked processes, and Ctrl-C kept for the build alone.

A forked process starts from exactly this process's state, so it needs
nothing sent to it; what it makes comes back pickled through a pipe. Every
helper here ignores Ctrl-C: the build stops its helpers itself, without a
traceback from each. This module imports nothing of the package, so any
part of it (the content loaders included) may use it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


@contextlib.contextmanager
def deaf_to_ctrl_c() -> Iterator[None]:
    """Hold back Ctrl-C (SIGINT) in this thread meanwhile; it arrives when the block ends.

    Processes forked meanwhile keep it held back for life: helpers (render
    workers, the deleter) never die of a Ctrl-C meant for the build. The build
    itself stops them, without a traceback from each, and a pool never waits
    for the result of a worker killed half-way.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - no fork there either
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def forked(work: Callable[[], T]) -> Iterator[Callable[[], T | None]]:
    """Run ``work()`` in a forked helper while the block runs; the block gets a function
    that waits for the helper and returns what ``work`` returned.

    That function returns None if the helper failed in any way (``work``
    raised, the process died) or none could be forked: the caller then does
    the work itself, so any error is the one a serial run raises. If the
    block raises (Ctrl-C included), the helper is killed first.
    """
    reader, writer = os.pipe()
    with deaf_to_ctrl_c():
        try:
            child = os.fork() if hasattr(os, "fork") else None
        except OSError:
            child = None
    if child == 0:  # pragma: no cover - runs in the forked helper
        os.close(reader)
        try:
            report = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            report = b""  # the caller does the work itself
        try:
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(report)
        finally:
            os._exit(0)
    os.close(writer)
    if child is None:
        os.close(reader)
        yield lambda: None
        return
    waited: list[bool] = []

    def result() -> T | None:
        # Unpickled as it arrives: the whole report is never held beside what it holds.
        with os.fdopen(reader, "rb") as pipe:
            try:
                value = pickle.load(pipe)
            except Exception:  # the helper failed: it sent nothing, or not all of it
                value = None
        os.waitpid(child, 0)
        waited.append(True)
        return value

    try:
        yield result
    finally:
        if not waited:  # the block raised, or never asked: leave no helper behind
            os.kill(child, signal.SIGKILL)
            os.close(reader)
            os.waitpid(child, 0)
