"""The timer page in Chromium, on virtual time (Playwright's clock), against the real content.

Every utterance, tone and media play is recorded (tests/browser/timer_recorder.js;
speech lasts as long as its word count says, slower than the timer's own
estimate, with end events). The expected sequences are derived here from the
content files, independently of static/js/timer/sequence.js.
"""

from __future__ import annotations

import base64
import json
import re
from itertools import pairwise
from pathlib import Path

import pytest

from stretchsite.content import Site
from stretchsite.generator import build_site
from tools.pages_server import serve_folder

from ..conftest import ROOT, options_for
from ..helpers import OVER, RECORDER, TIMER_SITE, UNDER

pytestmark = pytest.mark.browser
SITE = TIMER_SITE
CLOCK = "[data-view=clock]"
START_HZ, TICK_HZ = 880, 660  # the hold-start tone and the 3-2-1 ticks (static/js/timer/tones.js)


def expected_steps(site: Site, age: str, dose: str = "min", easier: bool = False, walk: bool = True,
                   ready: int | None = None, switch: int | None = None) -> list[dict]:  # fmt: skip
    """Every step from the content: kind, title, side, count, of, and its seconds.

    Holds and the walk last exactly `seconds`; a gap lasts at least `seconds`
    (longer when its words need more time). A new stretch's gap is the time to
    get into position: the stretch's own, or the site default for a change of
    equipment or not.
    """
    ready = site.timer.get_ready if ready is None else ready
    switch = site.timer.switch_sides if switch is None else switch
    group = next(g for g in site.age_groups if g.id == age)
    steps = []
    if walk:
        steps.append(dict(kind="walk", title=site.cooldown.title, side="", count=0, of=0,
                          seconds=site.cooldown.minutes * 60))  # fmt: skip
    before = None
    for s in site.stretches:
        rounds = getattr(s.dose, dose)
        hold = group.hold
        if easier and s.easier:
            hold = s.easier.hold_min if dose == "min" else s.easier.hold_max
        default = site.timer.change_equipment if s.equipment != before else site.timer.into_position
        before = s.equipment
        position = s.into_position if s.into_position is not None else default
        for count in range(1, rounds + 1):
            for n, side in enumerate(s.side_names if s.one_sided else ("",)):
                base = dict(title=s.title, side=side, count=count, of=rounds)
                gap = switch if n else max(ready, position) if count == 1 else ready
                if gap:
                    steps.append(dict(base, kind="switch" if n else "ready", seconds=gap))
                steps.append(dict(base, kind="hold", seconds=hold))
    return steps


def shape(step: dict) -> tuple:
    return tuple(step.get(k, d) for k, d in (("kind", ""), ("title", ""), ("side", ""),
                                              ("count", 0), ("of", 0)))  # fmt: skip


def words(seconds: int) -> str:
    parts = [(seconds // 60, "minute"), (seconds % 60, "second")]
    return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n)


def open_timer(page, url: str, script: str = "", word_ms: int = 450):
    page.clock.install()
    page.add_init_script(f"sessionStorage.setItem('test:word-ms', '{word_ms}');")
    page.add_init_script(RECORDER + script)
    page.goto(url)


def start(page, url: str, script: str = "", word_ms: int = 450):
    open_timer(page, url, script, word_ms)
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_function("() => document.getElementById('timer').dataset.state === 'running'")


def log(page, kind: str) -> list[dict]:
    return [e for e in page.evaluate("window.__log") if e["type"] == kind]


def state(page) -> str:
    return page.locator("#timer").get_attribute("data-state")


def step_index(page) -> int:
    return int(page.locator("#timer").get_attribute("data-step"))


def clock_text(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def assert_one_voice(page):
    """No two utterances overlap, none is cut off, and no tone sounds while one is spoken."""
    says = log(page, "say")
    beeps = log(page, "beep")
    assert says, "nothing was said"
    assert log(page, "cancel") == []
    for a, b in pairwise(says):
        assert a.get("end") is not None and b["t"] >= a["end"], (a, b)
    for say in says:
        assert not say.get("cut"), say
        for beep in beeps:
            assert beep["end"] <= say["t"] or beep["t"] >= say["end"], (beep, say)


def assert_words_in_their_steps(page):
    """Each step's words are said while that step is on, and end before the next begins."""
    says = log(page, "say")
    steps = page.evaluate("window.__steps")
    for step, after in pairwise([*steps, {"t": float("inf")}]):
        within = [s["text"] for s in says if step["t"] <= s["t"] and s["end"] <= after["t"]]
        for item in step["say"]:
            assert item["text"] in within, (step["title"], step["kind"], item["text"])


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory):
    """The real site built for a GitHub Pages project path."""
    out = tmp_path_factory.mktemp("repo") / "dist"
    build_site(options_for(ROOT, out=out, base_url="/repo/"))
    return out


CASES = [(g.id, "min", False) for g in SITE.age_groups] + [
    (UNDER.id, "max", False),
    (OVER.id, "max", True),
]


@pytest.mark.parametrize(("age", "dose", "easier"), CASES)
def test_whole_routine_one_voice_and_what_it_says(page, http_root, age, dose, easier):
    expected = expected_steps(SITE, age, dose, easier)
    start(page, http_root + f"timer/?age={age}&dose={dose}&easier={int(easier)}")
    page.clock.run_for(sum(s["seconds"] for s in expected) * 1000 + 600_000)
    steps = page.evaluate("window.__steps")
    assert [shape(s) for s in steps] == [shape(s) for s in expected]
    for got, want in zip(steps, expected, strict=True):
        if want["kind"] in ("hold", "walk"):
            assert got["duration"] == want["seconds"], (got, want)
        else:
            assert got["duration"] >= want["seconds"], (got, want)
    assert_one_voice(page)
    assert_words_in_their_steps(page)
    says = log(page, "say")
    # Each hold begins with the hold tone.
    beeps = log(page, "beep")
    for step in steps:
        if step["kind"] == "hold":
            assert any(b["hz"] == START_HZ and 0 <= b["t"] - step["t"] <= 1000 for b in beeps)
    text = [s["text"] for s in says]
    spoken = " | ".join(text)
    # What each stretch gets said, from the content data.
    for s in SITE.stretches:
        rounds = getattr(s.dose, dose)
        unit = s.dose.unit if rounds != 1 else s.dose.unit[:-1]
        intro = next(t for t in text if t.startswith("Next: " + s.title))
        assert f"{rounds} {unit}" in intro, intro
        first = text.index(intro)
        assert s.cues[0] in text[first + 1 : first + 3]
        if s.one_sided:
            assert f"{s.side_names[0].capitalize()} first." in text[first + 1 : first + 3]
            assert f"Switch sides: {s.side_names[1]}." in spoken
        for cue in s.cues:
            assert cue in text, cue
        if rounds > 1:
            single = s.dose.unit[:-1]
            assert f"{single.capitalize()} {rounds} of {rounds}, last {single}." in text
    holds = [s for s in expected if s["kind"] == "hold"]
    assert text.count("Release.") + spoken.count("Release. Routine done") == len(holds)
    assert text.count("Halfway.") == sum(h["seconds"] >= 30 for h in holds)
    assert text.count("10 seconds left.") == sum(h["seconds"] >= 30 for h in holds)
    finish = page.evaluate("window.__finish")
    assert text[-1] == f"Release. Routine done. Total time {words(round(finish['spent']))}."
    assert finish["stretches"] == [s.slug for s in SITE.stretches]
    assert finish["age"] == age and finish["dose"] == dose
    assert page.locator("[data-view=finish]").is_visible()
    assert page.problems == []


def test_short_gaps_stretch_to_fit_what_is_said(page, http_root):
    """A 0 s gap moves its words into the hold; a 1 s gap still fits its words; ticks give
    way. The voice here is much slower than the timer's estimate: the next step waits for it."""
    url = http_root + f"timer/?age={UNDER.id}&walk=0&ready=1&switch=0&dose=max"
    start(page, url, word_ms=800)
    page.clock.run_for(2_400_000)
    assert state(page) == "finished"
    assert_one_voice(page)
    assert_words_in_their_steps(page)
    steps = page.evaluate("window.__steps")
    assert "switch" not in {s["kind"] for s in steps}
    for step in steps:
        if step["kind"] == "ready":
            said = sum(0.45 * len(i["text"].split()) + 0.3 for i in step["say"])
            assert step["duration"] >= said * 0.8, step  # the planner's estimate fits the gap


def test_side_switch_only_for_one_sided_stretches_and_reps_are_counted(page, http_root):
    start(page, http_root + f"timer/?age={UNDER.id}&walk=0&dose=max")
    seen_counts = []
    reps = next(s for s in SITE.stretches if s.dose.unit == "reps")
    while page.locator("[data-view=stage]").is_visible():
        timer = page.locator("#timer")
        if (
            timer.get_attribute("data-stretch") == reps.slug
            and timer.get_attribute("data-kind") == "hold"
        ):
            seen_counts.append(page.locator("[data-view=count]").text_content())
        page.keyboard.press("ArrowRight")
    visited = [shape(s) for s in page.evaluate("window.__steps")]
    switched = {s[1] for s in visited if s[0] == "switch"}
    assert switched == {s.title for s in SITE.stretches if s.one_sided}
    for s in SITE.stretches:
        sides = {step[2] for step in visited if step[1] == s.title}
        assert sides == (set(s.side_names) if s.one_sided else {""})
    assert seen_counts == [f"Rep {n} of {reps.dose.max}" for n in range(1, reps.dose.max + 1)]


def test_url_preset_wins_over_the_remembered_one(page, http_root):
    first, last = UNDER, OVER
    page.goto(http_root + "timer/")
    assert page.locator("#set-age").input_value() == first.id  # the content's first group
    page.locator("#set-age").select_option(last.id)  # remembered on change
    page.goto(http_root + "timer/")
    assert page.locator("#set-age").input_value() == last.id
    page.goto(http_root + f"timer/?age={first.id}")
    assert page.locator("#set-age").input_value() == first.id  # the link wins for this visit
    page.goto(http_root + "timer/")
    assert page.locator("#set-age").input_value() == last.id  # ...without overwriting
    page.goto(http_root + f"timer/?age={first.id}")
    page.get_by_role("button", name="Start", exact=True).click()  # starting remembers it
    page.goto(http_root + "timer/")
    assert page.locator("#set-age").input_value() == first.id
    assert page.locator("#timer-note").is_hidden()
    assert page.problems == []


def test_first_screen_shows_the_age_group_and_switches_in_one_tap(page, http_root):
    page.goto(http_root + "timer/")
    preset = page.locator("[data-view=preset]")
    chosen = preset.locator("[aria-pressed=true]")
    assert chosen.is_visible() and chosen.text_content() == f"{UNDER.label}: {UNDER.hold} s holds"
    assert page.get_by_role("button", name=f"{UNDER.label}: {UNDER.hold} s holds").is_visible()
    top = page.locator(CLOCK).bounding_box()["y"]
    before = page.locator("[data-view=total-time]").inner_text()
    page.get_by_role("button", name=f"{OVER.label}: {OVER.hold} s holds").click()  # one tap
    assert chosen.text_content() == f"{OVER.label}: {OVER.hold} s holds"
    assert page.locator("#set-age").input_value() == OVER.id
    assert page.locator("[data-view=total-time]").inner_text() != before
    page.reload()
    assert chosen.text_content() == f"{OVER.label}: {OVER.hold} s holds"
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_function("() => document.getElementById('timer').dataset.state === 'running'")
    assert chosen.is_visible() and chosen.is_disabled(), "still in view, switched only before Start"
    assert preset.locator("button:visible").count() == 1
    assert page.locator(CLOCK).bounding_box()["y"] == top, "nothing moves at Start"
    assert page.problems == []


def test_pause_excludes_paused_time_and_resume_names_the_step(page, http_root):
    start(page, http_root + "timer/?walk=0")
    page.clock.run_for(45_000)  # into the first hold, between two phrases
    assert page.locator("#timer").get_attribute("data-kind") == "hold"
    page.keyboard.press("Space")  # pause
    shown = page.locator(CLOCK).inner_text()
    assert state(page) == "paused"
    assert page.get_by_role("button", name="Resume").is_visible()
    said = len(log(page, "say"))
    page.clock.run_for(600_000)
    assert page.locator(CLOCK).inner_text() == shown
    assert len(log(page, "say")) == said, "nothing is said while paused"
    page.keyboard.press("Space")  # resume
    page.clock.run_for(100)
    again = log(page, "say")[said]["text"]
    assert again == f"{SITE.stretches[0].title}. Hold, {shown} seconds left.", again
    expected = expected_steps(SITE, UNDER.id, walk=False)
    page.clock.run_for(sum(s["seconds"] for s in expected) * 1000 + 300_000)
    finish = page.evaluate("window.__finish")
    steps = page.evaluate("window.__steps")
    assert finish["spent"] == finish["total"] == sum(s["duration"] for s in steps)
    assert_one_voice(page)


def test_previous_and_next_at_the_edges(page, http_root):
    expected = expected_steps(SITE, UNDER.id)
    start(page, http_root + "timer/")
    page.clock.run_for(30_000)
    page.get_by_role("button", name="Back").click()  # on the first step: starts it over
    assert step_index(page) == 0
    assert page.locator(CLOCK).inner_text() == clock_text(expected[0]["seconds"])
    for n in range(1, len(expected)):
        page.get_by_role("button", name="Next").click()
        assert step_index(page) == n
    page.get_by_role("button", name="Back").click()
    assert step_index(page) == len(expected) - 2
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # past the last step: the finish screen
    assert page.locator("[data-view=finish]").is_visible()
    assert page.problems == []


def test_restart_asks_first_and_sits_away_from_pause(page, http_root):
    start(page, http_root + "timer/?walk=0")
    page.clock.run_for(30_000)
    at = step_index(page)
    pause = page.get_by_role("button", name="Pause").bounding_box()
    over = page.get_by_role("button", name="Start over…")
    box = over.bounding_box()
    assert box["y"] - (pause["y"] + pause["height"]) > 100, (pause, box)
    over.click()
    assert state(page) == "running" and step_index(page) == at  # asking changes nothing
    page.get_by_role("button", name="Keep going").click()
    assert page.get_by_role("button", name="Yes, start over").is_hidden()
    assert state(page) == "running" and step_index(page) == at
    over.click()
    page.get_by_role("button", name="Yes, start over").click()
    assert state(page) == "idle" and step_index(page) == 0
    assert page.get_by_role("button", name="Start", exact=True).is_visible()


def test_finish_screen_shows_only_the_finish(page, http_root):
    start(page, http_root + "timer/?walk=0")
    page.clock.run_for(3_000_000)
    assert state(page) == "finished"
    for gone in ("[data-view=stage]", "[data-view=run]", "[data-view=preset]"):
        assert page.locator(gone + ":visible").count() == 0, gone
    finish = page.locator("[data-view=finish]")
    assert finish.is_visible()
    finish.get_by_role("button", name="Do it again").click()
    assert state(page) == "idle"
    assert page.locator("[data-view=stage]").is_visible()


def _hide(page, state_name: str = "hidden"):
    page.evaluate(
        """s => {
          const set = (name, value) =>
            Object.defineProperty(document, name, {value, configurable: true});
          set('visibilityState', s);
          set('hidden', s === 'hidden');
          document.dispatchEvent(new Event('visibilitychange'));
        }""",
        state_name,
    )


def test_hidden_without_the_cue_track_pauses_at_the_interrupted_step(page, http_root):
    start(page, http_root + "timer/?walk=0&track=0")
    page.clock.run_for(30_000)
    at = step_index(page)
    title = page.locator("[data-view=title]").inner_text()
    _hide(page)
    page.clock.fast_forward(200_000)  # JavaScript timers stop with the screen off
    _hide(page, "visible")
    assert state(page) == "paused"
    assert step_index(page) == at
    steps = page.evaluate("window.__steps")
    start_of_step = next(s for s in steps if s["index"] == at)["duration"]
    assert page.locator(CLOCK).inner_text() == str(start_of_step)
    alert = page.locator("[data-view=alert]")
    assert alert.is_visible() and "background" in alert.inner_text()
    page.clock.run_for(1_000)
    assert log(page, "say")[-1]["text"] == f"{alert.inner_text()} {title}."
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(100)
    assert alert.is_hidden() and state(page) == "running"


def test_frozen_page_is_handled_like_a_hidden_one(page, http_root):
    start(page, http_root + "timer/?walk=0&track=0")
    page.clock.run_for(30_000)
    at = step_index(page)
    page.evaluate("document.dispatchEvent(new Event('freeze'))")
    page.clock.fast_forward(200_000)
    page.evaluate("document.dispatchEvent(new Event('resume'))")
    assert state(page) == "paused" and step_index(page) == at
    assert page.locator("[data-view=alert]").is_visible()


def test_hidden_with_the_cue_track_playing_says_where_you_are(page, http_root):
    start(page, http_root + "timer/?walk=0")
    page.wait_for_function("() => window.__media && !window.__media.paused")
    page.clock.run_for(30_000)
    _hide(page)
    assert page.evaluate("window.__media.muted") is False  # the track now plays the tones
    page.clock.fast_forward(200_000)
    _hide(page, "visible")
    assert page.evaluate("window.__media.muted") is True
    assert state(page) == "running"
    left = int(page.locator(CLOCK).inner_text())
    page.clock.run_for(1_000)
    now = page.evaluate("window.__steps")[-1]
    last = log(page, "say")[-1]["text"]
    assert last.startswith(now["title"]), last
    assert any(f"{n} seconds left" in last for n in (left, left + 1)), (left, last)


def test_cue_track_stopped_by_the_system_counts_as_not_heard(page, http_root):
    start(page, http_root + "timer/?walk=0")
    page.wait_for_function("() => window.__media && !window.__media.paused")
    page.clock.run_for(30_000)
    at = step_index(page)
    _hide(page)
    page.evaluate("window.__media.pause()")  # as a phone does on a call
    page.clock.fast_forward(200_000)
    _hide(page, "visible")
    assert state(page) == "paused" and step_index(page) == at


def test_long_jump_mid_hold_lands_on_the_right_step(page, http_root):
    """A throttled tab within one step: the display is right, missed words are replaced by where."""
    start(page, http_root + f"timer/?age={OVER.id}&walk=0")
    page.clock.run_for(35_000)
    steps = page.evaluate("window.__steps")
    hold = next(s for s in steps if s["kind"] == "hold")
    assert step_index(page) == hold["index"]
    _hide(page)
    page.clock.fast_forward(20_000)
    _hide(page, "visible")
    assert step_index(page) == hold["index"] and state(page) == "running"
    page.clock.run_for(1_000)
    said = [s["text"] for s in log(page, "say")]
    assert said[-1].startswith(hold["title"]) and "seconds left" in said[-1], said[-3:]
    assert "Halfway." not in said, "a stale cue is not said late"


def test_reload_offers_to_resume_at_the_same_step(page, http_root):
    start(page, http_root + "timer/?walk=1")
    page.clock.run_for(300_000)  # five minutes in
    at = step_index(page)
    kind = page.locator("[data-view=kind]").text_content()  # as written, not as CSS shows it
    title = page.locator("[data-view=title]").inner_text()
    left = int(page.locator(CLOCK).inner_text())
    page.reload()
    offer = page.locator("[data-view=resume]")
    assert offer.is_visible()
    assert page.get_by_role("button", name="Start", exact=True).is_hidden(), "a choice first"
    assert page.locator("[data-view=title]").inner_text() == title
    # The step's kind as the screen and the catalogue write it: no case changed
    # in code (a language may capitalise its nouns).
    assert title in offer.inner_text() and f". {kind}, " in offer.inner_text()
    # Saved on pagehide; a killed tab has lost at most the last 5 s (saved every 5 s).
    assert any(f"0:{n:02d} left" in offer.inner_text() for n in range(left, left + 6))
    offer.get_by_role("button", name="Resume").click()
    page.wait_for_function("() => document.getElementById('timer').dataset.state === 'running'")
    assert step_index(page) == at
    assert 0 <= int(page.locator(CLOCK).inner_text()) - left <= 5
    page.clock.run_for(100)
    assert log(page, "say")[-1]["text"].startswith(title)
    page.reload()
    page.locator("[data-view=resume]").get_by_role("button", name="Start over").click()
    assert page.locator("[data-view=resume]").is_hidden()
    page.reload()
    assert page.locator("[data-view=resume]").is_hidden(), "declined once, not offered again"


MEDIA = """
window.__handlers = {};
if (navigator.mediaSession) {
  const set = navigator.mediaSession.setActionHandler.bind(navigator.mediaSession);
  navigator.mediaSession.setActionHandler = (name, f) => {
    window.__handlers[name] = f;
    set(name, f);
  };
}
"""


def test_media_session_controls_drive_the_timer(page, http_root):
    start(page, http_root + "timer/?walk=0", MEDIA)
    page.clock.run_for(2_000)
    handlers = page.evaluate("Object.keys(window.__handlers)")
    assert {"play", "pause", "previoustrack", "nexttrack"} <= set(handlers)
    meta = page.evaluate(
        "(({title, album, artwork}) => ({t: title, a: album, art: artwork.length}))"
        "(navigator.mediaSession.metadata)"
    )
    assert meta["t"] == SITE.stretches[0].title and meta["art"] >= 1
    page.evaluate("window.__handlers.pause()")
    assert state(page) == "paused"
    assert page.evaluate("navigator.mediaSession.playbackState") == "paused"
    page.evaluate("window.__handlers.play()")
    page.wait_for_function("() => document.getElementById('timer').dataset.state === 'running'")
    at = step_index(page)
    page.evaluate("window.__handlers.nexttrack()")
    assert step_index(page) == at + 1
    page.evaluate("window.__handlers.previoustrack()")
    assert step_index(page) == at
    page.clock.run_for(40_000)
    one_sided = page.evaluate("navigator.mediaSession.metadata.title")
    assert one_sided.startswith(SITE.stretches[0].title)


WAKE_LOCK = """
window.__locks = [];
window.__grant = [];
Object.defineProperty(navigator, "wakeLock", { configurable: true, value: {
  request: () => new Promise((resolve) => window.__grant.push(() => {
    const lock = new EventTarget();
    lock.released = false;
    lock.release = () => {
      lock.released = true;
      lock.dispatchEvent(new Event("release"));
      return Promise.resolve();
    };
    window.__locks.push(lock);
    resolve(lock);
  })),
}});
"""


def test_wake_lock_start_then_pause_before_it_is_granted(page, http_root):
    start(page, http_root + "timer/?walk=0", WAKE_LOCK)
    page.keyboard.press("Space")  # pause while the lock is still being granted
    assert state(page) == "paused"
    page.evaluate("window.__grant.forEach((g) => g())")
    assert page.evaluate("window.__locks.map((l) => l.released)") == [True]
    page.keyboard.press("Space")  # resume: asked for again
    page.wait_for_function("() => window.__grant.length === 2")
    page.evaluate("window.__grant[1]()")
    assert page.evaluate("window.__locks.map((l) => l.released)") == [True, False]
    # The browser drops it when the page is hidden; back, it is asked for again.
    _hide(page)
    page.evaluate("window.__locks[1].release()")
    _hide(page, "visible")
    page.wait_for_function("() => window.__grant.length === 3")
    page.evaluate("window.__grant[2]()")
    page.get_by_role("button", name="Next").click()
    page.clock.run_for(3_000_000)
    assert state(page) == "finished"
    assert page.evaluate("window.__locks.map((l) => l.released)") == [True, True, True]


AUDIO = """
window.__contexts = [];
const Base = window.AudioContext;
window.AudioContext = class extends Base {
  constructor(...a) {
    super(...a);
    window.__contexts.push(this);
  }
};
"""


def test_audio_is_resumed_after_an_interruption(page, http_root):
    start(page, http_root + "timer/?walk=0", AUDIO)
    page.wait_for_function("() => window.__contexts[0].state === 'running'")
    page.evaluate("window.__contexts[0].suspend()")
    page.wait_for_function("() => window.__contexts[0].state === 'suspended'")
    _hide(page)
    _hide(page, "visible")
    page.wait_for_function("() => window.__contexts[0].state === 'running'")
    beeps = len(log(page, "beep"))
    page.clock.run_for(40_000)
    assert len(log(page, "beep")) > beeps, "tones sound again"


NO_EXTRAS = """
for (const name of ["vibrate", "mediaSession", "wakeLock"]) {
  Object.defineProperty(Navigator.prototype, name, { value: undefined, configurable: true });
}
window.MediaMetadata = undefined;
"""


def test_runs_without_vibration_media_session_or_wake_lock(page, http_root):
    start(page, http_root + "timer/?walk=0", NO_EXTRAS)
    assert page.evaluate("navigator.vibrate === undefined && navigator.mediaSession === undefined")
    page.clock.run_for(3_000_000)
    assert state(page) == "finished"
    assert page.problems == []


def test_wait_for_me_waits_for_a_tap_before_each_new_stretch(page, http_root):
    open_timer(page, http_root + "timer/?walk=0&wait=1")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_function("() => document.getElementById('timer').dataset.state === 'waiting'")
    page.clock.run_for(1_000)
    assert state(page) == "waiting"
    page.clock.run_for(600_000)
    assert state(page) == "waiting" and step_index(page) == 0
    said = [s["text"] for s in log(page, "say")]
    assert said[-1] == "Tap, or press play, when you are in position."
    page.get_by_role("button", name="Ready", exact=True).click()
    page.clock.run_for(2_000)
    assert state(page) == "running" and page.locator("#timer").get_attribute("data-kind") == "hold"
    assert any(b["hz"] == START_HZ for b in log(page, "beep"))
    page.clock.run_for(SITE.age_groups[0].hold * 1000 + 5_000)
    assert state(page) == "waiting", "the next stretch waits too"
    assert page.locator("[data-view=title]").inner_text() == SITE.stretches[1].title
    assert_one_voice(page)


def test_screen_reader_hears_each_change_once(page, http_root):
    live = page.locator("[data-view=live]")
    start(page, http_root + "timer/?walk=0")
    page.clock.run_for(60_000)
    assert live.inner_text() == "", "the voice speaks; the live region stays quiet"
    page.goto(http_root + "timer/?walk=0&voice=0")
    page.locator("[data-view=resume]").get_by_role("button", name="Start over").click()
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_function("() => document.getElementById('timer').dataset.state === 'running'")
    page.clock.run_for(1_000)
    assert live.inner_text().startswith("Next: " + SITE.stretches[0].title)
    assert log(page, "say") == [] or all(s["t"] < 0 for s in log(page, "say"))


def test_voice_rate_and_voice_are_remembered(page, http_root):
    open_timer(page, http_root + "timer/")
    names = page.locator("#set-speaker option").all_inner_texts()
    assert "Test English" in names and "Test Other English" in names
    assert "Test French" not in names, "only voices for the page's language"
    page.locator("#set-rate").select_option("1.25")
    page.locator("#set-speaker").select_option("Test Other English")
    page.reload()
    assert page.locator("#set-rate").input_value() == "1.25"
    assert page.locator("#set-speaker").input_value() == "Test Other English"
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_function("() => document.getElementById('timer').dataset.state === 'running'")
    page.clock.run_for(5_000)
    said = log(page, "say")
    assert said and all(s["rate"] == 1.25 and s["voice"] == "Test Other English" for s in said)


def test_javascript_before_the_first_tap_fits_the_budget(page, http_root):
    """The page's real requests: at most 12 KB of JavaScript, gzipped, before the first tap."""
    import gzip

    sizes = {}
    page.on("response", lambda r: r.url.endswith(".js") and sizes.setdefault(r.url, r))
    page.goto(http_root + "timer/")
    page.wait_for_load_state("networkidle")
    before = {url: len(gzip.compress(r.body(), 9)) for url, r in sizes.items()}
    total = sum(before.values())
    print(f"timer JavaScript before the first tap: {total} bytes gzipped in {len(before)} files")
    assert total <= 12 * 1024, before
    assert not any("run.js" in u or "sound.js" in u for u in before), "loaded on the first tap"
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_function("() => document.getElementById('timer').dataset.state === 'running'")
    later = {url: len(gzip.compress(sizes[url].body(), 9)) for url in sizes if url not in before}
    assert any(u.endswith("/run.js") for u in later) and any(u.endswith("/sound.js") for u in later)
    print(f"loaded on the first tap: {sum(later.values())} bytes gzipped in {len(later)} files")


@pytest.mark.parametrize(
    ("stored", "query", "words"),
    [
        ("{not json", "", "could not be read"),
        (json.dumps({"ready": -3, "age": "old-group", "sound": "loud"}), "", "ready"),
        (None, "?age=99-plus&switch=NaN", "age"),
        (None, "?ready=61&rate=9", "ready"),
    ],
)
def test_bad_settings_fall_back_with_a_visible_note(page, http_root, stored, query, words):
    if stored is not None:
        page.goto(http_root + "timer/")
        page.evaluate("v => localStorage.setItem('stretchsite:timer-settings', v)", stored)
    page.goto(http_root + "timer/" + query)
    note = page.locator("#timer-note")
    assert note.is_visible() and words in note.inner_text()
    assert page.locator("#set-age").input_value() == UNDER.id
    assert page.locator("#set-ready").input_value() == str(SITE.timer.get_ready)
    assert page.locator("#set-switch").input_value() == str(SITE.timer.switch_sides)


def test_no_layout_shift_while_running(page, http_root):
    """Nothing moves as the steps change on their own (CLS counts shifts without input)."""
    page.clock.install()
    page.add_init_script(RECORDER)
    page.goto(http_root + "timer/?walk=0&dose=max")
    page.evaluate(
        """window.__shift = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
        }).observe({ type: "layout-shift", buffered: true });"""
    )
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_function("() => document.getElementById('timer').dataset.state === 'running'")
    page.wait_for_timeout(600)  # out of the window in which a shift counts as caused by input
    for _ in range(14):
        page.clock.run_for(25_000)
        page.wait_for_timeout(50)  # let a frame render, so a shift would be recorded
    assert step_index(page) >= 8
    assert page.evaluate("window.__shift") < 0.001


def test_offline_after_one_visit_under_a_project_path(browser, repo_site: Path):
    server, base = serve_folder(repo_site, "/repo/")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(base + "timer/")
        scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
        assert scope == base
        # Functions, not bare expressions: Playwright evals those, which the CSP forbids.
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        server.shutdown()
        server.server_close()
        context.set_offline(True)
        page.reload()
        start_button = page.get_by_role("button", name="Start", exact=True)
        start_button.click()
        page.wait_for_function(
            "() => document.querySelector('[data-view=clock]').textContent !== '3:00'",
            timeout=5000,
        )
        assert page.locator("#timer").get_attribute("data-state") == "running"
        page.goto(base + f"stretches/{SITE.stretches[-1].slug}/")  # never visited
        assert page.get_by_role("heading", level=1).inner_text() == SITE.stretches[-1].title
    finally:
        context.close()
        server.shutdown()  # again, if the test stopped before going offline
        server.server_close()


FIRST_HZ = {"start": 880, "tick": 660, "end": 784, "switch": 587}  # a tone's first beep


def track_onsets(wav: bytes) -> list[tuple[float, int]]:
    """(seconds, Hz) of every beep in an 8-bit mono WAV: sound after 30 ms of silence."""
    import io
    import wave

    with wave.open(io.BytesIO(wav)) as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 1)
        rate = w.getframerate()
        samples = w.readframes(w.getnframes())
    onsets, last = [], -rate
    for found in re.finditer(rb"[^\x7e-\x82]", samples):  # 128 is silence
        i = found.start()
        if i - last >= 0.03 * rate:
            # Pitch from sign changes in 50 ms, after the fade-in.
            beep = samples[i + int(0.02 * rate) : i + int(0.07 * rate)]
            window = [x - 128 for x in beep if x != 128]
            changes = sum(a * b < 0 for a, b in pairwise(window))
            onsets.append((i / rate, round(changes / 2 / 0.05)))
        last = i
    return onsets


@pytest.mark.parametrize("age", [UNDER.id, OVER.id])
def test_cue_track_carries_every_tone_at_its_time(browser, http_root, age):
    """What plays while the page is hidden: every tone of the routine, each within 50 ms."""
    # Without the page policy only so that the test can read the track's blob: back.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    start(page, http_root + f"timer/?age={age}&walk=0")
    page.wait_for_function("() => window.__media && window.__media.src.startsWith('blob:')")
    data_url = page.evaluate(
        """() => fetch(window.__media.src).then((r) => r.blob()).then((blob) =>
          new Promise((done) => {
            const reader = new FileReader();
            reader.onload = () => done(reader.result);
            reader.readAsDataURL(blob);
          }))"""
    )
    wav = base64.b64decode(data_url.split(",", 1)[1])
    page.clock.run_for(3_600_000)
    steps = page.evaluate("window.__steps")
    assert [shape(s) for s in steps] == [shape(s) for s in expected_steps(SITE, age, walk=False)]
    planned = [(s["start"] + t["at"], t["name"]) for s in steps for t in s["tones"]]
    heard = track_onsets(wav)
    assert len(heard) >= len(planned)
    for at, name in planned:
        near = [hz for t, hz in heard if abs(t - at) <= 0.05]
        assert near, f"no tone within 50 ms of {at:.3f} s ({name})"
        assert abs(near[0] - FIRST_HZ[name]) <= 25, (at, name, near)
    # Independently of the plan: each hold starts with the hold tone, each ends with one.
    for step in steps[:-1]:  # the last hold ends in the finish, after the track
        if step["kind"] == "hold":
            assert any(abs(t - step["start"]) <= 0.05 and abs(hz - 880) <= 25 for t, hz in heard)
            end = step["start"] + step["duration"]
            assert any(abs(t - end) <= 0.05 for t, hz in heard), end
    # Nothing else in it: every beep belongs to a planned tone.
    starts = [at for at, _ in planned]
    for t, hz in heard:
        assert any(-0.05 <= t - at <= 0.65 for at in starts), (t, hz)
    assert page.problems == []
    context.close()
