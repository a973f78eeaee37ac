"""The dev server against raw HTTP: where it listens, what it refuses, how it rebuilds.

A real `build.py serve` runs in a subprocess. Requests go out through
http.client, which sends the path exactly as written (urllib would tidy `..`).
"""

from __future__ import annotations

import http.client
import os
import re
import time
from pathlib import Path

import pytest

import build
from stretchsite.serve import is_inside

from .devserver import DevServer, dev_server

SECRET = "secret-outside-the-site-3f9a"


def get(server: DevServer, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        headers = headers or {}
        conn.putrequest("GET", path, skip_host="Host" in headers, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        # A switch to the websocket protocol has no body to read.
        return response.status, b"" if response.status == 101 else response.read()
    finally:
        conn.close()


def built_lines(server: DevServer) -> int:
    return len(re.findall(r"^Built \d+ pages", server.log_text(), re.M))


def wait_until(condition, timeout: float = 15, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


@pytest.fixture
def server(project: Path):
    with dev_server(project) as running:
        yield running


def test_host_is_loopback_unless_asked():
    assert build.parse_args(["serve"]).host == "127.0.0.1"
    assert build.parse_args(["serve", "--host", "0.0.0.0"]).host == "0.0.0.0"


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
def test_listens_on_loopback_only(server: DevServer):
    port = f"{server.port:04X}"
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and local.endswith(":" + port):  # 0A: LISTEN
                listening.append(local.split(":")[0])
    assert listening == ["0100007F"], listening  # 127.0.0.1, and no IPv6 or wildcard socket


def test_paths_outside_the_output_folder_are_refused(server: DevServer, project: Path):
    (project / "secret.txt").write_text(SECRET)
    dist = project / "dist"
    os.symlink(project / "secret.txt", dist / "leak.txt")
    os.symlink(project, dist / "leakdir")
    os.symlink("/etc", dist / "etc")
    absolute = (project / "secret.txt").as_posix()
    attempts = [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/.%2e/secret.txt",
        "/%252e%252e/secret.txt",
        "/stretches/../../secret.txt",
        "/stretches/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/" + absolute,
        "/%2f" + absolute.lstrip("/").replace("/", "%2f"),
        "/leak.txt",
        "/leakdir/secret.txt",
        "/etc/passwd",
        f"http://127.0.0.1:{server.port}/../secret.txt",
    ]
    refused = {}
    for path in attempts:
        status, body = get(server, path)
        assert SECRET.encode() not in body, path
        assert b"root:" not in body, path
        assert status in (400, 403, 404), (path, status)
        refused[path] = status
    assert len(refused) == len(attempts)
    # The same server does serve the site, and a file inside it through a link.
    os.symlink(dist / "robots.txt", dist / "robots-link.txt")
    assert get(server, "/robots-link.txt")[0] == 200
    status, body = get(server, "/")
    assert status == 200 and b"</html>" in body


def test_is_inside():
    assert is_inside("/srv/site", "/srv/site/a/b.html")
    assert is_inside("/srv/site", "/srv/site")
    assert not is_inside("/srv/site", "/srv/site/../secret")
    assert not is_inside("/srv/site", "/srv/site-old/index.html")
    assert not is_inside("/srv/site", "/etc/passwd")


def test_live_reload_socket_refuses_other_origins(server: DevServer):
    upgrade = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    host = f"127.0.0.1:{server.port}"
    status, _ = get(
        server, "/livereload", {**upgrade, "Host": host, "Origin": "https://evil.example"}
    )
    assert status == 403
    status, _ = get(server, "/livereload", {**upgrade, "Host": host, "Origin": f"http://{host}"})
    assert status == 101


def test_served_pages_load_live_reload_from_a_file_not_inline(server: DevServer):
    status, body = get(server, "/")
    html = body.decode()
    assert status == 200
    assert f'<script src="/livereload.js?port={server.port}"></script></head>' in html
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert inline == []
    assert get(server, "/livereload.js")[0] == 200


def test_base_path_is_served_under_its_prefix(project: Path):
    with dev_server(project, "--base-url", "/repo/", base="/repo/") as server:
        status, body = get(server, "/repo/")
        assert status == 200 and b'href="/repo/css/site.css"' in body
        assert get(server, "/repo/css/site.css")[0] == 200
        assert get(server, "/")[0] in (301, 302)
        assert get(server, "/repo/../secret.txt")[0] in (403, 404)


def test_burst_of_saves_coalesces_and_last_good_site_stays_up(server: DevServer, project: Path):
    """200 saves in a few seconds, every third one invalid: a few rebuilds, never an outage."""
    calf = project / "content/stretches/05-calf-stretch.md"
    good = calf.read_text()
    before = built_lines(server)
    assert before == 1
    started = time.monotonic()
    for n in range(1, 201):
        if n % 3 == 0:
            calf.write_text(good.replace("order: 5", "order: five"))  # a half-written save
        else:
            calf.write_text(good.replace("title: Calf Stretch", f"title: Calf Stretch v{n}"))
        time.sleep(0.01)
        if n % 25 == 0:  # meanwhile the last good site is always there
            status, body = get(server, "/stretches/calf-stretch/")
            assert status == 200 and b"<h1" in body and b"Calf Stretch" in body
    burst = time.monotonic() - started
    assert burst < 6

    def final_served() -> bool:
        return b"Calf Stretch v200" in get(server, "/stretches/calf-stretch/")[1]

    assert wait_until(final_served), server.log_text()[-2000:]
    time.sleep(0.5)  # nothing more should follow the final build
    rebuilds = built_lines(server) - before + server.log_text().count("Build failed")
    print(f"200 saves in {burst:.1f} s -> {rebuilds} rebuilds")
    assert 1 <= rebuilds <= 2 + burst, server.log_text()[-2000:]
    assert server.process.poll() is None, "the server is still up"
