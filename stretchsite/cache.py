"""The build cache: what the last build read and wrote, so the next can skip work.

It holds the validated stretches (with the stamp and digest of their files),
for every page the key of the inputs that produced it, and the identity of
every file in the output folder. It lives beside the output folder
(`.dist.cache` for `dist/`), is ignored by git and is only ever a hint. The
compiled templates are the user's, shared by all their builds like Python's
`__pycache__` (`~/.cache/stretchsite/jinja/`, see :func:`user_cache_root`).

It is never trusted blindly: the output may sit in a shared folder such as
/tmp, where anyone could plant a file under its name. So the cache is JSON
(reading it cannot run code), read back into exactly the types it was written
from, and used only if it is a regular file owned by the user building that no
one else may write; the compiled templates likewise only from a folder that
passes the same check. A cache that fails any check, or comes from another
generator version, is dropped with a note and the build starts from scratch.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import itertools
import json
import operator
import os
import stat as stat_module
import tempfile
import time
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from jinja2 import __version__ as jinja_version

from .content import Stretch, file_digest
from .errors import BuildError
from .output import Identity, TreeRecord, listing, yours_alone

FORMAT = 7  # 1 was a pickle; 2 held the stretches in one JSON object, not a line each;
# 3 had no `sequence` or `wide`; 4 held the stretch lines after the head; 5 no `spare`;
# 6 no `folder`
# A file changed within this window of the last build may share its stamp
# (mtime and size) with the previous version, so its bytes are compared too.
RACY_NS = 2_000_000_000
WRITE_BUFFER = 1 << 20


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


@dataclass(frozen=True)
class StretchFile:
    """A stretch as read from its file, with what tells whether the file changed since."""

    stretch: Stretch
    digest: str  # sha1 of the file's bytes
    stamp: tuple[int, int, int]  # mtime, ctime, size
    # The stretch's digests for page keys (keys.stretch_digest), by the fields
    # skipped: they follow from the file as the stretch does, and a build that
    # reuses the stretch reuses them instead of hashing every stretch again.
    fields: dict[str, str] = field(default_factory=dict)


def stamp_of(stat: os.stat_result) -> tuple[int, int, int]:
    # ctime too: it changes on every write and, unlike mtime, cannot be set back.
    return stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size


@dataclass
class BuildCache:
    """What the last build recorded; see the module docstring."""

    code: str
    # Each stored on a line of its own in the stretch store beside the cache
    # (see `save`), and decoded only when a build needs it: a build that finds
    # nothing changed reads `stamps` alone, one that finds a few files changed
    # decodes the stretches the pages it renders read (see `stored`).
    stretches: dict[str, StretchFile] = field(default_factory=dict, metadata={"stored": False})
    stamps: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # of `stretches`
    # Where each stretch's line is in the store (offset, length), and the name
    # the store starts with: a store written for another cache is never read.
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    store: str = ""
    # The stretch files in the site's order (`Site.stretches`).
    sequence: tuple[str, ...] = ()
    # Each page that reads every stretch: the fields it skips (as keys.skipped
    # writes them) and the digest of what it reads (keys.reads_digest).
    wide: dict[str, tuple[str, str]] = field(default_factory=dict)
    env: str = ""  # the inputs every page shares (see generator.environment_key)
    # page output (relative path) -> (key of its inputs, digest of its bytes)
    outputs: dict[str, tuple[str, str]] = field(default_factory=dict)
    # every file in the output folder, pages, static files and marker alike ->
    # its identity when this build wrote it: a file deleted, edited or added
    # in the output since is noticed, and the build repairs it.
    files: dict[str, Identity] = field(default_factory=dict)
    static: dict[str, str] = field(default_factory=dict)  # static file -> digest
    # The site in the spare, as the build that wrote it recorded it (see
    # output.spare_listing): its folders unchanged since are not read again.
    spare: TreeRecord | None = None
    folder: int = 0  # the inode of the output folder `files` describe
    warnings: tuple[str, ...] = ()  # the build's warnings, for inputs `warnings_key`
    warnings_key: str = ""
    written_ns: int = 0
    # About this build, for the user; never stored.
    notes: list[str] = field(default_factory=list, metadata={"stored": False})

    # This build's stretch files, as reused or read; see `settle`. Never stored.
    current: dict[str, StretchFile] = field(default_factory=dict, metadata={"stored": False})
    moved: bool = field(default=False, metadata={"stored": False})
    # The stretch store's path (set by `load`), and the stretch files whose
    # lines `spans` point at, as decoded from or written there: an unchanged
    # one keeps its line, only a new or changed one is written (see `save`).
    store_path: Path | None = field(default=None, repr=False, metadata={"stored": False})
    held: dict[str, StretchFile] = field(
        default_factory=dict, repr=False, metadata={"stored": False}
    )
    # The file this cache was read from or last written to, as `file_identity`
    # found it then: a long-lived process may keep the cache in memory only
    # while the file is still that very file (see `stretchsite.warm`). Never stored.
    origin: tuple[int, ...] | None = field(default=None, metadata={"stored": False})

    def known(self) -> dict[str, StretchFile]:
        """The stretch files of the last build, all decoded (on first use)."""
        unread = {shown: span for shown, span in self.spans.items() if shown not in self.stretches}
        if unread:
            try:
                whole = _read_store(self, 0, None)
            except (ValueError, OSError) as exc:
                self._damaged(exc)
                return self.stretches
            for shown, (offset, length) in unread.items():
                if self._decoded(shown, whole[offset : offset + length]) is None:
                    break  # damaged: the cache is empty now
        return self.stretches

    def stored(self, shown: str) -> StretchFile | None:
        """The last build's stretch file ``shown``, decoded on first use; None if there is none.

        Any damage at all empties the whole cache, as if it had failed on loading.
        """
        found = self.stretches.get(shown)
        if found is not None or shown not in self.spans:
            return found
        try:
            line = _read_store(self, *self.spans[shown])
        except (ValueError, OSError) as exc:
            self._damaged(exc)
            return None
        return self._decoded(shown, line)

    def _decoded(self, shown: str, line: bytes) -> StretchFile | None:
        try:
            found = _decode_line(shown, line)
        except (ValueError, TypeError, KeyError, RecursionError) as exc:
            self._damaged(exc)
            return None
        self.stretches[shown] = self.held[shown] = found
        return found

    def _damaged(self, exc: Exception) -> None:
        """Trust none of it, as if it had failed on loading."""
        fresh = BuildCache(self.code, notes=self.notes, store_path=self.store_path)
        for name in (f.name for f in dataclasses.fields(self)):
            setattr(self, name, getattr(fresh, name))
        self.notes.append(f"build cache is unreadable ({exc}); rebuilding all")

    def holds(self, shown: str, stat: os.stat_result) -> bool:
        """Whether the stretch file ``shown`` is as the last build read it, by its stamp.

        A file changed within the racy window of the last build might keep its
        stamp, so such a file never holds.
        """
        stamp = self.stamps.get(shown)
        return (
            stamp is not None
            and stat.st_ctime_ns < self.written_ns - RACY_NS
            and stamp_of(stat) == tuple(stamp)
        )

    def unchanged_since(self, stats: dict[str, os.stat_result]) -> bool:
        """Whether these stretch files are exactly the last build's, each unchanged."""
        return stats.keys() == self.stamps.keys() and all(
            self.holds(shown, stat) for shown, stat in stats.items()
        )

    def reuse(self, shown: str, path: str | Path, stat: os.stat_result) -> Stretch | None:
        """The cached stretch read from ``shown`` if its file has not changed, else None."""
        old = self.stored(shown)
        if old is None:
            return None
        stamp = stamp_of(stat)
        if old.stamp == stamp and stat.st_ctime_ns < self.written_ns - RACY_NS:
            self.current[shown] = old
            return old.stretch
        if old.stamp[-1:] != (stat.st_size,):
            return None
        try:
            same = file_digest(Path(path).read_bytes()) == old.digest
        except OSError:
            return None
        if not same:
            return None
        self.current[shown] = replace(old, stamp=stamp)
        self.moved = True
        return old.stretch

    def remember(self, shown: str, stretch: Stretch, digest: str, stat: os.stat_result) -> None:
        """Keep a stretch just read from its file (``digest``: ``file_digest`` of its bytes)."""
        self.current[shown] = StretchFile(stretch, digest, stamp_of(stat))
        self.moved = True

    def settle(self, unread_kept: bool = False) -> bool:
        """Keep this build's stretch files only; whether any was new, changed or gone.

        With ``unread_kept``, the build found every other stretch file of the
        last build unchanged (by its stamp) without decoding it: those are
        kept too, each as its line in the store.
        """
        if unread_kept:
            moved = self.moved
            kept = {shown: span for shown, span in self.spans.items() if shown not in self.current}
            self.stamps = {
                shown: self.current[shown].stamp if shown in self.current else stamp
                for shown, stamp in self.stamps.items()
            }
        else:
            moved = self.moved or self.current.keys() != self.known().keys()
            kept = {}
            self.stamps = {shown: known.stamp for shown, known in self.current.items()}
        # A stretch file that is the very object its line was decoded from keeps the line.
        for shown, file in self.current.items():
            if self.held.get(shown) is file and shown in self.spans:
                kept[shown] = self.spans[shown]
        self.spans = kept
        self.held = {shown: file for shown, file in self.held.items() if shown in kept}
        self.stretches, self.current, self.moved = self.current, {}, False
        return moved


def file_identity(info: os.stat_result) -> tuple[int, ...]:
    """What tells one version of the cache file from any other: ctime moves on every change.

    Its mtime (the fourth) also tells when the build that wrote it had written
    everything else (see generator._spare_record)."""
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def cache_path(out: Path) -> Path:
    out = Path(out).absolute()
    return out.parent / f".{out.name}.cache"


def store_path(out: Path) -> Path:
    """The stretch store: the cached stretches' lines, appended to as they change."""
    out = Path(out).absolute()
    return out.parent / f".{out.name}.cache-stretches"


def load(out: Path) -> BuildCache:
    """The cache for output folder ``out``, or an empty one (with a note if discarded)."""
    code = code_version()
    path = cache_path(out)
    data = _load(path, code)
    data.store_path = store_path(out)
    return data


def _load(path: Path, code: str) -> BuildCache:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return BuildCache(code)
    except OSError as exc:
        return BuildCache(code, notes=[f"build cache {path} is unreadable ({exc}); rebuilding all"])
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat_module.S_ISREG(info.st_mode) or not yours_alone(info):
            return BuildCache(
                code,
                notes=[
                    f"build cache {path} is not a file only you can write; "
                    "ignoring it and rebuilding all"
                ],
            )
        try:
            head = json.loads(handle.readline())
            if isinstance(head, dict) and head.get("code") != code:
                return BuildCache(
                    code, notes=["build cache is from another generator version; rebuilding all"]
                )
            data = _decoder(BuildCache)(head)
            data.origin = file_identity(info)
        except (ValueError, TypeError, KeyError, OSError, RecursionError) as exc:
            return BuildCache(
                code, notes=[f"build cache {path} is unreadable ({exc}); rebuilding all"]
            )
    return data


# Where a user's caches shared by all their builds live, like Python's
# __pycache__: the compiled templates of every site this user builds.
CACHE_DIR_VARIABLE = "STRETCHSITE_CACHE_DIR"


def user_cache_root() -> Path:
    """$STRETCHSITE_CACHE_DIR, else $XDG_CACHE_HOME/stretchsite, else ~/.cache/stretchsite."""
    chosen = os.environ.get(CACHE_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "stretchsite"


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's compiled templates in one folder, valid only for the code that compiled them.

    Jinja keys a file by the template's name and path and checks it against a
    checksum of the source; here the checksum also covers the generator's code
    (which configures Jinja: options, extensions) and Jinja's version, so a
    template compiled by another version is compiled again, never run.
    """

    def __init__(self, folder: Path, code: str):
        super().__init__(str(folder))
        self.salt = f"{code}\0{jinja_version}\0"

    def get_source_checksum(self, source: str) -> str:
        return hashlib.sha1((self.salt + source).encode("utf-8")).hexdigest()


def user_folder(name: str, what: str, notes: list[str]) -> Path | None:
    """Folder ``name`` of the user's cache, made if needed; None if it cannot be trusted or made.

    Only a folder the user building owns and no one else may write is used:
    what it holds runs (compiled templates) or reaches every visitor (QR
    codes). One that cannot be made (no home folder, a read-only one) only
    costs time; one that cannot be trusted gets a note about ``what`` it holds.
    """
    root = user_cache_root()
    folder = root / name
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        info = os.lstat(folder)
    except OSError:
        return None
    if stat_module.S_ISDIR(info.st_mode) and yours_alone(info):
        return folder
    notes.append(
        f"{what} in {folder} are not in a folder only you can write; "
        "not using them (delete it to get them back)"
    )
    return None


def compiled_templates(code: str, notes: list[str]) -> CompiledTemplates | None:
    """The user's cache of compiled templates (read with pickle and marshal), or None."""
    folder = user_folder("jinja", "compiled templates", notes)
    return CompiledTemplates(folder, code) if folder else None


def output_files(root: Path) -> dict[str, Identity]:
    """Identity of every file under ``root`` (symlinks as links), by relative path."""
    return listing(root).files


def save(cache: BuildCache, out: Path) -> None:
    """Write the cache for output folder ``out`` atomically; a failure only costs a note.

    The stretch lines go first, into the store beside the cache (unless
    :func:`save_stretches` wrote them already): appended after the lines the
    last cache points at, or into a new store when it would otherwise hold
    more old lines than live ones. The cache itself is then replaced in one
    rename: until then the last one stays valid (what an append adds is never
    pointed at), and a build killed between a new store and its cache leaves
    a cache that names another store: rebuilt.
    """
    cache.written_ns = time.time_ns()
    cache.origin = None  # until the new file is in place
    target = cache_path(out)
    cache.store_path = store_path(out)
    try:
        _save_stretches(cache, out)
        _replace(out, target, lambda handle: handle.write(_json(cache).encode() + b"\n"))
        # Callers hold the output's build lock: no other build replaces the file meanwhile.
        cache.origin = file_identity(os.stat(target))
    except OSError as exc:
        cache.notes.append(f"could not write the build cache {target}: {exc.strerror}")


def save_stretches(cache: BuildCache, out: Path) -> None:
    """Write the settled stretches' lines the store lacks (see :func:`save`) ahead of it.

    The lines need only the stretches, the cache itself the written pages'
    digests: a build that renders with worker processes writes the store
    while they render, and leaves :func:`save` only the cache to write. A
    failure here is left to :func:`save`, which tries again and notes it.
    """
    cache.store_path = store_path(out)
    with contextlib.suppress(OSError):
        _save_stretches(cache, out)


def _replace(out: Path, target: Path, write: Callable[[typing.BinaryIO], object]) -> None:
    """Write a file through ``write`` beside ``target``, then rename it over ``target``."""
    # The temporary name matches the staging prefix, so a killed build's
    # leftover is swept away with the other leftovers.
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{Path(out).name}.tmp-cache-")
    try:
        # A large buffer: one write per line (thousands) would cost a system call each.
        with os.fdopen(fd, "wb", buffering=WRITE_BUFFER) as handle:
            write(handle)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _save_stretches(cache: BuildCache, out: Path) -> None:
    """Write the lines of the stretch files whose lines the store lacks; update ``spans``."""
    fresh = [shown for shown in cache.stamps if shown not in cache.spans]
    if not fresh and cache.store:
        return
    live = sum(length for _, length in cache.spans.values())
    try:
        appended = _append_lines(cache, fresh, live) if cache.store else None
    except (ValueError, OSError):
        appended = None
    if appended is None:  # no store, another's, or mostly old lines: a new one
        _new_store(cache, out)


def _append_lines(cache: BuildCache, fresh: list[str], live: int) -> bool | None:
    """Append ``fresh`` lines to the store; None (nothing written) if it should be new."""
    assert cache.store_path is not None
    with _open_store(cache, os.O_RDWR | os.O_APPEND) as fd:
        end = os.fstat(fd).st_size
        if end > 2 * live + (1 << 16):
            return None
        spans = {}
        chunk = bytearray()
        for shown in fresh:
            line = _line(shown, cache.stretches[shown])
            spans[shown] = (end + len(chunk), len(line))
            chunk += line
        _write_all(fd, chunk)
    cache.spans.update(spans)
    cache.held.update((shown, cache.stretches[shown]) for shown in fresh)
    return True


def _new_store(cache: BuildCache, out: Path) -> None:
    """Write every stretch file's line into a new store (with a new name)."""
    assert cache.store_path is not None
    cache.known()  # every line this build kept unread, decoded to be written again
    token = os.urandom(8).hex()
    spans: dict[str, tuple[int, int]] = {}

    def write(handle: typing.BinaryIO) -> None:
        offset = handle.write(_json(token).encode() + b"\n")
        for shown in cache.stamps:
            line = _line(shown, cache.stretches[shown])
            spans[shown] = (offset, len(line))
            offset += handle.write(line)

    _replace(out, cache.store_path, write)
    cache.store, cache.spans = token, spans
    cache.held = {shown: cache.stretches[shown] for shown in spans}


def _line(shown: str, file: StretchFile) -> bytes:
    """One stretch file's line: JSON text never holds a raw line break."""
    return _json([shown, file]).encode() + b"\n"


def _write_all(fd: int, data: bytes | bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


@contextlib.contextmanager
def _open_store(cache: BuildCache, flags: int) -> typing.Iterator[int]:
    """The store, opened with ``flags``, if it is this cache's: a regular file only its
    owner may write, starting with the name the cache gave it. Raises ValueError if not."""
    assert cache.store_path is not None
    fd = os.open(cache.store_path, flags | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat_module.S_ISREG(info.st_mode) or not yours_alone(info):
            raise ValueError(f"{cache.store_path} is not a file only you can write")
        head = _json(cache.store).encode() + b"\n"
        if os.pread(fd, len(head), 0) != head:
            raise ValueError(f"{cache.store_path} is not the store of this cache")
        yield fd
    finally:
        os.close(fd)


def _read_store(cache: BuildCache, offset: int, length: int | None) -> bytes:
    """``length`` bytes of the store from ``offset`` (None: all of it); ValueError if short."""
    with _open_store(cache, os.O_RDONLY) as fd:
        if length is None:
            length = os.fstat(fd).st_size - offset
        data = os.pread(fd, length, offset)
    if len(data) != length:
        raise ValueError("the stretch store is cut short")
    return data


# --------------------------------------------------------------------------
# JSON <-> the dataclasses above, by their type hints


def _json(value: object) -> str:
    return _ENCODER.encode(value)


def _decode_line(shown: str, line: bytes) -> StretchFile:
    """The stretch file ``shown`` from its line written by :func:`_line`."""
    item = json.loads(line)
    if not isinstance(item, list) or len(item) != 2 or item[0] != shown:
        raise ValueError(f"not the stored stretch {shown}")
    return _decoder(StretchFile)(item[1])


def _encode(value: object) -> object:
    """JSON for what json cannot write itself: a dataclass becomes its fields."""
    found = _stored_values(type(value))
    if found is None:
        raise TypeError(f"cannot store {type(value).__name__} in the build cache")
    names, values = found
    return dict(zip(names, values(value), strict=True))


# One encoder for every line: json.dumps with options makes a new one each call.
_ENCODER = json.JSONEncoder(separators=(",", ":"), default=_encode)


@functools.cache
def _stored_values(kind: type) -> tuple[tuple[str, ...], Callable[[Any], tuple]] | None:
    """For a dataclass: its stored fields' names, and what gives an instance's values of
    them (in one call: a new or changed stretch's line is written field by field)."""
    if not dataclasses.is_dataclass(kind):
        return None
    names = tuple(f.name for f in _stored(kind))
    return names, values_of(names)


def values_of(names: tuple[str, ...] | list[str]) -> Callable[[Any], tuple]:
    """What gives a record's values of ``names``, as a tuple, in one call.

    ``operator.attrgetter`` but for its one-name case (the bare value, not a
    tuple) and its no-name case (an error).
    """
    if len(names) > 1:
        return operator.attrgetter(*names)
    return lambda record: tuple(getattr(record, name) for name in names)


SCALARS = (str, int, bool)


@functools.cache
def _decoder(kind: Any) -> Callable[[Any], Any]:
    """A function turning JSON back into ``kind``, raising ValueError on anything else.

    Scalars are checked in place rather than through a function each: a
    one-file rebuild decodes every stretch and every output file's record.
    """
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if dataclasses.is_dataclass(kind):
        return _record_decoder(kind)
    if origin in (types.UnionType, typing.Union):
        choices = [_decoder(a) for a in args if a is not type(None)]
        (only,) = choices  # X | None is the only union stored

        return lambda value: None if value is None else only(value)
    if origin is tuple:
        return _tuple_decoder(args)
    if origin is dict:
        if args[0] is str and _same_scalars(args[1]):
            return functools.partial(_scalar_rows, _same_scalars(args[1]))
        keys, values = _decoder(args[0]), _decoder(args[1])

        def mapping(value: Any) -> dict:
            if not isinstance(value, dict):
                raise ValueError("expected an object")
            if args[0] is str:  # JSON keys always are
                return {k: values(v) for k, v in value.items()}
            return {keys(k): values(v) for k, v in value.items()}

        return mapping
    if kind in SCALARS:

        def scalar(value: Any) -> Any:
            if type(value) is not kind:
                raise ValueError(f"expected {kind.__name__}, not {type(value).__name__}")
            return value

        return scalar
    raise TypeError(f"the build cache cannot hold {kind!r}")


def _record_decoder(kind: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(kind)
    names = {f.name: None for f in _stored(kind)}.keys()
    scalars = [(name, hints[name]) for name in names if hints[name] in SCALARS]
    others = [(name, _decoder(hints[name])) for name in names if hints[name] not in SCALARS]

    def record(value: Any) -> Any:
        if not isinstance(value, dict) or value.keys() != names:
            raise ValueError(f"not a stored {kind.__name__}")
        for name, expected in scalars:
            if type(value[name]) is not expected:
                raise ValueError(f"{kind.__name__}.{name}: expected {expected.__name__}")
        parsed = dict(value)
        for name, parse in others:
            parsed[name] = parse(value[name])
        if not direct:
            return kind(**parsed)
        made = object.__new__(kind)
        made.__dict__.update(parsed)
        return made

    # A frozen dataclass's __init__ sets each field through object.__setattr__,
    # a third of decoding a stretch. Its fields are set directly instead, when
    # __init__ would do nothing else: no __post_init__, no slots, no field left
    # to a default (every stored field is in the value, checked above).
    direct = (
        not hasattr(kind, "__post_init__")
        and "__slots__" not in vars(kind)
        and len(names) == len(dataclasses.fields(kind))
    )
    return record


def _tuple_decoder(args: tuple) -> Callable[[Any], tuple]:
    if len(args) == 2 and args[1] is Ellipsis:
        if args[0] in SCALARS:
            return functools.partial(_scalars, args[0])
        item = _decoder(args[0])
        return lambda value: tuple(item(v) for v in _list(value))
    if all(a in SCALARS for a in args):
        return functools.partial(_fixed_scalars, args)
    items = [_decoder(a) for a in args]

    def fixed(value: Any) -> tuple:
        value = _list(value)
        if len(value) != len(items):
            raise ValueError(f"expected {len(items)} items, not {len(value)}")
        return tuple(parse(v) for parse, v in zip(items, value, strict=True))

    return fixed


def _same_scalars(kind: Any) -> tuple[type, int] | None:
    """For ``tuple[X, X, ...]`` of one scalar type X: (X, how many); else None."""
    args = typing.get_args(kind)
    if typing.get_origin(kind) is tuple and args and args[0] in SCALARS and len(set(args)) == 1:
        return args[0], len(args)
    return None


def _scalar_rows(shape: tuple[type, int], value: Any) -> dict:
    """``dict[str, tuple[X, X, ...]]`` from a JSON object, checked all at once: the
    build cache holds thousands of these (stamps, spans, outputs, files)."""
    kind, size = shape
    if type(value) is not dict:
        raise ValueError("expected an object")
    rows = value.values()
    if not all(type(row) is list and len(row) == size for row in rows):
        raise ValueError(f"expected lists of {size} {kind.__name__}")
    if not set(map(type, itertools.chain.from_iterable(rows))) <= {kind}:
        raise ValueError(f"expected lists of {kind.__name__}")
    return {key: tuple(row) for key, row in value.items()}


def _scalars(kind: type, value: Any) -> tuple:
    """``tuple[kind, ...]`` from a JSON list."""
    if type(value) is not list or not set(map(type, value)) <= {kind}:
        raise ValueError(f"expected a list of {kind.__name__}")
    return tuple(value)


def _fixed_scalars(kinds: tuple, value: Any) -> tuple:
    """``tuple[kinds[0], kinds[1], ...]`` from a JSON list."""
    if type(value) is not list or tuple(map(type, value)) != kinds:
        raise ValueError(f"expected a list of {len(kinds)} {'/'.join(k.__name__ for k in kinds)}")
    return tuple(value)


@functools.cache
def _stored(kind: type) -> tuple[dataclasses.Field, ...]:
    return tuple(f for f in dataclasses.fields(kind) if f.metadata.get("stored", True))


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise ValueError("expected a list")
    return value


class StoredStretches(Sequence[Stretch]):
    """The site's stretches in the last build's order (``cache.sequence``), each one
    this build read afresh (``cache.current``) or else decoded from the cache when
    first used: a build that reads a few of them decodes no others."""

    def __init__(self, cache: BuildCache):
        self.cache = cache
        self.order = cache.sequence

    def __len__(self) -> int:
        return len(self.order)

    @typing.overload
    def __getitem__(self, index: int) -> Stretch: ...

    @typing.overload
    def __getitem__(self, index: slice) -> tuple[Stretch, ...]: ...

    def __getitem__(self, index: int | slice) -> Stretch | tuple[Stretch, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        shown = self.order[index]
        found = self.cache.current.get(shown) or self.cache.stored(shown)
        if found is None:  # a damaged line: the build cache is empty now
            raise LostStretch(f"the build cache lost {shown} while building; build again")
        return found.stretch


class LostStretch(BuildError):
    """A stretch :class:`StoredStretches` could not decode: the cache was damaged."""
