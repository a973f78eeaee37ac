"""Read a built site the way a crawler would: pages, their links and their text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def page_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def page_text(html: str) -> str:
    parser = _Links()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.text)).strip()


def url_of(root: Path, file: Path, base: str) -> str:
    relative = file.relative_to(root).as_posix()
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")]
    return base + relative


def target_file(root: Path, url_path: str, base: str) -> Path | None:
    """The file a URL path under ``base`` would serve, or None if outside the site."""
    if not url_path.startswith(base):
        return None
    relative = unquote(url_path[len(base) :])
    target = root / relative
    if relative == "" or relative.endswith("/"):
        target = target / "index.html"
    return target


def broken_links(root: Path, base: str) -> list[str]:
    """Every internal href/src in every page that does not lead to a file."""
    problems = []
    for file in sorted(root.rglob("*.html")):
        page_url = url_of(root, file, base)
        for link in page_links(file.read_text(encoding="utf-8")):
            parts = urlsplit(urljoin("http://site" + page_url, link))
            if parts.netloc != "site" or parts.scheme not in ("http", "https"):
                continue  # external or mailto: not ours to check here
            target = target_file(root, parts.path, base)
            if target is None or not target.is_file():
                problems.append(f"{file.relative_to(root)}: {link}")
    return problems
