"""`bosim psa` end to end: the folder, re-pricing instead of simulating, jobs, bad registers."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bosim
import bosim.api
from bosim.outputs.psa_folder import load_psa_folder, psa_tables
from bosim.scenario import with_overrides
from bosim.scenario.draws import draw_uniforms, plan_overrides
from conftest import PRICE_REGISTER, STAY_REGISTER

BIGGER = ("capacity = 4\n", "capacity = 6\n")


def bosim_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bosim.cli", *args], capture_output=True,
                          text=True)


@pytest.fixture
def plans(write_scenario: Callable[..., Path], tiny_scenario: str) -> tuple[Path, Path]:
    register = tiny_scenario + PRICE_REGISTER + STAY_REGISTER
    return (write_scenario("base.toml", register),
            write_scenario("bigger.toml", register, replace=[BIGGER]))


def test_psa_writes_its_folder(plans: tuple[Path, Path], tmp_path: Path) -> None:
    folder = tmp_path / "psa"
    done = bosim_cli("psa", str(plans[0]), str(plans[1]), "--draws", "4", "-r", "2",
                     "-o", str(folder), "-q")
    assert done.returncode == 0, done.stderr
    assert {p.name for p in folder.iterdir()} == {
        "manifest.json", "psa.parquet", "parameters.parquet", "register.csv", "ceac.csv",
        "evppi.csv", "variance.csv", "report.html"}
    page = (folder / "report.html").read_text()
    assert "best value" in page and "worth measuring first" in page
    # Who pays: signed millions (a saving is negative, not an 'extra cost' of -8 758 951).
    budget = re.search(r"Expected extra cost \(\+\) or saving \(−\) of [^<]*", page)
    assert budget is not None
    assert len(re.findall(r"[+-]\d+(?:\.\d+)?\smillion NOK for", budget.group())) == 3
    table = pd.read_parquet(folder / "psa.parquet")
    assert list(table.columns) == ["sample", "replication", "alternative", "metric", "segment",
                                   "place", "value"]
    assert set(table["sample"]) == {1, 2, 3, 4} and set(table["alternative"]) == {"base",
                                                                                  "bigger"}
    parameters = pd.read_parquet(folder / "parameters.parquet")
    assert list(parameters.columns) == ["sample", "parameter", "value"]
    assert len(parameters) == 8
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["simulations"] == 2 * 4 * 2 and manifest["simulations_saved_by_repricing"] == 0
    register = pd.read_csv(folder / "register.csv")
    assert register.set_index("parameter").loc["flat_stay", "distribution"].startswith(
        "lognormal")
    # CEAC at willingness to pay 0: the share of draws in which each plan is cheapest.
    ceac = pd.read_csv(folder / "ceac.csv")
    own = ceac[(ceac.wtp == 0) & (ceac.effect == "housed_year")
               & (ceac.perspective == "society")]
    system = table[(table.segment.fillna("") == "") & (table.place.fillna("") == "")]
    parts = system[system.metric.isin(["cost_pv_municipality", "cost_pv_state", "cost_pv_other",
                                       "tax_financing_cost_pv"])]
    cost = parts.groupby(["sample", "alternative"])["value"].sum() / 2  # mean of 2 replications
    cheapest = cost.unstack("alternative")[["base", "bigger"]].to_numpy().argmin(axis=1)
    expected = np.bincount(cheapest, minlength=2) / 4
    assert own.set_index("alternative").loc[["base", "bigger"], "probability_best"].tolist() == (
        pytest.approx(expected.tolist()))


def test_same_numbers_for_one_and_two_jobs(plans: tuple[Path, Path], tmp_path: Path) -> None:
    tables = []
    for jobs in ("1", "2"):
        folder = tmp_path / f"j{jobs}"
        done = bosim_cli("psa", str(plans[0]), str(plans[1]), "--draws", "3", "-r", "2",
                         "-j", jobs, "-o", str(folder), "-q")
        assert done.returncode == 0, done.stderr
        tables.append(pd.read_parquet(folder / "psa.parquet"))
    pd.testing.assert_frame_equal(tables[0], tables[1])


def test_a_price_only_register_simulates_once_and_equals_simulating_every_draw(
        write_scenario: Callable[..., Path], tiny_scenario: str) -> None:
    base = bosim.load_scenario(write_scenario("base.toml", tiny_scenario + PRICE_REGISTER))
    bigger = bosim.load_scenario(write_scenario("bigger.toml", tiny_scenario + PRICE_REGISTER,
                                                replace=[BIGGER]))
    draws, replications = 5, 3
    analysis = bosim.api.psa(base, bigger, draws=draws, replications=replications,
                             names=["base", "bigger"])
    assert analysis.simulations == 2 * replications
    assert analysis.saved == 2 * draws * replications - 2 * replications
    values = draw_uniforms([base.uncertainty, bigger.uncertainty], draws, base.simulation.seed)
    for name, plan in (("base", base), ("bigger", bigger)):
        for sample, overrides in enumerate(plan_overrides(plan, values), 1):
            simulated = bosim.simulate(with_overrides(plan, overrides),
                                       replications=replications).replications
            mine = analysis.table[(analysis.table["sample"] == sample)
                                  & (analysis.table["alternative"] == name)]
            assert np.allclose(mine["value"].to_numpy(), simulated["value"].to_numpy(),
                               rtol=1e-12, equal_nan=True)


BAD = {
    "unknown path": ('path = "places.hostel.cost_per_occupied_day"',
                     'path = "places.hostel.cost_per_nigth"'),
    "missing parameters": ('max = 1200.0\n', ''),
    "low above high": ('max = 1200.0\n', 'max = 1200.0\nlow = 1100.0\nhigh = 800.0\n'),
    "group of one": ('max = 1200.0\n', 'max = 1200.0\ngroup = "g"\ncorrelation = 0.5\n'),
    "breaks a rule": ('min = 700.0', 'min = -700.0'),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_register_exits_2_naming_the_parameter(
        write_scenario: Callable[..., Path], tiny_scenario: str, tmp_path: Path,
        case: str) -> None:
    path = write_scenario("bad.toml", tiny_scenario + PRICE_REGISTER, replace=[BAD[case]])
    done = bosim_cli("psa", str(path), "--draws", "3", "-o", str(tmp_path / "out"), "-q")
    assert done.returncode == 2, done.stderr
    assert "uncertainty.hostel_price" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_no_register_exits_2(write_scenario: Callable[..., Path], tmp_path: Path) -> None:
    done = bosim_cli("psa", str(write_scenario()), "--draws", "3", "-o", str(tmp_path / "o"))
    assert done.returncode == 2 and "no [uncertainty] register" in done.stderr


def test_tornado_moves_one_parameter_at_a_time(
        write_scenario: Callable[..., Path], tiny_scenario: str, tmp_path: Path) -> None:
    path = write_scenario("base.toml", tiny_scenario + PRICE_REGISTER + STAY_REGISTER)
    scenario = bosim.load_scenario(path)
    table = bosim.api.tornado(scenario, metric="cost_pv", replications=2)
    assert list(table["parameter"]) == sorted(table["parameter"], key=lambda name: -float(
        table.set_index("parameter").loc[name, "swing"]))
    rows = table.set_index("parameter")
    for name, key in (("hostel_price", "places.hostel.cost_per_occupied_day"),
                      ("flat_stay", "places.flat.stay.mean")):
        low, high = rows.loc[name, "low"], rows.loc[name, "high"]
        for value, column in ((low, "outcome_low"), (high, "outcome_high")):
            run = bosim.simulate(with_overrides(scenario, {key: float(value)}), replications=2)
            assert rows.loc[name, column] == pytest.approx(run.metric("cost_pv"), rel=1e-12)
    assert rows["outcome_base"].iloc[0] == pytest.approx(
        bosim.simulate(scenario, replications=2).metric("cost_pv"), rel=1e-12)
    folder = tmp_path / "tornado"
    done = bosim_cli("tornado", str(path), "-r", "2", "-o", str(folder), "-q")
    assert done.returncode == 0, done.stderr
    assert {p.name for p in folder.iterdir()} == {"manifest.json", "tornado.csv", "tornado.png"}
    done = bosim_cli("tornado", str(path), "--metric", "nonsense", "-o", str(tmp_path / "x"))
    assert done.returncode == 2 and "--metric" in done.stderr


def test_psa_with_sobol_writes_indices_with_intervals(plans: tuple[Path, Path],
                                                      tmp_path: Path) -> None:
    folder = tmp_path / "sobol"
    done = bosim_cli("psa", str(plans[0]), str(plans[1]), "--draws", "4", "-r", "2", "--sobol",
                     "-o", str(folder), "-q")
    nb = tmp_path / "nb"
    assert bosim_cli("psa", str(plans[0]), str(plans[1]), "--draws", "4", "-r", "2", "--lang",
                     "nb", "-o", str(nb), "-q").returncode == 0
    assert "Hvilket lokalt tall" in (nb / "report.html").read_text()
    assert done.returncode == 0, done.stderr
    parameters = pd.read_parquet(folder / "parameters.parquet")
    assert parameters["sample"].max() == 4 * (2 + 2)  # Saltelli: N (parameters + 2)
    sobol = pd.read_csv(folder / "sobol.csv")
    assert set(sobol["parameter"]) == {"hostel_price", "flat_stay"}
    assert "Hvilket lokalt tall" not in (folder / "report.html").read_text()
    assert {"first", "first_half_width", "total", "total_half_width"} <= set(sobol.columns)
    done = bosim_cli("psa", str(plans[0]), "--draws", "6", "--sobol", "-o",
                     str(tmp_path / "x"), "-q")
    assert done.returncode == 2 and "power of 2" in done.stderr


def test_report_renders_a_psa_folder_again_from_its_files(plans: tuple[Path, Path],
                                                           tmp_path: Path) -> None:
    folder = tmp_path / "psa"
    done = bosim_cli("psa", str(plans[0]), str(plans[1]), "--draws", "2", "-r", "2",
                     "--sobol", "-o", str(folder), "-q")
    assert done.returncode == 0, done.stderr
    analysis, wtp = load_psa_folder(folder)
    for name, table in psa_tables(analysis, wtp).items():  # read back: the same numbers
        pd.testing.assert_frame_equal(table.reset_index(drop=True),
                                      pd.read_csv(folder / f"{name}.csv"), check_dtype=False)
    (folder / "report.html").unlink()
    again = bosim_cli("report", str(folder), "--lang", "nb")
    assert again.returncode == 0, again.stderr
    assert (folder / "report.html").stat().st_size > 0
