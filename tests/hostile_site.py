"""A copy of the real site whose text tries to break out of every place it lands.

Each field gets its own payload, so a failure names the field: a script
element, both quotes, the end of a script element followed by a comment
opener, an element with a marker attribute, and an entity that must not be
decoded twice.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from stretchsite.generator import build_site

from .conftest import PUBLISHED_PREFIX, PUBLISHED_URL, ROOT, options_for
from .helpers import replaced

STRETCH_FILE = "stretches/05-calf-stretch.md"
STRETCH_SLUG = "calf-stretch"
MARKER = "data-hostile"


def payload(field: str) -> str:
    return (
        f'{field} <script>alert("{field}")</script> "dq" \'sq\' '
        f"</script><!-- <b {MARKER}>b</b> &amp; <img src=x onerror=alert(1)>"
    )


FIELDS = {
    "title": payload("T"),
    "summary": payload("S"),
    "cue": payload("C")[:80],  # the content rules allow cues of 80 characters
    "side": payload("D"),
    "site_title": payload("W"),
}


def _set(text: str, key: str, value: object) -> str:
    # JSON is valid YAML (flow style, double-quoted strings): no escaping of our own.
    line = f"{key}: {json.dumps(value)}".replace("\\", "\\\\")
    new, count = re.subn(rf"(?m)^{key}: .*$", line, text, count=1)
    assert count == 1, key
    return new


def make_hostile(folder: Path) -> Path:
    """Copy content/templates/static into ``folder``, plant the payloads, build; return dist."""
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, folder / name)
    stretch = folder / "content" / STRETCH_FILE
    text = stretch.read_text(encoding="utf-8")
    text = _set(text, "title", FIELDS["title"])
    text = _set(text, "summary", FIELDS["summary"])
    text = _set(text, "side_names", [FIELDS["side"], "left leg"])
    text = replaced(text, "  - Knee straight, stand tall", f"  - {json.dumps(FIELDS['cue'])}")
    stretch.write_text(text, encoding="utf-8")
    site = folder / "content" / "site.yml"
    site.write_text(_set(site.read_text(encoding="utf-8"), "title", FIELDS["site_title"]))
    out = folder / "dist"
    build_site(options_for(folder, out=out, site_url=PUBLISHED_URL, base_url=PUBLISHED_PREFIX))
    return out
