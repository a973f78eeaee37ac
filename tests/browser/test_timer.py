"""The timer page in Chromium, on virtual time (Playwright's clock), against the real content.

The expected sequences are derived here from the content files, independently
of static/js/timer/sequence.js, so a rule broken in either place shows up.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from stretchsite.content import Site, load_site
from stretchsite.generator import build_site

from ..conftest import ROOT, options_for, serve_folder

pytestmark = pytest.mark.browser
SITE = load_site(ROOT / "content")
CLOCK = "[data-view=clock]"

# Record every step the page enters and every text its countdown shows.
RECORDER = """
window.__steps = []; window.__clock = []; window.__finish = null;
document.addEventListener("timer:step", (e) => window.__steps.push(e.detail));
document.addEventListener("timer:finish", (e) => (window.__finish = e.detail));
document.addEventListener("DOMContentLoaded", () => {
  const el = document.querySelector("[data-view=clock]");
  new MutationObserver(() => window.__clock.push(el.textContent))
    .observe(el, { childList: true, characterData: true, subtree: true });
});
"""


def expected_steps(site: Site, age: str, dose: str = "min", easier: bool = False, walk: bool = True,
                   ready: int | None = None, switch: int | None = None) -> list[tuple]:  # fmt: skip
    """(kind, title, side, count, of, seconds) for every step, from the content data."""
    ready = site.timer.get_ready if ready is None else ready
    switch = site.timer.switch_sides if switch is None else switch
    group = next(g for g in site.age_groups if g.id == age)
    steps = []
    if walk:
        steps.append(("walk", site.cooldown.title, "", 0, 0, site.cooldown.minutes * 60))
    for s in site.stretches:
        rounds = getattr(s.dose, dose)
        hold = group.hold
        if easier and s.easier:
            hold = s.easier.hold_min if dose == "min" else s.easier.hold_max
        sides = s.side_names if s.one_sided else ("",)
        for count in range(1, rounds + 1):
            for n, side in enumerate(sides):
                gap = switch if n else ready
                if gap:
                    steps.append(("switch" if n else "ready", s.title, side, count, rounds, gap))
                steps.append(("hold", s.title, side, count, rounds, hold))
    return steps


def visited(page) -> list[tuple]:
    return [
        (s["kind"], s["title"], s.get("side", ""), s.get("count", 0), s.get("of", 0), s["duration"])
        for s in page.evaluate("window.__steps")
    ]


def clock_text(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def start(page, url: str):
    page.clock.install()
    page.add_init_script(RECORDER)
    page.goto(url)
    page.get_by_role("button", name="Start", exact=True).click()


def step_index(page) -> int:
    return int(page.locator("#timer").get_attribute("data-step"))


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory):
    """The real site built for a GitHub Pages project path."""
    out = tmp_path_factory.mktemp("repo") / "dist"
    build_site(options_for(ROOT, out=out, base_url="/repo/"))
    return out


CASES = [(g.id, "min", False) for g in SITE.age_groups] + [
    (SITE.age_groups[-1].id, "max", True),
]


@pytest.mark.parametrize(("age", "dose", "easier"), CASES)
def test_whole_routine_visits_the_expected_steps(page, http_root, age, dose, easier):
    expected = expected_steps(SITE, age, dose, easier)
    total = sum(step[-1] for step in expected)
    query = f"?age={age}&dose={dose}&easier={int(easier)}"
    start(page, http_root + "timer/" + query)
    page.clock.run_for(total * 1000 + 2000)
    assert visited(page) == expected
    finish = page.evaluate("window.__finish")
    assert finish == {"spent": total, "total": total}
    assert page.locator("[data-view=finish]").is_visible()
    assert page.locator("[data-view=spent]").inner_text() == clock_text(total)
    # Every countdown the page ever showed was a whole, non-negative number.
    shown = page.evaluate("window.__clock")
    assert shown and all(re.fullmatch(r"\d+(:[0-5]\d)?", t) for t in shown), set(shown)
    assert page.problems == []


def test_side_switch_only_for_one_sided_stretches_and_reps_are_counted(page, http_root):
    age = SITE.age_groups[0].id
    start(page, http_root + f"timer/?age={age}&walk=0&dose=max")
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
    switched = {s[1] for s in visited(page) if s[0] == "switch"}
    assert switched == {s.title for s in SITE.stretches if s.one_sided}
    for s in SITE.stretches:
        sides = {step[2] for step in visited(page) if step[1] == s.title}
        assert sides == (set(s.side_names) if s.one_sided else {""})
    assert seen_counts == [f"Rep {n} of {reps.dose.max}" for n in range(1, reps.dose.max + 1)]


def test_url_preset_wins_over_the_remembered_one(page, http_root):
    first, last = SITE.age_groups[0], SITE.age_groups[-1]
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


def test_pause_excludes_paused_time(page, http_root):
    start(page, http_root + "timer/?walk=0")
    page.clock.run_for(2500)
    page.keyboard.press("Space")  # pause
    shown = page.locator(CLOCK).inner_text()
    assert page.get_by_role("button", name="Resume").is_visible()
    page.clock.run_for(600_000)
    assert page.locator(CLOCK).inner_text() == shown
    assert step_index(page) == 0
    page.keyboard.press("Space")  # resume
    total = sum(s[-1] for s in expected_steps(SITE, SITE.age_groups[0].id, walk=False))
    page.clock.run_for(total * 1000)
    assert page.evaluate("window.__finish.spent") == total


def test_previous_and_next_at_the_edges(page, http_root):
    expected = expected_steps(SITE, SITE.age_groups[0].id)
    start(page, http_root + "timer/")
    page.clock.run_for(30_000)
    page.get_by_role("button", name="Back").click()  # on the first step: starts it over
    assert step_index(page) == 0
    assert page.locator(CLOCK).inner_text() == clock_text(expected[0][-1])
    for n in range(1, len(expected)):
        page.get_by_role("button", name="Next").click()
        assert step_index(page) == n
    page.get_by_role("button", name="Back").click()
    assert step_index(page) == len(expected) - 2
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # past the last step: the finish screen
    assert page.locator("[data-view=finish]").is_visible()
    assert page.get_by_role("button", name="Next").is_disabled()
    page.get_by_role("button", name="Restart").click()
    assert step_index(page) == 0
    assert page.get_by_role("button", name="Start", exact=True).is_visible()
    assert page.problems == []


def test_long_jump_mid_hold_lands_on_the_right_step(page, http_root):
    """A throttled or hidden tab gets one late timer: it must still show the truth."""
    expected = expected_steps(SITE, SITE.age_groups[-1].id, walk=False)
    start(page, http_root + f"timer/?age={SITE.age_groups[-1].id}&walk=0")
    page.clock.run_for(expected[0][-1] * 1000 + 3000)  # 3 s into the first hold
    assert step_index(page) == 1
    target = len(expected) - 3
    while expected[target][0] != "hold":
        target -= 1
    offset = sum(s[-1] for s in expected[:target])
    page.clock.fast_forward((offset + 7) * 1000 - (expected[0][-1] * 1000 + 3000))
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    assert step_index(page) == target
    assert page.locator(CLOCK).inner_text() == str(expected[target][-1] - 7)
    left = sum(s[-1] for s in expected) - offset - 7
    assert page.locator("[data-view=remaining]").inner_text() == clock_text(left)


@pytest.mark.parametrize(
    ("stored", "query", "words"),
    [
        ("{not json", "", "could not be read"),
        (json.dumps({"ready": -3, "age": "old-group", "sound": "loud"}), "", "ready"),
        (None, "?age=99-plus&switch=NaN", "age"),
    ],
)
def test_bad_settings_fall_back_with_a_visible_note(page, http_root, stored, query, words):
    if stored is not None:
        page.goto(http_root + "timer/")
        page.evaluate("v => localStorage.setItem('stretchsite:timer-settings', v)", stored)
    page.goto(http_root + "timer/" + query)
    note = page.locator("#timer-note")
    assert note.is_visible() and words in note.inner_text()
    assert page.locator("#set-age").input_value() == SITE.age_groups[0].id
    assert page.locator("#set-ready").input_value() == str(SITE.timer.get_ready)
    assert page.locator("#set-switch").input_value() == str(SITE.timer.switch_sides)
    total = sum(s[-1] for s in expected_steps(SITE, SITE.age_groups[0].id))
    assert page.locator("[data-view=total-time]").inner_text() == clock_text(total)


def test_no_layout_shift_while_running(page, http_root):
    """Nothing moves as the steps change on their own (CLS counts shifts without input)."""
    expected = expected_steps(SITE, SITE.age_groups[0].id, "max", walk=False)
    page.clock.install()
    page.goto(http_root + "timer/?walk=0&dose=max")
    page.evaluate(
        """window.__shift = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
        }).observe({ type: "layout-shift", buffered: true });"""
    )
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_timeout(600)  # out of the window in which a shift counts as caused by input
    for step in expected[:14]:
        page.clock.run_for(step[-1] * 1000)
        page.wait_for_timeout(50)  # let a frame render, so a shift would be recorded
    assert step_index(page) == 14
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
        server.shutdown()
