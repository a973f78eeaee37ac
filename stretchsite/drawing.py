"""Stretch figures drawn as inline SVG, from the poses in :mod:`.content.model`.

A figure is a side view of a simple rounded-limb person, drawn from joint
positions, plus the equipment it uses (floor, foam roller, table, step) and
optional motion arrows. A figure holds one pose, or a start and an end pose
drawn side by side. Everything is drawn in ``currentColor`` (the equipment in
``color`` that site CSS may set), so a figure follows the page's text colour
in light mode, dark mode and print.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .content.model import Figure, Point, Pose, Shape
from .content.model import coordinate_text as _num  # short: used in every path

SIZES = ("large", "small")


# xml.sax.saxutils's escape and quoteattr, to the byte: importing that module
# imports urllib.request (http, email, ssl), a tenth of a cold build's time.
def escape(text: str) -> str:
    """Text for an XML element: `&`, `<` and `>` escaped."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """``text`` as a quoted XML attribute value, quotes included."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


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
# Every thumbnail shows the same square of figure units, the floor at its
# foot, so people come out the same size side by side in a list: a person
# lying down is as long as one standing up is tall. 126 units hold the
# tallest pose (standing on a step) with a little room.
THUMB_BOX = 126
THUMB_PAD = 3


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


def _bounds(figure: Figure, pose: Pose) -> tuple[float, float, float, float]:
    """Min x, min y, max x, max y of one pose's body and the equipment (no arrow)."""
    pts = [p for name, p in pose.points() if not name.startswith("arrow")]
    r = HEAD_RADIUS
    pts += [(pose.head[0] - r, pose.head[1] - r), (pose.head[0] + r, pose.head[1] + r)]
    for shape in figure.equipment:
        if shape.kind == "roller":
            pts += [(shape.x - shape.size, shape.y - shape.size)]
            pts += [(shape.x + shape.size, shape.y + shape.size)]
        else:
            pts += [(shape.x, shape.y), (shape.x + shape.size, figure.floor)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts] + [figure.floor]
    return min(xs), min(ys), max(xs), max(ys)


def thumb_view(figure: Figure, pose: Pose) -> tuple[float, float, float, float]:
    """The thumbnail's view: a :data:`THUMB_BOX` square, the floor near its foot,
    the pose centred across it. A pose too big for the square (which no
    figure of the routine is) gets a larger view rather than being cut off."""
    x0, y0, x1, y1 = _bounds(figure, pose)
    width = max(THUMB_BOX, x1 - x0 + 2 * THUMB_PAD)
    height = max(THUMB_BOX, y1 - y0 + 2 * THUMB_PAD)
    bottom = max(y1, figure.floor) + THUMB_PAD
    return (x0 + x1) / 2 - width / 2, bottom - height, width, height


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
    it shows only the last pose (the one held), in a square of the same size
    for every figure (see :func:`thumb_view`), so all thumbnails share a scale.
    ``poses`` picks some poses (by index) instead of the default.
    """
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, not {size!r}")
    large = size == "large"
    if poses is None:
        poses = range(len(figure.poses)) if large else [len(figure.poses) - 1]
    chosen = [figure.poses[i] for i in poses]
    view_ = figure.view if large else thumb_view(figure, chosen[-1])
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
