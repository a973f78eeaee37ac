"""The routine as plain data for the browser: the timer reads this, never the content.

Everything the timer needs (age groups and their holds, the gaps, the cooldown
walk and each stretch's dose, sides and cues) is computed once here from the
validated :class:`~stretchsite.content.Site` and embedded in the timer page as
JSON, so the browser never re-derives a rule from the content files.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .content import Site, Stretch, equipment_id
from .content.limits import timer_limits
from .phrases import Phrases
from .routes import ROUTES

# The phrases the timer's scripts use: its own, and those of the scripts it
# loads: the finish screen's habit line and a coach's link (timer-prefs.js).
SCRIPT_PHRASES = ("timer", "habit", "link")


def _same(path: str) -> str:
    return path


def stretch_data(stretch: Stretch, url: Callable[[str], str] = _same) -> dict[str, Any]:
    """One stretch as JSON-able data; ``url`` turns a site path into a link."""
    easier = stretch.easier
    return {
        "slug": stretch.slug,
        "title": stretch.title,
        "url": url(ROUTES.stretch(stretch)),
        "cues": list(stretch.cues),
        "sides": stretch.sides,
        # Side names only mean something when the stretch is done one side at a time.
        "side_names": list(stretch.side_names) if stretch.one_sided else [],
        "dose": {"unit": stretch.dose.unit, "min": stretch.dose.min, "max": stretch.dose.max},
        "easier": {"min": easier.hold_min, "max": easier.hold_max} if easier else None,
        "equipment": list(stretch.equipment),
        # None: the timer uses the site default for a change of equipment or not.
        "into_position": stretch.into_position,
        # Ids of what it cannot be done without: the runner may not have it (equipment.js).
        "needs": list(stretch.needs),
    }


def routine_data(site: Site, url: Callable[[str], str] = _same) -> dict[str, Any]:
    """The whole routine as JSON-able data (dicts, lists, str, int, bool, None).

    ``url`` maps a path under the site (``stretches/calf-stretch/``) to a link;
    the renderer passes its base-aware ``url()`` so links work under any base.
    """
    return {**routine_frame(site), "stretches": [stretch_data(s, url) for s in site.stretches]}


def routine_frame(site: Site) -> dict[str, Any]:
    """:func:`routine_data` but the stretches' own entries."""
    return {
        "age_groups": [
            {"id": g.id, "label": g.label, "hold": g.hold, "at_least": g.at_least}
            for g in site.age_groups
        ],
        "timer": {
            "get_ready": site.timer.get_ready,
            "switch_sides": site.timer.switch_sides,
            "into_position": site.timer.into_position,
            "change_equipment": site.timer.change_equipment,
        },
        "limits": timer_limits(),
        "phrases": Phrases(site.language).for_script(*SCRIPT_PHRASES),
        "cooldown": {"title": site.cooldown.title, "minutes": site.cooldown.minutes},
        "equipment": [{"id": equipment_id(e), "name": e} for e in site.equipment],
    }
