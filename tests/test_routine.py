"""The routine data handed to the timer page, and the files that make the site work offline."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from stretchsite.generator import build_site
from stretchsite.output import MARKER
from stretchsite.routine import routine_data

from .conftest import ROOT, options_for

TIMER_JS = ROOT / "static" / "js" / "timer"
JS_BUDGET = 8 * 1024  # bytes, gzipped: the limit for the timer's JavaScript


def test_routine_data_follows_the_content(real_site):
    data = routine_data(real_site, lambda path: "/base/" + path)
    assert json.loads(json.dumps(data)) == data  # plain JSON, nothing else
    assert [g["id"] for g in data["age_groups"]] == [g.id for g in real_site.age_groups]
    assert [g["hold"] for g in data["age_groups"]] == [g.hold for g in real_site.age_groups]
    assert data["timer"] == {
        "get_ready": real_site.timer.get_ready,
        "switch_sides": real_site.timer.switch_sides,
    }
    assert data["cooldown"]["minutes"] == real_site.cooldown.minutes
    assert [s["slug"] for s in data["stretches"]] == [s.slug for s in real_site.stretches]
    for item, stretch in zip(data["stretches"], real_site.stretches, strict=True):
        assert item["url"] == f"/base/stretches/{stretch.slug}/"
        assert item["cues"] == list(stretch.cues)
        assert item["dose"] == {
            "unit": stretch.dose.unit,
            "min": stretch.dose.min,
            "max": stretch.dose.max,
        }
        assert item["side_names"] == (list(stretch.side_names) if stretch.one_sided else [])
        if stretch.easier:
            easier = stretch.easier
            assert item["easier"] == {"min": easier.hold_min, "max": easier.hold_max}
        else:
            assert item["easier"] is None


def test_timer_page_embeds_the_data_without_inline_code(built, real_site):
    html = (built / "timer/index.html").read_text()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL)
    for attrs, body in scripts:
        assert 'type="application/json"' in attrs or not body.strip(), attrs
    embedded = re.search(r'<script type="application/json" id="routine-data">(.*?)</script>', html)
    assert json.loads(embedded[1]) == routine_data(real_site, lambda p: "/" + p)
    assert not re.search(r"<[^>]*\s(style|on[a-z]+)\s*=", html), "no inline styles or handlers"


def test_timer_is_linked_from_the_nav_and_the_home_page(built):
    home = (built / "index.html").read_text()
    assert home.count('href="/timer/"') >= 2  # nav and the hero's button
    assert 'href="/timer/"' in (built / "stretches/calf-stretch/index.html").read_text()


def test_timer_javascript_fits_the_budget():
    """Each module is fetched and compressed on its own, so the sizes add up per file."""
    files = sorted(TIMER_JS.glob("*.js"))
    assert {f.name for f in files} >= {"main.js", "sequence.js", "clock.js", "cues.js", "view.js"}
    total = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    print(f"timer JavaScript: {total} bytes gzipped in {len(files)} files")
    assert total <= JS_BUDGET, f"{total} bytes gzipped; the budget is {JS_BUDGET}"


def test_service_worker_precaches_every_file_with_a_versioned_cache(project):
    out = project / "dist"
    build_site(options_for(project, out=out, base_url="/repo/"))
    sw = (out / "sw.js").read_text()
    files = json.loads(re.search(r"const FILES = (\[.*?\]);", sw)[1])
    # Every file but the worker itself and the marker that tells later builds
    # the folder is theirs to replace (not part of the site).
    written = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.name not in ("sw.js", MARKER)
    }
    as_urls = {re.sub(r"(^|/)index\.html$", r"\1", f) or "./" for f in written}
    assert set(files) == as_urls
    assert all(not f.startswith("/") for f in files), "relative to the worker, base-path proof"
    version = re.search(r'const VERSION = "([0-9a-f]+)"', sw)[1]
    # Any change in the content gives a new cache name.
    calf = project / "content/stretches/05-calf-stretch.md"
    calf.write_text(calf.read_text().replace("Knee straight, stand tall", "Stand tall"))
    build_site(options_for(project, out=out, base_url="/repo/"))
    assert re.search(r'const VERSION = "([0-9a-f]+)"', (out / "sw.js").read_text())[1] != version


def test_manifest_is_relative_with_real_icons(built: Path, real_site):
    manifest = json.loads((built / "manifest.webmanifest").read_text())
    assert manifest["name"] == real_site.title
    assert manifest["start_url"] == "./" and manifest["scope"] == "./"
    purposes = set()
    for icon in manifest["icons"]:
        assert not icon["src"].startswith("/")
        path = built / icon["src"]
        assert path.is_file(), icon["src"]
        if icon["type"] == "image/png":
            size = int(icon["sizes"].split("x")[0])
            header = path.read_bytes()[:24]
            assert header[:8] == b"\x89PNG\r\n\x1a\n"
            assert int.from_bytes(header[16:20], "big") == size
        purposes.add(icon.get("purpose", "any"))
    assert purposes == {"any", "maskable"}
    home = (built / "index.html").read_text()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in home
