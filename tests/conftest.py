"""Shared fixtures: copies of the real site to break, builds, a local server, a browser."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stretchsite.content import Site, load_site  # noqa: E402
from stretchsite.generator import BuildOptions, build_site  # noqa: E402
from tools.ensure_browser import find_chromium  # noqa: E402
from tools.pages_server import served  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    """Builds keep compiled templates in a folder of this test run, never in the real ~/.cache.

    Set in the environment, so builds the tests run as processes use it too.
    """
    folder = tempfile.mkdtemp(prefix="stretchsite-test-cache-")
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    os.environ["STRETCHSITE_CACHE_DIR"] = folder


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throwaway copy of content/, templates/ and static/ to edit freely."""
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def options_for(project: Path, **overrides) -> BuildOptions:
    return BuildOptions(
        content=project / "content",
        templates=project / "templates",
        static=project / "static",
        out=overrides.pop("out", project / "dist"),
        **overrides,
    )


@pytest.fixture(scope="session")
def real_site() -> Site:
    return load_site(ROOT / "content")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built once at base URL `/`."""
    out = tmp_path_factory.mktemp("built") / "dist"
    build_site(options_for(ROOT, out=out))
    return out


PUBLISHED_URL = "https://example.github.io/stretch-routine/"
PUBLISHED_PREFIX = "/stretch-routine/"


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built once as GitHub Pages would publish it, for the quality gates."""
    out = tmp_path_factory.mktemp("published") / "dist"
    build_site(options_for(ROOT, out=out, site_url=PUBLISHED_URL, base_url=PUBLISHED_PREFIX))
    return out


@pytest.fixture(scope="session")
def published_root(published: Path) -> Iterator[str]:
    """``published`` served under /stretch-routine/, misses answered by its 404.html."""
    with served(published, PUBLISHED_PREFIX, not_found_page=True) as base:
        yield base


@pytest.fixture
def http_root(built: Path) -> Iterator[str]:
    with served(built) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Debian's, or Playwright's own)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = find_chromium()
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Exception as exc:
            if os.environ.get("CI") == "true":
                raise
            pytest.skip(f"no Chromium available: {exc}")
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and failed requests."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda msg: (
            page.problems.append(f"console {msg.type}: {msg.text}")
            if msg.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda exc: page.problems.append(f"page error: {exc}"))
    page.on(
        "response",
        lambda r: page.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )
    yield page
    context.close()
