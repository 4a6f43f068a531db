"""The dev server: a watcher that records changes, a loop that builds, a threaded HTTP server.

The watcher only records; the loop waits for a quiet moment, rebuilds while holding the
gate (requests wait rather than see a half-built site), then bumps the epoch or publishes
the errors. A failed build leaves the last good site in place and every open page shows an
overlay with the errors; the next good build clears it and reloads the pages.
"""

from __future__ import annotations

import contextlib
import errno
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from digest.build import Builder
from digest.errors import DigestError, ProblemsError
from digest.result import BuildResult
from digest.serve import files
from digest.serve.inject import EVENTS_URL, PREFIX, SCRIPT_URL, STATE_URL, inject
from digest.serve.reload import Channel, Gate, State, sse
from digest.serve.watcher import FULL, Action, Changes, Kind, Pending, SiteWatcher

OUTPUT_DIR = Path(".digest-cache") / "serve"
SCRIPT = Path(__file__).with_name("livereload.js")
QUIET = 0.05
"""Seconds without file events before a build starts: one save is often several events."""
LONGEST = 0.5
"""Seconds at most between the first event and the build, however busy the folder."""
SWITCH_INTERVAL = 0.001
"""Seconds a thread may hold the GIL while another waits (Python's default is 0.005)."""
HEARTBEAT = 15.0
"""Seconds between keep-alive comments on an idle event stream."""
_NOT_FOUND = b"<!doctype html>\n<title>Not found</title>\n<h1>Not found</h1>\n</body>\n"

Rebuild = Callable[[Changes], object]
"""Builds the site given what changed; raises ProblemsError on invalid content."""


class ServeError(DigestError):
    """The server cannot start (address in use, unknown host)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one build did, for whoever reports it (the CLI prints it)."""

    changes: Changes
    """What it was asked to rebuild."""
    state: State
    """The state it published."""
    seconds: float
    """Wall time of the rebuild."""
    result: object | None
    """What the rebuild returned; None when it failed."""
    error: BaseException | None
    """Why it failed; None when it succeeded."""


def url_of(host: str, port: int) -> str:
    """The address to open in a browser; a wildcard host is reached via loopback."""
    shown = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], dev: DevServer) -> None:
        self.dev = dev
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that went away is not an error worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server_version = "digest"
    sys_version = ""
    timeout = 60  # seconds a silent or stalled client may hold its connection

    @property
    def dev(self) -> DevServer:
        server = self.server
        assert isinstance(server, _HTTPServer)
        return server.dev

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the library does not print."""

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        path = files.request_path(self.path)
        if path is None:
            self._send(400, b"refused\n", "text/plain; charset=utf-8", head)
        elif path.startswith(PREFIX):
            self._internal(path, head)
        else:
            self._page(path, head)

    def _page(self, path: str, head: bool) -> None:
        dev = self.dev
        with dev.gate.reading():  # files are read whole here; the network comes after
            found = files.locate(dev.output, path)
            status, file = 200, found.file
            if file is None:
                status, file = 404, files.locate(dev.output, "/404.html").file
            data, kind = _NOT_FOUND, files.HTML_TYPE
            if file is not None and found.redirect is None:
                try:
                    data, kind = file.read_bytes(), files.content_type(file)
                except OSError:
                    status = 404
            epoch = dev.channel.state.tag
        served = ""  # the page's file in the output, for the reload script
        if file is not None and status == 200:
            served = file.relative_to(dev.output).as_posix()
        if found.redirect is not None:
            self.send_response(301)
            self.send_header("Location", found.redirect)
            self._common_headers(0)
            return
        if kind == files.HTML_TYPE:
            data = inject(data, epoch, served)
        self._send(status, data, kind, head)

    def _internal(self, path: str, head: bool) -> None:
        if path == SCRIPT_URL:
            self._send(200, self.dev.script, "text/javascript; charset=utf-8", head)
        elif path == STATE_URL:
            body = self._settled_state().to_json().encode()
            self._send(200, body, "application/json", head)
        elif path == EVENTS_URL and not head:
            self._events()
        else:
            self._send(404, b"not found\n", "text/plain; charset=utf-8", head)

    def _settled_state(self) -> State:
        """The state once the build in progress, if any, is over."""
        with self.dev.gate.reading():
            return self.dev.channel.state

    def _events(self) -> None:
        """Server-sent events: the state now, then every new one, until the server stops."""
        channel = self.dev.channel
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self._settled_state()
        try:
            self.wfile.write(b"retry: 300\n\n" + sse(state))
            while not channel.closed:
                newer = channel.wait_newer(state.version, HEARTBEAT)
                if newer is None:
                    self.wfile.write(b": idle\n\n")
                else:
                    state = newer
                    self.wfile.write(sse(state))
        except (ConnectionError, TimeoutError):
            return  # the page went away

    def _common_headers(self, length: int) -> None:
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()

    def _send(self, status: int, body: bytes, kind: str, head: bool) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self._common_headers(len(body))
            if not head:
                self.wfile.write(body)
        except (ConnectionError, TimeoutError):
            self.close_connection = True


class DevServer:
    """Builds a site, serves the output, watches the sources, tells open pages to reload.

    The socket is bound on creation (so a busy port fails at once, as ServeError); ``start``
    starts watching, returns after the first build, and serves and rebuilds in background
    threads; ``stop`` ends it all. ``rebuild`` defaults to a full ``build`` into
    ``site/.digest-cache/serve``; ``report`` hears of every build.
    """

    def __init__(
        self,
        site: Path,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        rebuild: Rebuild | None = None,
        output: Path | None = None,
        report: Callable[[Outcome], None] | None = None,
        quiet: float = QUIET,
        longest: float = LONGEST,
    ) -> None:
        self.site = site.resolve()
        if not self.site.is_dir():
            raise ServeError(f"{site}: no such folder (hint: pass the site's folder with --site)")
        self.output = (output or self.site / OUTPUT_DIR).resolve()
        self.gate = Gate()
        self.channel = Channel(secrets.token_hex(4))
        self.pending = Pending()
        self.script = SCRIPT.read_bytes()
        self._rebuild = rebuild or self._build
        self._report = report
        self._quiet, self._longest = quiet, longest
        self._watcher = SiteWatcher(self.site, self.pending.add)
        self._threads: list[threading.Thread] = []
        self._first_built = threading.Event()
        self._switch_interval: float | None = None
        self._stopped = threading.Event()
        try:
            self._httpd = _HTTPServer((host, port), self)
        except OSError as error:
            reason = error.strerror or str(error)
            if error.errno == errno.EADDRINUSE:
                reason = "the port is in use (hint: stop what uses it, or choose another --port)"
            raise ServeError(f"cannot listen on {host}:{port}: {reason}") from None
        self.port = int(self._httpd.server_address[1])
        self.url = url_of(host, self.port)
        self._builder = Builder(self.site, self.output, base_url=self.url, previews=True)
        self._builder.committing = self.gate.writing

    def _build(self, changes: Changes) -> object:
        return self._builder.build()

    def start(self) -> None:
        """Watch, build the whole site (good or not), then serve in the background."""
        try:
            self._watcher.start()
        except OSError as error:
            raise ServeError(f"cannot watch {self.site}: {error}") from None
        # Builds run in a thread of this process: let the serving threads take the GIL
        # every millisecond rather than every five, so a tab reloading after a preview
        # is served while the whole rebuild runs.
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        self._spawn(self._loop, "digest-build")
        while not self._first_built.wait(0.2):
            pass
        if self._stopped.is_set():
            return
        self._spawn(lambda: self._httpd.serve_forever(poll_interval=0.05), "digest-http")

    def _spawn(self, target: Callable[[], object], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        """Stop watching, building and serving; close the socket. Safe to call twice."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        self.pending.close()
        self.channel.close()
        self._first_built.set()
        if self._threads:
            self._watcher.stop()
        if len(self._threads) > 1:
            self._httpd.shutdown()
        self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)

    def wait(self) -> None:
        """Block until ``stop``; a KeyboardInterrupt in the caller's thread gets through."""
        while not self._stopped.wait(0.2):
            pass

    def __enter__(self) -> DevServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _loop(self) -> None:
        changes: Changes | None = FULL
        while changes is not None:
            self._build_once(changes)
            changes = self.pending.take(self._quiet, self._longest)

    def _preview(self, changes: Changes) -> None:
        """Show edited articles at once (digest.preview); the whole build follows."""
        paths = [
            self.site / change.path
            for change in changes.items
            if change.kind is Kind.CONTENT and change.action is Action.CHANGED
        ]
        if changes.full or not paths or len(paths) != len(changes.items):
            return
        if self.channel.state.problems:
            return  # the site is broken: only a whole build may say it is fixed
        try:
            with self.gate.writing():
                written = self._builder.preview(paths)
                if written:
                    self.channel.good(tuple(written))
        except Exception:  # the whole build that follows reports any problem
            return

    def _build_once(self, changes: Changes) -> None:
        result: object | None = None
        error: BaseException | None = None
        problems: tuple[str, ...] = ()
        own = self._rebuild == self._build
        if own:
            self._preview(changes)
        # Our own builds hold the gate only while moving files into place; until then
        # requests get the previous site, whole. Other rebuilds hold it throughout.
        with contextlib.nullcontext() if own else self.gate.writing():
            started = time.perf_counter()
            try:
                result = self._rebuild(changes)
            except ProblemsError as failed:
                error, problems = failed, tuple(str(p) for p in failed.problems)
            except DigestError as failed:
                error, problems = failed, (str(failed),)
            except Exception as failed:  # a bug must not stop the server; every page shows it
                error, problems = failed, (f"internal error: {type(failed).__name__}: {failed}",)
            seconds = time.perf_counter() - started
            if error is not None:
                state = self.channel.failed(problems)
            elif isinstance(result, BuildResult):
                state = self.channel.good((*result.report.written, *result.report.removed))
            else:
                state = self.channel.good()
        try:
            if self._report is not None:
                self._report(Outcome(changes, state, seconds, result, error))
        finally:
            self._first_built.set()


def serve(
    site: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    rebuild: Rebuild | None = None,
    report: Callable[[Outcome], None] | None = None,
) -> None:
    """Build, serve and watch ``site`` until interrupted; raises ServeError if it cannot."""
    with DevServer(site, host, port, rebuild=rebuild, report=report) as server:
        server.wait()
