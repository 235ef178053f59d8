"""The results folder of one run: written whole, and read back for reports and notebooks.

Layout (``docs/outputs.md`` has every column): ``manifest.json``, ``summary.csv``,
``summary.xlsx``, ``replications.parquet``, ``timeseries.parquet``, ``costs.parquet``,
``waits.parquet``, ``open_waits.parquet``, ``flows.parquet``, ``spells.parquet``,
``events.parquet`` (with a trace) and whatever rendered files the caller adds
(``report.html``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from bosim.analysis import Results
from bosim.analysis.results import RunReadings
from bosim.engine import CompiledScenario, compile_scenario
from bosim.errors import InputError
from bosim.outputs.folder import output_folder, parquet, write_whole
from bosim.outputs.manifest import run_manifest
from bosim.outputs.spreadsheet import readable_sheets, spreadsheet
from bosim.scenario import Scenario, scenario_from_dict

TABLES = ("replications", "timeseries", "costs", "waits", "open_waits", "flows", "spells")
"""The parquet files of every run folder, by the :class:`Results` attribute they hold."""
RUN_FILES = ("manifest.json", "summary.csv", *(f"{name}.parquet" for name in TABLES))


def run_files(results: Results, lang: str = "en") -> dict[str, bytes]:
    """Every data file of a run folder, by name (the spreadsheet's readable sheet in ``lang``)."""
    files = {
        "manifest.json": json.dumps(run_manifest(results), indent=2,
                                    ensure_ascii=False).encode("utf-8"),
        "summary.csv": results.summary.to_csv(index=False).encode("utf-8"),
        "summary.xlsx": spreadsheet(readable_sheets("summary", results.summary,
                                                    results.scenario, lang)),
    }
    for name in TABLES:
        files[f"{name}.parquet"] = parquet(getattr(results, name))
    events = results.events
    if events is not None:
        files["events.parquet"] = parquet(events)
    return files


def write_files(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write files (names may hold subfolders) into a folder being built."""
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_whole(path, data)


def write_run_folder(results: Results, directory: str | Path, force: bool = False,
                     extra: Mapping[str, bytes] | None = None, lang: str = "en") -> Path:
    """Write a run's results folder whole, with ``extra`` files (e.g. ``report.html``).

    ``lang``: the language of the spreadsheet's readable sheet.

    Raises:
        InputError: if the folder exists and ``force`` is not given.

    """
    target = Path(directory)
    with output_folder(target, force=force) as folder:
        write_files(folder, {**run_files(results, lang), **(extra or {})})
    return target


@dataclass
class SavedRun(RunReadings):
    """A run folder read back: the same tables as :class:`~bosim.analysis.Results`."""

    folder: Path
    manifest: dict[str, Any]
    scenario: Scenario
    compiled: CompiledScenario
    summary: pd.DataFrame
    replications: pd.DataFrame
    timeseries: pd.DataFrame
    costs: pd.DataFrame
    waits: pd.DataFrame
    open_waits: pd.DataFrame
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


def _text_columns(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        if column in frame:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def load_run_folder(folder: str | Path) -> SavedRun:
    """Read a folder written by ``bosim run`` (or :func:`write_run_folder`).

    Raises:
        InputError: if the folder is missing files or was written by something else.

    """
    path = Path(folder)
    missing = [name for name in RUN_FILES if not (path / name).exists()]
    if missing:
        raise InputError(
            f"is not a complete bosim results folder (missing {', '.join(missing)})",
            file=str(path),
            fix="give a folder written by bosim run, compare or sweep (0.2 or newer)",
        )
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    scenario = scenario_from_dict(manifest["scenario"], source=str(path / "manifest.json"))
    tables = {name: _text_columns(pd.read_parquet(path / f"{name}.parquet"), "segment", "place")
              for name in TABLES}
    return SavedRun(
        folder=path,
        manifest=manifest,
        scenario=scenario,
        compiled=compile_scenario(scenario),
        summary=_text_columns(pd.read_csv(path / "summary.csv"), "segment", "place"),
        **tables,
    )
