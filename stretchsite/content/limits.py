"""Limits that both the content checks and the timer page enforce, defined once.

The schema checks ``site.yml`` and the stretches against them; they reach the
timer page through the routine data (``routine_data()["limits"]``) and the
timer template, so the browser never accepts a value the build refused, or the
other way round.
"""

from __future__ import annotations

GAP_SECONDS = (0, 60)  # the get-ready and switch-sides gaps (0 leaves a gap out)
POSITION_SECONDS = (0, 300)  # time to get into position for a new stretch
SPEECH_RATES = (0.8, 1, 1.25, 1.5)  # the voice's speaking rates on offer

# Site defaults for the time to get into position, when site.yml does not say.
INTO_POSITION = 10  # the next stretch uses the same equipment
CHANGE_EQUIPMENT = 20  # it needs other equipment (floor to table, roller to floor)


def timer_limits() -> dict[str, list[float]]:
    """The limits as JSON-able data for the timer page."""
    return {
        "gap": list(GAP_SECONDS),
        "position": list(POSITION_SECONDS),
        "rate": [min(SPEECH_RATES), max(SPEECH_RATES)],
        "rates": list(SPEECH_RATES),
    }
