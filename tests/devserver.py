"""Start a real `build.py serve` in a subprocess, for tests that talk to it over HTTP."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .conftest import ROOT
from .helpers import as_terminal_job


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
