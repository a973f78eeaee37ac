"""Content files as text and YAML documents that remember the line of every key.

Every problem is a :class:`ContentError` pointing at a file and line, so an
author can jump straight to it; :class:`ContentErrors` carries all of them.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

# The C loader is several times faster; it is missing on some platforms.
SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 20


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
    lines: dict[tuple[str, ...], int]
    first_line: int  # line of the mapping itself, used when a key is missing
    errors: list[ContentError] = field(default_factory=list)

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


def parse_yaml(text: str, path: str, offset: int = 0) -> Doc | ContentError:
    """Parse a YAML mapping safely, keeping the line of each key.

    ``offset`` is the number of lines that come before ``text`` in the file.
    """
    try:
        loader = SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                refused = _refuse_aliases_and_depth(node)
                if refused is not None:
                    line, problem = refused
                    return ContentError(path, line + 1 + offset, problem)
            data = loader.construct_document(node) if node is not None else None
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
    if node is None:
        data, lines, first = {}, {}, offset + 1
    else:
        try:
            lines = _key_lines(node, offset)
        except DuplicateKey as exc:
            return ContentError(path, exc.line, exc.message)
        first = node.start_mark.line + 1 + offset
    if not isinstance(data, dict):
        return ContentError(path, first, "expected a mapping of `name: value` fields at the top")
    return Doc(path, data, lines, first)


def file_digest(raw: bytes) -> str:
    """What tells one version of a content file's bytes from another (the build cache keeps it)."""
    return hashlib.sha1(raw).hexdigest()


def read_bytes(path: Path | str, shown: str) -> tuple[bytes, os.stat_result] | ContentError:
    """A content file's bytes and status, or why it cannot be read.

    Only regular files are read: a named pipe (or a device) where a file
    should be would make the build wait forever, so it is refused. It is
    opened without blocking, so even opening it cannot hang.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return ContentError(shown, 1, f"cannot read file: {exc.strerror}")
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return ContentError(
                shown, 1, "not a regular file (a named pipe, socket or device); replace it"
            )
        try:
            return handle.read(), info
        except OSError as exc:
            return ContentError(shown, 1, f"cannot read file: {exc.strerror}")


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
