"""The timer in WebKit and Firefox, in real time: it starts, counts down, switches steps, finishes.

Only Playwright has a clock API, so these engines run the timer for real on a
tiny routine: two stretches of one set each, 2-second holds, a 1-second
get-ready gap, no gap to switch sides and no walk (about 10 seconds in all).
The test drives what a user sees and uses: the Start button by its name, the
countdown (role=timer) and the visible headings.
"""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest

from stretchsite.content import load_site
from stretchsite.generator import build_site
from tools.pages_server import serve_folder

from ..conftest import ROOT, options_for

HOLD = 2  # seconds: long enough to see the countdown change, short enough to wait for
KEEP = 2  # stretches
FINISHED = "Routine done"

# Records every (visible step headings, countdown) the page shows, from the
# first mutation on; resolves once the finish heading is visible.
RECORDER = """() => {
  const main = document.querySelector("main");
  const clock = main.querySelector("[role=timer]");
  const visible = (e) => e.getClientRects().length > 0;
  const log = [];
  const note = () => {
    const headings = [...main.querySelectorAll("h2")].filter(visible)
      .map((h) => h.textContent.trim()).filter((t) => t !== "Settings");
    const entry = [headings.join(" / "), visible(clock) ? clock.textContent.trim() : ""];
    const last = log.at(-1);
    if (!last || last[0] !== entry[0] || last[1] !== entry[1]) log.push(entry);
  };
  new MutationObserver(note).observe(main, { subtree: true, childList: true, characterData: true });
  note();
  window.__timerLog = log;
}"""
FINISH = """(finished, timeout) => new Promise((resolve) => {
  const started = Date.now();
  const check = () => window.__timerLog.some(([headings]) => headings.includes(finished))
    || Date.now() - started > timeout ? resolve(window.__timerLog) : setTimeout(check, 100);
  check();
})"""


def tiny_content(content: Path) -> None:
    """Keep the first KEEP stretches that work one side at a time; HOLD-second holds."""
    stretches = sorted((content / "stretches").glob("*.md"))
    one_sided = [f for f in stretches if re.search(r"^sides: each$", f.read_text(), re.M)]
    assert len(one_sided) >= KEEP, "the real content no longer has two one-sided stretches"
    for path in stretches:
        if path not in one_sided[:KEEP]:
            path.unlink()
    site = content / "site.yml"
    text, count = re.subn(r"(?m)^(\s+hold:) \d+$", rf"\1 {HOLD}", site.read_text())
    assert count >= 1, "site.yml has no age-group hold to shorten"
    site.write_text(text)


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    """The tiny routine built and served; yields (base URL, stretch titles in order)."""
    project = tmp_path_factory.mktemp("tiny")
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, project / name)
    tiny_content(project / "content")
    build_site(options_for(project, out=project / "dist"))
    server, base = serve_folder(project / "dist")
    yield base, [s.title for s in load_site(project / "content").stretches]
    server.shutdown()
    server.server_close()


def seconds(countdown: str) -> int:
    minutes, _, secs = countdown.rpartition(":")
    return int(minutes or 0) * 60 + int(secs)


@pytest.mark.slow
def test_timer_counts_down_switches_steps_and_finishes(engine, tiny_site):
    base, titles = tiny_site
    assert len(titles) == KEEP
    engine.goto(base + "timer/?walk=0&dose=min&easier=0&ready=1&switch=0")
    engine.run(RECORDER)
    engine.click_button("Start")
    log = engine.run(FINISH, FINISHED, 60_000)
    assert any(FINISHED in headings for headings, _ in log), log
    # The steps come in the routine's order: the first stretch, then the second.
    order = [t for headings, _ in log for t in titles if t in headings]
    assert order and order[0] == titles[0] and titles[1] in order, log
    assert order.index(titles[1]) > order.index(titles[0]), log
    assert order[order.index(titles[1]) :] == [titles[1]] * order[order.index(titles[1]) :].count(
        titles[1]
    ), f"went back to an earlier stretch: {log}"
    # Within a stretch the countdown only ever shows whole seconds and goes down
    # from the hold (a new hold or side starts again from the top).
    for title in titles:
        shown = [c for headings, c in log if title in headings and re.fullmatch(r"\d+(:\d\d)?", c)]
        values = [seconds(c) for c in shown]
        assert HOLD in values and 1 in values, (title, shown)
        assert any(b < a for a, b in itertools.pairwise(values)), (title, shown)
        assert max(values) <= HOLD, (title, shown)
    assert engine.problems() == []
