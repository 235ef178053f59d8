"""One-way sensitivity analysis (a tornado): each parameter at its low and high value.

Every other number stays at the scenario's own value, and every run uses the same seed
and sample 0, so the base point and each low/high point meet the same people with the
same draws (common random numbers): the swing is the parameter's, not noise. Nothing
here simulates; :func:`bosim.api.tornado` does and calls :func:`outcome` and
:func:`tornado_table`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

NET_BENEFIT = "net_benefit"
"""``wtp x housed_person_years_pv - cost_pv``: money, present value."""
TORNADO_COLUMNS = ["parameter", "low", "high", "outcome_low", "outcome_high", "outcome_base",
                   "swing"]


def outcome(replications: Sequence[pd.DataFrame], metric: str, wtp: float) -> float:
    """The mean over replications of a whole-system metric, against the base if two plans.

    ``replications`` are the plans' metrics per replication (one frame: a plan's value;
    two: alternative minus base, paired by replication). ``net_benefit`` is
    ``wtp x housed_person_years_pv - cost_pv``.
    """
    values = [_per_replication(frame, metric, wtp) for frame in replications]
    chosen = values[-1] - values[0] if len(values) > 1 else values[0]
    return float(np.nanmean(chosen))


def _per_replication(frame: pd.DataFrame, metric: str, wtp: float) -> np.ndarray:
    system = frame[(frame.segment == "") & (frame.place == "")]
    wide = system.pivot_table(index=["sample", "replication"], columns="metric",
                              values="value", aggfunc="first")
    if metric == NET_BENEFIT:
        return np.asarray(wtp * wide["housed_person_years_pv"] - wide["cost_pv"], dtype=float)
    return np.asarray(wide[metric], dtype=float)


def tornado_table(rows: Sequence[tuple[str, float, float, float, float]],
                  base: float) -> pd.DataFrame:
    """``parameter, low, high, outcome_low, outcome_high, outcome_base, swing``, widest first.

    ``rows`` are (parameter, low value, high value, outcome at low, outcome at high).
    """
    table = pd.DataFrame(
        [(name, low, high, at_low, at_high, base, abs(at_high - at_low))
         for name, low, high, at_low, at_high in rows],
        columns=TORNADO_COLUMNS,
    )
    return table.sort_values("swing", ascending=False, ignore_index=True)
