"""Content files as text and YAML documents that remember the line of every key.

Every problem is a :class:`ContentError` pointing at a file and line, so an
author can jump straight to it; :class:`ContentErrors` carries all of them.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import frontmatter
import yaml

# The C loader is several times faster; it is missing on some platforms.
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 20
_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "seq", "map"))
_SCALAR_NODE, _SEQUENCE_NODE = yaml.ScalarNode, yaml.SequenceNode


class _QuickTags(_SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader, finding each node's tag in fewer steps: the loader asks once per
    node, a good part of reading a content file. Same tags as PyYAML's own resolver
    (tests/test_quick_load.py compares them), given what that resolver holds: no
    resolver by path, none tried on every value whatever its first character."""

    def resolve(self, kind: type, value: str | None, implicit: Any) -> str:
        if kind is _SCALAR_NODE:
            if implicit[0]:  # plain (unquoted): `10` is a number, `yes` a boolean
                resolvers = self.yaml_implicit_resolvers.get(value[:1])
                if resolvers:
                    for tag, pattern in resolvers:
                        if pattern.match(value):
                            return tag
            return _STR
        return _SEQ if kind is _SEQUENCE_NODE else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Nothing to do: no tag depends on a node's path."""

    def ascend_resolver(self) -> None:
        """Nothing to do: no tag depends on a node's path."""


SafeLoader: type = (
    _SafeLoader
    if _SafeLoader.yaml_path_resolvers or None in _SafeLoader.yaml_implicit_resolvers
    else _QuickTags
)


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one content file, pointing at the line to fix."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentErrors(Exception):
    """Raised when content is invalid; holds every problem found."""

    def __init__(self, errors: Iterable[ContentError]):
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class Doc:
    """A parsed YAML mapping plus the line of every key, for messages."""

    path: str
    data: dict[str, Any]
    first_line: int  # line of the mapping itself, used when a key is missing
    root: yaml.Node | None = None  # the document's nodes: where each key's line is read
    offset: int = 0  # lines of the file before the YAML text
    errors: list[ContentError] = field(default_factory=list)

    @cached_property
    def lines(self) -> dict[tuple[str, ...], int]:
        """The line of every key (`("cues", "0")` for a list item): worked out the first
        time a message needs one, as most documents never do."""
        return _key_lines(self.root, self.offset) if self.root is not None else {}

    def line(self, *key: str) -> int:
        while key and key not in self.lines:
            key = key[:-1]
        return self.lines.get(key, self.first_line) if key else self.first_line

    def error(self, key: tuple[str, ...], message: str) -> None:
        self.errors.append(ContentError(self.path, self.line(*key), message))


def _key_lines(node: yaml.Node, offset: int, prefix: tuple[str, ...] = ()) -> dict:
    lines: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (*prefix, str(key_node.value))
            line = key_node.start_mark.line + 1 + offset
            if key in lines:  # YAML would silently keep the last one
                raise DuplicateKey(
                    line, f"`{key[-1]}` is given twice (lines {lines[key]} and {line}); keep one"
                )
            lines[key] = line
            lines.update(_key_lines(value_node, offset, key))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            key = (*prefix, str(i))
            lines[key] = item.start_mark.line + 1 + offset
            lines.update(_key_lines(item, offset, key))
    return lines


class DuplicateKey(Exception):
    """A mapping names the same key twice."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def _refuse_aliases_and_depth(root: yaml.Node) -> tuple[int, str] | None:
    """Refuse YAML anchors/aliases and deep nesting before building any data.

    Content never needs `&anchor`/`*alias`; refusing them rules out self
    references and "billion laughs" expansion. Returns (0-based line, message).
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            return node.start_mark.line, (
                "YAML anchors and aliases (`&name`, `*name`) are not supported; "
                "write the value out in full"
            )
        seen.add(id(node))
        if depth > MAX_DEPTH:
            return node.start_mark.line, f"nested more than {MAX_DEPTH} levels deep; flatten it"
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += [(key, depth + 1), (value, depth + 1)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, depth + 1) for item in node.value]
    return None


# Scalars other than texts that PyYAML builds in one step (no tag of a list or mapping).
_SCALARS = frozenset(
    f"tag:yaml.org,2002:{kind}" for kind in ("null", "bool", "int", "float", "binary", "timestamp")
)


class _NotPlain(Exception):
    """A document :func:`_plain_data` leaves to the exact checks of :func:`_checked_yaml`."""


def _plain_data(node: yaml.Node, depth: int, construct: Callable[[yaml.Node], Any]) -> Any:
    """The data of a document made of plain mappings (text keys, each once), lists and
    scalars, at most ``MAX_DEPTH`` deep; raises :class:`_NotPlain` at anything else.

    One walk instead of PyYAML's constructor plus the alias, depth and key checks:
    a text is its node's value, other scalars (numbers, booleans, dates) are
    built by PyYAML (``construct``). Only called with no anchor in the text, so
    no node is reached twice.
    """
    if depth > MAX_DEPTH:
        raise _NotPlain
    kind = node.__class__
    if kind is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        if node.tag in _SCALARS:
            return construct(node)
        raise _NotPlain  # `!!seq x`: PyYAML finds out only when the document is complete
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        return [_plain_data(item, depth + 1, construct) for item in node.value]
    if kind is yaml.MappingNode and node.tag == _MAP:
        data = {}
        for key, value in node.value:
            if key.__class__ is not yaml.ScalarNode or key.tag != _STR:
                raise _NotPlain  # a number, `<<` merge, or mapping as a key
            data[key.value] = _plain_data(value, depth + 1, construct)
        if len(data) != len(node.value):
            raise _NotPlain  # a key given twice
        return data
    raise _NotPlain  # an explicit tag such as `!!set`, or a tag on the wrong kind of node


def _plain_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The root node and data of a plain YAML document (see :func:`_plain_data`)."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        return node, (None if node is None else _plain_data(node, 0, loader.construct_object))
    finally:
        loader.dispose()


def parse_yaml(text: str, path: str, offset: int = 0) -> Doc | ContentError:
    """Parse a YAML mapping safely, keeping the line of each key.

    ``offset`` is the number of lines that come before ``text`` in the file.
    A plain document (nearly every content file) is read in one quick walk;
    anything else, and anything wrong, by the full checks, which alone word
    every message, so both ways give one result.
    """
    # Without `&` there is no anchor, so no alias: the quick walk need not look for one.
    if "&" not in text:
        try:
            node, data = _plain_yaml(text)
        except Exception:  # the full checks meet it again and report it
            pass
        else:
            return _mapping_doc(path, data, node, offset)
    return _checked_yaml(text, path, offset)


def _mapping_doc(path: str, data: Any, node: yaml.Node | None, offset: int) -> Doc | ContentError:
    """The document of checked YAML data, if it is a mapping (empty YAML is one)."""
    if node is None:
        return Doc(path, {}, offset + 1)
    first = node.start_mark.line + 1 + offset
    if not isinstance(data, dict):
        return ContentError(path, first, "expected a mapping of `name: value` fields at the top")
    return Doc(path, data, first, node, offset)


def _checked_yaml(text: str, path: str, offset: int) -> Doc | ContentError:
    """:func:`parse_yaml` of any text: PyYAML's constructor, after refusing aliases and
    deep nesting, then duplicate keys, each problem as a content error."""
    try:
        loader = SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                refused = _refuse_aliases_and_depth(node)
                if refused is not None:
                    line, problem = refused
                    return ContentError(path, line + 1 + offset, problem)
            try:
                data = loader.construct_document(node) if node is not None else None
            except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
                # PyYAML's own builders of dates, numbers and booleans fail so on
                # `2001-02-30` (a day no month has) or `!!int abc`.
                return _unreadable_scalar(loader, node, path, offset)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else offset + 1
        problem = " ".join((exc.problem or exc.context or "cannot parse").split())
        return ContentError(path, line, f"invalid YAML: {problem}; check indentation and quoting")
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1 + offset
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return ContentError(
            path, line, f"invalid YAML: character U+{ord(char):04X} is not allowed; remove it"
        )
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return ContentError(path, offset + 1, f"invalid YAML: {first}")
    except RecursionError:
        return ContentError(path, offset + 1, "invalid YAML: nested too deeply")
    if node is not None:
        try:
            _key_lines(node, offset)
        except DuplicateKey as exc:
            return ContentError(path, exc.line, exc.message)
    return _mapping_doc(path, data, node, offset)


# What each kind of scalar PyYAML builds is called in a message.
_SCALAR_NAMES = {
    "null": "null (nothing)",
    "bool": "true or false",
    "int": "a whole number",
    "float": "a number",
    "binary": "base64 data",
    "timestamp": "a date",
}


def _unreadable_scalar(loader: Any, root: yaml.Node, path: str, offset: int) -> ContentError:
    """The first value (in the file's order) that PyYAML cannot build, as a content error."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            build = loader.yaml_constructors.get(node.tag)
            try:
                if build is not None:
                    build(loader, node)
            except (yaml.YAMLError, ValueError, TypeError, KeyError, AttributeError, OverflowError):
                kind = _SCALAR_NAMES.get(node.tag.rpartition(":")[2], node.tag)
                return ContentError(
                    path,
                    node.start_mark.line + 1 + offset,
                    f"invalid YAML: {node.value!r} reads as {kind} but is not one; correct it, "
                    "or put it in quotes to keep it as text",
                )
        elif isinstance(node, yaml.MappingNode):
            stack += [item for pair in reversed(node.value) for item in reversed(pair)]
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed(node.value)
    return ContentError(path, offset + 1, "invalid YAML: a value cannot be read; check it")


def file_digest(raw: bytes) -> str:
    """What tells one version of a content file's bytes from another (the build cache keeps it)."""
    return hashlib.sha1(raw).hexdigest()


def read_bytes(path: Path | str, shown: str) -> tuple[bytes, os.stat_result] | ContentError:
    """A content file's bytes and status, or why it cannot be read.

    Only regular files are read: a named pipe (or a device) where a file
    should be would make the build wait forever, so it is refused. It is
    opened without blocking, so even opening it cannot hang. Read with plain
    system calls (no file object: this runs once a file, thousands of times).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return ContentError(shown, 1, f"cannot read file: {exc.strerror}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return ContentError(
                shown, 1, "not a regular file (a named pipe, socket or device); replace it"
            )
        try:
            return _read_all(fd, info.st_size), info
        except OSError as exc:
            return ContentError(shown, 1, f"cannot read file: {exc.strerror}")
    finally:
        os.close(fd)


def _read_all(fd: int, size: int) -> bytes:
    """Every byte up to the end of an open file ``size`` bytes long when looked at (it may
    have changed since)."""
    chunks = [os.read(fd, size + 1)]
    while chunks[-1]:
        chunks.append(os.read(fd, max(size, 1 << 16)))
    return chunks[0] if len(chunks) == 2 else b"".join(chunks)


def read_text(path: Path, shown: str) -> str | ContentError:
    """Read a file as UTF-8 (a BOM is allowed), or explain where it is not."""
    read = read_bytes(path, shown)
    return read if isinstance(read, ContentError) else decode_text(read[0], shown)


def decode_text(raw: bytes, shown: str) -> str | ContentError:
    """UTF-8 bytes (a BOM is allowed) to text with \\n line ends, or where they are not."""
    try:
        result = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return ContentError(
            shown, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        )
    if "\x00" in result:
        line = result[: result.index("\x00")].count("\n") + 1
        return ContentError(shown, line, "contains a NUL byte; is this a text file?")
    return result.replace("\r\n", "\n").replace("\r", "\n")


def read_yaml(path: Path, shown: str) -> Doc | ContentError:
    """Read a whole-file YAML mapping (site data, a figure) with its key lines."""
    source = read_text(path, shown)
    return source if isinstance(source, ContentError) else parse_yaml(source, shown)


@dataclass(frozen=True)
class MarkdownDoc:
    """A Markdown file split into its YAML frontmatter (with key lines) and its body."""

    frontmatter: Doc
    body: str
    body_line: int  # the body's first written line, for messages about it


FRONTMATTER = frontmatter.YAMLHandler()


def parse_markdown(source: str, shown: str) -> MarkdownDoc | ContentError:
    """Split a Markdown file with python-frontmatter and parse its frontmatter.

    Line numbers count from the start of the file, so errors in the
    frontmatter or the body point into the file as the author sees it.
    """
    if not FRONTMATTER.detect(source):
        return ContentError(
            shown,
            1,
            "missing frontmatter: start the file with a `---` line, the fields, "
            "then another `---` line",
        )
    try:
        fm, body = FRONTMATTER.split(source)
    except ValueError:  # one `---` line only
        return ContentError(shown, 1, "frontmatter is not closed: add a `---` line after it")
    opening = FRONTMATTER.FM_BOUNDARY.match(source)
    assert opening is not None  # detect() found it
    doc = parse_yaml(fm, shown, offset=source.count("\n", 0, opening.end()))
    if isinstance(doc, ContentError):
        return doc
    if not doc.data:
        doc.first_line = 1
    # Point body errors at its first written line, not at the blank lines before it.
    body_start = len(source) - len(body.lstrip())
    return MarkdownDoc(doc, body, source.count("\n", 0, body_start) + 1)
