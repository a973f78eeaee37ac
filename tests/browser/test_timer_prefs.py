"""The timer and the runner's choices (issue 14): the age group chosen on any
page, the equipment they have (remembered, or from a coach's link), the plan
shown before Start, and the history recorded when a routine finishes.

On Playwright's clock; the timer's own rules are tested in test_timer.py.
"""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest

from ..helpers import OVER, RECORDER, UNDER
from ..helpers import TIMER_SITE as SITE

pytestmark = pytest.mark.browser

PREFS_KEY = "stretchsite:prefs"
HISTORY_KEY = "stretchsite:history"
ROLLER = next(s for s in SITE.stretches if "foam-roller" in s.needs)
BARE = [s for s in SITE.stretches if not s.needs]  # need no equipment at all
SHORT = next(iter(BARE))
PLAN = "#timer-plan"


def open_timer(context, url: str, now: datetime | None = None):
    page = context.new_page()
    page.clock.install(time=now) if now else page.clock.install()
    page.add_init_script(RECORDER)
    page.goto(url)
    page.wait_for_function("() => document.getElementById('timer-plan').textContent.trim()")
    return page


def prefs(page) -> dict | None:
    return json.loads(page.evaluate(f"localStorage.getItem('{PREFS_KEY}')") or "null")


def plan(page) -> tuple[int, str]:
    """("4 stretches, 9:25") as (4, "9:25")."""
    count, length = page.locator(PLAN).inner_text().split(", ")
    return int(count.split()[0]), length


def run_to_the_end(page):
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_function("() => document.getElementById('timer').dataset.state === 'running'")
    page.clock.run_for(3_600_000)
    page.wait_for_function("() => document.getElementById('timer').dataset.state === 'finished'")


def stretches_run(page) -> list[str]:
    return list(dict.fromkeys(s["slug"] for s in page.evaluate("window.__steps") if s.get("slug")))


def hold_seconds(page) -> set[int]:
    return {s["duration"] for s in page.evaluate("window.__steps") if s["kind"] == "hold"}


def test_age_chosen_on_home_opens_the_timer_with_its_hold(browser, http_root):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(http_root)
    page.get_by_role("radio", name=OVER.label, exact=True).check()
    page.get_by_role("link", name="Start the timer").click()
    page.wait_for_url("**/timer/")
    page.close()
    page = open_timer(context, http_root + "timer/")
    assert looks_pressed(page, OVER) and not looks_pressed(page, UNDER)
    assert page.locator("#set-age").input_value() == OVER.id
    page.reload()
    assert page.locator("#set-age").input_value() == OVER.id
    run_to_the_end(page)
    assert hold_seconds(page) == {OVER.hold}
    # A restarted browser with this device's storage: the same.
    fresh = browser.new_context(
        viewport={"width": 390, "height": 844}, storage_state=context.storage_state()
    )
    context.close()
    page = open_timer(fresh, http_root + "timer/")
    assert page.locator("#set-age").input_value() == OVER.id
    # Changed on the timer: every page follows.
    page.get_by_role("button", name=f"{UNDER.label}: {UNDER.hold} s holds").click()
    assert prefs(page)["age"] == UNDER.id
    page.goto(http_root + "stretches/calf-stretch/")
    assert page.get_by_role("radio", name=UNDER.label, exact=True).is_checked()
    fresh.close()


def looks_pressed(page, group) -> bool:
    """The group's button on the timer is drawn pressed (filled), script or not."""
    button = page.locator(f'.timer-age[data-age="{group.id}"]')
    return button.evaluate("b => getComputedStyle(b).backgroundColor") != "rgba(0, 0, 0, 0)"


def late(route):
    """Answer half a second late: a script arriving after the first paint."""
    time.sleep(0.5)
    route.continue_()


@pytest.mark.parametrize(("query", "shown"), [("", OVER), (f"?age={UNDER.id}", UNDER)])
def test_timer_shows_the_right_hold_from_the_first_paint(browser, http_root, query, shown):
    context = browser.new_context(viewport={"width": 390, "height": 3000})
    context.add_init_script(
        f"localStorage.setItem('{PREFS_KEY}', "
        f"JSON.stringify({{age: '{OVER.id}', without: ['foam-roller']}}));"
        # Shifts of the timer's own "0:00 left of 0:00" line are the timer's, with or
        # without choices (it fills that line when its script runs): not counted here.
        "window.__shifts = []; new PerformanceObserver((l) => l.getEntries()"
        ".filter((e) => e.sources.some((s) => !s.node || !s.node.parentElement"
        "  || !s.node.parentElement.closest('.timer-progress')))"
        ".forEach((e) => window.__shifts.push(e.value)))"
        ".observe({type: 'layout-shift', buffered: true});"
    )
    page = context.new_page()
    page.route("**/js/timer/*.js", lambda route: route.abort())
    page.route("**/js/timer-prefs.js", lambda route: route.abort())
    page.goto(http_root + "timer/" + query)
    for group in SITE.age_groups:
        assert looks_pressed(page, group) == (group == shown)
    assert page.get_by_text(f"Left out: {ROLLER.title}").is_visible()
    # The scripts arriving late move nothing on the page.
    page.unroute_all()
    page.route("**/js/timer-prefs.js", late)
    page.reload()
    page.wait_for_function("() => document.getElementById('timer-plan').textContent.trim()")
    page.evaluate("new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)))")
    for group in SITE.age_groups:
        assert looks_pressed(page, group) == (group == shown)
    assert page.evaluate("window.__shifts") == []
    context.close()


def test_equipment_changes_the_steps_and_the_total_before_start(browser, http_root):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = open_timer(context, http_root + "timer/")
    total = page.locator("[data-view=total-time]")
    count, length = plan(page)
    assert (count, length) == (len(SITE.stretches), total.inner_text())
    page.get_by_role("checkbox", name="Foam roller").uncheck()
    page.locator(PLAN).filter(has_text=f"{len(SITE.stretches) - 1} stretches").wait_for()
    fewer, shorter = plan(page)
    assert fewer == len(SITE.stretches) - 1
    assert shorter == total.inner_text() and shorter != length
    assert page.get_by_text(f"Left out: {ROLLER.title}").is_visible()
    page.reload()  # remembered
    assert plan(page) == (fewer, shorter)
    run_to_the_end(page)
    assert stretches_run(page) == [s.slug for s in SITE.stretches if s is not ROLLER]
    # Recorded once the history code has loaded, just after the finish screen shows.
    page.locator("#timer-habit").filter(has_text="This week").wait_for()
    history = json.loads(page.evaluate(f"localStorage.getItem('{HISTORY_KEY}')"))
    assert [e["stretches"] for e in history] == [stretches_run(page)]
    context.close()


@pytest.mark.parametrize(
    ("query", "left_out", "note"),
    [
        ("?have=table,step", [ROLLER], ""),
        (f"?skip={SITE.stretches[-1].slug}", [SITE.stretches[-1]], ""),
        ("?have=none", [s for s in SITE.stretches if s.needs], ""),
        ("?have=table,step,stool", [ROLLER], "stool"),
    ],
)
def test_a_coach_link_sets_the_routine_for_the_visit(browser, http_root, query, left_out, note):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = open_timer(context, http_root + "timer/" + query)
    assert plan(page)[0] == len(SITE.stretches) - len(left_out)
    page.wait_for_function("() => document.querySelector('[data-prefs-view=left-out]').textContent")
    text = page.locator("[data-prefs-view=left-out]").inner_text()
    assert [s.title for s in SITE.stretches if s.title in text] == [s.title for s in left_out]
    bad = page.locator("[data-prefs-view=bad]")
    assert bad.is_visible() == bool(note) and note in bad.inner_text()
    assert prefs(page) is None  # the link's choice is not saved on the device
    run_to_the_end(page)
    assert stretches_run(page) == [s.slug for s in SITE.stretches if s not in left_out]
    context.close()


def test_finishing_records_history_and_counts_the_streak(browser, http_root):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    skip = ",".join(s.slug for s in SITE.stretches if s is not SHORT)
    url = http_root + f"timer/?skip={skip}&walk=0"
    # Monday to Wednesday of one week, then Friday: the streak restarts.
    days = [datetime(2026, 11, d, 18, 30) for d in (23, 24, 25, 27)]
    shown = []
    for day in days:
        page = open_timer(context, url, day)
        run_to_the_end(page)
        habit = page.locator("#timer-habit")
        habit.filter(has_text="This week").wait_for()
        shown.append(habit.inner_text())
        page.close()
    assert shown == [
        "This week: 1 session. Streak: 1 day.",
        "This week: 2 sessions. Streak: 2 days.",
        "This week: 3 sessions. Streak: 3 days.",
        "This week: 4 sessions. Streak: 1 day.",
    ]
    page = context.new_page()
    page.clock.set_fixed_time(days[-1])
    page.goto(http_root)
    history = json.loads(page.evaluate(f"localStorage.getItem('{HISTORY_KEY}')"))
    assert [e["date"] for e in history] == [d.strftime("%Y-%m-%d") for d in days]
    assert all(e["stretches"] == [SHORT.slug] and e["age"] == UNDER.id for e in history)
    assert all(0 < e["seconds"] < 600 for e in history)
    assert page.locator("[data-habit-stats]").inner_text() == shown[-1]
    context.close()
