"""Tampered timer settings: odd URLs and stored values fall back with a note, never break the page.

tests/browser/test_timer.py covers unreadable storage, a negative gap, an
unknown age group and NaN. These add huge numbers, script text, values of the
wrong type, and names that every JavaScript object already has (`__proto__`,
`constructor`, `toString`), which a plain lookup table would mistake for a setting.
"""

from __future__ import annotations

import json
import re

import pytest

from stretchsite.content import load_site
from stretchsite.phrases import EN

from ..conftest import ROOT

pytestmark = pytest.mark.browser
SITE = load_site(ROOT / "content")
KEY = "stretchsite:timer-settings"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2) data-hostile>"
WATCH = """
window.__clock = [];
document.addEventListener("DOMContentLoaded", () => {
  const el = document.querySelector("[data-view=clock]");
  new MutationObserver(() => window.__clock.push(el.textContent))
    .observe(el, { childList: true, characterData: true, subtree: true });
});
"""

CASES = {
    "url script text": (None, f"?age={SCRIPT}&dose={IMG}&ready=-5", ["age", "dose", "ready"]),
    "url huge": (None, "?ready=99999999999999999999&switch=1e9&walk=maybe", ["ready", "switch"]),
    "url infinity": (None, "?ready=Infinity&switch=-0&easier=NaN", ["ready", "easier"]),
    "url object names": (None, "?__proto__=1&constructor=x&toString=y&hasOwnProperty=z", None),
    "url flag object names": (None, "?walk=constructor&sound=__proto__", ["walk", "sound"]),
    "stored script text": (
        json.dumps({"age": IMG, "dose": SCRIPT, "ready": 1e308, "switch": -0.5, "voice": {}}),
        "",
        ["age", "dose", "ready", "switch", "voice"],
    ),
    "stored array": ("[1, 2, 3]", "", ["could not be read"]),
    "stored number": ("42", "", ["could not be read"]),
    "stored object names": ('{"__proto__": {"ready": 60}, "constructor": 1}', "", None),
}


@pytest.mark.parametrize(("stored", "query", "words"), CASES.values(), ids=CASES.keys())
def test_tampered_settings_fall_back_and_the_countdown_stays_sane(
    page, http_root, stored, query, words
):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.clock.install()
    page.add_init_script(WATCH)
    if stored is not None:
        page.goto(http_root + "timer/")
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, stored])
    page.goto(http_root + "timer/" + query.replace("#", "%23"))
    note = page.locator("#timer-note")
    if words is None:  # names that are not settings are ignored, like any other parameter
        assert note.is_hidden()
    else:
        assert note.is_visible()
        for word in words:
            # A setting the note names is said in words (`ready` -> "get-ready gap: ").
            said = EN.table.get(f"timer.setting.{word}", word).split("{")[0]
            assert said in note.inner_text(), (word, said, note.inner_text())
        assert "<" not in note.inner_text(), "the bad value itself is not repeated"
    # Every setting is a default (the query's valid values aside).
    assert page.locator("#set-age").input_value() == SITE.age_groups[0].id
    assert page.locator("#set-ready").input_value() == str(SITE.timer.get_ready)
    assert page.locator("#set-switch").input_value() == str(SITE.timer.switch_sides)
    assert page.locator("input[name=dose]:checked").input_value() == "min"
    assert page.locator("[data-hostile]").count() == 0
    page.get_by_role("button", name="Start", exact=True).click()
    # The routine's code arrives on the first tap: wait for it to run.
    page.wait_for_function("() => document.getElementById('timer').dataset.state === 'running'")
    for _ in range(4):
        page.clock.run_for(20_000)
        page.keyboard.press("ArrowRight")
    shown = page.evaluate("window.__clock")
    assert shown and all(re.fullmatch(r"\d+(:[0-5]\d)?", t) for t in shown), set(shown)
    for name in ("remaining", "total-time"):
        assert re.fullmatch(r"\d+:[0-5]\d", page.locator(f"[data-view={name}]").inner_text())
    assert dialogs == []
    assert page.problems == []
    # What is remembered afterwards is clean, too.
    saved = json.loads(page.evaluate("k => localStorage.getItem(k)", KEY))
    assert set(saved) == {"age", "dose", "easier", "walk", "ready", "switch", "sound", "voice",
                          "wait", "mid", "track", "rate", "speaker"}  # fmt: skip
