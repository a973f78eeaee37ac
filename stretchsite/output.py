"""Write a site into a temporary folder, then swap it in for the old one.

The output folder is always either the complete old site or the complete new
one: the new site is written beside it and exchanged in a single rename.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

RENAME_EXCHANGE = 2  # from linux/fs.h
# Every output folder holds this file: a later build replaces only a folder
# that has it (or an empty one). Its text is fixed, so builds stay reproducible.
MARKER = ".stretchsite"
MARKER_TEXT = "Made by stretchsite (build.py): every build replaces this folder whole.\n"
_libc = None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2 (Linux); False if unsupported."""
    global _libc
    if not sys.platform.startswith("linux"):
        return False
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(_libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def _temp_prefix(out: Path) -> str:
    return f".{out.name}.tmp-"


def _old_prefix(out: Path) -> str:
    return f".{out.name}.old-"


def clean_stale(out: Path) -> list[Path]:
    """Sweep away what earlier builds left beside ``out``, without waiting.

    A killed build's temporary folder is renamed out of the way at once; it
    and any old site still being deleted are removed in the background.
    """
    leftovers = []
    # Callers hold the output's build lock: no temporary folder here belongs
    # to a build that is still running.
    for stale in out.parent.glob(_temp_prefix(out) + "*"):
        if stale.is_dir() and not stale.is_symlink():
            old = stale.with_name(_old_prefix(out) + stale.name[len(_temp_prefix(out)) :])
            try:
                os.rename(stale, old)
            except OSError:  # someone else's (a shared folder such as /tmp)
                continue
            leftovers.append(old)
        else:
            with contextlib.suppress(OSError):
                stale.unlink()  # e.g. a cache file from a killed build
    leftovers += [p for p in out.parent.glob(_old_prefix(out) + "*") if p not in leftovers]
    if leftovers:
        remove_tree_soon(*leftovers)
    return leftovers


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Path]:
    """Yield an empty folder beside ``out``; on success it replaces ``out``.

    If the block raises, ``out`` is left exactly as it was.
    """
    out = Path(out).absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(out), dir=out.parent))
    try:
        write_file(tmp, MARKER, MARKER_TEXT)
        yield tmp
        swap_in(tmp, out)
        # ``tmp`` now holds the previous site: rename it out of the way at
        # once, delete it without keeping the caller waiting.
        old = tmp.with_name(_old_prefix(out) + tmp.name[len(_temp_prefix(out)) :])
        os.rename(tmp, old)
        remove_tree_soon(old)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def remove_tree_soon(*paths: Path) -> None:
    """Delete a folder in a detached process, so a large old site costs no wait.

    Double fork: the grandchild is adopted by init, so nobody has to reap it,
    even in the long-running dev server. Without fork, delete it here. A
    deletion that dies half-way is finished by the next build's clean-up.
    """
    try:
        child = os.fork() if hasattr(os, "fork") else None
    except OSError:
        child = None
    if child is None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
        return
    if child == 0:  # pragma: no cover - runs in the forked processes
        try:
            if os.fork() == 0:
                # Let go of everything inherited: the build lock (held as long
                # as any copy of its descriptor is open), a server's socket,
                # the caller's output pipes; and leave the terminal's process
                # group, so Ctrl-C there does not stop the deletion half-way.
                os.setsid()
                quiet = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(quiet, fd)
                os.closerange(3, os.sysconf("SC_OPEN_MAX"))
                for path in paths:
                    shutil.rmtree(path, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def swap_in(new: Path, out: Path) -> None:
    """Replace ``out`` with ``new``; afterwards ``new`` holds the old site (if any)."""
    os.chmod(new, 0o755)  # mkdtemp makes it private; a web server must read it
    if out.is_dir() and not out.is_symlink() and _exchange(new, out):
        return
    if out.exists():
        # Fallback: two renames. A kill between them leaves the old site in a
        # stale temporary folder, never a half-written one in ``out``.
        old = Path(tempfile.mkdtemp(prefix=_temp_prefix(out), dir=out.parent))
        os.rename(out, old / "site")
        os.rename(new, out)
        shutil.rmtree(old, ignore_errors=True)
        new.mkdir()
    else:
        os.rename(new, out)
        new.mkdir()


def write_file(root: Path, relative: str, data: str | bytes) -> Path:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    target.write_bytes(data)
    return target


def copy_static(static: Path, root: Path) -> list[str]:
    """Copy the static assets into the site; returns every file written, relative to ``root``."""
    if not static.is_dir():
        return []
    written: list[str] = []
    top = os.path.join(root, "")

    def copy(source: str, target: str) -> None:
        shutil.copy2(source, target)
        written.append(target[len(top) :])

    shutil.copytree(static, root, dirs_exist_ok=True, copy_function=copy)
    return written
