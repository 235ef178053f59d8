"""Housing retention: the Kaplan-Meier share of housing starts not yet back in homelessness.

One estimator serves both the headline ``housing_retention_12m`` and the retention curve
of the report, so they agree: the curve at 12 months is the headline, and its band is the
headline's interval. A spell starts with a move into housing from a non-housed place in
the observed window and ends in a homeless place (the event), or is censored when the
person leaves the target group or the horizon comes.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pandas as pd

from bosim.analysis.summary import interval
from bosim.units import DAYS_PER_MONTH, DAYS_PER_YEAR

RETENTION_DAYS = 365.0
"""The window of ``housing_retention_12m``: 12 months after a housing start."""
CURVE_MONTHS = 60
"""The retention curve runs to five years at most."""

FloatArray = npt.NDArray[np.float64]


def kaplan_meier(durations: FloatArray, homeless: npt.NDArray[np.bool_],
                 days: FloatArray) -> FloatArray:
    """The Kaplan-Meier share not yet homeless at each of ``days`` (days since the start).

    Args:
        durations: days from each housing start to its end or censoring.
        homeless: whether each spell ended in a homeless place (else it is censored).
        days: where to evaluate the step function.

    Returns NaN everywhere when there are no spells.

    """
    if durations.size == 0:
        return np.full(days.shape, math.nan)
    failure_times, failures = np.unique(durations[homeless], return_counts=True)
    ordered = np.sort(durations)
    at_risk = ordered.size - np.searchsorted(ordered, failure_times, side="left")
    steps = np.concatenate(([1.0], np.cumprod(1.0 - failures / at_risk)))
    share: FloatArray = steps[np.searchsorted(failure_times, days, side="right")]
    return share


def spells_in_window(spells: pd.DataFrame) -> pd.DataFrame:
    """Spells that start in the observed window (``start >= 0`` days from its start)."""
    return spells[spells.start >= 0]


def retention_at(spells: pd.DataFrame, days: float = RETENTION_DAYS) -> float:
    """Kaplan-Meier retention ``days`` after a housing start, for one replication's spells."""
    window = spells_in_window(spells)
    durations = (window.end - window.start).to_numpy(dtype=float)
    homeless = (window.ending == "homeless").to_numpy()
    return float(kaplan_meier(durations, homeless, np.array([days]))[0])


def retention_curves(spells: pd.DataFrame, horizon_days: float) -> pd.DataFrame:
    """``sample, replication, days, share``: each replication's curve on a monthly grid.

    The grid runs to the observed horizon or five years, whichever is shorter.
    """
    end = min(horizon_days, CURVE_MONTHS * DAYS_PER_MONTH)
    grid = np.arange(0.0, end + 1e-9, DAYS_PER_MONTH)
    grid = np.union1d(grid, [RETENTION_DAYS]) if end >= RETENTION_DAYS else grid
    frames = []
    for (sample, replication), group in spells_in_window(spells).groupby(
            ["sample", "replication"], sort=True):
        durations = (group.end - group.start).to_numpy(dtype=float)
        homeless = (group.ending == "homeless").to_numpy()
        frames.append(pd.DataFrame({
            "sample": sample, "replication": replication, "days": grid,
            "share": kaplan_meier(durations, homeless, grid),
        }))
    if not frames:
        return pd.DataFrame({"sample": pd.Series(dtype="int64"),
                             "replication": pd.Series(dtype="int64"),
                             "days": pd.Series(dtype=float), "share": pd.Series(dtype=float)})
    return pd.concat(frames, ignore_index=True)


def retention_band(curves: pd.DataFrame) -> pd.DataFrame:
    """``days, share, low, high``: the mean curve over replications and its 95 % t-interval.

    At 365 days this is exactly the summary of ``housing_retention_12m``.
    """
    rows = []
    for days, group in curves.groupby("days", sort=True):
        values = group["share"].to_numpy(dtype=float)
        mean, _, low, high, _ = interval(values[~np.isnan(values)])
        rows.append((days, mean, low, high))
    return pd.DataFrame(rows, columns=["days", "share", "low", "high"])


def retention_table(spells: pd.DataFrame, observed_years: int) -> pd.DataFrame:
    """``days, share, low, high``: the report's retention curve from a run's spells."""
    return retention_band(retention_curves(spells, observed_years * DAYS_PER_YEAR))
