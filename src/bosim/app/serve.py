"""Starting the app: a web server on this machine only (127.0.0.1), and the browser."""

from __future__ import annotations

import multiprocessing
import socket
import threading
import webbrowser
from pathlib import Path

import uvicorn

from bosim.app.jobs import STOP_SECONDS
from bosim.app.server import make_app
from bosim.errors import InputError

HOST = "127.0.0.1"
"""The app listens on this machine only: nobody else on the network can reach it."""
DEFAULT_PORT = 8765


def check_port(port: int) -> None:
    """Refuse a port the app cannot listen on, before starting.

    Raises:
        InputError: naming the port and the fix.

    """
    if not 0 < port < 65536:
        raise InputError(f"port {port} is not a port number", key="--port",
                         fix="give a number from 1024 to 65535, e.g. --port 8765")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            raise InputError(f"port {port} is in use (another bosim app?)", key="--port",
                             fix=f"open http://{HOST}:{port} if it is bosim, or give "
                             "another port, e.g. --port 8766") from None


def serve(scenario: Path | None = None, port: int = DEFAULT_PORT, open_browser: bool = True,
          lang: str = "en") -> None:
    """Serve the app at ``http://127.0.0.1:PORT`` until Ctrl-C; open it in the browser.

    Runs still going when the app stops are cancelled (nothing half-written is left).

    Raises:
        InputError: a scenario file that is not there, or a port that cannot be used.

    """
    if scenario is not None and not scenario.is_file():
        raise InputError("no such file", file=str(scenario),
                         fix="check the path, or start bosim app without it and choose a "
                         "scenario on the page")
    check_port(port)
    app = make_app(scenario, lang)
    address = f"http://{HOST}:{port}"
    print(f"bosim app: open {address} in your browser (Ctrl-C stops the app)", flush=True)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(address,)).start()
    try:
        uvicorn.run(app, host=HOST, port=port, log_level="warning")
    finally:
        for run in multiprocessing.active_children():
            run.terminate()  # a run cleans up on SIGTERM, as on Cancel
        for run in multiprocessing.active_children():
            run.join(STOP_SECONDS)
