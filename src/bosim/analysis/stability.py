"""Unstable places: queues that grow without bound through the observed window.

When more people need a place than it can ever take, its queue grows for as long as the
simulation runs: completed waits (``mean_wait_days``) then understate the waits, and
more replications do not help. The planner must be told in plain words.

The rule: split the observed window into four quarters and average each replication's
monthly queue over each. A place is unstable when the mean over replications rises from
quarter to quarter (q1 < q2 < q3 < q4), the rise from the first to the last quarter is
at least :data:`SMALLEST_RISE` people and half the first quarter's queue, and (with two
or more replications) the rise from the third to the fourth quarter is above zero with
95 % confidence. A stable queue that has settled rises by chance in all three steps
about once in 24 cases, and passes the last test in one of those 20 times.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bosim.analysis.summary import interval
from bosim.engine import CompiledScenario

QUARTERS = 4
SMALLEST_RISE = 2.0
"""People: a queue rising by less than this is not called unstable."""


@dataclass(frozen=True)
class QueueGrowth:
    """How a place's queue developed over the quarters of the observed window."""

    place: str
    quarters: tuple[float, ...]
    """Mean queue (people) in each quarter, mean over replications."""
    unstable: bool


def queue_growth(timeseries: pd.DataFrame, compiled: CompiledScenario) -> list[QueueGrowth]:
    """The queue of every place with one, quarter by quarter, and whether it is unstable."""
    window = timeseries[timeseries.day >= 0]
    if window.empty:
        return []
    edges = np.linspace(0.0, float(window.day.max()) + 1e-9, QUARTERS + 1)
    window = window.assign(quarter=np.searchsorted(edges, window.day, side="right") - 1)
    growths = []
    for place in compiled.place_names:
        rows = window[window.place == place]
        if not (rows.queue > 0).any():
            continue
        by_run = rows.pivot_table(index=["sample", "replication"], columns="quarter",
                                  values="queue", aggfunc="mean")
        if by_run.shape[1] < QUARTERS:
            continue
        quarters = tuple(float(by_run[q].mean()) for q in range(QUARTERS))
        rising = all(a < b for a, b in itertools.pairwise(quarters))
        rise = quarters[-1] - quarters[0]
        large = rise >= max(SMALLEST_RISE, 0.5 * quarters[0])
        last_step = (by_run[QUARTERS - 1] - by_run[QUARTERS - 2]).to_numpy(dtype=float)
        _, _, low, _, n = interval(last_step)
        significant = n < 2 or low > 0
        growths.append(QueueGrowth(place, quarters, rising and large and significant))
    return growths


def unstable_places(timeseries: pd.DataFrame, compiled: CompiledScenario) -> list[str]:
    """Names of the places whose queue grows without bound through the observed window."""
    return [growth.place for growth in queue_growth(timeseries, compiled) if growth.unstable]
