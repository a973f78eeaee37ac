"""The routine data handed to the timer page, and the files that make the site work offline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from stretchsite.content import ContentErrors
from stretchsite.content.limits import GAP_SECONDS, POSITION_SECONDS
from stretchsite.generator import build_site
from stretchsite.output import MARKER
from stretchsite.routine import routine_data

from .conftest import options_for
from .helpers import edit_file, read_html, replaced


def test_routine_data_follows_the_content(real_site):
    data = routine_data(real_site, lambda path: "/base/" + path)
    assert json.loads(json.dumps(data)) == data  # plain JSON, nothing else
    assert [g["id"] for g in data["age_groups"]] == [g.id for g in real_site.age_groups]
    assert [g["hold"] for g in data["age_groups"]] == [g.hold for g in real_site.age_groups]
    assert data["timer"] == {
        "get_ready": real_site.timer.get_ready,
        "switch_sides": real_site.timer.switch_sides,
        "into_position": real_site.timer.into_position,
        "change_equipment": real_site.timer.change_equipment,
    }
    assert data["limits"]["gap"] == list(GAP_SECONDS)
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
        assert item["equipment"] == list(stretch.equipment)
        assert item["into_position"] == stretch.into_position
        if stretch.easier:
            easier = stretch.easier
            assert item["easier"] == {"min": easier.hold_min, "max": easier.hold_max}
        else:
            assert item["easier"] is None


def test_timer_page_embeds_the_data_without_inline_code(built, real_site):
    page = read_html(built / "timer/index.html")
    for script in page.iter("script"):
        assert script.get("type") == "application/json" or not script.text.strip(), script.attrs
    assert page.json("routine-data") == routine_data(real_site, lambda p: "/" + p)
    inline = [
        (element.tag, name)
        for element in page.iter()
        for name in element.attrs
        if name == "style" or name.startswith("on")
    ]
    assert inline == [], "no inline styles or handlers"


def test_timer_is_linked_from_the_nav_and_the_home_page(built):
    assert read_html(built / "index.html").links.count("/timer/") >= 2  # nav and hero's button
    assert "/timer/" in read_html(built / "stretches/calf-stretch/index.html").links


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
    edit_file(calf, "Knee straight, stand tall", "Stand tall")
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
    home = read_html(built / "index.html")
    assert home.one("link", rel="manifest").get("href") == "/manifest.webmanifest"


def test_limits_reach_the_timer_form_from_one_source(built):
    """The gap inputs' min and max are the limits the content is checked against."""
    page = read_html(built / "timer/index.html")
    for name in ("ready", "switch"):
        field = page.one("input", id=f"set-{name}")
        assert (field.get("min"), field.get("max")) == tuple(map(str, GAP_SECONDS)), field


def test_gap_outside_the_timer_limits_stops_the_build(project):
    """`get_ready: 90` used to build, then every settings change on the timer was refused."""
    site = project / "content/site.yml"
    text = site.read_text()
    site.write_text(replaced(text, "get_ready: 5", f"get_ready: {GAP_SECONDS[1] + 30}"))
    with pytest.raises(ContentErrors) as caught:
        build_site(options_for(project))
    line = text[: text.index("get_ready: 5")].count("\n") + 1
    assert str(caught.value) == (
        f"{project}/content/site.yml:{line}: `timer.get_ready` must be whole seconds from "
        f"{GAP_SECONDS[0]} to {GAP_SECONDS[1]}, not {GAP_SECONDS[1] + 30}"
    )


@pytest.mark.parametrize("value", ["-1", "soon", str(POSITION_SECONDS[1] + 1), "true"])
def test_into_position_is_checked(project, value):
    calf = project / "content/stretches/05-calf-stretch.md"
    text = calf.read_text()
    calf.write_text(replaced(text, "order: 5\n", f"order: 5\ninto_position: {value}\n", 1))
    with pytest.raises(ContentErrors) as caught:
        build_site(options_for(project))
    where = f"{project}/content/stretches/05-calf-stretch.md:4: `into_position` must be whole"
    assert str(caught.value).startswith(where)


def test_into_position_reaches_the_timer(project):
    calf = project / "content/stretches/05-calf-stretch.md"
    text = calf.read_text()
    calf.write_text(replaced(text, "order: 5\n", "order: 5\ninto_position: 45\n", 1))
    build_site(options_for(project))
    data = read_html(project / "dist/timer/index.html").json("routine-data")
    assert [s["into_position"] for s in data["stretches"]] == [None, None, None, None, 45]
