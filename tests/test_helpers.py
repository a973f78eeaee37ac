"""The shared test helpers guard what they promise."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .helpers import edit_file, parse_html, replaced, substituted

TESTS = Path(__file__).resolve().parent


def test_an_edit_that_changes_nothing_fails(tmp_path):
    with pytest.raises(AssertionError, match="not in the text"):
        replaced("order: 5", "order: 6", "order: 7")
    path = tmp_path / "a.md"
    path.write_text("title: A\n")
    with pytest.raises(AssertionError):
        edit_file(path, "title: B", "title: C")
    assert edit_file(path, "title: A", "title: C").read_text() == "title: C\n"
    with pytest.raises(AssertionError, match="matches nothing"):
        substituted("order: 5", r"^title: .*$", "title: B")
    assert substituted("order: 5", r"\d+", "6") == "order: 6"


PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'">
<meta name="description" content="A &amp; B"><title>Home</title>
<link rel="stylesheet icon" href="/a.css"></head>
<body><!-- note --><p class="lead intro" id="top">Hi <b>there</b>,<br>you</p></span>
<svg viewBox="0 0 4 4" class="qr"><title>Code</title><path d="M0 0h1"/></svg>
<a name="end" href="#top">Up</a><img src="/i.png" alt="" hidden>
<script type="application/json" id="data">{"a": "</b>"}</script><style>p{}</style>
</body></html>"""


def test_the_html_parser_gives_the_tree():
    page = parse_html(PAGE)
    (p,) = page.find_all("p", class_="intro")
    assert p.text == "Hi there,you" and p.get("id") == "top"
    assert [e.tag for e in p.elements] == ["b", "br"], "a void <br> holds nothing"
    svg = page.one("svg", class_="qr")
    assert svg.get("viewbox") == "0 0 4 4", "attribute names come lower-cased"
    assert [e.tag for e in svg.elements] == ["title", "path"], "<path/> closes itself"
    assert page.one("head").one("title").text == "Home"
    assert page.one("a").parent.tag == "body", "a stray </span> closes nothing"
    assert page.find_all("img", hidden=True)[0].get("hidden") == ""
    assert page.find_all("script", src=None) == page.find_all("script")
    assert page.find_all("link", rel="stylesheet") == [], "a string is the whole value"
    assert page.one("link").tokens("rel") == ["stylesheet", "icon"]
    assert page.meta == {"description": ["A & B"]}
    assert page.policies == ["default-src 'self'"]
    assert page.json("data") == {"a": "</b>"}
    assert page.links == ["/a.css", "#top", "/i.png"]
    assert page.ids == {"top", "end", "data"}
    assert page.comments == [" note "]
    assert page.visible_text == "Home Hi there , you Code Up"
    with pytest.raises(AssertionError, match="0 <table>"):
        page.one("table")


def test_html_is_parsed_in_one_place():
    """Pages are read through helpers.parse_html, not a parser of each module's own."""
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        if path.name == "helpers.py" or "node_modules" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            found += [f"{path.relative_to(TESTS)}: {n}" for n in names if n.startswith("html.")]
    assert found == [], "use parse_html()/read_html() from tests/helpers.py"


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


# --------------------------------------------------------------------------
# Every edit a test writes goes through a guarded helper.

GUARDED = "replaced()/edit_file()/edit() from tests/helpers.py (substituted() for a regex)"
WRITES = {"write_text", "write_bytes", "write"}


def is_raw_edit(node: ast.AST) -> bool:
    """``x.replace(old, new)`` (str/bytes, not datetime's keywords) or ``re.sub(...)``."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    if node.func.attr == "replace":
        return len(node.args) >= 2 and not node.keywords
    return node.func.attr == "sub" and ast.unparse(node.func.value) == "re"


def raw_edits_in(node: ast.AST, edited: set[str]) -> bool:
    """Whether ``node`` holds a raw edit, or a name assigned from one."""
    return any(
        is_raw_edit(n) or (isinstance(n, ast.Name) and n.id in edited) for n in ast.walk(node)
    )


def unguarded_edits(source: str) -> list[int]:
    """Lines that write a file with text edited by a raw ``replace``/``re.sub``."""
    tree = ast.parse(source)
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]
    lines = set()
    for scope in scopes:
        edited: set[str] = set()
        for node in ast.walk(scope):
            assigns = isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
            if assigns and node.value and raw_edits_in(node.value, set()):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                edited |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        for node in ast.walk(scope):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
                and any(raw_edits_in(arg, edited) for arg in [*node.args, *node.keywords])
            ):
                lines.add(node.lineno)
    return sorted(lines)


def test_the_unguarded_edit_finder_finds_them():
    assert unguarded_edits("p.write_text(p.read_text().replace('a', 'b'))") == [1]
    assert unguarded_edits(
        "def f(p):\n    t = p.read_text()\n    t = t.replace('a', 'b')\n    p.write_text(t)\n"
    ) == [4]
    assert unguarded_edits("p.write_text(re.sub('a', 'b', p.read_text()))") == [1]
    assert unguarded_edits("lines = [x.replace('a', 'b')]\np.write_text(''.join(lines))") == [2]
    assert unguarded_edits("p.write_text(replaced(p.read_text(), 'a', 'b'))") == []
    assert unguarded_edits("edit_file(p, 'a', 'b')\nat = day.replace(hour=7)\nf.write(at)") == []


def test_every_file_edit_in_the_tests_is_guarded():
    """A raw ``replace()`` that finds nothing edits nothing, and the test then tests nothing."""
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        if "node_modules" in path.parts:
            continue
        for line in unguarded_edits(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(TESTS)}:{line}: use {GUARDED}")
    assert found == [], "\n".join(found)
