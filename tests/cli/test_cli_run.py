"""`bosim run` end to end: the results folder, its files and their promises (model.md section 7)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import bosim
from bosim.cli import main as _main  # noqa: F401  (the entry point must import)

DATA = Path(__file__).parents[1] / "data"
SMALL = DATA / "small.toml"
SMALL_SEGMENTS = tomllib.loads(SMALL.read_text(encoding="utf-8"))["segments"]


def bosim_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bosim.cli", *args], capture_output=True, text=True, cwd=cwd,
    )


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("run") / "out"
    done = bosim_cli("run", str(SMALL), "-o", str(folder), "--trace", "-q")
    assert done.returncode == 0, done.stderr
    assert "Results written to" in done.stdout
    return folder


def test_run_writes_every_file(run_folder: Path) -> None:
    names = sorted(p.name for p in run_folder.iterdir())
    assert names == sorted([
        "manifest.json", "summary.csv", "summary.xlsx", "replications.parquet",
        "timeseries.parquet", "costs.parquet", "events.parquet", "report.html",
        "waits.parquet", "open_waits.parquet", "flows.parquet", "spells.parquet",
    ])


def test_costs_and_spreadsheet(run_folder: Path) -> None:
    costs = pd.read_parquet(run_folder / "costs.parquet")
    assert list(costs.columns) == ["sample", "replication", "year", "item", "payer", "cost",
                                   "cost_pv"]
    assert set(costs.year) == {0, 1, 2}
    sheet = pd.read_excel(run_folder / "summary.xlsx")
    assert list(sheet.columns[:4]) == ["metric", "segment", "place", "unit"]
    units = dict(zip(sheet.metric, sheet.unit, strict=False))
    assert units["mean_wait_days"] == "days"
    assert units["cost_pv"] == "NOK (2025 prices)"


def test_summary_has_the_contract_columns_and_metrics(run_folder: Path) -> None:
    summary = pd.read_csv(run_folder / "summary.csv").fillna({"segment": "", "place": ""})
    assert list(summary.columns) == ["metric", "segment", "place", "mean", "sd", "ci_low",
                                     "ci_high", "n"]
    metrics = set(summary.metric)
    for name in ("housing_retention_12m", "homeless_days_per_person_year", "housed_share_end",
                 "breakdowns_per_100_person_years", "mean_wait_days", "p90_wait_days",
                 "mean_queue", "mean_occupancy", "utilization", "blocked_days", "arrivals",
                 "exits", "people_end"):
        assert name in metrics, name
    place_wise = summary[summary.metric == "mean_occupancy"]
    assert set(place_wise.place) == {"street", "shelter", "temporary", "shared",
                                     "housing_first", "ordinary"}
    assert (summary[summary.metric == "arrivals"].place == "").all()
    groups = summary[(summary.metric == "arrivals")]
    assert set(groups.segment) == {"", *(s["name"] for s in SMALL_SEGMENTS)}
    total = groups[groups.segment == ""]["mean"].iloc[0]
    assert groups[groups.segment != ""]["mean"].sum() == pytest.approx(total)


def test_parquet_files_have_the_contract_columns(run_folder: Path) -> None:
    replications = pd.read_parquet(run_folder / "replications.parquet")
    assert list(replications.columns) == ["sample", "replication", "metric", "segment", "place",
                                          "value"]
    assert set(replications["sample"]) == {0}
    assert sorted(replications.replication.unique()) == [0, 1, 2]
    timeseries = pd.read_parquet(run_folder / "timeseries.parquet")
    assert list(timeseries.columns) == ["sample", "replication", "day", "place", "occupancy",
                                        "queue"]
    observed_months = timeseries[(timeseries.day >= 0) & (timeseries.replication == 0)]
    assert observed_months.day.nunique() == 3 * 12  # at least monthly
    events = pd.read_parquet(run_folder / "events.parquet")
    assert list(events.columns) == ["sample", "replication", "time", "person", "segment",
                                    "event", "place", "target"]
    assert {"arrival", "admission", "end_of_stay", "exit"} <= set(events.event.astype(str))


def test_manifest_explains_the_result(run_folder: Path) -> None:
    manifest = json.loads((run_folder / "manifest.json").read_text())
    assert manifest["scenario_name"] == "Small test municipality"
    assert manifest["seed"] == 11 and manifest["replications"] == 3
    assert manifest["scenario_files"][0]["path"].endswith("small.toml")
    import hashlib
    assert manifest["scenario_files"][0]["sha256"] == hashlib.sha256(SMALL.read_bytes()).hexdigest()
    assert manifest["scenario"]["places"]["shared"]["capacity"] == [4, 6, 6]
    assert manifest["bosim_version"] == bosim.__version__
    assert {"simpy", "numpy", "pandas"} <= set(manifest["packages"])
    assert manifest["started"] <= manifest["finished"]


def test_report_is_self_contained(run_folder: Path) -> None:
    page = (run_folder / "report.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "Small test municipality" in page
    assert "data:image/png;base64," in page
    for outside in ("http://", "https://", "<script", "<link"):
        assert outside not in page


def test_command_line_matches_python_api(run_folder: Path) -> None:
    results = bosim.simulate(bosim.load_scenario(SMALL))
    summary = pd.read_csv(run_folder / "summary.csv").fillna({"segment": "", "place": ""})
    summary["place"] = summary["place"].fillna("")
    pd.testing.assert_frame_equal(
        summary.reset_index(drop=True),
        results.summary.reset_index(drop=True),
        check_dtype=False, rtol=1e-12,
    )


def test_existing_folder_is_never_overwritten(run_folder: Path) -> None:
    before = (run_folder / "summary.csv").read_bytes()
    done = bosim_cli("run", str(SMALL), "-o", str(run_folder), "-q", "--seed", "99")
    assert done.returncode == 2
    assert "exists already" in done.stderr and "--force" in done.stderr
    assert (run_folder / "summary.csv").read_bytes() == before


def test_force_replaces_a_folder_whole(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    first = bosim_cli("run", str(SMALL), "-o", str(folder), "-q", "-r", "2", "--trace")
    assert first.returncode == 0, first.stderr
    done = bosim_cli("run", str(SMALL), "-o", str(folder), "-q", "-r", "2", "--force")
    assert done.returncode == 0, done.stderr
    assert not (folder / "events.parquet").exists()  # nothing of the old folder is left
    assert (folder / "summary.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folders left


def test_set_overrides_reach_the_simulation(tmp_path: Path) -> None:
    done = bosim_cli("run", str(SMALL), "-o", str(tmp_path / "a"), "-q", "-r", "2",
                     "--set", "places.housing_first.capacity=7",
                     "--set", "segments.chronic.arrivals_per_year=9")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert manifest["scenario"]["places"]["housing_first"]["capacity"] == 7
    assert manifest["scenario"]["segments"][0]["arrivals_per_year"] == 9
    assert manifest["replications"] == 2


def test_default_folder_is_under_results(tmp_path: Path) -> None:
    done = bosim_cli("run", str(SMALL), "-q", "-r", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (folder,) = (tmp_path / "results").iterdir()
    assert folder.name.startswith("small-test-municipality-")


def test_jobs_give_identical_files(tmp_path: Path) -> None:
    for jobs in ("1", "2"):
        done = bosim_cli("run", str(SMALL), "-o", str(tmp_path / jobs), "-q", "-j", jobs)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "1" / "summary.csv").read_bytes() == (
        tmp_path / "2" / "summary.csv").read_bytes()


@pytest.mark.parametrize("command", ["psa", "tornado"])
def test_help_shows_the_section_name_in_brackets(command: str) -> None:
    """Rich reads ``[uncertainty]`` as a style tag and drops it unless escaped."""
    done = bosim_cli(command, "--help")
    assert done.returncode == 0, done.stderr
    assert "[uncertainty] register" in " ".join(done.stdout.split())
