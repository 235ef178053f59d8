"""The app server and browser of the browser tests: ``bosim app`` in a subprocess.

The app runs as a user starts it, ``bosim app --no-browser --port N``, in a subprocess
whose current folder is the test's temporary folder (its ``results/`` and ``plans/`` are
there). Playwright's own browser downloads are not used: the tests drive the system's
chromium through its executable path, and fail (never skip) when it is missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

STARTUP_SECONDS = 60.0
"""How long the app may take to start answering (a cold start imports pandas, scipy, ...)."""


def chromium_path() -> str:
    """Debian's chromium; a clear failure (not a skip) when it is not installed."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    if found is None:
        pytest.fail("the browser tests need Debian's chromium: install it with "
                    "`sudo apt-get install -y chromium` (.ci/run does this when it is missing)",
                    pytrace=False)
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class AppServer:
    """``bosim app`` running in ``folder`` at ``url``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = folder / "app.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bosim.cli", "app", "--no-browser", "--port",
                 str(self.port)],
                cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"bosim app ended at start:\n{self.log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"bosim app did not answer:\n{self.log.read_text()}")

    def stop(self) -> None:
        """Stop the app and everything it started (its run processes, the fork server)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # what is left of its group
