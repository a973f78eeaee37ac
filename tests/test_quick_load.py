"""Quick ways of loading content give exactly what the thorough ways give.

``document.parse_yaml`` reads a plain document (text keys, lists, scalars, no
anchor) in one walk, and hands anything else to the full checks
(``_checked_yaml``: PyYAML's constructor after the alias and depth checks, then
duplicate keys), which word every message. Both must agree on every document:
the same data, the same line for every key, the same error.
"""

from __future__ import annotations

import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stretchsite.content import document, loaders, schema
from stretchsite.content.document import ContentError, Doc, parse_yaml

from .hostile_yaml import frontmatter_text

PLAIN = """\
title: Calf Stretch
order: 5
summary: Lean into a wall.
why: >-
  Tight calves
  pull on the heel.
targets: [calves, achilles]
equipment: [none]
sides: each
dose: 1 to 3 rounds
easier: {hold: 5 to 10, note: Stand closer.}
cues:
  - Heel down.
  - 'yes'
into_position: 15
"""


def deep(levels: int) -> str:
    return "x: " + "[" * levels + "]" * levels + "\n"


DOCUMENTS = [
    PLAIN,
    "",
    "# only a comment\n",
    "just text\n",
    "- a\n- list\n",
    "- {a: 1, a: 2}\n",  # a list at the top, holding a key given twice
    "title: a\ntitle: b\n",
    "easier:\n  hold: 5\n  note: x\n  hold: 6\n",
    "a: {b: 1}\nc: {b: 2, b: 3}\nd: {b: 4, b: 5}\n",  # the first of two repeated keys
    deep(20),
    deep(21),
    deep(40),
    "a: " + "[" * 25 + "]" * 25 + "\nb: " + "[" * 22 + "]" * 22 + "\n",  # two too deep
    "a:\n" + "".join("  " * i + f"  k{i}:\n" for i in range(22)) + "\n",
    "<<: {title: merged}\norder: 1\n",
    "base: &b {title: t}\nother:\n  <<: *b\n",
    "a: &x [1, 2]\nb: *x\n",
    "a: *nowhere\n",
    "title: Q&A about calves\norder: 3\n",  # an `&` that is no anchor
    "title: a & b\ntitle: c\n",
    "1: one\n2: two\n",
    "yes: x\nnull: y\n~: z\n",
    "? [a, b]\n: c\n",
    "? {a: b}\n: c\n",
    "=: value key\n",
    "tags: !!set {a, b}\n",
    "pairs: !!omap [{a: 1}, {b: 2}]\n",
    "title: !!str 5\norder: !!int '7'\n",
    "title: !!map [a]\n",
    "title: !!str {a: 1}\n",
    "title: !!seq x\n",
    "title: !!set x\n",
    "title: !!omap x\n",
    "title: !!pairs x\n",
    "title: !!null x\n",
    "title: !!int abc\n",
    "title: !!float abc\n",
    "title: !!bool maybe\n",
    "title: !!timestamp x\n",
    "order: 2001-02-30\n",
    "a: [1, {b: !!int x}]\nc: !!float y\n",  # the first one in the file is named
    "at: 2001-12-14t21:59:43.10+25:00\n",
    "title: !!binary '@@'\n",
    "title: !unknown x\n",
    "title: !!python/object/apply:os.system ['echo pwned']\n",
    "data: !!binary aGVsbG8=\n",
    "when: 2001-12-14\nat: 2001-12-14t21:59:43.10-05:00\n",
    "flags: [yes, No, on, OFF, true, 'true', ~, null, '', \"\"]\n",
    "numbers: [0x1F, 0o17, 017, 0b101, 1_000, '1_000', 1:30, -.inf, .NaN, 1e5, 6.8e+5, +3]\n",
    "title: [unclosed\n",
    "title: {\n",
    "\ttitle: tab\n",
    "title: 'unterminated\n",
    "a: 1\n---\nb: 2\n",
    "title: x\u0007y\n",
    "title: |\n  one\n  two\n",
    "cues:\n- a\n-\n- c\n",
    "a:\n  - b:\n      - c: [d, {e: f}]\n",
]


def outcome(result: Doc | ContentError) -> object:
    """What a result says: the error, or the data (NaN-safe), top line and every key's line."""
    if isinstance(result, ContentError):
        return result
    return repr(result.data), result.first_line, result.lines


@pytest.mark.parametrize("text", DOCUMENTS, ids=lambda t: repr(t[:30]))
@pytest.mark.parametrize("offset", [0, 1])
def test_the_quick_reading_agrees_with_the_full_checks(text, offset):
    quick = parse_yaml(text, "content/stretches/x.md", offset)
    full = document._checked_yaml(text, "content/stretches/x.md", offset)
    assert outcome(quick) == outcome(full)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frontmatter_text)
def test_any_frontmatter_reads_alike_both_ways(text):
    assert outcome(parse_yaml(text, "x.md", 1)) == outcome(document._checked_yaml(text, "x.md", 1))


def test_a_plain_document_takes_the_quick_reading(monkeypatch):
    """Else the agreement above would prove nothing: the full checks are not called."""

    def refused(*args):
        raise AssertionError("the full checks ran")

    monkeypatch.setattr(document, "_checked_yaml", refused)
    doc = parse_yaml(PLAIN, "x.md", 1)
    assert isinstance(doc, Doc)
    assert doc.data["cues"] == ["Heel down.", "yes"]
    assert doc.data["easier"] == {"hold": "5 to 10", "note": "Stand closer."}
    assert doc.data["order"] == 5 and doc.data["into_position"] == 15
    assert doc.line("cues", "1") == 15 and doc.line("easier", "note") == 12


def test_a_key_given_twice_is_found_with_the_lines_of_both():
    found = parse_yaml("title: a\norder: 1\ntitle: b\n", "x.md", 1)
    assert found == ContentError("x.md", 4, "`title` is given twice (lines 2 and 4); keep one")


VALUES = [
    "", "~", "null", "Null", "NULL", "nULL", "yes", "Yes", "YES", "no", "y", "n", "on", "Off",
    "true", "True", "TRUE", "false", "tRUE", "0", "-1", "+1", "0x1F", "0o17", "017", "0b101",
    "1_000", "1:30", "190:20:30", "1.5", ".5", "-.inf", ".NaN", ".nan", "1e5", "6.8523015e+5",
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-1-1", "<<", "=", "The", "text", "~x",
    "yesterday", "Tuesday", "5 to 10", "1 to 3 rounds", "[a]", "-", ".", "+", "_",
]  # fmt: skip


@pytest.mark.parametrize("value", VALUES)
def test_each_scalar_gets_the_tag_pyyaml_gives_it(value):
    """The loader's quicker tag lookup against PyYAML's own, plain and quoted."""
    loader = document.SafeLoader("")
    try:
        for implicit in [(True, False), (False, True), (False, False), (True, True)]:
            ours = loader.resolve(yaml.ScalarNode, value, implicit)
            pyyaml = yaml.resolver.BaseResolver.resolve(loader, yaml.ScalarNode, value, implicit)
            assert ours == pyyaml, (value, implicit)
        for kind in (yaml.SequenceNode, yaml.MappingNode):
            for implicit in (True, False):
                assert loader.resolve(kind, None, implicit) == yaml.resolver.BaseResolver.resolve(
                    loader, kind, None, implicit
                )
    finally:
        loader.dispose()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_any_scalar_gets_the_tag_pyyaml_gives_it(value):
    loader = document.SafeLoader("")
    try:
        ours = loader.resolve(yaml.ScalarNode, value, (True, False))
        assert ours == yaml.resolver.BaseResolver.resolve(
            loader, yaml.ScalarNode, value, (True, False)
        )
    finally:
        loader.dispose()


@pytest.mark.parametrize(
    "name",
    ["01-calf-stretch.md", "calf.md", "07_Hip Flexor.md", "a.b.md", "x.", ".md", "42.md", "-.md"],
)
def test_a_slug_from_a_plain_path_is_the_slug_from_a_path_object(name, tmp_path):
    """Loading passes plain strings (no Path object per file); the slug must not change."""
    path = tmp_path / "stretches" / name
    assert loaders.slug_from_filename(str(path)) == loaders.slug_from_filename(path)
    assert loaders._stem(str(path)) == path.stem


@pytest.mark.parametrize("size", [0, 1, 4096, 200_000])
@pytest.mark.parametrize("told", [0, 10, None])
def test_a_file_is_read_to_its_end_whatever_its_status_said(tmp_path, monkeypatch, size, told):
    """A file may grow between looking at it and reading it: every byte is read."""
    path = tmp_path / "grown.md"
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    path.write_bytes(data)
    real = os.fstat

    def fstat(fd):
        info = real(fd)
        return info if told is None else os.stat_result((*info[:6], told, *info[7:10]))

    monkeypatch.setattr(os, "fstat", fstat)
    read = document.read_bytes(str(path), "grown.md")
    assert not isinstance(read, ContentError)
    assert read[0] == data


def test_of_several_values_yaml_cannot_build_the_first_in_the_file_is_named():
    text = "a:\n  - 1\n  - {b: !!int x}\nc: !!float y\nd: 2001-02-30\n"
    found = parse_yaml(text, "x.md", 1)
    assert isinstance(found, ContentError)
    assert (found.line, found.message.split(" reads")[0]) == (4, "invalid YAML: 'x'")


@pytest.mark.parametrize(
    ("value", "result", "problem"),
    [
        ([" calves ", "hips"], ("calves", "hips"), None),
        ("calves", ("calves",), None),
        (["calves", ""], None, "`targets.1` must be a non-empty text, not empty"),
        (["calves", "  "], None, "`targets.1` must be a non-empty text, not empty"),
        ([5, "hips"], None, "`targets.0` must be a non-empty text, not int"),
        (["hips", None], None, "`targets.1` must be a non-empty text, not empty"),
        ([], None, "`targets` must be a list of texts, e.g. `targets: [first, second]`"),
        ({"a": 1}, None, "`targets` must be a list of texts, e.g. `targets: [first, second]`"),
    ],
)
def test_a_list_of_texts_is_cleaned_or_its_first_problem_named(value, result, problem):
    """The usual list is checked in one step; any other is checked item by item."""
    doc = parse_yaml("targets: x\n", "x.md")
    assert isinstance(doc, Doc)
    assert schema.text_list(doc, ("targets",), value) == result
    assert [e.message for e in doc.errors] == ([problem] if problem else [])
