"""The lean Markdown conversion gives exactly Python-Markdown's own output.

stretchsite/markdown_html.py skips the inline patterns and block processors
whose characters a text lacks; these tests compare it with a plain
Python-Markdown instance in the site's configuration, on generated text built
from every character and construct Markdown gives meaning to, and on every
Markdown text of the real content and of the benchmark corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import make_corpus
from stretchsite.content import load_site
from stretchsite.markdown_html import (
    INLINE_NEEDS,
    MarkdownConverter,
    _SkippingInlineProcessor,
    plain_markdown,
)

ROOT = Path(__file__).resolve().parent.parent

# Pieces of Markdown: single characters with a meaning somewhere, whitespace
# (tabs, line breaks, blank lines, indentation) and whole constructs.
PIECES = [
    *"`\\[]()!<>&*_#=-+.:;/@\"'|~{}0123456789",
    "a", "b", "A", "word", "Long words here", "Hold it.", "(why?) ", "it\u2019s", "\u201cso\u201d",
    "50%", "x/y", "é", "\u00a0",
    " ", "  ", "    ", "\t", "\n", "\r", "\r\n", "\n\n", "  \n", " \t\n",
    "1. ", "2) ", "10. ", "- ", "* ", "+ ", "> ", "# ", "### ", "---", "***", "___", "===",
    "**", "__", "*em*", "_em_", "**strong**", "***both***", "`code`", "``a`b``",
    "[link](../)", "[ref]", "[ref][x]", "[x]: /target", "![alt](i.png)", "![alt][x]",
    "<b>", "</b>", "<div>\nblock\n</div>", "<!-- note -->", "<http://example.com/a>",
    "<me@example.com>", "&amp;", "&#35;", "&copy;", "& ", "&#", "&#1", "&copy",
    "\\*", "\\[", "\\\\",
    "\x02", "\x03",
]  # fmt: skip
markdownish = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
# Lines as blocks are made of: indentation, a block marker, then inline pieces;
# joined by line ends and blank lines (nested lists, code in list items...).
INDENTS = ["", " ", "  ", "   ", "    ", "     ", "\t", "        ", "\t\t", " \t"]
MARKERS = [
    "", "", "1. ", "2. ", "3) ", "- ", "* ", "+ ", "> ", "> > ", "# ", "## ", "[x]: /t ",
    "---", "===", "***", "___", "- - -", "<div>", "</div>", "<p>", "```",
]  # fmt: skip
ENDS = ["\n", "\n", "\n\n", "  \n", "\r\n", "\n \n", "\n\t\n", "\n\n\n"]
line = st.tuples(
    st.sampled_from(INDENTS),
    st.sampled_from(MARKERS),
    st.lists(st.sampled_from(PIECES), max_size=6).map("".join),
    st.sampled_from(ENDS),
).map("".join)
markdown_blocks = st.lists(line, max_size=12).map("".join)
# The converters are shared by the examples on purpose: instances are reused.
FIXTURES = [HealthCheck.function_scoped_fixture]


@pytest.fixture(scope="module")
def converter() -> MarkdownConverter:
    return MarkdownConverter()


@pytest.fixture(scope="module")
def plain():
    return plain_markdown()


@settings(max_examples=500, deadline=None, suppress_health_check=FIXTURES)
@given(markdownish)
@example("  \x02  ")  # Python-Markdown drops \x02 first: four spaces, an indented line
@example("a \x03\nb")  # ... and a line break
def test_generated_markdown_converts_as_plain_python_markdown(converter, plain, text):
    assert converter(text) == plain.reset().convert(text)


@settings(max_examples=500, deadline=None, suppress_health_check=FIXTURES)
@given(markdown_blocks)
@example("`\n  <div>\n")  # the raw HTML block taken out leaves a line break behind
def test_generated_blocks_convert_as_plain_python_markdown(converter, plain, text):
    assert converter(text) == plain.reset().convert(text)


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURES)
@given(st.text(max_size=200))
def test_any_text_converts_as_plain_python_markdown(converter, plain, text):
    assert converter(text) == plain.reset().convert(text)


def site_texts(content: Path) -> list[str]:
    site = load_site(content)
    texts = [site.intro, site.equipment_note]
    for stretch in site.stretches:
        texts += [stretch.body, stretch.why]
    return texts


def test_real_content_and_corpus_convert_as_plain_python_markdown(converter, plain, tmp_path):
    texts = site_texts(ROOT / "content") + site_texts(make_corpus(200, tmp_path))
    assert [converter(t) for t in texts] == [plain.reset().convert(t) for t in texts]


# Lines that are almost plain sentences: how each starts, then words,
# punctuation and the odd character with a meaning.
FIRST = ["Word", "é", "3", "3. ", "3) ", "(", "\u201c", "- ", "# ", *"*_ \t>[<"]
plain_sentences = st.tuples(
    st.sampled_from(FIRST),
    st.lists(
        st.sampled_from(
            [" Word", "é", "3", "  ", *".,!?()-", "\u2019", '"', " _x_", " *x*", *"_*`\n", "[x]"]
        ),
        max_size=10,
    ).map("".join),
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURES)
@given(plain_sentences)
@example("Word _x_ y")
@example("3. Word")
def test_plain_sentences_convert_as_plain_python_markdown(converter, plain, text):
    assert converter(text) == plain.reset().convert(text)


def test_shortcuts_are_taken():
    """A plain line needs no Markdown instance; plain paragraphs one with no inline pattern."""
    converter = MarkdownConverter()
    assert converter("A plain sentence, with nothing to mark up.") == (
        "<p>A plain sentence, with nothing to mark up.</p>"
    )
    assert converter._instances == {}
    two = converter("Two plain\nlines.\n\nAnd more.")
    assert two == "<p>Two plain\nlines.</p>\n<p>And more.</p>"
    (md,) = converter._instances.values()
    assert len(md.inlinePatterns) == 0
    assert isinstance(md.treeprocessors["inline"], _SkippingInlineProcessor)


def test_every_inline_pattern_of_python_markdown_has_known_needs():
    """A pattern a newer Python-Markdown brings must be added to INLINE_NEEDS to keep the speed."""
    assert {item.name for item in plain_markdown().inlinePatterns._priority} == set(INLINE_NEEDS)


def test_the_configuration_is_python_markdown_with_sane_lists_by_name():
    """Extensions are passed as classes (no entry-point lookup): the same as by name."""
    import markdown

    by_name = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    # sane_lists ends a numbered list where a bullet list starts, and the reverse.
    text = "1. one\n2. two\n* three\n\n- four\n1. five\n"
    assert plain_markdown().convert(text) == by_name.reset().convert(text)
    assert plain_markdown().convert(text) != markdown.markdown(text)
