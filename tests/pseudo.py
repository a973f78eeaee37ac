"""A test-only pseudo-language: every phrase with its letters made full-width.

Built into a site or handed to the timer's scripts, it shows what did not come
from the catalogue: after the content's own words are taken out, any plain
ASCII letter left on a page or in the spoken script is a literal that a second
language would miss. Placeholders (``{name}``) stay as they are, so the
pseudo catalogue fills in exactly like the real one.

    python -m tests.pseudo    # the timer's phrases, real and pseudo, as JSON (tests/js)
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from contextlib import contextmanager

from stretchsite.phrases import CATALOGUES, DEFAULT_LANGUAGE, Phrases
from stretchsite.routine import SCRIPT_PHRASES

PSEUDO = "x-pseudo"
# A (U+0041) -> U+FF21 ... z -> U+FF5A: still letters, never ASCII ones.
FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in string.ascii_letters})
PLACEHOLDER = re.compile(r"(\{\w+\})")


def pseudo_text(text: str) -> str:
    """``text`` with every letter outside its placeholders made full-width."""
    return "".join(
        part if PLACEHOLDER.fullmatch(part) else part.translate(FULL_WIDTH)
        for part in PLACEHOLDER.split(text)
    )


def pseudo_catalogue() -> dict[str, str]:
    """The default catalogue, every phrase through :func:`pseudo_text`."""
    return {key: pseudo_text(text) for key, text in CATALOGUES[DEFAULT_LANGUAGE].items()}


def script_phrases(pseudo: bool) -> dict[str, str]:
    """What the timer's scripts get (the routine data's phrases), real or pseudo."""
    if not pseudo:
        return Phrases().for_script(*SCRIPT_PHRASES)
    CATALOGUES[PSEUDO] = pseudo_catalogue()
    try:
        return Phrases(PSEUDO).for_script(*SCRIPT_PHRASES)
    finally:
        del CATALOGUES[PSEUDO]


@contextmanager
def pseudo_language() -> Iterator[str]:
    """The pseudo-language as one more catalogue for a while (forked build
    workers see it too); yields its name, for site.yml's `language`."""
    CATALOGUES[PSEUDO] = pseudo_catalogue()
    try:
        yield PSEUDO
    finally:
        del CATALOGUES[PSEUDO]


def has_ascii_letter(text: str) -> bool:
    """True when ``text`` holds a plain ASCII letter (one no catalogue phrase gave)."""
    return any(c in string.ascii_letters for c in text)


def both() -> dict[str, dict[str, str]]:
    """The timer's real and pseudo phrases, as tests/js/routine.mjs reads them."""
    return {"real": script_phrases(False), "pseudo": script_phrases(True)}


if __name__ == "__main__":
    print(json.dumps(both()))
