"""The loader turns content files into data, or into `path:line: message` errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from stretchsite.content import (
    ContentErrors,
    Dose,
    Easier,
    Stretch,
    load_site,
)
from stretchsite.phrases import EN
from stretchsite.wording import Wording

from .helpers import build_into, edit, errors_for, line_of, only_error

FOAM = "content/stretches/01-foam-roller-thoracic-extension.md"
BRIDGE = "content/stretches/02-bridge-hold-with-pelvic-tilt.md"
CALF = "content/stretches/05-calf-stretch.md"

WORDS = Wording(EN)


def test_real_content_loads(real_site):
    assert [s.order for s in real_site.stretches] == sorted(s.order for s in real_site.stretches)
    assert len(real_site.stretches) == 5
    assert {g.id: g.hold for g in real_site.age_groups} == {"under-40": 30, "40-plus": 60}


def test_valid_file_round_trips(project):
    path = project / "content/stretches/09-wall-sit.md"
    path.write_text(
        "---\n"
        "title: Wall Lean\n"
        "order: 9\n"
        "summary: Lean into a wall.\n"
        "why: It helps.\n"
        "targets: [calves]\n"
        "equipment: [none]\n"
        "sides: each\n"
        "side_names: [right leg, left leg]\n"
        "dose: 2-4 sets\n"
        "easier: {hold: 5 to 10, note: Go gently.}\n"
        "cues:\n  - Hands on the wall\n  - Back heel down\n"
        "---\n"
        "1. Stand facing a wall.\n2. Lean in.\n",
        encoding="utf-8",
    )
    site = load_site(project / "content")
    wall = next(s for s in site.stretches if s.slug == "wall-sit")
    assert wall == Stretch(
        slug="wall-sit",
        title="Wall Lean",
        order=9,
        summary="Lean into a wall.",
        why="It helps.",
        targets=("calves",),
        equipment=("none",),
        sides="each",
        side_names=("right leg", "left leg"),
        dose=Dose("sets", 2, 4),
        cues=("Hands on the wall", "Back heel down"),
        body="1. Stand facing a wall.\n2. Lean in.\n",
        source=str(path),
        easier=Easier(5, 10, "Go gently."),
    )
    assert site.stretches[-1] is wall  # sorted by order


@pytest.mark.parametrize(
    ("text", "unit", "low", "high", "shown"),
    [
        ("1 to 3 rounds", "rounds", 1, 3, "1 to 3 rounds"),
        ("1-2 sets", "sets", 1, 2, "1 to 2 sets"),
        ("5 reps", "reps", 5, 5, "5 reps"),
        ("1 round", "rounds", 1, 1, "1 round"),
    ],
)
def test_dose_forms(project, text, unit, low, high, shown):
    edit(project, FOAM, "dose: 1 to 3 rounds", f"dose: {text}")
    site = load_site(project / "content")
    assert site.stretches[0].dose == Dose(unit, low, high)
    assert WORDS.dose(site.stretches[0].dose) == shown


def test_invalid_yaml(project):
    path = edit(project, FOAM, "sides: both", "sides: [both")
    error = only_error(project)
    assert error.path.endswith(FOAM)
    assert line_of(path, "dose:") >= error.line >= line_of(path, "sides: [both")
    assert "invalid YAML" in error.message


def test_missing_required_field(project):
    path = edit(project, FOAM, "summary: Arch back", "# summary: Arch back")
    error = only_error(project)
    assert (error.line, error.message) == (2, "missing required field `summary`")
    assert path.read_text().splitlines()[0] == "---"


def test_wrong_type(project):
    path = edit(project, FOAM, "order: 1", "order: first")
    error = only_error(project)
    assert error.line == line_of(path, "order: first")
    assert error.message == "`order` must be a whole number from 1 to 999999, not 'first'"


def test_unknown_field_suggests_closest(project):
    path = edit(project, FOAM, "summary:", "sumary:")
    errors = errors_for(project)
    unknown = [e for e in errors if "unknown field" in e.message]
    assert len(unknown) == 1
    assert unknown[0].line == line_of(path, "sumary:")
    assert "unknown field `sumary` (did you mean `summary`?)" in unknown[0].message
    assert any(e.message == "missing required field `summary`" for e in errors)


def test_duplicate_slug(project):
    path = edit(project, BRIDGE, "order: 2", "order: 2\nslug: foam-roller-thoracic-extension")
    error = only_error(project)
    assert error.path.endswith(BRIDGE)
    assert error.line == line_of(path, "slug:")
    assert "duplicate slug 'foam-roller-thoracic-extension'" in error.message
    assert FOAM in error.message


def test_duplicate_order(project):
    path = edit(project, BRIDGE, "order: 2", "order: 1")
    error = only_error(project)
    assert error.path.endswith(BRIDGE)
    assert error.line == line_of(path, "order: 1")
    assert "duplicate order 1" in error.message


def test_unknown_equipment(project):
    path = edit(project, FOAM, "equipment: [foam roller]", "equipment: [foam rollr]")
    error = only_error(project)
    assert error.line == line_of(path, "equipment:")
    assert "unknown equipment 'foam rollr' (did you mean `foam roller`?)" in error.message


def test_stretch_without_steps(project):
    path = project / FOAM
    text = path.read_text()
    head, _, _ = text.partition("\n---\n")
    path.write_text(head + "\n---\nJust lie on the roller.\n")
    error = only_error(project)
    assert error.line == line_of(path, "Just lie")
    assert error.message.startswith("no steps")


def test_file_not_utf8(project):
    path = project / FOAM
    lines = path.read_bytes().split(b"\n")
    lines[4] = b"summary: caf\xe9 stretch"
    path.write_bytes(b"\n".join(lines))
    error = only_error(project)
    assert error.line == 5
    assert "not valid UTF-8" in error.message


def test_bad_age_group_in_site_data(project):
    path = edit(project, "content/site.yml", "hold: 30", "hold: thirty")
    error = only_error(project)
    assert error.path.endswith("content/site.yml")
    assert error.line == line_of(path, "hold: thirty")
    assert "`age_groups.0.hold` must be a whole number" in error.message


def test_every_error_in_every_file_is_listed(project):
    edit(project, FOAM, "order: 1", "order: -1")
    edit(project, FOAM, "sides: both", "sides: left")
    edit(project, BRIDGE, "dose: 1 to 2 rounds", "dose: a few")
    messages = [(Path(e.path).name, e.message.split(" ")[0]) for e in errors_for(project)]
    assert messages == [
        ("01-foam-roller-thoracic-extension.md", "`order`"),
        ("01-foam-roller-thoracic-extension.md", "`sides`"),
        ("02-bridge-hold-with-pelvic-tilt.md", "`dose`"),
    ]


def test_missing_frontmatter(project):
    path = project / FOAM
    path.write_text("1. Just a list\n")
    error = only_error(project)
    assert (error.line, error.message.split(":")[0]) == (1, "missing frontmatter")


def test_unsafe_yaml_tag_is_refused(project):
    path = edit(
        project, FOAM, "summary: Arch", "summary: !!python/object/apply:os.system [echo]\n#"
    )
    error = only_error(project)
    assert error.line == line_of(path, "!!python")
    assert "invalid YAML" in error.message


def test_side_names_on_both_sided_stretch(project):
    path = edit(project, FOAM, "sides: both", "sides: both\nside_names: [a, b]")
    error = only_error(project)
    assert error.line == line_of(path, "side_names")
    assert "only applies to `sides: each`" in error.message


def test_order_is_not_limited_to_a_few_thousand(project):
    edit(project, FOAM, "order: 1", "order: 12000")
    site = load_site(project / "content")
    assert site.stretches[-1].order == 12000


def test_a_stretch_from_the_build_cache_with_a_problem_across_files_points_at_its_line(project):
    """A stretch the build cache hands back comes without its document: its file is
    read again for the line of a problem found across files (here its figure, gone)."""
    calf = edit(project, CALF, "figure:", "# kept\nfigure:")  # a line down: a wrong line shows
    build_into(project, "dist")
    (project / "content" / "figures" / "calf-stretch.yml").unlink()
    with pytest.raises(ContentErrors) as caught:
        build_into(project, "dist")
    (error,) = caught.value.errors
    assert error.path.endswith(CALF)
    assert error.line == line_of(calf, "figure:")
    assert "unknown figure 'calf-stretch'" in error.message
