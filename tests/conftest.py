"""Shared helpers for the scenario tests: a tiny valid scenario and the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

TINY_SCENARIO = """\
[meta]
name = "tiny"

[simulation]
years = 1
warmup_years = 0
replications = 1
seed = 1

[policy]
waiting = ["hostel", "street"]

[places.street]
kind = "street"

[places.hostel]
kind = "acute"
capacity = 5
cost_per_occupied_day = 950

[places.flat]
kind = "ordinary"
capacity = 4
stay = { dist = "exponential", mean = 200 }

[[segments]]
name = "single"
arrivals_per_year = 5
initial = { hostel = 2, flat = 1 }
[segments.routes]
start = { flat = 1.0 }
flat = { exit = 1.0 }
"""
"""A valid scenario with three places and one segment that simulates in about a second."""

STAY_REGISTER = """
[uncertainty.flat_stay]
path = "places.flat.stay.mean"
interval80 = [120.0, 300.0]
source = "test"
"""
"""An uncertain stay: every draw is simulated."""
PRICE_REGISTER = """
[uncertainty.hostel_price]
path = "places.hostel.cost_per_occupied_day"
dist = "uniform"
min = 700.0
max = 1200.0
source = "test"
"""
"""An uncertain price: re-priced without simulating."""
TINY_REGISTER = STAY_REGISTER + PRICE_REGISTER
"""An [uncertainty] register for the tiny scenario: a stay (simulated) and a price (re-priced)."""


@pytest.fixture
def tiny_scenario() -> str:
    """The text of :data:`TINY_SCENARIO` (valid, fast: 1 year, no warm-up, 1 replication)."""
    return TINY_SCENARIO


@pytest.fixture
def write_scenario(tmp_path: Path) -> Callable[..., Path]:
    """Write a scenario file into ``tmp_path`` (or ``folder``), with exact text replacements.

    Each ``(old, new)`` in ``replace`` must match exactly once, so a test cannot silently
    keep the valid text when the base scenario changes.
    """

    def write(
        name: str = "scenario.toml",
        text: str = TINY_SCENARIO,
        replace: Sequence[tuple[str, str]] = (),
        folder: Path | None = None,
    ) -> Path:
        for old, new in replace:
            assert text.count(old) == 1, f"{old!r} must occur exactly once in the scenario"
            text = text.replace(old, new)
        path = (folder or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def bosim_cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m bosim.cli ARGS`` in ``tmp_path`` (or ``cwd``) as a user would.

    The environment is the test's own minus ``COLUMNS``, ``LINES`` and ``BOSIM_DEBUG``,
    so the output does not depend on the terminal pytest happens to run in.
    """

    def run(
        *args: object, cwd: Path | None = None, program: Sequence[str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"COLUMNS", "LINES", "BOSIM_DEBUG"}
        }
        command = [*(program or (sys.executable, "-m", "bosim.cli")), *map(str, args)]
        return subprocess.run(
            command,
            cwd=cwd or tmp_path,
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )

    return run
