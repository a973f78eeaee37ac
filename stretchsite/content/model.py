"""What the site is made of: frozen dataclasses, no I/O and no validation.

Everything here is already valid when it is built (see ``loaders``); the rest
of the program reads these types and nothing else from the content folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .limits import CHANGE_EQUIPMENT, INTO_POSITION

Point = tuple[float, float]


def equipment_id(name: str) -> str:
    """An equipment name as URLs, storage and markup spell it: `foam roller` -> `foam-roller`."""
    return name.replace(" ", "-")


@dataclass(frozen=True)
class AgeGroup:
    """One age group of site.yml: its id (used in URLs), label and hold."""

    id: str
    label: str
    hold: int
    at_least: bool = False


@dataclass(frozen=True)
class Dose:
    """How many rounds, sets or reps of a stretch: one number or a range."""

    unit: str  # rounds, sets or reps
    min: int
    max: int


@dataclass(frozen=True)
class Easier:
    """An easier option of a stretch: a shorter hold range and a note."""

    hold_min: int
    hold_max: int
    note: str


@dataclass(frozen=True)
class Stretch:
    """One stretch, as validated from its Markdown file."""

    slug: str
    title: str
    order: int
    summary: str
    why: str
    targets: tuple[str, ...]
    equipment: tuple[str, ...]
    sides: str
    side_names: tuple[str, str]
    dose: Dose
    cues: tuple[str, ...]
    body: str  # Markdown: the numbered steps and any notes
    source: str  # path of the file it came from, for messages
    easier: Easier | None = None
    figure: str | None = None
    into_position: int | None = None  # seconds to get into position; None: the site default

    @property
    def one_sided(self) -> bool:
        return self.sides == "each"

    @property
    def needs(self) -> tuple[str, ...]:
        """Ids of the equipment this stretch cannot be done without (see `equipment_id`)."""
        return tuple(equipment_id(e) for e in self.equipment if e != "none")


@dataclass(frozen=True)
class Section:
    """A titled piece of site text (intensity, consistency)."""

    title: str
    text: str


@dataclass(frozen=True)
class Cooldown:
    """The walk before stretching: its title, minutes and text."""

    title: str
    minutes: int
    text: str


@dataclass(frozen=True)
class Credit:
    """Where the routine and its advice come from."""

    title: str
    publication: str
    author: str
    expert: str
    text: str
    url: str | None = None


@dataclass(frozen=True)
class TimerDefaults:
    """The timer's gaps in seconds, as site.yml sets them."""

    get_ready: int
    switch_sides: int
    into_position: int = INTO_POSITION  # seconds to get into a new stretch, same equipment
    change_equipment: int = CHANGE_EQUIPMENT  # ... when it needs other equipment


@dataclass(frozen=True)
class Pose:
    """Joint positions of one body position, in figure units (y grows downward)."""

    label: str
    head: Point
    neck: Point
    hip: Point
    back: Point | None  # optional mid-back point where the spine bends
    near_arm: tuple[Point, Point]  # elbow, hand
    far_arm: tuple[Point, Point]
    near_leg: tuple[Point, Point, Point]  # knee, ankle, toe
    far_leg: tuple[Point, Point, Point]
    arrow: tuple[Point, ...] = ()  # a motion hint: start, [bend,] end

    def points(self) -> Iterator[tuple[str, Point]]:
        """Every point of the pose with its name (`near_arm.1` is the near hand)."""
        for name in ("head", "neck", "hip", "back"):
            p = getattr(self, name)
            if p is not None:
                yield name, p
        for name in ("near_arm", "far_arm", "near_leg", "far_leg", "arrow"):
            for i, p in enumerate(getattr(self, name)):
                yield f"{name}.{i}", p


@dataclass(frozen=True)
class Shape:
    """One piece of equipment drawn in a figure: a roller, a table or a step."""

    kind: str
    x: float
    y: float
    size: float  # roller radius, or the width of a table or step


@dataclass(frozen=True)
class Figure:
    """A stretch's drawing: one pose, or a start and an end pose, with equipment."""

    name: str
    alt: str  # the text alternative: describes the position in words
    view: tuple[float, float, float, float]  # one panel: min x, min y, width, height
    floor: float
    equipment: tuple[Shape, ...]
    poses: tuple[Pose, ...]
    source: str


@dataclass(frozen=True)
class Site:
    """Everything the content holds: site data, stretches in order, figures."""

    title: str
    tagline: str
    language: str
    intro: str
    when: str
    strength: str
    equipment_note: str
    age_rule: str
    cooldown: Cooldown
    intensity: Section
    consistency: Section
    credit: Credit
    disclaimer: str
    age_groups: tuple[AgeGroup, ...]
    timer: TimerDefaults
    stretches: tuple[Stretch, ...] = field(default=())
    # Figures named by the stretches, by name.
    figures: dict[str, Figure] = field(default_factory=dict)

    @property
    def equipment(self) -> tuple[str, ...]:
        """Everything the whole routine needs, in the order first used."""
        seen: dict[str, None] = {}
        for s in self.stretches:
            for e in s.equipment:
                if e != "none":
                    seen[e] = None
        return tuple(seen)


def coordinate_text(value: float) -> str:
    """Shortest text for a coordinate: 12.0 -> 12, 0.50 -> .5 (SVG and messages)."""
    out = f"{value:.1f}".rstrip("0").rstrip(".")
    out = out.replace("0.", ".", 1) if out.startswith(("0.", "-0.")) else out
    return out if out not in ("", "-") else "0"
