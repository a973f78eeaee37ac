"""Development server: build, serve the output and rebuild on every change.

livereload serves the files and keeps a websocket open to each browser tab.
Watching is done here rather than by livereload's own watcher, because that
one polls every 800 ms, runs the rebuild once per changed folder and skips
the browser reload when two saves come within three seconds of each other.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from .content import ContentErrors
from .generator import BuildOptions, build_site

Snapshot = dict[str, tuple[int, int]]


def snapshot(folders: Iterable[Path]) -> Snapshot:
    """(mtime, size) of every file under ``folders``; cheap enough to poll."""
    state: Snapshot = {}
    stack = [str(f) for f in folders]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # a folder that vanished between two polls
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    info = entry.stat()
                    state[entry.path] = (info.st_mtime_ns, info.st_size)
            except OSError:
                continue
    return state


def rebuild(options: BuildOptions) -> list[str]:
    """Build once; return the problems instead of raising (empty when it worked)."""
    try:
        report = build_site(options)
    except ContentErrors as exc:
        problems = [str(error) for error in exc.errors]
    except Exception as exc:  # a template typo must not kill the server
        problems = [f"{type(exc).__name__}: {exc}"]
    else:
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        for note in report.notes:
            print(f"note: {note}", file=sys.stderr)
        print(report.summary(), flush=True)
        return []
    print("Build failed; still serving the last good site:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr, flush=True)
    return problems


@dataclass
class ChangeBatcher:
    """Coalesces a burst of saves into few rebuilds.

    A rebuild starts once the files have been quiet for one poll, or at the
    latest ``max_wait`` seconds after the first unsaved change, so a long burst
    still shows progress.
    """

    folders: tuple[Path, ...]
    on_change: Callable[[], None]
    max_wait: float = 1.0
    state: Snapshot | None = None
    pending_since: float | None = None
    last_scan: float = 0.0
    rebuilds: int = 0

    def poll(self) -> None:
        started = time.perf_counter()
        current = snapshot(self.folders)
        self.last_scan = time.perf_counter() - started
        if self.state is None:
            self.state = current
            return
        changed = current != self.state
        self.state = current
        now = time.monotonic()
        if changed and self.pending_since is None:
            self.pending_since = now
        if self.pending_since is None:
            return
        if changed and now - self.pending_since < self.max_wait:
            return  # still saving: wait for a quiet poll
        self.pending_since = None
        self.rebuilds += 1
        self.on_change()


def is_inside(root: str | Path, candidate: str | Path) -> bool:
    """Whether ``candidate``, with every symlink and ``..`` resolved, lies under ``root``."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(candidate)
    return os.path.commonpath([real_root, real]) == real_root


def reload_script_tag(port: int) -> bytes:
    """The live-reload client as a same-origin script file.

    livereload's own snippet is inline code, which the pages' Content-Security-
    Policy blocks; an external file from the same origin is allowed. The client
    finds the host in its own URL, and the port in ``?port=`` (needed on port 80).
    """
    return f'<script src="/livereload.js?port={int(port)}"></script>'.encode()


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the site with live reload until interrupted."""
    # Imported here: a plain `build` does not need the server's dependencies.
    from livereload import Server
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
    from livereload.watcher import Watcher
    from tornado import ioloop, web

    options = replace(options, out=Path(options.out).absolute())
    rebuild(options)

    def after_change() -> None:
        problems = rebuild(options)
        if problems:
            _send_all(LiveReloadHandler, {"command": "alert", "message": _alert(problems)})
        else:
            LiveReloadHandler.reload_waiters(path="*")

    batcher = ChangeBatcher((options.content, options.templates, options.static), after_change)

    class PollingWatcher(Watcher):
        def start(self, callback) -> bool:  # our own loop; livereload must not poll
            def tick() -> None:
                batcher.poll()
                # Poll often on small sites, back off when a scan gets expensive.
                delay = max(0.025, batcher.last_scan * 4)
                loop.call_later(delay, tick)

            loop = ioloop.IOLoop.current()
            loop.add_callback(tick)
            return True

    class OutputOnlyHandler(StaticFileHandler):
        """Serves files inside the output folder and nothing else.

        Tornado refuses `..` and absolute paths itself, and recent versions
        also symlinks that point out; checked here too, whatever the version.
        """

        def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
            if not is_inside(root, absolute_path):
                raise web.HTTPError(403)
            return super().validate_absolute_path(root, absolute_path)

    class SameOriginReloadHandler(LiveReloadHandler):
        # livereload accepts any origin: any web page open in the same browser
        # could connect and read the build errors it sends.
        def check_origin(self, origin: str) -> bool:
            return urlsplit(origin).netloc == self.request.host

    class InjectReloadScript(web.OutputTransform):
        def transform_first_chunk(self, status_code, headers, chunk, finishing):
            tag = reload_script_tag(port)
            if "html" in headers.get("Content-Type", "") and b"</head>" in chunk:
                chunk = chunk.replace(b"</head>", tag + b"</head>", 1)
                if "Content-Length" in headers:
                    headers["Content-Length"] = str(int(headers["Content-Length"]) + len(tag))
            return status_code, headers, chunk

    class SiteServer(Server):
        def application(self, port, host, liveport=None, debug=None, live_css=True) -> None:
            # livereload's own application, less its inline script and its
            # /forcereload endpoint, serving the site under its base path.
            LiveReloadHandler.watcher = self.watcher
            LiveReloadHandler.live_css = live_css
            base = options.base_url
            handlers = [
                (r"/livereload", SameOriginReloadHandler),
                (r"/livereload.js", LiveReloadJSHandler),
                (
                    re.escape(base) + r"(.*)",
                    OutputOnlyHandler,
                    {"path": str(options.out), "default_filename": "index.html"},
                ),
            ]
            if base != "/":
                handlers.append((r"/", web.RedirectHandler, {"url": base}))
            app = web.Application(handlers=handlers, transforms=[InjectReloadScript])
            app.listen(port, address=host)

    server = SiteServer(watcher=PollingWatcher())
    server.watcher.watch(str(options.content))  # anything, so livereload skips its cwd default
    print(f"Serving {options.out} at http://{host}:{port}{options.base_url}", flush=True)
    server.serve(host=host, port=port, root=str(options.out), open_url_delay=None)


def _alert(problems: list[str]) -> str:
    shown = problems[:8]
    more = len(problems) - len(shown)
    tail = [f"... and {more} more (see the terminal)"] if more else []
    return "Build failed; this page shows the last good site.\n\n" + "\n".join(shown + tail)


def _send_all(handler, message: dict) -> None:
    for waiter in list(handler.waiters):
        try:
            waiter.write_message(message)
        except Exception:
            handler.waiters.discard(waiter)
