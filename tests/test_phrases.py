"""UI phrases come from one catalogue, every language with every key and placeholder."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest
from markupsafe import Markup, escape

from stretchsite.content import AgeGroup, Dose, Easier, Site
from stretchsite.generator import build_site
from stretchsite.phrases import CATALOGUES, DEFAULT_LANGUAGE, EN, Phrases, placeholders
from stretchsite.printing import address
from stretchsite.routine import routine_data
from stretchsite.wording import Wording

from .conftest import PUBLISHED_URL, ROOT, options_for
from .helpers import edit, line_of, only_error, read_html
from .pseudo import has_ascii_letter, pseudo_language

WORDS = Wording(EN)


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_catalogue_has_every_key_with_the_same_placeholders(language):
    reference = CATALOGUES[DEFAULT_LANGUAGE]
    table = CATALOGUES[language]
    assert table.keys() == reference.keys()
    for key, text in reference.items():
        assert placeholders(table[key]) == placeholders(text), key


def test_counts_use_the_singular_for_one():
    assert WORDS.dose(Dose("rounds", 1, 1)) == "1 round"
    assert WORDS.dose(Dose("sets", 1, 3)) == "1 to 3 sets"
    assert WORDS.easier_hold(Easier(1, 1, "")) == "1 second"
    assert WORDS.hold(AgeGroup("x", "X", 60, at_least=True)) == "at least 60 seconds"


def test_an_unknown_language_falls_back_to_the_default():
    assert Phrases("xx").language == DEFAULT_LANGUAGE


def test_the_timer_reads_its_phrases_from_the_routine_data(real_site):
    phrases = routine_data(real_site)["phrases"]
    assert phrases == EN.for_script("timer", "habit", "link")
    timer = {k for k in phrases if k.startswith("timer.")}
    assert timer == {f"timer.{k}" for k in EN.section("timer")}
    # What every script needs to count and list comes along.
    basics = {"plural.one", "count", "unit.seconds.one", "unit.seconds.other", "list.separator"}
    assert basics <= set(phrases)

    assert EN.section("timer")["both_sides"] == EN("sides.both")


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_placeholders_are_plain_names_that_python_and_js_fill_alike(language):
    """static/js/phrases.js fills `{name}` only: no format specs, no escaped braces."""
    for key, text in CATALOGUES[language].items():
        assert re.fullmatch(r"([^{}]|\{\w+\})*", text), f"{key}: {text!r}"


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_a_phrase_for_a_template_escapes_as_markup_format_does(language):
    """Phrases.markup fills in fields without Markup.format; the result must be the same:
    the phrase's own text escaped, each value escaped unless it is markup already."""
    phrases = Phrases(language)
    # And a phrase of its own with every character that needs escaping.
    phrases.table = {**phrases.table, "test.marks": 'Tom\'s <{a}> & "{b}" {a}'}
    values = ["<b>&'\"{x}", Markup("<cite>R&amp;W</cite>"), 3, 0.5, None]
    for key, text in phrases.table.items():
        names = placeholders(text)
        if not names:
            continue
        for i in range(len(values)):
            filled = {name: values[(i + j) % len(values)] for j, name in enumerate(sorted(names))}
            expected = Markup(escape(text)).format(**filled)
            got = phrases.markup(key, **filled)
            assert got == expected and isinstance(got, Markup), key


def test_the_plural_rule_is_data_both_sides_read():
    assert EN.count(1, "rounds") == "1 round"
    assert EN.count(0, "rounds") == "0 rounds"
    CATALOGUES["x-test"] = dict(CATALOGUES[DEFAULT_LANGUAGE], **{"plural.one": "0,1"})
    try:
        assert Phrases("x-test").count(0, "rounds") == "0 round"
    finally:
        del CATALOGUES["x-test"]


def test_an_unknown_language_is_one_clear_error(project):
    path = edit(project, "content/site.yml", "language: en", "language: eng")
    error = only_error(project)
    assert error.line == line_of(path, "language: eng")
    assert "no phrases for language 'eng' (did you mean `en`?); use one of: en" in error.message


def test_the_page_language_follows_the_site(project, tmp_path):
    """`<html lang>` and the manifest's `lang` say the site's language (a catalogue's name)."""
    CATALOGUES["x-test"] = CATALOGUES[DEFAULT_LANGUAGE]
    try:
        edit(project, "content/site.yml", "language: en", "language: x-test")
        build_site(options_for(project, out=tmp_path / "out", incremental=False))
    finally:
        del CATALOGUES["x-test"]
    assert read_html(tmp_path / "out" / "index.html").one("html").get("lang") == "x-test"
    assert json.loads((tmp_path / "out" / "manifest.webmanifest").read_text())["lang"] == "x-test"


# --------------------------------------------------------------------------
# Nothing the site adds is written outside the catalogue: built with the
# pseudo-language (tests/pseudo.py), every text a reader sees or hears on any
# page holds no ASCII letter once the content's own words are taken out.

# Attributes a reader gets: read aloud, shown as a tooltip, or put in a button.
READ_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder", "label")
TOGGLE_WORDS = ("data-start", "data-pause", "data-resume", "data-ready")  # the Start button's
META_READ = ("description", "og:title", "og:description", "og:site_name")


def content_words(site: Site) -> list[str]:
    """Every string the content files gave the site, longest first."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.add(value)
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, (tuple, list)):
            for v in value:
                walk(v)

    walk(site)
    found |= set(site.equipment)
    return sorted((w for w in found if w.strip()), key=len, reverse=True)


def reader_texts(document) -> list[str]:
    """The text nodes (no script or style) and the read attributes of a page."""
    texts = [t for t in document.texts(skip=("script", "style")) if t.strip()]
    for element in document.iter():
        texts += [element.get(name) for name in READ_ATTRIBUTES + TOGGLE_WORDS if element.get(name)]
        if element.tag == "input" and element.get("type") in ("button", "submit", "reset"):
            texts.append(element.get("value"))
        if element.tag == "meta" and (element.get("name") or element.get("property")) in META_READ:
            texts.append(element.get("content"))
    return texts


def literals(texts: list[str], words: list[str]) -> list[str]:
    """The texts with an ASCII letter left once the content's ``words`` are taken out."""
    blob = "\n".join(words).casefold()
    found = []
    for text in texts:
        if " ".join(text.split()).casefold() in " ".join(blob.split()):
            continue  # a piece of the content (a Markdown paragraph's line, a cue)
        rest = text
        for word in words:
            if word.casefold() in rest.casefold():
                rest = re.sub(re.escape(word), " ", rest, flags=re.IGNORECASE)
        if has_ascii_letter(rest):
            found.append(text)
    return found


@pytest.fixture(scope="module")
def pseudo_build(tmp_path_factory) -> Path:
    """The real content built in a second language, the pseudo one (site.yml's
    `language`), for the published address."""
    project = tmp_path_factory.mktemp("pseudo")
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, project / name)
    with pseudo_language() as language:
        edit(project, "content/site.yml", "language: en", f"language: {language}")
        build_site(options_for(project, site_url=PUBLISHED_URL, incremental=False))
    return project / "dist"


def test_every_text_on_every_page_comes_from_the_catalogue(pseudo_build, real_site, built):
    words = [*content_words(real_site), address(PUBLISHED_URL)]
    pages = sorted(pseudo_build.rglob("*.html"))
    assert len(pages) >= 10
    found = {}
    for page in pages:
        texts = reader_texts(read_html(page))
        assert texts, page
        if left := literals(texts, words):
            found[page.relative_to(pseudo_build).as_posix()] = left
    assert found == {}
    # The check sees English: the real build's pages have words left that are not content.
    english = literals(reader_texts(read_html(built / "404.html")), words)
    assert "Or pick a stretch" in english


def test_the_manifest_and_the_scripts_phrase_data_come_from_the_catalogue(pseudo_build, real_site):
    words = content_words(real_site)
    manifest = json.loads((pseudo_build / "manifest.webmanifest").read_text())
    names = [manifest["description"], *(s["name"] for s in manifest["shortcuts"])]
    assert literals(names, words) == []
    home = read_html(pseudo_build / "index.html")
    phrases = home.json("phrases")
    timer = read_html(pseudo_build / "timer" / "index.html").json("routine-data")["phrases"]
    for table in (phrases, timer):
        assert table and literals([re.sub(r"\{\w+\}", "", v) for v in table.values()], words) == []


def test_a_one_minute_walk_is_said_in_the_singular(project, tmp_path):
    """The walk's minutes go through the plural rule on every page that names them."""
    edit(project, "content/site.yml", "minutes: 3", "minutes: 1")
    build_site(options_for(project, out=tmp_path / "out", incremental=False))
    pages = {
        path: read_html(tmp_path / "out" / path).visible_text
        for path in ("index.html", "cheatsheet/index.html", "timer/index.html")
    }
    pages.update(
        (str(card.relative_to(tmp_path / "out")), read_html(card).visible_text)
        for card in (tmp_path / "out" / "cards").glob("*/index.html")
    )
    for path, text in pages.items():
        assert "1 minute" in text, path
        assert "1 minutes" not in text, path
