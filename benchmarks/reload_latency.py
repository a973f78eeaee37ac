"""Save -> reloaded page latency of the dev server, measured in Chromium.

    python benchmarks/reload_latency.py [--runs 10]

Copies the real site to a temporary folder, starts `build.py serve` there,
opens a stretch page, then repeatedly rewrites the stretch's title and times
how long until the open page shows the new title (median of --runs).
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

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools.ensure_browser import find_chromium  # noqa: E402

ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in ("content", "templates", "static"):
            shutil.copytree(ROOT / name, project / name)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port)],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}/stretches/calf-stretch/"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(url, timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            calf = project / "content/stretches/05-calf-stretch.md"
            original = calf.read_text()
            latencies = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=find_chromium(), args=ARGS)
                page = browser.new_page()
                page.goto(url)
                for i in range(args.runs):
                    page.wait_for_function("() => !!window.LiveReload")
                    title = f"Calf Stretch {i}"
                    time.sleep(0.3)  # start each run from a quiet server
                    started = time.perf_counter()
                    calf.write_text(original.replace("title: Calf Stretch", f"title: {title}"))
                    page.wait_for_function(
                        "t => document.querySelector('h1')?.textContent === t", arg=title
                    )
                    latencies.append(time.perf_counter() - started)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    ms = sorted(x * 1000 for x in latencies)
    print(
        f"save -> reloaded page, {len(ms)} runs: median {statistics.median(ms):.0f} ms, "
        f"min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
