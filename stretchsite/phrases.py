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

from markupsafe import Markup, escape

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
        # Every page
        "base.skip": "Skip to content",
        "base.credit": "Routine adapted from “{title}” in {publication}, by {author}.",
        "base.sources": "Sources",
        "nav.label": "Main",
        "nav.routine": "Routine",
        "nav.timer": "Timer",
        "nav.print": "Print",
        "walk.about": "about {minutes} of easy walking",
        "holds_per": "{text}, holds {per}",
        "easier.label": "Easier:",
        "equipment.no": "No equipment",
        "back_to_routine": "Back to the routine",
        "print.card": "Print a card",
        "choice.age.legend": "Show my hold first",
        "choice.age.note": "Saved in this browser only, for every page and the timer.",
        "choice.equipment.legend": "What you have with you",
        "choice.equipment.note": (
            "Saved in this browser only. "
            "The timer leaves out the stretches that need what you lack."
        ),
        "lacks": "Left out of your timer (needs: {equipment})",
        # The home page
        "home.routine": "The routine",
        "home.start": "Start the timer",
        "home.tips": "Good to know",
        "home.tip.when": "After the run, not before.",
        "home.tip.walk": "Why walk first.",
        "home.tip.hold": "Your hold time.",
        "home.tip.strength": "Strength work next?",
        "home.sources": "About and sources",
        "home.credit": (
            "Based on “{title}” by {author}, published in {publication}, with advice from {expert}."
        ),
        "home.print.card": "{card}, holds of {hold}",
        "home.print.cheatsheet": "{sheet}, every age group side by side",
        "home.habit.title": "Your habit",
        "home.habit.note": (
            "Every routine you finish with the timer is recorded in this browser and nowhere "
            "else. Safari deletes what a site stored after 7 days without a visit unless you add "
            "it to your home screen, so export a copy now and then."
        ),
        "home.habit.export": "Export to a file",
        "home.habit.import": "Import a file",
        "home.habit.clear": "Clear history",
        "home.reminder.title": "A reminder in your calendar",
        "home.reminder.days": "On these days",
        "home.reminder.time": "Time of day",
        "home.reminder.download": "Download the reminder (.ics)",
        "home.reminder.note": (
            "A calendar file made on this device: it repeats every week, rings at the start and "
            "opens your timer with your age group and equipment."
        ),
        "day.MO": "Monday",
        "day.TU": "Tuesday",
        "day.WE": "Wednesday",
        "day.TH": "Thursday",
        "day.FR": "Friday",
        "day.SA": "Saturday",
        "day.SU": "Sunday",
        "day.MO.short": "Mon",
        "day.TU.short": "Tue",
        "day.WE.short": "Wed",
        "day.TH.short": "Thu",
        "day.FR.short": "Fri",
        "day.SA.short": "Sat",
        "day.SU.short": "Sun",
        # A stretch's page
        "stretch.eyebrow": "Stretch {n} of {total}",
        "stretch.facts.equipment": "Equipment",
        "stretch.facts.sides": "Sides",
        "stretch.facts.dose": "Dose",
        "stretch.facts.works": "Works",
        "stretch.hold": "How long to hold",
        "stretch.easier": "Easier option:",
        "stretch.easier_hold": "hold for {hold} {per}.",
        "stretch.steps": "How to do it",
        "stretch.why": "Why it helps",
        "stretch.cues": "Quick cues",
        "stretch.pager": "Stretches",
        "stretch.previous": "Previous",
        "stretch.next": "Next",
        "stretch.back_to": "Back to",
        "stretch.the_routine": "the routine",
        "stretch.done": "Done?",
        # The page that is not there
        "not_found.lead": (
            "Nothing lives at this address. It may have a typo, or the page may have moved."
        ),
        "not_found.home": "Go to the full routine",
        "not_found.pick": "Or pick a stretch",
        # Printouts
        "print.this": "Print this page",
        "print.timer_for": "Open the timer for {label}",
        "print.timer": "Open the timer",
        "print.hint": (
            "Prints on one page of A4 or US Letter, in black and white. "
            "No need to print backgrounds."
        ),
        "print.others": "Printouts",
        "print.card_link": "Card: {label}",
        "sheet.credit": "Routine adapted from “{title}”, {publication}.",
        "sheet.visit": "Scan the code or visit {address} for the timer and the full steps.",
        "sheet.qr": "QR code: opens the timer for {label}",
        "sheet.qr.timer": "Timer",
        "sheet.qr.timer_for": "Timer, {label}",
        "card.kicker": "{site} · routine card",
        "card.heading": "{label}: hold {hold}",
        "card.cooldown": "{about}. Then, in this order:",
        "card.hold": "Hold {hold}",
        "card.easier": "{hold}, building up week by week.",
        "cheatsheet.kicker": "{site} · cheat sheet",
        "cheatsheet.heading": "The routine at a glance",
        "cheatsheet.step": "Step",
        "cheatsheet.drawing": "Drawing",
        "cheatsheet.stretch": "Stretch",
        "cheatsheet.walk": ("Easy walking for about {minutes}, until your breathing settles."),
        "cheatsheet.one_sided": "One side at a time",
        # The timer's page (the template; the script's own phrases follow)
        "timer_page.noscript": (
            "The timer needs JavaScript. The {routine} lists every stretch and its hold."
        ),
        "timer_page.noscript.routine": "routine",
        "timer_page.pick_up": "Pick up where you left off?",
        "timer_page.resume": "Resume",
        "timer_page.start_over": "Start over",
        "timer_page.presets": "Hold time by age group",
        "timer_page.preset": "{label}: {hold} s",
        "timer_page.preset.holds": "holds",
        "timer_page.clock": "Time left in this step",
        "timer_page.progress": "Whole routine",
        "timer_page.left_of": "{left} left of {total}",
        "timer_page.done": "Routine done",
        "timer_page.total": "Total time {time}",
        "timer_page.again": "Do it again",
        "timer_page.back": "Back",
        "timer_page.start": "Start",
        "timer_page.pause": "Pause",
        "timer_page.ready": "Ready",
        "timer_page.next": "Next",
        "timer_page.up_next": "Up next:",
        "timer_page.keys": "Keys: Space starts and pauses, arrow keys step back and forward.",
        "timer_page.restart": "Start over…",
        "timer_page.restart.ask": "Start the whole routine again from the beginning?",
        "timer_page.restart.yes": "Yes, start over",
        "timer_page.restart.no": "Keep going",
        "timer_page.history": "Your history and a calendar reminder",
        "timer_page.left_out": "Left out: {title} (needs: {equipment})",
        "settings.title": "Settings",
        "settings.help": (
            "Saved on this device. Settings for the routine apply when it is not running; "
            "restart to change them mid-way."
        ),
        "settings.routine": "The routine",
        "settings.age": "Age group",
        "settings.age.option": "{label}: {hold} per hold",
        "settings.dose": "Rounds, sets and reps",
        "settings.dose.help": (
            "Where a stretch gives a range, such as “{dose}”, do the low or the high end of it."
        ),
        "settings.dose.low": "The low end ({n})",
        "settings.dose.high": "The high end ({n})",
        "settings.easier": "Easier, shorter holds where a stretch offers them",
        "settings.walk": "Start with “{title}”: {about} (you can skip it)",
        "settings.wait": (
            "Wait for me: before each new stretch, wait for a tap (or the play button on your "
            "headphones) instead of counting down"
        ),
        "settings.ready": "Get-ready gap before each hold, in seconds",
        "settings.switch": "Gap to switch sides, in seconds",
        "settings.position": (
            "A new stretch always leaves time to get into position, longer when the equipment "
            "changes."
        ),
        "settings.cues": "Cues",
        "settings.sound": "Tones and vibration",
        "settings.voice": "Spoken announcements",
        "settings.mid": (
            "In holds of 30 s or more, say when half is done and when 10 seconds are left"
        ),
        "settings.track": (
            "Keep the tones going with the screen off (they play as media, where the phone allows)"
        ),
        "settings.rate": "Speaking rate",
        "settings.rate.option": "{rate}×",  # noqa: RUF001 (the multiplication sign)
        "settings.speaker": "Voice",
        "settings.speaker.default": "The device’s default voice",  # noqa: RUF001 (typeset)
        # The habit panel's and the finish screen's script (habit/*.js)
        "habit.none": "Nothing recorded in this browser yet.",
        "habit.stats": "This week: {sessions}. Streak: {days}.",
        "habit.not_kept": (
            "This browser would not store your history, so this session was not recorded."
        ),
        "habit.exported": "Exported {sessions}.",
        "habit.nothing_to_clear": "There is no history to clear.",
        "habit.confirm_clear": (
            "Delete the {sessions} recorded in this browser? "
            "Export your history first if you want to keep it."
        ),
        "habit.cleared": "History cleared.",
        "habit.import.refused": "This browser would not store the history; nothing was imported.",
        "habit.imported": "Imported {n} new {unit}.",
        "habit.import.not_json": "That file is not an exported history (it is not JSON).",
        "habit.import.not_history": "That file is not a history exported from this site.",
        "habit.import.damaged": "That history file is damaged; nothing was imported.",
        "habit.file.history": "stretch-history-{date}.json",
        "habit.file.reminder": "stretch-reminder.ics",
        "habit.reminder.made": "Reminder made: open the file to add it to your calendar.",
        "habit.reminder.title": "Stretch after your run",
        "habit.reminder.note": "Time for the post-run stretches. Open your timer:",
        "habit.reminder.no_day": "Choose at least one day.",
        "habit.reminder.bad_time": "Choose a time such as 18:30.",
        # A coach's link on the timer (timer-prefs.js)
        "link.left_out": "Left out: {title} ({why}).",
        "link.skipped": "skipped by this link",
        "link.needs": "needs {equipment}",
        "link.unknown": "This link names what the routine does not have: {names}.",
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
        "timer.resume": "{where}. {step}, {left} left.",
        "timer.duration": "{minutes} {seconds}",
        "timer.paused": "Paused",
        "timer.away": (
            "Paused: the timer stopped while the page was in the background. "
            "Resume starts this step again."
        ),
        # A setting the timer kept, in a note, by its name in a link (`?ready=5`);
        # `timer.value.*` say the values a link spells as code words.
        "timer.setting.age": "age group: {value}",
        "timer.setting.dose": "rounds, sets and reps: {value}",
        "timer.setting.easier": "easier holds: {value}",
        "timer.setting.walk": "walk first: {value}",
        "timer.setting.ready": "get-ready gap: {value} s",
        "timer.setting.switch": "gap to switch sides: {value} s",
        "timer.setting.wait": "wait for me: {value}",
        "timer.setting.sound": "tones and vibration: {value}",
        "timer.setting.voice": "spoken announcements: {value}",
        "timer.setting.mid": "halfway and 10 seconds left: {value}",
        "timer.setting.track": "tones with the screen off: {value}",
        "timer.setting.rate": "speaking rate: {value}×",  # noqa: RUF001 (the multiplication sign)
        "timer.setting.speaker": "voice: {value}",
        "timer.setting.default": "the default",
        "timer.value.true": "on",
        "timer.value.false": "off",
        "timer.value.min": "the low end",
        "timer.value.max": "the high end",
        "timer.note.unreadable": (
            "Your saved timer settings could not be read, so the defaults are back."
        ),
        "timer.note.saved": "Some saved settings were not valid; using {kept}.",
        "timer.note.link": "This link asked for settings the timer does not know; using {kept}.",
        "timer.note.typed": "That is not a valid value; kept {kept}.",
        # ... and what it says (a sentence's first letter is made a capital).
        "timer.say.walk": "{title}. {minutes} of easy walking.",
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
        self._filled: dict[str, Markup] = {}  # markup() of each phrase that takes no values
        self._escaped: dict[str, Markup] = {}  # each phrase's text, escaped

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
        """`foam roller, table`: items in a running list."""
        return self("list", items=self("list.separator").join(items))

    def section(self, prefix: str) -> dict[str, str]:
        """Every phrase under ``prefix.``, by the rest of its key."""
        return {
            k[len(prefix) + 1 :]: v for k, v in self.table.items() if k.startswith(prefix + ".")
        }

    def markup(self, key: str, **values: object) -> Markup:
        """A phrase for a template: its text escaped, each value escaped unless
        it is markup already (a link, ``<cite>``), as Jinja escapes ``{{ }}``."""
        if values:
            template = self._escaped.get(key)
            if template is None:
                template = self._escaped[key] = Markup(escape(self.table[key]))
            # Markup.format's result without its pure-Python formatter (a card
            # fills in thousands of phrases): every field is a bare `{name}`
            # (tests/test_phrases.py holds every catalogue to that and compares).
            return Markup(str.format(template, **{k: escape(v) for k, v in values.items()}))
        # Most phrases take no values: each page would format them again.
        filled = self._filled.get(key)
        if filled is None:
            filled = self._filled[key] = Markup(escape(self.table[key])).format()
        return filled

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
