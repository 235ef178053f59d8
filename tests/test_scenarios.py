"""The bundled scenarios: each validates, runs, and says where every number comes from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bosim

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").rglob("*.toml"))
NUMBER = re.compile(r"=\s*[\[{]?[^\"\n]*\d")


def test_the_bundled_scenarios_are_there() -> None:
    names = {p.relative_to(ROOT / "scenarios").as_posix() for p in SCENARIOS}
    assert {"example.toml", "staffing/base.toml", "staffing/housing_first.toml",
            "staffing/shared_office_hours.toml", "staffing/shared_hf_staffing.toml"} <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_number_has_a_source_or_says_it_is_an_assumption(path: Path) -> None:
    """A line that sets a number carries a comment: its source, or 'assumption: why'."""
    missing = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        code = line.split("#")[0]
        if NUMBER.search(code) and not code.strip().startswith("[") and "#" not in line:
            missing.append(f"{number}: {line.strip()}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_runs(path: Path) -> None:
    scenario = bosim.load_scenario(path)
    results = bosim.simulate(scenario, replications=2)
    assert results.metric("person_years") > 0
    for name in scenario.places:
        assert results.metric("mean_occupancy", name) >= 0
