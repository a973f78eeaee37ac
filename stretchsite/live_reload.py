"""livereload behind one small adapter: its browser client and its websocket protocol.

The only module that imports livereload. The dev server (serve.py) gets from
here the routes for the client script and the socket, the tag that loads the
client, and one call that tells every open tab to reload a path. Nothing else
of livereload is used: not its server (it injects inline code, which the
site's Content-Security-Policy blocks, and answers any origin), not its
watcher (see watch.py), not its logging.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler

Tab = LiveReloadHandler  # one open page's socket

CLIENT_URL = "/livereload.js"  # the client looks for its socket at /livereload, same host
SOCKET_URL = "/livereload"

# livereload logs every connection and reload at INFO; the terminal is the author's.
logging.getLogger("livereload").addHandler(logging.NullHandler())
logging.getLogger("livereload").propagate = False


def client_tag(port: int) -> str:
    """The tag that loads the client as a same-origin file (no inline code).

    The client finds the host in its own URL, and the port in ``?port=``
    (needed when the page is on port 80, where the URL names none).
    """
    return f'<script src="{CLIENT_URL}?port={int(port)}"></script>'


def routes(guard: type, on_connect: Callable[[Tab], None]) -> list[tuple[str, type]]:
    """Tornado routes for the client and the socket, each checked by ``guard`` first.

    ``guard`` is a mixin whose ``prepare`` refuses a request and whose
    ``check_origin`` decides which pages may open the socket. ``on_connect``
    is called with each tab once it is listening for reloads: a build that
    finished while its page was loading reached no socket, so the tab may
    need telling (see :func:`reload_tab`).
    """

    def on_message(self, message: str | bytes) -> None:
        listening = self in LiveReloadHandler.waiters
        LiveReloadHandler.on_message(self, message)
        if not listening and self in LiveReloadHandler.waiters:
            on_connect(self)

    socket = type("ReloadSocket", (guard, LiveReloadHandler), {"on_message": on_message})
    client = type("ReloadClient", (guard, LiveReloadJSHandler), {})
    return [(SOCKET_URL, socket), (CLIENT_URL, client)]


def reload_tab(tab: Tab, path: str) -> None:
    """Tell one tab that ``path`` changed."""
    tab.write_message(_reload(path))


def _reload(path: str) -> dict:
    return {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}


def reload_tabs(path: str = "*") -> int:
    """Tell every connected tab that ``path`` changed ("*": the whole site); returns how many.

    The client reloads the page, unless a plugin on the page takes the path
    (the error overlay takes its own problems file).
    """
    message = _reload(path)
    sent = 0
    for tab in list(LiveReloadHandler.waiters):
        try:
            tab.write_message(message)
            sent += 1
        except Exception:  # a tab closed mid-send: it reconnects on its next load
            LiveReloadHandler.waiters.discard(tab)
    return sent
