"""The folder of a probabilistic sensitivity analysis (``bosim psa``).

Layout: ``manifest.json`` (design, plans, simulations run and saved, warnings),
``psa.parquet`` (``sample, replication, alternative, metric, segment, place, value``),
``parameters.parquet`` (``sample, parameter, value``: the draws), ``register.csv`` (each
parameter's distribution as drawn, one-way range and source), ``ceac.csv`` (CEAC and
CEAF per perspective and willingness to pay, per housed person-year and per homeless
day avoided), ``evppi.csv`` (EVPPI per parameter and perspective at the chosen
willingness to pay), ``variance.csv`` (parameter uncertainty against noise) and, with
``--sobol``, ``sobol.csv`` (first-order and total Sobol indices with 95 % half-widths).
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bosim.analysis.psa import PSA
from bosim.outputs.folder import output_folder, parquet
from bosim.outputs.manifest import bosim_version
from bosim.outputs.run_folder import write_files

WTP_PER_HOUSED_YEAR = np.arange(0, 2_000_001, 50_000, dtype=float)
"""Willingness to pay per housed person-year (money): 0 to 2 million, the CEAC's axis."""
WTP_PER_HOMELESS_DAY = np.arange(0, 10_001, 250, dtype=float)
"""Willingness to pay per homeless day avoided (money): 0 to 10,000."""


def psa_tables(analysis: PSA, wtp: float) -> dict[str, pd.DataFrame]:
    """The decision tables of a PSA: ``ceac``, ``evppi``, ``variance`` (and ``sobol``)."""
    ceac = pd.concat([
        analysis.acceptability(WTP_PER_HOUSED_YEAR, "housed_year").assign(effect="housed_year"),
        analysis.acceptability(WTP_PER_HOMELESS_DAY, "homeless_day_avoided").assign(
            effect="homeless_day_avoided"),
    ], ignore_index=True)
    tables = {
        "ceac": ceac,
        "evppi": analysis.partial_values(wtp).assign(wtp=wtp),
        "variance": analysis.variance(wtp),
    }
    if analysis.sobol_problem is not None and len(analysis.names) > 1:
        tables["sobol"] = analysis.sobol(wtp).assign(wtp=wtp)
    return tables


def write_psa_folder(analysis: PSA, directory: str | Path, wtp: float, force: bool = False,
                     extra: Mapping[str, bytes] | None = None) -> Path:
    """Write a PSA folder whole, with ``extra`` files."""
    target = Path(directory)
    tables = psa_tables(analysis, wtp)
    manifest = {
        "format": "bosim-psa",
        "bosim_version": bosim_version(),
        "plans": analysis.names,
        "draws": analysis.draws,
        "replications": analysis.replications,
        "seed": analysis.seed,
        "perspective": analysis.perspective,
        "currency": analysis.currency,
        "wtp_per_housed_year": wtp,
        "simulations": analysis.simulations,
        "simulations_saved_by_repricing": analysis.saved,
        "warnings": analysis.warnings(wtp),
        **({"sobol_problem": analysis.sobol_problem} if analysis.sobol_problem else {}),
        **analysis.extra_manifest,
    }
    files = {
        "manifest.json": json.dumps(manifest, indent=2, ensure_ascii=False,
                                    default=str).encode("utf-8"),
        "psa.parquet": parquet(analysis.table),
        "parameters.parquet": parquet(analysis.parameters),
        "register.csv": analysis.register.to_csv(index=False).encode("utf-8"),
        **{f"{name}.csv": table.to_csv(index=False).encode("utf-8")
           for name, table in tables.items()},
        **(extra or {}),
    }
    with output_folder(target, force=force) as folder:
        write_files(folder, files)
    return target


def is_psa_folder(folder: Path) -> bool:
    """Whether a folder looks like the output of ``bosim psa``."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == "bosim-psa"


def load_psa_folder(folder: str | Path) -> tuple[PSA, float]:
    """Read a PSA folder back; returns the PSA and the willingness to pay it was written at.

    The decision tables (CEAC, EVPPI, variance, Sobol) are computed again from
    ``psa.parquet`` and ``parameters.parquet``: they equal the folder's CSV files.
    """
    path = Path(folder)
    manifest: dict[str, Any] = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    table = pd.read_parquet(path / "psa.parquet")
    for column in ("segment", "place"):
        table[column] = table[column].fillna("").astype(str)
    register = pd.read_csv(io.BytesIO((path / "register.csv").read_bytes()),
                           dtype={"group": "string"})
    register["group"] = register["group"].fillna("").astype(str)
    analysis = PSA(
        names=list(manifest["plans"]), table=table,
        parameters=pd.read_parquet(path / "parameters.parquet"), register=register,
        draws=int(manifest["draws"]), replications=int(manifest["replications"]),
        seed=int(manifest["seed"]), perspective=str(manifest["perspective"]),
        simulations=int(manifest["simulations"]),
        saved=int(manifest["simulations_saved_by_repricing"]),
        currency=str(manifest.get("currency", "NOK")),
        sobol_problem=manifest.get("sobol_problem"),
        extra_manifest={key: manifest[key] for key in ("plan_labels",) if key in manifest},
    )
    return analysis, float(manifest["wtp_per_housed_year"])


def write_tornado_folder(table: pd.DataFrame, directory: str | Path, facts: Mapping[str, object],
                         force: bool = False, extra: Mapping[str, bytes] | None = None) -> Path:
    """Write a one-way analysis folder whole: ``tornado.csv``, ``manifest.json`` and ``extra``."""
    target = Path(directory)
    files = {
        "manifest.json": json.dumps({"format": "bosim-tornado", "bosim_version": bosim_version(),
                                     **facts}, indent=2, ensure_ascii=False,
                                    default=str).encode("utf-8"),
        "tornado.csv": table.to_csv(index=False).encode("utf-8"),
        **(extra or {}),
    }
    with output_folder(target, force=force) as folder:
        write_files(folder, files)
    return target
