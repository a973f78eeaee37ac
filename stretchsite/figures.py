"""Stretch figures: pose data in ``content/figures/NAME.yml``, drawn as inline SVG.

A figure is a side view of a simple rounded-limb person, drawn from joint
positions, plus the equipment it uses (floor, foam roller, table, step) and
optional motion arrows. A figure holds one pose, or a start and an end pose
drawn side by side. Everything is drawn in ``currentColor`` (the equipment in
``color`` that site CSS may set), so a figure follows the page's text colour
in light mode, dark mode and print.

The file is checked with the same ``path:line: message`` errors as the rest
of the content (see :mod:`stretchsite.content`), and a stretch naming a figure
that does not exist is a content error in the stretch's own file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .content import SLUG_RE, ContentError, Doc, Stretch, check_mapping, read_yaml

FIGURE_DIR = "figures"
MAX_POSES = 2
SIZES = ("large", "small")
Point = tuple[float, float]

# Stroke widths in figure units (a standing person is about 100 units tall).
TORSO_WIDTH = 6.5
LIMB_WIDTH = 4.5
HEAD_RADIUS = 7
FAR_OPACITY = 0.45  # the far arm and leg sit behind the body
PANEL_GAP = 14  # between the start and the end pose
LABEL_SIZE = 8
# Pixels per figure unit at natural size, the same for every figure so that
# people come out the same size; CSS may only shrink a figure to fit.
SCALE = 2.4


# --------------------------------------------------------------------------
# Data


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


@dataclass(frozen=True)
class Shape:
    """One piece of equipment; ``kind`` is one of :data:`SHAPES`."""

    kind: str
    x: float
    y: float
    size: float  # roller radius, or the width of a table or step


@dataclass(frozen=True)
class Figure:
    name: str
    alt: str  # the text alternative: describes the position in words
    view: tuple[float, float, float, float]  # one panel: min x, min y, width, height
    floor: float
    equipment: tuple[Shape, ...]
    poses: tuple[Pose, ...]
    source: str

    @property
    def width(self) -> float:
        n = len(self.poses)
        return n * self.view[2] + (n - 1) * PANEL_GAP

    @property
    def view_box(self) -> str:
        x, y, _, h = self.view
        return " ".join(_num(v) for v in (x, y, self.width, h))


# --------------------------------------------------------------------------
# Checks


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def point(doc: Doc, key: tuple[str, ...], value: Any) -> Point | None:
    if isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value):
        return float(value[0]), float(value[1])
    doc.error(key, f"`{'.'.join(key)}` must be a point `[x, y]` of two numbers, not {value!r}")
    return None


def points(count: int, names: str) -> Any:
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


def text(doc: Doc, key: tuple[str, ...], value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    doc.error(key, f"`{'.'.join(key)}` must be a non-empty text")
    return None


POSE_FIELDS = {
    "head": point,
    "neck": point,
    "hip": point,
    "near_arm": points(2, "elbow, hand"),
    "far_arm": points(2, "elbow, hand"),
    "near_leg": points(3, "knee, ankle, toe"),
    "far_leg": points(3, "knee, ankle, toe"),
}
POSE_OPTIONAL = {"label": text, "back": point, "arrow": arrow}
# Equipment: the fields each shape needs besides `shape`.
SHAPES: dict[str, dict[str, Any]] = {
    "roller": {"x": number, "y": number, "r": positive},
    "table": {"x": number, "y": number, "width": positive},
    "step": {"x": number, "y": number, "width": positive},
}
FIGURE_FIELDS = {"alt": text, "view": view, "floor": number, "poses": None}
FIGURE_OPTIONAL = {"equipment": None}


def _check_shape(doc: Doc, key: tuple[str, ...], value: Any, floor: float) -> Shape | None:
    kind = value.get("shape") if isinstance(value, dict) else None
    if kind not in SHAPES:
        close = difflib.get_close_matches(str(kind), SHAPES, n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        doc.error(
            (*key, "shape"),
            f"`shape` must be one of: {', '.join(SHAPES)}, not {kind!r}{hint}",
        )
        return None
    fields = check_mapping(doc, key, value, {"shape": text, **SHAPES[kind]})
    if fields is None:
        return None
    size = fields.get("r") or fields.get("width")
    shape = Shape(kind, fields["x"], fields["y"], size)
    if kind != "roller" and shape.y >= floor:
        doc.error((*key, "y"), f"the {kind} top (y {_num(shape.y)}) must be above the floor")
        return None
    return shape


def _check_pose(doc: Doc, key: tuple[str, ...], value: Any, labelled: bool) -> Pose | None:
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


def _outside(view_: tuple[float, ...], p: Point) -> bool:
    x, y, w, h = view_
    return not (x <= p[0] <= x + w and y <= p[1] <= y + h)


def _pose_points(pose: Pose) -> Iterable[tuple[str, Point]]:
    for name in ("head", "neck", "hip", "back"):
        p = getattr(pose, name)
        if p is not None:
            yield name, p
    for name in ("near_arm", "far_arm", "near_leg", "far_leg", "arrow"):
        for i, p in enumerate(getattr(pose, name)):
            yield f"{name}.{i}", p


def load_figure(path: Path, shown: str) -> tuple[Figure | None, list[ContentError]]:
    """Read and check one figure file."""
    doc = read_yaml(path, shown)
    if isinstance(doc, ContentError):
        return None, [doc]

    def anything(d: Doc, k: tuple[str, ...], v: Any) -> Any:
        return v

    raw = check_mapping(
        doc,
        (),
        doc.data,
        dict.fromkeys(FIGURE_FIELDS, anything),
        dict.fromkeys(FIGURE_OPTIONAL, anything),
    )
    if raw is None:
        return None, doc.errors
    alt = text(doc, ("alt",), raw["alt"])
    view_ = view(doc, ("view",), raw["view"])
    floor = number(doc, ("floor",), raw["floor"])
    raw_poses = raw["poses"]
    if not isinstance(raw_poses, list) or not 1 <= len(raw_poses) <= MAX_POSES:
        doc.error(("poses",), f"`poses` must list 1 or {MAX_POSES} poses (a start and an end)")
        return None, doc.errors
    poses = [
        _check_pose(doc, ("poses", str(i)), item, len(raw_poses) > 1)
        for i, item in enumerate(raw_poses)
    ]
    raw_gear = raw.get("equipment", [])
    if not isinstance(raw_gear, list):
        doc.error(("equipment",), "`equipment` must be a list of shapes")
        return None, doc.errors
    gear = (
        [_check_shape(doc, ("equipment", str(i)), s, floor) for i, s in enumerate(raw_gear)]
        if floor is not None
        else []
    )
    if doc.errors or alt is None or view_ is None or floor is None:
        return None, doc.errors
    for i, pose in enumerate(poses):
        for name, p in _pose_points(pose):  # type: ignore[arg-type]
            if _outside(view_, p):
                doc.error(
                    ("poses", str(i), name.split(".")[0]),
                    f"point `{name}` [{_num(p[0])}, {_num(p[1])}] is outside the `view`; "
                    "move it or make the view larger",
                )
    if doc.errors:
        return None, doc.errors
    figure = Figure(path.stem, alt, view_, floor, tuple(gear), tuple(poses), shown)  # type: ignore[arg-type]
    return figure, []


def load_figures(
    content_dir: Path,
    stretches: Iterable[Stretch],
    docs: Mapping[str, Doc],
    shown: Any = str,
) -> tuple[dict[str, Figure], list[ContentError]]:
    """Load every figure a stretch names; a missing one is an error in that stretch's file."""
    folder = Path(content_dir) / FIGURE_DIR
    available = sorted(p.stem for p in folder.glob("*.yml")) if folder.is_dir() else []
    figures: dict[str, Figure] = {}
    errors: list[ContentError] = []
    for stretch in stretches:
        name = stretch.figure
        if name is None or name in figures:
            continue
        doc = docs.get(stretch.source)  # None for a stretch reused from the build cache
        if not SLUG_RE.match(name) or name not in available:
            close = difflib.get_close_matches(name, available, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            known = ", ".join(available) or "none yet"
            errors.append(
                ContentError(
                    stretch.source,
                    doc.line("figure") if doc is not None else 1,
                    f"unknown figure {name!r}{hint}: add `{FIGURE_DIR}/{name}.yml` to the "
                    f"content folder, or use one of: {known}",
                )
            )
            continue
        path = folder / f"{name}.yml"
        figure, figure_errors = load_figure(path, shown(path))
        errors += figure_errors
        if figure is not None:
            figures[name] = figure
    return figures, errors


# --------------------------------------------------------------------------
# Drawing


def _num(value: float) -> str:
    """Shortest text for a coordinate: 12.0 -> 12, 0.50 -> .5."""
    out = f"{value:.1f}".rstrip("0").rstrip(".")
    out = out.replace("0.", ".", 1) if out.startswith(("0.", "-0.")) else out
    return out if out not in ("", "-") else "0"


def _pt(p: Point) -> str:
    return f"{_num(p[0])} {_num(p[1])}"


def _line(*pts: Point) -> str:
    return "M" + "L".join(_pt(p) for p in pts)


def _spine(pose: Pose) -> str:
    if pose.back is None:
        return _line(pose.neck, pose.hip)
    # A quadratic curve that passes through `back`: its control point is
    # 2*back - (neck + hip)/2, so the spine bends smoothly, not at an angle.
    ctl = (
        2 * pose.back[0] - (pose.neck[0] + pose.hip[0]) / 2,
        2 * pose.back[1] - (pose.neck[1] + pose.hip[1]) / 2,
    )
    return f"M{_pt(pose.neck)}Q{_pt(ctl)} {_pt(pose.hip)}"


def _arrow(pts: tuple[Point, ...]) -> str:
    start, end = pts[0], pts[-1]
    bend = pts[1] if len(pts) == 3 else None
    path = f"M{_pt(start)}Q{_pt(bend)} {_pt(end)}" if bend else _line(start, end)
    # The head follows the direction the arrow arrives from.
    base = bend or start
    dx, dy = end[0] - base[0], end[1] - base[1]
    length = (dx * dx + dy * dy) ** 0.5 or 1.0
    ux, uy = dx / length, dy / length
    size = 4.5
    left = (end[0] - size * (ux - uy * 0.8), end[1] - size * (uy + ux * 0.8))
    right = (end[0] - size * (ux + uy * 0.8), end[1] - size * (uy - ux * 0.8))
    return f"{path}{_line(left, end, right)}"


def _shape(shape: Shape, floor: float) -> str:
    x, y, s = shape.x, shape.y, shape.size
    if shape.kind == "roller":
        # Seen end-on: a ring with a hollow core, so it reads as a tube.
        return (
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(s)}" fill="currentColor" '
            f'fill-opacity=".15"/><circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(s / 3)}"/>'
        )
    if shape.kind == "table":
        top = _line((x, y), (x + s, y))
        legs = _line((x + 3, y), (x + 3, floor)) + _line((x + s - 3, y), (x + s - 3, floor))
        return f'<path d="{top}" stroke-width="3.5"/><path d="{legs}"/>'
    # A step: a box from its top down to the floor.
    return (
        f'<path d="M{_pt((x, floor))}V{_num(y)}H{_num(x + s)}V{_num(floor)}" '
        'fill="currentColor" fill-opacity=".15"/>'
    )


def _bounds(figure: Figure, pose: Pose, pad: float = 4) -> tuple[float, float, float, float]:
    """The smallest view around one pose and its equipment, for thumbnails."""
    pts = [p for _, p in _pose_points(pose)]
    r = HEAD_RADIUS
    pts += [(pose.head[0] - r, pose.head[1] - r), (pose.head[0] + r, pose.head[1] + r)]
    for shape in figure.equipment:
        if shape.kind == "roller":
            pts += [(shape.x - shape.size, shape.y - shape.size)]
            pts += [(shape.x + shape.size, shape.y + shape.size)]
        else:
            pts += [(shape.x, shape.y), (shape.x + shape.size, figure.floor)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts] + [figure.floor]
    x0, y0 = min(xs) - pad, min(ys) - pad
    return x0, y0, max(xs) + pad - x0, max(ys) + pad - y0


def _panel(
    figure: Figure,
    pose: Pose,
    large: bool,
    label: bool,
    view_: tuple[float, float, float, float],
) -> str:
    x0, y0, w, _ = view_
    gear = _line((x0 + 1, figure.floor), (x0 + w - 1, figure.floor))
    parts = [f'<g class="fig-gear" stroke-width="2"><path d="{gear}"/>']
    parts += [_shape(s, figure.floor) for s in figure.equipment]
    if pose.arrow and large:  # too fussy at thumbnail size
        parts.append(f'<path class="fig-arrow" d="{_arrow(pose.arrow)}"/>')
    parts.append("</g>")
    far = _line(pose.neck, *pose.far_arm) + _line(pose.hip, *pose.far_leg)
    near = _line(pose.neck, *pose.near_arm) + _line(pose.hip, *pose.near_leg)
    parts.append(
        f'<path d="{far}" stroke-width="{LIMB_WIDTH}" opacity="{_num(FAR_OPACITY)}"/>'
        f'<path d="{_spine(pose)}" stroke-width="{TORSO_WIDTH}"/>'
        f'<path d="{near}" stroke-width="{LIMB_WIDTH}"/>'
        f'<circle cx="{_num(pose.head[0])}" cy="{_num(pose.head[1])}" r="{HEAD_RADIUS}" '
        'fill="currentColor" stroke="none"/>'
    )
    if label and pose.label:
        parts.append(
            f'<text x="{_num(x0 + 2)}" y="{_num(y0 + LABEL_SIZE + 1)}" font-size="{LABEL_SIZE}" '
            f'font-weight="600" fill="currentColor" stroke="none">{escape(pose.label)}</text>'
        )
    return "".join(parts)


def render_svg(
    figure: Figure,
    size: str = "large",
    id_prefix: str | None = None,
    poses: Iterable[int] | None = None,
) -> str:
    """The figure as inline SVG markup.

    ``large`` carries ``role="img"`` and a ``<title>`` with the text
    alternative; ``small`` is a decorative thumbnail (``aria-hidden``, no
    labels) for places where the stretch's name and summary sit beside it:
    it shows only the last pose (the one held), cropped close.
    ``poses`` picks some poses (by index) instead of the default.
    """
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, not {size!r}")
    large = size == "large"
    if poses is None:
        poses = range(len(figure.poses)) if large else [len(figure.poses) - 1]
    chosen = [figure.poses[i] for i in poses]
    view_ = figure.view if large else _bounds(figure, chosen[-1])
    x0, y0, w, h = view_
    width = len(chosen) * w + (len(chosen) - 1) * PANEL_GAP
    body = []
    for i, pose in enumerate(chosen):
        inner = _panel(figure, pose, large, large and len(chosen) > 1, view_)
        body.append(
            f'<g transform="translate({_num(i * (w + PANEL_GAP))})">{inner}</g>' if i else inner
        )
        if i:
            # A chevron in the gap: "then".
            cx, cy = x0 + i * (w + PANEL_GAP) - PANEL_GAP / 2, y0 + h / 2
            chevron = _line((cx - 2, cy - 5), (cx + 3, cy), (cx - 2, cy + 5))
            body.insert(-1, f'<path class="fig-gear" d="{chevron}" stroke-width="2.5"/>')
    view_box = " ".join(_num(v) for v in (x0, y0, width, h))
    attrs = (
        f'xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}" '
        f'width="{_num(width * SCALE)}" height="{_num(h * SCALE)}" class="fig fig-{size}" '
        'fill="none" stroke="currentColor" stroke-linecap="round" stroke-linejoin="round"'
    )
    if large:
        title_id = f"{id_prefix or 'fig-' + figure.name}-title"
        part = len(chosen) < len(figure.poses) and chosen[0].label
        alt = f"{chosen[0].label}: {figure.alt}" if part else figure.alt
        head = f'<svg {attrs} role="img" aria-labelledby={quoteattr(title_id)}>'
        head += f"<title id={quoteattr(title_id)}>{escape(alt)}</title>"
    else:
        head = f'<svg {attrs} aria-hidden="true" focusable="false">'
    return head + "".join(body) + "</svg>"


def figure_data(figure: Figure) -> dict[str, Any]:
    """A JSON-able form of the figure, for scripts such as the timer.

    ``svg`` is the whole figure; ``poses`` has one single-pose SVG per pose
    (e.g. to show the start during a rep and the end during the hold).
    Strings are complete, self-contained ``<svg>`` elements in currentColor.
    """
    return {
        "name": figure.name,
        "alt": figure.alt,
        "svg": render_svg(figure, "large", f"fig-{figure.name}-all"),
        "poses": [
            {
                "label": pose.label,
                "svg": render_svg(figure, "large", f"fig-{figure.name}-{i}", poses=[i]),
            }
            for i, pose in enumerate(figure.poses)
        ],
    }
