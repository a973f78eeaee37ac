"""The dev server: build, serve the output, rebuild on every save, show errors in the browser.

It serves the output folder and nothing else, to loopback names and the
``--host`` given only (a page on a DNS-rebinding domain gets 403), and adds
two same-origin scripts to every HTML page: livereload's client (live_reload.py)
and the error overlay (dev_overlay/), which shows a failed build's problems,
each naming its file and line, over the page until a build succeeds. The
terminal gets one line per build, the problems, and each warning once.
"""

from __future__ import annotations

import errno
import gc
import ipaddress
import json
import logging
import os
import re
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from tornado import httpserver, ioloop, netutil, web

from . import guard, live_reload
from .generator import BuildOptions, BuildReport, build_site
from .output import make_spare
from .problems import Problem, fixable_by_editing, problems_of
from .routes import ROUTES
from .warm import WarmState
from .watch import QUIET_EVENTS, ChangeBatcher, FolderEvents

# Seconds after a rebuild before Python's cycle collector runs again (see _watch).
COLLECT_AFTER = 1.0
DEV_URL = "/__dev/"  # the dev server's own files; never part of a build
OVERLAY = Path(__file__).with_name("dev_overlay")
PROBLEMS_URL = DEV_URL + "problems.json"
LOOPBACK_NAMES = ("localhost", "localhost.localdomain")
WILDCARDS = ("", "0.0.0.0", "::")


class ServeError(Exception):
    """The server cannot start; the message is one line saying why and what to do."""


@dataclass
class Terminal:
    """What the author sees in the terminal: one line per build, problems, each warning once."""

    quiet: bool = False
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    warned: set[str] = field(default_factory=set)

    def say(self, line: str) -> None:
        """A line of progress; --quiet drops it."""
        if not self.quiet:
            print(line, file=self.out, flush=True)

    def built(self, report: BuildReport) -> None:
        """A good build: its one line, after any warning or note not yet shown this session."""
        lines = [f"warning: {w}" for w in report.warnings] + [f"note: {n}" for n in report.notes]
        for line in lines:
            if line not in self.warned and not self.quiet:
                print(line, file=self.err, flush=True)
            self.warned.add(line)
        self.say(f"{_now()} {report.summary()}")

    def failed(self, headline: str, problems: list[Problem]) -> None:
        """A failed build: the verdict and one `path:line: message` per problem, always shown."""
        lines = [f"{_now()} {headline}", *(str(p) for p in problems)]
        print("\n".join(lines), file=self.err, flush=True)


@dataclass
class DevSite:
    """The output folder and the outcome of the latest build."""

    options: BuildOptions
    terminal: Terminal
    problems: list[Problem] = field(default_factory=list)
    built_at: str = ""  # time of this session's last good build; "" before the first
    generation: int = 0  # good builds this session: a page served at N is stale after N
    warm: WarmState = field(default_factory=WarmState)  # carried from build to build

    def rebuild(self, first: bool = False) -> bool:
        """Build once; on failure keep the problems (the server must survive anything).

        The first build raises ServeError for what no save can fix (an output
        folder the build refuses, a missing input folder): serving would only
        show the same error until a restart.
        """
        try:
            report = build_site(self.options, warm=self.warm)
        except Exception as exc:
            if first and not fixable_by_editing(exc):
                raise ServeError(str(exc) or type(exc).__name__) from None
            self.problems = problems_of(exc, self.options.templates)
            self.terminal.failed(self.headline(), self.problems)
            return False
        self.problems = []
        self.built_at = _now()
        self.generation += 1
        self.terminal.built(report)
        return True

    def make_spare(self) -> None:
        """Ready the output's spare before the first save (see :func:`output.make_spare`);
        only ever saves time, so any failure is ignored."""
        out = Path(os.path.realpath(self.options.out))
        try:
            with guard.build_lock(out):
                make_spare(out)
        except OSError:
            pass

    def has_site(self) -> bool:
        """Whether there is a site to serve: built this session, or left by an earlier one."""
        return (Path(self.options.out) / "index.html").is_file()

    def headline(self) -> str:
        """The one-line verdict on a failed build, shared by the terminal and the overlay."""
        count = len(self.problems)
        failed = f"Build failed: {count} problem{'s' if count != 1 else ''}"
        if self.built_at:
            return f"{failed}; still serving the site built at {self.built_at}"
        if self.has_site():
            return f"{failed}; serving the site left in {self.options.out} by an earlier build"
        return f"{failed}; nothing to serve until it is fixed"

    def state(self) -> dict:
        """What the overlay shows, as JSON-able data."""
        return {
            "build": self.generation,
            "headline": self.headline() if self.problems else "",
            "problems": [
                {"where": p.where, "message": p.message, "text": str(p)} for p in self.problems
            ],
        }


def host_allowed(name: str, bound: str) -> bool:
    """Whether a request's Host name may reach this server (a DNS-rebinding defence).

    Loopback names and addresses, and the ``--host`` given. When bound to every
    interface, any IP address too: a rebinding attack needs a domain name,
    and a LAN address is how a phone on the same network reaches the server.
    """
    name = name.lower().rstrip(".").removeprefix("[").removesuffix("]")
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    if name == bound.lower().removeprefix("[").removesuffix("]"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or bound in WILDCARDS


def listen(host: str, port: int) -> list[socket.socket]:
    """Bound listening sockets, or a ServeError saying in one line why not."""
    if not 0 <= port <= 65535:
        raise ServeError(f"--port {port} is not a port number; pick one from 1024 to 65535")
    try:
        return netutil.bind_sockets(port, address=host or None)
    except socket.gaierror:
        raise ServeError(
            f"--host {host!r} is not an address or a name this machine can resolve; "
            "use 127.0.0.1 (this machine only) or 0.0.0.0 (every network)"
        ) from None
    except OSError as exc:
        raise ServeError(_listen_failure(host, port, exc)) from None


def _listen_failure(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} is already in use (another `build.py serve`?); "
            f"stop it or pick another port, e.g. --port {port + 1 if port < 65535 else 8001}"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"--host {host} is not an address of this machine; "
            "use 127.0.0.1 (this machine only) or 0.0.0.0 (every network)"
        )
    if exc.errno == errno.EACCES:
        return f"port {port} needs administrator rights; pick a port from 1024 to 65535"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def serve(
    options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False
) -> None:
    """Serve the site with live reload until interrupted (Ctrl-C ends it quietly).

    Raises ServeError, before building anything, if it cannot listen.
    """
    sockets = listen(host, port)
    port = sockets[0].getsockname()[1]  # the real one, when asked for port 0
    _quiet_logs()
    terminal = Terminal(quiet)
    site = DevSite(replace(options, out=Path(options.out).absolute()), terminal)
    server = None
    events = None
    try:
        site.rebuild(first=True)
        server = httpserver.HTTPServer(application(site, host, port))
        server.add_sockets(sockets)
        events = _watch(site, ioloop.IOLoop.current())
        ioloop.IOLoop.current().add_callback(site.make_spare)  # while waiting for a save
        terminal.say(f"Serving {_url(host, port, options.base_url)} (Ctrl-C to stop)")
        ioloop.IOLoop.current().start()
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a dev server is meant to end: no traceback, no noise
    finally:
        if server is not None:
            server.stop()
        for sock in sockets:
            sock.close()
        if events is not None:
            ioloop.IOLoop.current().remove_handler(events.fd)
            events.close()


def _watch(site: DevSite, loop: ioloop.IOLoop) -> FolderEvents | None:
    """Scan the inputs when the file system reports a write, and at a steady pace; after
    each rebuild, reload the tabs or show them the problems. Returns the reports'
    source, to close (None where there is none: scans at a steady pace only)."""

    collector: object | None = None  # when Python's cycle collector resumes

    def after_change() -> None:
        # A build leaves ~10,000 objects for the collector (5-7 ms at 2,000
        # stretches, now and then a full pass of 30 ms): held off until the
        # server has been idle a while, not paid while the browser reloads.
        nonlocal collector
        if collector is not None:
            loop.remove_timeout(collector)
        gc.disable()
        try:
            if site.rebuild():
                live_reload.reload_tabs("*")
            else:
                live_reload.reload_tabs(PROBLEMS_URL)  # the overlay takes this path; no reload
        finally:
            collector = loop.call_later(COLLECT_AFTER, gc.enable)

    options = site.options
    batcher = ChangeBatcher((options.content, options.templates, options.static), after_change)
    events = FolderEvents.open()
    timer: object | None = None

    def poll_in(delay: float) -> None:
        nonlocal timer
        if timer is not None:
            loop.remove_timeout(timer)
        timer = loop.call_later(delay, tick)

    def tick() -> None:
        nonlocal timer
        timer = None
        try:
            if events is not None and still_writing(events):
                return
            batcher.poll(settled=events is not None and events.settled())
            if events is not None:
                events.scanned()
                events.follow(batcher.scanned)
        finally:
            if timer is None:
                poll_in(batcher.next_delay(reported=events is not None))

    def still_writing(events: FolderEvents) -> bool:
        """Wait for the writes reported to stop, up to ``max_wait`` after the first."""
        events.drain()
        if events.last is None or events.settled():
            return False
        if batcher.overdue() or events.clock() - events.first >= batcher.max_wait:  # type: ignore[operator]
            return False
        poll_in(QUIET_EVENTS)
        return True

    def reported(fd: int, mask: int) -> None:
        if events is not None and events.drain():
            poll_in(QUIET_EVENTS)  # each new report pushes the scan back

    if events is not None:
        loop.add_handler(events.fd, reported, loop.READ)
    loop.add_callback(tick)
    return events


def application(site: DevSite, host: str, port: int) -> web.Application:
    """The dev server's routes: the site under its base path, the reload socket, the overlay."""
    guard = type("Guard", (HostGuard,), {"bound_host": host})

    def guarded(handler: type) -> type:
        return type(handler.__name__, (guard, handler), {})

    base = site.options.base_url
    handlers: list = [
        # A tab that connects checks its page against the latest build (the overlay does it).
        *live_reload.routes(guard, lambda tab: live_reload.reload_tab(tab, PROBLEMS_URL)),
        (PROBLEMS_URL, guarded(ProblemsHandler), {"site": site}),
        (DEV_URL + r"(overlay\.(?:js|css))", guarded(OverlayHandler), {"path": str(OVERLAY)}),
        (re.escape(base) + r"(.*)", guarded(SiteHandler), {"site": site}),
    ]
    if base != "/":
        handlers.append((r"/", guarded(web.RedirectHandler), {"url": base}))
    return web.Application(
        handlers,
        transforms=[_injector(lambda: dev_tags(port, site.generation))],
        log_function=lambda handler: None,  # no web-server chatter in the terminal
        default_handler_class=guarded(web.ErrorHandler),
        default_handler_args={"status_code": 404},
    )


class HostGuard:
    """Mixin for every handler: refuses a request whose Host is not this server.

    Subclassed per server with ``bound_host``, the ``--host`` given.
    """

    bound_host = "127.0.0.1"

    def prepare(self) -> None:
        if not host_allowed(self.request.host_name, self.bound_host):
            self.set_status(403, reason="Host not allowed")
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(
                "This dev server answers only to localhost, loopback addresses and its "
                "--host: open it at one of those.\n"
            )
            return
        super().prepare()

    def check_origin(self, origin: str) -> bool:
        """Only pages of this server may open the reload socket."""
        return urlsplit(origin).netloc == self.request.host

    def log_exception(self, typ, value, tb) -> None:
        if not isinstance(value, web.HTTPError):  # a bug here, not a bad request: one line
            line = f"dev server: {self.request.method} {self.request.path}: {value!r}"
            print(line, file=sys.stderr, flush=True)


class ProblemsHandler(web.RequestHandler):
    """The latest build's problems, for the overlay."""

    def initialize(self, site: DevSite) -> None:
        self.site = site

    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.write(json.dumps(self.site.state()))


class OverlayHandler(web.StaticFileHandler):
    """The overlay's script and styles, from the package (never from a build)."""

    def compute_etag(self) -> None:
        return None


class SiteHandler(web.StaticFileHandler):
    """Serves files inside the output folder and nothing else, never cached.

    Misses get the site's own 404 page, as on GitHub Pages; before any good
    build there is a page that says so, with the overlay showing why.
    """

    def initialize(self, site: DevSite) -> None:
        super().initialize(str(site.options.out), default_filename="index.html")
        self.site = site

    def prepare(self) -> None:
        super().prepare()
        if not self.site.has_site():
            raise web.HTTPError(503, reason="No site yet")

    def parse_url_path(self, url_path: str) -> str:
        # A NUL or other control character can name no file; os calls raise on NUL.
        if any(ord(c) < 32 or ord(c) == 127 for c in url_path):
            raise web.HTTPError(400, reason="Malformed path")
        if url_path == ROUTES.service_worker:
            # The offline copy is the published site's: here every build would make
            # each open tab download the whole site again (thousands of requests on
            # a large site) while the author waits for the next reload.
            raise web.HTTPError(404, reason="No service worker in the dev server")
        return super().parse_url_path(url_path)

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        if not is_inside(root, absolute_path):
            raise web.HTTPError(403)
        try:
            return super().validate_absolute_path(root, absolute_path)
        except OSError as exc:  # e.g. a name too long for the file system
            raise web.HTTPError(404) from exc

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    def compute_etag(self) -> None:
        return None  # Tornado caches a file's hash by path: a rebuilt page would look unchanged

    def should_return_304(self) -> bool:
        return False

    def write_error(self, status_code: int, **kwargs) -> None:
        page = {404: Path(self.root) / "404.html", 503: OVERLAY / "waiting.html"}.get(status_code)
        if page is not None and page.is_file():
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(page.read_bytes())
        else:
            super().write_error(status_code, **kwargs)


def is_inside(root: str | Path, candidate: str | Path) -> bool:
    """Whether ``candidate``, with every symlink and ``..`` resolved, lies under ``root``."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(candidate)
    return os.path.commonpath([real_root, real]) == real_root


def dev_tags(port: int, generation: int) -> bytes:
    """The reload client and the overlay, for a page served from good build ``generation``."""
    overlay = f'<script type="module" src="{DEV_URL}overlay.js?build={generation}"></script>'
    return (live_reload.client_tag(port) + overlay).encode()


def _injector(current_tags: Callable[[], bytes]) -> type:
    class InjectDevScripts(web.OutputTransform):
        """Adds the reload client and the overlay to every HTML page, just before </head>."""

        def transform_first_chunk(self, status_code, headers, chunk, finishing):
            if "html" in headers.get("Content-Type", "") and b"</head>" in chunk:
                tags = current_tags()
                chunk = chunk.replace(b"</head>", tags + b"</head>", 1)
                if "Content-Length" in headers:
                    headers["Content-Length"] = str(int(headers["Content-Length"]) + len(tags))
            return status_code, headers, chunk

    return InjectDevScripts


class _OneLine(logging.Handler):
    """Tornado's errors as one line each: a traceback is for the server's authors."""

    def emit(self, record: logging.LogRecord) -> None:
        first = record.getMessage().splitlines()[0] if record.getMessage() else ""
        detail = f": {record.exc_info[1]!r}" if record.exc_info else ""
        print(f"dev server: {first}{detail}", file=sys.stderr, flush=True)


def _quiet_logs() -> None:
    for name in ("tornado.access", "tornado.application", "tornado.general"):
        logger = logging.getLogger(name)
        logger.handlers = [_OneLine(level=logging.ERROR)]
        logger.propagate = False


def _url(host: str, port: int, base: str) -> str:
    shown = "localhost" if host in WILDCARDS else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}{base}"


def _now() -> str:
    return time.strftime("%H:%M:%S")
