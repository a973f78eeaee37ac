#!/usr/bin/env python3
"""Make sure WebKit and Firefox are available for the tests in tests/engines/.

- WebKit: Debian's WebKitGTK driver (`webkit2gtk-driver`), `xvfb` for a display,
  and the GObject bindings the bare browser window (tests/engines/webkit_shell.py)
  is written with (`python3-gi`, `gir1.2-webkit2-4.1`, for /usr/bin/python3).
- Firefox: Debian's `firefox-esr`, Node.js 18+ with npm, and npm's `puppeteer-core`
  at the version locked in tests/engines/package-lock.json, installed into
  tests/engines/node_modules/ (ignored by git).

Debian packages are installed with apt as root (or passwordless sudo); elsewhere
this says what to install. Under CI=true a missing engine is an error, so its
tests can never be skipped silently there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import ensure_browser  # noqa: E402

ENGINE_DIR = ROOT / "tests" / "engines"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
SYSTEM_PYTHON = "/usr/bin/python3"  # the one python3-gi is built for
FIREFOX = os.environ.get("FIREFOX_PATH", "/usr/bin/firefox-esr")
PUPPETEER = ENGINE_DIR / "node_modules" / "puppeteer-core" / "package.json"
NODE_MAJOR = 18  # the oldest Node.js the locked puppeteer-core supports

WEBKIT_PACKAGES = ["webkit2gtk-driver", "xvfb", "python3-gi", "gir1.2-webkit2-4.1"]
GI_CHECK = "import gi; gi.require_version('WebKit2', '4.1'); from gi.repository import WebKit2"


def missing_webkit() -> str | None:
    """Why the WebKit tests cannot run here, or None if they can."""
    if not os.access(WEBKIT_DRIVER, os.X_OK):
        return f"no {WEBKIT_DRIVER} (Debian package webkit2gtk-driver)"
    if not shutil.which("Xvfb"):
        return "no Xvfb (Debian package xvfb)"
    if not os.access(SYSTEM_PYTHON, os.X_OK) or not system_python_has_webkit():
        return f"{SYSTEM_PYTHON} cannot import WebKit2 4.1 (python3-gi, gir1.2-webkit2-4.1)"
    return None


def system_python_has_webkit() -> bool:
    check = subprocess.run([SYSTEM_PYTHON, "-c", GI_CHECK], capture_output=True, check=False)
    return check.returncode == 0


def node_major() -> int:
    """Major version of the `node` on PATH, 0 if there is none."""
    if not shutil.which("node"):
        return 0
    result = subprocess.run(["node", "--version"], capture_output=True, text=True)
    version = result.stdout.strip().lstrip("v").split(".")[0]
    return int(version) if result.returncode == 0 and version.isdigit() else 0


def missing_firefox() -> str | None:
    """Why the Firefox tests cannot run here, or None if they can."""
    if not os.access(FIREFOX, os.X_OK):
        return f"no {FIREFOX} (Debian package firefox-esr)"
    if node_major() < NODE_MAJOR:
        return f"no Node.js {NODE_MAJOR} or newer (Debian packages nodejs, npm)"
    if puppeteer_version() != wanted_puppeteer():
        return f"puppeteer-core {wanted_puppeteer()} is not installed in {ENGINE_DIR}"
    return None


def wanted_puppeteer() -> str:
    """The puppeteer-core version tests/engines/package.json pins."""
    return json.loads((ENGINE_DIR / "package.json").read_text())["dependencies"]["puppeteer-core"]


def puppeteer_version() -> str | None:
    """The installed puppeteer-core's version, or None."""
    try:
        return json.loads(PUPPETEER.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


MISSING = {"webkit": missing_webkit, "firefox": missing_firefox}


def install_puppeteer() -> bool:
    """npm ci from the lock file into tests/engines/node_modules/; True if it worked."""
    if not shutil.which("npm"):
        return False
    print("Installing puppeteer-core for the Firefox tests ...", flush=True)
    command = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    result = subprocess.run(command, cwd=ENGINE_DIR, check=False, stdout=subprocess.DEVNULL)
    return result.returncode == 0


def apt_packages(engine: str) -> list[str]:
    """The Debian packages ``engine`` still lacks (Node.js only if there is none: a
    Node.js from elsewhere, with its own npm, must not be replaced)."""
    if engine == "webkit":
        return WEBKIT_PACKAGES if missing_webkit() else []
    packages = [] if os.access(FIREFOX, os.X_OK) else ["firefox-esr"]
    if not shutil.which("node"):
        packages.append("nodejs")
    if not shutil.which("npm"):
        packages.append("npm")
    return packages


def ensure(engine: str) -> str | None:
    """Install what ``engine`` lacks where we can; the reason it still cannot run, or None."""
    if MISSING[engine]() is None:
        return None
    packages = apt_packages(engine)
    prefix = ensure_browser.apt_prefix()
    if packages and prefix is not None:
        ensure_browser.apt_install(packages, f"for the {engine} tests", prefix)
    if engine == "firefox" and puppeteer_version() != wanted_puppeteer():
        install_puppeteer()
    return MISSING[engine]()


def main() -> int:
    status = 0
    for engine in MISSING:
        reason = ensure(engine)
        if reason is None:
            continue
        packages = apt_packages(engine)
        how = [f"apt-get install {' '.join(packages)}"] if packages else []
        if engine == "firefox" and puppeteer_version() != wanted_puppeteer():
            how.append(f"cd {ENGINE_DIR} && npm ci")
        message = f"{engine} tests cannot run: {reason}. To fix: {'; then '.join(how)}"
        if os.environ.get("CI") == "true":
            print(f"error: {message}", file=sys.stderr)
            status = 1
        else:
            print(f"warning: {message}. They will be skipped.", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
