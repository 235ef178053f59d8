"""Metrics and money are plain functions of records: checked on hand-written records.

The record below has one warm-up year and two observed years, two places (street,
home) and two segments (a, b). Every expected value is worked out by hand in a comment.
Some cases sit on a boundary on purpose: a spell ending in homelessness at 330 days
(inside the 12-month window, outside a 300-day one), follow-up hours counted per week,
units kept for people away counted as occupied.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from bosim.analysis.costs import cost_lines
from bosim.analysis.metrics import replication_metrics
from bosim.analysis.retention import kaplan_meier
from bosim.analysis.summary import interval, summarise
from bosim.engine import Count, ReplicationRecord, SpellEnd, compile_scenario
from bosim.scenario import scenario_from_dict

SCENARIO = scenario_from_dict(
    {
        "simulation": {"years": 2, "warmup_years": 1},
        "policy": {"waiting": ["street"]},
        "places": {
            "street": {"kind": "street"},
            "home": {"kind": "ordinary", "capacity": [4, 8], "cost_per_unit_day": 10.0,
                     "cost_per_occupied_day": 1.0, "payer": "municipality"},
        },
        "teams": {"team": {"serves": ["home"], "fte": 2.0, "hours_per_fte_year": 1695.0,
                           "followup_hours_per_resident_week": 3.0,
                           "cost_per_fte_year": 1000.0, "payer": "state",
                           "handling_hours": {"dist": "fixed", "value": 1.0}}},
        "segments": [{"name": "a", "initial": {"home": 1}}, {"name": "b"}],
    }
)
COMPILED = compile_scenario(SCENARIO)
YEARS, PLACES, SEGMENTS = 3, 2, 2
STREET, HOME = 0, 1
A, B = 0, 1


def empty_waits() -> list[list[np.ndarray]]:
    return [[np.empty(0) for _ in range(SEGMENTS)] for _ in range(PLACES)]


def record(**changes: object) -> ReplicationRecord:
    """Segment a: one person on the street and two housed; segment b: one housed."""
    person_days = np.zeros((YEARS, PLACES, SEGMENTS))
    person_days[1:, STREET, A] = 365.0
    person_days[1:, HOME, A] = 2 * 365.0
    person_days[1:, HOME, B] = 365.0
    person_days[0] = 1000.0  # warm-up: must not count
    counts = np.zeros((len(Count), YEARS, PLACES, SEGMENTS), dtype=np.int64)
    counts[Count.BREAKDOWN, 1, HOME, A] = 2
    counts[Count.BREAKDOWN, 0, HOME, A] = 50  # warm-up
    counts[Count.EXIT, 2, HOME, B] = 1
    counts[Count.CRISIS_HANDLED, 1, HOME, A] = 3
    counts[Count.CRISIS_UNHANDLED, 1, HOME, B] = 1
    counts[Count.CRISIS_UNHANDLED, 2, STREET, A] = 4
    waits = empty_waits()
    waits[HOME][A] = np.array([1.0, 2.0, 3.0])
    waits[HOME][B] = np.array([4.0, 10.0])
    open_waits = empty_waits()
    open_waits[HOME][A] = np.array([30.0])
    open_waits[HOME][B] = np.array([10.0, 20.0])
    base = dict(
        sample=0, replication=0, warmup_years=1, observed_years=2,
        person_days=person_days,
        held_days=np.array([[0.0, 0.0], [0.0, 73.0], [0.0, 0.0]]),
        crisis_hours=np.array([[500.0], [60.0], [40.0]]),
        queue_days=np.array([[0.0, 99.0], [0.0, 365.0], [0.0, 730.0]]),
        blocked_days=np.array([[0.0, 5.0], [0.0, 10.0], [0.0, 20.0]]),
        unit_days=np.array([[0.0, 1460.0], [0.0, 1460.0], [0.0, 2920.0]]),
        counts=counts,
        arrivals=np.array([[9, 9], [2, 0], [1, 1]]),
        waits=waits,
        open_waits=open_waits,
        spells=np.array([
            [100.0, 900.0, SpellEnd.CENSORED, A],   # starts in the warm-up: left out
            [400.0, 1095.0, SpellEnd.CENSORED, A],  # 695 days, censored
            [500.0, 600.0, SpellEnd.HOMELESS, A],   # homeless after 100 days
            [600.0, 700.0, SpellEnd.EXIT, A],       # left after 100 days: censored
            [700.0, 1200.0, SpellEnd.HOMELESS, B],  # homeless after 500 days: retained
            [800.0, 1095.0, SpellEnd.CENSORED, B],  # 295 days, censored at the horizon
            [900.0, 1230.0, SpellEnd.HOMELESS, B],  # homeless after 330 days
        ]),
        flows=np.zeros((SEGMENTS, PLACES + 1, PLACES + 1), dtype=np.int64),
        month_occupancy=np.zeros((36, PLACES)),
        month_queue=np.zeros((36, PLACES)),
        people_start=np.array([[1, 0], [2, 1]]),
        people_end=np.array([[1, 0], [2, 1]]),
    )
    base.update(changes)
    return ReplicationRecord(**base)  # type: ignore[arg-type]


def metrics_of(rec: ReplicationRecord) -> dict[tuple[str, str, str], float]:
    return {(m, s, p): v for m, s, p, v in replication_metrics(rec, COMPILED)}


def test_system_metrics_by_hand() -> None:
    values = metrics_of(record())
    assert values[("person_years", "", "")] == pytest.approx(8.0)  # 4 people x 2 years
    assert values[("housed_person_years", "", "")] == pytest.approx(6.0)
    assert values[("homeless_days_per_person_year", "", "")] == pytest.approx(730.0 / 8.0)
    assert values[("breakdowns_per_100_person_years", "", "")] == pytest.approx(100 * 2 / 6.0)
    assert values[("housed_share_end", "", "")] == pytest.approx(3 / 4)
    assert values[("arrivals", "", "")] == 4
    assert values[("exits", "", "")] == 1
    assert values[("mean_homeless_people", "", "")] == pytest.approx(1.0)
    assert values[("mean_housed_people", "", "")] == pytest.approx(3.0)
    assert values[("crises_per_person_year", "", "")] == pytest.approx(8 / 8.0)
    assert values[("unmet_crisis_share", "", "")] == pytest.approx(5 / 8)
    assert values[("waiting_end", "", "")] == 3


def test_system_metrics_by_segment_by_hand() -> None:
    values = metrics_of(record())
    assert values[("person_years", "a", "")] == pytest.approx(6.0)
    assert values[("person_years", "b", "")] == pytest.approx(2.0)
    assert values[("homeless_days_per_person_year", "a", "")] == pytest.approx(730.0 / 6.0)
    assert values[("homeless_days_per_person_year", "b", "")] == 0.0
    assert values[("breakdowns_per_100_person_years", "a", "")] == pytest.approx(50.0)
    assert values[("housed_share_end", "a", "")] == pytest.approx(2 / 3)
    assert values[("housed_share_end", "b", "")] == 1.0
    assert (values[("arrivals", "a", "")], values[("arrivals", "b", "")]) == (3, 1)
    assert (values[("exits", "a", "")], values[("exits", "b", "")]) == (0, 1)
    assert values[("unmet_crisis_share", "a", "")] == pytest.approx(4 / 7)
    assert values[("unmet_crisis_share", "b", "")] == 1.0
    assert (values[("waiting_end", "a", "")], values[("waiting_end", "b", "")]) == (1, 2)


def test_segments_add_up_to_the_total() -> None:
    values = metrics_of(record())
    for name in ("person_years", "housed_person_years", "arrivals", "exits", "people_end",
                 "emergency_events", "institution_days", "waiting_end"):
        assert values[(name, "a", "")] + values[(name, "b", "")] == pytest.approx(
            values[(name, "", "")]), name


def test_retention_is_kaplan_meier_at_365_days() -> None:
    """All starts in the window: failures at 100 (6 at risk) and 330 days (3 at risk).

    S(365) = 5/6 x 2/3. With a 300-day window it would be 5/6; if exits counted as
    failures, 4/6 x 2/3; if exits were dropped instead of censored, 3/5 x 2/3.
    """
    values = metrics_of(record())
    assert values[("housing_retention_12m", "", "")] == pytest.approx(5 / 6 * 2 / 3)
    assert values[("housing_retention_12m", "a", "")] == pytest.approx(2 / 3)
    assert values[("housing_retention_12m", "b", "")] == pytest.approx(1 / 2)


def test_retention_is_undefined_without_starts_in_the_window() -> None:
    warm_up_only = np.array([[100.0, 900.0, SpellEnd.CENSORED, A]])
    assert math.isnan(metrics_of(record(spells=warm_up_only))[("housing_retention_12m", "", "")])
    assert math.isnan(metrics_of(record(spells=np.zeros((0, 4))))[
        ("housing_retention_12m", "", "")])


def test_kaplan_meier_against_a_hand_table() -> None:
    durations = np.array([2.0, 3.0, 3.0, 5.0, 8.0, 8.0, 9.0])
    events = np.array([True, True, False, True, False, True, False])
    # at 2: 7 at risk, 1 event; at 3: 6 at risk, 1 event; at 5: 4, 1; at 8: 3, 1.
    expected = np.cumprod([6 / 7, 5 / 6, 3 / 4, 2 / 3])
    days = np.array([0.0, 2.0, 2.5, 3.0, 5.0, 8.0, 100.0])
    share = kaplan_meier(durations, events, days)
    assert share == pytest.approx([1.0, expected[0], expected[0], expected[1], expected[2],
                                   expected[3], expected[3]])


def test_place_metrics_by_hand() -> None:
    values = metrics_of(record())
    window = 730.0
    occupied = (3 * 365.0 * 2 + 73.0) / window  # units kept for people away count
    assert values[("mean_occupancy", "", "home")] == pytest.approx(occupied)
    assert values[("utilization", "", "home")] == pytest.approx(occupied / 6.0)  # of 4 and 8
    assert values[("mean_queue", "", "home")] == pytest.approx((365.0 + 730.0) / window)
    assert values[("blocked_days", "", "home")] == pytest.approx(30.0)
    assert values[("mean_wait_days", "", "home")] == pytest.approx(4.0)
    assert values[("p90_wait_days", "", "home")] == pytest.approx(
        np.quantile([1, 2, 3, 4, 10], 0.9))
    assert values[("mean_wait_days", "a", "home")] == pytest.approx(2.0)
    assert values[("mean_wait_days", "b", "home")] == pytest.approx(7.0)
    assert values[("waiting_end", "", "home")] == 3
    assert values[("mean_open_wait_days", "", "home")] == pytest.approx(20.0)
    assert values[("mean_open_wait_days", "b", "home")] == pytest.approx(15.0)
    assert values[("unmet_crisis_share", "", "street")] == 1.0
    assert values[("unmet_crisis_share", "", "home")] == pytest.approx(1 / 4)
    assert math.isnan(values[("mean_wait_days", "", "street")])
    assert math.isnan(values[("utilization", "", "street")])


def test_staff_utilization_counts_follow_up_per_resident_week() -> None:
    """(crisis hours + resident-days / 7 x 3 h) / (2 FTE x 1695 h x 2 years)."""
    values = metrics_of(record())
    resident_days = 3 * 365.0 * 2
    expected = (100.0 + resident_days / 7.0 * 3.0) / (2 * 1695.0 * 2)
    assert values[("staff_utilization", "", "team")] == pytest.approx(expected)


def test_money_lines_use_the_right_exposure() -> None:
    """Unit-days pay for capacity, occupied days for residents (kept units included)."""
    lines = {item: (payer, yearly) for item, payer, yearly in cost_lines(record(), SCENARIO)}
    payer, unit_cost = lines["home/unit_days"]
    assert payer == "municipality"
    assert unit_cost == pytest.approx([10.0 * 1460.0, 10.0 * 2920.0])
    _, occupied_cost = lines["home/occupied_days"]
    assert occupied_cost == pytest.approx([3 * 365.0 + 73.0, 3 * 365.0])
    payer, staff = lines["team/staff"]
    assert payer == "state"
    assert staff == pytest.approx([2.0 * 1000.0, 2.0 * 1000.0])


def test_interval_is_the_student_t_interval() -> None:
    sample = np.array([3.0, 5.0, 4.0, 8.0, 6.0])
    mean, sd, low, high, n = interval(sample)
    expected = stats.t.interval(0.95, df=4, loc=sample.mean(), scale=stats.sem(sample))
    assert (mean, n) == (pytest.approx(5.2), 5)
    assert sd == pytest.approx(sample.std(ddof=1))
    assert (low, high) == pytest.approx(expected)
    assert math.isnan(interval(np.array([1.0]))[2])


def test_summary_intervals_stop_at_what_a_metric_can_take() -> None:
    """A share's interval stays within 0-1 and a count's above 0; a difference is not cut."""
    values = {"housing_retention_12m": [0.9, 1.0, 1.0], "waiting_end": [0.0, 0.0, 9.0],
              "incremental_cost_pv": [-5.0, 1.0, 2.0], "mean_queue": [4.0, 5.0, 6.0]}
    replications = pd.DataFrame(
        [(name, "", "", value) for name, sample in values.items() for value in sample],
        columns=["metric", "segment", "place", "value"])
    summary = summarise(replications).set_index("metric")
    raw = {name: interval(np.array(sample)) for name, sample in values.items()}
    for name, (mean, *_) in raw.items():
        assert summary.loc[name, "mean"] == pytest.approx(mean)
    # The raw t-intervals reach past what the metrics can take ...
    assert raw["housing_retention_12m"][3] > 1.0 and raw["waiting_end"][2] < 0.0
    # ... the summary's stop there, and a difference between plans is not cut.
    assert summary.loc["housing_retention_12m", "ci_high"] == 1.0
    assert summary.loc["housing_retention_12m", "ci_low"] == pytest.approx(
        raw["housing_retention_12m"][2])
    assert summary.loc["waiting_end", "ci_low"] == 0.0
    assert summary.loc["incremental_cost_pv", "ci_low"] == pytest.approx(
        raw["incremental_cost_pv"][2])
    assert (summary.loc["mean_queue", "ci_low"], summary.loc["mean_queue", "ci_high"]) == \
        pytest.approx(raw["mean_queue"][2:4])
