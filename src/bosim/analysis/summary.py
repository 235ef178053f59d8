"""Summaries over replications: mean, sd and the 95 % Student-t interval of the mean."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from bosim.analysis.metric_table import bounds_of

CONFIDENCE = 0.95
KEYS = ["metric", "segment", "place"]
"""The columns that name one summarised quantity."""
SUMMARY_COLUMNS = [*KEYS, "mean", "sd", "ci_low", "ci_high", "n"]


def interval(
    values: npt.NDArray[np.float64], confidence: float = CONFIDENCE
) -> tuple[float, float, float, float, int]:
    """Mean, sd, and the t-interval of the mean (95 % by default), with the number of values.

    One value has no sd and no interval (NaN); no values give NaN and n = 0.
    """
    n = int(values.size)
    if n == 0:
        return math.nan, math.nan, math.nan, math.nan, 0
    mean = float(values.mean())
    if n == 1:
        return mean, math.nan, math.nan, math.nan, 1
    sd = float(values.std(ddof=1))
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * sd / math.sqrt(n)
    return mean, sd, mean - half, mean + half, n


def summarise(replications: pd.DataFrame) -> pd.DataFrame:
    """``metric, segment, place, mean, sd, ci_low, ci_high, n`` over replications (and samples).

    Replications where a metric is undefined (NaN, e.g. no admissions) are left out of
    that metric's summary; ``n`` says how many remained. The interval is cut at the
    values the metric can take (0, and 1 for a share: :func:`bounded`).
    """
    rows = []
    for key, group in replications.groupby(KEYS, sort=False):
        values = group["value"].to_numpy(dtype=float)
        mean, sd, low, high, n = interval(values[~np.isnan(values)])
        low, high = bounded(low, high, bounds_of(str(key[0])))
        rows.append((*key, mean, sd, low, high, n))
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def bounded(low: float, high: float, bounds: tuple[float, float]) -> tuple[float, float]:
    """An interval cut at the values the quantity can take.

    A t-interval of a share or a count can reach past 0 or 1 when replications are few;
    the true mean cannot, so the cut interval holds it exactly as often (same coverage)
    and reads as a planner expects. NaN (one replication) stays NaN.
    """
    lowest, highest = bounds
    return (low if math.isnan(low) else min(max(low, lowest), highest),
            high if math.isnan(high) else max(min(high, highest), lowest))
