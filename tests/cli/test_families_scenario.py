"""The bundled family scenario runs as the README says, and its report shows families' waits."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd

FAMILIES = Path(__file__).resolve().parents[2] / "scenarios" / "families.toml"


def test_the_family_scenario_runs_and_reports_the_families_waits(
        tmp_path: Path, bosim_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    result = bosim_cli("run", FAMILIES, "-r", "3", "-o", "out", "-q")
    assert result.returncode == 0, result.stderr
    summary = pd.read_csv(tmp_path / "out" / "summary.csv", dtype={"segment": str,
                                                                   "place": str})
    summary = summary.fillna({"segment": "", "place": ""})
    waits = summary[(summary.metric == "mean_wait_days") & (summary.place == "municipal")]
    by_group = dict(zip(waits.segment, waits["mean"], strict=True))
    # few large dwellings: the large families wait longest (NTNU Samfunnsforskning 2018)
    assert by_group["large_families"] > by_group["small_families"]
    persons = summary[(summary.metric == "arrivals_persons") & (summary.segment != "")]
    households = summary[(summary.metric == "arrivals") & (summary.segment != "")]
    assert list(persons["mean"]) == [h * n for h, n in zip(households["mean"], (1, 3, 6),
                                                           strict=True)]
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Families with three or more children" in report
    assert ">None<" not in report  # the capacity of a place with units reads as a number


def test_a_family_no_unit_fits_is_named_with_its_key_and_fix(
        tmp_path: Path, bosim_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    text = FAMILIES.read_text(encoding="utf-8").replace(
        "household = { adults = 2, children = 4 }", "household = { adults = 2, children = 7 }")
    (tmp_path / "big.toml").write_text(text, encoding="utf-8")
    result = bosim_cli("validate", "big.toml")
    assert result.returncode == 2
    message = " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
    assert "big.toml" in message
    assert "segments.large_families.routes.start.municipal" in message
    assert "7 children" in message and "max_children = 7" in message
