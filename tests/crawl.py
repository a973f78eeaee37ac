"""A link crawler for a served site: follows every internal reference, reports the broken.

It reads what a visitor's browser or a search engine would: href/src/srcset in
HTML, CSS url() and @import, the web manifest's icons, the sitemap's <loc>s and
robots.txt's Sitemap line. Links to the published address (canonical, og:url,
sitemap entries) are mapped onto the local server and checked too. Fragments
(#id) must name an element of the target page.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from .helpers import Document, parse_html

CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
LOC_RE = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")
SITEMAP_LINE_RE = re.compile(r"^\s*Sitemap:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
# <meta property|name=...> whose content is a URL of the site.
URL_METAS = {"og:url", "og:image", "twitter:image", "msapplication-config"}


def srcset_urls(srcset: str) -> list[str]:
    """The URL of each candidate in a ``srcset`` (``a.png 1x, b.png 2x``)."""
    return [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]


def html_refs(page: Document) -> list[str]:
    """What a page links to or loads: href/src/poster/data/action, srcset candidates and
    the metas whose content is a URL of the site."""
    refs = []
    for element in page.iter():
        refs += [
            element.get(n) for n in ("href", "src", "poster", "data", "action") if element.get(n)
        ]
        for name in ("srcset", "imagesrcset"):
            refs += srcset_urls(element.get(name))
        key = element.get("property") or element.get("name")
        if element.tag == "meta" and key in URL_METAS and element.get("content"):
            refs.append(element.get("content"))
    return refs


def html_styles(page: Document) -> list[str]:
    """Every style attribute and ``<style>`` element's text, in document order."""
    styles = []
    for element in page.iter():
        if element.get("style"):
            styles.append(element.get("style"))
        if element.tag == "style":
            styles.append(element.text)
    return styles


def css_refs(css: str) -> list[str]:
    """Every url() and @import target in a stylesheet."""
    return [m[2] or m[4] for m in CSS_URL_RE.finditer(css) if not (m[2] or "").startswith("data:")]


def manifest_refs(text: str) -> list[str]:
    """Icons, screenshots, start URL, scope and shortcuts of a web manifest."""
    data = json.loads(text)
    refs = [data[key] for key in ("start_url", "scope") if isinstance(data.get(key), str)]
    for key in ("icons", "screenshots"):
        refs += [item["src"] for item in data.get(key, []) if isinstance(item, dict)]
    for shortcut in data.get("shortcuts", []):
        refs.append(shortcut.get("url", ""))
        refs += [icon["src"] for icon in shortcut.get("icons", [])]
    return [r for r in refs if r]


@dataclass
class Fetched:
    status: int
    content_type: str
    text: str


@dataclass
class CrawlResult:
    visited: dict[str, int] = field(default_factory=dict)  # URL -> HTTP status
    broken: list[str] = field(default_factory=list)  # "referrer: link -> problem"
    external: set[str] = field(default_factory=set)
    manifests: set[str] = field(default_factory=set)


def fetch(url: str) -> Fetched:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
            status, ctype = response.status, response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        body, status, ctype = error.read(), error.code, error.headers.get("Content-Type", "")
    return Fetched(status, ctype.split(";")[0].strip(), body.decode("utf-8", "replace"))


class Crawler:
    """Crawl a site served at ``base`` (e.g. http://127.0.0.1:PORT/repo/).

    ``published`` is the public address the site was built for; links to it are
    checked against the local copy instead.
    """

    def __init__(self, base: str, published: str = "") -> None:
        self.base = base
        self.published = published
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))
        self.result = CrawlResult()
        self._queue: list[tuple[str, str, str]] = []  # (url, referrer, kind)
        self._ids: dict[str, set[str]] = {}
        self._fragments: list[tuple[str, str, str]] = []  # (page, fragment, referrer)

    def local(self, url: str) -> str | None:
        """The local URL for a link, or None if it leaves the site."""
        if self.published and url.startswith(self.published):
            url = self.base + url[len(self.published) :]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return None
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.result.external.add(url)
            return None
        return url

    def add(self, link: str, referrer: str, kind: str = "") -> None:
        absolute = urljoin(referrer, link.strip())
        url = self.local(absolute)
        if url is None:
            return
        url, fragment = urldefrag(url)
        if not urlsplit(url).path.startswith(urlsplit(self.base).path):
            # Same server, outside the project path: the classic base-path bug.
            self.result.broken.append(f"{referrer}: {link} -> outside {self.base}")
            return
        if fragment:
            self._fragments.append((url, fragment, referrer))
        self._queue.append((url, referrer, kind))

    def run(self, starts: list[tuple[str, int]]) -> CrawlResult:
        """Crawl from ``starts``: (URL, expected status) pairs."""
        expected = dict(starts)
        for url, _status in starts:
            self._queue.append((url, "(start)", ""))
        while self._queue:
            url, referrer, kind = self._queue.pop(0)
            if url in self.result.visited:
                continue
            got = fetch(url)
            self.result.visited[url] = got.status
            if got.status != expected.get(url, 200):
                self.result.broken.append(f"{referrer}: {url} -> HTTP {got.status}")
                if got.status >= 400 and url not in expected:
                    continue
            self.read(url, got, kind)
        for page, fragment, referrer in self._fragments:
            ids = self._ids.get(page)
            if ids is not None and fragment not in ids:
                self.result.broken.append(f"{referrer}: {page}#{fragment} -> no such id")
        return self.result

    def read(self, url: str, got: Fetched, kind: str) -> None:
        path = urlsplit(url).path
        if kind == "manifest" or path.endswith((".webmanifest", "manifest.json")):
            self.result.manifests.add(url)
            for ref in manifest_refs(got.text):
                self.add(ref, url)
        elif got.content_type == "text/html":
            page = parse_html(got.text)
            self._ids[url] = page.ids
            for ref in html_refs(page):
                self.add(ref, url)
            for link in page.iter("link"):
                if "manifest" in link.tokens("rel"):
                    self.add(link.get("href"), url, "manifest")
            for style in html_styles(page):
                for ref in css_refs(style):
                    self.add(ref, url)
        elif got.content_type == "text/css" or path.endswith(".css"):
            for ref in css_refs(got.text):
                self.add(ref, url)
        elif path.endswith(".xml"):
            for loc in LOC_RE.findall(got.text):
                self.add(loc, url)
        elif path.endswith("robots.txt"):
            for loc in SITEMAP_LINE_RE.findall(got.text):
                self.add(loc, url)
