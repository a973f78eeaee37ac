"""Find every place a built file would make the browser contact another origin.

Navigation links (<a href>) are fine: the visitor chooses to follow them. What
is not fine is anything the browser fetches by itself: src/srcset, <link>
stylesheets, icons, preloads and preconnects, CSS url() and @import, and
absolute URLs in scripts (fetch, import, workers, beacons) and manifests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .crawl import css_refs, manifest_refs, srcset_urls
from .helpers import Document, parse_html

ABSOLUTE_RE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
JS_URL_RE = re.compile(r"""["'`]((?:https?|wss?):)?//[^"'`\s]+""", re.IGNORECASE)
# <link rel> values that never make a request by themselves.
QUIET_RELS = {"canonical", "alternate", "author", "license", "help", "me", "next", "prev", "search"}
TEXT_SUFFIXES = {".html", ".css", ".js", ".mjs", ".json", ".webmanifest", ".svg", ".xml", ".txt"}


def is_external(url: str) -> bool:
    return bool(ABSOLUTE_RE.match(url)) and not url.strip().lower().startswith("data:")


def markup_requests(page: Document) -> list[tuple[str, str]]:
    """(what, url) for every reference in an HTML or SVG page the browser fetches on its own."""
    found = []
    for element in page.iter():
        tag, a = element.tag, element.attrs
        for name in ("src", "poster", "data", "background"):
            if a.get(name):
                found.append((f"<{tag} {name}>", a[name]))
        for name in ("srcset", "imagesrcset"):
            found += [(f"<{tag} {name}>", url) for url in srcset_urls(a.get(name, ""))]
        if tag == "link" and a.get("href"):
            rels = set(a.get("rel", "").lower().split())
            if not rels or not rels <= QUIET_RELS:
                found.append((f"<link rel={a.get('rel')}>", a["href"]))
        if tag in ("image", "use", "feimage") and (a.get("href") or a.get("xlink:href")):
            found.append((f"<{tag} href>", a.get("href") or a["xlink:href"]))
        if a.get("style"):
            found += [("style=url()", ref) for ref in css_refs(a["style"])]
        if tag == "style":
            found += [("<style> url()", ref) for ref in css_refs(element.text)]
        if tag == "script" and not a.get("type", "").endswith("json"):
            found += [("<script>", m[0]) for m in JS_URL_RE.finditer(element.text)]
    return found


def references(file: Path) -> list[tuple[str, str]]:
    """(where, url) of everything ``file`` makes a browser fetch."""
    text = file.read_text(encoding="utf-8", errors="replace")
    suffix = file.suffix.lower()
    if suffix in (".html", ".svg"):
        return markup_requests(parse_html(text))
    if suffix == ".css":
        return [("url()", ref) for ref in css_refs(text)]
    if suffix in (".js", ".mjs"):
        return [("script", m[0]) for m in JS_URL_RE.finditer(text)]
    if suffix == ".webmanifest" or (suffix == ".json" and "manifest" in file.name):
        try:
            return [("manifest", ref) for ref in manifest_refs(text)]
        except (json.JSONDecodeError, AttributeError, KeyError, TypeError):
            return [("manifest", "(unreadable)")]
    return []


def third_party_requests(root: Path) -> list[str]:
    """``file: where url`` for every external request found in the built site."""
    problems = []
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        if file.suffix.lower() not in TEXT_SUFFIXES:
            continue
        for where, url in references(file):
            if is_external(url.strip("'\"` ")):
                problems.append(f"{file.relative_to(root)}: {where} {url}")
    return problems
