"""Serve a built site on 127.0.0.1 the way GitHub Pages serves a project site.

Used by the tests, the Lighthouse audit and the screenshot tool: the folder is
served under a path prefix (`/REPO/`), and misses can get the site's 404.html.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"
    not_found_page = False  # answer misses with 404.html, as GitHub Pages does

    def log_message(self, *args) -> None:
        pass

    def translate_path(self, path: str) -> str:
        # Serve the folder under `prefix` only, as GitHub Pages serves a project site.
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code, message=None, explain=None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not self.not_found_page or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A browser that drops a connection mid-answer (it navigated on) is no
        # error of the site's; anything else is still printed.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve_folder(
    folder: Path, prefix: str = "/", not_found_page: bool = False
) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``folder`` on 127.0.0.1 under ``prefix``; returns (server, base URL).

    With ``not_found_page``, a missing file is answered with the site's 404.html
    and status 404, the way GitHub Pages does.
    """
    handler = type("Handler", (_Handler,), {"prefix": prefix, "not_found_page": not_found_page})
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}{prefix}"


@contextmanager
def served(folder: Path, prefix: str = "/", not_found_page: bool = False) -> Iterator[str]:
    """:func:`serve_folder` for a ``with`` block: yields the base URL, then stops the
    server and closes its listening socket."""
    server, base = serve_folder(folder, prefix, not_found_page)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
