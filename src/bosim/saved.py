"""A results folder read back from disk, for re-rendering reports (``bosim report DIR``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from bosim.engine import CompiledScenario, compile_scenario
from bosim.errors import InputError
from bosim.scenario import Scenario, scenario_from_dict

RUN_FILES = ("manifest.json", "summary.csv", "replications.parquet", "timeseries.parquet",
             "costs.parquet", "waits.parquet", "flows.parquet", "spells.parquet")


@dataclass
class SavedResults:
    """The tables of a results folder, with the scenario from its manifest."""

    folder: Path
    manifest: dict[str, Any]
    scenario: Scenario
    compiled: CompiledScenario
    summary: pd.DataFrame
    replications: pd.DataFrame
    timeseries: pd.DataFrame
    costs: pd.DataFrame
    waits: pd.DataFrame
    flows: pd.DataFrame
    spells: pd.DataFrame

    @property
    def seed(self) -> int:
        """The run's seed."""
        return int(self.manifest["seed"])

    @property
    def replication_count(self) -> int:
        """Number of replications."""
        return int(self.manifest["replications"])


def is_run_folder(folder: Path) -> bool:
    """Whether a folder looks like the output of ``bosim run``."""
    return (folder / "summary.csv").exists() and (folder / "manifest.json").exists()


def load_results(folder: str | Path) -> SavedResults:
    """Read a folder written by ``bosim run`` (or ``Results.save``).

    Raises:
        InputError: if the folder is missing files or was written by something else.

    """
    path = Path(folder)
    missing = [name for name in RUN_FILES if not (path / name).exists()]
    if missing:
        raise InputError(
            f"is not a complete bosim results folder (missing {', '.join(missing)})",
            file=str(path),
            fix="give a folder written by bosim run, compare or sweep (0.1 or newer)",
        )
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    scenario = scenario_from_dict(manifest["scenario"], source=str(path / "manifest.json"))
    summary = pd.read_csv(path / "summary.csv")
    summary["place"] = summary["place"].fillna("")
    return SavedResults(
        folder=path,
        manifest=manifest,
        scenario=scenario,
        compiled=compile_scenario(scenario),
        summary=summary,
        replications=pd.read_parquet(path / "replications.parquet"),
        timeseries=pd.read_parquet(path / "timeseries.parquet"),
        costs=pd.read_parquet(path / "costs.parquet"),
        waits=pd.read_parquet(path / "waits.parquet"),
        flows=pd.read_parquet(path / "flows.parquet"),
        spells=pd.read_parquet(path / "spells.parquet"),
    )


def rerender(folder: str | Path, lang: str = "en") -> Path:
    """Render a results folder's ``report.html`` again (a run, a comparison or a sweep).

    Returns the path of the report written.
    """
    from types import SimpleNamespace

    from bosim.comparison import Comparison, economic_rows, paired_differences
    from bosim.output import write_whole
    from bosim.report import render_comparison_report, render_report, render_sweep_report
    from bosim.sweeping import Sweep

    path = Path(folder)
    target = path / "report.html"
    if (path / "comparison.csv").exists():
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        names = [manifest["base"], *manifest["alternatives"]]
        runs = {name: load_results(path / manifest["runs"][name]) for name in names}
        base = runs[names[0]]
        rows = []
        for name in names[1:]:
            rows.append(paired_differences(base, runs[name], name))
            rows.append(economic_rows(base, runs[name], name, base.seed))
        comparison = Comparison(names=names, results=runs, table=pd.concat(rows,
                                                                           ignore_index=True))
        write_whole(target, render_comparison_report(comparison, lang).encode())
    elif (path / "sweep.csv").exists():
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        scenario = scenario_from_dict(manifest["scenario"], source=str(path / "manifest.json"))
        table = pd.read_csv(path / "sweep.csv")
        table["place"] = table["place"].fillna("")
        paths = manifest["paths"]
        points = list(table[paths].drop_duplicates().itertuples(index=False, name=None))
        sweep = Sweep(paths=paths, points=points, results=[SimpleNamespace(scenario=scenario)],
                      table=table)
        write_whole(target, render_sweep_report(sweep, manifest["metrics"], lang).encode())
    elif is_run_folder(path):
        write_whole(target, render_report(load_results(path), lang).encode())
    else:
        raise InputError(
            "is not a bosim results folder (no summary.csv, comparison.csv or sweep.csv)",
            file=str(path),
            fix="give a folder written by bosim run, compare or sweep",
        )
    return target
