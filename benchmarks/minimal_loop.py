"""The reference 'minimal Python loop': frontmatter + one reused Markdown + one template.

    python benchmarks/minimal_loop.py CONTENT_DIR OUT_DIR

No validation, no site structure, no safety: the floor a Python generator is
measured against.
"""

from __future__ import annotations

import sys
from pathlib import Path

import frontmatter
import jinja2
import markdown

TEMPLATE = jinja2.Template(
    "<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1>{{ body }}", autoescape=True
)


def main(content: Path, out: Path) -> None:
    md = markdown.Markdown()
    for path in sorted((content / "stretches").glob("*.md")):
        post = frontmatter.load(path)
        body = jinja2.utils.markupsafe.Markup(md.reset().convert(post.content))
        target = out / path.stem / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(TEMPLATE.render(title=post["title"], body=body), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
