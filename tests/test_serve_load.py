"""digest serve under load: 200 concurrent requests from a local client, rebuilds meanwhile.

Bounded in count and time, on 127.0.0.1 only. Every answer must be a whole page: the one
before an edit or the one after it, never a mixture and never an error.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from digest.serve import DevServer
from tests.conftest import article, write_site
from tests.test_serve import raw_request

REQUESTS = 200
PATHS = ["/", "/articles/a/", "/stories/a/", "/days/2019-08-27/", "/static/style.css"]


def test_200_concurrent_requests_during_rebuilds_get_whole_pages(tmp_path: Path) -> None:
    files = {
        f"content/{name}.md": article(f"Title {name} v0", "2019-08-27", "AFP", "Text. " * 300)
        for name in ("a", "b", "c")
    }
    site = write_site(tmp_path / "site", files)
    with DevServer(site, "127.0.0.1", 0, quiet=0.01, longest=0.1) as server:

        def get(n: int) -> tuple[int, bytes, str]:
            path = PATHS[n % len(PATHS)]
            response = raw_request(server.port, path)
            return response.status, response.body, path

        deadline = time.monotonic() + 60
        with ThreadPoolExecutor(max_workers=50) as pool:
            futures = [pool.submit(get, n) for n in range(REQUESTS)]
            for version in range(1, 6):  # edits land while the requests are in flight
                text = article(f"Title a v{version}", "2019-08-27", "AFP", "Text. " * 300)
                (site / "content" / "a.md").write_text(text, encoding="utf-8")
                time.sleep(0.05)
            results = [f.result(timeout=max(1.0, deadline - time.monotonic())) for f in futures]
    assert len(results) == REQUESTS
    for status, body, path in results:
        assert status == 200, path
        if path.endswith("/"):
            html = body.decode()
            assert html.lstrip().startswith("<!doctype html>"), path
            assert html.rstrip().endswith("</html>"), path
            if path == "/articles/a/":
                assert html.count("<h1") == 1 and "Title a v" in html
