"""The dev server keeps the site's service worker out of the browser.

Each build writes a new ``sw.js`` (its version covers every file), and a
registered worker would download the whole site again after every save.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from ..devserver import dev_server, wait_until_settled

pytestmark = pytest.mark.browser


def test_the_dev_server_does_not_serve_the_service_worker(page, project):
    with dev_server(project) as server:
        assert (project / "dist/sw.js").is_file(), "the build still writes it"
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(server.url + "sw.js", timeout=10)
        assert answer.value.code == 404
        page.goto(server.url + "stretches/calf-stretch/")
        wait_until_settled(page)
        # What the page's own register-sw.js asks for, awaited here instead of ignored.
        outcome = page.evaluate(
            """() => navigator.serviceWorker.register(new URL("sw.js", location.origin + "/"))
                 .then(() => "registered", (error) => "refused: " + error.name)"""
        )
        assert outcome.startswith("refused"), outcome
        assert page.evaluate("navigator.serviceWorker.getRegistrations()") == []
