"""Eviction prevention against theory (docs/model.md, outreach and prevention).

People live in an ordinary place with unlimited room and lose their housing at the
segment's breakdown rate; a follow-up team serving the place multiplies that rate by the
segment's hazard ratio. The breakdown count over the person-years housed is Poisson, so
the rate is checked against base rate x hazard ratio with the exact (Garwood) 99 %
interval of the count.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import stats

from bosim.engine import Count, compile_scenario, simulate_replication
from bosim.scenario import scenario_from_dict
from bosim.units import DAYS_PER_YEAR

pytestmark = pytest.mark.slow  # simulations of thousands of people against theory

CONFIDENCE = 0.99
BASE_RATE = 0.5
"""Breakdowns per person-year housed, both segments."""
HAZARD_RATIO = 0.6


def followed_up_flats(*, prevention: dict[str, float] | None) -> dict[str, Any]:
    """Two segments in ordinary flats; a team follows them up (with ``prevention``)."""
    segment = {"arrivals_per_year": 300, "breakdown_rate_per_year": {"flat": BASE_RATE},
               "routes": {"start": {"flat": 1.0}, "breakdown": {"exit": 1.0}}}
    data: dict[str, Any] = {
        "simulation": {"years": 5, "warmup_years": 0, "replications": 1, "seed": 3},
        "policy": {"waiting": ["street"]},
        "places": {"street": {"kind": "street"},
                   "flat": {"kind": "ordinary", "capacity": "unlimited"}},
        "segments": [{"name": "followed", **segment}, {"name": "other", **segment}],
    }
    if prevention is not None:
        data["teams"] = {"bostotte": {
            "serves": ["flat"], "fte": 3.0, "handling_hours": {"dist": "fixed", "value": 1.0},
            "prevention_hazard_ratio": prevention,
        }}
    return data


def breakdowns_and_years(data: dict[str, Any], replications: int = 3) -> list[tuple[int, float]]:
    """(breakdowns, person-years housed) per segment, summed over replications."""
    compiled = compile_scenario(scenario_from_dict(data))
    totals = np.zeros((2, 2))
    for replication in range(replications):
        record = simulate_replication(compiled, 3, replication)
        window = record.window
        totals[:, 0] += record.counts[Count.BREAKDOWN, window, 1].sum(axis=0)
        totals[:, 1] += record.person_days[window, 1].sum(axis=0) / DAYS_PER_YEAR
    return [(int(count), float(years)) for count, years in totals]


def poisson_rate_interval(count: int, exposure: float) -> tuple[float, float]:
    """Exact (Garwood) interval of a Poisson rate from ``count`` events in ``exposure``."""
    alpha = 1 - CONFIDENCE
    low = stats.chi2.ppf(alpha / 2, 2 * count) / 2 if count else 0.0
    high = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return low / exposure, high / exposure


def test_followed_up_people_break_down_at_base_rate_times_the_hazard_ratio() -> None:
    followed, other = breakdowns_and_years(
        followed_up_flats(prevention={"followed": HAZARD_RATIO}))
    low, high = poisson_rate_interval(*followed)
    assert followed[0] > 500
    assert low < BASE_RATE * HAZARD_RATIO < high, (low, high)
    low, high = poisson_rate_interval(*other)  # no ratio for this segment: the base rate
    assert low < BASE_RATE < high, (low, high)


def test_without_prevention_the_rate_is_the_base_rate() -> None:
    for count, years in breakdowns_and_years(followed_up_flats(prevention=None)):
        low, high = poisson_rate_interval(count, years)
        assert low < BASE_RATE < high, (low, high)


def test_a_hazard_ratio_of_zero_prevents_every_breakdown() -> None:
    followed, _ = breakdowns_and_years(followed_up_flats(prevention={"followed": 0.0}),
                                       replications=1)
    assert followed[0] == 0 and followed[1] > 100
