"""Unstable places: a queue growing without bound is called so; a settled one is not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bosim
from bosim.analysis.stability import queue_growth, unstable_places
from builders import single_place

COMPILED = bosim.engine.compile_scenario(single_place(
    arrivals_per_year=10, stay={"dist": "exponential", "mean": 30}, capacity=1))


def series(queues: np.ndarray) -> pd.DataFrame:
    """Monthly queues of the place ``unit`` (one row per replication), no warm-up."""
    rows = []
    for replication, values in enumerate(queues):
        for month, value in enumerate(values):
            rows.append((0, replication, month * 365.0 / 12, "unit", 1.0, float(value)))
    return pd.DataFrame(rows, columns=["sample", "replication", "day", "place", "occupancy",
                                       "queue"])


def test_a_growing_queue_is_unstable_and_a_noisy_flat_one_is_not() -> None:
    generator = np.random.default_rng(3)
    months = np.arange(48)
    growing = 0.5 * months + generator.normal(0, 1.0, size=(10, 48))
    flat = 5.0 + generator.normal(0, 1.0, size=(10, 48))
    assert unstable_places(series(growing), COMPILED) == ["unit"]
    assert unstable_places(series(flat), COMPILED) == []


def test_a_queue_that_levels_off_is_not_unstable() -> None:
    months = np.arange(48)
    levelling = np.minimum(months, 20) * 0.5 + np.zeros((5, 48))
    growth, = queue_growth(series(levelling), COMPILED)
    assert not growth.unstable
    assert growth.quarters[0] < growth.quarters[-1]


def test_a_tiny_rise_is_not_called_unstable() -> None:
    months = np.arange(48)
    tiny = 0.01 * months + np.zeros((5, 48))  # rises by half a person over four years
    assert unstable_places(series(tiny), COMPILED) == []


@pytest.mark.parametrize(("arrivals_per_year", "unstable"), [(18.0, True), (6.0, False)])
def test_an_overloaded_place_is_found_in_a_real_run(arrivals_per_year: float,
                                                    unstable: bool) -> None:
    """One unit, 30-day stays: capacity 12.2 people a year; 18 overload it, 6 do not."""
    scenario = single_place(arrivals_per_year=arrivals_per_year, capacity=1, years=8,
                            stay={"dist": "exponential", "mean": 30}, replications=8)
    results = bosim.simulate(scenario)
    assert (results.unstable == ["unit"]) is unstable
    if unstable:
        # The queue grows by about 18 - 12.2 = 5.8 people a year over ten simulated years.
        assert results.metric("waiting_end", place="unit") > 30
        assert results.metric("mean_open_wait_days", place="unit") > 100
