"""Any bytes in a content file give valid data or `path:line: message`, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stretchsite.content import ContentErrors, load_site

from .conftest import ROOT
from .helpers import replaced
from .hostile_yaml import frontmatter_text

GOOD = (ROOT / "content/stretches/05-calf-stretch.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(ROOT / "content", root / "content")
    return root


def load_with(sandbox: Path, data: bytes) -> None:
    (sandbox / "content/stretches/05-calf-stretch.md").write_bytes(data)
    try:
        site = load_site(sandbox / "content")
    except ContentErrors as exc:
        assert exc.errors, "an error list is never empty"
        for error in exc.errors:
            assert error.path.endswith(".md") or error.path.endswith(".yml"), error
            assert error.line >= 1
            assert error.message and "\n" not in error.message and "Traceback" not in error.message
    else:
        assert len(site.stretches) >= 5


SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(sandbox, data):
    load_with(sandbox, data)


@SETTINGS
@given(frontmatter_text, st.text(max_size=300))
def test_random_frontmatter(sandbox, fm, body):
    load_with(sandbox, f"---\n{fm}---\n{body}".encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.sampled_from(["\ufeff", ""]), st.sampled_from(["\n", "\r\n", "\r"]))
def test_bom_and_line_endings_load(sandbox, bom, newline):
    text = bom + replaced(GOOD, "\n", newline)
    load_with(sandbox, text.encode("utf-8"))
    site = load_site(sandbox / "content")
    assert site.stretches[-1].title == "Calf Stretch"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"---\n---\n",
        b"---\n",
        b"\xef\xbb\xbf",
        b"---\ntitle: " + b"x" * 1_000_000 + b"\n---\n1. a\n",
        b"---\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n---\n1. a\n",
        b"---\nx: " + b"{a: " * 3000 + b"1" + b"}" * 3000 + b"\n---\n1. a\n",
        b"---\n" + b"a: &a [" + b"*a, " * 10 + b"]\nb: &b [*a, *a, *a, *a]\n---\n1. a\n",
        b"---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n1. a\n",
        b"---\ntitle: !!python/object/new:str ['x']\n---\n1. a\n",
        b"---\n- a list\n---\n1. a\n",
        b"---\ntitle: [unclosed\n---\n1. a\n",
        b"\x00\x01\x02",
        GOOD.encode("utf-16"),
    ],
    ids=lambda d: repr(d[:24]),
)
def test_known_hostile_files(sandbox, data):
    load_with(sandbox, data)
    with pytest.raises(ContentErrors):
        load_site(sandbox / "content")
