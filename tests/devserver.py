"""Start a real `build.py serve` in a subprocess, for tests that talk to it over HTTP."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from playwright.sync_api import Error as PlaywrightError

from .conftest import ROOT
from .helpers import as_terminal_job

T = TypeVar("T")


@dataclass
class DevServer:
    process: subprocess.Popen
    port: int
    url: str  # the site's root URL, ending in /
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    """Until the server answers at all (503 before a first good build counts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"server at {url} did not come up")


@contextlib.contextmanager
def dev_server(project: Path, *args: str, base: str = "/") -> Iterator[DevServer]:
    """`build.py serve` on a free port in ``project``, stopped (by its own pid) afterwards."""
    port = free_port()
    log = project / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), *args],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=as_terminal_job,  # some tests send it Ctrl-C
        )
        server = DevServer(process, port, f"http://127.0.0.1:{port}{base}", log)
        try:
            wait_for(server.url)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=10)


# True once the page shows the server's latest good build and its reload client is loaded:
# the page's build (in the overlay's URL) is the one problems.json names. Until then it
# may still reload by itself (the first build ending, or the overlay's catch-up check).
SETTLED = """async () => {
  const overlay = document.querySelector('script[src*="overlay.js?build="]');
  if (!window.LiveReload || !overlay) return false;
  const build = Number(new URL(overlay.src).searchParams.get("build"));
  const problems = new URL("problems.json", overlay.src);
  const latest = await fetch(problems, { cache: "no-store" }).then((r) => r.json());
  return build > 0 && latest.build === build;
}"""


def wait_until_settled(page, timeout: float = 30_000) -> None:
    """Until the page is the dev server's latest good build, listening for the next one.

    Playwright's wait survives the reloads on the way (a navigation restarts it).
    """
    page.wait_for_function(SETTLED, timeout=timeout, polling=100)


def settled(page, read: Callable[[], T], tries: int = 4) -> T:
    """``read()`` of the page, again on the next document if a reload replaced it mid-read.

    After a save a tab may reload more than once on a loaded machine (a second
    build, or the catch-up check its overlay makes when the socket connects):
    what is read is then the state of the page the server left it on.
    """
    for _ in range(tries - 1):
        try:
            return read()
        except PlaywrightError as exc:
            if "context was destroyed" not in str(exc):
                raise
        wait_until_settled(page)
    return read()
