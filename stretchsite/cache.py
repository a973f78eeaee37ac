"""The build cache: what the last build read and wrote, so the next can skip work.

It holds the validated stretches (with the stamp and digest of their files)
and, for every output file, the key of the inputs that produced it. It lives
beside the output folder (`.dist.cache` for `dist/`), is ignored by git and is
only ever a hint: a cache from another generator version, for another output
folder, or that cannot be read is dropped with a note and the build starts
from scratch.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .content import Stretch

FORMAT = 1
# A file changed within this window of the last build may share its stamp
# (mtime and size) with the previous version, so its bytes are compared too.
RACY_NS = 2_000_000_000


def code_version() -> str:
    """A hash of the generator's own source: any change to it invalidates caches."""
    digest = hashlib.sha256(str(FORMAT).encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def tree_digest(*roots: Path) -> str:
    """Hash of every file's name and bytes under ``roots`` (templates, site data)."""
    digest = hashlib.sha256()
    for root in roots:
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in paths:
            digest.update(str(path.relative_to(root.parent)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass
class BuildCache:
    code: str
    stretches: dict[str, Stretch] = field(default_factory=dict)
    # output file (relative path) -> (key of its inputs, digest of its bytes,
    # (inode, mtime, size) of the file written); the file identity tells whether
    # the file now in the output folder is still the one this build wrote.
    outputs: dict[str, tuple[str, str, tuple[int, int, int]]] = field(default_factory=dict)
    static: dict[str, str] = field(default_factory=dict)  # static file -> digest
    warnings: tuple[str, ...] = ()  # the build's warnings, for inputs `warnings_key`
    warnings_key: str = ""
    written_ns: int = 0
    notes: list[str] = field(default_factory=list)

    def reuse(self, shown: str, path: Path, stat: os.stat_result) -> Stretch | None:
        """The cached stretch read from ``shown`` if its file has not changed, else None."""
        old = self.stretches.get(shown)
        if old is None:
            return None
        # ctime too: it changes on every write and, unlike mtime, cannot be set back.
        stamp = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)
        if old.stamp == stamp and stat.st_ctime_ns < self.written_ns - RACY_NS:
            return old
        if old.stamp[-1:] != (stat.st_size,):
            return None
        try:
            same = hashlib.sha1(path.read_bytes()).hexdigest() == old.digest
        except OSError:
            return None
        return replace(old, stamp=stamp) if same else None


def cache_path(out: Path) -> Path:
    out = Path(out).absolute()
    return out.parent / f".{out.name}.cache"


def load(out: Path) -> BuildCache:
    """The cache for output folder ``out``, or an empty one (with a note if discarded)."""
    code = code_version()
    path = cache_path(out)
    if not path.exists():
        return BuildCache(code)
    try:
        with path.open("rb") as handle:
            data = pickle.load(handle)
        if not isinstance(data, BuildCache):
            raise TypeError(f"unexpected {type(data).__name__}")
    except Exception as exc:  # any damage at all: never trust it
        return BuildCache(code, notes=[f"build cache {path} is unreadable ({exc}); rebuilding all"])
    if data.code != code:
        return BuildCache(
            code, notes=["build cache is from another generator version; rebuilding all"]
        )
    data.notes = []
    return data


def file_identity(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns, info.st_size


def save(cache: BuildCache, out: Path) -> None:
    """Write the cache for output folder ``out`` atomically."""
    cache.written_ns = time.time_ns()
    notes, cache.notes = cache.notes, []
    target = cache_path(out)
    # The temporary name matches the staging prefix, so a killed build's
    # leftover is swept away with the other leftovers.
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{Path(out).name}.tmp-cache-")
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(cache, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        cache.notes = notes
