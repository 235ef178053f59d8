"""Families waiting for a unit that fits them, against queueing theory.

One place has one unit for single adults and one large unit that only families with
children fit (``min_children = 1``). Families arrive as a Poisson process and stay for
exponential times, so their queue for the large unit is M/M/1 (Erlang C with c = 1):
the mean wait is Wq = rho / (mu - lambda). Single adults have their own unit (M/M/1 as
well), and since nobody else fits it and the queue is served in order among those a
free unit fits, the families change nothing for them: with the same seed, every single
adult's wait is exactly the same with and without the families (common random numbers:
each segment draws from its own streams).

The check asks whether the theoretical mean lies in the 95 % Student-t interval of the
replication means: its half-width is t(0.975, n - 1) times the standard error over
replications, nothing chosen by hand. A correct model misses it with probability about
5 % for a fresh seed; the seed is fixed, so the test is deterministic. A wrong model
(families taking the single adults' unit, a family at the head of the line blocking
those behind it, waits measured from the wrong time) moves the mean by far more.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import bosim
from bosim.analysis.summary import interval
from bosim.analysis.theory import mmc_mean_wait
from bosim.scenario import Scenario, scenario_from_dict
from builders import values

pytestmark = pytest.mark.slow  # long runs against queueing theory

CONFIDENCE = 0.95
STAY_DAYS = 10.0
FAMILY_LOAD = 0.7
"""rho of the families' M/M/1 queue: lambda / mu."""
SINGLE_LOAD = 0.5
"""rho of the single adults' M/M/1 queue."""


def two_sizes(family_load: float = FAMILY_LOAD, *, families_fit_small: bool = False,
              replications: int = 40) -> Scenario:
    """A unit for single adults, a large one for families, Poisson arrivals to both."""
    per_year = 365.0 / STAY_DAYS  # mu, per year
    small: dict[str, Any] = {"count": 1, "max_children": 4 if families_fit_small else 0}
    return scenario_from_dict({
        "meta": {"name": "two unit sizes"},
        "simulation": {"years": 20, "warmup_years": 3, "replications": replications,
                       "seed": 2025},
        "policy": {"waiting": ["street"]},
        "places": {
            "street": {"kind": "street"},
            "homes": {
                "kind": "ordinary",
                "units": [small, {"count": 1, "min_children": 1, "max_children": 4}],
                "stay": {"dist": "exponential", "mean": STAY_DAYS},
            },
        },
        "segments": [
            {"name": "singles", "arrivals_per_year": SINGLE_LOAD * per_year,
             "routes": {"start": {"homes": 1.0}, "homes": {"exit": 1.0}}},
            {"name": "families", "arrivals_per_year": family_load * per_year,
             "household": {"adults": 1, "children": 2},
             "routes": {"start": {"homes": 1.0}, "homes": {"exit": 1.0}}},
        ],
    })


def in_interval(sample: np.ndarray, theory: float) -> tuple[bool, str]:
    mean, _, low, high, n = interval(sample, CONFIDENCE)
    assert n == sample.size and n > 1
    text = (f"theory {theory:.3f} against the {CONFIDENCE:.0%} interval [{low:.3f}, "
            f"{high:.3f}] of the simulated mean {mean:.3f}")
    return low <= theory <= high, text


def mm1_wait(load: float) -> float:
    """Erlang C with one server: rho / (mu - lambda), in days."""
    service_rate = 1.0 / STAY_DAYS
    return mmc_mean_wait(1, load * service_rate, service_rate)


def test_the_family_queue_for_one_large_unit_is_m_m_1() -> None:
    results = bosim.simulate(two_sizes())
    frame = results.replications
    for segment, load in (("families", FAMILY_LOAD), ("singles", SINGLE_LOAD)):
        inside, text = in_interval(values(frame, "mean_wait_days", "homes", segment),
                                   mm1_wait(load))
        assert inside, f"{segment}: {text}"


def test_the_check_sees_families_taking_the_single_adults_unit() -> None:
    """The check can fail: let families fit the small unit too and it is no M/M/1 any more."""
    results = bosim.simulate(two_sizes(families_fit_small=True))
    inside, text = in_interval(
        values(results.replications, "mean_wait_days", "homes", "families"),
        mm1_wait(FAMILY_LOAD))
    assert not inside, text


def test_single_adults_wait_exactly_as_long_without_the_families() -> None:
    with_families = bosim.simulate(two_sizes(), replications=5)
    without = bosim.simulate(two_sizes(family_load=0.0), replications=5)
    homes = 1
    for kept, alone in zip(with_families.records, without.records, strict=True):
        singles_with, singles_alone = kept.waits[homes][0], alone.waits[homes][0]
        assert singles_with.size > 100
        np.testing.assert_array_equal(singles_with, singles_alone)
        assert kept.waits[homes][1].size > 100  # the families were there
