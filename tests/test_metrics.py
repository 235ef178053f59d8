"""Metrics are plain functions of records: checked on hand-written records, without SimPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from bosim.engine import compile_scenario
from bosim.engine.records import Count, ReplicationRecord, SpellEnd
from bosim.metrics import housing_retention, interval, replication_metrics
from bosim.scenario import scenario_from_dict

SCENARIO = scenario_from_dict(
    {
        "simulation": {"years": 2, "warmup_years": 1},
        "policy": {"waiting": ["street"]},
        "places": {
            "street": {"kind": "street"},
            "home": {"kind": "ordinary", "capacity": [4, 8]},
        },
        "segments": [{"name": "a", "initial": {"home": 1}}],
    }
)
COMPILED = compile_scenario(SCENARIO)


def record(**changes: object) -> ReplicationRecord:
    """Three simulated years (one warm-up), two places (street, home), one segment."""
    years, places, segments = 3, 2, 1
    person_days = np.zeros((years, places, segments))
    person_days[1:, 0, 0] = 365.0  # one person on the street all observed time
    person_days[1:, 1, 0] = 3 * 365.0  # three people housed
    person_days[0] = 1000.0  # warm-up: must not count
    counts = np.zeros((len(Count), years, places, segments), dtype=np.int64)
    counts[Count.BREAKDOWN, 1, 1, 0] = 2
    counts[Count.BREAKDOWN, 0, 1, 0] = 50  # warm-up
    counts[Count.EXIT, 2, 1, 0] = 1
    base = dict(
        replication=0, warmup_years=1, observed_years=2,
        person_days=person_days,
        held_days=np.zeros((years, places)),
        crisis_hours=np.zeros((years, 0)),
        fte_days=np.zeros((years, 0)),
        queue_days=np.array([[0.0, 99.0], [0.0, 365.0], [0.0, 730.0]]),
        blocked_days=np.array([[0.0, 5.0], [0.0, 10.0], [0.0, 20.0]]),
        unit_days=np.zeros((years, places)),
        counts=counts,
        arrivals=np.array([[9], [2], [1]]),
        waits=[np.array([]), np.array([1.0, 2.0, 3.0, 4.0, 10.0])],
        spells=np.array([
            [100.0, 900.0, SpellEnd.CENSORED],   # warm-up start: left out
            [400.0, 1095.0, SpellEnd.CENSORED],  # retained
            [500.0, 600.0, SpellEnd.HOMELESS],   # homeless within the year
            [600.0, 700.0, SpellEnd.EXIT],       # left within the year: left out
            [700.0, 1200.0, SpellEnd.HOMELESS],  # homeless only after 500 days: retained
            [800.0, 1095.0, SpellEnd.CENSORED],  # less than a year left in the window: left out
        ]),
        flows=np.zeros((places + 1, places + 1), dtype=np.int64),
        month_occupancy=np.zeros((36, places)),
        month_queue=np.zeros((36, places)),
        people_start=np.array([[1], [3]]),
        people_end=np.array([[1], [3]]),
    )
    base.update(changes)
    return ReplicationRecord(**base)  # type: ignore[arg-type]


def metrics_of(rec: ReplicationRecord) -> dict[tuple[str, str], float]:
    return {(m, p): v for m, p, v in replication_metrics(rec, COMPILED)}


def test_system_metrics_by_hand() -> None:
    values = metrics_of(record())
    assert values[("person_years", "")] == pytest.approx(8.0)  # 4 people x 2 years
    assert values[("housed_person_years", "")] == pytest.approx(6.0)
    assert values[("homeless_days_per_person_year", "")] == pytest.approx(730.0 / 8.0)
    assert values[("breakdowns_per_100_person_years", "")] == pytest.approx(100 * 2 / 6.0)
    assert values[("housed_share_end", "")] == pytest.approx(3 / 4)
    assert values[("arrivals", "")] == 3
    assert values[("exits", "")] == 1
    assert values[("housing_retention_12m", "")] == pytest.approx(2 / 3)
    assert values[("mean_homeless_people", "")] == pytest.approx(1.0)
    assert values[("mean_housed_people", "")] == pytest.approx(3.0)


def test_place_metrics_by_hand() -> None:
    values = metrics_of(record())
    window = 730.0
    assert values[("mean_occupancy", "home")] == pytest.approx(3 * 365.0 * 2 / window)
    assert values[("utilization", "home")] == pytest.approx(3.0 / 6.0)  # mean of 4 and 8
    assert values[("mean_queue", "home")] == pytest.approx((365.0 + 730.0) / window)
    assert values[("blocked_days", "home")] == pytest.approx(30.0)
    assert values[("mean_wait_days", "home")] == pytest.approx(4.0)
    assert values[("p90_wait_days", "home")] == pytest.approx(np.quantile([1, 2, 3, 4, 10], 0.9))
    assert math.isnan(values[("mean_wait_days", "street")])
    assert math.isnan(values[("utilization", "street")])


def test_retention_is_undefined_without_eligible_starts() -> None:
    assert math.isnan(housing_retention(record(spells=np.zeros((0, 2)))))
    only_exits = np.array([[400.0, 500.0, SpellEnd.EXIT]])
    assert math.isnan(housing_retention(record(spells=only_exits)))


def test_interval_is_the_student_t_interval() -> None:
    sample = np.array([3.0, 5.0, 4.0, 8.0, 6.0])
    mean, sd, low, high, n = interval(sample)
    expected = stats.t.interval(0.95, df=4, loc=sample.mean(), scale=stats.sem(sample))
    assert (mean, n) == (pytest.approx(5.2), 5)
    assert sd == pytest.approx(sample.std(ddof=1))
    assert (low, high) == pytest.approx(expected)
    assert math.isnan(interval(np.array([1.0]))[2])
