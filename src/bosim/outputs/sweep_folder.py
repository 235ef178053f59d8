"""The folder of a sweep: ``sweep.csv``, ``sweep.xlsx`` and every point's replications.

Layout: ``manifest.json`` (the scenario, the varied paths, the points, the metrics to
plot), ``sweep.csv`` (summary per point), ``sweep.xlsx``, ``replications.parquet``
(every point's metrics per replication, with a ``point`` column) and whatever rendered
files the caller adds (``report.html``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from bosim.analysis import Sweep
from bosim.outputs.folder import output_folder, parquet
from bosim.outputs.run_folder import write_files
from bosim.outputs.spreadsheet import readable_sheets, spreadsheet
from bosim.scenario import Scenario, scenario_from_dict, scenario_to_dict

FORMAT = "bosim-sweep"


def write_sweep_folder(sweep: Sweep, directory: str | Path, metrics: Sequence[str],
                       force: bool = False, extra: Mapping[str, bytes] | None = None,
                       lang: str = "en", headers: Mapping[str, str] | None = None) -> Path:
    """Write a sweep folder whole, with ``extra`` files (e.g. ``report.html``).

    ``lang``: the language of the spreadsheet's readable sheet; ``headers``: its headers
    of the varied settings (by dotted key).
    """
    target = Path(directory)
    manifest = {
        "format": FORMAT,
        "scenario": scenario_to_dict(sweep.scenario),
        "paths": sweep.paths,
        "points": [list(point) for point in sweep.points],
        "metrics": list(metrics),
    }
    replications = pd.concat(
        [outcome.replications.assign(point=index) for index, outcome in enumerate(sweep.results)],
        ignore_index=True,
    )
    files = {
        "manifest.json": json.dumps(manifest, indent=2, ensure_ascii=False,
                                    default=str).encode("utf-8"),
        "sweep.csv": sweep.table.to_csv(index=False).encode("utf-8"),
        "sweep.xlsx": spreadsheet(readable_sheets("sweep", sweep.table, sweep.scenario, lang,
                                                  headers=headers)),
        "replications.parquet": parquet(replications),
        **(extra or {}),
    }
    with output_folder(target, force=force) as folder:
        write_files(folder, files)
    return target


@dataclass
class SavedPoint:
    """One point of a sweep read back: its scenario and metrics per replication."""

    scenario: Scenario
    replications: pd.DataFrame


def is_sweep_folder(folder: Path) -> bool:
    """Whether a folder looks like the output of ``bosim sweep``."""
    return (folder / "sweep.csv").exists() and (folder / "manifest.json").exists()


def load_sweep_folder(folder: str | Path) -> tuple[Sweep, list[str]]:
    """Read a sweep folder back; returns the sweep and the metrics its report plots."""
    path = Path(folder)
    manifest: dict[str, Any] = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    scenario = scenario_from_dict(manifest["scenario"], source=str(path / "manifest.json"))
    table = pd.read_csv(io.BytesIO((path / "sweep.csv").read_bytes()))
    for column in ("segment", "place"):
        table[column] = table[column].fillna("").astype(str)
    replications = pd.read_parquet(path / "replications.parquet")
    for column in ("segment", "place"):
        replications[column] = replications[column].fillna("").astype(str)
    points = [tuple(point) for point in manifest["points"]]
    results = [
        SavedPoint(scenario, replications[replications.point == index].drop(columns="point"))
        for index in range(len(points))
    ]
    sweep = Sweep(paths=list(manifest["paths"]), points=points, results=results, table=table)
    return sweep, list(manifest["metrics"])
