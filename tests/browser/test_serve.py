"""`build.py serve`: live reload on save, and a content error keeps the server up."""

from __future__ import annotations

import time

import pytest

from ..devserver import dev_server

pytestmark = pytest.mark.browser


@pytest.fixture
def server(project):
    with dev_server(project) as running:
        yield running.url


def test_edit_reloads_the_open_page(page, project, server):
    calf = project / "content/stretches/05-calf-stretch.md"
    page.goto(server + "stretches/calf-stretch/")
    assert page.get_by_role("heading", level=1).inner_text() == "Calf Stretch"
    page.wait_for_function("() => !!window.LiveReload")  # the reload client is connected
    calf.write_text(calf.read_text().replace("title: Calf Stretch", "title: Calf Stretch Deluxe"))
    page.get_by_role("heading", level=1, name="Calf Stretch Deluxe").wait_for(timeout=15000)


def test_content_error_keeps_serving_last_good_site(page, project, server):
    calf = project / "content/stretches/05-calf-stretch.md"
    good = calf.read_text()
    page.goto(server + "stretches/calf-stretch/")
    page.wait_for_function("() => !!window.LiveReload")
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    calf.write_text(good.replace("order: 5", "order: five"))
    expected = "05-calf-stretch.md:3: `order` must be a whole number"
    deadline = time.monotonic() + 15
    while expected not in (project / "serve.log").read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert expected in (project / "serve.log").read_text()
    deadline = time.monotonic() + 5
    while not alerts and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert alerts and expected in alerts[0], "the open tab is told why the build failed"
    page.goto(server + "stretches/calf-stretch/")
    assert page.get_by_role("heading", level=1).inner_text() == "Calf Stretch"
    calf.write_text(good.replace("title: Calf Stretch", "title: Calf Stretch Fixed"))
    page.get_by_role("heading", level=1, name="Calf Stretch Fixed").wait_for(timeout=15000)
