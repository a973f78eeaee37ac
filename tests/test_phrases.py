"""UI phrases come from one catalogue, every language with every key and placeholder."""

from __future__ import annotations

import re

import pytest

from stretchsite.content import AgeGroup, Dose, Easier
from stretchsite.phrases import CATALOGUES, DEFAULT_LANGUAGE, EN, Phrases, placeholders
from stretchsite.routine import routine_data


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_catalogue_has_every_key_with_the_same_placeholders(language):
    reference = CATALOGUES[DEFAULT_LANGUAGE]
    table = CATALOGUES[language]
    assert table.keys() == reference.keys()
    for key, text in reference.items():
        assert placeholders(table[key]) == placeholders(text), key


def test_counts_use_the_singular_for_one():
    assert Dose("rounds", 1, 1).text == "1 round"
    assert Dose("sets", 1, 3).text == "1 to 3 sets"
    assert Easier(1, 1, "").hold_text == "1 second"
    assert AgeGroup("x", "X", 60, at_least=True).hold_text == "at least 60 seconds"


def test_an_unknown_language_falls_back_to_the_default():
    assert Phrases("xx").language == DEFAULT_LANGUAGE


def test_the_timer_reads_its_phrases_from_the_routine_data(real_site):
    phrases = routine_data(real_site)["phrases"]
    assert phrases == EN.for_script("timer")
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


def test_the_plural_rule_is_data_both_sides_read():
    assert EN.count(1, "rounds") == "1 round"
    assert EN.count(0, "rounds") == "0 rounds"
    CATALOGUES["x-test"] = dict(CATALOGUES[DEFAULT_LANGUAGE], **{"plural.one": "0,1"})
    try:
        assert Phrases("x-test").count(0, "rounds") == "0 round"
    finally:
        del CATALOGUES["x-test"]
