"""Save -> reloaded page latency of the dev server, measured in Chromium.

    python benchmarks/reload_latency.py [--runs 10]            # the real site
    python benchmarks/reload_latency.py --corpus 2000          # 2,000 synthetic stretches

Copies the real site (or the real templates and static files with a generated
corpus) to a temporary folder, starts `build.py serve` there, opens a stretch
page, then repeatedly rewrites that stretch's title and times how long until
the open page shows the new title (median of --runs).

"Shows" is the first animation frame of the reloaded page in which its h1
exists, noted by the page itself (a script Playwright adds to every document
before the page's own): the frame is painted right after. Playwright's own
wait only notices it later, once it has found the new document and started
polling in it again (about 55 ms after the first paint at 2,000 stretches on
the 2-core machine); it is still what the benchmark waits for before reading
the page's note, and the note must name the new title.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.corpus import make_corpus  # noqa: E402
from tools.ensure_browser import find_chromium  # noqa: E402

ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
# The first build of a large corpus is a cold build: give it time on a busy machine.
SERVER_START_SECONDS = 600
# In every document, before its own scripts: the wall-clock time (Date.now, the
# same clock as Python's time.time) of the first frame in which an h1 exists.
FIRST_SHOWN = """
(() => {
  const look = () => {
    const h1 = document.querySelector("h1");
    if (h1) window.firstShown = {text: h1.textContent, at: Date.now()};
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def project_copy(where: Path, corpus: int | None) -> tuple[Path, str, str]:
    """A project in ``where``; returns the stretch file to edit, its title and its URL path."""
    for name in ("templates", "static"):
        shutil.copytree(ROOT / name, where / name)
    if corpus is None:
        shutil.copytree(ROOT / "content", where / "content")
        return where / "content/stretches/05-calf-stretch.md", "Calf Stretch", "calf-stretch"
    make_corpus(corpus, where)
    middle = corpus // 2
    victim = where / f"content/stretches/{middle:05d}-synthetic-stretch-{middle}.md"
    return victim, f"Synthetic Stretch {middle}", f"synthetic-stretch-{middle}"


def wait_until_served(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the dev server exited with status {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the dev server did not serve {url} within {SERVER_START_SECONDS} s")


def first_shown(page, title: str) -> float:
    """When (Date.now) the page first showed ``title`` in its h1, as the page noted it.

    Read again from the next document if the page navigates meanwhile (a later
    note, so never an earlier time than the page really showed it).
    """
    while True:
        try:
            return page.wait_for_function(
                "t => window.firstShown?.text === t && window.firstShown.at", arg=title
            ).json_value()
        except PlaywrightError as exc:
            if "context was destroyed" not in str(exc):
                raise


def measure(runs: int, corpus: int | None = None) -> list[float]:
    """Seconds from saving a stretch to the open page showing the change, ``runs`` times."""
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        victim, title, slug = project_copy(project, corpus)
        time.sleep(2.1)  # let the files age past the build cache's "just written" window
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port)],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}/stretches/{slug}/"
        latencies = []
        try:
            wait_until_served(url, server)
            original = victim.read_text()
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=find_chromium(), args=ARGS)
                page = browser.new_page()
                page.add_init_script(FIRST_SHOWN)
                page.goto(url)
                for i in range(runs):
                    page.wait_for_function("() => !!window.LiveReload")
                    changed = f"{title} {i}"
                    time.sleep(0.3)  # start each run from a quiet server
                    started = time.time()
                    victim.write_text(original.replace(f"title: {title}", f"title: {changed}"))
                    latencies.append(first_shown(page, changed) / 1000 - started)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return latencies


def summary(latencies: list[float]) -> str:
    ms = sorted(x * 1000 for x in latencies)
    return (
        f"save -> reloaded page, {len(ms)} runs: median {statistics.median(ms):.0f} ms, "
        f"min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--corpus", type=int, default=None, help="stretches in a synthetic site (default: real)"
    )
    args = parser.parse_args(argv)
    label = f"{args.corpus} stretches" if args.corpus else "real site"
    print(f"{label}: {summary(measure(args.runs, args.corpus))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
