"""Helpers shared by test modules (no test module imports from another).

Edits to copied content go through :func:`replaced` / :func:`edit_file`,
which fail when the text to replace is not there: an edit that silently
changes nothing would let a test pass without testing anything.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from stretchsite import cache as build_cache
from stretchsite.content import ContentError, ContentErrors, load_site
from stretchsite.generator import build_site

from .conftest import ROOT, options_for

PUBLISHED = "https://example.github.io/stretch-routine/"


# --------------------------------------------------------------------------
# Guarded edits


def replaced(text: str, old: str, new: str, count: int = -1) -> str:
    """``text.replace(old, new, count)``, failing if ``old`` is not in ``text``."""
    if old not in text:
        raise AssertionError(f"test setup: {old!r} is not in the text to edit")
    return text.replace(old, new, count)


def substituted(text: str, pattern: str, new: str, count: int = 0, flags: int = 0) -> str:
    """``re.sub(pattern, new, text, count, flags)``, failing if ``pattern`` matches nothing."""
    result, found = re.subn(pattern, new, text, count=count, flags=flags)
    if not found:
        raise AssertionError(f"test setup: {pattern!r} matches nothing in the text to edit")
    return result


def edit_file(path: Path, old: str, new: str, count: int = -1) -> Path:
    """Replace ``old`` by ``new`` in the file at ``path``, failing if it is not there."""
    path.write_text(replaced(path.read_text(encoding="utf-8"), old, new, count), encoding="utf-8")
    return path


def edit(project: Path, relative: str, old: str, new: str) -> Path:
    """The first ``old`` in ``project/relative`` replaced by ``new``."""
    return edit_file(project / relative, old, new, 1)


def as_terminal_job() -> None:
    """``preexec_fn`` for a child that a test will send Ctrl-C (SIGINT): a terminal's
    foreground job has SIGINT at its default, whatever the test runner inherited
    (a shell's background job, as some CI launchers start it, ignores SIGINT, and
    Python then never raises KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# --------------------------------------------------------------------------
# Content errors


def errors_for(project: Path) -> list[ContentError]:
    with pytest.raises(ContentErrors) as caught:
        load_site(project / "content")
    return caught.value.errors


def only_error(project: Path) -> ContentError:
    errors = errors_for(project)
    assert len(errors) == 1, errors
    return errors[0]


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


# --------------------------------------------------------------------------
# Builds


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` and the digest of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`build.py` run from ``project`` as a user would, output captured."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )


def build_into(project: Path, out: str, **options):
    """Build ``project`` into ``project/out`` for the published address."""
    return build_site(options_for(project, out=project / out, site_url=PUBLISHED, **options))


def same_as_clean_build(project: Path) -> None:
    """The incremental ``dist`` is byte for byte what a build from scratch makes."""
    clean = project / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    build_into(project, "clean", incremental=False)
    assert tree_digest(project / "dist") == tree_digest(clean)
    # The build records its files without walking the new tree: exactly what is there.
    recorded = build_cache.load(project / "dist").files
    assert recorded == build_cache.output_files(project / "dist")


# --------------------------------------------------------------------------
# Browsers: Content Security Policy violations

CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
  + (e.sample ? ` (${e.sample})` : "")));
window.__printed = 0;
window.print = () => { window.__printed += 1; };
"""


def csp_violations(page) -> list[str]:
    # Reports are queued as tasks: let them arrive before reading them.
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 50))")
    return page.evaluate("window.__csp") + page.console_csp


# --------------------------------------------------------------------------
# The timer in a browser

TIMER_SITE = load_site(ROOT / "content")
# The youngest and the oldest age group of the real content.
UNDER, OVER = TIMER_SITE.age_groups[0], TIMER_SITE.age_groups[-1]
# Records what the timer says and plays (see tests/browser/timer_recorder.js).
RECORDER = (ROOT / "tests/browser/timer_recorder.js").read_text()
