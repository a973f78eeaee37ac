"""Generate a synthetic content folder of N stretches in the project's own format.

    python benchmarks/corpus.py 1000 benchmarks/out/corpus-1000

Each stretch is a realistic file: full frontmatter and a ~400-word Markdown body
(numbered steps, notes, emphasis, a link), so Markdown work is comparable to a
real page. The text is deterministic for a given N.
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = (  # noqa: SIM905 (prose reads better than a word list)
    "breathe slowly keep your hips level and let the stretch build over the hold "
    "relax the shoulders press the heel down gently turn the chest toward the wall "
    "stand tall with soft knees feel the pull along the back of the thigh ease off "
    "whenever the tension turns sharp return to the start and shake out the legs "
    "runners often skip this part but a few quiet minutes now pay back on the next run"
).split()
EQUIPMENT = ["foam roller", "table", "step", "none"]
TARGETS = ["calves", "hips", "hamstrings", "quads", "chest", "upper back", "glutes"]


def sentence(rng: random.Random, low: int = 8, high: int = 16) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def stretch_file(i: int, rng: random.Random) -> str:
    each = rng.random() < 0.4
    unit = rng.choice(["rounds", "sets", "reps"])
    low = rng.randint(1, 3)
    steps = "\n".join(f"{n}. {paragraph(rng, 3)}" for n in range(1, 6))
    notes = "\n\n".join(
        [
            f"**Tip:** {paragraph(rng, 3)}",
            f"{paragraph(rng, 4)} See [the routine](../) for the order.",
            f"*Common mistake:* {paragraph(rng, 3)}",
            paragraph(rng, 4),
        ]
    )
    side_names = "side_names: [right leg, left leg]\n" if each else ""
    return (
        "---\n"
        f"title: Synthetic Stretch {i}\n"
        f"order: {i}\n"
        f"summary: {sentence(rng)}\n"
        f"why: >-\n  {paragraph(rng, 3)}\n"
        f"targets: [{', '.join(rng.sample(TARGETS, 2))}]\n"
        f"equipment: [{rng.choice(EQUIPMENT)}]\n"
        f"sides: {'each' if each else 'both'}\n"
        f"{side_names}"
        f"dose: {low} to {low + rng.randint(0, 2)} {unit}\n"
        "cues:\n" + "".join(f"  - {sentence(rng, 4, 8)}\n" for _ in range(3)) + "---\n"
        f"{steps}\n\n{notes}\n"
    )


def make_corpus(n: int, dest: Path) -> Path:
    """Write ``dest/content`` with site.yml and ``n`` stretches; returns the content folder."""
    content = dest / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "stretches").mkdir(parents=True)
    shutil.copy(ROOT / "content/site.yml", content / "site.yml")
    rng = random.Random(n)
    for i in range(1, n + 1):
        (content / "stretches" / f"{i:05d}-synthetic-stretch-{i}.md").write_text(
            stretch_file(i, rng), encoding="utf-8"
        )
    return content


if __name__ == "__main__":
    make_corpus(int(sys.argv[1]), Path(sys.argv[2]))
