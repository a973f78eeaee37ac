"""UI phrases, in one place, by language: ready for a second one.

Everything the generator itself says to a reader (not the content's own
words) is a phrase here, named by a key and written with ``{placeholders}``.
The model's wording (doses, holds, sides), page titles and descriptions come
from here; the timer's script reads its phrases from the routine data
(``routine.py`` hands it the ``timer.`` phrases), so Python and JS say the
same thing. A second language is a second catalogue with the same keys
(tests/test_phrases.py checks that every catalogue has every key).
"""

from __future__ import annotations

from string import Formatter

CATALOGUES: dict[str, dict[str, str]] = {
    "en": {
        # Counts: `{n} {unit}`, the unit's singular for the numbers listed in
        # `plural.one` (comma-separated), its plural otherwise. The one plural
        # rule: Phrases.unit here and unit() in static/js/phrases.js read it.
        "plural.one": "1",
        "count": "{n} {unit}",
        "span": "{low} to {high} {unit}",
        "at_least": "at least {amount}",
        "unit.seconds.one": "second",
        "unit.seconds.other": "seconds",
        "unit.rounds.one": "round",
        "unit.rounds.other": "rounds",
        "unit.sets.one": "set",
        "unit.sets.other": "sets",
        "unit.reps.one": "rep",
        "unit.reps.other": "reps",
        "unit.minutes.one": "minute",
        "unit.minutes.other": "minutes",
        "unit.stretches.one": "stretch",
        "unit.stretches.other": "stretches",
        "unit.sessions.one": "session",
        "unit.sessions.other": "sessions",
        "unit.days.one": "day",
        "unit.days.other": "days",
        "sides.each": "One side at a time: {first}, then switch to the {second}",
        "sides.both": "Both sides at once",
        "hold_per.side": "per side",
        "hold_per.rep": "per rep",
        "equipment.none": "none",
        "list": "{items}",
        "list.separator": ", ",
        # Pages
        "page.card.title": "Routine card: {label}",
        "page.card.description": (
            "The whole routine on one printable page, with holds of {hold} for {label}."
        ),
        "page.cheatsheet.title": "Cheat sheet",
        "page.cheatsheet.description": (
            "The whole routine at a glance on one printable page, with every age group's hold."
        ),
        "page.timer.title": "Routine timer",
        "page.timer.description": (
            "A hands-free timer that talks you through the whole routine, step by step."
        ),
        "page.not_found.title": "Page not found",
        "page.not_found.description": (
            "This page does not exist. The whole routine is on the home page of {site}."
        ),
        # The timer (JS), through the routine data: what it shows...
        "timer.both_sides": "Both sides at once",
        "timer.easy_pace": "Easy pace",
        "timer.your_pace": "Your pace",
        "timer.finish": "Finish",
        "timer.kind.walk": "Walk",
        "timer.kind.hold": "Hold",
        "timer.kind.switch": "Switch sides",
        "timer.kind.position": "Get into position",
        "timer.kind.ready": "Get ready",
        "timer.step_count": "{unit} {n} of {of}",
        "timer.plan": "{stretches}, {time}",
        "timer.resume": "{where}: {step}, {left} left.",
        "timer.duration": "{minutes} {seconds}",
        "timer.paused": "Paused",
        "timer.away": (
            "Paused: the timer stopped while the page was in the background. "
            "Resume starts this step again."
        ),
        "timer.setting": "{name}: {value}",
        "timer.setting.default": "default",
        "timer.note.unreadable": (
            "Your saved timer settings could not be read, so the defaults are back."
        ),
        "timer.note.saved": "Some saved settings were not valid; using {kept}.",
        "timer.note.link": "This link asked for settings the timer does not know; using {kept}.",
        "timer.note.typed": "That is not a valid value; kept {kept}.",
        # ... and what it says (a sentence's first letter is made a capital).
        "timer.say.walk": "{title}. {minutes} minutes of easy walking.",
        "timer.say.next": "Next: {title}. {count}.",
        "timer.say.next_each": "Next: {title}. {count}, each side.",
        "timer.say.first": "{side} first.",
        "timer.say.count": "{unit} {n} of {of}.",
        "timer.say.count_last": "{unit} {n} of {of}, last {unit}.",
        "timer.say.side": "{side}.",
        "timer.say.switch": "Switch sides: {side}.",
        "timer.say.hold": "Hold, {seconds}.",
        "timer.say.halfway": "Halfway.",
        "timer.say.ten": "10 seconds left.",
        "timer.say.release": "Release.",
        "timer.say.wait": "Tap, or press play, when you are in position.",
        "timer.say.left": "{seconds} left.",
        "timer.say.done": "Routine done. Total time {time}.",
        "timer.say.where": "{where}. {step}, {left}",
        "timer.say.away": "{away} {title}.",
        "timer.say.then": "{first} {then}",
    },
}
DEFAULT_LANGUAGE = "en"
# What every script gets: the plural rule, counts, units and lists.
SCRIPT_BASICS = ("plural", "count", "unit", "list")


class Phrases:
    """The phrases of one language; ``phrases("key", name=value)`` fills one in."""

    def __init__(self, language: str = DEFAULT_LANGUAGE):
        self.language = language if language in CATALOGUES else DEFAULT_LANGUAGE
        self.table = CATALOGUES[self.language]
        self.singular = {int(n) for n in self.table["plural.one"].split(",")}

    def __call__(self, key: str, **values: object) -> str:
        return self.table[key].format(**values)

    def unit(self, unit: str, n: int) -> str:
        """`round` for one, `rounds` otherwise (``unit`` is the plural key)."""
        return self(f"unit.{unit}.{'one' if n in self.singular else 'other'}")

    def count(self, n: int, unit: str) -> str:
        """`1 round`, `3 sets`."""
        return self("count", n=n, unit=self.unit(unit, n))

    def span(self, low: int, high: int, unit: str) -> str:
        """`2 rounds`, `1 to 3 sets`: a count, or a range of ``unit``."""
        if low == high:
            return self.count(low, unit)
        return self("span", low=low, high=high, unit=self.unit(unit, high))

    def listing(self, items: list[str]) -> str:
        return self("list", items=self("list.separator").join(items))

    def section(self, prefix: str) -> dict[str, str]:
        """Every phrase under ``prefix.``, by the rest of its key."""
        return {
            k[len(prefix) + 1 :]: v for k, v in self.table.items() if k.startswith(prefix + ".")
        }

    def for_script(self, *prefixes: str) -> dict[str, str]:
        """The phrases a page's scripts use, by full key: those under ``prefixes``
        and the counting ones (static/js/phrases.js fills them in)."""
        wanted = (*prefixes, *SCRIPT_BASICS)
        return {
            k: v
            for k, v in self.table.items()
            if any(k == p or k.startswith(p + ".") for p in wanted)
        }


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a phrase fills in."""
    return {name for _, name, _, _ in Formatter().parse(text) if name}


EN = Phrases(DEFAULT_LANGUAGE)
