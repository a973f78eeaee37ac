#!/usr/bin/env python3
"""Prove a refactor changes no output: build a git commit and the working tree, diff the sites.

    .venv/bin/python tools/compare_builds.py main            # real content + 200-stretch corpus
    .venv/bin/python tools/compare_builds.py HEAD~3 --corpus 1000

Each side is built from its own code, templates, static files and content
(the corpus is generated once and shared), with and without --site-url,
without the build cache. Prints one line per differing file and exits with 1
if any file differs, is missing or is extra; 0 when every tree is identical.
"""

from __future__ import annotations

import argparse
import filecmp
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import make_corpus  # noqa: E402

SITE_URL = "https://example.github.io/stretch-routine/"


def export(commit: str, dest: Path) -> Path:
    """The files of ``commit`` in ``dest`` (no .git), as `git archive` gives them."""
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def build(tree: Path, content: Path, out: Path, site_url: str) -> None:
    """Build with ``tree``'s own build.py, so its own stretchsite package is imported."""
    args = [sys.executable, "-P", str(tree / "build.py"), "--quiet", "--no-cache"]
    args += ["--content", str(content), "--templates", str(tree / "templates")]
    args += ["--static", str(tree / "static"), "--out", str(out)]
    if site_url:
        args += ["--site-url", site_url]
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin"}
    done = subprocess.run(args, cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode:  # warnings are expected (the corpus overflows a card); failures not
        sys.exit(f"building {content} with {tree} failed:\n{done.stderr}")


def differences(left: Path, right: Path, prefix: str = "") -> list[str]:
    """Every file that differs, or exists on one side only, as `path: why`."""
    cmp = filecmp.dircmp(left, right)
    found = [f"{prefix}{name}: only in the commit's build" for name in cmp.left_only]
    found += [f"{prefix}{name}: only in the working tree's build" for name in cmp.right_only]
    _, mismatch, errors = filecmp.cmpfiles(left, right, cmp.common_files, shallow=False)
    found += [f"{prefix}{name}: bytes differ" for name in mismatch + errors]
    for sub in cmp.common_dirs:
        found += differences(left / sub, right / sub, f"{prefix}{sub}/")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit", help="git commit to compare with, e.g. main")
    parser.add_argument("--corpus", type=int, default=200, help="stretches in the benchmark corpus")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="compare-builds-") as tmp:
        work = Path(tmp)
        base = export(args.commit, work / "commit")
        corpus = make_corpus(args.corpus, work / "corpus")
        failed = 0
        for name, old_content, new_content in (
            ("content", base / "content", ROOT / "content"),
            (f"corpus-{args.corpus}", corpus, corpus),
        ):
            for site_url in ("", SITE_URL):
                label = f"{name}{' --site-url' if site_url else ''}"
                old, new = work / f"old-{label}", work / f"new-{label}"
                build(base, old_content, old, site_url)
                build(ROOT, new_content, new, site_url)
                found = differences(old, new)
                files = sum(1 for p in new.rglob("*") if p.is_file())
                print(f"{label}: {files} files, {len(found) or 'no'} differences")
                for line in found[:10]:
                    print(f"  {line}")
                if len(found) > 10:
                    print(f"  ... and {len(found) - 10} more")
                failed += bool(found)
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
