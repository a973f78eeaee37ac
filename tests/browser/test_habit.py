"""The runner's habit on the home page (issue 14): this week's sessions and the
streak, the history as a file (export, import, clear) and a calendar reminder
made on the device, checked with the `icalendar` package (RFC 5545)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

pytestmark = pytest.mark.browser

HISTORY_KEY = "stretchsite:history"
PREFS_KEY = "stretchsite:prefs"
# A Thursday afternoon, local time: the week began on Monday the 23rd.
NOW = datetime(2026, 11, 26, 15, 0)


def session(day: datetime, stretches=("calf-stretch",), seconds=600) -> dict:
    at = day.replace(hour=7, minute=30)
    return {"at": at.strftime("%Y-%m-%dT%H:%M:00.000Z"), "date": at.strftime("%Y-%m-%d"),
            "seconds": seconds, "age": "under-40", "stretches": list(stretches)}  # fmt: skip


def open_home(browser, http_root, history=None, prefs=None, now=NOW):
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    seed = json.dumps({HISTORY_KEY: history, PREFS_KEY: prefs})
    context.add_init_script(
        f"if (!sessionStorage.seeded) {{ sessionStorage.seeded = 1; const s = {seed};"
        " for (const k in s) if (s[k]) localStorage.setItem(k, JSON.stringify(s[k])); }"
    )
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.clock.set_fixed_time(now)
    page.goto(http_root)
    return context, page


def stats(page) -> str:
    return page.locator("[data-habit-stats]").inner_text()


def stored(page) -> list[dict]:
    return json.loads(page.evaluate(f"localStorage.getItem('{HISTORY_KEY}')") or "[]")


def test_week_and_streak_count_local_days(browser, http_root):
    days = [NOW - timedelta(days=n) for n in (0, 1, 2, 4, 8)]  # Thu, Wed, Tue, Sun, last Wed
    history = [session(d) for d in days] + [session(NOW - timedelta(days=1))]  # twice on Wed
    history[-1]["at"] = history[-1]["at"].replace("07:30", "19:00")
    context, page = open_home(browser, http_root, history)
    # Mon-Thu this week: Tue, Wed twice, Thu = 4 sessions; streak Tue-Wed-Thu = 3 days.
    assert stats(page) == "This week: 4 sessions. Streak: 3 days."
    context.close()
    # The next day, nothing yet: the streak is still alive until the day ends.
    context, page = open_home(browser, http_root, history, now=NOW + timedelta(days=1))
    assert stats(page) == "This week: 4 sessions. Streak: 3 days."
    context.close()
    context, page = open_home(browser, http_root, history, now=NOW + timedelta(days=2))
    assert stats(page) == "This week: 4 sessions. Streak: 0 days."
    context.close()
    context, page = open_home(browser, http_root)
    assert stats(page) == "Nothing recorded in this browser yet."
    assert page.problems == []
    context.close()


def test_export_clear_import_round_trips(browser, http_root, tmp_path):
    history = [
        session(NOW - timedelta(days=n), ("calf-stretch", "hip-hinge-rock-back")) for n in range(3)
    ]
    history.sort(key=lambda e: e["at"])
    context, page = open_home(browser, http_root, history)
    page.locator("#habit > summary").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Export to a file").click()
    exported = tmp_path / info.value.suggested_filename
    info.value.save_as(exported)
    assert exported.suffix == ".json"
    assert json.loads(exported.read_text())["entries"] == history

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear history").click()
    assert stored(page) == []
    assert stats(page) == "Nothing recorded in this browser yet."

    page.locator("[data-habit-import]").set_input_files(exported)
    page.get_by_role("status").filter(has_text="Imported 3 new sessions").wait_for()
    assert stored(page) == history
    assert stats(page).startswith("This week: 3 sessions")
    # Importing the same file again adds nothing: sessions are never doubled.
    page.locator("[data-habit-import]").set_input_files(exported)
    page.get_by_role("status").filter(has_text="Imported 0 new sessions").wait_for()
    assert stored(page) == history

    # A file that is not a history changes nothing and says so in one line.
    bad = tmp_path / "notes.json"
    bad.write_text('{"entries": "x"}')
    page.locator("[data-habit-import]").set_input_files(bad)
    page.get_by_role("status").filter(has_text="not a history exported from this site").wait_for()
    damaged = tmp_path / "damaged.json"
    data = json.loads(exported.read_text())
    data["entries"][1]["seconds"] = "ten"
    damaged.write_text(json.dumps(data))
    page.locator("[data-habit-import]").set_input_files(damaged)
    page.get_by_role("status").filter(has_text="damaged; nothing was imported").wait_for()
    assert stored(page) == history

    # Declining the confirmation keeps everything.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Clear history").click()
    assert stored(page) == history
    assert page.problems == []
    context.close()


def test_clearing_one_session_asks_in_the_singular(browser, http_root):
    context, page = open_home(browser, http_root, [session(NOW)])
    page.locator("#habit > summary").click()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Clear history").click()
    page.get_by_role("status").filter(has_text="History cleared").wait_for()
    assert "1 session " in asked[0] and "sessions" not in asked[0], asked
    assert stored(page) == []
    context.close()


def test_reminder_is_a_valid_repeating_calendar_file(browser, http_root, tmp_path):
    prefs = {"age": "40-plus", "without": ["foam-roller"]}
    context, page = open_home(browser, http_root, prefs=prefs)
    page.locator("#habit > summary").click()
    days = page.locator("input[name=day]")
    for i in range(days.count()):
        days.nth(i).set_checked(i in (1, 3))  # Tuesday and Thursday
    page.get_by_label("Time of day").fill("06:45")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the reminder (.ics)").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    raw = path.read_bytes()
    assert path.suffix == ".ics"
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines), "RFC 5545 3.1: fold lines at 75 octets"

    calendar = Calendar.from_ical(raw)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] and event["DTSTAMP"]
    start = event.decoded("DTSTART")
    assert start.tzinfo is None  # floating: 06:45 wherever the runner is
    # Thursday 15:00 now: Thursday's 06:45 is gone, so the first is next Tuesday.
    assert start == datetime(2026, 12, 1, 6, 45)
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["TU", "TH"]
    upcoming = list(rrulestr(rule.to_ical().decode(), dtstart=start)[:4])
    assert [d.strftime("%a %H:%M") for d in upcoming] == ["Tue 06:45", "Thu 06:45"] * 2
    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY" and alarm["DESCRIPTION"]
    assert alarm.decoded("TRIGGER") == timedelta(0)
    # It opens the runner's timer preset: their age group and the equipment they have.
    url = str(event["URL"])
    assert url.startswith(http_root + "timer/?")
    assert "age=40-plus" in url and "have=table%2Cstep" in url
    assert url in str(event["DESCRIPTION"])

    # No day chosen: one clear line, no file.
    for i in range(days.count()):
        days.nth(i).uncheck()
    page.get_by_role("button", name="Download the reminder (.ics)").click()
    page.get_by_role("status").filter(has_text="Choose at least one day.").wait_for()
    assert page.problems == []
    context.close()
