"""Outreach against theory (docs/model.md, outreach and prevention).

With no capacity limits, a person in a hidden place with no stay of its own is found at
a constant hazard while the team is open: (staff on duty) / staff_hours_to_find per
hour. So the time to be found is exponential with that rate around the clock, and with
office hours it is the same exponential in open hours. Intervals are 99 %, from the
exponential's known variance (a z-interval of the mean over thousands of people) and
from the Kolmogorov-Smirnov test at the same level.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import stats

import bosim
from bosim.engine import (
    Count,
    EventKind,
    HousingModel,
    ReplicationStreams,
    compile_scenario,
    simulate_replication,
)
from bosim.engine.finding import day_open_hours_reach, open_hours_until
from bosim.scenario import scenario_from_dict
from bosim.scenario.hours import parse_hours
from bosim.units import DAYS_PER_YEAR, HOURS_PER_DAY
from trace_checks import assert_capacity_respected, assert_conserved

pytestmark = pytest.mark.slow  # simulations of thousands of people against theory

CONFIDENCE = 0.99
Z = stats.norm.ppf(0.5 + CONFIDENCE / 2)
STAFF_HOURS_TO_FIND = 480.0


def searched_sofa(*, fte: float | list[float], hours: str = "24/7", arrivals: float = 400.0,
                  years: int = 3, stay: dict[str, Any] | None = None) -> dict[str, Any]:
    """People arrive to sofa surfing (hidden) and leave the target group once found.

    With ``hours_per_fte_year = 8760`` on a 24/7 team, the staff on duty equal the FTE.
    """
    sofa: dict[str, Any] = {"kind": "street", "hidden": True}
    if stay is not None:
        sofa["stay"] = stay
    return {
        "simulation": {"years": years, "warmup_years": 0, "replications": 1, "seed": 5},
        "policy": {"waiting": ["street"]},
        "places": {"street": {"kind": "street"}, "sofa": sofa},
        "teams": {"outreach": {
            "serves": ["street"], "fte": fte, "hours": hours, "hours_per_fte_year": 8760.0,
            "handling_hours": {"dist": "fixed", "value": 1.0},
            "outreach": {"places": ["sofa"], "staff_hours_to_find": STAFF_HOURS_TO_FIND},
        }},
        "segments": [{"name": "hidden", "arrivals_per_year": arrivals,
                      "routes": {"start": {"sofa": 1.0}, "sofa": {"exit": 1.0}}}],
    }


def times_to_be_found(data: dict[str, Any], replications: int = 2) -> np.ndarray:
    """Days from arriving in the sofa place to being found, from the trace."""
    compiled = compile_scenario(scenario_from_dict(data))
    found: list[float] = []
    for replication in range(replications):
        record = simulate_replication(compiled, 5, replication, trace=True)
        assert record.events is not None
        arrived: dict[int, float] = {}
        for time, person, _, event, _, _ in record.events:
            if event == EventKind.ARRIVAL:
                arrived[person] = time
            elif event == EventKind.FOUND:
                found.append(time - arrived.pop(person))
        assert np.allclose(np.sort(record.found[:, 1]), np.sort(found[-len(record.found):]))
    return np.array(found)


def assert_exponential(sample: np.ndarray, mean: float) -> None:
    """The sample's mean is within the 99 % interval and KS does not reject at 1 %."""
    half = Z * mean / math.sqrt(sample.size)
    assert abs(sample.mean() - mean) < half, (sample.mean(), mean, half)
    assert stats.kstest(sample, "expon", args=(0, mean)).pvalue > 1 - CONFIDENCE


@pytest.mark.parametrize("fte", [1.0, 2.5])
def test_time_to_be_found_is_exponential_with_the_staff_rate(fte: float) -> None:
    """Around the clock, found at fte / staff_hours_to_find per hour: mean H / fte hours.

    Only people who arrive early enough to be found before the horizon almost surely
    (20 means) are kept, so the horizon does not cut the sample.
    """
    mean_days = STAFF_HOURS_TO_FIND / fte / HOURS_PER_DAY
    data = searched_sofa(fte=fte, years=2)
    compiled = compile_scenario(scenario_from_dict(data))
    kept: list[float] = []
    for replication in range(2):
        record = simulate_replication(compiled, 5, replication, trace=True)
        assert record.events is not None
        arrived = {p: t for t, p, _, e, _, _ in record.events if e == EventKind.ARRIVAL}
        early = {p for p, t in arrived.items() if t < 2 * DAYS_PER_YEAR - 20 * mean_days}
        kept += [t - arrived[p] for t, p, _, e, _, _ in record.events
                 if e == EventKind.FOUND and p in early]
        found = {p for _, p, _, e, _, _ in record.events if e == EventKind.FOUND}
        assert early <= found  # everyone arriving early enough was found
    assert len(kept) > 500
    assert_exponential(np.array(kept), mean_days)


def test_in_office_hours_the_time_to_be_found_is_exponential_in_open_hours() -> None:
    """Monday to Friday 08-16: the open hours until found are exponential with mean H/fte."""
    fte = 2.0
    data = searched_sofa(fte=fte, hours="mon-fri 08:00-16:00", years=3)
    hours = parse_hours("mon-fri 08:00-16:00")
    compiled = compile_scenario(scenario_from_dict(data))
    on_duty = compiled.teams[0].on_duty
    assert on_duty == pytest.approx(fte * 8760.0 / (40 * 52.142857142857146))
    mean_open_hours = STAFF_HOURS_TO_FIND / on_duty
    horizon = 3 * DAYS_PER_YEAR
    open_hours: list[float] = []
    for replication in range(2):
        record = simulate_replication(compiled, 5, replication, trace=True)
        assert record.events is not None
        arrived = {p: t for t, p, _, e, _, _ in record.events if e == EventKind.ARRIVAL}
        latest = day_open_hours_reach(hours, open_hours_until(hours, horizon)
                                      - 20 * mean_open_hours)
        for time, person, _, event, _, _ in record.events:
            if event == EventKind.FOUND and arrived[person] < latest:
                assert hours.is_open(time - 1e-9)  # found only while the team is open
                open_hours.append(open_hours_until(hours, time)
                                  - open_hours_until(hours, arrived[person]))
    assert len(open_hours) > 500
    assert_exponential(np.array(open_hours), mean_open_hours)


def test_with_no_outreach_staff_nobody_is_found() -> None:
    data = searched_sofa(fte=0.0, years=1, arrivals=100.0)
    assert times_to_be_found(data).size == 0


def test_a_staff_plan_starts_finding_at_the_year_boundary() -> None:
    """No staff in the first year, then staff: nobody is found before day 365, and the
    people hidden then are found from that day on at the new rate."""
    data = searched_sofa(fte=[0.0, 2.0], years=2, arrivals=200.0)
    compiled = compile_scenario(scenario_from_dict(data))
    record = simulate_replication(compiled, 5, 0, trace=True)
    assert record.events is not None
    found_at = np.array([t for t, _, _, e, _, _ in record.events if e == EventKind.FOUND])
    assert found_at.size > 100
    assert found_at.min() >= DAYS_PER_YEAR


def test_people_who_come_forward_first_are_not_found() -> None:
    """A stay of its own competes with the finding: P(found first) = r / (r + 1/stay)."""
    fte = 1.0
    stay_days = 10.0
    data = searched_sofa(fte=fte, years=2, arrivals=2000.0,
                         stay={"dist": "exponential", "mean": stay_days})
    compiled = compile_scenario(scenario_from_dict(data))
    record = simulate_replication(compiled, 5, 0)
    rate = fte / STAFF_HOURS_TO_FIND * HOURS_PER_DAY  # per day
    expected = rate / (rate + 1.0 / stay_days)
    found = record.counts[Count.FOUND].sum()
    ended = record.counts[Count.END_OF_STAY].sum()  # every hidden time that ended
    share = found / ended
    half = Z * math.sqrt(expected * (1 - expected) / ended)
    assert abs(share - expected) < half, (share, expected, half)


def test_hidden_days_are_counted_as_mean_hidden_people() -> None:
    """Little's law on the hidden place: mean hidden = arrivals per day x mean days hidden."""
    fte = 2.0
    data = searched_sofa(fte=fte, years=4, arrivals=365.0)
    data["simulation"].update(warmup_years=1, replications=8)
    results = bosim.simulate(scenario_from_dict(data))
    summary = results.summary.set_index(["metric", "segment", "place"])
    mean_days = STAFF_HOURS_TO_FIND / fte / HOURS_PER_DAY
    hidden = summary.loc[("mean_hidden_people", "", "")]
    assert hidden.ci_low < 1.0 * mean_days < hidden.ci_high  # 1 arrival a day
    to_be_found = summary.loc[("mean_days_to_be_found", "", "")]
    assert to_be_found.ci_low < mean_days < to_be_found.ci_high
    assert summary.loc[("found_by_outreach", "hidden", ""), "mean"] > 0


def test_the_books_balance_with_hidden_people_crises_and_full_places() -> None:
    """Hidden people found while others come forward, crises with institution stays from
    the hidden place, a full flat and blocking: the places' books agree with everyone
    after every event, nobody is created or lost, and no place is over capacity."""
    data = searched_sofa(fte=[1.0, 0.0, 3.0], years=3, arrivals=60.0,
                         stay={"dist": "exponential", "mean": 20.0})
    data["simulation"]["warmup_years"] = 1
    data["places"]["sofa"]["when_ready"] = "wait"
    data["places"]["flat"] = {"kind": "ordinary", "capacity": 5,
                              "stay": {"dist": "exponential", "mean": 60.0}}
    data["places"]["ward"] = {"kind": "institution", "capacity": 2,
                              "stay": {"dist": "exponential", "mean": 5.0}}
    data["teams"]["outreach"]["serves"] = ["sofa"]
    data["segments"][0].update(
        routes={"start": {"sofa": 1.0}, "sofa": {"flat": 0.8, "exit": 0.2},
                "flat": {"sofa": 0.5, "exit": 0.5}, "breakdown": {"sofa": 1.0}},
        breakdown_rate_per_year={"flat": 2.0},
        crisis={"rate_per_year": 12.0, "handled": {"none": 0.5, "admission": 0.5},
                "unhandled": {"admission": 0.5, "breakdown": 0.5}},
    )
    scenario = scenario_from_dict(data)
    compiled = compile_scenario(scenario)
    records = []
    for replication in range(2):
        model = HousingModel(compiled, ReplicationStreams(5, replication), trace=True)
        model.start()
        while model.env.peek() < model.horizon:
            model.env.step()
            model.audit()
        records.append(model.finish())
    assert_conserved(records)
    assert_capacity_respected(records, scenario)
    assert all(record.counts[Count.FOUND].sum() > 0 for record in records)
