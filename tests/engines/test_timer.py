"""The timer in WebKit and Firefox, in real time: it starts, counts down, switches steps, finishes.

Only Playwright has a clock API, so these engines run the timer for real on a
tiny routine: two one-sided stretches of one set each with short names and
cues, 2-second holds, the shortest gaps and no walk (about 20 seconds in all).
The test drives what a user sees and uses: the Start button by its name, the
countdown (role=timer) and the visible headings.
"""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import frontmatter
import pytest

from stretchsite.content import load_site
from stretchsite.generator import build_site
from tools.pages_server import served

from ..conftest import ROOT, options_for
from ..helpers import substituted

HOLD = 2  # seconds: long enough to see the countdown change, short enough to wait for
TITLES = ("Tiny Alpha", "Tiny Beta")  # the stretches kept
KEEP = len(TITLES)
FINISHED = "Routine done"

# Records every (visible step headings, countdown, page time in ms) the page shows,
# from the first mutation on; resolves once the finish heading is visible.
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
    const changed = !last || last[0] !== entry[0] || last[1] !== entry[1];
    if (changed) log.push([...entry, performance.now()]);
  };
  new MutationObserver(note).observe(main, { subtree: true, childList: true, characterData: true });
  note();
  window.__timerLog = log;
}"""
# What the page was doing, for a failure's message: its state (running, waiting ...),
# whether it was visible, the settings and preferences it had kept, what went wrong.
STATE = """() => ({
  state: document.querySelector("[data-state]")?.dataset.state,
  visibility: document.visibilityState,
  settings: localStorage.getItem("stretchsite:timer-settings"),
  prefs: localStorage.getItem("stretchsite:prefs"),
  problems: [...(window.__problems || [])],
})"""
# Until a heading shows ``text`` (or ``timeout`` ms pass): the page's log then.
SHOWN = """(text, timeout) => new Promise((resolve) => {
  const started = Date.now();
  const check = () => window.__timerLog.some(([headings]) => headings.includes(text))
    || Date.now() - started > timeout ? resolve(window.__timerLog) : setTimeout(check, 100);
  check();
})"""


def tiny_content(content: Path) -> None:
    """KEEP one-sided stretches with short names and one short cue, HOLD-second holds and
    no gaps (what the timer says in a gap still takes its time: less to say, less to wait)."""
    stretches = sorted((content / "stretches").glob("*.md"))
    one_sided = [f for f in stretches if frontmatter.load(f).get("sides") == "each"]
    assert len(one_sided) >= KEEP, "the real content no longer has two one-sided stretches"
    for path in stretches:
        if path not in one_sided[:KEEP]:
            path.unlink()
    for path, title in zip(one_sided[:KEEP], TITLES, strict=True):
        post = frontmatter.load(path)
        post.metadata.update(title=title, cues=["Relax"], side_names=["right", "left"])
        path.write_text(frontmatter.dumps(post) + "\n", encoding="utf-8")
    site = content / "site.yml"
    text, count = re.subn(r"(?m)^(\s+hold:) \d+$", rf"\1 {HOLD}", site.read_text())
    assert count >= 1, "site.yml has no age-group hold to shorten"
    # Every gap the timer: section sets (get-ready, switching sides, ...) down to
    # nothing; the address then asks for the 1-second get-ready gap.
    timer = re.search(r"(?m)^timer:\n((?:[ \t]+.*\n)+)", text)
    assert timer, "site.yml has no timer: section"
    gaps = substituted(timer[1], r"(?m)^([ \t]+\w+:) \d+", r"\1 0")
    site.write_text(text[: timer.start(1)] + gaps + text[timer.end(1) :])


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    """The tiny routine built and served; yields (base URL, stretch titles in order)."""
    project = tmp_path_factory.mktemp("tiny")
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, project / name)
    tiny_content(project / "content")
    build_site(options_for(project, out=project / "dist"))
    with served(project / "dist") as base:
        yield base, [s.title for s in load_site(project / "content").stretches]


def seconds(countdown: str) -> int:
    minutes, _, secs = countdown.rpartition(":")
    return int(minutes or 0) * 60 + int(secs)


# A display that should change each second but went this long without changing: the
# page itself was not run (a loaded machine starves the browser), so a second it
# skipped is the machine's, not the timer's. Judged from the page's own log.
STARVED_MS = 1500


def starved(entries: list) -> bool:
    """Whether the page's log shows it went without an update for longer than STARVED_MS."""
    return any(b[2] - a[2] > STARVED_MS for a, b in itertools.pairwise(entries))


@pytest.mark.slow
def test_timer_counts_down_switches_steps_and_finishes(engine, tiny_site):
    base, titles = tiny_site
    assert titles == list(TITLES)
    # The fastest speech rate on offer makes what is said in a gap (and so the gap)
    # shortest. WebKit runs with the voice off: WebKitGTK's own speech backend (not
    # Safari's) once left the page stuck on the first step on a loaded machine.
    voice = int(engine.name != "webkit")
    engine.goto(base + f"timer/?walk=0&dose=min&easier=0&ready=1&switch=0&rate=1.5&voice={voice}")
    engine.run(RECORDER)
    # The engine may say the page has loaded while its module script is still to
    # run (WebKitGTK on a loaded machine): a tap before then goes nowhere. The
    # script has set the page up once it shows the first stretch.
    shown = engine.run(SHOWN, titles[0], 30_000)
    assert any(titles[0] in headings for headings, _, _ in shown), (shown, engine.run(STATE))
    engine.click_button("Start")
    log = engine.run(SHOWN, FINISHED, 90_000)
    assert any(FINISHED in headings for headings, _, _ in log), (log, engine.run(STATE))
    # The steps come in the routine's order: the first stretch, then the second.
    order = [t for headings, _, _ in log for t in titles if t in headings]
    assert order and order[0] == titles[0] and titles[1] in order, log
    assert order.index(titles[1]) > order.index(titles[0]), log
    assert order[order.index(titles[1]) :] == [titles[1]] * order[order.index(titles[1]) :].count(
        titles[1]
    ), f"went back to an earlier stretch: {log}"
    # Within a stretch the countdown shows whole seconds, goes down one second at
    # a time and starts each hold from its full length (gaps count down too); the
    # first and last second may go unseen only where the page's own log shows it starved.
    for title in titles:
        entries = [e for e in log if title in e[0] and re.fullmatch(r"\d+(:\d\d)?", e[1])]
        values = [seconds(c) for _, c, _ in entries]
        assert values, (title, log)
        if not starved(entries):
            assert HOLD in values and 1 in values, (title, entries)
            assert any(b == a - 1 for a, b in itertools.pairwise(values)), (title, entries)
    assert engine.problems() == []
