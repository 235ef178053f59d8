"""The engine against queueing theory: Erlang C, M/M/inf, M/G/inf, Little's law.

Each check asks whether the theoretical value lies in the 99 % Student-t interval of
the replication means. A correct model fails such a check with probability about 1 %
for a fresh seed; the seed is fixed, so the test is deterministic. A wrong model (a
stay drawn with the wrong mean, units lost or double counted, waits measured from the
wrong time) moves the mean by far more than the interval's width.
"""

from __future__ import annotations

import numpy as np
import pytest

import bosim
from bosim.analysis.summary import interval
from builders import erlang_c, single_place, values

pytestmark = pytest.mark.slow  # long runs against queueing theory

CONFIDENCE = 0.99
STAY_DAYS = 10.0
SERVERS = 5


def assert_in_interval(sample: np.ndarray, theory: float, what: str) -> None:
    mean, _, low, high, n = interval(sample, CONFIDENCE)
    assert n == sample.size and n > 1
    assert low <= theory <= high, (
        f"{what}: theory {theory:.4f} outside the {CONFIDENCE:.0%} interval "
        f"[{low:.4f}, {high:.4f}] of the simulated mean {mean:.4f}"
    )


@pytest.mark.parametrize("rho", [0.8, 0.9])
def test_erlang_c_wait_queue_and_utilization(rho: float) -> None:
    service_rate = 1.0 / STAY_DAYS  # per day
    arrival_rate = rho * SERVERS * service_rate  # per day
    scenario = single_place(
        arrivals_per_year=arrival_rate * 365.0,
        stay={"dist": "exponential", "mean": STAY_DAYS},
        capacity=SERVERS,
        years=20,
        warmup_years=5,
        replications=40,
    )
    results = bosim.simulate(scenario)
    load = arrival_rate / service_rate
    probability_wait = erlang_c(SERVERS, load)
    mean_wait = probability_wait / (SERVERS * service_rate - arrival_rate)
    frame = results.replications
    assert_in_interval(values(frame, "mean_wait_days", "unit"), mean_wait, "Erlang C mean wait")
    assert_in_interval(values(frame, "utilization", "unit"), rho, "utilization lambda/(c mu)")
    assert_in_interval(
        values(frame, "mean_queue", "unit"), arrival_rate * mean_wait, "Erlang C queue length"
    )


def test_unlimited_capacity_is_m_m_infinity() -> None:
    arrivals_per_year, stay = 50.0, 73.0
    scenario = single_place(
        arrivals_per_year=arrivals_per_year,
        stay={"dist": "exponential", "mean": stay},
        capacity="unlimited",
        years=10,
        warmup_years=2,
        replications=30,
    )
    results = bosim.simulate(scenario)
    offered = arrivals_per_year / 365.0 * stay
    assert_in_interval(
        values(results.replications, "mean_occupancy", "unit"), offered, "M/M/inf occupancy"
    )
    assert np.all(values(results.replications, "mean_wait_days", "unit") == 0.0)


STAYS = {
    "gamma": {"dist": "gamma", "mean": 120.0, "cv": 2.0},
    "lognormal": {"dist": "lognormal", "mean": 120.0, "sd": 60.0},
    "weibull": {"dist": "weibull", "shape": 0.7, "scale": 95.0},
    "uniform": {"dist": "uniform", "low": 0.0, "high": 240.0},
    "triangular": {"dist": "triangular", "low": 0.0, "mode": 60.0, "high": 300.0},
    "fixed": {"dist": "fixed", "value": 365.0},
    "empirical": {"dist": "empirical", "values": [10.0, 30.0, 300.0]},
}


@pytest.mark.parametrize("name", sorted(STAYS))
def test_started_in_equilibrium_stays_there(name: str) -> None:
    """M/G/inf started with its mean occupancy and residual stays: flat from day 0.

    With n = lambda * m people present at time 0 whose remaining stays follow the
    equilibrium (residual) distribution, expected occupancy is lambda * m at every
    moment, whatever the stay distribution. Fresh full stays for the initial people
    would be wrong and show up here (for fixed 365-day stays everyone present at day 0
    would stay the whole year, so occupancy would average 1.5 n instead of n).
    """
    from bosim.engine.sampling import make_sampler
    from bosim.scenario.distributions import Fixed  # noqa: F401  (documents the case)

    present = 12
    probe = single_place(arrivals_per_year=1.0, stay=STAYS[name], capacity="unlimited")
    stay = probe.places["unit"].stay
    assert stay is not None
    mean_stay = make_sampler(stay).mean
    scenario = single_place(
        arrivals_per_year=present / mean_stay * 365.0,  # so that lambda * m = present
        stay=STAYS[name],
        capacity="unlimited",
        years=1,
        warmup_years=0,
        replications=80,
        initial=present,
    )
    results = bosim.simulate(scenario)
    assert_in_interval(
        values(results.replications, "mean_occupancy", "unit"),
        float(present),
        f"{name}: occupancy in the first year",
    )


def test_littles_law_holds_per_place_on_the_sample_path() -> None:
    """Occupancy integral = sum of the time each stay spent in the window, place by place.

    This is Little's law L = lambda W on one sample path (stays cut at the window's
    edges): the recorder integrates occupancy as it changes, the check rebuilds every
    person's stays from the event log, so the two are independent computations.
    """
    from builders import network

    results = bosim.simulate(network(), replications=3, trace=True)
    events = results.events
    assert events is not None
    window = results.scenario.simulation.years * 365.0
    summary = results.replications
    for replication, log in events.groupby("replication"):
        area = {name: 0.0 for name in results.compiled.place_names}
        where: dict[int, tuple[str, float]] = {}
        for time, person, event, place in log[["time", "person", "event", "place"]].itertuples(
            index=False
        ):
            if person in where and event in ("admission", "leave", "breakdown", "exit"):
                previous, since = where.pop(person)
                area[previous] += max(0.0, min(time, window) - max(since, 0.0))
            if event == "admission":
                where[person] = (place, time)
        for previous, since in where.values():
            area[previous] += window - max(since, 0.0)
        for name, days in area.items():
            rows = summary[(summary.replication == replication) & (summary.metric
                           == "mean_occupancy") & (summary.place == name)]
            assert float(rows["value"].iloc[0]) * window == pytest.approx(days, rel=1e-9,
                                                                          abs=1e-6), name


def test_littles_law_for_target_queues() -> None:
    """Mean queue = admission rate x mean wait for a place with a real queue (L = lambda W).

    In the single-place model nobody leaves a queue except by admission, so the
    identity holds up to the window's edges, which the long window makes small.
    """
    scenario = single_place(
        arrivals_per_year=0.85 * SERVERS / STAY_DAYS * 365.0,
        stay={"dist": "gamma", "mean": STAY_DAYS, "cv": 1.5},
        capacity=SERVERS,
        years=20,
        warmup_years=2,
        replications=10,
    )
    results = bosim.simulate(scenario)
    frame = results.replications
    for record, queue, wait in zip(
        results.records,
        values(frame, "mean_queue", "unit"),
        values(frame, "mean_wait_days", "unit"),
        strict=True,
    ):
        rate = sum(waits.size for waits in record.waits[1]) / (20 * 365.0)
        assert queue == pytest.approx(rate * wait, rel=0.02)
