"""The dev server's change detection: every save is seen, bursts are coalesced.

Time is a fake clock here: the coalescing rule is checked exactly, whatever
the load on the machine. Where the file system reports writes (Linux), what
is counted is scans, never milliseconds.
"""

from __future__ import annotations

import gc
import itertools
import os
import select
import sys
import threading
import time
from pathlib import Path

import pytest
from tornado import ioloop

from stretchsite import serve, watch
from stretchsite.serve import DevSite, Terminal, _watch
from stretchsite.watch import QUIET_POLL, ChangeBatcher, FolderEvents, differ, snapshot

from .conftest import options_for
from .helpers import edit


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_snapshot_sees_new_changed_and_removed_files(tmp_path):
    (tmp_path / "a").mkdir()
    first = tmp_path / "a" / "one.md"
    first.write_text("1")
    before = snapshot([tmp_path])
    first.write_text("12")
    (tmp_path / "a" / "two.md").write_text("2")
    after = snapshot([tmp_path])
    assert set(after) == {str(first), str(tmp_path / "a" / "two.md")}
    assert differ(before, after)
    assert not differ(after, snapshot([tmp_path]))
    first.unlink()
    assert str(first) not in snapshot([tmp_path])


def test_a_save_with_the_same_size_within_one_clock_tick_is_seen(tmp_path):
    """Editors save twice in a few ms (save, then format): size and mtime can stay alike."""
    target = tmp_path / "stretch.md"
    target.write_text("title: A")
    mtime = target.stat().st_mtime_ns
    before = snapshot([tmp_path])
    target.write_text("title: B")
    os.utime(target, ns=(mtime, mtime))  # the same timestamp tick
    assert differ(before, snapshot([tmp_path]))


def test_a_file_no_longer_recent_is_not_a_change(tmp_path):
    target = tmp_path / "stretch.md"
    target.write_text("title: A")
    recent = snapshot([tmp_path])
    assert recent[str(target)][2] is not None  # compared by content while recent
    old = recent[str(target)][0]
    later = {str(target): (old, recent[str(target)][1], None)}  # as seen seconds later
    assert not differ(recent, later)
    assert not differ(later, recent)


def burst(tmp_path: Path, saves: int, step: float, max_wait: float):
    """``saves`` saves ``step`` fake seconds apart, a poll after each, then a quiet poll."""
    target = tmp_path / "stretch.md"
    target.write_text("v0")
    clock = FakeClock()
    built: list[tuple[float, str]] = []
    batcher = ChangeBatcher(
        (tmp_path,),
        lambda: built.append((clock.now, target.read_text())),
        max_wait=max_wait,
        clock=clock,
    )
    batcher.poll()  # the first poll only records the state
    for i in range(1, saves + 1):
        clock.now += step
        target.write_text(f"v{i}")
        batcher.poll()  # worst case: a poll after every save
    clock.now += step
    batcher.poll()  # a quiet poll after the burst
    return built, batcher, clock


def test_burst_of_saves_is_coalesced_and_last_save_is_built(tmp_path):
    built, batcher, clock = burst(tmp_path, saves=200, step=0.25, max_wait=1.0)
    assert built[-1][1] == "v200", "the final save is always built"
    assert len(built) <= 1 + clock.now / 1.0, f"{len(built)} rebuilds for 200 saves"
    # Progress during the burst: never longer than max_wait (plus one poll) between builds.
    times = [0.0] + [t for t, _ in built]
    assert max(b - a for a, b in itertools.pairwise(times)) <= 1.0 + 0.25
    batcher.poll()
    assert len(built) == batcher.rebuilds, "no rebuild without a change"


def one_save_seen(tmp_path: Path) -> tuple[list[int], ChangeBatcher]:
    """A batcher over one file that has just been saved again (its builds in the list)."""
    target = tmp_path / "x.md"
    target.write_text("a")
    calls: list[int] = []
    batcher = ChangeBatcher((tmp_path,), lambda: calls.append(1), clock=FakeClock())
    batcher.poll()
    target.write_text("bb")
    return calls, batcher


def test_single_save_rebuilds_on_the_next_quiet_poll(tmp_path):
    calls, batcher = one_save_seen(tmp_path)
    batcher.poll()  # change seen: waits one quiet poll in case more saves follow
    assert calls == []
    batcher.poll()
    assert calls == [1]
    batcher.poll()
    assert calls == [1]


def test_the_quiet_poll_after_a_change_comes_at_the_shortest_pace(tmp_path):
    """However slow a scan (a large site), a seen save waits one short poll, not a long one."""
    for i in range(3):
        (tmp_path / f"{i}.md").write_text("a")
    batcher = ChangeBatcher((tmp_path,), lambda: None, clock=FakeClock())
    batcher.poll()
    batcher.last_scan = 0.05  # as on a site with thousands of files
    assert batcher.next_delay() == 0.2
    (tmp_path / "1.md").write_text("bb")
    batcher.poll()
    batcher.last_scan = 0.05
    assert batcher.next_delay() == QUIET_POLL < 0.2
    batcher.poll()  # quiet: built
    batcher.last_scan = 0.05
    assert batcher.next_delay() == 0.2


def test_a_change_seen_when_writes_have_settled_is_built_at_once(tmp_path):
    """The file system reported the writes and then nothing: no second, quiet scan needed."""
    calls, batcher = one_save_seen(tmp_path)
    batcher.poll(settled=True)
    assert calls == [1]
    batcher.poll(settled=True)
    assert calls == [1], "no rebuild without a change"


def reported_within(events: FolderEvents, seconds: float = 10) -> bool:
    """Whether a report comes within ``seconds`` (generous: the machine may be busy)."""
    readable, _, _ = select.select([events.fd], [], [], seconds)
    return bool(readable) and events.drain()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_writes_in_followed_folders_are_reported_and_new_folders_are_followed(tmp_path):
    events = FolderEvents.open()
    assert events is not None, "Linux reports writes"
    try:
        scanned: list[str] = []
        snapshot([tmp_path], scanned)
        events.follow(scanned)
        assert not events.drain() and not events.settled()
        (tmp_path / "a.md").write_text("1")
        assert reported_within(events)
        (tmp_path / "new").mkdir()
        assert reported_within(events)
        events.scanned()
        scanned = []
        snapshot([tmp_path], scanned)
        events.follow(scanned)  # the new folder is followed from the scan after it appeared
        (tmp_path / "new" / "b.md").write_text("2")
        assert reported_within(events)
        (tmp_path / "new" / "b.md").rename(tmp_path / "new" / "c.md")
        assert reported_within(events)
    finally:
        events.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_the_dev_server_builds_a_reported_save_after_one_scan(project: Path, monkeypatch):
    """The save's report wakes the watcher; once writes settle, one scan sees it and builds."""
    monkeypatch.setattr(watch, "EVENTS_PACE", 60.0)  # no scan but those the reports ask for
    site = DevSite(options_for(project), Terminal(quiet=True))
    scans: list[int] = []
    real_snapshot = watch.snapshot
    monkeypatch.setattr(
        watch,
        "snapshot",
        lambda folders, seen=None: scans.append(1) or real_snapshot(folders, seen),
    )
    builds: list[int] = []
    collecting: list[bool] = []  # whether Python's cycle collector ran during each build
    monkeypatch.setattr(
        site, "rebuild", lambda: builds.append(len(scans)) or collecting.append(gc.isenabled())
    )
    monkeypatch.setattr(serve, "COLLECT_AFTER", 0.05)
    saved: list[int] = []
    resumed: list[bool] = []

    def watch_until_built() -> None:
        """A dev server's loop of its own, in its own thread (a browser test's may be running)."""
        loop = ioloop.IOLoop()

        def check() -> None:
            if builds and gc.isenabled():
                resumed.append(True)
            if resumed or time.monotonic() > deadline:
                loop.stop()
            elif not saved and scans:  # the first scan is done: reports are followed
                saved.append(len(scans))
                edit(
                    project, "content/stretches/05-calf-stretch.md", "title: Calf", "title: Calf 2"
                )

        events = _watch(site, loop)
        ioloop.PeriodicCallback(check, 20).start()
        try:
            loop.start()
        finally:
            loop.remove_handler(events.fd)
            events.close()
            loop.close(all_fds=False)
            gc.enable()

    deadline = time.monotonic() + 30
    thread = threading.Thread(target=watch_until_built)
    thread.start()
    thread.join()
    assert saved and builds, "the save was built"
    assert builds[0] - saved[0] == 1, f"{builds[0] - saved[0]} scans between save and build"
    # The collector waits while the browser reloads, and resumes once the server is idle.
    assert collecting == [False] and resumed


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_a_file_still_open_after_a_write_holds_the_save_back(tmp_path):
    """A writer held up between two writes (a busy machine) is not built half-written."""
    clock = FakeClock()
    events = FolderEvents.open()
    assert events is not None
    events.clock = clock
    try:
        events.follow([str(tmp_path)])
        with open(tmp_path / "a.md", "w") as open_file:
            open_file.write("title: Half")
            open_file.flush()
            assert reported_within(events)
            clock.now += watch.QUIET_EVENTS
            assert not events.settled(), "written to and still open"
            clock.now += watch.OPEN_WRITE
            assert events.settled(), "open too long: an editor's swap file holds no save back"
            clock.now -= watch.OPEN_WRITE
        assert reported_within(events)  # the close
        clock.now += watch.QUIET_EVENTS
        assert events.settled()
    finally:
        events.close()
