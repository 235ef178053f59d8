"""The results baseline of the bundled scenarios: numbers that change only on purpose.

Each bundled scenario is simulated with :data:`REPLICATIONS` replications and seed
:data:`SEED`; the mean of every metric is kept in ``tests/regression/baseline/<name>.csv``.
The regression test compares a fresh run with it, so any change in numbers is seen and
must be explained. Only ``python tests/regression/refresh_baseline.py`` rewrites it.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

import bosim

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
FOLDER = Path(__file__).resolve().parent / "regression" / "baseline"
REPLICATIONS = 3
SEED = 11
RELATIVE_TOLERANCE = 1e-9
"""Room for the last bits of floating-point sums on another CPU or numpy; nothing more."""


def bundled() -> list[Path]:
    """Every bundled scenario file."""
    return sorted(SCENARIOS.rglob("*.toml"))


OUTSIDE_BASELINE = frozenset({"families.toml", "prevention/base.toml",
                               "prevention/eviction_prevention.toml",
                               "danish_shelter.toml", "danish_housing_first.toml"})
"""Bundled scenarios (paths under ``scenarios/``) that have no baseline yet: new ones,
whose baseline is added on purpose when they are committed (take the name out of this
set, then run ``refresh_baseline.py``)."""


def baselined() -> list[Path]:
    """The bundled scenarios the baseline keeps numbers for."""
    return [path for path in bundled()
            if path.relative_to(SCENARIOS).as_posix() not in OUTSIDE_BASELINE]


def baseline_file(scenario: Path) -> Path:
    """Where a scenario's baseline is kept (``staffing/base.toml`` -> ``staffing-base.csv``)."""
    name = scenario.relative_to(SCENARIOS).with_suffix("").as_posix().replace("/", "-")
    return FOLDER / f"{name}.csv"


def compute(scenario: Path) -> pd.DataFrame:
    """``metric, segment, place, mean`` of a fresh run."""
    results = bosim.simulate(scenario, replications=REPLICATIONS, seed=SEED)
    return results.summary[["metric", "segment", "place", "mean"]].reset_index(drop=True)


def read(scenario: Path) -> pd.DataFrame:
    """The stored baseline of a scenario."""
    frame = pd.read_csv(baseline_file(scenario), dtype={"segment": str, "place": str})
    return frame.fillna({"segment": "", "place": ""})


def differences(stored: pd.DataFrame, fresh: pd.DataFrame) -> list[str]:
    """Every (metric, segment, place) whose mean differs, appeared or disappeared."""
    keys = ["metric", "segment", "place"]
    merged = stored.merge(fresh, on=keys, how="outer", suffixes=("_baseline", "_now"),
                          indicator=True)
    found = []
    for row in merged.to_dict("records"):
        where = f"{row['metric']} [{row['segment'] or 'all'}] [{row['place'] or 'system'}]"
        if row["_merge"] != "both":
            side = "baseline" if row["_merge"] == "left_only" else "new run"
            found.append(f"{where}: only in the {side}")
            continue
        old, new = float(row["mean_baseline"]), float(row["mean_now"])
        if math.isnan(old) and math.isnan(new):
            continue
        if not math.isclose(old, new, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12):
            found.append(f"{where}: {old!r} -> {new!r}")
    return found
