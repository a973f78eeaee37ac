"""The shared test helpers guard what they promise."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .helpers import edit_file, replaced

TESTS = Path(__file__).resolve().parent


def test_an_edit_that_changes_nothing_fails(tmp_path):
    with pytest.raises(AssertionError, match="not in the text"):
        replaced("order: 5", "order: 6", "order: 7")
    path = tmp_path / "a.md"
    path.write_text("title: A\n")
    with pytest.raises(AssertionError):
        edit_file(path, "title: B", "title: C")
    assert edit_file(path, "title: A", "title: C").read_text() == "title: C\n"


def test_no_test_module_imports_from_another():
    """Shared helpers live in helpers.py (and fixtures in conftest.py), not in test_*.py."""
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                module = (node.module or "").rsplit(".", 1)[-1]
                if module.startswith("test_"):
                    found.append(f"{path.relative_to(TESTS)} imports {node.module}")
    assert found == []


def fixture_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef) and any(
            "fixture" in ast.unparse(d) for d in node.decorator_list
        ):
            names.add(node.name)
    return names


def test_no_fixture_shadows_a_shared_one():
    """A fixture in a test module named like one in a conftest.py above it hides it."""
    found = []
    for path in sorted(TESTS.rglob("test_*.py")):
        shared = set()
        for folder in [path.parent, *path.parent.parents]:
            if folder == TESTS.parent:
                break
            if (folder / "conftest.py").is_file():
                shared |= fixture_names(folder / "conftest.py")
        found += [f"{path.relative_to(TESTS)}: {n}" for n in fixture_names(path) & shared]
    assert found == []
