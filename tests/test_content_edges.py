"""Content edge cases: files that are not content, files that would hang, names too long.

Each problem is one `path:line: message` naming what the author wrote.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from stretchsite.content import ContentErrors, load_site

from .helpers import edit, run_build

CALF = "content/stretches/05-calf-stretch.md"


@pytest.fixture(autouse=True)
def in_project(project, monkeypatch):
    """Messages name paths as the author types them, from the project folder."""
    monkeypatch.chdir(project)


def problems(project: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content")
    return [str(e) for e in caught.value.errors]


def test_hidden_files_are_not_content(project):
    count = len(load_site(project / "content").stretches)
    stretches = project / "content/stretches"
    shutil.copy(project / CALF, stretches / ".#05-calf-stretch.md")  # an editor's lock file
    (stretches / "._05-calf-stretch.md").write_bytes(b"\x00\x05\x16\x07 macOS metadata")
    (project / "content/figures/._calf-stretch.yml").write_bytes(b"\x00\x05\x16\x07")
    assert len(load_site(project / "content").stretches) == count


def test_a_named_pipe_is_refused_not_waited_on(project):
    os.mkfifo(project / "content/stretches/06-pipe.md")
    result = run_build(project)  # with a timeout: a build that waited would fail here
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "content/stretches/06-pipe.md:1: not a regular file (a named pipe, socket or device); "
        "replace it"
    )


def test_a_key_given_twice_is_an_error(project):
    edit(project, CALF, "order: 5\n", "order: 5\ntitle: Calf Again\n")
    found = problems(project)
    assert len(found) == 1
    assert found[0].startswith(f"{CALF}:")
    assert "`title` is given twice (lines 2 and " in found[0]


def test_a_name_too_long_for_a_folder_is_a_content_error(project):
    edit(project, CALF, "order: 5\n", "order: 5\nslug: " + "a" * 101 + "\n")
    edit(project, "content/site.yml", "  - id: under-40\n", "  - id: under-40" + "-b" * 50 + "\n")
    found = problems(project)
    assert any(
        p.startswith(f"{CALF}:") and "`slug` is 101 characters long; at most 100" in p
        for p in found
    ), found
    # The age group's field is `id`: the message says so, not `slug`.
    assert any(
        p.startswith("content/site.yml:45: `age_groups.0.id` is 108 characters long") for p in found
    ), found


def test_a_slug_from_the_file_name_is_named_as_such(project):
    twin = project / "content/stretches/07-calf-stretch.md"
    shutil.copy(project / CALF, twin)
    edit(project, "content/stretches/07-calf-stretch.md", "order: 5\n", "order: 7\n")
    found = problems(project)
    assert found == [
        "content/stretches/07-calf-stretch.md:1: the file name gives the slug 'calf-stretch', "
        f"which {CALF} uses too; rename the file or add a `slug:` field"
    ]


def test_a_message_never_suggests_the_name_already_written(project):
    shutil.copy(project / "content/figures/calf-stretch.yml", project / "content/figures/Calf.yml")
    edit(project, CALF, "figure: calf-stretch", "figure: Calf")
    found = problems(project)
    assert any("unknown figure 'Calf'" in p for p in found), found
    assert not any("did you mean `Calf`" in p for p in found), found


@pytest.mark.parametrize(
    ("written", "kind"),
    [("2001-02-30", "a date"), ("!!int five", "a whole number"), ("!!bool maybe", "true or false")],
)
def test_a_value_yaml_cannot_build_is_a_content_error(project, written, kind):
    """PyYAML raises a bare ValueError or KeyError for these: the author gets one line."""
    edit(project, CALF, "order: 5\n", f"order: {written}\n")
    result = run_build(project)
    assert result.returncode == 1
    value = written.split()[-1]
    assert result.stderr.splitlines() == [
        f"{CALF}:3: invalid YAML: {value!r} reads as {kind} but is not one; correct it, "
        "or put it in quotes to keep it as text",
        "Build stopped: 1 problem in the content; dist was not changed.",
    ], result.stderr
