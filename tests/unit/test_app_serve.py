"""Starting the app: bundled scenarios found from anywhere, 127.0.0.1 only, clear errors."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bosim.app.bundled import bundled_choices
from bosim.app.serve import HOST, check_port, serve
from bosim.app.words import KEY_WORDS, WORDS
from bosim.errors import InputError
from bosim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def test_bundled_scenarios_are_found_from_any_folder(tmp_path: Path) -> None:
    choices = bundled_choices(tmp_path)
    assert "staffing/shared_office_hours.toml" in choices.values()
    assert "example.toml" in choices.values()
    for path in choices:
        assert Path(path).is_absolute()  # outside the folder the app runs in
    load_scenario(next(path for path, name in choices.items() if name == "example.toml"))


def test_bundled_scenarios_in_the_clone_are_shown_relative(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.chdir(ROOT)
    assert bundled_choices()["scenarios/example.toml"] == "example.toml"


def test_the_app_listens_on_this_machine_only() -> None:
    assert HOST == "127.0.0.1"


def test_a_busy_port_is_refused_with_the_fix() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(InputError, match=f"port {port} is in use") as raised:
            check_port(port)
        assert raised.value.fix and "--port" in raised.value.fix
        done = subprocess.run([sys.executable, "-m", "bosim.cli", "app", "--no-browser",
                               "--port", str(port)], capture_output=True, text=True,
                              timeout=120)
    assert done.returncode == 2
    assert f"port {port} is in use" in done.stderr and "Traceback" not in done.stderr


def test_every_language_has_every_word() -> None:
    for table in (WORDS, KEY_WORDS):
        assert set(table["en"]) == set(table["nb"])


def test_a_missing_scenario_is_named_before_starting(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as raised:
        serve(tmp_path / "nothere.toml", port=0, open_browser=False)
    assert raised.value.file == str(tmp_path / "nothere.toml")
