"""Development server: build, serve the output and rebuild on every change."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from .content import ContentErrors
from .generator import BuildOptions, build_site


def rebuild(options: BuildOptions) -> bool:
    """Build once; report errors on the terminal instead of raising."""
    try:
        report = build_site(options)
    except ContentErrors as exc:
        print("Build failed; still serving the last good site:", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return False
    except Exception as exc:  # a template typo must not kill the server
        print(f"Build failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return False
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(report.summary(), flush=True)
    return True


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the site with live reload until interrupted."""
    from livereload import Server  # imported here: `build` does not need it

    options = replace(options, out=Path(options.out).absolute())
    rebuild(options)
    server = Server()
    for folder in (options.content, options.templates, options.static):
        server.watch(str(folder), lambda: rebuild(options), delay=0.05)
    print(f"Serving {options.out} at http://{host}:{port}{options.base_url}", flush=True)
    server.serve(host=host, port=port, root=str(options.out), open_url_delay=None)
