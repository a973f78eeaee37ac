"""The dev server's change detection: every save is seen, bursts are coalesced.

Time is a fake clock here: the coalescing rule is checked exactly, whatever
the load on the machine.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from stretchsite.watch import QUIET_POLL, ChangeBatcher, differ, snapshot


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


def test_single_save_rebuilds_on_the_next_quiet_poll(tmp_path):
    target = tmp_path / "x.md"
    target.write_text("a")
    calls = []
    batcher = ChangeBatcher((tmp_path,), lambda: calls.append(1), clock=FakeClock())
    batcher.poll()
    target.write_text("bb")
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
