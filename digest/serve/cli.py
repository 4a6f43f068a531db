"""The command line's piece of ``digest serve``: start, report each build, stop on Ctrl-C."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from digest.errors import DigestError
from digest.result import BuildResult
from digest.serve.server import DevServer, Outcome, ServeError


def _report(outcome: Outcome) -> None:
    """One line per build; the errors of a failed one, as the page overlay shows them."""
    ms = outcome.seconds * 1000
    if outcome.error is None:
        result = outcome.result
        done = ""
        if isinstance(result, BuildResult):
            for warning in result.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            report = result.report
            done = f": {len(report.written)} written, {len(report.removed)} removed"
        what = "built" if outcome.changes.full else "rebuilt"
        print(f"{what} in {ms:.0f} ms{done}", flush=True)
        return
    if not isinstance(outcome.error, DigestError):  # a bug: its traceback helps to fix it
        traceback.print_exception(outcome.error, file=sys.stderr)
    for problem in outcome.state.problems:
        print(problem, file=sys.stderr)
    count = len(outcome.state.problems)
    print(
        f"error: {count} problem{'s' if count != 1 else ''}; still serving the last good site",
        file=sys.stderr,
        flush=True,
    )


def serve_main(site: Path, host: str, port: int) -> int:
    """Serve until Ctrl-C (exit 0); 1 when the server cannot start."""
    try:
        server = DevServer(site, host, port, report=_report)
    except ServeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Serving {site} at {server.url}", flush=True)
    try:
        server.start()
        server.wait()
    except ServeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        server.stop()
    return 0
