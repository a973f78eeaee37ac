"""The dev server's change detection: every save is seen, bursts are coalesced."""

from __future__ import annotations

import time

from stretchsite.serve import ChangeBatcher, snapshot


def test_snapshot_sees_new_changed_and_removed_files(tmp_path):
    (tmp_path / "a").mkdir()
    first = tmp_path / "a" / "one.md"
    first.write_text("1")
    before = snapshot([tmp_path])
    first.write_text("12")
    (tmp_path / "a" / "two.md").write_text("2")
    after = snapshot([tmp_path])
    assert set(after) == {str(first), str(tmp_path / "a" / "two.md")}
    assert after[str(first)] != before[str(first)]
    first.unlink()
    assert str(first) not in snapshot([tmp_path])


def test_burst_of_saves_is_coalesced_and_last_save_is_built(tmp_path):
    target = tmp_path / "stretch.md"
    target.write_text("v0")
    built: list[str] = []
    batcher = ChangeBatcher((tmp_path,), lambda: built.append(target.read_text()), max_wait=0.5)
    batcher.poll()  # first poll only records the state
    started = time.monotonic()
    for i in range(1, 201):
        target.write_text(f"v{i}")
        time.sleep(0.005)
        batcher.poll()  # worst case: a poll after every save
    batcher.poll()  # a quiet poll after the burst
    elapsed = time.monotonic() - started
    assert built[-1] == "v200", "the final save is always built"
    assert len(built) <= 2 + elapsed / 0.5, f"{len(built)} rebuilds for 200 saves"
    batcher.poll()
    assert len(built) == batcher.rebuilds, "no rebuild without a change"


def test_single_save_rebuilds_on_the_next_quiet_poll(tmp_path):
    target = tmp_path / "x.md"
    target.write_text("a")
    calls = []
    batcher = ChangeBatcher((tmp_path,), lambda: calls.append(1))
    batcher.poll()
    target.write_text("bb")
    batcher.poll()  # change seen: waits one quiet poll in case more saves follow
    assert calls == []
    batcher.poll()
    assert calls == [1]
