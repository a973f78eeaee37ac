"""The dev server against raw HTTP: where it listens, what it refuses, how it rebuilds.

A real `build.py serve` runs in a subprocess. Requests go out through
http.client, which sends the path exactly as written (urllib would tidy `..`).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import build
from stretchsite.serve import host_allowed, is_inside

from .conftest import ROOT
from .devserver import DevServer, dev_server, free_port
from .helpers import parse_html, replaced

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
    return len(re.findall(r"^\d\d:\d\d:\d\d Built \d+ pages", server.log_text(), re.M))


def failed_lines(server: DevServer) -> int:
    return len(re.findall(r"^\d\d:\d\d:\d\d Build failed", server.log_text(), re.M))


def problems(server: DevServer) -> dict:
    return json.loads(get(server, "/__dev/problems.json")[1])


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


def upgrade(host: str, origin: str) -> dict:
    return {
        "Host": host,
        "Origin": origin,
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }


def test_live_reload_socket_refuses_other_origins(server: DevServer):
    host = f"127.0.0.1:{server.port}"
    assert get(server, "/livereload", upgrade(host, "https://evil.example"))[0] == 403
    assert get(server, "/livereload", upgrade(host, f"http://{host}"))[0] == 101


def test_only_loopback_names_and_the_given_host_are_served(server: DevServer):
    """DNS rebinding: a page on evil.example, re-pointed at 127.0.0.1, names its own Host."""
    port = server.port
    for name in ("evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "10.0.0.8"):
        host = f"{name}:{port}"
        for path in ("/", "/stretches/calf-stretch/", "/livereload.js", "/__dev/problems.json"):
            status, body = get(server, path, {"Host": host})
            assert status == 403 and b"<html" not in body.lower()[:200], (host, path, status)
        # The rebinding page is same-origin with itself, so only the Host check stops it.
        assert get(server, "/livereload", upgrade(host, f"http://{host}"))[0] == 403, host
    for name in ("127.0.0.1", "localhost", "LOCALHOST", "[::1]", "app.localhost", "127.0.0.2"):
        host = f"{name}:{port}"
        assert get(server, "/", {"Host": host})[0] == 200, host
        assert get(server, "/livereload", upgrade(host, f"http://{host}"))[0] == 101, host


def test_host_allowed():
    assert host_allowed("localhost", "127.0.0.1")
    assert host_allowed("localhost.", "127.0.0.1")
    assert host_allowed("[::1]", "127.0.0.1")
    assert not host_allowed("evil.example", "127.0.0.1")
    assert not host_allowed("192.168.1.5", "127.0.0.1")
    # --host names a way in; bound to every interface, LAN addresses (not names) are too.
    assert host_allowed("devbox.lan", "devbox.lan")
    assert host_allowed("192.168.1.5", "0.0.0.0")
    assert host_allowed("fe80::1", "::")
    assert not host_allowed("evil.example", "0.0.0.0")


MALFORMED = [
    "/%00",
    "/a%00b.html",
    "/stretches/%00/",
    "/%01",
    "/%7f",
    "/%0a",
    "/%ff",
    "/%c0%ae%c0%ae/secret.txt",
    "/%",
    "/%zz",
    "/%%",
    "/" + "a" * 5000,
    "/" + "a/" * 2000,
    "/index.html/x",
    "/robots.txt/",
    "/stretches/calf-stretch/index.html/..%00",
    "/?%00",
    "/__dev/%00",
    "/__dev/../__dev/problems.json%00",
    "/livereload.js%00",
]


def test_malformed_paths_get_400_or_404_never_500(server: DevServer):
    for path in MALFORMED:
        status, body = get(server, path)
        assert status in (200, 301, 400, 403, 404), (path, status)
        assert b"Traceback" not in body and b'File "' not in body, path
    assert server.process.poll() is None, "the server is still up"
    assert "Traceback" not in server.log_text()
    assert "dev server:" not in server.log_text(), server.log_text()  # no unexpected errors


PIECES = [
    "/",
    "//",
    ".",
    "..",
    "%",
    "%2e",
    "%2f",
    "%5c",
    "%00",
    "%ff",
    "\\",
    "~",
    "stretches",
    "index.html",
]
PATHS = st.lists(
    st.one_of(st.sampled_from(PIECES), st.binary(max_size=6).map(lambda b: quote(b, safe=""))),
    max_size=12,
).map(lambda pieces: "/" + "".join(pieces))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=PATHS)
def test_any_path_gets_an_answer_never_a_server_error(server: DevServer, path: str):
    status, body = get(server, path)
    assert status in (200, 301, 400, 403, 404), (path, status)
    assert SECRET.encode() not in body
    assert "dev server:" not in server.log_text(), server.log_text()


def test_missing_pages_get_the_site_404_page(server: DevServer):
    status, body = get(server, "/no/such/page/")
    assert status == 404 and b"</html>" in body
    assert b'src="/__dev/overlay.js?build=' in body, "the overlay works on the 404 page too"


def test_served_pages_load_dev_scripts_from_files_not_inline(server: DevServer):
    status, body = get(server, "/")
    page = parse_html(body.decode())
    assert status == 200
    # The dev scripts come last in the head, from files.
    assert [(e.tag, e.attrs) for e in page.one("head").elements[-2:]] == [
        ("script", {"src": f"/livereload.js?port={server.port}"}),
        ("script", {"type": "module", "src": "/__dev/overlay.js?build=1"}),
    ]
    inline = page.find_all("script", src=None)
    assert [s.attrs for s in inline if "application/json" not in s.get("type")] == []
    for path in ("/livereload.js", "/__dev/overlay.js", "/__dev/overlay.css"):
        assert get(server, path)[0] == 200, path


def test_dev_files_are_not_in_the_build(server: DevServer, project: Path):
    names = {p.name for p in (project / "dist").rglob("*")}
    assert not names & {"overlay.js", "overlay.css", "livereload.js", "problems.json"}


def test_base_path_is_served_under_its_prefix(project: Path):
    with dev_server(project, "--base-url", "/repo/", base="/repo/") as server:
        status, body = get(server, "/repo/")
        assert status == 200 and b'href="/repo/css/site.css"' in body
        assert get(server, "/repo/css/site.css")[0] == 200
        assert get(server, "/")[0] in (301, 302)
        assert get(server, "/repo/../secret.txt")[0] in (403, 404)
        assert get(server, "/", {"Host": f"evil.example:{server.port}"})[0] == 403


def test_template_errors_are_reported_with_file_and_line_and_the_server_survives(
    server: DevServer, project: Path
):
    template = project / "templates/stretch.html"
    good = template.read_text()
    lines = good.splitlines(keepends=True)
    line = next(n for n, text in enumerate(lines, 1) if "stretch.title" in text)
    broken = [
        *lines[: line - 1],
        replaced(lines[line - 1], "stretch.title", "stretch.titel"),
        *lines[line:],
    ]
    template.write_text("".join(broken))
    expected = f"templates/stretch.html:{line}: "
    assert wait_until(lambda: expected in server.log_text()), server.log_text()
    assert "titel" in problems(server)["problems"][0]["message"]
    assert problems(server)["problems"][0]["where"] == f"templates/stretch.html:{line}"
    assert get(server, "/stretches/calf-stretch/")[0] == 200, "the last good site stays up"

    assert good.count("{% block main %}") == 1
    template.write_text(replaced(good, "{% block main %}", "{% block main %}{% if %}"))
    expected = "templates/stretch.html:2: template syntax"
    assert wait_until(lambda: expected in server.log_text()), server.log_text()
    template.write_text(good)
    assert wait_until(lambda: problems(server)["problems"] == [])
    assert "Traceback" not in server.log_text()
    assert server.process.poll() is None


def test_no_site_yet_is_said_and_shown_not_a_last_good_site(project: Path):
    calf = project / "content/stretches/05-calf-stretch.md"
    good = calf.read_text()
    calf.write_text(replaced(good, "order: 5", "order: five"))
    with dev_server(project) as server:
        status, body = get(server, "/stretches/calf-stretch/")
        assert status == 503 and b"Nothing to serve yet" in body
        assert b'src="/__dev/overlay.js?build=' in body
        state = problems(server)
        assert "nothing to serve" in state["headline"]
        assert state["problems"][0]["where"] == "content/stretches/05-calf-stretch.md:3"
        log = server.log_text()
        assert "nothing to serve until it is fixed" in log
        assert "last good" not in log and "still serving" not in log
        calf.write_text(good)
        assert wait_until(lambda: get(server, "/stretches/calf-stretch/")[0] == 200)
        assert problems(server)["problems"] == []


def test_burst_of_saves_coalesces_and_last_good_site_stays_up(server: DevServer, project: Path):
    """200 saves, every third one invalid: far fewer rebuilds than saves, never an outage.

    Nothing here depends on how fast the machine is: the exact coalescing rule
    is tested with a fake clock in test_serve_watch.py.
    """
    calf = project / "content/stretches/05-calf-stretch.md"
    good = calf.read_text()
    assert wait_until(lambda: built_lines(server) == 1)
    before = built_lines(server)
    for n in range(1, 201):
        if n % 3 == 0:
            calf.write_text(replaced(good, "order: 5", "order: five"))  # a half-written save
        else:
            calf.write_text(replaced(good, "title: Calf Stretch", f"title: Calf Stretch v{n}"))
        time.sleep(0.005)
        if n % 25 == 0:  # meanwhile the last good site is always there
            status, body = get(server, "/stretches/calf-stretch/")
            assert status == 200 and b"<h1" in body and b"Calf Stretch" in body

    def final_served() -> bool:
        return b"Calf Stretch v200" in get(server, "/stretches/calf-stretch/")[1]

    assert wait_until(final_served, timeout=60), server.log_text()[-2000:]
    rebuilds = built_lines(server) - before + failed_lines(server)
    assert 1 <= rebuilds <= 100, server.log_text()[-2000:]
    assert problems(server)["problems"] == [], "the last build was good: no overlay"
    assert server.process.poll() is None, "the server is still up"


def run_serve(project: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "serve", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_line_exit_1(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode == 1, result
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


def test_port_in_use_is_one_line_and_builds_nothing(project: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_serve(project, "--port", str(port))
    one_line_exit_1(result, f"port {port} is already in use", "--port")
    assert not (project / "dist").exists(), "nothing is built when it cannot serve"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--port", "70000"], ["'70000' is not a port number"]),
        (["--port", "-1"], ["--port"]),
        (["--port", "http"], ["'http' is not a port number"]),
        (["--host", "no such host!"], ["--host 'no such host!'", "127.0.0.1"]),
        (["--host", "203.0.113.9"], ["not an address of this machine"]),
    ],
)
def test_invalid_host_or_port_is_one_line(project: Path, args, words):
    one_line_exit_1(
        run_serve(project, *args, "--port", str(free_port()))
        if "--port" not in args
        else run_serve(project, *args),
        *words,
    )


@pytest.mark.parametrize("out", ["content", "static/site", "."])
def test_an_output_the_build_refuses_stops_serve_in_one_line(project: Path, out: str):
    """No save can fix it: serving would only show the same error until a restart."""
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    result = run_serve(project, "--out", out, "--port", str(free_port()), timeout=60)
    one_line_exit_1(result)
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_ctrl_c_stops_quietly(project: Path):
    with dev_server(project) as server:
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=20) == 0
        log = server.log_text()
    assert "Traceback" not in log and "KeyboardInterrupt" not in log, log


def test_terminal_shows_one_line_per_build_errors_and_each_warning_once(project: Path):
    calf = project / "content/stretches/05-calf-stretch.md"
    good = calf.read_text()
    with dev_server(project) as server:
        for path in ("/", "/no/such/page/", "/%00", "/livereload.js"):
            get(server, path)
        get(server, "/", {"Host": f"evil.example:{server.port}"})
        for n in range(2):
            calf.write_text(replaced(good, "title: Calf Stretch", f"title: Calf Stretch {n}"))
            assert wait_until(lambda n=n: built_lines(server) == 2 + n), server.log_text()
        calf.write_text(replaced(good, "order: 5", "order: five"))
        assert wait_until(lambda: failed_lines(server) == 1), server.log_text()
        log = server.log_text()
    lines = log.splitlines()
    assert log.count("warning: the printable cards have no QR code") == 1, log
    built = [x for x in lines if re.match(r"\d\d:\d\d:\d\d Built \d+ pages", x)]
    failed = [x for x in lines if re.match(r"\d\d:\d\d:\d\d Build failed", x)]
    serving = [x for x in lines if x.startswith("Serving http://127.0.0.1:")]
    problem = [x for x in lines if x.startswith("content/stretches/05-calf-stretch.md:3: ")]
    assert (len(built), len(failed), len(serving), len(problem)) == (3, 1, 1, 1), log
    assert len(lines) == 1 + 3 + 1 + 1 + 1, f"nothing else in the terminal:\n{log}"


def test_quiet_prints_errors_only(project: Path):
    calf = project / "content/stretches/05-calf-stretch.md"
    good = calf.read_text()
    with dev_server(project, "--quiet") as server:
        get(server, "/no/such/page/")
        calf.write_text(replaced(good, "order: 5", "order: five"))
        assert wait_until(lambda: "05-calf-stretch.md:3:" in server.log_text())
        log = server.log_text()
    assert [x.split(" ", 1)[1][:12] for x in log.splitlines()[:1]] == ["Build failed"], log
    assert len(log.splitlines()) == 2, log


def test_quiet_build_prints_nothing(project: Path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--quiet"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0
    assert (result.stdout, result.stderr) == ("", ""), "no summary, no warning"
    loud = subprocess.run(
        [sys.executable, str(ROOT / "build.py")], cwd=project, capture_output=True, text=True
    )
    assert "warning:" in loud.stderr, "the warning exists; --quiet hides it"
