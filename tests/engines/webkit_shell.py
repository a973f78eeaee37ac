#!/usr/bin/python3
"""A bare WebKitGTK window for WebKitWebDriver: the web view and nothing else.

WebKitWebDriver starts this (with ``--automation``) in place of MiniBrowser,
whose toolbar keeps its window at least 447 px wide, so a 390 px phone layout
could not be measured. Run by Debian's /usr/bin/python3 with python3-gi and
gir1.2-webkit2-4.1 (tools/ensure_tools.py installs both).

A script given in $WEBKIT_SHELL_PROBE runs at the start of every page, before
the page's own scripts and outside its Content-Security-Policy (as a user
script), so the tests can record errors and policy violations from the first
moment without changing a byte of the page.
"""

import os
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2  # noqa: E402

WIDTH, HEIGHT = 390, 844  # the size of a first window; tests set their own


def user_content() -> WebKit2.UserContentManager:
    manager = WebKit2.UserContentManager()
    probe = os.environ.get("WEBKIT_SHELL_PROBE")
    if probe:
        with open(probe, encoding="utf-8") as file:
            source = file.read()
        manager.add_script(
            WebKit2.UserScript(
                source,
                WebKit2.UserContentInjectedFrames.TOP_FRAME,
                WebKit2.UserScriptInjectionTime.START,
                None,
                None,
            )
        )
    return manager


def quit_after_last_window(_window: Gtk.Window) -> None:
    # WebKitWebDriver closes every window when its session ends and then waits
    # for the browser to exit, as MiniBrowser does after its last window.
    if not any(w.get_visible() for w in Gtk.Window.list_toplevels()):
        Gtk.main_quit()


def new_window(context: WebKit2.WebContext) -> WebKit2.WebView:
    view = WebKit2.WebView(
        web_context=context,
        is_controlled_by_automation=True,
        user_content_manager=user_content(),
    )
    window = Gtk.Window()
    window.set_default_size(WIDTH, HEIGHT)
    window.add(view)
    view.connect("close", lambda _view: window.destroy())
    window.connect("destroy", quit_after_last_window)
    window.show_all()
    return view


def main() -> int:
    if "--automation" not in sys.argv:
        print("webkit_shell.py only runs under WebKitWebDriver (--automation)", file=sys.stderr)
        return 2
    Gtk.init(None)
    context = WebKit2.WebContext.get_default()
    context.set_automation_allowed(True)
    context.connect(
        "automation-started",
        lambda _ctx, session: session.connect("create-web-view", lambda _s: new_window(context)),
    )
    Gtk.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
