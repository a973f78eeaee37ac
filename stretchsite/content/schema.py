"""The rules content files must follow: field checks and the schema of each file.

A check takes the document, the key it is checking and the raw value; it
returns the cleaned value, or records a :class:`~.document.ContentError` on
the document (pointing at the key's line) and returns None. Every file kind
(site data, a stretch, a figure) is described here as a mapping of field
names to checks; ``loaders`` turns checked fields into model objects.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from ..phrases import CATALOGUES
from .document import Doc
from .limits import GAP_SECONDS, POSITION_SECONDS
from .model import AgeGroup, Dose, Point, Pose, Shape, coordinate_text

EQUIPMENT = ("foam roller", "table", "step", "none")
SIDES = ("both", "each")
DEFAULT_SIDE_NAMES = ("right side", "left side")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOSE_RE = re.compile(  # "1 to 3 rounds", "1-2 sets", "5 reps"
    r"^\s*(\d+)\s*(?:(?:-|\u2013|to)\s*(\d+)\s*)?(rounds?|sets?|reps?)\s*$", re.IGNORECASE
)
RANGE_RE = re.compile(r"^\s*(\d+)\s*(?:(?:-|\u2013|to)\s*(\d+))?\s*$")
STEP_RE = re.compile(r"^\s{0,3}\d+[.)]\s+\S", re.MULTILINE)
MAX_CUE_LENGTH = 80
# A URL name (slug, age group id) becomes a folder name in the site: far below
# any file system's limit of 255 bytes, and still a readable address.
MAX_NAME_LENGTH = 100
MAX_POSES = 2

Check = Callable[[Doc, tuple[str, ...], Any], Any]


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """` (did you mean `x`?)` for the closest known name, or nothing.

    Never the name the author already wrote: that one is not the fix.
    """
    import difflib  # imported here: only content with a mistake needs it

    close = difflib.get_close_matches(name, [k for k in known if k != name], n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def check_mapping(
    doc: Doc,
    key: tuple[str, ...],
    value: Any,
    required: dict[str, Check],
    optional: dict[str, Check] | None = None,
) -> dict[str, Any] | None:
    """Check a mapping's fields; return the cleaned values or None on any error."""
    optional = optional or {}
    where = f" in `{'.'.join(key)}`" if key else ""
    if not isinstance(value, dict):
        doc.error(key, f"`{'.'.join(key)}` must be a mapping of `name: value` fields")
        return None
    before = len(doc.errors)
    known = {**required, **optional}
    if not value.keys() <= known.keys():  # an unknown field: name each one
        for name in value:
            if name not in known:
                doc.error(
                    (*key, str(name)),
                    f"unknown field `{name}`{where}{did_you_mean(str(name), known)}; "
                    f"known fields: {', '.join(known)}",
                )
    cleaned: dict[str, Any] = {}
    for name, check in known.items():
        if name in value:
            cleaned[name] = check(doc, (*key, name), value[name])
        elif name in required:
            doc.error(key, f"missing required field `{name}`{where}")
    return cleaned if len(doc.errors) == before else None


def nested(required: dict[str, Check], optional: dict[str, Check] | None = None) -> Check:
    """A check for a mapping inside a mapping, e.g. `cooldown: {title, minutes, text}`."""

    def check(doc: Doc, key: tuple[str, ...], value: Any) -> dict[str, Any] | None:
        return check_mapping(doc, key, value, required, optional)

    return check


def anything(doc: Doc, key: tuple[str, ...], value: Any) -> Any:
    """Accept any value: for fields checked later, against their neighbours."""
    return value


# --------------------------------------------------------------------------
# Texts and numbers


def text(doc: Doc, key: tuple[str, ...], value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    kind = "empty" if isinstance(value, str) or value is None else type(value).__name__
    doc.error(key, f"`{'.'.join(key)}` must be a non-empty text, not {kind}")
    return None


def one_spaced_text(doc: Doc, key: tuple[str, ...], value: Any) -> str | None:
    """A text with every run of spaces and line breaks made one space (figure labels)."""
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    doc.error(key, f"`{'.'.join(key)}` must be a non-empty text")
    return None


def positive_int(doc: Doc, key: tuple[str, ...], value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 3600:
        return value
    doc.error(key, f"`{'.'.join(key)}` must be a whole number from 1 to 3600, not {value!r}")
    return None


def order_number(doc: Doc, key: tuple[str, ...], value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 1_000_000:
        return value
    doc.error(key, f"`{'.'.join(key)}` must be a whole number from 1 to 999999, not {value!r}")
    return None


def seconds_within(limits: tuple[int, int]) -> Check:
    """A check for whole seconds from ``limits[0]`` to ``limits[1]``."""
    low, high = limits

    def check(doc: Doc, key: tuple[str, ...], value: Any) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        name = ".".join(key)
        doc.error(key, f"`{name}` must be whole seconds from {low} to {high}, not {value!r}")
        return None

    return check


def boolean(doc: Doc, key: tuple[str, ...], value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    doc.error(key, f"`{'.'.join(key)}` must be true or false, not {value!r}")
    return None


def text_list(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and value:  # the usual list of texts, in one step
        items = tuple([item.strip() for item in value if isinstance(item, str)])
        if len(items) == len(value) and all(items):
            return items
    # Anything else is checked (and any problem worded) item by item.
    name = ".".join(key)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        doc.error(key, f"`{name}` must be a list of texts, e.g. `{name}: [first, second]`")
        return None
    items = []
    for i, item in enumerate(value):
        cleaned = text(doc, (*key, str(i)), item)
        if cleaned is not None:
            items.append(cleaned)
    return tuple(items) if len(items) == len(value) else None


def one_line(limit: int) -> Check:
    def check(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[str, ...] | None:
        items = text_list(doc, key, value)
        if items is None:
            return None
        for i, item in enumerate(items):
            if "\n" in item or len(item) > limit:
                doc.error(
                    (*key, str(i)),
                    f"cue {i + 1} is too long ({len(item)} characters); "
                    f"keep each cue to one line of at most {limit} characters",
                )
                return None
        return items

    return check


def slug(doc: Doc, key: tuple[str, ...], value: Any) -> str | None:
    """A URL name (a stretch's `slug`, an age group's `id`): it becomes a folder name."""
    name = ".".join(key)
    if isinstance(value, str) and SLUG_RE.match(value):
        if len(value) <= MAX_NAME_LENGTH:
            return value
        doc.error(
            key,
            f"`{name}` is {len(value)} characters long; at most {MAX_NAME_LENGTH}, "
            "as it becomes a folder name in the site",
        )
        return None
    doc.error(key, f"`{name}` must be lowercase letters, digits and dashes, not {value!r}")
    return None


# --------------------------------------------------------------------------
# Stretch fields


def equipment(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[str, ...] | None:
    items = text_list(doc, key, value)
    if items is None:
        return None
    for i, item in enumerate(items):
        if item not in EQUIPMENT:
            hint = did_you_mean(item, EQUIPMENT)
            doc.error(
                (*key, str(i)),
                f"unknown equipment {item!r}{hint}; use one of: {', '.join(EQUIPMENT)}",
            )
            return None
    if "none" in items and len(items) > 1:
        doc.error(key, "`equipment` lists `none` beside other equipment; remove `none`")
        return None
    return items


def sides(doc: Doc, key: tuple[str, ...], value: Any) -> str | None:
    if value in SIDES:
        return value
    doc.error(
        key,
        f"`sides` must be `both` (both sides at once) or `each` "
        f"(one side, then switch sides), not {value!r}",
    )
    return None


def side_names(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[str, str] | None:
    items = text_list(doc, key, value)
    if items is not None and len(items) != 2:
        doc.error(key, "`side_names` must list exactly two names, e.g. [right leg, left leg]")
        return None
    return items  # type: ignore[return-value]


def dose(doc: Doc, key: tuple[str, ...], value: Any) -> Dose | None:
    match = DOSE_RE.match(value) if isinstance(value, str) else None
    if match:
        low, high, unit = int(match[1]), int(match[2] or match[1]), match[3].lower()
        unit = unit if unit.endswith("s") else unit + "s"
        if 1 <= low <= high <= 50:
            return Dose(unit, low, high)
    doc.error(
        key,
        f"`dose` must read like `1 to 3 rounds`, `1-2 sets` or `5 reps` "
        f"(from 1 to 50, smallest first), not {value!r}",
    )
    return None


def hold_range(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[int, int] | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    match = RANGE_RE.match(value) if isinstance(value, str) else None
    if match:
        low, high = int(match[1]), int(match[2] or match[1])
        if 1 <= low <= high <= 3600:
            return low, high
    doc.error(key, f"`{'.'.join(key)}` must be seconds like `5 to 10` or `10`, not {value!r}")
    return None


def age_groups(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[AgeGroup, ...] | None:
    if not isinstance(value, list) or not value:
        doc.error(key, "`age_groups` must be a list of groups, each with id, label and hold")
        return None
    groups = []
    for i, item in enumerate(value):
        item_key = (*key, str(i))
        fields = check_mapping(
            doc,
            item_key,
            item,
            required={"id": slug, "label": text, "hold": positive_int},
            optional={"at_least": boolean},
        )
        if fields is not None:
            groups.append(AgeGroup(**fields))
    if len(groups) != len(value):
        return None
    seen: set[str] = set()
    for i, group in enumerate(groups):
        if group.id in seen:
            doc.error((*key, str(i), "id"), f"age group id {group.id!r} is used twice")
            return None
        seen.add(group.id)
    return tuple(groups)


# --------------------------------------------------------------------------
# Figure fields


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def point(doc: Doc, key: tuple[str, ...], value: Any) -> Point | None:
    if isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value):
        return float(value[0]), float(value[1])
    doc.error(key, f"`{'.'.join(key)}` must be a point `[x, y]` of two numbers, not {value!r}")
    return None


def points(count: int, names: str) -> Check:
    def check(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[Point, ...] | None:
        if not isinstance(value, list) or len(value) != count:
            doc.error(key, f"`{'.'.join(key)}` must list {count} points: {names}")
            return None
        found = [point(doc, (*key, str(i)), v) for i, v in enumerate(value)]
        return None if None in found else tuple(found)  # type: ignore[arg-type]

    return check


def arrow(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[Point, ...] | None:
    if isinstance(value, list) and len(value) in (2, 3):
        return points(len(value), "")(doc, key, value)
    doc.error(key, "`arrow` must list 2 points (from, to) or 3 (from, bend, to)")
    return None


def number(doc: Doc, key: tuple[str, ...], value: Any) -> float | None:
    if _number(value):
        return float(value)
    doc.error(key, f"`{'.'.join(key)}` must be a number, not {value!r}")
    return None


def positive(doc: Doc, key: tuple[str, ...], value: Any) -> float | None:
    if _number(value) and value > 0:
        return float(value)
    doc.error(key, f"`{'.'.join(key)}` must be a number above 0, not {value!r}")
    return None


def view(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[float, ...] | None:
    if (
        isinstance(value, list)
        and len(value) == 4
        and all(_number(v) for v in value)
        and value[2] > 0
        and value[3] > 0
    ):
        return tuple(float(v) for v in value)
    doc.error(key, "`view` must be `[min x, min y, width, height]` with width and height above 0")
    return None


POSE_FIELDS: dict[str, Check] = {
    "head": point,
    "neck": point,
    "hip": point,
    "near_arm": points(2, "elbow, hand"),
    "far_arm": points(2, "elbow, hand"),
    "near_leg": points(3, "knee, ankle, toe"),
    "far_leg": points(3, "knee, ankle, toe"),
}
POSE_OPTIONAL: dict[str, Check] = {"label": one_spaced_text, "back": point, "arrow": arrow}
# Equipment: the fields each shape needs besides `shape`.
SHAPES: dict[str, dict[str, Check]] = {
    "roller": {"x": number, "y": number, "r": positive},
    "table": {"x": number, "y": number, "width": positive},
    "step": {"x": number, "y": number, "width": positive},
}
# `poses` and `equipment` are checked against `view` and `floor` (see loaders).
FIGURE_FIELDS: dict[str, Check] = {
    "alt": anything,
    "view": anything,
    "floor": anything,
    "poses": anything,
}
FIGURE_OPTIONAL: dict[str, Check] = {"equipment": anything}


def shape(doc: Doc, key: tuple[str, ...], value: Any, floor: float) -> Shape | None:
    """One piece of equipment standing on (or, for a roller, lying on) the floor."""
    kind = value.get("shape") if isinstance(value, dict) else None
    if kind not in SHAPES:
        doc.error(
            (*key, "shape"),
            f"`shape` must be one of: {', '.join(SHAPES)}, not {kind!r}"
            f"{did_you_mean(str(kind), SHAPES)}",
        )
        return None
    fields = check_mapping(doc, key, value, {"shape": one_spaced_text, **SHAPES[kind]})
    if fields is None:
        return None
    size = fields.get("r") or fields.get("width")
    found = Shape(kind, fields["x"], fields["y"], size)
    if kind != "roller" and found.y >= floor:
        doc.error(
            (*key, "y"), f"the {kind} top (y {coordinate_text(found.y)}) must be above the floor"
        )
        return None
    return found


def pose(doc: Doc, key: tuple[str, ...], value: Any, labelled: bool) -> Pose | None:
    """One pose; ``labelled`` when the figure has two and each needs a name."""
    fields = check_mapping(doc, key, value, POSE_FIELDS, POSE_OPTIONAL)
    if fields is None:
        return None
    if labelled and "label" not in fields:
        doc.error(key, "a figure with two poses needs a `label` on each, e.g. `label: Start`")
        return None
    return Pose(
        label=fields.get("label", ""),
        back=fields.get("back"),
        arrow=fields.get("arrow", ()),
        **{name: fields[name] for name in POSE_FIELDS},
    )


# --------------------------------------------------------------------------
# Files

SITE_FIELDS: dict[str, Check] = {
    "title": text,
    "tagline": text,
    "intro": text,
    "when": text,
    "strength": text,
    "equipment_note": text,
    "age_rule": text,
    "cooldown": nested({"title": text, "minutes": positive_int, "text": text}),
    "intensity": nested({"title": text, "text": text}),
    "consistency": nested({"title": text, "text": text}),
    "credit": nested(
        {"title": text, "publication": text, "author": text, "expert": text, "text": text},
        {"url": text},
    ),
    "disclaimer": text,
    "age_groups": age_groups,
    "timer": nested(
        {"get_ready": seconds_within(GAP_SECONDS), "switch_sides": seconds_within(GAP_SECONDS)},
        {
            "into_position": seconds_within(POSITION_SECONDS),
            "change_equipment": seconds_within(POSITION_SECONDS),
        },
    ),
}


def language(doc: Doc, key: tuple[str, ...], value: Any) -> str | None:
    """A language the phrase catalogue has (`en`): the words the site adds are in it."""
    name = text(doc, key, value)
    if name is None or name in CATALOGUES:
        return name
    known = sorted(CATALOGUES)
    hint = did_you_mean(name, known)
    doc.error(key, f"no phrases for language {name!r}{hint}; use one of: {', '.join(known)}")
    return None


SITE_OPTIONAL: dict[str, Check] = {"language": language}

STRETCH_FIELDS: dict[str, Check] = {
    "title": text,
    "order": order_number,
    "summary": text,
    "why": text,
    "targets": text_list,
    "equipment": equipment,
    "sides": sides,
    "dose": dose,
    "cues": one_line(MAX_CUE_LENGTH),
}
STRETCH_OPTIONAL: dict[str, Check] = {
    "slug": slug,
    "side_names": side_names,
    "easier": nested({"hold": hold_range, "note": text}),
    "figure": text,
    "into_position": seconds_within(POSITION_SECONDS),
}
