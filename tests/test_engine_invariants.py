"""Invariants of the flow model: nobody is created or lost, capacities hold, same seed same run."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bosim
from bosim.engine.records import Count
from bosim.scenario import scenario_from_dict
from builders import NETWORK, network


def assert_conserved(results: bosim.Results) -> None:
    """People at the start of the window + arrivals = exits + people at the end."""
    for record in results.records:
        window = record.window
        arrivals = int(record.arrivals[window].sum())
        exits = int(record.counts[Count.EXIT, window].sum())
        start, end = int(record.people_start.sum()), int(record.people_end.sum())
        assert start + arrivals == exits + end, (record.replication, start, arrivals, exits, end)


def assert_capacity_respected(results: bosim.Results) -> None:
    """Rebuild occupancy from the event log: no admission into a full place, ever."""
    events = results.events
    assert events is not None
    compiled = results.compiled
    names = list(compiled.place_names)
    for _, log in events.groupby("replication"):
        occupancy = dict.fromkeys(names, 0)
        where: dict[int, str] = {}
        for time, person, event, place in log[["time", "person", "event", "place"]].itertuples(
            index=False
        ):
            renewed = False
            if event in ("admission", "return", "leave", "breakdown", "exit") and person in where:
                previous = where.pop(person)
                renewed = event == "admission" and previous == place  # a new stay, same unit
                if not renewed:
                    occupancy[previous] -= 1
            if event in ("admission", "return"):
                if not renewed:
                    year = min(
                        max(math.floor(time / 365.0) + compiled.warmup_years, 0),
                        compiled.simulated_years - 1,
                    )
                    capacity = compiled.capacity[names.index(place)][year]
                    # A return from an institution takes back a unit that was held (and
                    # so could not close), not a free one.
                    if event == "admission":
                        assert occupancy[place] < capacity, (place, time, occupancy[place],
                                                             capacity)
                    occupancy[place] += 1
                where[person] = place
        assert all(count >= 0 for count in occupancy.values())


def test_network_conserves_people_and_respects_capacity() -> None:
    results = bosim.simulate(network(), trace=True)
    assert_conserved(results)
    assert_capacity_respected(results)
    end = sum(int(r.people_end.sum()) for r in results.records)
    assert end > 0  # the check is not vacuous


def test_people_waiting_at_time_zero_do_not_take_units_of_people_placed_after_them() -> None:
    """Regression: a person starting in the shelter, headed for shared housing, must not
    take a unit that belongs to someone listed later in `initial`."""
    data: dict[str, Any] = {
        "simulation": {"years": 1, "warmup_years": 0, "replications": 1},
        "policy": {"waiting": ["shelter", "street"]},
        "places": {"street": {"kind": "street"}, "shelter": {"kind": "acute", "capacity": 2},
                   "shared": {"kind": "shared", "capacity": 2}},
        "segments": [{"name": "a", "initial": {"shelter": 1, "shared": 2},
                      "routes": {"start": {"shared": 1.0}}}],
    }
    results = bosim.simulate(scenario_from_dict(data), trace=True)
    assert_capacity_respected(results)
    record = results.records[0]
    assert record.people_end[2].sum() == 2 and record.people_end[1].sum() == 1


def test_shrinking_capacity_closes_units_as_they_are_vacated() -> None:
    scenario = network(**{"places.shared.capacity": [6, 2, 2, 2], "simulation.warmup_years": 0})
    results = bosim.simulate(scenario, trace=True)
    assert_conserved(results)
    assert_capacity_respected(results)  # no admission while occupancy >= the new capacity


def test_same_seed_same_numbers() -> None:
    first = bosim.simulate(network(), trace=True)
    second = bosim.simulate(network(), trace=True)
    pd.testing.assert_frame_equal(first.replications, second.replications)
    pd.testing.assert_frame_equal(first.events, second.events)
    third = bosim.simulate(network(), seed=8)
    assert not first.replications["value"].equals(third.replications["value"])


def test_jobs_do_not_change_the_numbers() -> None:
    one = bosim.simulate(network(), jobs=1)
    two = bosim.simulate(network(), jobs=2)
    pd.testing.assert_frame_equal(one.replications, two.replications, check_exact=True)
    pd.testing.assert_frame_equal(one.timeseries, two.timeseries, check_exact=True)


def test_more_capacity_leaves_every_arrival_unchanged() -> None:
    base = bosim.simulate(network(), trace=True)
    bigger = bosim.simulate(network(**{"places.housing_first.capacity": 9}), trace=True)
    columns = ["replication", "time", "segment", "person"]

    def arrivals(results: bosim.Results) -> pd.DataFrame:
        assert results.events is not None
        frame = results.events
        return frame[frame.event == "arrival"][columns].reset_index(drop=True)

    pd.testing.assert_frame_equal(arrivals(base), arrivals(bigger))
    # ...while the policy change does change what happens to people.
    assert not base.replications["value"].equals(bigger.replications["value"])


def test_a_person_keeps_their_draws_when_another_place_changes() -> None:
    """Common random numbers: the first stay of each transitional person in temporary
    housing is the same whether or not the shared housing (which they never use) grows."""
    base = bosim.simulate(network(), replications=1, trace=True)
    other = bosim.simulate(network(**{"places.shared.capacity": 12}), replications=1, trace=True)

    def first_stays(results: bosim.Results) -> pd.Series:
        assert results.events is not None
        log = results.events
        log = log[log.segment == "transitional"]
        admitted = log[(log.event == "admission") & (log.place == "temporary")
                       & (log.target == "temporary")].groupby("person")["time"].first()
        ended = log[(log.event == "end_of_stay") & (log.place == "temporary")].groupby(
            "person")["time"].first()
        return (ended - admitted).dropna()

    a, b = first_stays(base), first_stays(other)
    common = a.index.intersection(b.index)
    assert len(common) > 20
    pd.testing.assert_series_equal(a[common], b[common])


# ------------------------------------------------------------------ property test


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """Random valid scenarios: 1-4 limited places of any kind, 1-2 segments, any routes."""
    kinds = ["acute", "temporary", "shared", "housing_first", "ordinary", "institution"]
    count = draw(st.integers(1, 4))
    names = [f"p{i}" for i in range(count)]
    distributions = st.sampled_from([
        {"dist": "exponential", "mean": 40.0},
        {"dist": "gamma", "mean": 60.0, "cv": 1.5},
        {"dist": "fixed", "value": 30.0},
        {"dist": "uniform", "low": 5.0, "high": 90.0},
        {"dist": "triangular", "low": 1.0, "mode": 10.0, "high": 100.0},
    ])
    places: dict[str, Any] = {"street": {"kind": "street"}}
    for name in names:
        capacity = draw(st.one_of(
            st.integers(0, 6), st.lists(st.integers(0, 6), min_size=1, max_size=2)
        ))
        place: dict[str, Any] = {"kind": draw(st.sampled_from(kinds)), "capacity": capacity}
        if draw(st.booleans()):
            place["stay"] = draw(distributions)
        place["when_ready"] = draw(st.sampled_from(["wait", "leave"]))
        places[name] = place

    def route(destinations: list[str]) -> dict[str, float]:
        chosen = draw(st.lists(st.sampled_from(destinations), min_size=1, max_size=3,
                               unique=True))
        weights = [draw(st.integers(1, 5)) for _ in chosen]
        total = sum(weights)
        table = {name: weight / total for name, weight in zip(chosen, weights, strict=True)}
        # make it sum to 1 exactly in floating point
        first = chosen[0]
        table[first] = 1.0 - math.fsum(v for k, v in table.items() if k != first)
        return table

    waiting_extra = draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
    segments = []
    for number in range(draw(st.integers(1, 2))):
        housed = [n for n in names if places[n]["kind"] in ("shared", "housing_first",
                                                             "ordinary")]
        initial: dict[str, int] = {}
        segment: dict[str, Any] = {
            "name": f"s{number}",
            "arrivals_per_year": draw(st.sampled_from([0.0, 5.0, 20.0, [10.0, 30.0]])),
            "priority": draw(st.integers(0, 2)),
            "exit_rate_per_year": draw(st.sampled_from([0.0, 0.3])),
            "breakdown_rate_per_year": {n: draw(st.sampled_from([0.0, 0.5, 2.0]))
                                        for n in housed},
            "routes": {
                "start": route([*names, "street"]),
                "breakdown": route([*names, "street", "exit"]),
            },
            "initial": initial,
        }
        for name in names:
            if draw(st.booleans()):
                segment["routes"][name] = route([*names, "street", "exit"])
            elif "stay" in places[name]:
                segment["routes"][name] = {"exit": 1.0}
        segments.append(segment)
    # initial people, within first-year capacity
    for name in [*names, "street"]:
        capacity = places[name].get("capacity", 10**6)
        first = capacity[0] if isinstance(capacity, list) else capacity
        people = draw(st.integers(0, min(first, 3)))
        if people:
            segments[0]["initial"][name] = people
    teams: dict[str, Any] = {}
    if draw(st.booleans()):
        places["ward"] = {"kind": "institution", "capacity": draw(st.integers(0, 2)),
                          "stay": {"dist": "exponential", "mean": 5.0}}
        served = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names),
                               unique=True))
        teams["team"] = {
            "serves": served,
            "fte": draw(st.sampled_from([0.0, 0.7, 2.0, 6.0])),
            "hours": draw(st.sampled_from(["24/7", "mon-fri 08:00-16:00", "daily 20:00-08:00",
                                           "closed", ["sat-sun 10:00-18:00", "wed 12:00-14:00"]])),
            "followup_hours_per_resident_week": draw(st.sampled_from([0.0, 3.0])),
            "response_limit_hours": draw(st.sampled_from([0.0, 1.0])),
            "handling_hours": {"dist": "exponential", "mean": 6.0},
        }
        outcomes = st.sampled_from([
            {"none": 1.0},
            {"none": 0.5, "emergency": 0.2, "admission": 0.2, "breakdown": 0.1},
            {"admission": 1.0},
            {"breakdown": 0.5, "admission": 0.5},
        ])
        for segment in segments:
            segment["crisis"] = {
                "rate_per_year": draw(st.sampled_from([5.0, 40.0])),
                "profile": draw(st.sampled_from(["flat", "evening_night", "day"])),
                "handled": draw(outcomes), "unhandled": draw(outcomes), "institution": "ward",
            }
            segment["routes"]["breakdown"] = route([*names, "street", "exit"])
    return {
        "teams": teams,
        "meta": {"name": "random"},
        "simulation": {"years": 2, "warmup_years": draw(st.integers(0, 1)),
                       "replications": 1, "seed": draw(st.integers(0, 1000))},
        "policy": {"waiting": [*waiting_extra, "street"],
                   "priority": draw(st.sampled_from(["fifo", "segment"]))},
        "places": places,
        "segments": segments,
    }


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_random_scenarios_conserve_people_and_respect_capacity(data: dict[str, Any]) -> None:
    scenario = scenario_from_dict(data)
    results = bosim.simulate(scenario, trace=True)
    assert_conserved(results)
    assert_capacity_respected(results)
    summary = results.summary
    assert set(summary.metric) >= {"arrivals", "people_end", "mean_occupancy"}


def test_property_strategy_covers_waiting_and_blocking() -> None:
    """The strategy is not vacuous: the network exercises the same checks with blocking."""
    results = bosim.simulate(network(), trace=True)
    blocked = results.summary[results.summary.metric == "blocked_days"]["mean"].sum()
    assert blocked > 0
    assert NETWORK["policy"]["waiting"][0] == "shelter"


@pytest.mark.parametrize("policy", ["fifo", "segment"])
def test_priority_lets_lower_numbers_go_first(policy: str) -> None:
    """Two segments competing for one scarce place: with segment priority, the priority-0
    segment waits less; under FIFO they wait about the same."""
    data: dict[str, Any] = {
        "simulation": {"years": 10, "warmup_years": 1, "replications": 8, "seed": 3},
        "policy": {"waiting": ["street"], "priority": policy},
        "places": {
            "street": {"kind": "street"},
            "unit": {"kind": "shared", "capacity": 4,
                     "stay": {"dist": "exponential", "mean": 30.0}},
        },
        "segments": [
            {"name": name, "priority": priority, "arrivals_per_year": 21.0,
             "routes": {"start": {"unit": 1.0}, "unit": {"exit": 1.0}}}
            for name, priority in (("first", 0), ("second", 1))
        ],
    }
    results = bosim.simulate(scenario_from_dict(data), trace=True)
    events = results.events
    assert events is not None
    arrivals = events[events.event == "arrival"].set_index(["replication", "person"])["time"]
    admitted = events[(events.event == "admission") & (events.place == "unit")].set_index(
        ["replication", "person"])
    waits = (admitted["time"] - arrivals.reindex(admitted.index)).groupby(
        admitted["segment"].astype(str)).mean()
    if policy == "segment":
        assert waits["first"] < 0.5 * waits["second"]
    else:
        assert waits["first"] == pytest.approx(waits["second"], rel=0.3)
