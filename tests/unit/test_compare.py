"""Comparisons and sweeps: paired by replication on the same people (common random numbers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bosim
from bosim import compare, sweep
from bosim.analysis import dominance
from bosim.analysis.comparison import ratio_interval
from bosim.scenario import parse_vary
from builders import network, values

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "data" / "small.toml"


def test_a_scenario_compared_with_itself_differs_by_exactly_zero() -> None:
    scenario = network()
    comparison = compare(scenario, scenario)
    table = comparison.table
    defined = table.dropna(subset=["diff_mean"])
    assert len(defined) > 50
    economic = defined[defined.metric.isin(["incremental_cost_pv", "npv_priced",
                                            "incremental_housed_person_years"])]
    assert len(economic) == 3
    for column in ("diff_mean", "ci_low", "ci_high"):
        assert (defined[defined.metric != "icer_cost_per_housed_year"][column]
                .dropna() == 0.0).all(), column


def test_common_random_numbers_shrink_the_variance_of_differences() -> None:
    """One more unit in a bofellesskap: the paired difference varies far less than the
    difference between independently seeded runs (the note quotes both variances)."""
    scenario = network(**{"simulation.replications": 20})
    bigger = bosim.with_overrides(scenario, {"places.shared.capacity": [6, 6, 8, 8]})
    metric = "homeless_days_per_person_year"
    base = values(bosim.simulate(scenario).replications, metric)
    paired = values(bosim.simulate(bigger).replications, metric) - base
    independent = values(bosim.simulate(bigger, seed=999).replications, metric) - base
    paired_variance, independent_variance = paired.var(ddof=1), independent.var(ddof=1)
    print(f"CRN: paired variance {paired_variance:.3f}, independent {independent_variance:.3f}")
    assert paired_variance < 0.25 * independent_variance


def test_economic_rows_follow_from_the_paired_costs() -> None:
    scenario = network(**{"places.shelter.cost_per_unit_day": 1500.0,
                          "places.housing_first.cost_per_unit_day": 900.0})
    more = bosim.with_overrides(scenario, {"places.housing_first.capacity": 8})
    comparison = compare(scenario, more, names=["base", "more"])
    table = comparison.table.set_index(["metric", "place"])
    cost = table.loc[("cost_pv", ""), "diff_mean"]
    assert table.loc[("incremental_cost_pv", ""), "diff_mean"] == pytest.approx(cost)
    assert table.loc[("npv_priced", ""), "diff_mean"] == pytest.approx(-cost)
    housed = table.loc[("incremental_housed_person_years_pv", ""), "diff_mean"]
    assert table.loc[("icer_cost_per_housed_year", ""), "diff_mean"] == pytest.approx(
        cost / housed)
    assert list(comparison.results) == ["base", "more"]


def test_ratio_interval_is_left_open_when_the_effect_may_be_zero() -> None:
    generator = np.random.default_rng(1)
    cost = np.array([10.0, 12.0, 9.0, 11.0, 10.0])
    ratio, low, high = ratio_interval(cost, np.array([1.0, -1.0, 0.5, -0.4, 0.2]), generator)
    assert ratio == pytest.approx(cost.mean() / 0.06)
    assert np.isnan(low) and np.isnan(high)
    ratio, low, high = ratio_interval(cost, np.array([2.0, 2.2, 1.9, 2.1, 2.0]), generator)
    assert low <= ratio <= high


def test_alternatives_must_share_the_horizon() -> None:
    scenario = network()
    with pytest.raises(bosim.InputError) as caught:
        compare(scenario, bosim.with_overrides(scenario, {"simulation.years": 5}))
    assert caught.value.key == "simulation.years"


def test_compare_command_writes_the_folder(tmp_path: Path) -> None:
    alternative = tmp_path / "more_hf.toml"
    alternative.write_text(f'extends = "{SMALL}"\n[places.housing_first]\ncapacity = 5\n')
    done = subprocess.run(
        [sys.executable, "-m", "bosim.cli", "compare", str(SMALL), str(alternative),
         "-o", str(tmp_path / "out"), "-q"], capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "more_hf against small" in done.stdout
    folder = tmp_path / "out"
    table = pd.read_csv(folder / "comparison.csv")
    assert list(table.columns) == ["alternative", "metric", "segment", "place", "diff_mean",
                                   "ci_low", "ci_high"]
    assert {"icer_cost_per_housed_year", "npv_priced"} <= set(table.metric)
    assert (table.alternative == "more_hf").all()
    sheet = pd.read_excel(folder / "comparison.xlsx")
    assert "unit" in sheet.columns
    page = (folder / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 2 and "http" not in page
    assert sorted(p.name for p in (folder / "runs").iterdir()) == ["more_hf", "small"]


def test_sweep_runs_the_full_grid_on_the_same_people() -> None:
    scenario = network()
    result = sweep(scenario, {"places.housing_first.capacity": [4, 4, 6],
                              "places.temporary.capacity": [6, 8]})
    assert len(result.points) == 6
    table = result.table
    assert list(table.columns[:2]) == ["places.housing_first.capacity",
                                       "places.temporary.capacity"]
    first = table[(table["places.housing_first.capacity"] == 4)
                  & (table["places.temporary.capacity"] == 6)]
    # The same point twice: the same people and draws, so exactly the same numbers.
    a, b = first.iloc[: len(first) // 2], first.iloc[len(first) // 2:]
    np.testing.assert_array_equal(a["mean"].to_numpy(), b["mean"].to_numpy())


def test_sweep_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bosim.cli", "sweep", str(SMALL), "--vary",
         "places.housing_first.capacity=3,5", "--metric", "cost_pv", "-r", "2",
         "-o", str(tmp_path / "out"), "-q"], capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "out" / "sweep.csv")
    assert sorted(table["places.housing_first.capacity"].unique()) == [3, 5]
    assert (tmp_path / "out" / "sweep.xlsx").exists()
    assert "data:image/png;base64," in (tmp_path / "out" / "report.html").read_text()


def test_sweep_command_bad_input(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bosim.cli", "sweep", str(SMALL), "--vary",
         "places.housing_first.capasity=3,5", "-o", str(tmp_path / "out"), "-q"],
        capture_output=True, text=True,
    )
    assert done.returncode == 2
    assert "--vary: places.housing_first.capasity: unknown key" in done.stderr
    assert "did you mean 'capacity'?" in done.stderr
    assert not (tmp_path / "out").exists()


def test_parse_vary() -> None:
    assert parse_vary("teams.hf.fte=2,4.5,6") == ("teams.hf.fte", [2, 4.5, 6])
    assert parse_vary("policy.priority=fifo,segment") == ("policy.priority", ["fifo", "segment"])
    assert parse_vary('places.x.capacity=[1, 2],"unlimited"') == (
        "places.x.capacity", [[1, 2], "unlimited"])
    with pytest.raises(bosim.InputError):
        parse_vary("teams.hf.fte")


def test_python_api_names_are_the_functions() -> None:
    assert bosim.compare is bosim.api.compare
    assert bosim.sweep is bosim.api.sweep
    scenario = network(**{"simulation.replications": 2})
    table = bosim.compare(scenario, scenario, names=["a", "b"]).table
    assert set(table.alternative) == {"b"}


def test_dominance_is_named_not_a_negative_icer() -> None:
    def table(cost: float, effect: float) -> pd.DataFrame:
        return pd.DataFrame({
            "alternative": ["a", "a"], "place": ["", ""], "segment": ["", ""],
            "metric": ["incremental_cost_pv", "incremental_housed_person_years_pv"],
            "diff_mean": [cost, effect],
        })

    assert dominance(table(-5.0, 2.0), "a") == "dominant"
    assert dominance(table(5.0, -2.0), "a") == "dominated"
    assert dominance(table(5.0, 2.0), "a") is None
    assert dominance(table(-5.0, -2.0), "a") is None


def test_version_option() -> None:
    done = subprocess.run([sys.executable, "-m", "bosim.cli", "--version"],
                          capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.strip() == f"bosim {bosim.__version__}"
