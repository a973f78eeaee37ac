"""Printable pages: timer links, QR codes, and a check that each sheet fits a page.

The cards and the cheat sheet are designed for the overlap of A4 and US Letter
(210 mm x 279.4 mm) minus the browser's default margins. The layout itself is
in ``static/css/print.css``; this module estimates from the content how tall
each sheet will print, so the build can warn before a runner finds a second
page coming out of the printer.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from .content import AgeGroup, Site, Stretch
from .phrases import Phrases
from .routes import ROUTES
from .wording import Wording

# Medium error correction: survives a crease or a smudge on a fridge printout
# while keeping the code small enough for the card's corner.
QR_ERROR = "m"
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules


class QRCodes:
    """QR codes as inline SVG, black on transparent, sized by CSS.

    Each code is made once per process (a build shows each twice: its card
    and the cheat sheet) and, given the user's cache ``folder``, kept there
    for later builds: choosing a code's mask takes a few ms. A kept code is
    used only if it was made from the same address by the same generator
    code (``salt``) and the same segno; anything else is made again.
    """

    def __init__(self, folder: Path | None = None, salt: str = ""):
        self.folder = folder
        self.salt = salt
        self._made: dict[str, str] = {}

    def __call__(self, data: str, label: str) -> Markup:
        """``data`` as a code; ``label`` is read to screen readers in place of the pattern."""
        svg = self._made.get(data)
        if svg is None:
            svg = self._made[data] = self._kept(data) if self.folder else qr_svg_text(data)
        # An accessible name; the drawing itself means nothing to a screen reader.
        attrs = f'role="img" aria-label="{escape(label)}" '
        return Markup(svg.replace("<svg ", "<svg " + attrs, 1))

    def _kept(self, data: str) -> str:
        """The code from the cache folder, made and kept there first if need be."""
        assert self.folder is not None
        recipe = hashlib.sha256(f"{self.salt}\0{_segno_stamp()}\0{data}".encode()).hexdigest()
        path = self.folder / (hashlib.sha256(data.encode()).hexdigest()[:32] + ".svg")
        try:
            head, _, svg = path.read_text(encoding="ascii").partition("\n")
        except (OSError, ValueError):
            head = svg = ""
        if head == recipe and svg.startswith("<svg ") and svg.endswith("</svg>"):
            return svg
        svg = qr_svg_text(data)
        with contextlib.suppress(OSError):  # not kept: the next build makes it again
            fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".qr-")
            try:
                with os.fdopen(fd, "w", encoding="ascii") as handle:
                    handle.write(f"{recipe}\n{svg}")
                os.replace(temporary, path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
        return svg


def qr_svg(data: str, label: str) -> Markup:
    """``data`` as an inline SVG QR code (see :class:`QRCodes`), made without a cache."""
    return QRCodes()(data, label)


def _segno_stamp() -> str:
    """Which segno makes the codes, without importing it: its file and modification time."""
    spec = importlib.util.find_spec("segno")
    origin = spec.origin if spec and spec.origin else ""
    try:
        return f"{origin}:{os.stat(origin).st_mtime_ns}"
    except OSError:
        return origin


def qr_svg_text(data: str) -> str:
    """The SVG of one code, as segno draws it."""
    import segno  # imported here: only pages with a QR code need it, and only when not kept

    qr = segno.make(data, error=QR_ERROR, micro=False, boost_error=False)
    out = io.BytesIO()
    qr.save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,
        border=QR_BORDER,
        svgclass="qr",
        lineclass=None,
        dark="#000",
    )
    return out.getvalue().decode("ascii")


def address(site_url: str) -> str:
    """The published address as people type it: no scheme, no trailing slash."""
    return site_url.split("://", 1)[-1].rstrip("/")


# --------------------------------------------------------------------------
# Will it fit? A deliberately cautious estimate, in points, that mirrors the
# sizes in print.css (10 pt base, 180 mm wide sheet). Browsers break lines a
# little differently, so widths are measured in characters of an average
# width and the budget keeps a margin for error.

PT_PER_MM = 72 / 25.4
# The overlap of A4 and Letter, less 12.7 mm (0.5 in) margins all round: a
# little more than Chrome's default and about what Firefox and Safari use.
PAGE_HEIGHT_PT = (279.4 - 2 * 12.7) * PT_PER_MM
BUDGET_PT = PAGE_HEIGHT_PT - 6  # headroom for rounding in the browser


@dataclass(frozen=True)
class Text:
    """A run of text at one size in one column: how many points high it prints."""

    size: float  # pt
    leading: float  # line height as a multiple of size
    chars_per_line: int

    def height(self, text: str) -> float:
        return self.height_of(len(text))

    def height_of(self, length: int) -> float:
        """How many points ``length`` characters of text print."""
        lines = max(1, math.ceil(length / self.chars_per_line))
        return lines * self.size * self.leading


# Columns of a card block sit beside the illustration slot (about 146 mm).
CARD_TITLE = Text(14, 1.15, 46)
CARD_HOLD = Text(14.2, 1.15, 46)
CARD_FACTS = Text(10, 1.25, 80)
CARD_CUE = Text(10.5, 1.15, 80)
CARD_FULL = Text(11, 1.3, 88)  # the full width of the sheet
CARD_SMALL = Text(9.5, 1.3, 104)  # the small print at the foot, full width
CARD_FIGURE_PT = 84 + 2  # the slot is 8.4 em plus its border
CARD_BLOCK_PAD_PT = 9
CARD_HEAD_PT = 62  # kicker, title and the equipment line
CARD_FOOT_PT = 36  # spacing, and the credit line with the address


def card_block_height(stretch: Stretch, group: AgeGroup, words: Wording) -> float:
    """Estimated height in points of one stretch on a routine card (card.html's words)."""
    return _block_height(_block_text(stretch, words), _hold_words(group, words))


def _hold_words(group: AgeGroup, words: Wording) -> str:
    """What a card says of the hold, the same for every stretch on it."""
    return words.say("card.hold", hold=words.hold(group))


def _block_text(stretch: Stretch, words: Wording) -> tuple[float, int]:
    """A stretch's block on any card but for the hold's words: the points its other lines
    take, and how many characters follow the hold on its line."""
    text = CARD_TITLE.height(f"{stretch.order} {stretch.title}")
    after_hold = len(f" {words.hold_per(stretch)} {words.dose(stretch.dose)}")
    text += CARD_FACTS.height(f"{words.equipment(stretch)} {words.sides(stretch)}")
    text += sum(map(CARD_CUE.height, stretch.cues))
    if stretch.easier:
        easier = f"{words.say('easier.label')} {words.easier_hold(stretch.easier)}"
        text += CARD_CUE.height(f"{easier} {stretch.easier.note}")
    return text, after_hold


def _block_height(text: tuple[float, int], hold: str) -> float:
    others, after_hold = text
    lines = others + CARD_HOLD.height_of(len(hold) + after_hold)
    return max(lines, CARD_FIGURE_PT) + CARD_BLOCK_PAD_PT


def card_height(site: Site, group: AgeGroup, known: dict | None = None) -> float:
    """Estimated printed height in points of the routine card for ``group``.

    ``known`` memoises each stretch's words by the stretch object, which it
    holds (stretches are immutable): shared by the cards of one build, and
    kept by a long-lived process from one build to the next.
    """
    words = Wording(Phrases(site.language))
    return _card_height(site, group, words, _texts(site, words, {} if known is None else known))


def _texts(site: Site, words: Wording, known: dict) -> list[tuple[float, int]]:
    """Each stretch's block but for the hold's words (:func:`_block_text`), in order."""
    language = words.say.language  # a language change rewords every block
    texts = []
    for stretch in site.stretches:
        memo = (id(stretch), language)
        hit = known.get(memo)
        if hit is None or hit[0] is not stretch:
            hit = known[memo] = (stretch, _block_text(stretch, words))
        texts.append(hit[1])
    return texts


def _card_height(
    site: Site, group: AgeGroup, words: Wording, texts: list[tuple[float, int]]
) -> float:
    """:func:`card_height`, given each stretch's block text (:func:`_texts`)."""
    about = words.say("walk.about", minutes=words.walk(site.cooldown))
    walk = words.say("card.cooldown", about=about)
    cooldown = CARD_FULL.height(f"{site.cooldown.title}: {walk}") + 14
    foot = CARD_SMALL.height(f"{site.intensity.title} {site.intensity.text}")
    foot += CARD_SMALL.height(site.disclaimer) + CARD_FOOT_PT
    hold = _hold_words(group, words)
    # Blocks alike in what follows the hold are alike in height: each worked out once.
    heights: dict[tuple[float, int], float] = {}
    blocks = 0
    for text in texts:
        height = heights.get(text)
        if height is None:
            height = heights[text] = _block_height(text, hold)
        blocks += height
    return CARD_HEAD_PT + cooldown + blocks + foot


def fit_warnings(site: Site, known: dict | None = None) -> list[str]:
    """One clear message for each routine card that will not print on one page."""
    warnings = []
    words = Wording(Phrases(site.language))
    # Each stretch's words, for every card (memoised in ``known``: see card_height).
    texts = _texts(site, words, {} if known is None else known)
    for group in site.age_groups:
        height = _card_height(site, group, words, texts)
        if height > BUDGET_PT:
            over = (height - BUDGET_PT) / PT_PER_MM
            warnings.append(
                f"the routine card {ROUTES.card(group)} will probably not fit on one printed "
                f"page (about {over:.0f} mm too tall for A4 and US Letter): shorten stretch "
                f"titles or cues, or use fewer cues per stretch"
            )
    return warnings


def print_warnings(site: Site, site_url: str, known: dict | None = None) -> list[str]:
    """Everything about the printable pages an author should hear at build time.

    ``known``: see :func:`card_height`.
    """
    warnings = fit_warnings(site, known)
    if not site_url:
        warnings.append(
            "the printable cards have no QR code and no web address: build with "
            "--site-url https://USER.github.io/REPO/ to add them"
        )
    return warnings
