"""WebKit and Firefox behind one small page interface, for tests that run in both.

- WebKit: WebKitGTK through Debian's WebKitWebDriver and Selenium 4, in a bare
  WebKitGTK window (webkit_shell.py) on an Xvfb display started here.
- Firefox: Firefox ESR through npm's puppeteer-core over WebDriver BiDi, in a
  Node process (firefox_rpc.mjs) that answers one JSON request per line.

Both load probe.js before any script of a page, so ``problems()`` holds every
script error, failed load, console error and policy violation since ``goto``.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from tools.ensure_engines import ENGINE_DIR, FIREFOX, WEBKIT_DRIVER

PROBE = ENGINE_DIR / "probe.js"
ANSWER_TIMEOUT = 120  # seconds for one request: generous, for a loaded 2-core machine

# A visible button by its accessible name (aria-label, else its text without
# aria-hidden parts), as a user or a screen reader would find it.
BUTTON_FINDER = """(name) => [...document.querySelectorAll("button, [role=button]")].find((b) => {
  const text = b.getAttribute("aria-label") ?? [...b.childNodes]
    .filter((n) => !(n.nodeType === 1 && n.getAttribute("aria-hidden") === "true"))
    .map((n) => n.textContent).join("");
  return text.replace(/\\s+/g, " ").trim() === name && b.getClientRects().length > 0;
}) ?? null"""


class EnginePage(Protocol):
    """One browser tab in an engine other than Chromium."""

    name: str

    def open(self, width: int = 390, height: int = 844) -> None:
        """Start over on a blank page with a viewport of ``width`` x ``height`` CSS px."""

    def goto(self, url: str) -> None:
        """Load ``url`` and wait for its load event."""

    def run(self, function: str, *args: Any) -> Any:
        """Call the JS ``function`` in the page with JSON ``args``; its (awaited) result."""

    def click_button(self, name: str) -> None:
        """Click the visible button with this accessible name, as a mouse would."""

    def problems(self) -> list[str]:
        """Script errors, failed loads, console errors and policy violations since goto."""

    def pdf(self, paper: str, margin: str) -> bytes:
        """The page printed to PDF on ``paper`` (A4, Letter) with ``margin`` on each side."""


class WebKitPage:
    """WebKitGTK through WebKitWebDriver; Selenium 4 speaks classic WebDriver to it."""

    name = "webkit"

    def __init__(self, driver) -> None:
        self.driver = driver

    def open(self, width: int = 390, height: int = 844) -> None:
        self.driver.get("about:blank")
        self.driver.set_window_rect(x=0, y=0, width=width, height=height)

    def goto(self, url: str) -> None:
        self.driver.get(url)

    def run(self, function: str, *args: Any) -> Any:
        return self.driver.execute_script(f"return ({function})(...arguments);", *args)

    def click_button(self, name: str) -> None:
        button = self.run(BUTTON_FINDER, name)
        assert button is not None, f"no visible button named {name!r}"
        button.click()

    def problems(self) -> list[str]:
        return self.run("() => [...(window.__problems || ['probe.js did not run'])]")

    def pdf(self, paper: str, margin: str) -> bytes:
        raise NotImplementedError("WebKitWebDriver does not implement the print command")


class FirefoxPage:
    """Firefox ESR through firefox_rpc.mjs (puppeteer-core over WebDriver BiDi)."""

    name = "firefox"

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self.answers: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.version = self._answer()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.answers.put(line)
        self.answers.put(None)  # the process ended

    def _answer(self) -> Any:
        try:
            line = self.answers.get(timeout=ANSWER_TIMEOUT)
        except queue.Empty:
            raise TimeoutError(f"firefox_rpc.mjs gave no answer in {ANSWER_TIMEOUT} s") from None
        if line is None:
            raise RuntimeError("firefox_rpc.mjs exited; see its stderr above")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"Firefox: {answer['error']}")
        return answer["value"]

    def request(self, op: str, **fields: Any) -> Any:
        self.process.stdin.write(json.dumps({"op": op, **fields}) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def open(self, width: int = 390, height: int = 844) -> None:
        self.request("open", width=width, height=height)

    def goto(self, url: str) -> None:
        self.request("goto", url=url)

    def run(self, function: str, *args: Any) -> Any:
        return self.request("run", expression=f"({function})(...{json.dumps(args)})")

    def click_button(self, name: str) -> None:
        self.request("click", finder=BUTTON_FINDER, name=name)

    def problems(self) -> list[str]:
        probed = self.run("() => [...(window.__problems || ['probe.js did not run'])]")
        return probed + self.request("problems")

    def pdf(self, paper: str, margin: str) -> bytes:
        return base64.b64decode(self.request("pdf", format=paper, margin=margin))


@contextmanager
def xvfb_display() -> Iterator[str]:
    """A private X display (Xvfb picks a free number and reports it); yields ':N'."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        number = b""
        with os.fdopen(read, "rb") as pipe:
            while not number.endswith(b"\n"):
                chunk = pipe.read(1)
                if not chunk:
                    raise RuntimeError("Xvfb exited before reporting its display")
                number += chunk
        yield f":{number.decode().strip()}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def webkit_page(log: Path) -> Iterator[WebKitPage]:
    """WebKitGTK in webkit_shell.py on its own Xvfb display; driver output goes to ``log``."""
    from selenium import webdriver
    from selenium.webdriver.remote.client_config import ClientConfig
    from selenium.webdriver.remote.remote_connection import RemoteConnection
    from selenium.webdriver.webkitgtk.options import Options
    from selenium.webdriver.webkitgtk.service import Service

    shell = ENGINE_DIR / "webkit_shell.py"
    options = Options()
    options.binary_location = str(shell)
    options.add_argument("--automation")
    # WebKitWebDriver only accepts the browser name of the binary it starts.
    options.set_capability("browserName", shell.name)
    with xvfb_display() as display, log.open("w") as output:
        env = {**os.environ, "DISPLAY": display, "WEBKIT_SHELL_PROBE": str(PROBE)}
        service = Service(executable_path=WEBKIT_DRIVER, log_output=output, env=env)
        service.start()
        try:
            # webdriver.WebKitGTK(...) would do the same with a deprecated call (Selenium 4.51).
            config = ClientConfig(remote_server_addr=service.service_url)
            driver = webdriver.Remote(RemoteConnection(client_config=config), options=options)
            try:
                driver.set_script_timeout(ANSWER_TIMEOUT)
                driver.set_page_load_timeout(ANSWER_TIMEOUT)
                yield WebKitPage(driver)
            finally:
                driver.quit()
        finally:
            service.stop()


@contextmanager
def firefox_page(log: Path) -> Iterator[FirefoxPage]:
    """Firefox ESR through firefox_rpc.mjs; the Node process's stderr goes to ``log``."""
    with log.open("w") as errors:
        process = subprocess.Popen(
            ["node", str(ENGINE_DIR / "firefox_rpc.mjs")],
            cwd=ENGINE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env={**os.environ, "FIREFOX_PATH": FIREFOX},
        )
        try:
            yield FirefoxPage(process)
        finally:
            process.stdin.close()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
