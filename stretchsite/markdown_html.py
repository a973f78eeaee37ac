"""Markdown to HTML with Python-Markdown, skipping the work a text cannot need.

Python-Markdown tries every inline pattern on every piece of text and every
block processor on every block. Each of them needs some character to match
(a link a `[`, emphasis a `*` or `_`, a heading a `#`), and most of the
site's text has few of those characters. So each text is converted by a
Markdown instance without the processors whose characters it lacks, each
block processor is tried only on blocks holding its characters, text with no
inline character at all skips the inline patterns, and the whitespace step
skips its last pass when it has nothing to do. The output is
Python-Markdown's own, byte for byte: tests/test_markdown_html.py compares it
with the plain configuration (:data:`EXTENSIONS`) on generated and real text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from xml.etree.ElementTree import Element

import markdown
from markdown import util
from markdown.extensions.sane_lists import SaneListExtension
from markdown.preprocessors import NormalizeWhitespace
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
# The other steps that can have nothing to do: raw HTML (and character
# references) read before the blocks, backslash escapes restored after them.
PREPROCESSOR_NEEDS: dict[str, tuple[str, ...]] = {"html_block": ("<", "&")}
TREEPROCESSOR_NEEDS: dict[str, tuple[str, ...]] = {"unescape": ("\\",)}
NEEDS = {
    "inline": INLINE_NEEDS,
    "block": BLOCK_NEEDS,
    "pre": PREPROCESSOR_NEEDS,
    "tree": TREEPROCESSOR_NEEDS,
}
# A piece of text with none of the inline strings is left as it is by every pattern.
INLINE_START = re.compile(
    "|".join(sorted({re.escape(s) for needs in INLINE_NEEDS.values() for s in needs}))
)
# One line of words and plain punctuation, starting with a letter: a paragraph
# of itself, with nothing to mark up or escape (most stretches' `why`).
PLAIN_LINE = re.compile(r"[^\W\d_](?: *(?:[^\W_]|[,.;:?!'\"\u2018\u2019\u201c\u201d()/%-]))*")


class _SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's inline step, trying on each text only the patterns it can match."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self.needs: list[tuple[str, ...]] = []  # of each pattern, in the order they are tried

    # Python-Markdown's private per-text step, the same loop but for the
    # patterns passed over: trying one that does not match leaves the text
    # as it is and restarts the next pattern at its start, as here.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, AtomicString) or INLINE_START.search(data) is None:
            return data
        patterns, needs = self.inlinePatterns, self.needs
        start = 0
        while patternIndex < len(patterns):
            if any(wanted in data for wanted in needs[patternIndex]):
                pattern = patterns[patternIndex]
                data, matched, start = self._InlineProcessor__applyPattern(
                    pattern, data, patternIndex, start
                )
                if matched:
                    continue
            start = 0
            patternIndex += 1
        return data


_WANTED = {w for needs in NEEDS.values() for wanted in needs.values() for w in wanted}
# Every one-character string a step needs, found in one pass over a text; the
# few longer ones are looked for one by one.
_WANTED_CHARACTER = re.compile(
    "[" + "".join(re.escape(w) for w in sorted(w for w in _WANTED if len(w) == 1)) + "]"
)
_WANTED_LONGER = tuple(sorted(w for w in _WANTED if len(w) > 1))


class _Whitespace(NormalizeWhitespace):
    """Python-Markdown's first step, the same but for its last pass: a regular
    expression over the whole text that empties lines of spaces, run only on
    a text with a space before a line end (a tenth of a stretch's conversion)."""

    # NormalizeWhitespace.run as Python-Markdown 3.11 writes it; the tests
    # compare the output with the plain configuration, so a change there shows.
    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = source.expandtabs(self.md.tab_length)
        if " \n" in source:
            source = _BLANK_LINE.sub("\n", source)
        return source.split("\n")


_BLANK_LINE = re.compile(r"(?<=\n) +\n")


def missing(text: str) -> frozenset[tuple[str, str]]:
    """The steps, as (kind, name) in :data:`NEEDS`, none of whose strings occurs in ``text``.

    None with a `<` in it: raw HTML is taken out of the text before anything
    else, and what it leaves (indentation before a line end) may match.
    """
    if "<" in text:
        return frozenset()
    if util.STX in text or util.ETX in text:
        # Python-Markdown drops these two first: what they stood between meets
        # (two spaces and two more make an indented line).
        text = text.replace(util.STX, "").replace(util.ETX, "")
    found = frozenset(_WANTED_CHARACTER.findall(text))
    return _missing_from(found.union([w for w in _WANTED_LONGER if w in text]))


@functools.cache
def _missing_from(found: frozenset[str]) -> frozenset[tuple[str, str]]:
    """:func:`missing` of a text holding exactly the strings ``found`` of those steps need
    (a few combinations make up a whole site)."""
    return frozenset(
        (kind, name)
        for kind, needs in NEEDS.items()
        for name, wanted in needs.items()
        if not any(w in found for w in wanted)
    )


def plain_markdown() -> markdown.Markdown:
    """A Markdown instance in the site's configuration, with nothing skipped."""
    return markdown.Markdown(
        extensions=[extension() for extension in EXTENSIONS], output_format=OUTPUT_FORMAT
    )


def lean_markdown(skipped: frozenset[tuple[str, str]]) -> markdown.Markdown:
    """The site's Markdown without the steps named in ``skipped`` (see :func:`missing`)."""
    md = plain_markdown()
    registries = {
        "inline": md.inlinePatterns,
        "block": md.parser.blockprocessors,
        "pre": md.preprocessors,
        "tree": md.treeprocessors,
    }
    for kind, name in skipped:
        registries[kind].deregister(name)
    if type(md.preprocessors["normalize_whitespace"]) is NormalizeWhitespace:
        # In its place: Python-Markdown registers it first, at priority 30.
        md.preprocessors.register(_Whitespace(md), "normalize_whitespace", 30)
    # What the text lacks, a block of it may lack too: tested on each block.
    blocks = md.parser.blockprocessors
    for name, wanted in BLOCK_NEEDS.items():
        if name in blocks:
            processor = blocks[name]
            processor.test = _tested_with(wanted, processor.test)  # type: ignore[method-assign]
    patterns = md.inlinePatterns
    # Patterns are passed over only while each one's needs are known: a newer
    # Python-Markdown may bring a pattern this module has never seen.
    if len(patterns) == sum(name in patterns for name in INLINE_NEEDS):
        inline = _SkippingInlineProcessor(md)
        inline.needs = [()] * len(patterns)
        for name, wanted in INLINE_NEEDS.items():
            if name in patterns:
                inline.needs[patterns.get_index_for_name(name)] = wanted
        md.treeprocessors.register(inline, "inline", 20)
    return md


def _tested_with(
    wanted: tuple[str, ...], test: Callable[[Element, str], object]
) -> Callable[[Element, str], object]:
    """A block processor's ``test``, answered no without it for a block holding none of
    the strings ``wanted`` (which its test needs to say yes)."""
    if len(wanted) == 1:
        (only,) = wanted
        return lambda parent, block: only in block and test(parent, block)
    return lambda parent, block: any(w in block for w in wanted) and test(parent, block)


class MarkdownConverter:
    """Converts Markdown to HTML, one lean instance per set of steps a text can skip."""

    def __init__(self) -> None:
        self._instances: dict[frozenset[tuple[str, str]], markdown.Markdown] = {}

    def __call__(self, text: str) -> str:
        """``text`` as HTML, exactly as :func:`plain_markdown` converts it."""
        if PLAIN_LINE.fullmatch(text):
            return f"<p>{text}</p>"
        key = missing(text)
        md = self._instances.get(key)
        if md is None:
            md = self._instances[key] = lean_markdown(key)
        return md.reset().convert(text)
