"""The GitHub Pages workflow: valid for the schema, the official flow, a working build step."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT
from .helpers import read_html, replaced

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

WORKFLOW = ROOT / ".github/workflows/pages.yml"
# The current major version of each official action (checked against their releases).
CURRENT = {
    "actions/checkout": 7,
    "actions/setup-python": 7,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
}


@pytest.fixture(scope="module")
def workflow() -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); BaseLoader keeps every key a string.
    return yaml.load(WORKFLOW.read_text(), Loader=yaml.BaseLoader)


def steps_using(job: dict, action: str) -> list[dict]:
    return [s for s in job["steps"] if s.get("uses", "").split("@")[0] == action]


def test_workflow_matches_the_github_schema():
    checker = shutil.which("check-jsonschema") or str(
        Path(sys.executable).with_name("check-jsonschema")
    )
    if not Path(checker).exists():
        pytest.fail(
            "check-jsonschema is missing: install the test extra (pip install -e '.[test]')"
        )
    result = subprocess.run(
        [checker, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    """The check above can fail: a job without runs-on or steps is refused."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  build:\n    stepz: []\n")
    checker = str(Path(sys.executable).with_name("check-jsonschema"))
    result = subprocess.run(
        [checker, "--builtin-schema", "vendor.github-workflows", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0


def test_triggers_permissions_and_concurrency(workflow):
    assert set(workflow["on"]) == {"push", "workflow_dispatch"}
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"


def test_actions_are_current_major_versions(workflow):
    used = {}
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                name, _, ref = step["uses"].partition("@")
                used[name] = ref
    assert set(used) == set(CURRENT)
    for name, ref in used.items():
        assert ref == f"v{CURRENT[name]}", f"{name}@{ref}: use @v{CURRENT[name]}"


def test_build_job_tests_then_builds_for_the_pages_address(workflow):
    build = workflow["jobs"]["build"]
    runs = [s.get("run", "") for s in build["steps"]]
    uses = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    test_at = runs.index("make test")
    configure_at = uses.index("actions/configure-pages")
    build_at = next(i for i, r in enumerate(runs) if "build.py" in r)
    upload_at = uses.index("actions/upload-pages-artifact")
    assert test_at < configure_at < build_at < upload_at
    assert build["steps"][configure_at]["id"] == "pages"
    env = build["steps"][build_at]["env"]
    assert env["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    upload = build["steps"][upload_at]["with"]
    assert upload["path"] == "dist"
    assert upload["include-hidden-files"] == "true", ".nojekyll is a dotfile"


def test_deploy_job(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    (step,) = steps_using(deploy, "actions/deploy-pages")
    assert deploy["environment"]["url"] == f"${{{{ steps.{step['id']}.outputs.page_url }}}}"


@pytest.mark.parametrize(
    ("base_url", "prefix"),
    [
        ("https://someone.github.io/stretch-routine", "/stretch-routine/"),  # project site
        ("https://stretch.example.com", "/"),  # custom domain: no path at all
    ],
)
def test_build_step_handles_the_address_pages_reports(workflow, project, base_url, prefix):
    """Run the workflow's own build command with what configure-pages outputs."""
    (step,) = [s for s in workflow["jobs"]["build"]["steps"] if "build.py" in s.get("run", "")]
    # Fails if the build step no longer runs .venv/bin/python build.py.
    script = replaced(
        step["run"], ".venv/bin/python build.py", f'"{sys.executable}" "{ROOT}/build.py"'
    )
    result = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=project,
        env={**os.environ, "BASE_URL": base_url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    page = read_html(project / "dist/index.html")
    assert f"{prefix}css/site.css" in page.links
    assert page.one("link", rel="canonical").get("href") == f"{base_url}/"
    sitemap = ET.parse(project / "dist/sitemap.xml").getroot()
    assert next(sitemap.iter(f"{SITEMAP_NS}loc")).text == base_url + "/"
