"""Output safety without a browser: escaping on every page kind, and the page policy itself.

The hostile build (tests/hostile_site.py) plants markup and quotes in a
stretch's title, summary, cue and side name and in the site's title. Every
file of the build must carry them as text: never as an element, an attribute,
a comment, or code, and the JSON data must read back the exact strings.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from stretchsite.content import load_site
from stretchsite.render import Renderer

from .conftest import ROOT
from .hostile_site import FIELDS, MARKER, STRETCH_SLUG, make_hostile


class _Page(HTMLParser):
    """Elements, text (entities decoded) and comments of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.comments: list[str] = []
        self.scripts: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._script = tag == "script"
        if self._script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    def handle_comment(self, data):
        self.comments.append(data)

    @property
    def attribute_values(self) -> list[str]:
        return [v for _, attrs in self.elements for v in attrs.values()]


def parse(file: Path) -> _Page:
    page = _Page()
    page.feed(file.read_text(encoding="utf-8"))
    page.close()
    return page


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return make_hostile(tmp_path_factory.mktemp("hostile"))


def pages_of(dist: Path) -> dict[str, Path]:
    return {
        f.relative_to(dist).as_posix().removesuffix("index.html"): f
        for f in sorted(dist.rglob("*.html"))
    }


# Where each planted string must show as text (besides the site title, which is on every page).
EXPECTED_TEXT = {
    "": ["title"],  # the home list is compact: summary and sides are on the stretch page
    f"stretches/{STRETCH_SLUG}/": ["title", "summary", "cue", "side"],
    "cards/under-40/": ["title", "cue", "side"],
    "cards/40-plus/": ["title", "cue", "side"],
    "cheatsheet/": ["title", "cue"],
    "404.html": ["title"],
    "timer/": [],
}


def test_every_template_is_autoescaped():
    renderer = Renderer(load_site(ROOT / "content"), ROOT / "templates")
    names = [p.name for p in (ROOT / "templates").iterdir()]
    assert [n for n in names if not renderer.env.autoescape(n)] == []
    assert renderer.env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_hostile_text_stays_text_on_every_html_page(hostile: Path):
    pages = pages_of(hostile)
    assert set(EXPECTED_TEXT) <= set(pages)
    for path, file in pages.items():
        page = parse(file)
        raw = file.read_text(encoding="utf-8")
        assert "<script>alert(" not in raw and f"<b {MARKER}" not in raw, path
        for tag, attrs in page.elements:
            assert MARKER not in attrs, (path, tag)
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            if tag == "script":
                assert "src" in attrs or attrs.get("type") == "application/json", (path, attrs)
            assert not (tag == "img" and attrs.get("src") == "x"), path
        assert not any("dq" in c for c in page.comments), path
        text = "".join(page.text)
        assert FIELDS["site_title"] in text, path  # the <title> and the header
        for field in EXPECTED_TEXT.get(path, []):
            assert FIELDS[field] in text, (path, field)
    # Attributes hold the exact strings, quotes and all.
    stretch = parse(pages[f"stretches/{STRETCH_SLUG}/"])
    assert FIELDS["summary"] in stretch.attribute_values  # meta description, og:description
    assert FIELDS["title"] in stretch.attribute_values  # og:title
    assert FIELDS["site_title"] in stretch.attribute_values  # og:site_name


def test_timer_data_cannot_break_out_of_its_script_element(hostile: Path):
    page = parse(hostile / "timer/index.html")
    (data,) = [s for s in page.scripts if s.strip()]
    assert "<" not in data, "no `</script>` or `<!--` can end or hide the element"
    routine = json.loads(data)
    calf = next(s for s in routine["stretches"] if s["slug"] == STRETCH_SLUG)
    assert calf["title"] == FIELDS["title"]
    assert FIELDS["cue"] in calf["cues"]
    assert calf["side_names"][0] == FIELDS["side"]


def test_other_files_carry_the_text_safely(hostile: Path):
    manifest = json.loads((hostile / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == manifest["short_name"] == FIELDS["site_title"]
    ET.parse(hostile / "sitemap.xml")  # still well-formed XML
    sw = (hostile / "sw.js").read_text(encoding="utf-8")
    files = json.loads(re.search(r"^const FILES = (.*);$", sw, re.M).group(1))
    assert f"stretches/{STRETCH_SLUG}/" in files
    for name in ("sitemap.xml", "robots.txt", "sw.js"):
        text = (hostile / name).read_text(encoding="utf-8")
        assert "dq" not in text and "alert(" not in text, name


# ---------------------------------------------------------------------------
# The page policy, read from the real published build.

REQUIRED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
}


def policy_of(file: Path) -> dict[str, list[str]]:
    metas = [
        attrs
        for tag, attrs in parse(file).elements
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy"
    ]
    assert len(metas) == 1, file
    directives = [d.split() for d in metas[0]["content"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def test_every_page_carries_a_strict_policy_first(published: Path):
    for file in sorted(published.rglob("*.html")):
        html = file.read_text(encoding="utf-8")
        # A meta policy covers only what follows it: nothing but the charset may come first.
        head = html[html.index("<head>") + len("<head>") : html.index("Content-Security-Policy")]
        assert re.fullmatch(r'\s*<meta charset="utf-8">\s*<meta http-equiv="', head), file
        policy = policy_of(file)
        for directive, sources in REQUIRED.items():
            assert policy.get(directive) == sources, (file, directive, policy.get(directive))
        made_here = file.relative_to(published).as_posix() == "timer/index.html"
        for directive, sources in policy.items():
            for source in sources:
                # Only keywords: no host, scheme (https:, data:, ws:) or wildcard; blob:
                # only where the timer makes its cue track and artwork from its own data.
                if made_here and directive in ("img-src", "media-src") and source == "blob:":
                    continue
                assert re.fullmatch(r"'(self|none)'", source), (file, directive, source)


def test_pages_need_no_inline_code_or_style(published: Path):
    for file in sorted(published.rglob("*.html")):
        page = parse(file)
        raw = file.read_text(encoding="utf-8")
        assert "<style" not in raw, file
        for tag, attrs in page.elements:
            assert "style" not in attrs, (file, tag)
            assert not any(name.startswith("on") for name in attrs), (file, tag)
            if tag == "script":
                assert "src" in attrs or attrs.get("type") == "application/json", (file, attrs)
            for name in ("href", "src", "action"):
                assert not attrs.get(name, "").lower().startswith("javascript:"), (file, tag)
