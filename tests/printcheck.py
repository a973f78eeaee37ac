"""Helpers for the printable pages: fixture content that stresses a card, and QR reading."""

from __future__ import annotations

import re
from pathlib import Path

LONG_TITLE_EXTRA = " Against A Table At Home Or At The Track"
EXTRA_CUE = "Breathe slowly and let the stretch build; ease off before it ever turns sharp"


def add_to_stretch(path: Path, title_extra: str = "", cue: str = "") -> None:
    """Make one stretch file longer: a longer title and/or one more cue line."""
    text = path.read_text(encoding="utf-8")
    if title_extra:
        text = re.sub(
            r"^title: (.*)$", lambda m: f"title: {m[1]}{title_extra}", text, count=1, flags=re.M
        )
    if cue:
        text = text.replace("cues:\n", f"cues:\n  - {cue}\n", 1)
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
        text = re.sub(r"^order: \d+$", f"order: {90 + i}", text, count=1, flags=re.M)
        text = re.sub(r"^title: (.*)$", lambda m: f"title: {m[1]} Again", text, count=1, flags=re.M)
        (content / "stretches" / f"9{i}-extra-{source.stem[3:]}.md").write_text(text)
    for path in sorted((content / "stretches").glob("*.md")):
        add_to_stretch(path, cue=EXTRA_CUE)


def qr_matrix(svg: str, border: int) -> list[list[int]]:
    """The dark modules of a segno SVG path (`M2 2.5h7m1 0h2...`), as rows of 0/1.

    The quiet zone of ``border`` modules must be empty; it is cut off.
    """
    path = re.search(r'<path[^>]* d="([^"]+)"', svg)[1]
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg)[1])
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
