"""Helpers shared by test modules (no test module imports from another).

Edits to copied content go through :func:`replaced` / :func:`edit_file`,
which fail when the text to replace is not there: an edit that silently
changes nothing would let a test pass without testing anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import typing
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, fields, is_dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import FileSystemBytecodeCache

from stretchsite import cache as build_cache
from stretchsite.content import ContentError, ContentErrors, Easier, Site, Stretch, load_site
from stretchsite.generator import build_site
from stretchsite.pages import plan_pages
from stretchsite.render import Renderer

from .conftest import PUBLISHED_URL, ROOT, options_for

PUBLISHED = "https://example.github.io/stretch-routine/"


# --------------------------------------------------------------------------
# Guarded edits


def replaced(text: str, old: str, new: str, count: int = -1) -> str:
    """``text.replace(old, new, count)``, failing if ``old`` is not in ``text``."""
    if old not in text:
        raise AssertionError(f"test setup: {old!r} is not in the text to edit")
    return text.replace(old, new, count)


def substituted(text: str, pattern: str, new: str, count: int = 0, flags: int = 0) -> str:
    """``re.sub(pattern, new, text, count, flags)``, failing if ``pattern`` matches nothing."""
    result, found = re.subn(pattern, new, text, count=count, flags=flags)
    if not found:
        raise AssertionError(f"test setup: {pattern!r} matches nothing in the text to edit")
    return result


def edit_file(path: Path, old: str, new: str, count: int = -1) -> Path:
    """Replace ``old`` by ``new`` in the file at ``path``, failing if it is not there."""
    path.write_text(replaced(path.read_text(encoding="utf-8"), old, new, count), encoding="utf-8")
    return path


def edit(project: Path, relative: str, old: str, new: str) -> Path:
    """The first ``old`` in ``project/relative`` replaced by ``new``."""
    return edit_file(project / relative, old, new, 1)


def as_terminal_job() -> None:
    """``preexec_fn`` for a child that a test will send Ctrl-C (SIGINT): a terminal's
    foreground job has SIGINT at its default, whatever the test runner inherited
    (a shell's background job, as some CI launchers start it, ignores SIGINT, and
    Python then never raises KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# --------------------------------------------------------------------------
# HTML: one parser for every test that reads a page

# Elements that never have content or an end tag.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr"}
)


@dataclass(eq=False)
class Element:
    """One element of a parsed page: its tag and attributes (names lower-cased, as
    the HTML parser gives them; a bare attribute is ""), its children in order
    (elements and text, character references decoded) and its parent."""

    tag: str
    attrs: dict[str, str]
    parent: Element | None = field(default=None, repr=False)
    children: list[Element | str] = field(default_factory=list, repr=False)

    def get(self, name: str, default: str = "") -> str:
        return self.attrs.get(name, default)

    def tokens(self, name: str) -> list[str]:
        """A space-separated attribute (class, rel) as its tokens."""
        return self.get(name).split()

    @property
    def elements(self) -> list[Element]:
        """The child elements, without the text between them."""
        return [child for child in self.children if isinstance(child, Element)]

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        """Every element inside this one, in document order."""
        for child in self.children:
            if isinstance(child, Element):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def find_all(self, tag: str | None = None, class_: str | None = None, **attrs) -> list[Element]:
        """Elements inside this one with ``tag``, the class token ``class_`` and ``attrs``:
        a string must equal the value, True asks for the attribute, None for its absence
        (``http_equiv=`` stands for ``http-equiv``)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            element
            for element in self.iter(tag)
            if (class_ is None or class_ in element.tokens("class"))
            and all(_attribute_matches(element, n, v) for n, v in wanted.items())
        ]

    def one(self, tag: str | None = None, class_: str | None = None, **attrs) -> Element:
        """The only element :meth:`find_all` finds; fails if there are none or several."""
        found = self.find_all(tag, class_, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag or '*'}> with class={class_} {attrs}"
        return found[0]

    def texts(self, skip: Collection[str] = ()) -> list[str]:
        """The text pieces inside this element, leaving out elements tagged ``skip``."""
        pieces = []
        for child in self.children:
            if isinstance(child, str):
                pieces.append(child)
            elif child.tag not in skip:
                pieces += child.texts(skip)
        return pieces

    @property
    def text(self) -> str:
        """Everything inside as text (script and style contents included)."""
        return "".join(self.texts())


def _attribute_matches(element: Element, name: str, value: str | bool | None) -> bool:
    if value is None:
        return name not in element.attrs
    if value is True:
        return name in element.attrs
    return element.attrs.get(name) == value


@dataclass(eq=False)
class Document(Element):
    """A parsed page: the root element plus what tests ask of a whole page."""

    comments: list[str] = field(default_factory=list)

    @property
    def visible_text(self) -> str:
        """The page's text as a reader gets it: no script or style, spaces collapsed."""
        return re.sub(r"\s+", " ", " ".join(self.texts(skip=("script", "style")))).strip()

    @property
    def links(self) -> list[str]:
        """Every non-empty ``href`` and ``src``, in document order."""
        return [
            value
            for element in self.iter()
            for name, value in element.attrs.items()
            if name in ("href", "src") and value
        ]

    @property
    def ids(self) -> set[str]:
        """What a ``#fragment`` can name: any element's id, an ``<a>``'s name."""
        return {
            value
            for element in self.iter()
            for name in (("id", "name") if element.tag == "a" else ("id",))
            if (value := element.get(name))
        }

    @property
    def meta(self) -> dict[str, list[str]]:
        """``<meta name|property=... content=...>`` contents by name or property."""
        found: dict[str, list[str]] = {}
        for meta in self.iter("meta"):
            if key := meta.get("name") or meta.get("property"):
                found.setdefault(key, []).append(meta.get("content"))
        return found

    @property
    def policies(self) -> list[str]:
        """The Content-Security-Policy of each ``<meta http-equiv>`` that sets one."""
        return [
            meta.get("content")
            for meta in self.iter("meta")
            if meta.get("http-equiv").lower() == "content-security-policy"
        ]

    def json(self, script_id: str) -> object:
        """The data of the ``<script type="application/json">`` with this id."""
        return json.loads(self.one("script", id=script_id, type="application/json").text)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.document = Document("#document", {})
        self._open: list[Element] = [self.document]

    def _add(self, tag: str, attrs: list[tuple[str, str | None]]) -> Element:
        element = Element(tag, {n: v or "" for n, v in attrs}, parent=self._open[-1])
        self._open[-1].children.append(element)
        return element

    def handle_starttag(self, tag, attrs):
        element = self._add(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):  # <path ... /> in SVG
        self._add(tag, attrs)

    def handle_endtag(self, tag):
        # Close up to the matching open element; a stray end tag changes nothing.
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data):
        self._open[-1].children.append(data)

    def handle_comment(self, data):
        self.document.comments.append(data)


def parse_html(text: str) -> Document:
    """``text`` (an HTML page, or SVG) as a tree of :class:`Element`."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.document


def read_html(path: Path) -> Document:
    return parse_html(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------
# Content errors


def errors_for(project: Path) -> list[ContentError]:
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content")
    return caught.value.errors


def only_error(project: Path) -> ContentError:
    errors = errors_for(project)
    assert len(errors) == 1, errors
    return errors[0]


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


# --------------------------------------------------------------------------
# Rendering without a build


def site_renderer(site: Site, bytecode: Path) -> Renderer:
    """A renderer of every page of ``site``: the project's templates, the published
    address, templates compiled into ``bytecode`` (kept across renderers)."""
    return Renderer(
        site,
        ROOT / "templates",
        site_url=PUBLISHED_URL,
        bytecode_cache=FileSystemBytecodeCache(str(bytecode)),
        pages=tuple(plan_pages(site)),
    )


def rendered_pages(renderer: Renderer, only: set[str] | None = None) -> dict[str, str]:
    """Every page's text by output file (or only those in ``only``)."""
    extra = {"outputs": ["./"], "version": "0"}
    return {
        page.output: renderer.render(page, **(extra if page.lists_outputs else {}))
        for page in renderer.pages
        if only is None or page.output in only
    }


# --------------------------------------------------------------------------
# Builds


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` and the digest of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`build.py` run from ``project`` as a user would, output captured (and buffered,
    as a pipe's is unless the environment says otherwise)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
    )


def build_into(project: Path, out: str, **options):
    """Build ``project`` into ``project/out`` for the published address."""
    return build_site(options_for(project, out=project / out, site_url=PUBLISHED, **options))


def same_as_clean_build(project: Path) -> None:
    """The incremental ``dist`` is byte for byte what a build from scratch makes."""
    clean = project / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    build_into(project, "clean", incremental=False)
    assert tree_digest(project / "dist") == tree_digest(clean)
    # The build records its files without walking the new tree: exactly what is there.
    recorded = build_cache.load(project / "dist").files
    found = build_cache.output_files(project / "dist")
    differing = {
        rel: (recorded.get(rel), found.get(rel))
        for rel in recorded.keys() | found.keys()
        if recorded.get(rel) != found.get(rel)
    }
    assert not differing, f"recorded, found (inode, mtime, size): {differing}"


# --------------------------------------------------------------------------
# Browsers: Content Security Policy violations

CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
  + (e.sample ? ` (${e.sample})` : "")));
window.__printed = 0;
window.print = () => { window.__printed += 1; };
"""


def csp_violations(page) -> list[str]:
    # Reports are queued as tasks: let them arrive before reading them.
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 50))")
    return page.evaluate("window.__csp") + page.console_csp


# --------------------------------------------------------------------------
# The timer in a browser

TIMER_SITE = load_site(ROOT / "content")
# The youngest and the oldest age group of the real content.
UNDER, OVER = TIMER_SITE.age_groups[0], TIMER_SITE.age_groups[-1]
# Records what the timer says and plays (see tests/browser/timer_recorder.js).
RECORDER = (ROOT / "tests/browser/timer_recorder.js").read_text()


# --------------------------------------------------------------------------
# A site with one stretch field changed


def changed(value: object) -> object:
    """A different value of the same shape, so a template that reads it shows the change."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1000
    if isinstance(value, str):
        return value + "-changed"
    if isinstance(value, tuple):
        return tuple(changed(v) for v in value)
    if is_dataclass(value):
        return replace(value, **{f.name: changed(getattr(value, f.name)) for f in fields(value)})
    raise TypeError(f"no change known for {value!r}")


def with_change(site: Site, index: int, name: str) -> Site:
    stretch = site.stretches[index]
    value = getattr(stretch, name)
    if value is None:  # an optional field: give it a value of its type
        kind = typing.get_args(typing.get_type_hints(Stretch)[name])[0]
        samples = {Easier: Easier(5, 10, "changed"), str: next(iter(site.figures)), int: 7}
        value = samples[kind]
    else:
        value = changed(value)
    stretches = list(site.stretches)
    stretches[index] = replace(stretch, **{name: value})
    return replace(site, stretches=tuple(stretches))
