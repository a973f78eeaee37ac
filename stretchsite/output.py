"""Write a site into a temporary folder, then swap it in for the old one.

The output folder is always either the complete old site or the complete new
one: the new site is written beside it and exchanged in a single rename.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import BuildError, os_error_line

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
        import ctypes  # imported here: a first build into a new folder swaps nothing
        import ctypes.util

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

    Every build calls it first, a build with nothing to write included.
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
    tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(out), dir=out.parent))
    try:
        write_file(tmp, MARKER, MARKER_TEXT)
        yield tmp
        if swap_in(tmp, out):
            # ``tmp`` now holds the previous site: rename it out of the way at
            # once, delete it without keeping the caller waiting.
            old = tmp.with_name(_old_prefix(out) + tmp.name[len(_temp_prefix(out)) :])
            os.rename(tmp, old)
            remove_tree_soon(old)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


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


def remove_tree_soon(*paths: Path) -> None:
    """Delete a folder in a detached process, so a large old site costs no wait.

    Double fork: the grandchild is adopted by init, so nobody has to reap it,
    even in the long-running dev server. Without fork, delete it here. A
    deletion that dies half-way is finished by the next build's clean-up.
    """
    with deaf_to_ctrl_c():
        try:
            child = os.fork() if hasattr(os, "fork") else None
        except OSError:
            child = None
        if child == 0:  # pragma: no cover - runs in the forked processes
            try:
                if os.fork() == 0:
                    # Let go of everything inherited: the build lock (held as
                    # long as any copy of its descriptor is open), a server's
                    # socket, the caller's output pipes; leave the terminal's
                    # session, so closing it does not stop the deletion.
                    os.setsid()
                    quiet = os.open(os.devnull, os.O_RDWR)
                    for fd in (0, 1, 2):
                        os.dup2(quiet, fd)
                    os.closerange(3, os.sysconf("SC_OPEN_MAX"))
                    for path in paths:
                        shutil.rmtree(path, ignore_errors=True)
            finally:
                os._exit(0)
    if child is None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
        return
    os.waitpid(child, 0)


def swap_in(new: Path, out: Path) -> bool:
    """Replace ``out`` with ``new``; whether ``new`` now holds an old site to delete.

    Without one (a first build), ``new`` is gone: no deleter is started for nothing.
    """
    os.chmod(new, 0o755)  # mkdtemp makes it private; a web server must read it
    if out.is_dir() and not out.is_symlink() and _exchange(new, out):
        return True
    if out.exists():
        # Fallback: two renames. A kill between them leaves the old site in a
        # stale temporary folder, never a half-written one in ``out``.
        old = Path(tempfile.mkdtemp(prefix=_temp_prefix(out), dir=out.parent))
        os.rename(out, old / "site")
        os.rename(new, out)
        shutil.rmtree(old, ignore_errors=True)
        return False
    os.rename(new, out)
    return False


def write_file(root: Path, relative: str, data: str | bytes) -> Path:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    target.write_bytes(data)
    return target


def static_listing(static: Path) -> list[str]:
    """Every file the static folder publishes, by relative path, sorted.

    Symlinks are followed: a link publishes what it points to under its own
    name. A link to nothing, a link loop, and anything that is neither a file
    nor a folder (a named pipe would make the copy wait forever) stop the
    build with a :class:`BuildError` naming it.
    """
    found: list[str] = []
    stack: list[tuple[str, frozenset]] = [("", frozenset())]
    while stack:
        relative, above = stack.pop()
        folder = os.path.join(static, relative)
        here = os.stat(folder)
        above = above | {(here.st_dev, here.st_ino)}
        for entry in os.scandir(folder):
            name = f"{relative}/{entry.name}" if relative else entry.name
            shown = Path(static, name)
            try:
                info = os.stat(entry.path)
            except FileNotFoundError:
                raise BuildError(
                    f"{shown} is a symlink to {os.readlink(entry.path)}, which does not exist; "
                    "fix the link or remove it"
                ) from None
            except OSError as exc:
                raise BuildError(f"{shown}: {os_error_line(exc).split(': ', 1)[-1]}") from None
            if stat.S_ISDIR(info.st_mode):
                if (info.st_dev, info.st_ino) in above:
                    raise BuildError(f"{shown} is a symlink to a folder it is in; remove it")
                stack.append((name, above))
            elif stat.S_ISREG(info.st_mode):
                found.append(name)
            else:
                raise BuildError(
                    f"{shown} is not a regular file (a named pipe, socket or device); "
                    "remove it from the static folder"
                )
    return sorted(found)


def static_clash(static: Path, files: list[str], generated: set[str]) -> str | None:
    """The first static file that would overwrite or block a generated file, as a message."""
    generated_folders = {f.rsplit("/", i)[0] for f in generated for i in range(1, f.count("/") + 1)}
    for name in files:
        shown = Path(static, name)
        folders = [name.rsplit("/", i)[0] for i in range(1, name.count("/") + 1)]
        blocked = next((f for f in folders if f in generated), None)
        if name in generated:
            return f"{shown} would overwrite the generated file {name}; rename or remove it"
        if name in generated_folders:
            return f"{shown} is a file where the site needs the folder {name}/; rename it"
        if blocked:
            return f"{shown} needs a folder where the site writes the file {blocked}; move it"
    return None


def copy_static(static: Path, root: Path, files: list[str]) -> list[str]:
    """Copy the static files (as listed by :func:`static_listing`) into the site; returns them."""
    made: set[str] = set()
    for relative in files:
        target = os.path.join(root, relative)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        shutil.copy2(os.path.join(static, relative), target)
    return files
