"""A published build: 404, sitemap, robots.txt, .nojekyll, head tags, no third parties."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from stretchsite.generator import build_site

from .conftest import PUBLISHED_PREFIX, PUBLISHED_URL, ROOT, options_for
from .helpers import read_html
from .thirdparty import third_party_requests

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass
class Head:
    titles: list[str]  # of the head only: an inline SVG's <title> is not the page's
    meta: dict[str, list[str]]
    links: dict[str, list[str]]  # hrefs by rel


def head_of(file: Path) -> Head:
    page = read_html(file)
    links: dict[str, list[str]] = {}
    for link in page.iter("link"):
        for rel in link.tokens("rel"):
            links.setdefault(rel, []).append(link.get("href"))
    return Head([t.text for t in page.one("head").find_all("title")], page.meta, links)


def html_pages(root: Path) -> dict[str, Path]:
    """Every HTML page of a build by its URL path under the base ("" for home)."""
    return {
        f.relative_to(root).as_posix().removesuffix("index.html"): f
        for f in sorted(root.rglob("*.html"))
    }


def test_sitemap_lists_every_page_but_404_with_absolute_urls(published):
    tree = ET.parse(published / "sitemap.xml")
    assert tree.getroot().tag == f"{SITEMAP_NS}urlset"
    locs = [el.text for el in tree.getroot().iter(f"{SITEMAP_NS}loc")]
    expected = [PUBLISHED_URL + path for path in html_pages(published) if path != "404.html"]
    assert sorted(locs) == sorted(expected)
    assert len(set(locs)) == len(locs)


def test_robots_txt_points_to_the_sitemap(published):
    robots = (published / "robots.txt").read_text()
    assert re.search(r"^User-agent: \*$", robots, re.MULTILINE)
    assert re.findall(r"^Sitemap: (\S+)$", robots, re.MULTILINE) == [PUBLISHED_URL + "sitemap.xml"]
    assert not re.search(r"^Disallow: /\s*$", robots, re.MULTILINE), "nothing is hidden"


def test_nojekyll_is_empty(published):
    assert (published / ".nojekyll").read_bytes() == b""


@pytest.mark.parametrize("base", ["/", "/stretch-routine/"])
def test_404_links_are_absolute_and_base_prefixed(tmp_path, real_site, base):
    out = tmp_path / "dist"
    build_site(options_for(ROOT, out=out, base_url=base))
    links = read_html(out / "404.html").links
    internal = [link for link in links if not link.startswith(("http:", "https:", "#"))]
    assert internal, "the 404 page links back into the site"
    assert all(link.startswith(base) for link in internal), internal
    for stretch in real_site.stretches:
        assert f"{base}stretches/{stretch.slug}/" in links


def test_every_page_has_title_description_canonical_and_open_graph(published, real_site):
    titles = []
    for path, file in html_pages(published).items():
        head = head_of(file)
        assert len(head.titles) == 1 and head.titles[0].strip(), path
        titles.append(head.titles[0])
        assert head.titles[0].endswith(real_site.title), path
        (description,) = head.meta["description"]
        assert len(description) >= 20, path
        assert head.meta["og:title"][0] and head.meta["og:description"] == [description]
        assert head.meta["og:site_name"] == [real_site.title]
        assert head.meta["og:type"] == ["website"]
        assert head.links["icon"][0] == PUBLISHED_PREFIX + "icons/icon.svg"
        if path == "404.html":
            # Served for every missing URL: it has no address of its own to claim.
            assert "canonical" not in head.links and "og:url" not in head.meta
        else:
            assert head.links["canonical"] == [PUBLISHED_URL + path], path
            assert head.meta["og:url"] == [PUBLISHED_URL + path], path
    assert len(set(titles)) == len(titles), "every page has its own title"


def test_without_site_url_no_sitemap_and_no_absolute_claims(built):
    assert not (built / "sitemap.xml").exists(), "a sitemap needs absolute URLs"
    assert "Sitemap:" not in (built / "robots.txt").read_text()
    assert (built / "404.html").is_file() and (built / ".nojekyll").is_file()
    head = head_of(built / "index.html")
    assert "canonical" not in head.links and "og:url" not in head.meta
    assert head.meta["og:title"]


def test_site_url_must_be_a_full_address(project):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--site-url", "example.github.io/repo/"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1  # like every other failure: one line, exit 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "https://USER.github.io/REPO/" in result.stderr
    assert not (project / "dist").exists()


def test_no_built_file_makes_a_third_party_request(published):
    assert third_party_requests(published) == []


def test_third_party_scan_catches_cdn_fonts_scripts_and_fetches(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text(
        '<!doctype html><link rel="preconnect" href="https://fonts.gstatic.com">'
        '<link rel="canonical" href="https://example.github.io/x/">'
        '<script src="//cdn.example.net/lib.js"></script>'
        "<script>fetch('https://stats.example.com/hit')</script>"
        '<a href="https://example.org/article">fine: a link</a><img src="/x/ok.png" alt="">'
    )
    (tmp_path / "site.css").write_text("@import 'https://fonts.example.com/css'; a{b:url(ok.png)}")
    (tmp_path / "app.js").write_text("navigator.sendBeacon(`https://beacon.example.com`);")
    found = "\n".join(third_party_requests(tmp_path))
    for bad in ("fonts.gstatic.com", "cdn.example.net", "stats.example.com"):
        assert bad in found
    assert "fonts.example.com" in found and "beacon.example.com" in found
    for fine in ("example.org/article", "example.github.io", "ok.png"):
        assert fine not in found
