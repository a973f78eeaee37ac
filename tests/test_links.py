"""Zero broken links: the published build, served under /stretch-routine/ like a project site."""

from __future__ import annotations

from pathlib import Path

from tools.pages_server import served

from .conftest import PUBLISHED_URL
from .crawl import Crawler, css_refs, manifest_refs

DEEP_MISS = "no/such/page/three/levels/deep/"


def crawl_published(base: str) -> Crawler:
    crawler = Crawler(base, PUBLISHED_URL)
    crawler.run(
        [
            (base, 200),
            (base + "robots.txt", 200),
            (base + "sitemap.xml", 200),
            # GitHub Pages answers any missing URL with 404.html: its links must
            # work from whatever depth the visitor mistyped.
            (base + DEEP_MISS, 404),
            (base + "404.html", 200),
        ]
    )
    return crawler


def test_no_broken_links_from_home_sitemap_and_404(published, published_root):
    crawler = crawl_published(published_root)
    result = crawler.result
    assert result.broken == []
    # The crawl really went through the site: every stylesheet and icon was fetched.
    visited = set(result.visited)
    for asset in ("css/site.css", "icons/icon.svg"):
        assert published_root + asset in visited


def test_every_page_is_reachable_by_links_or_the_sitemap(published, published_root):
    visited = set(crawl_published(published_root).result.visited)
    for file in sorted(published.rglob("*.html")):
        relative = file.relative_to(published).as_posix()
        url = published_root + (relative.removesuffix("index.html"))
        assert url in visited, f"{relative} is linked from nowhere"


def test_a_linked_manifest_is_followed(published, tmp_path):
    """When the site links a web manifest, its icons and start URL are crawled too."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<!doctype html><title>t</title><link rel="manifest" href="/r/app.webmanifest">'
    )
    (site / "app.webmanifest").write_text(
        '{"start_url": "./", "icons": [{"src": "icons/present.png"}, {"src": "icons/gone.png"}]}'
    )
    (site / "icons").mkdir()
    (site / "icons/present.png").write_bytes(b"png")
    with served(site, "/r/") as base:
        result = Crawler(base).run([(base, 200)])
    assert base + "app.webmanifest" in result.manifests
    assert base + "icons/present.png" in result.visited
    assert [b for b in result.broken if "icons/gone.png" in b], result.broken


def test_the_crawler_catches_base_path_mistakes(tmp_path):
    """A root-relative link that forgets the project path is broken on GitHub Pages."""
    site = tmp_path / "site"
    (site / "css").mkdir(parents=True)
    (site / "index.html").write_text(
        '<!doctype html><title>t</title><h1 id="top">t</h1>'
        '<link rel="stylesheet" href="/css/site.css"><a href="#top">ok</a><a href="#nope">x</a>'
        '<link rel="stylesheet" href="css/site.css">'
    )
    (site / "css/site.css").write_text("body { background: url(../img/missing.png) }")
    with served(site, "/repo/") as base:
        broken = Crawler(base).run([(base, 200)]).broken
    assert any("/css/site.css -> outside" in b for b in broken), broken
    assert any("img/missing.png -> HTTP 404" in b for b in broken), broken
    assert any("#nope -> no such id" in b for b in broken), broken
    assert not any("#top" in b for b in broken), broken


def test_reference_readers():
    assert css_refs("a{b:url('x.png')} @import 'y.css'; c{d:url(data:image/png;base64,AA)}") == [
        "x.png",
        "y.css",
    ]
    assert manifest_refs('{"icons":[{"src":"a.png"}],"start_url":"./"}') == ["./", "a.png"]


def test_published_tree_has_the_publishing_files(published: Path):
    for name in ("404.html", "sitemap.xml", "robots.txt", ".nojekyll"):
        assert (published / name).is_file(), name
