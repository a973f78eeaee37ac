"""Assemble a site in a folder beside the output, then swap it in for the old one.

The output folder is always either the complete old site or the complete new
one: the new site is assembled beside it and exchanged in a single rename.
The site the exchange moves out is kept beside the output as the *spare*: the
next build brings it up to date in place, touching only the files that
differ, and exchanges again. A spare is taken for an update by renaming it to
a temporary name, so a build killed half-way leaves no spare, only a stale
temporary folder that the next build sweeps away.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError, os_error_line
from .forking import deaf_to_ctrl_c

RENAME_EXCHANGE = 2  # from linux/fs.h
# Every output folder holds this file: a later build replaces only a folder
# that has it (or an empty one). Its text is fixed, so builds stay reproducible.
MARKER = ".stretchsite"
MARKER_TEXT = "Made by stretchsite (build.py): every build replaces this folder whole.\n"
Identity = tuple[int, int, int]  # inode, mtime (ns), size of a file in an output folder
_libc = None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2 (Linux); False if unsupported."""
    global _libc
    if not sys.platform.startswith("linux"):
        return False
    if _libc is None:
        import ctypes  # imported here: a first build into a new folder swaps nothing

        # The running program's own symbols include the C library's; asking
        # ctypes.util.find_library would start ldconfig on every build.
        _libc = ctypes.CDLL(None, use_errno=True)
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


def spare_path(out: Path) -> Path:
    """Where the site before the current one waits to be updated into the next."""
    out = Path(out).absolute()
    return out.parent / f".{out.name}.spare"


def yours_alone(info: os.stat_result) -> bool:
    """Whether a file or folder is owned by the user building and writable by no one else."""
    owner = info.st_uid == os.geteuid() if hasattr(os, "geteuid") else True
    return owner and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


@dataclass(frozen=True)
class Listing:
    """What a folder holds: every file (symlinks as links) and every folder, by relative path."""

    files: dict[str, Identity]
    folders: list[str]


def listing(root: Path | str) -> Listing:
    """Walk ``root`` without following symlinks; a missing ``root`` holds nothing."""
    files: dict[str, Identity] = {}
    folders: list[str] = []
    stack = [""]
    while stack:
        _read_folder(root, stack.pop(), files, folders, stack)
    return Listing(files, folders)


@dataclass(frozen=True)
class TreeRecord:
    """A site folder as the build that wrote it left it, to list it again cheaply.

    Adding, removing or renaming an entry of a folder moves the folder's
    ctime, which cannot be set back: a folder whose ctime is still before
    ``settled_ns`` holds exactly the recorded files and folders of it.
    """

    folder: int  # the site folder's inode: a record of another folder is never used
    settled_ns: int
    files: dict[str, Identity]


def spare_listing(out: Path, record: TreeRecord | None = None) -> Listing | None:
    """What the spare beside ``out`` holds, or None if there is none this build may use.

    Only a folder the user building owns and no one else may write, with the
    marker every output has, is a spare: in a shared folder such as /tmp
    someone else could plant one. Its files are still only hints: a build
    keeps one only if it is the very file (inode, mtime, size) the last build
    recorded in the output, which also catches files edited by hand. With a
    ``record`` of the spare, its folders unchanged since are not read (see
    :func:`recorded_listing`).
    """
    if not _usable_spare(out):
        return None
    root = spare_path(out)
    try:
        recorded = record is not None and os.lstat(root).st_ino == record.folder
    except OSError:  # gone since: no spare after all
        return None
    return recorded_listing(root, record) if recorded else listing(root)


def recorded_listing(root: Path | str, record: TreeRecord) -> Listing:
    """:func:`listing` of ``root``, reading only the folders changed since ``record``.

    A folder the record holds whose ctime is still before ``record.settled_ns``
    holds the recorded entries and no other: its files are looked at one by
    one (an edit in place moves a file's own mtime, not its folder's). Every
    other folder (the top one, which renames move, included) is read.
    """
    # Each recorded folder: None if it is gone (or no folder now), True if
    # unchanged since the record, False if changed (to be read).
    state: dict[str, bool | None] = {"": False}

    def unchanged(folder: str) -> bool | None:
        if folder not in state:
            unchanged(folder.rpartition("/")[0])  # every recorded folder gets an answer
            try:
                info = os.lstat(os.path.join(root, folder))
            except FileNotFoundError:
                state[folder] = None
            else:
                is_folder = stat.S_ISDIR(info.st_mode)
                state[folder] = info.st_ctime_ns < record.settled_ns if is_folder else None
        return state[folder]

    files: dict[str, Identity] = {}
    base = os.path.join(root, "")
    for relative in record.files:  # plain strings, no context manager: thousands of files
        folder = relative.rpartition("/")[0]
        if state[folder] if folder in state else unchanged(folder):
            try:
                info = os.lstat(base + relative)
            except FileNotFoundError:
                continue
            files[relative] = (info.st_ino, info.st_mtime_ns, info.st_size)
    folders = [folder for folder, same in state.items() if folder and same is not None]
    # The changed folders are read, and any folder found in them the record lacks.
    stack = [folder for folder, same in state.items() if same is False]
    while stack:
        found: list[str] = []
        _read_folder(root, stack.pop(), files, found, found)
        new = [folder for folder in found if folder not in state]
        folders += new
        stack += new
    return Listing(files, folders)


def _read_folder(
    root: Path | str, relative: str, files: dict, folders: list[str], stack: list[str]
) -> None:
    """Add a folder's files (by identity) and subfolders (also to ``stack``, to read next)."""
    try:
        entries = list(os.scandir(os.path.join(root, relative)))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        name = f"{relative}/{entry.name}" if relative else entry.name
        if entry.is_dir(follow_symlinks=False):
            stack.append(name)
            folders.append(name)
        else:
            info = entry.stat(follow_symlinks=False)
            files[name] = (info.st_ino, info.st_mtime_ns, info.st_size)


def _usable_spare(out: Path) -> bool:
    spare = spare_path(out)
    try:
        info = os.lstat(spare)
        marker = os.lstat(spare / MARKER)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and yours_alone(info) and stat.S_ISREG(marker.st_mode)


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
def staging(
    out: Path,
    spare: Listing | None = None,
    keep: frozenset[str] = frozenset(),
    rewrite: frozenset[str] = frozenset(),
) -> Iterator[Path]:
    """Yield a folder beside ``out`` to assemble the next site in; on success it replaces ``out``.

    With ``spare`` (its :func:`spare_listing`), the folder is the spare,
    holding the files in ``keep`` and none else, but for files about to be
    written again (``rewrite``) that it may leave to be overwritten (see
    :func:`_take_spare`); without, it is empty. Either way it holds the
    marker: write the rest with :func:`write_file`, never into any other
    existing file, which may be shared (hard-linked) with the live site.
    If the block raises, ``out`` is left exactly as it was. Afterwards the
    site swapped out is the new spare.
    """
    out = Path(out).absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = _take_spare(out, spare, keep, rewrite)
    if tmp is None:
        tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(out), dir=out.parent))
    try:
        if not os.path.lexists(tmp / MARKER):
            write_file(tmp, MARKER, MARKER_TEXT)
        yield tmp
        if swap_in(tmp, out):
            _keep_as_spare(tmp, out)
    except BaseException as exc:
        # A failed build's half-written folder is gone before its error is
        # shown: nothing of it is left beside the output when the command
        # ends. Ctrl-C means stop now, so that one goes in the background.
        if tmp.exists() and not isinstance(exc, KeyboardInterrupt):
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if tmp.exists():
            _discard(tmp, out)


def _take_spare(
    out: Path, spare: Listing | None, keep: frozenset[str], rewrite: frozenset[str] = frozenset()
) -> Path | None:
    """Rename the spare to a temporary name and empty it of all but ``keep``; its new path.

    The rename comes first: from then on a killed build leaves a stale
    temporary folder, swept away whole by the next build, never a spare
    half updated. A file in ``rewrite`` (about to be written again) that is
    a plain file with no other link (so not shared with the live site, nor
    with anything of the user's) stays, to be overwritten in place: deleting
    thousands of files only to create as many (a template edit) costs twice
    the system calls, and file systems that avoid reusing a just-freed inode
    (ext4 without a journal) slow down at every new one.
    """
    if spare is None:
        return None
    taken = out.parent / (_temp_prefix(out) + os.urandom(6).hex())
    try:
        os.rename(spare_path(out), taken)
    except OSError:
        return None
    try:
        for relative in spare.files.keys() - keep:
            path = os.path.join(taken, relative)
            if relative in rewrite and _only_link(path):
                continue
            os.unlink(path)
        # Folders no kept or rewritten file needs (one may stand where a file
        # goes): deepest first, each empty by now.
        needed = {folder for relative in keep | rewrite for folder in _folders_of(relative)}
        for folder in sorted(set(spare.folders) - needed, key=_depth, reverse=True):
            os.rmdir(os.path.join(taken, folder))
    except OSError:  # changed since it was listed: start from an empty folder
        _discard(taken, out)
        return None
    return taken


def _only_link(path: str) -> bool:
    """Whether ``path`` is a regular file no other name links to."""
    info = os.lstat(path)
    return stat.S_ISREG(info.st_mode) and info.st_nlink == 1


def make_spare(out: Path) -> bool:
    """Make a spare beside ``out`` from hard links to its files, if there is none.

    A first build into a new folder leaves no spare, so the next build would
    make a folder for every page and link every file into it (at 2,000
    stretches about half a second of kernel time on ext4); a long-lived
    process (the dev server) makes the spare ahead, while it waits for the
    first save. The links are the very files the build recorded, so the next
    build keeps them and replaces the ones it renders again (a file linked
    elsewhere is never written into). Assembled under a temporary name and
    renamed into place, so a process killed half-way leaves only a stale
    temporary folder. Callers hold the output's build lock. Whether it made one.
    """
    out = Path(out).absolute()
    if os.path.lexists(spare_path(out)) or not os.path.isfile(out / MARKER):
        return False
    found = listing(out)
    tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(out), dir=out.parent))
    try:
        for folder in sorted(found.folders, key=_depth):
            os.mkdir(os.path.join(tmp, folder))
        for relative in found.files:
            os.link(os.path.join(out, relative), os.path.join(tmp, relative), follow_symlinks=False)
        os.rename(tmp, spare_path(out))
    except OSError:  # no hard links here, a full disk, or the output changed meanwhile
        _discard(tmp, out)
        return False
    return True


def _depth(relative: str) -> int:
    return relative.count("/")


def _folders_of(relative: str) -> list[str]:
    """Every folder above a relative path: a/b/c -> a, a/b."""
    parts = relative.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _keep_as_spare(tmp: Path, out: Path) -> None:
    """Keep the site just swapped out (now at ``tmp``) as the spare, or delete it."""
    spare = spare_path(out)
    if os.path.lexists(tmp / MARKER):
        if _usable_spare(out):  # an older one this build did not use
            _discard(spare, out)
        if not os.path.lexists(spare):
            with contextlib.suppress(OSError):
                os.rename(tmp, spare)
                return
    _discard(tmp, out)


def _discard(tmp: Path, out: Path) -> None:
    """Move a folder of ours out of the way at once; delete it without keeping anyone waiting."""
    with contextlib.suppress(OSError):
        os.rmdir(tmp)  # empty (no site to swap out): nothing to wait for
        return
    old = tmp.with_name(_old_prefix(out) + os.urandom(6).hex())
    try:
        os.rename(tmp, old)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return
    remove_tree_soon(old)


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
    """Replace ``out`` with ``new``; whether ``new`` now holds the old site.

    Without one (a first build), ``new`` is gone: nothing is left to keep or delete.
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
        os.rename(old / "site", new)
        os.rmdir(old)
        return True
    os.rename(new, out)
    return False


def write_file(root: Path | str, relative: str, data: str | bytes) -> None:
    """Write ``data`` to the new file ``root/relative``, making its folder if needed.

    Plain system calls, not pathlib: this runs once per page. A page's folder
    is usually new (one per stretch), so it is made first, in one call.
    """
    target = os.path.join(root, relative)
    folder = os.path.dirname(target)
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:  # its parent is new too
        os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


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
