"""Stretch figures: pose data checked like other content, drawn as small, accessible SVG."""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from stretchsite.content import ContentErrors, load_site
from stretchsite.drawing import render_svg
from stretchsite.generator import build_site
from stretchsite.render import Renderer

from .conftest import ROOT, options_for
from .helpers import edit, errors_for, line_of, only_error, read_html

SVG = "{http://www.w3.org/2000/svg}"
LARGE_BUDGET = 2560  # bytes of one figure on a stretch page (all are about 1 to 1.6 KB)
SMALL_BUDGET = 1024  # bytes of one home-page thumbnail
CALF = "content/stretches/05-calf-stretch.md"
CALF_FIGURE = "content/figures/calf-stretch.yml"
HINGE_FIGURE = "content/figures/hip-hinge-rock-back.yml"
# The only paint values a figure may carry: anything else is a fixed colour
# that could vanish on one of the backgrounds.
PAINT_ATTRS = ("fill", "stroke", "color", "stop-color", "style")
ALLOWED_PAINT = {"none", "currentColor"}


def all_svgs(site) -> list[tuple[str, str, str]]:
    return [
        (name, size, render_svg(figure, size))
        for name, figure in site.figures.items()
        for size in ("large", "small")
    ]


def test_every_stretch_names_a_figure(real_site):
    assert all(s.figure in real_site.figures for s in real_site.stretches)


@pytest.mark.parametrize("size", ["large", "small"])
def test_figures_are_well_formed_small_and_colour_free(real_site, size):
    for name, figure in real_site.figures.items():
        svg = render_svg(figure, size)
        root = ET.fromstring(svg)
        assert root.tag == SVG + "svg"
        assert len(root.get("viewBox").split()) == 4
        budget = LARGE_BUDGET if size == "large" else SMALL_BUDGET
        assert len(svg.encode()) < budget, f"{name} {size}: {len(svg.encode())} bytes"
        for element in root.iter():
            for attr in PAINT_ATTRS:
                value = element.get(attr)
                assert value is None or value in ALLOWED_PAINT, (name, element.tag, attr, value)
        if size == "large":
            title = root.find(SVG + "title")
            assert root.get("role") == "img"
            assert title is not None and len(title.text) > 40, name
            assert root.get("aria-labelledby") == title.get("id")
        else:
            assert root.get("aria-hidden") == "true"
            assert root.find(SVG + "title") is None


def test_two_pose_figure_shows_both_poses_with_labels(real_site):
    hinge = real_site.figures["hip-hinge-rock-back"]
    root = ET.fromstring(render_svg(hinge))
    labels = [t.text for t in root.iter(SVG + "text")]
    assert labels == [p.label for p in hinge.poses] == ["Start", "Hold"]
    # Thumbnails show only the held position.
    assert len(list(ET.fromstring(render_svg(hinge, "small")).iter(SVG + "circle"))) == 1


def test_markup_and_quotes_in_figure_text_stay_text(real_site):
    hostile = """<b>&amp; "quoted" 'single'\tend"""
    hinge = real_site.figures["hip-hinge-rock-back"]
    poses = tuple(replace(p, label=hostile) for p in hinge.poses)
    figure = replace(hinge, alt=hostile, poses=poses)
    for prefix in ('say "hi"', "it's", """both " and '"""):
        root = ET.fromstring(render_svg(figure, "large", prefix))
        title = root.find(SVG + "title")
        assert title.text == hostile
        assert title.get("id") == root.get("aria-labelledby") == f"{prefix}-title"
        assert [t.text for t in root.iter(SVG + "text")] == [hostile, hostile]
        assert not root.findall(f".//{SVG}b")


def test_stretch_page_shows_figure_with_text_alternative(built, real_site):
    for stretch in real_site.stretches:
        page = read_html(built / "stretches" / stretch.slug / "index.html")
        figure = page.one("figure", class_="stretch-figure")
        svg = figure.elements[0]
        assert svg.tag == "svg", stretch.slug
        assert svg.elements[0].tag == "title"
        assert svg.elements[0].text == real_site.figures[stretch.figure].alt
        # Near the top: before the facts and the steps.
        order = list(page.iter())
        assert order.index(figure) < order.index(page.one(class_="facts"))


def test_figure_hooks_for_other_templates_and_scripts(real_site, tmp_path):
    renderer = Renderer(real_site, ROOT / "templates")
    calf = next(s for s in real_site.stretches if s.slug == "calf-stretch")
    small = str(renderer.figure_svg(calf, "small"))
    assert small.startswith("<svg") and 'aria-hidden="true"' in small
    data = json.loads(json.dumps(renderer.figure_data(calf)))
    assert data["alt"] == real_site.figures["calf-stretch"].alt
    assert ET.fromstring(data["svg"]).tag == SVG + "svg"
    assert [ET.fromstring(p["svg"]).find(SVG + "title").text for p in data["poses"]] == [
        data["alt"]
    ]
    hinge = renderer.figure_data(next(s for s in real_site.stretches if s.dose.unit == "reps"))
    titles = [ET.fromstring(p["svg"]).find(SVG + "title").text for p in hinge["poses"]]
    assert [t.split(":")[0] for t in titles] == ["Start", "Hold"]
    template = renderer.env.from_string("[{{ figure_svg(s) }}]{{ figure_data(s) | tojson }}")
    bare = calf.__class__(**{**calf.__dict__, "figure": None})
    assert template.render(s=bare) == "[]null"


def test_stretch_without_figure_still_builds(project):
    edit(project, CALF, "figure: calf-stretch\n", "")
    out = project / "dist"
    build_site(options_for(project, out=out))
    page = read_html(out / "stretches/calf-stretch/index.html")
    assert page.find_all("svg") == [] and page.find_all(class_="stretch-figure") == []
    assert "Calf Stretch" in page.visible_text
    assert len(read_html(out / "index.html").find_all(class_="fig-small")) == 4


def test_unknown_figure_is_a_content_error(project):
    path = edit(project, CALF, "figure: calf-stretch", "figure: calf-strech")
    error = only_error(project)
    assert error.path.endswith(CALF)
    assert error.line == line_of(path, "figure:")
    assert "unknown figure 'calf-strech'" in error.message
    assert "did you mean `calf-stretch`" in error.message


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("    hip: [57, 31]\n", "", "  - head:", "missing required field `hip`"),
        ("hip: [57, 31]", "hip: [57]", "hip: [57]", "must be a point `[x, y]`"),
        ("hip: [57, 31]", "hip: [557, 31]", "hip: [557", "is outside the `view`"),
        ("shape: step", "shape: steps", "shape: steps", "did you mean `step`"),
        ("    neck:", "    heed: [1, 1]\n    neck:", "heed:", "unknown field `heed`"),
        ("view: [0, -20, 84, 124]", "view: [0, -20, 0, 124]", "view: [0", "`view` must be"),
    ],
)
def test_figure_file_errors_point_at_the_line(project, old, new, needle, message):
    path = edit(project, CALF_FIGURE, old, new)
    error = only_error(project)
    assert error.path.endswith(CALF_FIGURE)
    assert message in error.message
    assert error.line == line_of(path, needle), error


def test_two_poses_need_labels_and_all_errors_are_reported_together(project):
    edit(project, HINGE_FIGURE, "label: Hold", "# label: Hold")
    edit(project, CALF_FIGURE, "floor: 100", "floor: low")
    messages = [e.message for e in errors_for(project)]
    assert any("needs a `label`" in m for m in messages)
    assert any("`floor` must be a number" in m for m in messages)


def test_yaml_tags_in_figures_are_refused(project):
    edit(project, CALF_FIGURE, "floor: 100", "floor: !!python/object:os.system 100")
    with pytest.raises(ContentErrors, match="invalid YAML"):
        load_site(project / "content")


def test_every_figure_name_in_content_resolves(real_site):
    files = {p.stem for p in (ROOT / "content/figures").glob("*.yml")}
    assert files == {s.figure for s in real_site.stretches}, "unused or missing figure files"


def test_figures_json_fits_a_timer_page(real_site):
    data = [
        render_svg(real_site.figures[s.figure], "large", f"t{s.order}") for s in real_site.stretches
    ]
    assert len(gzip.compress(json.dumps(data).encode(), 9)) < 4096
