"""The package's imports flow one way: no module imports, even late, one that imports it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "stretchsite"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Package modules that ``path`` imports anywhere in it, inside functions too."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from . import cache` names a module; `from .model import Site` a name in one.
            found.update(
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            )
    return {m for m in found if m in modules and m != name}


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports_of(p, modules) for p in paths}


def cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules (first == last), or [] if there is none."""
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = "open"
        trail.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return [*trail[trail.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        state[module] = "done"
        trail.pop()
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_the_graph_sees_relative_and_late_imports():
    graph = import_graph()
    assert "stretchsite.content.model" in graph["stretchsite.content.schema"]
    assert "stretchsite.cache" in graph["stretchsite.generator"]  # `from . import cache as ...`
    assert "stretchsite.content" in graph["stretchsite.render"]


def test_no_import_cycle():
    assert cycle(import_graph()) == []


def test_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert cycle(graph) == ["a", "b", "c", "a"]


def test_the_phrase_catalogue_imports_nothing_of_the_package():
    assert import_graph()["stretchsite.phrases"] == set()


def test_content_chain_runs_one_way():
    """limits <- model <- document <- schema <- loaders; the limits read nothing else."""
    graph = import_graph()
    order = ["limits", "model", "document", "schema", "loaders"]
    # A module that imports nothing of the package (the phrase catalogue, the
    # forked helpers) may serve any layer.
    leaves = {
        m for m, uses in graph.items() if not uses and not m.startswith("stretchsite.content")
    }
    assert {"stretchsite.phrases", "stretchsite.forking"} <= leaves
    for i, name in enumerate(order):
        allowed = {f"stretchsite.content.{lower}" for lower in order[:i]} | leaves
        assert graph[f"stretchsite.content.{name}"] <= allowed, name
