"""URLs have one owner: stretchsite/routes.py. Nothing else spells a page's path."""

from __future__ import annotations

import re
from dataclasses import fields
from urllib.parse import urljoin

from hypothesis import given, settings
from hypothesis import strategies as st

from stretchsite.render import Renderer
from stretchsite.routes import ROUTES, Routes

from .conftest import ROOT

# Every fixed path in Routes, written as a quoted literal ("timer/", 'cards/'...).
FIXED = [getattr(ROUTES, f.name) for f in fields(Routes) if getattr(ROUTES, f.name)]
ANY_FIXED = "|".join(re.escape(p) for p in FIXED)
LITERAL = re.compile(rf"""(["'])((?:\./|\.\./)?(?:{ANY_FIXED})[^"']*)\1""")
TEMPLATES = {p.name for p in (ROOT / "templates").iterdir()}
# The service worker registers itself relative to its own script; handing it
# the URL instead would add bytes to every page for no gain in safety.
ALLOWED = {("static/js/register-sw.js", "../sw.js")}


def sources():
    yield from (ROOT / "stretchsite").rglob("*.py")
    yield from (p for p in (ROOT / "templates").iterdir() if p.is_file())
    yield from (ROOT / "static/js").rglob("*.js")


def spelled_routes(text: str) -> list[str]:
    """Quoted literals that start with a route's path, e.g. `url('timer/')`.

    A template's own file name (`"404.html"` beside `ROUTES.not_found`) is not a URL.
    """
    return [m.group(2) for m in LITERAL.finditer(text) if m.group(2) not in TEMPLATES]


def test_the_finder_sees_a_spelled_route():
    assert spelled_routes("""href="{{ url('timer/') }}" x = "cards/" + id""") == [
        "timer/",
        "cards/",
    ]
    assert spelled_routes("""Page(ROUTES.not_found, "404.html",""") == []
    assert spelled_routes("""{{ url(routes.timer) }} "timer" 'css/site.css'""") == []


def test_no_page_path_is_spelled_outside_routes():
    found = []
    for path in sources():
        if path == ROOT / "stretchsite/routes.py":
            continue
        for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            relative = path.relative_to(ROOT).as_posix()
            found += [
                f"{relative}:{line_number}: {hit}"
                for hit in spelled_routes(line)
                if (relative, hit) not in ALLOWED
            ]
    assert found == [], "use stretchsite.routes (`routes` in templates):\n" + "\n".join(found)


URL_TEXT = st.text(alphabet=st.sampled_from(list("ab./?#:;=%&~-_ é\t\\@+")), max_size=14)


@settings(max_examples=2000, deadline=None)
@given(
    path=URL_TEXT, base=st.sampled_from(["https://example.github.io/stretch-routine/", "http://h/"])
)
def test_an_absolute_url_is_what_urljoin_makes(path, base):
    """Renderer.absolute_url appends a plain path to the site's address without urljoin
    (canonical links on every page); whatever the path, the result is urljoin's."""
    renderer = Renderer.__new__(Renderer)  # only the two addresses absolute_url reads
    renderer.base_url, renderer.site_url = "/stretch-routine/", base
    assert renderer.absolute_url(path) == urljoin(base, path.lstrip("/"))
