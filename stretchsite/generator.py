"""The library API: load, validate, plan, render and write a whole site.

Builds are incremental: a page whose inputs (its stretches, the templates,
the site data and the generator itself) are unchanged since the last build is
not rendered again. The new site is assembled beside the old and swapped in
whole: in the spare (the site before last, see :mod:`stretchsite.output`),
where a page that has not changed since is left as it is, or else in an empty
folder; either way an unchanged page missing there is hard-linked from the
current output. Large builds render on every core.
"""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import cache as build_cache
from . import guard
from .content import Site, file_digest, load_site
from .content.loaders import stretch_stats
from .errors import BuildError, os_error_line
from .forking import deaf_to_ctrl_c, forked
from .fragments import Fragments
from .keys import (
    digest_of,
    environment_key,
    keep_known,
    known_of,
    lister_key,
    page_keys,
    reads_digest,
    seed_known,
    wide_reads,
)
from .output import (
    MARKER,
    Listing,
    TreeRecord,
    clean_stale,
    copy_static,
    recorded_listing,
    spare_listing,
    staging,
    static_clash,
    static_listing,
    write_file,
)
from .pages import LISTING, Page, plan_pages
from .partial import Plan, partial_plan
from .printing import QRCodes, print_warnings
from .render import Renderer, normalise_base
from .warm import WarmState

# Below this many pages to render, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 200


@dataclass(frozen=True)
class BuildOptions:
    """What to build from, where to, and how."""

    content: Path = Path("content")
    templates: Path = Path("templates")
    static: Path = Path("static")
    out: Path = Path("dist")
    base_url: str = "/"
    site_url: str = ""
    jobs: int = 0  # worker processes for rendering; 0 = one per core
    incremental: bool = True


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the command line and the dev server."""

    out: Path
    pages: int
    static_files: int
    seconds: float
    warnings: tuple[str, ...] = ()  # the site was built, but an author should know
    rendered: int = 0  # pages rendered this time; the rest were carried over
    notes: tuple[str, ...] = field(default=())  # about the build itself (cache)

    def summary(self) -> str:
        reused = self.pages - self.rendered
        carried = f" ({reused} unchanged)" if reused else ""
        return (
            f"Built {self.pages} pages{carried} and copied {self.static_files} static files "
            f"into {self.out} in {self.seconds * 1000:.0f} ms"
        )


def build_site(
    options: BuildOptions,
    on_wait: Callable[[], None] | None = None,
    warm: WarmState | None = None,
) -> BuildReport:
    """Build the site described by ``options``.

    Raises :class:`stretchsite.content.ContentErrors` if the content is
    invalid, and :class:`stretchsite.errors.BuildError` (one line) for any
    other problem: an output folder the build may not replace (checked before
    anything is written or deleted), a template error, a full disk. Either
    way the output folder is left as it was. A build waits for any other
    build of the same output folder to finish, calling ``on_wait`` first.

    ``warm``, kept by a process that builds again and again (the dev server),
    carries what one build computed to the next (see :mod:`stretchsite.warm`);
    the output is the same byte for byte.
    """
    started = time.perf_counter()
    inputs = {"content": options.content, "templates": options.templates, "static": options.static}
    guard.check_inputs(inputs)
    out = guard.output_folder(Path(options.out), inputs)
    try:
        # Checked before the lock file is made beside a refused folder, and
        # again once the lock is held, in case the folder changed meanwhile.
        guard.check_replaceable(out, str(options.out))
        with guard.build_lock(out, on_wait), collections_held():
            guard.check_replaceable(out, str(options.out))
            return _build(options, out, started, warm)
    except OSError as exc:
        if warm is not None:
            warm.forget()
        raise BuildError(os_error_line(exc)) from exc
    except BaseException:
        if warm is not None:
            warm.forget()
        raise


def _build(options: BuildOptions, out: Path, started: float, warm: WarmState | None) -> BuildReport:
    """Build into the real output folder ``out``, which the guard has cleared."""
    clean_stale(out)  # what killed or interrupted builds left; none is running (the lock)
    if not options.incremental:
        warm = None
    cache = _last_cache(options, out, warm)
    env = environment_key(
        options.content, options.templates, options.base_url, options.site_url, cache.code
    )
    published = static_listing(options.static)
    static = {rel: file_digest((options.static / rel).read_bytes()) for rel in published}
    # Every stretch file's status, to compare with the last build's: none to
    # compare with, none needed (at 10,000 stretches they hold ~8 MB).
    stats = stretch_stats(options.content) if options.incremental and cache.outputs else {}
    if options.incremental and _nothing_changed(cache, env, out, static, stats):
        # Every input is the last build's, so is every page and key, and the
        # output folder is exactly as it left it: nothing to load or write.
        return _report(options, cache.outputs, len(static), started, 0, cache)
    if warm is not None:
        warm.cache = None  # changed from here on; kept again once saved
    plan = None
    if options.incremental and warm is None:  # a warm process has every stretch at hand
        plan = partial_plan(options.content, bool(options.site_url), cache, env, static, stats)
    del stats  # only the two checks above read them; the rest of the build holds no copy
    spare = spare_listing(out, cache.spare) if options.incremental else None
    found, in_spare = _found_files(out, spare, cache, options.incremental)
    if plan is not None:
        decision = decide(plan.pages, plan.keys, static, found, cache)
        if not _partial_holds(plan, decision):
            plan = None
    meanwhile = None
    if plan is None:
        plan, key = _whole_plan(options, cache, env, published, warm)
        if cache.outputs:
            key()  # the keys decide what is carried over
        else:
            # Nothing to carry over (a first or a full build): every page is
            # rendered whatever its key, so the keys are worked out while
            # the workers render (see render_pages), and the stretch store
            # written, which needs the stretches' digests the keys leave.
            meanwhile = _then_stored(key, cache, out) if options.incremental else key
        decision = decide(plan.pages, plan.keys, static, found, cache)
    site, pages, keys = plan.site, plan.pages, plan.keys
    if decision.untouched and (spare is None or _output_files(out, cache) == cache.files):
        assert meanwhile is None  # an untouched output had a last build
        # Rewrite the cache only if a file's stamp moved (say, a touch):
        # at 10,000 stretches writing it costs more than the rest.
        if options.incremental and cache.settle(unread_kept=plan.partial):
            cache.env = env
            build_cache.save(cache, out)
        _keep(warm, out, cache, site)
        return _report(options, keys, len(static), started, 0, cache)
    # Only a warm build keeps entries; it always plans the whole site (see above).
    fragments = warm.fragments_for(env, warm.known) if warm is not None else None
    renderer = _renderer(options, site, pages, cache, fragments)
    # Static files and pages the spare already holds as they must be stay there.
    same_static = [rel for rel in published if unchanged_static(rel, static, found, cache)]
    listers = {p.output for p in decision.listers}
    keep = in_spare & {MARKER, *same_static, *decision.carry, *listers}
    rewrite = frozenset(p.output for p in decision.render)
    with staging(out, spare, keep, rewrite) as root:
        carried = carry_all(out, root, [rel for rel in same_static if rel not in keep], found)
        there = keep | carried.keys()
        copy_static(options.static, root, [rel for rel in published if rel not in there])
        costs = warm.render_seconds if warm is not None else None
        written = write_pages(
            decision, renderer, out, root, options.jobs, found, keep, costs, meanwhile
        )
        if options.incremental:
            swapped_out = _output_record(out, cache)  # before this build's record replaces it
            if meanwhile is None:  # else settled while the pages rendered (_then_stored)
                cache.settle(unread_kept=plan.partial)
            cache.env, cache.static, cache.spare = env, static, swapped_out
            cache.outputs = {rel: (written.keys[rel], written.digests[rel]) for rel in keys}
            kept = {rel: found[rel] for rel in keep - listers}
            cache.files = _tree_files(root, published, written.files, carried, kept)
            cache.folder = os.lstat(root).st_ino  # the folder swapped in: `out` from now on
            build_cache.save(cache, out)
    _keep(warm, out, cache, site)
    return _report(options, keys, len(static), started, written.rendered, cache)


@contextmanager
def collections_held() -> Iterator[None]:
    """Hold off Python's cycle collector for the duration of a build.

    A build makes a large graph of objects that live until it ends (the site,
    its pages and keys) and next to no reference cycles: what it drops is
    freed by reference counting. The collector would still walk the growing
    graph again and again while it is being built, a seventh of a cold
    build's CPU time at 10,000 stretches. Forked workers inherit the pause,
    which also spares them copying the pages a collection would touch.
    Collection resumes as it was when the build ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _last_cache(options: BuildOptions, out: Path, warm: WarmState | None) -> build_cache.BuildCache:
    """What the last build recorded (nothing, for a full build); ``warm`` keeps it as
    it is now, and again once this build is saved."""
    cache = build_cache.BuildCache("")
    if options.incremental:
        cache = (warm and warm.cache_for(out)) or build_cache.load(out)
    if warm is not None:
        warm.keep(out, cache)
    return cache


def _whole_plan(
    options: BuildOptions,
    cache: build_cache.BuildCache,
    env: str,
    published: list[str],
    warm: WarmState | None,
) -> tuple[Plan, Callable[[], None]]:
    """Every page of the site, from every stretch, and what fills in their keys.

    The plan's keys are blank until that is called; it also works out the
    printouts' warnings and notes in ``cache`` what the next build keys pages
    with (see :mod:`stretchsite.partial`).
    """
    site = load_site(options.content, cache if options.incremental else None)
    pages = _planned(options, site, published)
    keys = dict.fromkeys((p.output for p in pages), "")

    def key() -> None:
        known: dict = warm.known if warm is not None else {}
        seed_known(known, [(f.stretch, f.fields) for f in cache.current.values()])
        keys.update(page_keys(pages, env, site, known))
        heights = warm.heights if warm is not None else None
        listing = digest_of([env, reads_digest(LISTING, site, known)])
        _warnings(cache, listing, site, options, heights)
        _store_digests(cache, known)
        cache.sequence = tuple(s.source for s in site.stretches)
        cache.wide = wide_reads(pages, site, known)

    return Plan(site, pages, keys), key


def _then_stored(
    key: Callable[[], None], cache: build_cache.BuildCache, out: Path
) -> Callable[[], None]:
    """``key`` (see :func:`_whole_plan`), then this build's stretches settled in ``cache``
    and their lines written into its store: what :func:`build_cache.save` would
    otherwise write after the pages. Only for a whole plan (it settles it so)."""

    def run() -> None:
        key()
        cache.settle()
        build_cache.save_stretches(cache, out)

    return run


def _partial_holds(plan: Plan, decision: Decision) -> bool:
    """Whether a partial plan covers what ``decision`` must write: every output it did not
    plan is carried over, and it renders pages reading particular stretches only (any
    other, say a deleted home page, might list every page: the whole plan renders it)."""
    planned = {p.output for p in plan.pages}
    return plan.keys.keys() - planned <= set(decision.carry) and all(
        p.reads.stretches for p in decision.render
    )


def _planned(options: BuildOptions, site: Site, published: list[str]) -> tuple[Page, ...]:
    """The pages this build writes; a static file standing where one goes is an error."""
    pages = tuple(p for p in plan_pages(site) if options.site_url or not p.needs_site_url)
    clash = static_clash(options.static, published, {p.output for p in pages} | {MARKER})
    if clash:
        raise BuildError(clash)
    return pages


def _found_files(
    out: Path, spare: Listing | None, cache: build_cache.BuildCache, incremental: bool
) -> tuple[dict[str, build_cache.Identity], frozenset[str]]:
    """The last build's files still exactly as it wrote them (only those are carried
    over), and which of them the spare holds."""
    if spare is None:
        return (_output_files(out, cache) if incremental else {}), frozenset()
    return verified_files(out, spare, cache.files)


def _renderer(
    options: BuildOptions,
    site: Site,
    pages: tuple[Page, ...],
    cache: build_cache.BuildCache,
    fragments: Fragments | None = None,
) -> Renderer:
    """The renderer, with the user's compiled templates and QR codes when incremental,
    and the listing pages' entries a long-lived process keeps (``fragments``)."""
    return Renderer(
        site,
        options.templates,
        options.base_url,
        options.site_url,
        pages=pages,
        bytecode_cache=build_cache.compiled_templates(cache.code, cache.notes)
        if options.incremental
        else None,
        qr_codes=QRCodes(build_cache.user_folder("qr", "QR codes", cache.notes), cache.code)
        if options.incremental and options.site_url
        else None,
        fragments=fragments,
    )


def _output_record(out: Path, cache: build_cache.BuildCache) -> TreeRecord | None:
    """The site in ``out`` as the last build recorded it, if ``out`` is still the folder it
    wrote; a build lists it from the record (:func:`stretchsite.output.recorded_listing`),
    and keeps the record when it swaps the site out to be the spare."""
    if not cache.files or not cache.folder or cache.origin is None:
        return None
    try:
        if os.lstat(out).st_ino != cache.folder:
            return None
    except OSError:
        return None
    # The last build wrote every folder of it before it wrote its cache file:
    # a folder changed since has a ctime at least the file's mtime (the same
    # clock and file system), one changed in the same tick too, so it is read.
    return TreeRecord(cache.folder, cache.origin[3], dict(cache.files))


def _output_files(out: Path, cache: build_cache.BuildCache) -> dict[str, build_cache.Identity]:
    """Every file in ``out`` and its identity (see :func:`stretchsite.cache.output_files`),
    reading only the folders changed since the last build recorded them."""
    record = _output_record(out, cache)
    return recorded_listing(out, record).files if record else build_cache.output_files(out)


def _tree_files(root: Path, published: list[str], *known: dict) -> dict:
    """Every file of the new tree and its identity, without walking it again: a
    written, carried or kept file's identity is known (a kept or hard-linked
    file is the very file found before); the marker and copied static files are
    looked at."""
    files: dict = dict.fromkeys((MARKER, *published))
    for part in known:
        files.update(part)
    return {rel: same or identity(os.path.join(root, rel)) for rel, same in files.items()}


def _store_digests(cache: build_cache.BuildCache, known: dict) -> None:
    """Keep each stretch's digests for page keys with its file in the cache: the next
    build hashes no stretch it reuses."""
    by_stretch = known_of(known)
    for shown, file in cache.current.items():
        hit = by_stretch.get(id(file.stretch))
        if hit is not None and hit[0] is file.stretch and hit[1] != file.fields:
            cache.current[shown] = replace(file, fields=hit[1])


def verified_files(
    out: Path, spare: Listing, recorded: dict[str, build_cache.Identity]
) -> tuple[dict[str, build_cache.Identity], frozenset[str]]:
    """The last build's files still exactly as it recorded them, and which the spare holds.

    The spare shares most files with the output (hard links: one inode, one
    identity), so listing it checks those without walking the output too;
    the output's other files (new in the last build) are looked at one by one.
    """
    in_spare = frozenset(rel for rel, same in spare.files.items() if recorded.get(rel) == same)
    found = {rel: recorded[rel] for rel in in_spare}
    for rel in recorded.keys() - in_spare:
        try:
            now = identity(os.path.join(out, rel))
        except OSError:  # deleted by hand, or something else stands in the way
            continue
        if now == recorded[rel]:
            found[rel] = now
    return found, in_spare


def _keep(warm: WarmState | None, out: Path, cache: build_cache.BuildCache, site) -> None:
    """After a good build: what ``warm`` carries to the next one."""
    if warm is not None:
        warm.keep(out, cache)
        keep_known(warm.known, site.stretches)
        keep_known(warm.heights, site.stretches)


@dataclass(frozen=True)
class Decision:
    """What a build does with each page; see :func:`decide`."""

    carry: tuple[str, ...]  # outputs whose file from the last build is still right
    render: tuple[Page, ...]  # pages to render now
    # Pages listing every other output (the service worker): carried over or
    # rendered once the others are written and their digests known.
    listers: tuple[Page, ...]
    keys: dict[str, str]  # every page's key (a lister's before the version is known)
    digests: dict[str, str]  # known digests of outputs: static files and carried pages
    previous: dict[str, tuple[str, str]]  # the last build's key and digest of each page
    trusted: frozenset[str]  # output files still exactly as the last build wrote them
    untouched: bool  # the output folder already is this build's result: write nothing


def decide(
    pages: tuple[Page, ...],
    keys: dict[str, str],
    static: dict[str, str],
    found: dict[str, build_cache.Identity],
    cache: build_cache.BuildCache,
) -> Decision:
    """Which pages to carry over from the output folder and which to render. Pure.

    ``keys`` holds every page's key, ``pages`` the pages that may be rendered
    (all of them, or a partial plan's: see :mod:`stretchsite.partial`).
    ``static`` is the digest of each static file, ``found`` the identity of
    each file now in the output folder, ``cache`` what the last build recorded.
    """
    previous = cache.outputs
    trusted = frozenset(rel for rel, identity in found.items() if cache.files.get(rel) == identity)
    listers = tuple(p for p in pages if p.lists_outputs)
    listed = {p.output for p in listers}
    others = [rel for rel in keys if rel not in listed]
    kept = [rel for rel in others if unchanged(rel, keys[rel], previous, trusted)]
    carried = set(kept)
    render = tuple(p for p in pages if not p.lists_outputs and p.output not in carried)
    digests = {**static, **{rel: previous[rel][1] for rel in kept}}
    untouched = (
        not render
        and static == cache.static
        and set(previous) == set(keys)
        and found == cache.files
        and _listers_unchanged(listers, keys, digests, previous, trusted)
    )
    return Decision(tuple(kept), render, listers, keys, digests, previous, trusted, untouched)


def _listers_unchanged(
    listers: tuple[Page, ...], keys: dict, digests: dict, previous: dict, trusted: frozenset
) -> bool:
    """Whether every page listing the outputs is still right, if ``digests`` are all of them.

    Hashing every output's name and digest, it is asked last: only of a build
    that renders nothing else."""
    _, version = list_outputs(digests)
    return all(
        unchanged(p.output, lister_key(keys[p.output], version), previous, trusted) for p in listers
    )


@dataclass(frozen=True)
class Written:
    """What :func:`write_pages` wrote; see its fields."""

    keys: dict[str, str]  # every page's final key
    digests: dict[str, str]  # every output's digest
    rendered: int  # pages rendered; the rest were carried over
    # Each page's file identity if known: the very file found in the old tree
    # (hard-linked), or one a worker process looked at once it wrote it; else
    # None: it is new and must be looked at.
    files: dict[str, build_cache.Identity | None]


def write_pages(
    decision: Decision,
    renderer: Renderer,
    out: Path,
    root: Path,
    jobs: int,
    found: dict[str, build_cache.Identity],
    kept: frozenset[str],
    costs: dict[str, float] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Written:
    """Carry over and render the pages ``decision`` says into the staging folder ``root``.

    ``kept`` are the files ``root`` already holds as the last build wrote them;
    ``costs`` (see :func:`render_pages`) is kept by a long-lived process;
    ``meanwhile`` fills in ``decision.keys`` as the pages render (a build that
    renders every page whatever its key), before any key is read.
    """
    made: set[str] = set()
    files = carry_all(out, root, [rel for rel in decision.carry if rel not in kept], found)
    looked: dict[str, build_cache.Identity] = {}
    rendered_now = render_pages(
        renderer, list(decision.render), root, jobs, costs, meanwhile, looked
    )
    digests = {**decision.digests, **rendered_now}
    outputs, version = list_outputs(digests)
    keys = dict(decision.keys)
    rendered = len(decision.render)
    for page in decision.listers:
        keys[page.output] = lister_key(keys[page.output], version)
        if unchanged(page.output, keys[page.output], decision.previous, decision.trusted):
            if page.output in kept:
                files[page.output] = found[page.output]
            else:
                linked = carry_over(out, root, page.output, made)
                files[page.output] = found[page.output] if linked else None
            digests[page.output] = decision.previous[page.output][1]
        else:
            if page.output in kept:  # the spare's copy is stale; never write into it
                os.unlink(os.path.join(root, page.output))
            text = renderer.render(page, outputs=outputs, version=version)
            digests[page.output] = write_page(root, page.output, text)
            files[page.output] = None
            rendered += 1
    files.update(dict.fromkeys(p.output for p in decision.render))
    files.update(looked)
    return Written(keys, digests, rendered, files)


def _nothing_changed(
    cache: build_cache.BuildCache,
    env: str,
    out: Path,
    static: dict[str, str],
    stats: dict[str, os.stat_result],
) -> bool:
    """Whether the last build's inputs and output are all exactly as it left them.

    Checked before the content is loaded: equal inputs make equal pages and
    keys, so a build that would change nothing ends here. The output folder
    is walked last, only when every input is unchanged.
    """
    return (
        bool(cache.outputs)
        and cache.env == env
        and cache.static == static
        and cache.unchanged_since(stats)
        and _output_files(out, cache) == cache.files
    )


def _report(options, pages, static_files, started, rendered, cache) -> BuildReport:
    return BuildReport(
        Path(options.out),  # as the user named it, not the real path behind a symlink
        len(pages),
        static_files,
        time.perf_counter() - started,
        cache.warnings,
        rendered,
        tuple(cache.notes),
    )


def _warnings(
    cache: build_cache.BuildCache, key: str, site, options: BuildOptions, heights: dict | None
) -> None:
    """The printable pages' warnings; estimating card heights is O(stretches), so reuse them."""
    if cache.warnings_key != key:
        cache.warnings = tuple(print_warnings(site, options.site_url, heights))
        cache.warnings_key = key


def unchanged(relative: str, key: str | None, previous: dict, trusted: set[str]) -> bool:
    """Whether the output file is what ``key``'s inputs would produce.

    The last build must have made it from the same inputs, and the file must
    still be the one it wrote (``trusted``): a file replaced or edited since,
    or left by a build killed before its swap, is not trusted.
    """
    old = previous.get(relative)
    return old is not None and key is not None and old[0] == key and relative in trusted


def unchanged_static(
    relative: str,
    static: dict[str, str],
    found: dict[str, build_cache.Identity],
    cache: build_cache.BuildCache,
) -> bool:
    """Whether a static file is the last build's and its copy in the output still as written."""
    recorded = cache.files.get(relative)
    return static[relative] == cache.static.get(relative) and found.get(relative) == recorded


def carry_over(old_root: Path, new_root: Path, relative: str, made: set[str]) -> bool:
    """Hard-link an unchanged file from the previous output into the new one.

    Same inode, so its recorded identity stays valid for the next build;
    returns False when it had to be copied instead (a new identity).
    Plain strings, not Path objects: this runs once per page on every build.
    """
    target = os.path.join(new_root, relative)
    folder = os.path.dirname(target)
    if folder not in made:
        try:  # one system call for the usual case, a new folder in a made one
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        made.add(folder)
    source = os.path.join(old_root, relative)
    try:
        os.link(source, target)
    except OSError:  # another file system, or no hard links: a copy will do
        shutil.copy2(source, target)
        return False
    return True


def carry_all(
    old_root: Path, new_root: Path, relatives: list[str], found: dict[str, build_cache.Identity]
) -> dict[str, build_cache.Identity | None]:
    """Carry files over (see :func:`carry_over`); each one's identity if hard-linked, else None."""
    made: set[str] = set()
    return {
        rel: found[rel] if carry_over(old_root, new_root, rel, made) else None for rel in relatives
    }


def identity(path: str) -> build_cache.Identity:
    """What :func:`stretchsite.cache.output_files` records of one file."""
    info = os.lstat(path)
    return info.st_ino, info.st_mtime_ns, info.st_size


def write_page(root: Path, relative: str, text: str) -> str:
    data = text.encode("utf-8")
    write_file(root, relative, data)
    return hashlib.sha1(data).hexdigest()


# Worker processes inherit the renderer through fork instead of pickling it.
_WORKER: tuple[Renderer, list[Page], Path] | None = None


def _render_one(index: int) -> tuple[str, str, float, dict | None, build_cache.Identity]:
    assert _WORKER is not None
    renderer, pages, root = _WORKER
    page = pages[index]
    started = time.process_time()
    digest = write_page(root, page.output, renderer.render(page))
    # The entries a long-lived process keeps (fragments.py) go back to it.
    made = renderer.fragments.made.pop(page.output, None) if renderer.fragments else None
    # Looked at here, in parallel, not by the parent after every page is written.
    written = identity(os.path.join(root, page.output))
    return page.output, digest, time.process_time() - started, made, written


def render_pages(
    renderer: Renderer,
    pages: list[Page],
    root: Path,
    jobs: int,
    costs: dict[str, float] | None = None,
    meanwhile: Callable[[], None] | None = None,
    looked: dict[str, build_cache.Identity] | None = None,
) -> dict[str, str]:
    """Render and write ``pages``; returns each output's digest.

    ``meanwhile`` is called once, while worker processes render if there are
    any (the parent would only wait for them), else before rendering here.
    Worker processes also look at each file they write: its identity goes
    into ``looked``.

    ``costs``, kept by a long-lived process, holds the CPU seconds each page took
    to render the last time it was: a few pages that took long (a title edit
    re-renders every page listing the stretches) are shared with one forked
    helper by those times (see :func:`render_shared`), and ``costs`` is updated.
    """
    global _WORKER
    workers = jobs or os.cpu_count() or 1
    parallel = workers >= 2 and len(pages) >= PARALLEL_THRESHOLD and _can_fork()
    if meanwhile is not None and not parallel:
        meanwhile()
    if costs is not None and workers >= 2 and len(pages) < PARALLEL_THRESHOLD:
        return render_shared(renderer, pages, root, costs)
    # Small builds never start workers, nor import multiprocessing (`and` stops first).
    if not parallel:
        return {p.output: write_page(root, p.output, renderer.render(p)) for p in pages}
    import multiprocessing

    _WORKER = (renderer, pages, root)
    pool = None
    try:
        with deaf_to_ctrl_c():  # Ctrl-C stops the workers from here
            pool = multiprocessing.get_context("fork").Pool(workers)
        # Pages that read every stretch (the home page, the printouts) take
        # longest: handed out first, and in small chunks after them, so no
        # worker is left with a long last chunk while the others wait.
        order = sorted(range(len(pages)), key=lambda i: pages[i].reads.stretches is not None)
        chunk = max(1, len(pages) // (workers * 32))
        digests = {}
        rendered = pool.imap_unordered(_render_one, order, chunksize=chunk)  # under way now
        if meanwhile is not None:
            meanwhile()
        for output, digest, seconds, made, written in rendered:
            digests[output] = digest
            if looked is not None:
                looked[output] = written
            if costs is not None:
                costs[output] = seconds
            if made is not None and renderer.fragments is not None:
                renderer.fragments.adopt(output, made)
        return digests
    finally:
        if pool is not None:
            pool.terminate()
        _WORKER = None


# A share of known cost under this many seconds is not worth forking a helper for.
SHARE_SECONDS = 0.03


def render_shared(
    renderer: Renderer, pages: list[Page], root: Path, costs: dict[str, float]
) -> dict[str, str]:
    """Render ``pages`` in two processes, split by their ``costs``; update ``costs``.

    A page not timed before counts as cheap. The helper is forked from this
    process, so it renders from exactly the same state. If either process
    fails, everything is rendered again here, in order, so a template error
    is reported exactly as a serial build reports it.
    """
    ours: list[Page] = []
    theirs: list[Page] = []
    loads = [0.0, 0.0]
    for page in sorted(pages, key=lambda p: -costs.get(p.output, 0.0)):
        lighter = 0 if loads[0] <= loads[1] else 1
        (ours, theirs)[lighter].append(page)
        loads[lighter] += costs.get(page.output, 0.0)
    if min(loads) < SHARE_SECONDS:
        return _render_timed(renderer, pages, root, costs)

    def their_share() -> tuple[dict[str, str], dict[str, float], dict]:
        their_costs: dict[str, float] = {}
        digests = _render_timed(renderer, theirs, root, their_costs)
        # What the parent keeps for the next build (see fragments.py).
        made = renderer.fragments.made if renderer.fragments is not None else {}
        return digests, their_costs, made

    with forked(their_share) as helped:
        try:
            mine = _render_timed(renderer, ours, root, costs)
        except Exception:
            mine = None
        theirs_done = helped()
    if mine is None or theirs_done is None:
        return _render_timed(renderer, pages, root, costs)  # raises as a serial build does
    digests, their_costs, made = theirs_done
    costs.update(their_costs)
    if renderer.fragments is not None:
        for output, change in made.items():
            renderer.fragments.adopt(output, change)
    return {**mine, **digests}


def _render_timed(
    renderer: Renderer, pages: list[Page], root: Path, costs: dict[str, float]
) -> dict[str, str]:
    """Render and write ``pages`` here, one after the other, noting each one's CPU seconds.

    CPU time, not wall time: on a busy machine a page waits for the processor,
    which a helper process would not make faster.
    """
    digests = {}
    for page in pages:
        started = time.process_time()
        digests[page.output] = write_page(root, page.output, renderer.render(page))
        costs[page.output] = time.process_time() - started
    return digests


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def list_outputs(digests: dict[str, str]) -> tuple[list[str], str]:
    """URLs (relative to the site's base) of every file written so far, and a hash of them.

    A folder's `index.html` is listed as the folder (`timer/`), which is the URL
    people visit. The hash changes whenever any file's name or content does, so
    a service worker built from it gets a fresh cache name on every change.
    """
    digest = hashlib.sha256()
    urls = []
    for relative in sorted(digests):
        digest.update(relative.encode() + b"\0" + digests[relative].encode() + b"\0")
        if relative == "index.html":
            urls.append("./")
        elif relative.endswith("/index.html"):
            urls.append(relative[: -len("index.html")])
        else:
            urls.append(relative)
    return urls, digest.hexdigest()[:16]


__all__ = ["BuildOptions", "BuildReport", "build_site", "normalise_base"]
