"""Payer rules that depend on the stay (``price_by_stay``) against closed forms.

The rule throughout: the state pays the first 90 days of a person's stays in the shelter
in a calendar year, the municipality the rest (Denmark's § 110 refund limit is of this
shape); each day costs 1,000. First exact cases on hand-written stays, then a whole
simulation against the expected split of fixed 120-day stays over the year boundary.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

import bosim
from bosim.analysis.costs import cost_lines, is_price_key
from bosim.analysis.stay_pricing import days_by_step
from bosim.analysis.summary import interval
from bosim.api import psa
from bosim.errors import InputError
from bosim.scenario import scenario_from_dict
from builders import record_of_stays

PRICE = 1000.0
LIMIT = 90
RULE = {
    "refunded": {"from_day": 0, "cost_per_occupied_day": PRICE, "payer": "state"},
    "after_limit": {"from_day": LIMIT, "cost_per_occupied_day": PRICE,
                    "payer": "municipality"},
}
SHELTER_SCENARIO: dict[str, Any] = {
    "simulation": {"years": 2, "warmup_years": 1},
    "policy": {"waiting": ["street"]},
    "places": {
        "street": {"kind": "street"},
        "shelter": {"kind": "temporary", "capacity": "unlimited", "price_by_stay": RULE},
    },
    "segments": [{"name": "people"}],
}
STREET, SHELTER = 0, 1


def yearly_by_payer(record: Any, scenario: Any) -> dict[str, list[float]]:
    return {payer: list(cost) for item, payer, cost in cost_lines(record, scenario)
            if item == "shelter/occupied_days"}


def test_fixed_stays_of_120_days_split_90_and_30() -> None:
    """Three 120-day stays inside one year each: 90 state days and 30 municipal days each."""
    record = record_of_stays(
        [(1, 0, SHELTER, 400.0, 520.0), (2, 0, SHELTER, 500.0, 620.0),
         (3, 0, SHELTER, 800.0, 920.0)],
        places=2, segments=1, warmup_years=1, observed_years=2)
    costs = yearly_by_payer(record, scenario_from_dict(copy.deepcopy(SHELTER_SCENARIO)))
    assert costs["state"] == [2 * 90 * PRICE, 90 * PRICE]
    assert costs["municipality"] == [2 * 30 * PRICE, 30 * PRICE]


def test_the_count_starts_again_each_year_and_adds_up_stays_within_one() -> None:
    """Observed years are days 365-730 and 730-1095; worked out by hand:

    - person 1, 400-520: 120 days in year 0: 90 state, 30 municipality;
    - person 2, 700-820: 30 days in year 0, 90 in year 1 (counted from 0 again): all state;
    - person 3, 750-810 and 900-960 in year 1: days 0-59 and 60-119 of the year: 90
      state, 30 municipality;
    - person 4, 300-420: 65 warm-up days (not priced), 55 in year 0: all state;
    - person 5, 1050-1095 (still there at the horizon): 45 days in year 1, state;
    - person 6 on the street 365-1095: not the shelter.
    """
    record = record_of_stays(
        [(1, 0, SHELTER, 400.0, 520.0), (2, 0, SHELTER, 700.0, 820.0),
         (3, 0, SHELTER, 750.0, 810.0), (3, 0, SHELTER, 900.0, 960.0),
         (4, 0, SHELTER, 300.0, 420.0), (5, 0, SHELTER, 1050.0, 1095.0),
         (6, 0, STREET, 365.0, 1095.0)],
        places=2, segments=1, warmup_years=1, observed_years=2)
    costs = yearly_by_payer(record, scenario_from_dict(copy.deepcopy(SHELTER_SCENARIO)))
    assert costs["state"] == [(90 + 30 + 55) * PRICE, (90 + 90 + 45) * PRICE]
    assert costs["municipality"] == [30 * PRICE, 30 * PRICE]
    assert days_by_step(record, SHELTER, [0, LIMIT]).tolist() == [[175, 30], [225, 30]]


def test_shares_split_a_step_between_payers() -> None:
    """A half refund up to day 90: 90 days x 500 each, then 30 days x 1,000 municipal."""
    data = copy.deepcopy(SHELTER_SCENARIO)
    data["places"]["shelter"]["price_by_stay"]["refunded"] = {
        "from_day": 0, "cost_per_occupied_day": PRICE,
        "shares": {"state": 0.5, "municipality": 0.5}}
    record = record_of_stays([(1, 0, SHELTER, 400.0, 520.0)], places=2, segments=1,
                             warmup_years=1, observed_years=2)
    costs = yearly_by_payer(record, scenario_from_dict(data))
    assert costs["state"] == [45 * PRICE, 0.0]
    assert costs["municipality"] == [(45 + 30) * PRICE, 0.0]


STATE_SHARE_OF_120_DAY_STAY = (245 / 365 * 90 + 120 / 365 * 112.5) / 120
"""Expected share of a fixed 120-day stay the state pays, starts spread evenly over the
year: a stay starting in the first 245 days stays in its year (90 of 120 state days); one
starting in the last 120 days has a = 365 - start days in the first year, and the state
pays min(a, 90) + min(120 - a, 90), whose mean over a uniform in (0, 120) is 112.5."""


@pytest.mark.slow
def test_simulated_split_matches_the_closed_form() -> None:
    """Poisson arrivals into an unlimited shelter with fixed 120-day stays: the state's
    expected cost per year is rate x 120 x the share above; checked with a 99.9 % interval
    over replications, and every replication exactly against its own stays."""
    rate, replications = 150.0, 12
    data = copy.deepcopy(SHELTER_SCENARIO)
    data["simulation"] = {"years": 6, "warmup_years": 1, "replications": replications,
                          "seed": 4}
    data["places"]["shelter"]["stay"] = {"dist": "fixed", "value": 120}
    data["segments"] = [{"name": "people", "arrivals_per_year": rate,
                         "routes": {"start": {"shelter": 1.0}, "shelter": {"exit": 1.0}}}]
    results = bosim.simulate(scenario_from_dict(data), replications=replications, seed=4)
    costs = results.costs
    per_run = costs.groupby(["replication", "payer"])["cost"].sum().unstack("payer")
    years = data["simulation"]["years"]
    state = per_run["state"].to_numpy() / years / PRICE
    _, _, low, high, _ = interval(state, confidence=0.999)
    expected_state = rate * 120 * STATE_SHARE_OF_120_DAY_STAY
    assert low <= expected_state <= high, (low, expected_state, high)
    # State and municipality together are every occupied day, exactly.
    occupied = np.array([record.person_days[record.window, SHELTER].sum()
                         for record in results.records])
    total = (per_run["state"] + per_run["municipality"]).to_numpy() / PRICE
    np.testing.assert_allclose(total, occupied, rtol=1e-9)
    # Each stay by hand: its days in each observed year, 90 of them at most to the state.
    for record in results.records:
        state_days = 0.0
        for start, end in record.stays[record.stays[:, 2] == SHELTER][:, 3:5]:
            for year in range(record.warmup_years, record.warmup_years + years):
                days = max(0.0, min(end, (year + 1) * 365.0) - max(start, year * 365.0))
                state_days += min(days, LIMIT)
        paid = per_run.loc[record.replication, "state"] / PRICE
        assert paid == pytest.approx(state_days, rel=1e-9)


def test_a_new_day_limit_is_priced_again_without_simulating() -> None:
    """Moving the limit from day 90 to day 100 moves 10 days of a 120-day stay to the state
    (``bosim.price`` re-prices the same records: price_by_stay keys only change money)."""
    data = copy.deepcopy(SHELTER_SCENARIO)
    data["places"]["shelter"]["stay"] = {"dist": "fixed", "value": 120}
    data["segments"] = [{"name": "people", "arrivals_per_year": 20,
                         "routes": {"start": {"shelter": 1.0}, "shelter": {"exit": 1.0}}}]
    results = bosim.simulate(scenario_from_dict(data), replications=2, seed=2)
    key = "places.shelter.price_by_stay.after_limit.from_day"
    assert is_price_key(key) and is_price_key("places.shelter.price_by_stay.refunded.shares.state")
    later = results.price({key: 100})
    assert later.records is results.records

    def state_days(priced: Any) -> np.ndarray:
        state = priced.costs[priced.costs.payer == "state"]
        return state.groupby("replication")["cost"].sum().to_numpy() / PRICE

    def by_hand(limit: int) -> np.ndarray:
        totals = []
        for record in results.records:
            days = days_by_step(record, SHELTER, [0, limit])
            totals.append(days[:, 0].sum())
        return np.array(totals)

    np.testing.assert_allclose(state_days(results), by_hand(LIMIT), rtol=1e-12)
    np.testing.assert_allclose(state_days(later), by_hand(100), rtol=1e-12)
    assert np.all(state_days(later) > state_days(results))


@pytest.mark.parametrize(("rule", "message"), [
    ({"a": {"from_day": 10, "cost_per_occupied_day": 1.0}}, "no step starts at from_day = 0"),
    ({"a": {"from_day": 0, "cost_per_occupied_day": 1.0},
      "b": {"from_day": 0, "cost_per_occupied_day": 2.0}}, "two steps start at from_day = 0"),
    ({"a": {"from_day": 0, "cost_per_occupied_day": 1.0, "payer": "state",
            "shares": {"state": 1.0}}}, "payer or shares, not both"),
    ({"a": {"from_day": 0, "cost_per_occupied_day": 1.0,
            "shares": {"state": 0.5, "municipality": 0.4}}}, "shares sum to 0.9"),
    ({"a": {"from_day": 365, "cost_per_occupied_day": 1.0}}, "must be <= 364"),
    ({"a": {"from_day": 0, "cost_per_occupied_day": 1.0, "payer": "county"}}, "'county'"),
])
def test_bad_rules_are_named_with_their_key(rule: dict[str, Any], message: str) -> None:
    data = copy.deepcopy(SHELTER_SCENARIO)
    data["places"]["shelter"]["price_by_stay"] = rule
    with pytest.raises(InputError) as caught:
        scenario_from_dict(data)
    assert message in str(caught.value)
    assert "places.shelter.price_by_stay" in str(caught.value)


def test_a_rule_and_a_flat_price_together_are_refused() -> None:
    data = copy.deepcopy(SHELTER_SCENARIO)
    data["places"]["shelter"]["cost_per_occupied_day"] = 500
    with pytest.raises(InputError, match="price_by_stay replaces cost_per_occupied_day"):
        scenario_from_dict(data)


def test_a_psa_of_the_day_limit_simulates_once_and_re_prices_each_draw() -> None:
    """The day limit only changes money: one simulation, re-priced per draw; a later limit
    never makes the state pay less."""
    data = copy.deepcopy(SHELTER_SCENARIO)
    data["places"]["shelter"]["stay"] = {"dist": "fixed", "value": 120}
    data["segments"] = [{"name": "people", "arrivals_per_year": 20,
                         "routes": {"start": {"shelter": 1.0}, "shelter": {"exit": 1.0}}}]
    data["uncertainty"] = {"limit": {
        "path": "places.shelter.price_by_stay.after_limit.from_day", "dist": "uniform",
        "min": 30.0, "max": 120.0, "source": "assumption: a test range"}}
    result = psa(scenario_from_dict(data), draws=4, replications=2, seed=1)
    assert result.simulations == 2
    table = result.table
    state = table[(table.metric == "cost_pv_state") & (table.segment == "")
                  & (table.place == "")].groupby("sample")["value"].mean()
    limits = result.parameters.set_index("sample")["value"]
    ordered = state.loc[limits.sort_values().index].to_numpy()
    assert np.all(np.diff(ordered) >= 0) and ordered[-1] > ordered[0]
