"""The printable pages as built: one card per age group, the cheat sheet, QR codes, warnings."""

from __future__ import annotations

import re

import segno

from stretchsite.content import load_site
from stretchsite.generator import build_site
from stretchsite.phrases import EN
from stretchsite.printing import (
    QR_BORDER,
    QR_ERROR,
    QRCodes,
    card_height,
    fit_warnings,
    print_warnings,
)
from stretchsite.wording import Wording

from .conftest import options_for
from .helpers import read_html, run_build
from .printcheck import overstuff_content, qr_matrix, stress_content

SITE_URL = "https://example.github.io/stretch-routine/"

WORDS = Wording(EN)


def card_text(out, group_id: str) -> str:
    return read_html(out / "cards" / group_id / "index.html").visible_text


def test_each_card_shows_only_its_own_groups_hold(published, real_site):
    out = published
    for group in real_site.age_groups:
        text = card_text(out, group.id)
        for stretch in real_site.stretches:
            block = text[text.index(stretch.title) :]
            per = WORDS.hold_per(stretch)
            hold = f"Hold {WORDS.hold(group)}{' ' + per if per else ''}"
            dose = WORDS.dose(stretch.dose)
            assert block.startswith(f"{stretch.title} {hold} · {dose}"), block[:120]
            for cue in stretch.cues:
                assert cue in block
        assert text.count(f"Hold {WORDS.hold(group)}") == len(real_site.stretches)
        for other in real_site.age_groups:
            if other != group:
                assert not re.search(rf"\b{other.hold} ?(seconds|s)\b", text), other.id
                assert other.label not in text.replace(f"Card: {other.label}", "")


def test_card_holds_the_whole_routine_in_order(published, real_site):
    out = published
    text = card_text(out, real_site.age_groups[0].id)
    sheet = text[text.index("routine card") :]
    positions = [sheet.index(real_site.cooldown.title)]
    positions += [sheet.index(s.title) for s in real_site.stretches]
    positions.append(sheet.index(real_site.intensity.title))
    assert positions == sorted(positions)
    for must in (
        real_site.intensity.text,
        real_site.disclaimer,
        "example.github.io/stretch-routine",
    ):
        assert " ".join(must.split()) in sheet


def test_cheatsheet_shows_every_group_side_by_side(published, real_site):
    out = published
    text = read_html(out / "cheatsheet/index.html").visible_text
    for stretch in real_site.stretches:
        row = text[text.index(stretch.title) :]
        holds = [row.index(WORDS.hold(g)) for g in real_site.age_groups]
        assert holds == sorted(holds) and holds[-1] < 200, stretch.slug
    for group in real_site.age_groups:
        assert text.count(WORDS.hold(group)) >= len(real_site.stretches)


def test_qr_codes_open_the_timer_with_the_right_preset(published, real_site):
    out = published
    for group in real_site.age_groups:
        svg = read_html(out / "cards" / group.id / "index.html").one("svg", class_="qr")
        expected = f"{SITE_URL}timer/?age={group.id}"
        assert qr_matrix(svg, QR_BORDER) == [
            list(row) for row in segno.make(expected, error=QR_ERROR, boost_error=False).matrix
        ]
    cheat = read_html(out / "cheatsheet/index.html")
    found = [qr_matrix(svg, QR_BORDER) for svg in cheat.find_all("svg", class_="qr")]
    wanted = [
        [
            list(r)
            for r in segno.make(
                f"{SITE_URL}timer/?age={g.id}", error=QR_ERROR, boost_error=False
            ).matrix
        ]
        for g in real_site.age_groups
    ]
    assert found == wanted


def test_each_qr_code_is_named_for_its_own_group(real_site):
    """The same code drawn under two names keeps each name (codes are made once per process)."""
    url = f"{SITE_URL}timer/?age={real_site.age_groups[0].id}"
    codes = QRCodes()
    first, second = codes(url, "QR code: one"), codes(url, "QR code: <two>")
    assert 'aria-label="QR code: one"' in first and "two" not in first
    assert 'aria-label="QR code: &lt;two&gt;"' in second and "one" not in second
    assert first.replace("one", "") == second.replace("&lt;two&gt;", "")


def test_qr_reader_is_not_fooled(published, real_site):
    """The matrix check above can fail: another preset gives another code."""
    out = published
    first, second = real_site.age_groups[:2]
    svg = read_html(out / "cards" / first.id / "index.html").one("svg", class_="qr")
    other = segno.make(f"{SITE_URL}timer/?age={second.id}", error=QR_ERROR, boost_error=False)
    assert qr_matrix(svg, QR_BORDER) != [list(row) for row in other.matrix]


def test_printable_pages_are_linked_from_home_and_nav(published, real_site):
    out = published
    home = read_html(out / "index.html")
    hrefs = [element.get("href") for element in home.iter()]
    for group in real_site.age_groups:
        assert f"/stretch-routine/cards/{group.id}/" in hrefs
    assert "/stretch-routine/cheatsheet/" in hrefs
    nav = home.one("nav", class_="site-nav")
    assert [a.text for a in nav.iter("a") if a.get("href").endswith("cheatsheet/")] == ["Print"]


def test_without_site_url_no_qr_and_a_clear_warning(built, project):
    html = (built / "cards/under-40/index.html").read_text()
    assert "sheet-qrs" not in html and "QR code" not in html
    report = build_site(options_for(project))
    assert any("--site-url" in w and "QR" in w for w in report.warnings)


def test_real_and_stressed_cards_fit_without_warning(real_site, project):
    assert print_warnings(real_site, SITE_URL) == []
    stress_content(project / "content")
    assert fit_warnings(load_site(project / "content")) == []


def test_build_warns_clearly_when_a_card_cannot_fit(project):
    overstuff_content(project / "content")
    site = load_site(project / "content")
    assert all(card_height(site, g) > 0 for g in site.age_groups)
    result = run_build(project, "--site-url", SITE_URL)
    assert result.returncode == 0, result.stderr
    for group in site.age_groups:
        assert re.search(
            rf"^warning: the routine card cards/{group.id}/ will probably not fit on one "
            r"printed page \(about \d+ mm too tall",
            result.stderr,
            re.M,
        ), result.stderr
