"""Helpers for the printable pages: fixture content that stresses a card, and QR reading."""

from __future__ import annotations

import re
from pathlib import Path

from .helpers import Element, replaced, substituted

LONG_TITLE_EXTRA = " Against A Table At Home Or At The Track"
EXTRA_CUE = "Breathe slowly and let the stretch build; ease off before it ever turns sharp"


def add_to_stretch(path: Path, title_extra: str = "", cue: str = "") -> None:
    """Make one stretch file longer: a longer title and/or one more cue line."""
    text = path.read_text(encoding="utf-8")
    if title_extra:
        text = substituted(text, r"^title: (.*)$", lambda m: f"title: {m[1]}{title_extra}", 1, re.M)
    if cue:
        text = replaced(text, "cues:\n", f"cues:\n  - {cue}\n", 1)
    path.write_text(text, encoding="utf-8")


def stress_content(content: Path) -> None:
    """What an author might well do: a much longer name and an extra cue or two."""
    files = sorted((content / "stretches").glob("*.md"))
    longest = max(files, key=lambda f: len(re.search(r"^title: (.*)$", f.read_text(), re.M)[1]))
    add_to_stretch(longest, LONG_TITLE_EXTRA, EXTRA_CUE)
    add_to_stretch(files[0], cue=EXTRA_CUE)


def overstuff_content(content: Path) -> None:
    """Far more than one page holds: two more stretches and an extra cue everywhere."""
    files = sorted((content / "stretches").glob("*.md"))
    for i, source in enumerate(files[:2]):
        text = source.read_text(encoding="utf-8")
        text = substituted(text, r"^order: \d+$", f"order: {90 + i}", 1, re.M)
        text = substituted(text, r"^title: (.*)$", lambda m: f"title: {m[1]} Again", 1, re.M)
        (content / "stretches" / f"9{i}-extra-{source.stem[3:]}.md").write_text(text)
    for path in sorted((content / "stretches").glob("*.md")):
        add_to_stretch(path, cue=EXTRA_CUE)


def qr_matrix(svg: Element, border: int) -> list[list[int]]:
    """The dark modules of a segno SVG's path (`M2 2.5h7m1 0h2...`), as rows of 0/1.

    The quiet zone of ``border`` modules must be empty; it is cut off.
    """
    path = svg.one("path").get("d")
    size = int(re.fullmatch(r"0 0 (\d+) \d+", svg.get("viewbox"))[1])  # names come lower-cased
    grid = [[0] * size for _ in range(size)]
    x = y = 0.0
    for op, a, b in re.findall(r"([MmHh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path):
        if op in "Mm":
            dx, dy = float(a), float(b)
            x, y = (dx, dy) if op == "M" else (x + dx, y + dy)
        else:
            length = float(a)
            end = length if op == "H" else x + length
            for col in range(int(x), int(end)):
                grid[int(y)][col] = 1
            x = end
    inner = [row[border : size - border] for row in grid[border : size - border]]
    assert sum(map(sum, grid)) == sum(map(sum, inner)), "dark modules in the quiet zone"
    return inner


# --------------------------------------------------------------------------
# Measuring a printed PDF: where ink lands and how big its text is.

PAINT_OPS = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}


def _times(m: list[float], n: list[float]) -> list[float]:
    """The PDF matrix product m x n (each [a b c d e f])."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return [
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    ]


def _apply(m: list[float], x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _painted_points(stream, resources, ctm: list[float], reader) -> list[tuple[float, float]]:
    """Every point of every painted path, image and form in a content stream,
    in page space (clipping paths and invisible paths left out)."""
    import pypdf

    points: list[tuple[float, float]] = []
    path: list[tuple[float, float]] = []
    stack: list[list[float]] = []
    xobjects = resources.get("/XObject", {}) if resources else {}
    for args, op in pypdf.generic.ContentStream(stream, reader).operations:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            ctm = _times([float(v) for v in args], ctm)
        elif op in (b"m", b"l"):
            path.append(_apply(ctm, float(args[0]), float(args[1])))
        elif op in (b"c", b"v", b"y"):
            nums = [float(v) for v in args]
            path += [_apply(ctm, nums[i], nums[i + 1]) for i in range(0, len(nums), 2)]
        elif op == b"re":
            x, y, w, h = (float(v) for v in args)
            path += [_apply(ctm, x + dx, y + dy) for dx in (0, w) for dy in (0, h)]
        elif op in PAINT_OPS:
            points += path
            path = []
        elif op == b"n":
            path = []
        elif op == b"Do":
            xobject = xobjects[args[0]].get_object()
            if xobject.get("/Subtype") == "/Image":
                points += [_apply(ctm, x, y) for x in (0, 1) for y in (0, 1)]
            else:
                matrix = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                inner = _times(matrix, ctm)
                points += _painted_points(xobject, xobject.get("/Resources"), inner, reader)
    return points


def printed_page(pdf: bytes) -> dict:
    """The first page of ``pdf``: its size, how many pages there are, every text
    run with its size in points, and the lowest ink (text or drawing), all in
    points from the top of the paper."""
    import io

    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    height = float(page.mediabox.height)
    runs: list[tuple[str, float, float]] = []  # text, size, baseline from the top

    def visit(text, cm, tm, font, size):
        if text.strip():
            m = _times(tm, cm)
            runs.append((text.strip(), round(abs(size * m[3]), 2), height - m[5]))

    page.extract_text(visitor_text=visit)
    drawn = _painted_points(page.get_contents(), page.get("/Resources"), [1, 0, 0, 1, 0, 0], reader)
    lowest = [height - y for _, y in drawn]
    # A run's descenders reach about a quarter of its size below the baseline.
    lowest += [top + size / 4 for _, size, top in runs]
    return {
        "pages": len(reader.pages),
        "width": float(page.mediabox.width),
        "height": height,
        "runs": runs,
        "ink_bottom": max(lowest),
    }
