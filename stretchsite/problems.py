"""Why a build failed, as problems that each name the file and line to fix.

One shape for every failure an author can fix: content errors (already
located by the loader) and template errors (Jinja knows the template and the
line; for errors raised while rendering, the line is found in the traceback,
where Jinja puts template frames under the template's own file name).
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError

from .content import ContentErrors


@dataclass(frozen=True)
class Problem:
    """One reason a build failed; ``path`` and ``line`` are empty when not known."""

    path: str
    line: int
    message: str

    @property
    def where(self) -> str:
        """`path:line`, `path`, or "" when no file is to blame."""
        if not self.path:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def _located(exc: BaseException) -> BaseException | None:
    """The content or template error behind ``exc`` (itself or its direct cause), if any."""
    for candidate in (exc, exc.__cause__):
        if isinstance(candidate, ContentErrors | TemplateError):
            return candidate
    return None


def fixable_by_editing(exc: Exception) -> bool:
    """Whether saving a content file or a template can fix what stopped the build."""
    return _located(exc) is not None


def problems_of(exc: Exception, templates: Path) -> list[Problem]:
    """The problems behind a failed build, located as precisely as ``exc`` allows.

    A template or content error wrapped in another (``raise ... from``) is unwrapped.
    """
    exc = _located(exc) or exc
    if isinstance(exc, ContentErrors):
        return [Problem(e.path, e.line, e.message) for e in exc.errors]
    if isinstance(exc, TemplateError):
        return [template_problem(exc, templates)]
    return [Problem("", 0, str(exc) or type(exc).__name__)]


def template_problem(exc: Exception, templates: Path) -> Problem:
    """A Jinja error, or any error raised in a template, as `templates/page.html:LINE: ...`."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return Problem(_shown(exc.filename), exc.lineno, f"template syntax: {exc.message}")
    if isinstance(exc, TemplateNotFound):
        message = f"template {exc.name!r} not found"
    elif isinstance(exc, TemplateError):
        message = exc.message or type(exc).__name__
    else:
        message = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, UndefinedError):
        message += " (a misspelt name, or a value this page does not have)"
    root = os.path.realpath(templates)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        real = os.path.realpath(frame.filename)
        if os.path.commonpath([root, real]) == root and frame.lineno:
            return Problem(_shown(frame.filename), frame.lineno, message)
    return Problem(_shown(str(templates)), 0, message)


def _shown(path: str) -> str:
    """A path as the author would type it: relative to the working folder when inside it."""
    relative = os.path.relpath(path)
    return Path(path if relative.startswith("..") else relative).as_posix()
