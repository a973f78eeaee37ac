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
from pathlib import Path

import pytest

from stretchsite.content import load_site
from stretchsite.render import Renderer

from .conftest import ROOT
from .helpers import Document, Element, read_html
from .hostile_site import FIELDS, MARKER, STRETCH_SLUG, make_hostile


def attribute_values(page: Document) -> list[str]:
    return [value for element in page.iter() for value in element.attrs.values()]


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
        page = read_html(file)
        raw = file.read_text(encoding="utf-8")
        assert "<script>alert(" not in raw and f"<b {MARKER}" not in raw, path
        for tag, attrs in ((e.tag, e.attrs) for e in page.iter()):
            assert MARKER not in attrs, (path, tag)
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            if tag == "script":
                assert "src" in attrs or attrs.get("type") == "application/json", (path, attrs)
            assert not (tag == "img" and attrs.get("src") == "x"), path
        assert not any("dq" in c for c in page.comments), path
        text = "".join(page.texts(skip=("script",)))
        assert FIELDS["site_title"] in text, path  # the <title> and the header
        for field in EXPECTED_TEXT.get(path, []):
            assert FIELDS[field] in text, (path, field)
    # Attributes hold the exact strings, quotes and all.
    values = attribute_values(read_html(pages[f"stretches/{STRETCH_SLUG}/"]))
    assert FIELDS["summary"] in values  # meta description, og:description
    assert FIELDS["title"] in values  # og:title
    assert FIELDS["site_title"] in values  # og:site_name


def test_timer_data_cannot_break_out_of_its_script_element(hostile: Path):
    scripts = read_html(hostile / "timer/index.html").iter("script")
    (data,) = [s.text for s in scripts if s.text.strip()]
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


def policy_of(page: Document) -> dict[str, list[str]]:
    (policy,) = page.policies
    directives = [d.split() for d in policy.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def test_every_page_carries_a_strict_policy_first(published: Path):
    for file in sorted(published.rglob("*.html")):
        page = read_html(file)
        # A meta policy covers only what follows it: nothing but the charset may come first.
        head = page.one("head")
        assert [c for c in head.children if isinstance(c, Element) or c.strip()][:2] == (
            head.elements[:2]
        ), file
        charset, first = head.elements[:2]
        assert (charset.tag, charset.attrs) == ("meta", {"charset": "utf-8"}), file
        assert first.tag == "meta", file
        assert first.get("http-equiv").lower() == "content-security-policy", file
        policy = policy_of(page)
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
        page = read_html(file)
        assert page.find_all("style") == [], file
        for tag, attrs in ((e.tag, e.attrs) for e in page.iter()):
            assert "style" not in attrs, (file, tag)
            assert not any(name.startswith("on") for name in attrs), (file, tag)
            if tag == "script":
                assert "src" in attrs or attrs.get("type") == "application/json", (file, attrs)
            for name in ("href", "src", "action"):
                assert not attrs.get(name, "").lower().startswith("javascript:"), (file, tag)
