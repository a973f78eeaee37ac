"""Change detection for the dev server: scans the input folders, coalesces bursts of saves.

A scan of every file's stamp decides what changed: it is portable and sees
every save an editor can make (write in place, write-and-rename, delete).
When to scan: on Linux, as soon as the kernel reports a write in one of the
folders (inotify, through ctypes: no dependency), and a save is built once
those reports have been quiet for a few milliseconds; scans at a slow pace
remain as the safety net (a file system that reports nothing, a lost report).
Elsewhere, or if inotify is unavailable, scans come at a steady pace and a
save is built one quiet scan after it is seen. livereload's own watcher is
not used: it polls every 800 ms, runs the rebuild once per changed folder and
skips the browser reload when two saves come within three seconds of each other.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import struct
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Two saves within one timestamp tick (4 ms on ext4, up to 2 s elsewhere) can leave a
# file's size and mtime alike: files changed this recently are compared by content too.
RECENT_NS = 3_000_000_000

Snapshot = dict[str, tuple[int, int, bytes | None]]
# The shortest pause between two polls: a save is built one quiet poll after it is seen.
QUIET_POLL = 0.025
# With reports of writes: a save is built once none has come for this long
# (an editor's save is a burst of writes and renames within a millisecond).
QUIET_EVENTS = 0.008
# A file written to and still open counts as being saved for this long after its last write.
OPEN_WRITE = 0.1
# With reports of writes, scans at this pace at the least only catch what
# went unreported; without, a scan of thousands of files every 25 ms would
# keep a core busy.
EVENTS_PACE = 0.25


def snapshot(folders: Iterable[Path], seen: list[str] | None = None) -> Snapshot:
    """(mtime, size, content digest if changed just now) of every file under ``folders``;
    each folder scanned is added to ``seen``."""
    now = time.time_ns()
    state: Snapshot = {}
    stack = [str(f) for f in folders]
    while stack:
        folder = stack.pop()
        if seen is not None:
            seen.append(folder)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # a folder that vanished between two polls
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    info = entry.stat()
                    recent = abs(now - info.st_mtime_ns) < RECENT_NS
                    digest = _digest(entry.path) if recent else None
                    state[entry.path] = (info.st_mtime_ns, info.st_size, digest)
            except OSError:
                continue
    return state


def _digest(path: str) -> bytes:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "blake2b").digest()


def differ(before: Snapshot, after: Snapshot) -> bool:
    """Whether any file was added, removed or changed between two snapshots.

    Contents are compared where both snapshots have them; a digest appearing
    or going away as a file stops being recent is not a change.
    """
    if before.keys() != after.keys():
        return True
    for path, (mtime, size, digest) in after.items():
        old_mtime, old_size, old_digest = before[path]
        if (mtime, size) != (old_mtime, old_size):
            return True
        if digest is not None and old_digest is not None and digest != old_digest:
            return True
    return False


@dataclass
class ChangeBatcher:
    """Coalesces a burst of saves into few rebuilds.

    A rebuild starts once the files have been quiet for one poll, or at the
    latest ``max_wait`` seconds after the first change not yet built, so a long
    burst still shows progress. ``clock`` is injectable so tests can drive time.
    """

    folders: tuple[Path, ...]
    on_change: Callable[[], None]
    max_wait: float = 1.0
    clock: Callable[[], float] = time.monotonic
    state: Snapshot | None = None
    pending_since: float | None = None
    last_scan: float = 0.0  # seconds the last scan took, to pace the polling
    rebuilds: int = 0
    scanned: list[str] = field(default_factory=list)  # the folders the last scan went through

    def poll(self, settled: bool = False) -> None:
        """Scan once; call ``on_change`` if a change is due to be built.

        ``settled``: the file system has reported every write, and none for a
        while (see :class:`FolderEvents`), so a change seen now is built at
        once rather than after one more quiet poll.
        """
        started = time.perf_counter()
        self.scanned = []
        current = snapshot(self.folders, self.scanned)
        self.last_scan = time.perf_counter() - started
        if self.state is None:
            self.state = current
            return
        changed = differ(self.state, current)
        self.state = current
        now = self.clock()
        if changed and self.pending_since is None:
            self.pending_since = now
        if self.pending_since is None:
            return
        if changed and not settled and now - self.pending_since < self.max_wait:
            return  # still saving: wait for a quiet poll
        self.pending_since = None
        self.rebuilds += 1
        self.on_change()

    def overdue(self) -> bool:
        """Whether a change seen has waited ``max_wait`` to be built."""
        return self.pending_since is not None and self.clock() - self.pending_since >= self.max_wait

    def next_delay(self, reported: bool = False) -> float:
        """Seconds until the next poll: often on small sites, less often when scans get slow,
        and seldom when the file system reports writes (``reported``).

        Once a change is seen, the quiet poll that lets it be built comes at
        the shortest pace whatever the site's size: it is what the author waits for.
        """
        if self.pending_since is not None:
            return QUIET_POLL
        return max(EVENTS_PACE if reported else QUIET_POLL, self.last_scan * 4)


# From <sys/inotify.h>: what is reported, and how the descriptor is opened.
IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF = 0x400, 0x800
IN_ONLYDIR, IN_Q_OVERFLOW, IN_IGNORED = 0x1000000, 0x4000, 0x8000
EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name
IN_NONBLOCK, IN_CLOEXEC = os.O_NONBLOCK, os.O_CLOEXEC
WRITES = (
    IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO
    | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF
)  # fmt: skip


@dataclass
class FolderEvents:
    """The kernel's reports of writes in some folders (Linux inotify): only *when* to
    scan, never *what* changed (the scan decides that).

    Folders are watched one by one (inotify is not recursive): :meth:`follow`
    adds each folder a scan went through, so a new folder is watched from the
    scan after it appears (the scan itself sees what was written in it before).
    A file written to and not yet closed is likely still being saved (a
    writer can be held up between its writes on a busy machine): nothing is
    settled until it is closed or ``OPEN_WRITE`` has passed since its last
    write (a file an editor keeps open, such as a swap file, holds a save
    back that long at the most).
    """

    fd: int
    clock: Callable[[], float] = time.monotonic
    last: float | None = None  # when a report last came
    first: float | None = None  # the first report since the last scan
    # (watch, name) of each file written to and not closed since: when it last was.
    writing: dict[tuple[int, bytes], float] = field(default_factory=dict)
    _libc: ctypes.CDLL | None = None

    @classmethod
    def open(cls) -> FolderEvents | None:
        """Reports for this process, or None where the system has none to give."""
        if not sys.platform.startswith("linux"):
            return None
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        except (OSError, AttributeError):
            return None
        if fd < 0:
            return None  # e.g. the user's limit of inotify instances is reached
        return cls(fd, _libc=libc)

    def follow(self, folders: Iterable[str]) -> None:
        """Watch each of ``folders`` (again: a folder deleted and made anew is a new one)."""
        assert self._libc is not None
        for folder in folders:
            # Fails only for a folder gone since the scan, or past the user's
            # limit of watches: scans at the steady pace still see those.
            self._libc.inotify_add_watch(self.fd, os.fsencode(folder), WRITES | IN_ONLYDIR)

    def drain(self) -> bool:
        """Read every report waiting; whether there was any."""
        came = False
        while True:
            try:
                reports = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            if not reports:
                break
            came = True
            self._note_writes(reports)
        if came:
            self.last = self.clock()
            self.first = self.first if self.first is not None else self.last
        return came

    def _note_writes(self, reports: bytes) -> None:
        """Follow which files are written to and not yet closed (struct inotify_event)."""
        offset = 0
        while offset + EVENT.size <= len(reports):
            watch, mask, _, length = EVENT.unpack_from(reports, offset)
            name = reports[offset + EVENT.size : offset + EVENT.size + length].rstrip(b"\0")
            offset += EVENT.size + length
            if mask & (IN_Q_OVERFLOW | IN_IGNORED):
                self.writing.clear()  # reports lost, or a folder gone: the quiet decides
            elif mask & IN_MODIFY:
                self.writing[watch, name] = self.clock()
            elif mask & (IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM):
                self.writing.pop((watch, name), None)

    def settled(self) -> bool:
        """Whether writes were reported since the last scan, none for ``QUIET_EVENTS``,
        and every file written to is closed or was last written ``OPEN_WRITE`` ago."""
        now = self.clock()
        return (
            self.last is not None
            and now - self.last >= QUIET_EVENTS
            and all(now - written >= OPEN_WRITE for written in self.writing.values())
        )

    def scanned(self) -> None:
        """A scan has just looked at everything reported so far."""
        self.first = self.last = None

    def close(self) -> None:
        os.close(self.fd)
