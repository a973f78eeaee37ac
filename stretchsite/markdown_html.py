"""Markdown to HTML with Python-Markdown, skipping the work a text cannot need.

Python-Markdown tries every inline pattern on every piece of text and every
block processor on every block. Each of them needs some character to match
(a link a `[`, emphasis a `*` or `_`, a heading a `#`), and most of the
site's text has few of those characters. So each text is converted by a
Markdown instance without the processors whose characters it lacks, and text
with no inline character at all skips the inline patterns. The output is
Python-Markdown's own, byte for byte: tests/test_markdown_html.py compares it
with the plain configuration (:data:`EXTENSIONS`) on generated and real text.
"""

from __future__ import annotations

import re

import markdown
from markdown.extensions.sane_lists import SaneListExtension
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

# The site's one Markdown configuration; what every shortcut is checked against.
# Extension classes, not names: a name makes Python-Markdown look it up among
# every installed package's entry points, ~20 ms of importlib.metadata per process.
EXTENSIONS = (SaneListExtension,)
OUTPUT_FORMAT = "html"

# Each inline pattern, by its name in Python-Markdown, and the strings one of
# which a text must hold for the pattern to match anywhere in it (a subset
# of the pattern's own regular expression). Whitespace is normalised first:
# a tab may become the spaces of a line break, a carriage return its newline.
INLINE_NEEDS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": (" \n", " \r", "\t"),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
}
# The same for block processors (tested on each block, which is a piece of
# the text with some indentation or `>` taken off the front of its lines).
BLOCK_NEEDS: dict[str, tuple[str, ...]] = {
    "indent": ("    ", "\t"),
    "code": ("    ", "\t"),
    "hashheader": ("#",),
    "setextheader": ("=", "-"),
    "hr": ("-", "*", "_"),
    "quote": (">",),
    "reference": ("[",),
    "ulist": ("*", "+", "-"),
}
# A piece of text with none of those strings is left as it is by every inline pattern.
INLINE_START = re.compile(
    "|".join(sorted({re.escape(s) for needs in INLINE_NEEDS.values() for s in needs}))
)


class _SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's inline step, passing over text no pattern can match."""

    # Overrides InlineProcessor's private per-text step, which returns the
    # text unchanged when no pattern matches it; if a new Python-Markdown
    # renames it, this only stops saving time.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, AtomicString) or INLINE_START.search(data) is None:
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


def missing(text: str, needs: dict[str, tuple[str, ...]]) -> frozenset[str]:
    """The processors in ``needs`` none of whose strings occurs in ``text``.

    None with a `<` in it: raw HTML is taken out of the text before anything
    else, and what it leaves (indentation before a line end) may match.
    """
    if "<" in text:
        return frozenset()
    return frozenset(name for name, wanted in needs.items() if not any(w in text for w in wanted))


def plain_markdown() -> markdown.Markdown:
    """A Markdown instance in the site's configuration, with nothing skipped."""
    return markdown.Markdown(
        extensions=[extension() for extension in EXTENSIONS], output_format=OUTPUT_FORMAT
    )


def lean_markdown(inline: frozenset[str], block: frozenset[str]) -> markdown.Markdown:
    """The site's Markdown without the ``inline`` patterns and ``block`` processors named."""
    md = plain_markdown()
    # Text is passed over only while every pattern is one whose needs are known
    # (a newer Python-Markdown may bring a pattern this module has never seen).
    if {item.name for item in md.inlinePatterns._priority} <= INLINE_NEEDS.keys():
        md.treeprocessors.register(_SkippingInlineProcessor(md), "inline", 20)
    for name in inline:
        md.inlinePatterns.deregister(name)
    for name in block:
        md.parser.blockprocessors.deregister(name)
    return md


class MarkdownConverter:
    """Converts Markdown to HTML, one lean instance per set of missing characters."""

    def __init__(self) -> None:
        self._instances: dict[tuple[frozenset[str], frozenset[str]], markdown.Markdown] = {}

    def __call__(self, text: str) -> str:
        """``text`` as HTML, exactly as :func:`plain_markdown` converts it."""
        key = (missing(text, INLINE_NEEDS), missing(text, BLOCK_NEEDS))
        md = self._instances.get(key)
        if md is None:
            md = self._instances[key] = lean_markdown(*key)
        return md.reset().convert(text)
