#!/usr/bin/env python3
"""Build the stretching routine site, or serve it with live reload.

python build.py                   # build into dist/
python build.py --base-url /repo/ # for a GitHub Pages project site
python build.py serve --port 8000 # build, serve and rebuild on change
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import os
import sys
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit


def site_url_arg(value: str) -> str:
    """Accept only a full http(s) address, so canonical URLs and the sitemap are absolute."""
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a full address; write it like https://USER.github.io/REPO/"
        )
    if parts.query or parts.fragment:
        raise argparse.ArgumentTypeError(f"{value!r}: leave out ?query and #fragment")
    return value


class OneLineParser(argparse.ArgumentParser):
    """Reports a mistyped option in one line and exits 1, like every other failure."""

    def error(self, message: str) -> NoReturn:
        self.exit(1, f"{self.prog}: {message} (see {self.prog} --help)\n")


def port_arg(value: str) -> int:
    """A TCP port number; 0 picks a free one."""
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0 to 65535)")
    return int(value)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = OneLineParser(
        prog="build.py", description="Build the post-run stretching site from content/."
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=("build", "serve"),
        default="build",
        help="build once (default) or serve with live reload",
    )
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    parser.add_argument("--templates", type=Path, default=Path("templates"), help="templates")
    parser.add_argument("--static", type=Path, default=Path("static"), help="static assets")
    parser.add_argument("--out", type=Path, default=Path("dist"), help="output folder")
    parser.add_argument(
        "--base-url",
        default=None,
        help="path the site is served under, e.g. /repo/ for a GitHub Pages project site "
        "(default: the path of --site-url, else /)",
    )
    parser.add_argument(
        "--site-url",
        default="",
        type=site_url_arg,
        help="full published address, e.g. https://USER.github.io/repo/; "
        "used for canonical links, the sitemap and QR codes, and sets the base path "
        "(without it no sitemap.xml is written: its URLs must be absolute)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="serve: address to bind")
    parser.add_argument(
        "--port", type=port_arg, default=8000, help="serve: port (0: any free port)"
    )
    parser.add_argument(
        "--jobs", type=int, default=0, help="worker processes for large builds (default: cores)"
    )
    parser.add_argument(
        "--no-cache",
        dest="incremental",
        action="store_false",
        help="render every page, ignoring and not writing the build cache",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    return parser.parse_args(argv)


def base_path_of(site_url: str) -> str:
    """`https://user.github.io/repo/` -> `/repo/`; no site URL -> `/`."""
    return urlsplit(site_url).path or "/"


def main(argv: list[str] | None = None, ends_process: bool = False) -> int:
    """Run the command line ``argv``; its exit status.

    ``ends_process``: the process ends when this returns (see :func:`end`).
    """
    args = parse_args(argv)
    # Imported here, inside the Ctrl-C handling below: loading them takes a
    # noticeable moment, and an interrupt then must not print a traceback.
    from stretchsite.content import ContentErrors
    from stretchsite.errors import BuildError
    from stretchsite.generator import BuildOptions, build_site

    options = BuildOptions(
        content=args.content,
        templates=args.templates,
        static=args.static,
        out=args.out,
        base_url=args.base_url if args.base_url is not None else base_path_of(args.site_url),
        site_url=args.site_url,
        jobs=args.jobs,
        incremental=args.incremental,
    )
    if args.command == "serve":
        from stretchsite.serve import ServeError, serve

        try:
            serve(options, host=args.host, port=args.port, quiet=args.quiet)
        except ServeError as exc:
            print(f"build.py serve: {exc}", file=sys.stderr)
            return 1
        return 0

    def waiting() -> None:
        if not args.quiet:
            print(f"Waiting for another build of {args.out} to finish...", file=sys.stderr)

    if ends_process:
        # Nothing the build makes is freed before the process ends (see end):
        # a collection walking it afterwards would only cost time (86 ms at
        # 10,000 stretches), so none runs.
        gc.disable()
    try:
        report = build_site(options, on_wait=waiting)
    except ContentErrors as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        count = len(exc.errors)
        print(
            f"Build stopped: {count} problem{'s' if count != 1 else ''} in the content; "
            f"{args.out} was not changed.",
            file=sys.stderr,
        )
        return 1
    except BuildError as exc:
        print(f"Build stopped: {exc}; {args.out} was not changed.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"Build interrupted; {args.out} holds the last complete site.", file=sys.stderr)
        return 1
    if not args.quiet:  # --quiet: errors only
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        for note in report.notes:
            print(f"note: {note}", file=sys.stderr)
        print(report.summary())
    return 0


def end(code: int) -> NoReturn:
    """Exit with ``code``, without Python's teardown of what the process made.

    When a build returns, its files are written and closed and its helper
    processes have ended: what is left is memory, which the system takes
    back at once. Python would first free it object by object (a collection
    through the site the build made, then every module): 40 to 80 ms after
    a cold build at 2,000 stretches, ~150 ms at 10,000. The exit goes through
    ``sys.exit`` all the same (pending ``finally`` blocks, a caller catching
    it and every exit function run as usual, threads are waited for); the
    teardown is what is left out.
    """
    atexit.register(_exit_now, code)
    sys.exit(code)


def _exit_now(code: int) -> NoReturn:
    """Run the other exit functions, flush what is still buffered and end the process
    (see :func:`end`)."""
    # Registered last, this one runs first: the others (a wrapper's, say
    # coverage saving its data) run now, as they would have after it.
    atexit.unregister(_exit_now)
    atexit._run_exitfuncs()
    # Python flushes only after its exit functions, when run with -c (say,
    # by a wrapper that times the build): what the wrapper printed since.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    try:
        code = main(ends_process=True)
        sys.stdout.flush()  # here, where a failure can still be handled
    except KeyboardInterrupt:  # while starting or finishing: nothing was being written
        print("Interrupted.", file=sys.stderr)
        code = 1
    except BrokenPipeError:  # the report's reader went away (`| head`): the build is done
        # Python flushes its output once more on the way out: into nothing, quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 120
    end(code)
