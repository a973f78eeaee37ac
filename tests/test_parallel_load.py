"""Many stretch files are read in two processes, with exactly the result of one.

From ``PARALLEL_READ`` files to read, a forked helper reads the second half
(stretchsite/content/loaders.py). The site, every error and what the build
cache remembers must be those of a serial read, and a helper that fails must
cost nothing but time.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from benchmarks.corpus import make_corpus
from stretchsite import forking
from stretchsite.content import ContentErrors, load_site, loaders

from .helpers import replaced

N = loaders.PARALLEL_READ + 20


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(N, tmp_path_factory.mktemp("corpus"))


class Remembering:
    """A build cache's memory of the stretches read, in the order it heard of them."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str, int]] = []

    def reuse(self, shown, path, stat):
        return None

    def remember(self, shown, stretch, digest, stat):
        self.seen.append((shown, stretch.slug, digest, stat.st_size))


def load(content: Path, monkeypatch, serial: bool):
    """The site (or its errors), what was remembered, and how many helpers were forked."""
    forks = []
    real_fork = os.fork

    def fork():
        forks.append(1)
        return real_fork()

    with monkeypatch.context() as patch:
        patch.setattr(os, "fork", fork)
        if serial:
            patch.setattr(loaders, "PARALLEL_READ", 10**9)
        known = Remembering()
        try:
            result = load_site(content, known)
        except ContentErrors as exc:
            result = exc.errors
    return result, known.seen, len(forks)


def test_a_large_site_loads_in_two_processes_as_in_one(corpus, monkeypatch):
    parallel, remembered, forks = load(corpus, monkeypatch, serial=False)
    serial, serially_remembered, no_forks = load(corpus, monkeypatch, serial=True)
    assert (forks, no_forks) == (1, 0)
    assert parallel == serial
    assert len(parallel.stretches) == N
    assert remembered == serially_remembered
    assert len(remembered) == N


def test_errors_in_both_halves_read_as_in_one_process(corpus, tmp_path, monkeypatch):
    content = tmp_path / "content"
    (content / "stretches").mkdir(parents=True)
    (content / "site.yml").write_bytes((corpus / "site.yml").read_bytes())
    files = sorted((corpus / "stretches").iterdir())
    for number, source in enumerate(files):
        text = source.read_text(encoding="utf-8")
        if number in (3, N - 5):  # one in each half
            text = replaced(text, "sides: ", "sides: sometimes\nx: ", 1)
        if number == N - 2:  # a slug the first half uses too
            text = replaced(text, "---\n", "---\nslug: synthetic-stretch-3\n", 1)
        (content / "stretches" / source.name).write_text(text, encoding="utf-8")
    parallel, _, forks = load(content, monkeypatch, serial=False)
    serial, _, _ = load(content, monkeypatch, serial=True)
    assert forks == 1
    assert parallel == serial
    assert {error.path.rsplit("/", 1)[-1][:5] for error in parallel} >= {"00004", f"{N - 4:05d}"}


def test_a_failing_helper_costs_only_time(corpus, monkeypatch):
    def broken(pipe):
        raise pickle.UnpicklingError("the helper's report was cut short")

    with monkeypatch.context() as patch:
        patch.setattr(forking.pickle, "load", broken)
        recovered, remembered, forks = load(corpus, monkeypatch, serial=False)
    serial, serially_remembered, _ = load(corpus, monkeypatch, serial=True)
    assert forks == 1
    assert recovered == serial
    assert remembered == serially_remembered
