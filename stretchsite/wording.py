"""The model in words: what the content's numbers and choices read as, in one language.

The model (``content/model.py``) holds no words; this says them with the
site's phrases (``phrases.py``). Templates use it as filters
(``group | hold_text``, ``stretch.dose | dose_text``: see render.py), the
page titles and the card fit estimate call it directly.
"""

from __future__ import annotations

import functools

from .content import AgeGroup, Cooldown, Dose, Easier, Stretch
from .phrases import Phrases


class Wording:
    """The model's wording in the language of ``say``."""

    def __init__(self, say: Phrases):
        self.say = say
        # A few values are worded again and again (an age group's hold for every
        # stretch on a card, the same dose on many stretches): each once.
        self.hold = functools.cache(self.hold)  # type: ignore[method-assign]
        self.dose = functools.cache(self.dose)  # type: ignore[method-assign]
        self.easier_hold = functools.cache(self.easier_hold)  # type: ignore[method-assign]

    def hold(self, group: AgeGroup) -> str:
        """`30 seconds`, `at least 60 seconds`: an age group's hold."""
        seconds = self.say.count(group.hold, "seconds")
        return self.say("at_least", amount=seconds) if group.at_least else seconds

    def walk(self, cooldown: Cooldown) -> str:
        """`10 minutes`, `1 minute`: how long the walk before stretching lasts."""
        return self.say.count(cooldown.minutes, "minutes")

    def dose(self, dose: Dose) -> str:
        """`2 rounds`, `1 to 3 sets`."""
        return self.say.span(dose.min, dose.max, dose.unit)

    def easier_hold(self, easier: Easier) -> str:
        """`5 to 10 seconds`: the hold of a stretch's easier option."""
        return self.say.span(easier.hold_min, easier.hold_max, "seconds")

    def sides(self, stretch: Stretch) -> str:
        """One side then the other (named), or both at once."""
        if stretch.one_sided:
            first, second = stretch.side_names
            return self.say("sides.each", first=first, second=second)
        return self.say("sides.both")

    def hold_per(self, stretch: Stretch) -> str:
        """What one hold covers: a side, a rep, or (empty) the whole round."""
        if stretch.one_sided:
            return self.say("hold_per.side")
        return self.say("hold_per.rep") if stretch.dose.unit == "reps" else ""

    def equipment(self, stretch: Stretch) -> str:
        """What the stretch needs, listed, or `none`."""
        needed = [e for e in stretch.equipment if e != "none"]
        return self.say.listing(needed) if needed else self.say("equipment.none")
