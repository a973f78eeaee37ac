#!/usr/bin/env python3
"""Lighthouse scores (mobile) for the home page, a stretch page and every other page kind.

python benchmarks/lighthouse.py              # build, serve under /stretch-routine/, audit
python benchmarks/lighthouse.py --details    # also list every audit that cost points
python benchmarks/lighthouse.py --runs 5     # more runs per page (default 3)

Installs npm `lighthouse` into benchmarks/.lighthouse/ (git-ignored) on first use
and runs it with CHROME_PATH (default /usr/bin/chromium), headless, no sandbox.
The site is built for its local address, so canonical URLs and the sitemap point
at the server being audited, and missing URLs get the 404 page as on GitHub Pages.
Each page is audited --runs times and the run with the median performance score
is reported, as Lighthouse CI does: on a small, busy machine a single run's
Total Blocking Time swings with unrelated work (tasks Chromium cannot attribute
to the page), even on pages without any script.
Exits 1 if any category scores under 95 (the project's floor; the target is 100).
Too slow for the test suite (about 15 s a page); run it by hand after changes to
templates, CSS or scripts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stretchsite.generator import BuildOptions, build_site  # noqa: E402
from tools.pages_server import serve_folder  # noqa: E402

LIGHTHOUSE_VERSION = "12.2.3"  # 13.x needs Node 22; 12.2.3 runs on Node 18 and 20
INSTALL_DIR = ROOT / "benchmarks/.lighthouse"
LIGHTHOUSE = INSTALL_DIR / "node_modules/.bin/lighthouse"
PREFIX = "/stretch-routine/"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FLOOR = 95
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"


def ensure_lighthouse() -> Path:
    """Install the pinned lighthouse locally unless it is already there."""
    if not LIGHTHOUSE.exists():
        print(f"Installing lighthouse@{LIGHTHOUSE_VERSION} into {INSTALL_DIR} ...", flush=True)
        INSTALL_DIR.mkdir(parents=True, exist_ok=True)
        npm = ["npm", "install", "--prefix", str(INSTALL_DIR), "--no-audit", "--no-fund"]
        subprocess.run([*npm, "--save-exact", f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return LIGHTHOUSE


def pages_to_audit(dist: Path) -> list[str]:
    """Home, the first stretch, then the first page of every other kind (by top folder)."""
    chosen: dict[str, str] = {}
    for file in sorted(dist.rglob("*.html")):
        relative = file.relative_to(dist).as_posix()
        kind = relative.split("/")[0] if "/" in relative else relative
        chosen.setdefault(kind, relative.removesuffix("index.html"))
    home = chosen.pop("index.html", "")
    return [home, *chosen.values()]


def audit(url: str, out: Path, chrome: str) -> dict:
    env = {**os.environ, "CHROME_PATH": chrome}
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--form-factor=mobile",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        check=True,
        env=env,
        timeout=240,
    )
    return json.loads(out.read_text())


def lost_points(report: dict) -> list[str]:
    """Audits that pulled a category under 100, as `category: audit (score)`."""
    lines = []
    for name, category in report["categories"].items():
        if category["score"] == 1:
            continue
        for ref in category["auditRefs"]:
            result = report["audits"][ref["id"]]
            if ref["weight"] and result["score"] is not None and result["score"] < 1:
                lines.append(f"{name}: {ref['id']} ({result['score']:.2f}) {result['title']}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/out/lighthouse")
    parser.add_argument("--details", action="store_true", help="list audits that cost points")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is shown")
    args = parser.parse_args(argv)
    ensure_lighthouse()
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        dist.mkdir()
        server, base = serve_folder(dist, PREFIX, not_found_page=True)
        build_site(
            BuildOptions(
                content=ROOT / "content",
                templates=ROOT / "templates",
                static=ROOT / "static",
                out=dist,
                base_url=PREFIX,
                site_url=base,
            )
        )
        rows, details = [], []
        try:
            for path in pages_to_audit(dist):
                name = path or "(home)"
                print(f"auditing {name} ({args.runs} runs) ...", file=sys.stderr, flush=True)
                safe = path.strip("/").replace("/", "_") or "home"
                reports = [
                    audit(base + path, args.out / f"{safe}-{run}.json", args.chrome)
                    for run in range(1, args.runs + 1)
                ]
                reports.sort(key=lambda r: r["categories"]["performance"]["score"])
                report = reports[len(reports) // 2]
                scores = [round(report["categories"][c]["score"] * 100) for c in CATEGORIES]
                rows.append((name, scores))
                details += [f"{name}: {line}" for line in lost_points(report)]
        finally:
            server.shutdown()

    width = max(len(name) for name, _ in rows)
    print(f"| {'page':<{width}} | " + " | ".join(CATEGORIES) + " |")
    print(f"|{'-' * (width + 2)}|" + "|".join("-" * (len(c) + 2) for c in CATEGORIES) + "|")
    for name, scores in rows:
        cells = [f"{s:>{len(c)}}" for s, c in zip(scores, CATEGORIES, strict=True)]
        print(f"| {name:<{width}} | " + " | ".join(cells) + " |")
    if args.details and details:
        print("\nAudits under full marks:")
        print("\n".join(details))
    worst = min(min(scores) for _, scores in rows)
    return 0 if worst >= FLOOR else 1


if __name__ == "__main__":
    sys.exit(main())
