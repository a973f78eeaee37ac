"""Change detection for the dev server: polls the input folders, coalesces bursts of saves.

Polling rather than inotify: it is portable, sees every save an editor can make
(write in place, write-and-rename, delete), and on a site of this size a scan
costs well under a millisecond. livereload's own watcher is not used: it polls
every 800 ms, runs the rebuild once per changed folder and skips the browser
reload when two saves come within three seconds of each other.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

# Two saves within one timestamp tick (4 ms on ext4, up to 2 s elsewhere) can leave a
# file's size and mtime alike: files changed this recently are compared by content too.
RECENT_NS = 3_000_000_000

Snapshot = dict[str, tuple[int, int, bytes | None]]
# The shortest pause between two polls: a save is built one quiet poll after it is seen.
QUIET_POLL = 0.025


def snapshot(folders: Iterable[Path]) -> Snapshot:
    """(mtime, size, content digest if changed just now) of every file under ``folders``."""
    now = time.time_ns()
    state: Snapshot = {}
    stack = [str(f) for f in folders]
    while stack:
        folder = stack.pop()
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

    def poll(self) -> None:
        """Scan once; call ``on_change`` if a change is due to be built."""
        started = time.perf_counter()
        current = snapshot(self.folders)
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
        if changed and now - self.pending_since < self.max_wait:
            return  # still saving: wait for a quiet poll
        self.pending_since = None
        self.rebuilds += 1
        self.on_change()

    def next_delay(self) -> float:
        """Seconds until the next poll: often on small sites, less often when scans get slow.

        Once a change is seen, the quiet poll that lets it be built comes at
        the shortest pace whatever the site's size: it is what the author waits for.
        """
        if self.pending_since is not None:
            return QUIET_POLL
        return max(QUIET_POLL, self.last_scan * 4)
