"""What a build may touch, checked before it touches anything.

A build replaces its output folder whole, so the folder named by ``--out``
must be one the build made itself: never the working folder, the project, an
input folder or anything holding one, never a folder inside an input, never a
plain file, and never a non-empty folder without the marker every build
leaves in its output (:data:`stretchsite.output.MARKER`). A symlinked output
is followed: the folder it points to is what gets checked and replaced, and
the link itself stays.

Builds of one output folder run one at a time (:func:`build_lock`), so a build
never sweeps away the temporary folder of another one that is still running.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import BuildError
from .output import MARKER

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

# The generator's own project folder (where build.py lives).
PROJECT = Path(__file__).resolve().parent.parent


def _inside(child: Path, parent: Path) -> bool:
    """Whether ``child`` is ``parent`` or lies somewhere under it (both real paths)."""
    return child == parent or parent in child.parents


def check_inputs(inputs: dict[str, Path]) -> None:
    """Every input (name -> folder) must be an existing folder, or say which is not."""
    for name, folder in inputs.items():
        if not folder.exists():
            raise BuildError(
                f"the {name} folder {folder} does not exist; pass --{name} with the right folder"
            )
        if not folder.is_dir():
            raise BuildError(
                f"the {name} folder {folder} is a file, not a folder; "
                f"pass --{name} with the folder that holds it"
            )


def output_folder(out: Path, inputs: dict[str, Path]) -> Path:
    """The real folder a build into ``out`` would replace, if it may replace it.

    Symlinks are followed. Raises :class:`BuildError` when the folder is, holds
    or lies inside something that is not the build's to replace. Only looks:
    nothing is created or deleted.
    """
    shown = str(out)
    real = Path(os.path.realpath(out))
    protected = {"the working folder": Path.cwd().resolve(), "this project": PROJECT}
    protected.update({f"the {name} folder": Path(p).resolve() for name, p in inputs.items()})
    for what, folder in protected.items():
        if _inside(folder, real):
            relation = "is" if folder == real else "holds"
            raise BuildError(
                f"refusing to build into {shown}: it {relation} {what} ({folder}), "
                "which the build would replace; pass --out a folder of its own, such as dist"
            )
    for name, folder in inputs.items():
        if _inside(real, Path(folder).resolve()):
            raise BuildError(
                f"refusing to build into {shown}: it lies inside the {name} folder {folder}, "
                "so the site would be read back as input; pass --out a folder outside "
                "content, templates and static, such as dist"
            )
    return real


def check_replaceable(real: Path, shown: str) -> None:
    """Refuse an existing ``real`` output that is not a folder this generator made."""
    if not os.path.lexists(real):
        return
    if not real.is_dir():
        raise BuildError(
            f"refusing to build into {shown}: it is a file, not a folder; "
            "move it away or pass another --out"
        )
    if os.path.ismount(real):
        raise BuildError(
            f"refusing to build into {shown}: it is a mount point, which cannot be swapped "
            f"for a new folder; pass --out a folder inside it, such as {shown}/site"
        )
    marker = real / MARKER
    if marker.is_file() and not marker.is_symlink():
        return
    if next(os.scandir(real), None) is not None:
        raise BuildError(
            f"refusing to build into {shown}: the folder is not empty and was not made by "
            f"this generator (it has no {MARKER} file), and a build replaces it whole; "
            "delete it or pass another --out"
        )


@contextlib.contextmanager
def build_lock(real: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the lock of output folder ``real`` (waiting for it if another build holds it).

    The lock is a file beside the output; the operating system releases it
    when its holder exits in any way, so a killed build never leaves it held.
    """
    if fcntl is None:  # pragma: no cover - no flock: builds are not serialised
        yield
        return
    real.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(real.parent / f".{real.name}.lock", flags, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock
