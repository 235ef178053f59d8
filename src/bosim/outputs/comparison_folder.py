"""The folder of a comparison: ``comparison.csv``, ``comparison.xlsx``, each plan's run folder.

Layout: ``manifest.json`` (base, alternatives, where each plan's run is, the seed),
``comparison.csv``, ``comparison.xlsx``, ``runs/<plan>/`` (a whole run folder per plan)
and whatever rendered files the caller adds (``report.html``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

from bosim.analysis import Comparison, Results, compare_results
from bosim.analysis.comparison import plan_labels
from bosim.outputs.folder import output_folder
from bosim.outputs.run_folder import load_run_folder, run_files, write_files
from bosim.outputs.spreadsheet import readable_sheets, spreadsheet

FORMAT = "bosim-comparison"
CSV_COLUMNS = ["alternative", "metric", "segment", "place", "diff_mean", "ci_low", "ci_high"]


def plan_folder(name: str) -> str:
    """The folder name of a plan's run inside a comparison (``runs/<slug>``)."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-") or "plan"
    return f"runs/{slug[:60]}"


def plan_folders(names: list[str]) -> dict[str, str]:
    """Each plan's folder (:func:`plan_folder`), made unique by a number where needed.

    ``Plan`` and ``plan``, or ``my plan`` and ``my-plan``, would otherwise share one (on
    case-insensitive disks too, as the names are compared in lower case).
    """
    folders: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        folder, number = plan_folder(name), 2
        while folder.lower() in taken:
            folder = f"{plan_folder(name)}-{number}"
            number += 1
        taken.add(folder.lower())
        folders[name] = folder
    return folders


def write_comparison_folder(
    comparison: Comparison, directory: str | Path, force: bool = False,
    extra: Mapping[str, bytes] | None = None,
    plan_extra: Mapping[str, Mapping[str, bytes]] | None = None, lang: str = "en",
) -> Path:
    """Write a comparison folder whole; ``plan_extra`` adds files to each plan's run folder.

    ``lang``: the language of the spreadsheets' readable sheets.

    Every plan's results must be in memory (:class:`~bosim.analysis.Results`).
    """
    target = Path(directory)
    folders = plan_folders(comparison.names)
    manifest = {
        "format": FORMAT,
        "base": comparison.names[0],
        "alternatives": comparison.names[1:],
        "runs": folders,
        "seed": comparison.seed,
    }
    files = {
        "manifest.json": json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"),
        "comparison.csv": comparison.table[CSV_COLUMNS].to_csv(index=False).encode("utf-8"),
        "comparison.xlsx": spreadsheet(readable_sheets(
            "comparison", comparison.table, comparison.base.scenario, lang,
            plan_labels(comparison.names, comparison.results, lang))),
        **(extra or {}),
    }
    for name, results in comparison.results.items():
        assert isinstance(results, Results)
        plan_files = {**run_files(results, lang), **(plan_extra or {}).get(name, {})}
        files.update({f"{folders[name]}/{file}": data for file, data in plan_files.items()})
    with output_folder(target, force=force) as folder:
        write_files(folder, files)
    return target


def is_comparison_folder(folder: Path) -> bool:
    """Whether a folder looks like the output of ``bosim compare``."""
    return (folder / "comparison.csv").exists() and (folder / "manifest.json").exists()


def load_comparison_folder(folder: str | Path) -> Comparison:
    """Read a comparison folder back, recomputing the table from the plans' runs."""
    path = Path(folder)
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    names = [manifest["base"], *manifest["alternatives"]]
    runs = {name: load_run_folder(path / manifest["runs"][name]) for name in names}
    seed = int(manifest.get("seed", runs[names[0]].seed))
    return compare_results(names, runs, seed)
