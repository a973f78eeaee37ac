#!/usr/bin/env python3
"""Make sure a Chromium is available for the browser tests.

Order: $CHROMIUM_PATH, then Debian's /usr/bin/chromium (installed with apt when
running as root), then Playwright's own download. Under CI=true a missing
browser is an error, so browser tests can never be skipped silently there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

DEBIAN_CHROMIUM = "/usr/bin/chromium"


def find_chromium() -> str | None:
    """Path of a usable Chromium, or None."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), DEBIAN_CHROMIUM):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def apt_prefix() -> list[str] | None:
    """How to run apt-get here: directly as root, through sudo -n, or not at all."""
    if not shutil.which("apt-get"):
        return None
    if os.geteuid() == 0:
        return []
    if can_sudo():
        return ["sudo", "-n", "env", "DEBIAN_FRONTEND=noninteractive"]
    return None


def apt_install(packages: list[str], why: str, prefix: list[str] | None) -> bool:
    """Install Debian packages with apt-get (``prefix``: see apt_prefix); True if it worked."""
    if prefix is None:
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print(f"Installing {' '.join(packages)} {why} ...", flush=True)
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=False, env=env)
    command = [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]
    return subprocess.run(command, check=False, env=env).returncode == 0


def install_with_apt() -> bool:
    # Root only: on Ubuntu (GitHub's runners, with sudo) `chromium` is a snap
    # stub, so there Playwright's own build is the better choice.
    prefix = [] if os.geteuid() == 0 else None
    return apt_install(["chromium", "fonts-dejavu-core"], "for the browser tests", prefix)


def can_sudo() -> bool:
    """Passwordless sudo, as on GitHub's hosted runners."""
    return bool(shutil.which("sudo")) and (
        subprocess.run(["sudo", "-n", "true"], check=False, capture_output=True).returncode == 0
    )


def install_with_playwright() -> bool:
    print("Installing Playwright's Chromium for the browser tests ...", flush=True)
    # --with-deps also installs the shared libraries Chromium needs (with sudo).
    deps = ["--with-deps"] if os.geteuid() != 0 and can_sudo() and shutil.which("apt-get") else []
    result = subprocess.run(
        [sys.executable, "-m", "playwright", "install", *deps, "chromium"], check=False
    )
    return result.returncode == 0


def main() -> int:
    if find_chromium():
        return 0
    if install_with_apt() and find_chromium():
        return 0
    if install_with_playwright():
        return 0
    message = "No Chromium found and none could be installed; browser tests cannot run."
    if os.environ.get("CI") == "true":
        print(f"error: {message}", file=sys.stderr)
        return 1
    print(f"warning: {message} They will be skipped.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
