"""Sweeping parameters over a grid, on the same people at every point (CRN).

``bosim sweep SCENARIO --vary PATH=V1,V2,... [--vary ...]`` runs the full grid of the
values with one seed, so differences between points are policy, not noise.
"""

from __future__ import annotations

import itertools
import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from bosim.api import simulate
from bosim.errors import InputError
from bosim.results import metric_unit, spreadsheet
from bosim.runner import Progress
from bosim.scenario import Scenario, scenario_to_dict, with_overrides


def parse_vary(text: str) -> tuple[str, list[object]]:
    """``PATH=V1,V2,...`` from the command line; values are read as TOML."""
    if "=" not in text:
        raise InputError(
            f"{text!r} is not PATH=V1,V2,...", file="--vary",
            fix="write e.g. --vary teams.hf_team.fte=2,4,6",
        )
    path, _, raw = text.partition("=")
    try:
        values = tomllib.loads(f"values = [{raw}]")["values"]
    except tomllib.TOMLDecodeError:
        values = [part.strip() for part in raw.split(",") if part.strip()]
    if not values:
        raise InputError("no values", file="--vary", key=path.strip(),
                         fix="give at least one value after =")
    return path.strip(), list(values)


@dataclass
class Sweep:
    """Results at every point of a grid.

    Attributes:
        paths: the varied key paths.
        points: one tuple of values per point, in grid order.
        results: the results at each point.
        table: one row per point and metric: the varied values, then ``metric, place,
            mean, sd, ci_low, ci_high, n``.

    """

    paths: list[str]
    points: list[tuple[object, ...]]
    results: list[Any]
    """The results at each point (read back from a folder: one holder of the scenario)."""
    table: pd.DataFrame

    def figure(self, metric: str, place: str = "") -> Figure:
        """A metric against the first varied value (a line per combination of the others)."""
        from bosim import plot

        return plot.sweep(self, metric, place)

    def save(self, directory: str | Path, metrics: Sequence[str] = (), force: bool = False,
             lang: str = "en") -> Path:
        """Write ``sweep.csv``, ``sweep.xlsx`` and ``report.html`` with a figure per metric."""
        from bosim.output import output_folder, write_whole
        from bosim.report import render_sweep_report

        target = Path(directory)
        with output_folder(target, force=force) as folder:
            write_whole(folder / "sweep.csv", self.table.to_csv(index=False).encode())
            meta = self.results[0].scenario.meta
            money = f"{meta.currency} ({meta.price_year} prices)"
            readable = self.table.copy()
            readable.insert(len(self.paths) + 2, "unit",
                            [metric_unit(m, money) for m in readable.metric])
            write_whole(folder / "sweep.xlsx", spreadsheet({"sweep": readable}))
            chosen = list(metrics) or ["housing_retention_12m", "cost_pv"]
            manifest = {"scenario": scenario_to_dict(self.results[0].scenario),
                        "paths": self.paths, "metrics": chosen}
            write_whole(folder / "manifest.json", json.dumps(manifest, indent=2).encode())
            write_whole(folder / "report.html",
                        render_sweep_report(self, chosen, lang).encode())
        return target


def sweep(
    scenario: Scenario,
    vary: Mapping[str, Sequence[object]],
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    source: str = "vary",
) -> Sweep:
    """Simulate every point of the grid of ``vary`` with the same seed.

    Example: ``sweep(s, {"teams.hf_team.fte": [2, 4, 6]})``.
    """
    if not vary:
        raise InputError("nothing to vary", file="--vary",
                         fix="give at least one --vary PATH=V1,V2,...")
    paths = list(vary)
    points = list(itertools.product(*(list(vary[path]) for path in paths)))
    results = []
    tables = []
    for point in points:
        changed = with_overrides(scenario, dict(zip(paths, point, strict=True)), source)
        outcome = simulate(changed, replications=replications, seed=seed, jobs=jobs,
                           progress=progress)
        results.append(outcome)
        summary = outcome.summary.copy()
        for position, (path, value) in enumerate(zip(paths, point, strict=True)):
            summary.insert(position, path, [value] * len(summary))
        tables.append(summary)
    return Sweep(paths=paths, points=points, results=results,
                 table=pd.concat(tables, ignore_index=True))
