"""The routine cards and the cheat sheet print to exactly one page in Firefox, on Letter and A4.

WebKitWebDriver does not implement WebDriver's print command, so WebKit is not
printed here (see the README). Firefox prints through BiDi's browsingContext.print;
the paper size is always given, since without it the size came out wrong.
"""

from __future__ import annotations

import io

import pypdf
import pytest

MARGIN = "0.5in"  # about Firefox's and Safari's default margins, as in the Chromium test


@pytest.mark.firefox
@pytest.mark.xdist_group("firefox")
def test_each_printable_page_prints_on_one_page(firefox, published_root, real_site):
    firefox.open(width=1280, height=900)
    counts = {}
    for path in [*(f"cards/{g.id}/" for g in real_site.age_groups), "cheatsheet/"]:
        firefox.goto(published_root + path)
        for paper in ("Letter", "A4"):
            pdf = pypdf.PdfReader(io.BytesIO(firefox.pdf(paper, MARGIN)))
            width, height = (round(float(x) / 72 * 25.4) for x in pdf.pages[0].mediabox[2:])
            counts[path, paper] = (len(pdf.pages), width, height)
            text = pdf.pages[0].extract_text()
            assert real_site.stretches[-1].title in text, (path, paper)
    sizes = {"Letter": (216, 279), "A4": (210, 297)}  # mm
    assert counts == {key: (1, *sizes[key[1]]) for key in counts}, counts
    assert firefox.problems() == []
