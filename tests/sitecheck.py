"""Read a built site from its files: pages' URLs, and the links that lead nowhere."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .helpers import read_html


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
        for link in read_html(file).links:
            parts = urlsplit(urljoin("http://site" + page_url, link))
            if parts.netloc != "site" or parts.scheme not in ("http", "https"):
                continue  # external or mailto: not ours to check here
            target = target_file(root, parts.path, base)
            if target is None or not target.is_file():
                problems.append(f"{file.relative_to(root)}: {link}")
    return problems
