"""Read the content folder into a valid :class:`~.model.Site`, or every problem found.

This is the only place that opens content files. Each file is read with
``document`` (text and YAML with key lines), checked against its ``schema``
and turned into ``model`` objects. Every problem is collected as a
:class:`~.document.ContentError` with its file and line, so an author sees all
of them at once; the rest of the program only ever receives a valid site.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from ..forking import forked
from . import schema
from .document import (
    ContentError,
    ContentErrors,
    Doc,
    decode_text,
    file_digest,
    parse_markdown,
    read_bytes,
    read_yaml,
)
from .model import (
    Cooldown,
    Credit,
    Easier,
    Figure,
    Section,
    Site,
    Stretch,
    TimerDefaults,
    coordinate_text,
)

FIGURE_DIR = "figures"


class KnownStretches(Protocol):
    """What an incremental build remembers of stretch files (see ``stretchsite.cache``)."""

    def reuse(self, shown: str, path: str | Path, stat: os.stat_result) -> Stretch | None:
        """The stretch read from this file before, if the file has not changed since."""

    def remember(self, shown: str, stretch: Stretch, digest: str, stat: os.stat_result) -> None:
        """Note a stretch just read from a file whose bytes have ``file_digest`` ``digest``."""


def load_site_data(path: Path, shown: str) -> tuple[dict[str, Any] | None, list[ContentError]]:
    """Read ``site.yml`` into checked fields."""
    doc = read_yaml(path, shown)
    if isinstance(doc, ContentError):
        return None, [doc]
    fields = schema.check_mapping(doc, (), doc.data, schema.SITE_FIELDS, schema.SITE_OPTIONAL)
    return fields, doc.errors


def load_stretch(
    path: Path | str, shown: str, known: KnownStretches | None = None
) -> tuple[Stretch | None, list[ContentError], Doc | None]:
    """Read one stretch file into a :class:`Stretch`, or the errors found."""
    read = read_bytes(path, shown)
    if isinstance(read, ContentError):
        return None, [read], None
    raw, info = read
    source = decode_text(raw, shown)
    if isinstance(source, ContentError):
        return None, [source], None
    markdown = parse_markdown(source, shown)
    if isinstance(markdown, ContentError):
        return None, [markdown], None
    doc, body = markdown.frontmatter, markdown.body
    fields = schema.check_mapping(doc, (), doc.data, schema.STRETCH_FIELDS, schema.STRETCH_OPTIONAL)
    if not schema.STEP_RE.search(body):
        doc.errors.append(
            ContentError(
                shown,
                markdown.body_line,
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
    slug = fields.pop("slug", None) or slug_from_filename(path)
    if len(slug) > schema.MAX_NAME_LENGTH:
        doc.error(
            (),
            f"the file name gives the URL name {slug[:20]}... ({len(slug)} characters, at most "
            f"{schema.MAX_NAME_LENGTH}); shorten the file name or set a shorter `slug`",
        )
        return None, doc.errors, doc
    stretch = Stretch(
        slug=slug,
        side_names=fields.pop("side_names", None) or schema.DEFAULT_SIDE_NAMES,
        easier=Easier(*easier["hold"], easier["note"]) if easier else None,
        body=body.strip() + "\n",
        source=shown,
        **fields,
    )
    if known is not None:
        known.remember(shown, stretch, file_digest(raw), info)
    return stretch, [], doc


# A stretch file read: its stretch, or the problems found in it.
Loaded = tuple[Stretch | None, list[ContentError]]
# From this many stretch files to read, half of them are read meanwhile in a
# forked helper process (a cold build of a large site); below, one is quicker.
PARALLEL_READ = 400


def load_stretches(
    paths: list[str], shown: Callable[[str], str], known: KnownStretches | None = None
) -> list[Loaded]:
    """:func:`load_stretch` of every path, in order, without the documents; a long list
    in two processes at once.

    A forked helper reads the second half and hands back what it loaded (and
    what ``known`` should remember). If it fails in any way, its half is read
    here, so errors are those of a serial read.
    """
    if len(paths) < PARALLEL_READ:
        return [_without_document(p, shown, known) for p in paths]
    half = len(paths) // 2

    def second_half() -> tuple[list[Loaded], list | None]:
        remembered = _Remembered() if known is not None else None
        loaded = [_without_document(p, shown, remembered) for p in paths[half:]]
        return loaded, remembered and remembered.calls

    with forked(second_half) as helped:
        ours = [_without_document(p, shown, known) for p in paths[:half]]
        theirs = helped()
    if theirs is None:
        return ours + [_without_document(p, shown, known) for p in paths[half:]]
    loaded, calls = theirs
    if known is not None:
        for call in calls or ():
            known.remember(*call)
    return ours + loaded


def _without_document(path: str, shown: Callable[[str], str], known: Any) -> Loaded:
    """:func:`load_stretch` of one of many files, without the document.

    A document keeps its YAML nodes (for the line of a key): thousands of them
    held at once would cost memory, and the garbage collector's time. A helper
    sending them would cost more than reading again the few files a problem
    across files points into (``written_line``).
    """
    stretch, errors, _ = load_stretch(path, shown(path), known)
    return stretch, errors


class _Remembered:
    """Stands in for ``known`` in the helper: notes what to remember, for the build."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Stretch, str, os.stat_result]] = []

    def remember(self, shown: str, stretch: Stretch, digest: str, stat: os.stat_result) -> None:
        self.calls.append((shown, stretch, digest, stat))


def slug_from_filename(path: Path | str) -> str:
    """`01-calf-stretch.md` -> `calf-stretch`: a leading number only sets the order."""
    stem = _ORDER_PREFIX.sub("", _stem(os.fspath(path)).lower())
    return _NOT_IN_SLUG.sub("-", stem).strip("-") or "stretch"


_ORDER_PREFIX = re.compile(r"^\d+[-_ ]+")
_NOT_IN_SLUG = re.compile(r"[^a-z0-9]+")


def _stem(path: str) -> str:
    """``Path(path).stem`` of a plain string path (no Path object: this runs once a file)."""
    name = os.path.basename(path.rstrip(os.sep))
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def load_figure(path: Path, shown: str) -> tuple[Figure | None, list[ContentError]]:
    """Read and check one figure file."""
    doc = read_yaml(path, shown)
    if isinstance(doc, ContentError):
        return None, [doc]
    raw = schema.check_mapping(doc, (), doc.data, schema.FIGURE_FIELDS, schema.FIGURE_OPTIONAL)
    if raw is None:
        return None, doc.errors
    alt = schema.one_spaced_text(doc, ("alt",), raw["alt"])
    view = schema.view(doc, ("view",), raw["view"])
    floor = schema.number(doc, ("floor",), raw["floor"])
    raw_poses = raw["poses"]
    if not isinstance(raw_poses, list) or not 1 <= len(raw_poses) <= schema.MAX_POSES:
        doc.error(
            ("poses",), f"`poses` must list 1 or {schema.MAX_POSES} poses (a start and an end)"
        )
        return None, doc.errors
    poses = [
        schema.pose(doc, ("poses", str(i)), item, len(raw_poses) > 1)
        for i, item in enumerate(raw_poses)
    ]
    raw_gear = raw.get("equipment", [])
    if not isinstance(raw_gear, list):
        doc.error(("equipment",), "`equipment` must be a list of shapes")
        return None, doc.errors
    gear = (
        [schema.shape(doc, ("equipment", str(i)), s, floor) for i, s in enumerate(raw_gear)]
        if floor is not None
        else []
    )
    if doc.errors or alt is None or view is None or floor is None:
        return None, doc.errors
    for i, pose in enumerate(poses):
        for name, p in pose.points():  # type: ignore[union-attr]
            if _outside(view, p):
                doc.error(
                    ("poses", str(i), name.split(".")[0]),
                    f"point `{name}` [{coordinate_text(p[0])}, {coordinate_text(p[1])}] is "
                    "outside the `view`; move it or make the view larger",
                )
    if doc.errors:
        return None, doc.errors
    figure = Figure(path.stem, alt, view, floor, tuple(gear), tuple(poses), shown)  # type: ignore[arg-type]
    return figure, []


def _outside(view: tuple[float, ...], p: tuple[float, float]) -> bool:
    x, y, w, h = view
    return not (x <= p[0] <= x + w and y <= p[1] <= y + h)


def load_figures(
    content_dir: Path, stretches: Iterable[Stretch], shown: Any = str
) -> tuple[dict[str, Figure], list[ContentError]]:
    """Load every figure a stretch names; a missing one is an error in that stretch's file."""
    folder = Path(content_dir) / FIGURE_DIR
    available = (
        sorted(p.stem for p in folder.glob("*.yml") if not hidden(p.name))
        if folder.is_dir()
        else []
    )
    figures: dict[str, Figure] = {}
    errors: list[ContentError] = []
    for stretch in stretches:
        name = stretch.figure
        if name is None or name in figures:
            continue
        if not schema.SLUG_RE.match(name) or name not in available:
            known = ", ".join(available) or "none yet"
            errors.append(
                ContentError(
                    stretch.source,
                    written_line(stretch, "figure") or 1,
                    f"unknown figure {name!r}{schema.did_you_mean(name, available)}: add "
                    f"`{FIGURE_DIR}/{name}.yml` to the content folder, or use one of: {known}",
                )
            )
            continue
        path = folder / f"{name}.yml"
        figure, figure_errors = load_figure(path, shown(path))
        errors += figure_errors
        if figure is not None:
            figures[name] = figure
    return figures, errors


def load_site(content_dir: Path, known: KnownStretches | None = None) -> Site:
    """Load and validate the whole content folder.

    ``known`` (incremental builds) may hand back an already validated stretch
    for a file that has not changed since it was read, and hears of every
    stretch read afresh.
    Raises :class:`ContentErrors` listing every problem in every file.
    """
    content_dir = Path(content_dir)
    errors: list[ContentError] = []
    shown = shown_paths()

    site_path = content_dir / "site.yml"
    if not os.path.lexists(site_path):
        raise ContentErrors([ContentError(shown(site_path), 1, "site data file is missing")])
    site_fields, site_errors = load_site_data(site_path, shown(site_path))
    errors += site_errors

    stretch_dir = content_dir / "stretches"
    paths = stretch_files(stretch_dir)
    if not paths:
        errors.append(
            ContentError(shown(stretch_dir), 1, "no stretches found: add `*.md` files here")
        )
    stretches: list[Stretch] = []
    unread = []
    for path in paths:
        if known is not None:
            try:
                old = known.reuse(shown(path), path, os.stat(path))
            except OSError:
                old = None
            if old is not None:
                stretches.append(old)
                continue
        unread.append(path)
    for stretch, stretch_errors in load_stretches(unread, shown, known):
        errors += stretch_errors
        if stretch is not None:
            stretches.append(stretch)
    errors += _duplicates(stretches, "slug") + _duplicates(stretches, "order")
    figures, figure_errors = load_figures(content_dir, stretches, shown)
    errors += figure_errors
    if errors or site_fields is None:
        raise ContentErrors(errors)

    return site_of(site_fields, tuple(sorted(stretches, key=lambda s: s.order)), figures)


def site_of(
    fields: dict[str, Any], stretches: Sequence[Stretch], figures: dict[str, Figure]
) -> Site:
    """The site from the checked fields of ``site.yml``, its stretches in order and figures."""
    return Site(
        title=fields["title"],
        tagline=fields["tagline"],
        language=fields.get("language", "en"),
        intro=fields["intro"],
        when=fields["when"],
        strength=fields["strength"],
        equipment_note=fields["equipment_note"],
        age_rule=fields["age_rule"],
        cooldown=Cooldown(**fields["cooldown"]),
        intensity=Section(**fields["intensity"]),
        consistency=Section(**fields["consistency"]),
        credit=Credit(**fields["credit"]),
        disclaimer=fields["disclaimer"],
        age_groups=fields["age_groups"],
        timer=TimerDefaults(**fields["timer"]),
        stretches=stretches,  # type: ignore[arg-type]  # a tuple, or the build cache's lazy one
        figures=figures,
    )


def shown_paths() -> Callable[[str | Path], str]:
    """How paths are shown to authors (and keyed in the build cache): relative to the
    working folder when inside it. Plain strings, not Path objects: this runs once per
    stretch on every build."""
    here = os.path.join(os.getcwd(), "")

    def shown(p: str | Path) -> str:
        text = os.fspath(p)
        return text[len(here) :] if text.startswith(here) else text

    return shown


def stretch_stats(content_dir: Path) -> dict[str, os.stat_result]:
    """Every stretch file, as :func:`load_site` names it, with its status; cheap to call."""
    shown = shown_paths()
    stats = {}
    for path in stretch_files(Path(content_dir) / "stretches"):
        try:
            stats[shown(path)] = os.stat(path)
        except OSError:  # vanished: load_site will say so
            continue
    return stats


def stretch_files(folder: Path) -> list[str]:
    """Paths of the `*.md` files in ``folder``, sorted by name; none if it is not a folder.

    Hidden files are not content: editors and file managers leave them beside
    the real ones (`.#name.md` lock files, macOS `._name.md`).
    """
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".md") and not hidden(e.name))
    except OSError:  # missing, not a folder, unreadable: "no stretches found"
        return []
    return [os.path.join(folder, name) for name in names]


def hidden(name: str) -> bool:
    """Whether a file name is hidden (starts with a dot), and so not content."""
    return name.startswith(".")


def written_line(stretch: Stretch, name: str) -> int | None:
    """The line of field ``name`` in the stretch's file; None if it is not written there.

    For a problem found across files (two stretches with one slug, a figure
    no file holds). Documents are not kept for that: most builds have no such
    problem, and a build cache or a forked reader hands back stretches only.
    So the file is read again: the one the stretch came from, as it is now.
    """
    doc = load_stretch(Path(stretch.source), stretch.source)[2]
    return doc.line(name) if doc is not None and name in doc.data else None


def _duplicates(stretches: list[Stretch], name: str) -> list[ContentError]:
    first: dict[Any, Stretch] = {}
    errors = []
    for stretch in stretches:
        value = getattr(stretch, name)
        if value in first:
            other = first[value]
            line = written_line(stretch, name)
            # Name what the author wrote: the field, or the file name the slug came from.
            message = (
                f"duplicate {name} {value!r}: {other.source} uses it too; "
                f"give each stretch its own {name}"
                if line is not None
                else f"the file name gives the {name} {value!r}, which {other.source} uses "
                f"too; rename the file or add a `{name}:` field"
            )
            errors.append(ContentError(stretch.source, line or 1, message))
        else:
            first[value] = stretch
    return errors
