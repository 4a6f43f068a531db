"""The dev server on a real socket: safe paths, waiting for builds, the reload signal."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from digest.build import build
from digest.errors import ProblemsError
from digest.serve import DevServer, Outcome, ServeError
from digest.serve.cli import _report, serve_main
from digest.serve.inject import inject
from digest.serve.reload import State
from digest.serve.server import url_of
from digest.serve.watcher import FULL, Action, Change, Changes, Kind
from tests.conftest import REPO, article, write_site

SECRET = "TOP-SECRET-9f2c"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


def raw_request(port: int, target: str, method: str = "GET") -> Response:
    """Send the request line byte for byte, so no client normalises the path."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
        conn.sendall(f"{method} {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return Response(int(status_line.split()[1]), headers, body)


class EventStream:
    """A client of /__digest__/events, as an open page is."""

    def __init__(self, port: int) -> None:
        self.conn = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.conn.sendall(b"GET /__digest__/events HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        self.buffer = b""
        self.headers = self._take(b"\r\n\r\n")

    def _take(self, end: bytes) -> bytes:
        while end not in self.buffer:
            chunk = self.conn.recv(65536)
            if not chunk:
                raise EOFError("the event stream ended")
            self.buffer += chunk
        block, _, self.buffer = self.buffer.partition(end)
        return block

    def next_state(self) -> dict[str, object]:
        """The next 'state' event's data (comments and retry lines are skipped)."""
        while True:
            lines = self._take(b"\n\n").decode().split("\n")
            if "event: state" in lines:
                data = next(line[len("data: ") :] for line in lines if line.startswith("data: "))
                state: dict[str, object] = json.loads(data)
                return state

    def close(self) -> None:
        self.conn.close()


def pages_site(root: Path) -> Path:
    """A two-article site, with a secret beside it and one inside it (but not in the output)."""
    site = write_site(
        root,
        {
            "content/a.md": article("First title", "2019-08-27", "AFP"),
            "content/b.md": article("Other story", "2019-08-28", "AA"),
        },
    )
    (root.parent / "secret.txt").write_text(SECRET, encoding="utf-8")
    (site / "secret.txt").write_text(SECRET, encoding="utf-8")
    return site


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[DevServer, list[Outcome]]]:
    site = pages_site(tmp_path / "site")
    outcomes: list[Outcome] = []
    server = DevServer(site, "127.0.0.1", 0, report=outcomes.append)
    server.start()
    try:
        yield server, outcomes
    finally:
        server.stop()


def edit(site: Path, name: str, text: str) -> None:
    (site / "content" / name).write_text(text, encoding="utf-8")


def wait_built(outcomes: list[Outcome], builds: int, seconds: float = 30.0) -> Outcome:
    """The first whole build after the first ``builds`` (a preview may be published first)."""
    deadline = time.monotonic() + seconds
    while len(outcomes) <= builds:
        assert time.monotonic() < deadline, "no build reported"
        time.sleep(0.01)
    return outcomes[builds]


# --- paths ---------------------------------------------------------------------------------

TRAVERSALS = [
    "/../site.toml",
    "/../../secret.txt",
    "/articles/../../site.toml",
    "/%2e%2e/site.toml",
    "/%2E%2E/site.toml",
    "/%2e%2e%2fsite.toml",
    "/..%2f..%2fsecret.txt",
    "/articles/%2e%2e/%2e%2e/site.toml",
    "/%252e%252e/site.toml",
    "/..\\site.toml",
    "/%5c..%5csite.toml",
    "/index.html%00.txt",
    "/%00",
    "//secret.txt",
    "/./index.html",
    "/articles/./a/",
    "/articles/a/..",
    "http://127.0.0.1/../site.toml",
    "/.digest-manifest.json",
    "/out-file.txt",
    "/out-folder/secret.txt",
    "/out-folder/",
]


def test_traversal_attempts_are_refused(served: tuple[DevServer, list[Outcome]]) -> None:
    server, _ = served
    (server.output / "out-file.txt").symlink_to(server.site.parent / "secret.txt")
    (server.output / "out-folder").symlink_to(server.site.parent, target_is_directory=True)
    assert (server.output / "out-file.txt").read_text() == SECRET  # the links do lead out
    for target in TRAVERSALS:
        response = raw_request(server.port, target)
        assert response.status in (400, 404), target
        assert SECRET.encode() not in response.body, target
        assert b'Test digest"\n' not in response.body, target  # site.toml's text


def test_a_symlink_inside_the_output_is_served(served: tuple[DevServer, list[Outcome]]) -> None:
    server, _ = served
    (server.output / "alias.json").symlink_to(server.output / "stories.json")
    response = raw_request(server.port, "/alias.json")
    assert response.status == 200
    assert response.body == (server.output / "stories.json").read_bytes()


def test_pages_folders_and_types(served: tuple[DevServer, list[Outcome]]) -> None:
    server, _ = served
    epoch = json.loads(raw_request(server.port, "/__digest__/state").body)["epoch"]
    home = raw_request(server.port, "/")
    assert home.status == 200
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert home.headers["cache-control"] == "no-store"
    assert home.body == inject((server.output / "index.html").read_bytes(), epoch, "index.html")
    assert home.body.count(b"/__digest__/livereload.js") == 1
    assert raw_request(server.port, "/?utm=1").body == home.body

    page = raw_request(server.port, "/articles/a/")
    assert page.status == 200 and b"First title" in page.body
    moved = raw_request(server.port, "/articles/a?x=1")
    assert (moved.status, moved.headers["location"]) == (301, "/articles/a/")
    assert raw_request(server.port, "/articles/a/index.html").body == page.body
    assert raw_request(server.port, "/stories.json/").status == 404

    css = raw_request(server.port, "/static/style.css")
    assert css.headers["content-type"] == "text/css; charset=utf-8"
    assert css.body == (server.output / "static" / "style.css").read_bytes()  # not injected
    assert raw_request(server.port, "/stories.json").headers["content-type"] == "application/json"
    assert raw_request(server.port, "/feed.xml").headers["content-type"] == "application/xml"
    script = raw_request(server.port, "/__digest__/livereload.js")
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert b"EventSource" in script.body

    head = raw_request(server.port, "/", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["content-length"] == str(len(home.body))
    assert raw_request(server.port, "/", method="POST").status == 501


def test_no_listings_a_folder_without_index_gets_the_404_page(
    served: tuple[DevServer, list[Outcome]],
) -> None:
    server, _ = served
    epoch = json.loads(raw_request(server.port, "/__digest__/state").body)["epoch"]
    not_found = inject((server.output / "404.html").read_bytes(), epoch)
    for target in ("/articles/", "/static/", "/articles", "/nothing/here/", "/nope.html"):
        response = raw_request(server.port, target)
        assert (response.status, response.body) == (404, not_found), target
        assert response.headers["cache-control"] == "no-store"


def test_the_build_output_never_holds_the_script(served: tuple[DevServer, list[Outcome]]) -> None:
    server, _ = served
    built = [p for p in server.output.rglob("*") if p.is_file() and not p.is_symlink()]
    assert any(p.suffix == ".html" for p in built)
    assert not [p for p in built if b"__digest__" in p.read_bytes()]


# --- rebuilds and the reload signal --------------------------------------------------------


def test_an_edit_reaches_open_pages(served: tuple[DevServer, list[Outcome]]) -> None:
    server, outcomes = served
    stream = EventStream(server.port)
    try:
        assert b"text/event-stream" in stream.headers
        first = stream.next_state()
        assert first["problems"] == []
        builds = len(outcomes)
        edit(server.site, "a.md", article("Second title", "2019-08-27", "AFP"))
        after = stream.next_state()
    finally:
        stream.close()
    assert after["epoch"] != first["epoch"] and after["problems"] == []
    assert [c.path for c in wait_built(outcomes, builds).changes.items] == ["content/a.md"]
    page = raw_request(server.port, "/articles/a/").body
    now = json.loads(raw_request(server.port, "/__digest__/state").body)
    assert b"Second title" in page and b"First title" not in page
    assert f'data-epoch="{now["epoch"]}"'.encode() in page


def test_an_edit_is_shown_before_the_whole_rebuild(
    served: tuple[DevServer, list[Outcome]],
) -> None:
    server, outcomes = served
    stream = EventStream(server.port)
    try:
        first = stream.next_state()
        builds = len(outcomes)
        edit(server.site, "a.md", article("Second title", "2019-08-27", "AFP"))
        preview = stream.next_state()
        assert preview["after"] == first["epoch"] and preview["problems"] == []
        assert preview["changed"] == ["articles/a/index.html", "stories/a/index.html"]
        assert b"Second title" in raw_request(server.port, "/articles/a/").body
        whole = stream.next_state()
    finally:
        stream.close()
    wait_built(outcomes, builds)
    # The whole build finds the previewed page as it would write it: the open tab on it
    # is told it is current and does not reload a second time; the listings changed.
    assert whole["after"] == preview["epoch"]
    assert isinstance(whole["changed"], list)
    assert "articles/a/index.html" not in whole["changed"]
    assert "index.html" in whole["changed"]


def test_deletes_and_renames_are_rebuilt(served: tuple[DevServer, list[Outcome]]) -> None:
    server, _ = served
    stream = EventStream(server.port)
    try:
        stream.next_state()
        (server.site / "content" / "b.md").unlink()
        stream.next_state()
        assert raw_request(server.port, "/articles/b/").status == 404
        os.replace(server.site / "content" / "a.md", server.site / "content" / "c.md")
        stream.next_state()
    finally:
        stream.close()
    assert raw_request(server.port, "/articles/a/").status == 404
    assert b"First title" in raw_request(server.port, "/articles/c/").body


def test_static_files_and_site_toml_are_rebuilt(served: tuple[DevServer, list[Outcome]]) -> None:
    server, outcomes = served
    stream = EventStream(server.port)
    try:
        stream.next_state()
        static = server.site / "templates" / "static"
        static.mkdir(parents=True)
        (static / "extra.css").write_text("p { color: teal }", encoding="utf-8")
        stream.next_state()
        assert raw_request(server.port, "/static/extra.css").body == b"p { color: teal }"
        (server.site / "site.toml").write_text('title = "Renamed digest"\n', encoding="utf-8")
        stream.next_state()
    finally:
        stream.close()
    assert b"Renamed digest" in raw_request(server.port, "/").body
    assert "site.toml" in {c.path for c in outcomes[-1].changes.items}


def test_editor_files_do_not_rebuild(served: tuple[DevServer, list[Outcome]]) -> None:
    server, outcomes = served
    builds = len(outcomes)
    stream = EventStream(server.port)
    try:
        stream.next_state()
        for name in (".a.md.swp", "a.md~", ".#a.md", "4913", "a.md.tmp", "#a.md#"):
            edit(server.site, name, "---\ntitle: [broken\n")
        edit(server.site, "a.md", article("Saved", "2019-08-27", "AFP"))
        state = stream.next_state()
    finally:
        stream.close()
    assert state["problems"] == []
    wait_built(outcomes, builds)
    changed = {c.path for outcome in outcomes[builds:] for c in outcome.changes.items}
    assert changed == {"content/a.md"}


def test_a_broken_save_keeps_the_last_good_site_and_the_fix_recovers(
    served: tuple[DevServer, list[Outcome]], tmp_path: Path
) -> None:
    server, _ = served
    broken = "---\ntitle: [unclosed\ndate: 2019-08-27\nsource: AFP\n---\nBody.\n"
    stream = EventStream(server.port)
    try:
        good = stream.next_state()
        edit(server.site, "a.md", broken)
        failed = stream.next_state()
        with pytest.raises(ProblemsError) as expected:
            build(server.site, tmp_path / "check")
        assert failed["problems"] == [str(p) for p in expected.value.problems]
        problems = failed["problems"]
        assert isinstance(problems, list) and problems[0].startswith("content/a.md:")
        assert failed["epoch"] == good["epoch"]
        page = raw_request(server.port, "/articles/a/").body
        assert b"First title" in page and f'data-epoch="{good["epoch"]}"'.encode() in page

        late = EventStream(server.port)  # a page opened now learns of the errors at once
        assert late.next_state()["problems"] == failed["problems"]
        late.close()

        edit(server.site, "a.md", article("Fixed title", "2019-08-27", "AFP"))
        fixed = stream.next_state()
    finally:
        stream.close()
    assert fixed["problems"] == [] and fixed["epoch"] != good["epoch"]
    assert b"Fixed title" in raw_request(server.port, "/articles/a/").body


def test_requests_during_a_rebuild_wait_and_get_whole_pages(tmp_path: Path) -> None:
    """The rebuild below writes its page non-atomically, slowly; no reader may see half."""
    site = pages_site(tmp_path / "site")
    output = tmp_path / "out"
    started, builds = threading.Event(), []

    def slow_rebuild(changes: Changes) -> object:
        builds.append(changes)
        version = f"version {len(builds)} ".encode()
        output.mkdir(exist_ok=True)
        with open(output / "index.html", "wb") as page:
            page.write(b"<!doctype html><body>" + version * 20000)
            page.flush()
            if len(builds) > 1:
                started.set()
                threading.Event().wait(0.4)  # the half-written page sits on disk meanwhile
            page.write(b"</body></html>\n")
        return None

    bodies: list[bytes] = []
    with DevServer(site, "127.0.0.1", 0, rebuild=slow_rebuild, output=output) as server:
        assert raw_request(server.port, "/").body.startswith(b"<!doctype html><body>version 1 ")
        edit(site, "a.md", article("Changed", "2019-08-27", "AFP"))
        assert started.wait(timeout=30)

        def fetch() -> None:
            bodies.append(raw_request(server.port, "/").body)

        readers = [threading.Thread(target=fetch) for _ in range(8)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(timeout=30)
    assert len(bodies) == 8
    for body in bodies:
        assert body.startswith(b"<!doctype html><body>version 2 ")
        assert body.endswith(b"</body></html>\n")


def test_a_bug_in_the_rebuild_is_shown_and_the_server_stays_up(tmp_path: Path) -> None:
    site = pages_site(tmp_path / "site")
    calls: list[Changes] = []

    def buggy(changes: Changes) -> object:
        calls.append(changes)
        if not changes.full:
            raise KeyError("boom")
        return build(site, tmp_path / "out")

    with DevServer(site, "127.0.0.1", 0, rebuild=buggy, output=tmp_path / "out") as server:
        stream = EventStream(server.port)
        stream.next_state()
        edit(site, "a.md", article("Changed", "2019-08-27", "AFP"))
        state = stream.next_state()
        stream.close()
        assert state["problems"] == ["internal error: KeyError: 'boom'"]
        assert b"First title" in raw_request(server.port, "/articles/a/").body


# --- starting and stopping -----------------------------------------------------------------


def test_a_port_in_use_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = pages_site(tmp_path / "site")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServeError, match="in use"):
            DevServer(site, "127.0.0.1", port)
        assert serve_main(site, "127.0.0.1", port) == 1
    err = capsys.readouterr().err
    assert f"127.0.0.1:{port}" in err and "in use" in err and "--port" in err


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    site = pages_site(tmp_path / "site")
    code = (
        "import signal, sys; from pathlib import Path;"
        "signal.signal(signal.SIGINT, signal.default_int_handler);"  # as a terminal gives it
        "from digest.serve.cli import serve_main;"
        "sys.exit(serve_main(Path(sys.argv[1]), '127.0.0.1', 0))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(site)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith(f"Serving {site} at http://127.0.0.1:"), line
        port = int(line.rsplit(":", 1)[1].strip(" /\n"))
        assert raw_request(port, "/").status == 200
        stream = EventStream(port)  # an open page must not hold the server up
        stream.next_state()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        stream.close()
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "stopping" in out.splitlines()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000/"),
        ("0.0.0.0", "http://127.0.0.1:8000/"),
        ("::1", "http://[::1]:8000/"),
        ("localhost", "http://localhost:8000/"),
    ],
)
def test_url_of(host: str, expected: str) -> None:
    assert url_of(host, 8000) == expected


def test_a_missing_site_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ServeError, match="no such folder"):
        DevServer(tmp_path / "nowhere", "127.0.0.1", 0)


def test_the_cli_reports_each_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = pages_site(tmp_path / "site")
    result = build(site, tmp_path / "out", base_url="http://127.0.0.1:1/")
    _report(Outcome(FULL, State("s", 1, 1), 0.0123, result, None))
    assert capsys.readouterr().out == (
        f"built in 12 ms: {len(result.report.written)} written, 0 removed\n"
    )
    edit(site, "a.md", "---\ntitle: [unclosed\n---\n")
    with pytest.raises(ProblemsError) as failed:
        build(site, tmp_path / "out")
    problems = tuple(str(p) for p in failed.value.problems)
    change = Changes((Change("content/a.md", Kind.CONTENT, Action.CHANGED),))
    _report(Outcome(change, State("s", 1, 2, problems), 0.01, None, failed.value))
    err = capsys.readouterr().err.splitlines()
    assert err == [
        *problems,
        f"error: {len(problems)} problem{'s' * (len(problems) > 1)}; "
        "still serving the last good site",
    ]
