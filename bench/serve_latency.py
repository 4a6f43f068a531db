"""How fast `digest serve` shows a save: from writing an edited article to the open page.

    .venv/bin/python bench/serve_latency.py [--articles 10000] [--edits 5] [--no-browser]

Generates a site with bench/generate.py (kept in bench/out/serve-latency-N for the next
run), starts the dev server in this process on a free port, and for each edit rewrites one
article's title, then measures:

- preview: the server's render of the edited article's own pages (digest.preview), which
  it writes and announces before the whole rebuild;
- event: from the write to the first reload event reaching an event-stream client;
- page: event, then fetching the article's HTML again (as the tab does on reload);
- shown: from the write to the frame in which an open tab of headless Chromium shows the
  new title, by the page's own clock (the same as the write's): the tab updates by itself,
  in place (a mutation observer notes the change, then the next animation frame) or by a
  reload (its first contentful paint); with /usr/bin/chromium and Playwright, --no-browser
  skips it;
- tab: from the write to the new title seen by the benchmark in that tab (Playwright polls
  the page once per animation frame: this adds the harness's own delay to ``shown``);
- rebuild: the whole rebuild that follows (every page that depends on the edit: listings,
  the other versions, search), as the server times it;
- whole: from the write to the end of that rebuild: when the whole site is up to date.

Each edit waits for the previous one's whole rebuild to end.

Prints the median, minimum and maximum of each, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from digest.serve import DevServer, Outcome  # noqa: E402
from digest.slugs import slugify  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WATCH = """title => {
  window.__shown = 0;
  const seen = () => {
    const heading = document.querySelector("main h1");
    if (!window.__shown && heading && heading.textContent === title) {
      window.__shown = -1;
      requestAnimationFrame(() => { window.__shown = performance.timeOrigin + performance.now(); });
    }
  };
  const all = {subtree: true, childList: true, characterData: true};
  new MutationObserver(seen).observe(document, all);
}"""
SHOWN = """() => {
  if (window.__shown > 0) return window.__shown;
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const nav = performance.getEntriesByType("navigation")[0];
  return performance.timeOrigin + (paint ? paint.startTime : nav.domContentLoadedEventEnd);
}"""
TITLE = re.compile(r"^title: .*$", re.MULTILINE)
ID = re.compile(r"^id: (.*)$", re.MULTILINE)


def generated_site(articles: int) -> Path:
    site = HERE / "out" / f"serve-latency-{articles}"
    if not (site / "content").is_dir():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(articles), str(site), "--no-hugo"],
            check=True,
        )
    return site


class EventStream:
    """A raw client of /__digest__/events."""

    def __init__(self, port: int) -> None:
        self.conn = socket.create_connection(("127.0.0.1", port), timeout=600)
        self.conn.sendall(b"GET /__digest__/events HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        self.buffer = b""

    def next_state(self) -> dict[str, object]:
        while True:
            while b"\n\n" not in self.buffer:
                chunk = self.conn.recv(65536)
                if not chunk:
                    raise EOFError("the event stream ended")
                self.buffer += chunk
            block, _, self.buffer = self.buffer.partition(b"\n\n")
            for line in block.decode("utf-8", "replace").split("\n"):
                if line.startswith("data: "):
                    state: dict[str, object] = json.loads(line[len("data: ") :])
                    return state


def fetch(port: int, path: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=600) as conn:
        conn.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        data = b""
        while chunk := conn.recv(1 << 16):
            data += chunk
    return data


@contextmanager
def browser_tab(url: str) -> Iterator[Any]:
    """A Playwright page open at ``url``, or None when Chromium is not there."""
    if not CHROMIUM.exists():
        yield None
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url)
            yield page
        finally:
            browser.close()


def slug_of(text: str, stem: str) -> str:
    """The URL slug of an article: its id, by default the file's stem."""
    found = ID.search(text)
    return slugify(found.group(1).strip("'\"") if found else stem)


def summary(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"{name:>8}: median {statistics.median(ms):8.1f} ms   "
        f"min {min(ms):8.1f}   max {max(ms):8.1f}   (n={len(ms)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium tab")
    args = parser.parse_args()

    site = generated_site(args.articles)
    files = sorted((site / "content").glob("*.md"))
    chosen = [files[(i * 7919) % len(files)] for i in range(args.edits)]
    rebuilds: list[float] = []
    wholes: list[float] = []
    previews: list[float] = []
    events: list[float] = []
    pages: list[float] = []
    tabs: list[float] = []
    shown: list[float] = []
    originals: dict[Path, str] = {}

    built = threading.Event()
    written_at = [0.0]

    def report(outcome: Outcome) -> None:
        if outcome.error is not None:
            print(*outcome.state.problems, sep="\n", file=sys.stderr)
        elif not outcome.changes.full and len(rebuilds) < len(chosen):
            rebuilds.append(outcome.seconds)  # the edits' rebuilds, not the final restore
            wholes.append(time.perf_counter() - written_at[0])
        built.set()

    started = time.perf_counter()
    server = DevServer(site, "127.0.0.1", 0, report=report)
    server.start()
    timed_preview(server, previews)
    print(f"{len(files)} articles; first build {time.perf_counter() - started:.1f} s")
    try:
        first_url = server.url + f"articles/{slug_of(files[0].read_text(), files[0].stem)}/"
        with browser_tab(first_url) if not args.no_browser else _none() as tab:
            stream = EventStream(server.port)
            seen = stream.next_state()["epoch"]
            for n, path in enumerate(chosen, 1):
                text = path.read_text(encoding="utf-8")
                slug = slug_of(text, path.stem)
                title = f"Edited {n} at {time.time_ns()}"
                if tab is not None:
                    tab.goto(server.url + f"articles/{slug}/")
                    time.sleep(0.2)  # let the tab connect its event stream
                originals.setdefault(path, text)
                if tab is not None:
                    tab.evaluate(WATCH, title)
                built.clear()
                t0 = written_at[0] = time.perf_counter()
                wall0 = time.time()
                path.write_text(TITLE.sub(f'title: "{title}"', text, count=1), encoding="utf-8")
                state = stream.next_state()
                events.append(time.perf_counter() - t0)
                seen = state["epoch"]
                if state["problems"]:
                    raise SystemExit(f"the edit did not build: {state['problems']}")
                body = fetch(server.port, f"/articles/{slug}/")
                pages.append(time.perf_counter() - t0)
                if title.encode() not in body:
                    heading = re.findall(rb"<h1[^>]*>.*?</h1>", body)
                    raise SystemExit(f"the page does not show the edit: {heading}")
                if tab is not None:
                    tab.wait_for_function(
                        "t => document.querySelector('main h1')?.textContent === t",
                        arg=title,
                        polling="raf",
                        timeout=600_000,
                    )
                    tabs.append(time.perf_counter() - t0)
                    tab.wait_for_function("() => window.__shown !== -1", polling="raf")
                    shown.append(tab.evaluate(SHOWN) / 1000 - wall0)
                built.wait()
                while seen != server.channel.state.tag:  # the whole rebuild's event
                    seen = stream.next_state()["epoch"]
                time.sleep(0.3)
            built.clear()
            restore(originals)
            built.wait()  # the site is as generated again
    finally:
        restore(originals)
        server.stop()
    print(summary("preview", previews[: len(chosen)]))
    print(summary("event", events))
    print(summary("page", pages))
    if tabs:
        print(summary("shown", shown))
        print(summary("tab", tabs))
    else:
        print("     tab: not measured (no /usr/bin/chromium, or --no-browser)")
    print(summary("rebuild", rebuilds))
    print(summary("whole", wholes))
    return 0


def timed_preview(server: DevServer, times: list[float]) -> None:
    """Time every preview the server renders (by wrapping its builder's method)."""
    builder = server._builder
    untimed = builder.preview

    def preview(paths: Sequence[Path]) -> list[str]:
        started = time.perf_counter()
        try:
            return untimed(paths)
        finally:
            times.append(time.perf_counter() - started)

    builder.preview = preview  # type: ignore[method-assign]


def restore(originals: dict[Path, str]) -> None:
    """Put the edited articles back, so the next run starts from the generated site."""
    for path, text in originals.items():
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


@contextmanager
def _none() -> Iterator[Any]:
    yield None


if __name__ == "__main__":
    sys.exit(main())
