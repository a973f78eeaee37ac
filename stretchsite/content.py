"""Read the content folder and validate it into frozen dataclasses.

This is the only place that looks at raw YAML and Markdown text. Every
problem found is collected as a :class:`ContentError` carrying the file and
line, so an author sees all of them at once; the rest of the program only ever
receives a valid :class:`Site`.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

# The C loader is several times faster; it is missing on some platforms.
SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

EQUIPMENT = ("foam roller", "table", "step", "none")
SIDES = ("both", "each")
DOSE_UNITS = ("rounds", "sets", "reps")
DEFAULT_SIDE_NAMES = ("right side", "left side")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AGE_ID_RE = SLUG_RE
DOSE_RE = re.compile(  # "1 to 3 rounds", "1-2 sets", "5 reps"
    r"^\s*(\d+)\s*(?:(?:-|\u2013|to)\s*(\d+)\s*)?(rounds?|sets?|reps?)\s*$", re.IGNORECASE
)
RANGE_RE = re.compile(r"^\s*(\d+)\s*(?:(?:-|\u2013|to)\s*(\d+))?\s*$")
STEP_RE = re.compile(r"^\s{0,3}\d+[.)]\s+\S", re.MULTILINE)


# --------------------------------------------------------------------------
# Errors


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


# --------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class AgeGroup:
    id: str
    label: str
    hold: int
    at_least: bool = False

    @property
    def hold_text(self) -> str:
        return f"{'at least ' if self.at_least else ''}{self.hold} seconds"


@dataclass(frozen=True)
class Dose:
    unit: str  # rounds, sets or reps
    min: int
    max: int

    @property
    def text(self) -> str:
        unit = self.unit if self.max != 1 else self.unit[:-1]
        if self.min == self.max:
            return f"{self.min} {unit}"
        return f"{self.min} to {self.max} {unit}"


@dataclass(frozen=True)
class Easier:
    hold_min: int
    hold_max: int
    note: str

    @property
    def hold_text(self) -> str:
        if self.hold_min == self.hold_max:
            return f"{self.hold_min} seconds"
        return f"{self.hold_min} to {self.hold_max} seconds"


@dataclass(frozen=True)
class Stretch:
    slug: str
    title: str
    order: int
    summary: str
    why: str
    targets: tuple[str, ...]
    equipment: tuple[str, ...]
    sides: str
    side_names: tuple[str, str]
    dose: Dose
    cues: tuple[str, ...]
    body: str  # Markdown: the numbered steps and any notes
    source: str  # path of the file it came from, for messages
    easier: Easier | None = None
    figure: str | None = None
    # Where the data came from, for incremental builds; not part of its value.
    digest: str = field(default="", compare=False, repr=False)
    stamp: tuple[int, ...] = field(default=(), compare=False, repr=False)  # mtime, ctime, size

    @property
    def one_sided(self) -> bool:
        return self.sides == "each"

    @property
    def sides_text(self) -> str:
        if self.one_sided:
            return (
                f"One side at a time: {self.side_names[0]}, then switch to the {self.side_names[1]}"
            )
        return "Both sides at once"

    @property
    def hold_per(self) -> str:
        """What one hold covers: a side, a rep, or (empty) the whole round."""
        if self.one_sided:
            return "per side"
        if self.dose.unit == "reps":
            return "per rep"
        return ""

    @property
    def equipment_text(self) -> str:
        needed = [e for e in self.equipment if e != "none"]
        return ", ".join(needed) if needed else "none"


@dataclass(frozen=True)
class Section:
    title: str
    text: str


@dataclass(frozen=True)
class Cooldown:
    title: str
    minutes: int
    text: str


@dataclass(frozen=True)
class Credit:
    title: str
    publication: str
    author: str
    expert: str
    text: str
    url: str | None = None


@dataclass(frozen=True)
class TimerDefaults:
    get_ready: int
    switch_sides: int


@dataclass(frozen=True)
class Site:
    title: str
    tagline: str
    language: str
    intro: str
    when: str
    strength: str
    equipment_note: str
    age_rule: str
    cooldown: Cooldown
    intensity: Section
    consistency: Section
    credit: Credit
    disclaimer: str
    age_groups: tuple[AgeGroup, ...]
    timer: TimerDefaults
    stretches: tuple[Stretch, ...] = field(default=())
    # Figures named by the stretches, by name (see stretchsite.figures).
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def equipment(self) -> tuple[str, ...]:
        """Everything the whole routine needs, in the order first used."""
        seen: dict[str, None] = {}
        for s in self.stretches:
            for e in s.equipment:
                if e != "none":
                    seen[e] = None
        return tuple(seen)


# --------------------------------------------------------------------------
# YAML with line numbers


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
            lines[key] = key_node.start_mark.line + 1 + offset
            lines.update(_key_lines(value_node, offset, key))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            key = (*prefix, str(i))
            lines[key] = item.start_mark.line + 1 + offset
            lines.update(_key_lines(item, offset, key))
    return lines


MAX_DEPTH = 20


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
        lines, first = _key_lines(node, offset), node.start_mark.line + 1 + offset
    if not isinstance(data, dict):
        return ContentError(path, first, "expected a mapping of `name: value` fields at the top")
    return Doc(path, data, lines, first)


# --------------------------------------------------------------------------
# Field checks. Each returns the cleaned value, or records an error and
# returns None.

Check = Callable[[Doc, tuple[str, ...], Any], Any]


def text(doc: Doc, key: tuple[str, ...], value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    kind = "empty" if isinstance(value, str) or value is None else type(value).__name__
    doc.error(key, f"`{'.'.join(key)}` must be a non-empty text, not {kind}")
    return None


def positive_int(doc: Doc, key: tuple[str, ...], value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 3600:
        return value
    doc.error(key, f"`{'.'.join(key)}` must be a whole number from 1 to 3600, not {value!r}")
    return None


def order_number(doc: Doc, key: tuple[str, ...], value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 1_000_000:
        return value
    doc.error(key, f"`{'.'.join(key)}` must be a whole number from 1 to 999999, not {value!r}")
    return None


def non_negative_int(doc: Doc, key: tuple[str, ...], value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 3600:
        return value
    doc.error(key, f"`{'.'.join(key)}` must be a whole number from 0 to 3600, not {value!r}")
    return None


def boolean(doc: Doc, key: tuple[str, ...], value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    doc.error(key, f"`{'.'.join(key)}` must be true or false, not {value!r}")
    return None


def text_list(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[str, ...] | None:
    name = ".".join(key)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        doc.error(key, f"`{name}` must be a list of texts, e.g. `{name}: [first, second]`")
        return None
    items = []
    for i, item in enumerate(value):
        cleaned = text(doc, (*key, str(i)), item)
        if cleaned is not None:
            items.append(cleaned)
    return tuple(items) if len(items) == len(value) else None


def one_line(limit: int) -> Check:
    def check(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[str, ...] | None:
        items = text_list(doc, key, value)
        if items is None:
            return None
        for i, item in enumerate(items):
            if "\n" in item or len(item) > limit:
                doc.error(
                    (*key, str(i)),
                    f"cue {i + 1} is too long ({len(item)} characters); "
                    f"keep each cue to one line of at most {limit} characters",
                )
                return None
        return items

    return check


def slug(doc: Doc, key: tuple[str, ...], value: Any) -> str | None:
    if isinstance(value, str) and SLUG_RE.match(value):
        return value
    doc.error(key, f"`slug` must be lowercase letters, digits and dashes, not {value!r}")
    return None


def equipment(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[str, ...] | None:
    items = text_list(doc, key, value)
    if items is None:
        return None
    for i, item in enumerate(items):
        if item not in EQUIPMENT:
            hint = _did_you_mean(item, EQUIPMENT)
            doc.error(
                (*key, str(i)),
                f"unknown equipment {item!r}{hint}; use one of: {', '.join(EQUIPMENT)}",
            )
            return None
    if "none" in items and len(items) > 1:
        doc.error(key, "`equipment` lists `none` beside other equipment; remove `none`")
        return None
    return items


def sides(doc: Doc, key: tuple[str, ...], value: Any) -> str | None:
    if value in SIDES:
        return value
    doc.error(
        key,
        f"`sides` must be `both` (both sides at once) or `each` "
        f"(one side, then switch sides), not {value!r}",
    )
    return None


def side_names(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[str, str] | None:
    items = text_list(doc, key, value)
    if items is not None and len(items) != 2:
        doc.error(key, "`side_names` must list exactly two names, e.g. [right leg, left leg]")
        return None
    return items  # type: ignore[return-value]


def dose(doc: Doc, key: tuple[str, ...], value: Any) -> Dose | None:
    match = DOSE_RE.match(value) if isinstance(value, str) else None
    if match:
        low, high, unit = int(match[1]), int(match[2] or match[1]), match[3].lower()
        unit = unit if unit.endswith("s") else unit + "s"
        if 1 <= low <= high <= 50:
            return Dose(unit, low, high)
    doc.error(
        key,
        f"`dose` must read like `1 to 3 rounds`, `1-2 sets` or `5 reps` "
        f"(from 1 to 50, smallest first), not {value!r}",
    )
    return None


def hold_range(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[int, int] | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    match = RANGE_RE.match(value) if isinstance(value, str) else None
    if match:
        low, high = int(match[1]), int(match[2] or match[1])
        if 1 <= low <= high <= 3600:
            return low, high
    doc.error(key, f"`{'.'.join(key)}` must be seconds like `5 to 10` or `10`, not {value!r}")
    return None


def age_groups(doc: Doc, key: tuple[str, ...], value: Any) -> tuple[AgeGroup, ...] | None:
    if not isinstance(value, list) or not value:
        doc.error(key, "`age_groups` must be a list of groups, each with id, label and hold")
        return None
    groups = []
    for i, item in enumerate(value):
        item_key = (*key, str(i))
        fields = check_mapping(
            doc,
            item_key,
            item,
            required={"id": slug, "label": text, "hold": positive_int},
            optional={"at_least": boolean},
        )
        if fields is not None:
            groups.append(AgeGroup(**fields))
    if len(groups) != len(value):
        return None
    seen: set[str] = set()
    for i, group in enumerate(groups):
        if group.id in seen:
            doc.error((*key, str(i), "id"), f"age group id {group.id!r} is used twice")
            return None
        seen.add(group.id)
    return tuple(groups)


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def check_mapping(
    doc: Doc,
    key: tuple[str, ...],
    value: Any,
    required: dict[str, Check],
    optional: dict[str, Check] | None = None,
) -> dict[str, Any] | None:
    """Check a mapping's fields; return the cleaned values or None on any error."""
    optional = optional or {}
    where = f" in `{'.'.join(key)}`" if key else ""
    if not isinstance(value, dict):
        doc.error(key, f"`{'.'.join(key)}` must be a mapping of `name: value` fields")
        return None
    before = len(doc.errors)
    known = {**required, **optional}
    for name in value:
        if name not in known:
            doc.error(
                (*key, str(name)),
                f"unknown field `{name}`{where}{_did_you_mean(str(name), known)}; "
                f"known fields: {', '.join(known)}",
            )
    cleaned: dict[str, Any] = {}
    for name, check in known.items():
        if name not in value:
            if name in required:
                doc.error(key, f"missing required field `{name}`{where}")
            continue
        cleaned[name] = check(doc, (*key, name), value[name])
    return cleaned if len(doc.errors) == before else None


def nested(required: dict[str, Check], optional: dict[str, Check] | None = None) -> Check:
    def check(doc: Doc, key: tuple[str, ...], value: Any) -> dict[str, Any] | None:
        return check_mapping(doc, key, value, required, optional)

    return check


# --------------------------------------------------------------------------
# Files

SITE_FIELDS: dict[str, Check] = {
    "title": text,
    "tagline": text,
    "intro": text,
    "when": text,
    "strength": text,
    "equipment_note": text,
    "age_rule": text,
    "cooldown": nested({"title": text, "minutes": positive_int, "text": text}),
    "intensity": nested({"title": text, "text": text}),
    "consistency": nested({"title": text, "text": text}),
    "credit": nested(
        {"title": text, "publication": text, "author": text, "expert": text, "text": text},
        {"url": text},
    ),
    "disclaimer": text,
    "age_groups": age_groups,
    "timer": nested({"get_ready": non_negative_int, "switch_sides": non_negative_int}),
}
SITE_OPTIONAL: dict[str, Check] = {"language": text}

STRETCH_FIELDS: dict[str, Check] = {
    "title": text,
    "order": order_number,
    "summary": text,
    "why": text,
    "targets": text_list,
    "equipment": equipment,
    "sides": sides,
    "dose": dose,
    "cues": one_line(80),
}
STRETCH_OPTIONAL: dict[str, Check] = {
    "slug": slug,
    "side_names": side_names,
    "easier": nested({"hold": hold_range, "note": text}),
    "figure": text,
}


def read_text(path: Path, shown: str) -> str | ContentError:
    """Read a file as UTF-8 (a BOM is allowed), or explain where it is not."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return ContentError(shown, 1, f"cannot read file: {exc.strerror}")
    return decode_text(raw, shown)


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


def load_site_data(path: Path, shown: str) -> tuple[dict[str, Any] | None, list[ContentError]]:
    """Read ``site.yml`` into checked fields."""
    doc = read_yaml(path, shown)
    if isinstance(doc, ContentError):
        return None, [doc]
    fields = check_mapping(doc, (), doc.data, SITE_FIELDS, SITE_OPTIONAL)
    return fields, doc.errors


def split_frontmatter(source: str, shown: str) -> tuple[str, int, str, int] | ContentError:
    """Split a Markdown file into frontmatter and body.

    Returns (frontmatter, lines before it, body, line where the body starts);
    the line numbers let errors point into the original file.
    """
    boundary = frontmatter.YAMLHandler.FM_BOUNDARY
    marks = boundary.finditer(source)
    opening = next(marks, None)
    if opening is None or opening.start() != 0:
        return ContentError(
            shown,
            1,
            "missing frontmatter: start the file with a `---` line, the fields, "
            "then another `---` line",
        )
    closing = next(marks, None)
    if closing is None:
        return ContentError(shown, 1, "frontmatter is not closed: add a `---` line after it")
    fm = source[opening.end() : closing.start()]
    body = source[closing.end() :]
    # Point body errors at its first written line, not at the blank lines before it.
    body_start = closing.end() + len(body) - len(body.lstrip())
    return fm, source.count("\n", 0, opening.end()), body, source.count("\n", 0, body_start) + 1


def load_stretch(path: Path, shown: str) -> tuple[Stretch | None, list[ContentError], Doc | None]:
    """Read one stretch file into a :class:`Stretch`, or the errors found."""
    try:
        raw = path.read_bytes()
        info = path.stat()
    except OSError as exc:
        return None, [ContentError(shown, 1, f"cannot read file: {exc.strerror}")], None
    source = decode_text(raw, shown)
    if isinstance(source, ContentError):
        return None, [source], None
    parts = split_frontmatter(source, shown)
    if isinstance(parts, ContentError):
        return None, [parts], None
    fm, fm_offset, body, body_line = parts
    doc = parse_yaml(fm, shown, offset=fm_offset)
    if isinstance(doc, ContentError):
        return None, [doc], None
    if not doc.data:
        doc.first_line = 1
    fields = check_mapping(doc, (), doc.data, STRETCH_FIELDS, STRETCH_OPTIONAL)
    if not STEP_RE.search(body):
        doc.errors.append(
            ContentError(
                shown,
                body_line,
                "no steps: after the frontmatter, write the steps as a numbered list "
                "(`1. First step`)",
            )
        )
    if fields is None or doc.errors:
        return None, doc.errors, doc
    if fields["sides"] == "both" and "side_names" in fields:
        doc.error(("side_names",), "`side_names` only applies to `sides: each`; remove it")
        return None, doc.errors, doc
    easier = fields.pop("easier", None)
    stretch = Stretch(
        slug=fields.pop("slug", None) or slug_from_filename(path),
        side_names=fields.pop("side_names", None) or DEFAULT_SIDE_NAMES,
        easier=Easier(*easier["hold"], easier["note"]) if easier else None,
        body=body.strip() + "\n",
        source=shown,
        digest=hashlib.sha1(raw).hexdigest(),
        stamp=(info.st_mtime_ns, info.st_ctime_ns, info.st_size),
        **fields,
    )
    return stretch, [], doc


def slug_from_filename(path: Path) -> str:
    """`01-calf-stretch.md` -> `calf-stretch`: a leading number only sets the order."""
    stem = re.sub(r"^\d+[-_ ]+", "", path.stem.lower())
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "stretch"


Reuse = Callable[[str, Path, os.stat_result], "Stretch | None"]


def load_site(content_dir: Path, reuse: Reuse | None = None) -> Site:
    """Load and validate the whole content folder.

    ``reuse(shown_path, path, stat)`` may return an already validated stretch for a file
    that has not changed since it was loaded (incremental builds).
    Raises :class:`ContentErrors` listing every problem in every file.
    """
    content_dir = Path(content_dir)
    errors: list[ContentError] = []

    def shown(p: Path) -> str:
        try:
            return str(p.relative_to(Path.cwd()))
        except ValueError:
            return str(p)

    site_path = content_dir / "site.yml"
    if not site_path.is_file():
        raise ContentErrors([ContentError(shown(site_path), 1, "site data file is missing")])
    site_fields, site_errors = load_site_data(site_path, shown(site_path))
    errors += site_errors

    stretch_dir = content_dir / "stretches"
    paths = sorted(stretch_dir.glob("*.md")) if stretch_dir.is_dir() else []
    if not paths:
        errors.append(
            ContentError(shown(stretch_dir), 1, "no stretches found: add `*.md` files here")
        )
    stretches: list[Stretch] = []
    docs: dict[str, Doc] = {}
    reused = 0
    for path in paths:
        if reuse is not None:
            try:
                known = reuse(shown(path), path, path.stat())
            except OSError:
                known = None
            if known is not None:
                stretches.append(known)
                reused += 1
                continue
        stretch, stretch_errors, doc = load_stretch(path, shown(path))
        errors += stretch_errors
        if stretch is not None and doc is not None:
            stretches.append(stretch)
            docs[stretch.source] = doc
    duplicates = _duplicates(stretches, docs, "slug") + _duplicates(stretches, docs, "order")
    # Imported here: figures.py builds on this module's checks.
    from .figures import load_figures

    figures, figure_errors = load_figures(content_dir, stretches, docs, shown)
    if (duplicates or figure_errors) and reused:
        return load_site(content_dir)  # read every file again, for exact line numbers
    errors += duplicates + figure_errors
    if errors or site_fields is None:
        raise ContentErrors(errors)

    return Site(
        title=site_fields["title"],
        tagline=site_fields["tagline"],
        language=site_fields.get("language", "en"),
        intro=site_fields["intro"],
        when=site_fields["when"],
        strength=site_fields["strength"],
        equipment_note=site_fields["equipment_note"],
        age_rule=site_fields["age_rule"],
        cooldown=Cooldown(**site_fields["cooldown"]),
        intensity=Section(**site_fields["intensity"]),
        consistency=Section(**site_fields["consistency"]),
        credit=Credit(**site_fields["credit"]),
        disclaimer=site_fields["disclaimer"],
        age_groups=site_fields["age_groups"],
        timer=TimerDefaults(**site_fields["timer"]),
        stretches=tuple(sorted(stretches, key=lambda s: s.order)),
        figures=figures,
    )


def _duplicates(stretches: list[Stretch], docs: dict[str, Doc], name: str) -> list[ContentError]:
    first: dict[Any, Stretch] = {}
    errors = []
    for stretch in stretches:
        value = getattr(stretch, name)
        if value in first:
            other = first[value]
            doc = docs.get(stretch.source)
            line = doc.line(name) if doc is not None and name in doc.data else 1
            errors.append(
                ContentError(
                    stretch.source,
                    line,
                    f"duplicate {name} {value!r}: {other.source} uses it too; "
                    f"give each stretch its own {name}",
                )
            )
        else:
            first[value] = stretch
    return errors
