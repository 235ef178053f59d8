"""The Danish scenario runs from the command line, with its payer rule and measures."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from bosim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SHELTER = ROOT / "scenarios" / "danish_shelter.toml"
HOUSING_FIRST = ROOT / "scenarios" / "danish_housing_first.toml"


def test_the_danish_shelter_runs_with_its_payer_rule_and_measures(
        bosim_cli: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    done = bosim_cli("run", SHELTER, "-r", "2", "-o", tmp_path / "run", "--quiet")
    assert done.returncode == 0, done.stderr
    costs = pd.read_parquet(tmp_path / "run" / "costs.parquet")
    shelter = costs[costs.item == "shelter/occupied_days"].groupby("payer")["cost"].sum()
    # The state pays half of the days before the limit only: less than the municipality.
    assert 0 < shelter["state"] < shelter["municipality"]
    summary = pd.read_csv(tmp_path / "run" / "summary.csv")
    assert {"temporary_stays_over_3_months", "homeless_week48"} <= set(summary.metric)
    report = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    assert "Measures the municipality reports" in report


def test_the_housing_first_alternative_removes_the_shelter_from_the_chronic_start() -> None:
    base, alternative = load_scenario(SHELTER), load_scenario(HOUSING_FIRST)
    assert "shelter" in base.segment("chronic").routes["start"]
    assert alternative.segment("chronic").routes["start"] == {"housing_first": 1.0}
    assert alternative.places["shelter"].price_by_stay == base.places["shelter"].price_by_stay
