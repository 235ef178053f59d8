"""Staff plans over time: FTE and service hours per year (docs/model.md, staff plans).

The cost of a team with an FTE plan is, year by year, FTE x cost_per_fte_year in closed
form, discounted like every cost. Crisis handling follows the plan exactly at the year
boundary: a team with no staff (or closed) in a year handles no crisis in it, and with
c staff around the clock and no response time it is the loss system M/M/c/c of
tests/validation/test_crises.py, so the handled share after the boundary is 1 - Erlang
B(c, a), checked within the replications' 99 % t-interval.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import bosim
from bosim.analysis.summary import interval
from bosim.engine import EventKind, compile_scenario, simulate_replication
from bosim.scenario import scenario_from_dict
from bosim.units import DAYS_PER_YEAR
from builders import erlang_b

pytestmark = pytest.mark.slow  # simulations of thousands of people against theory

CONFIDENCE = 0.99
RESIDENTS = 10
HANDLING_HOURS = 2.0
LOAD = 1.5
"""Offered load: crises per hour x hours per crisis, in staff."""
COST_PER_FTE_YEAR = 1_000_000.0


def planned_team(*, fte: float | list[float], hours: Any = "24/7", years: int = 2,
                 warmup_years: int = 0) -> dict[str, Any]:
    """RESIDENTS people living for good in one place with Poisson crises, a 24/7 team
    whose staff on duty equal its FTE (hours_per_fte_year = 8760)."""
    return {
        "simulation": {"years": years, "warmup_years": warmup_years, "replications": 2,
                       "seed": 23},
        "economics": {"discount_rate": 0.04},
        "policy": {"waiting": ["street"]},
        "places": {"street": {"kind": "street"},
                   "home": {"kind": "housing_first", "capacity": RESIDENTS}},
        "teams": {"team": {
            "serves": ["home"], "fte": fte, "hours": hours, "hours_per_fte_year": 8760.0,
            "cost_per_fte_year": COST_PER_FTE_YEAR,
            "handling_hours": {"dist": "exponential", "mean": HANDLING_HOURS},
        }},
        "segments": [{
            "name": "residents", "initial": {"home": RESIDENTS},
            "routes": {"start": {"home": 1.0}},
            "crisis": {"rate_per_year": LOAD / HANDLING_HOURS * 8760.0 / RESIDENTS},
        }],
    }


REPLICATIONS = 8


def crisis_days(data: dict[str, Any]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Days of the handled and of the unhandled crises, by replication."""
    compiled = compile_scenario(scenario_from_dict(data))
    runs = []
    for replication in range(REPLICATIONS):
        record = simulate_replication(compiled, 23, replication, trace=True)
        assert record.events is not None
        runs.append((
            np.array([t for t, _, _, e, _, _ in record.events if e == EventKind.CRISIS_HANDLED]),
            np.array([t for t, _, _, e, _, _ in record.events
                      if e == EventKind.CRISIS_UNHANDLED]),
        ))
    return runs


def handled_days(runs: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Days of every handled crisis, all replications together."""
    return np.concatenate([handled for handled, _ in runs])


def assert_handled_share(runs: list[tuple[np.ndarray, np.ndarray]], year: int,
                         staff: int) -> None:
    """The replications' handled shares in ``year`` against 1 - B(staff, a), 99 % t.

    Crises met by one busy period are not independent, so the interval is over
    replications, as in test_crises.py."""
    low_day, high_day = year * DAYS_PER_YEAR, (year + 1) * DAYS_PER_YEAR
    shares = []
    for handled, unhandled in runs:
        met = np.sum((handled >= low_day) & (handled < high_day))
        unmet = np.sum((unhandled >= low_day) & (unhandled < high_day))
        shares.append(met / (met + unmet))
    _, _, low, high, _ = interval(np.array(shares), CONFIDENCE)
    expected = 1.0 - erlang_b(staff, LOAD)
    assert low <= expected <= high, (expected, low, high)


def test_staff_cost_follows_the_plan_year_by_year() -> None:
    """Closed form: FTE of the year x price, discounted by 1.04^-k."""
    plan = [1.0, 3.0, 2.5]
    results = bosim.simulate(scenario_from_dict(planned_team(fte=plan, years=4)),
                             replications=1)
    staff = results.costs[results.costs["item"] == "team/staff"].sort_values("year")
    expected = [COST_PER_FTE_YEAR * fte for fte in [*plan, plan[-1]]]  # the last holds
    assert staff["cost"].tolist() == expected
    assert np.allclose(staff["cost_pv"], np.array(expected) * 1.04 ** -np.arange(4),
                       rtol=1e-12)


def test_crises_are_handled_from_the_year_the_plan_gives_staff() -> None:
    """No staff in year 0, 3 staff in year 1: nothing handled before day 365, and after
    it the handled share is 1 - B(3, a)."""
    runs = crisis_days(planned_team(fte=[0.0, 3.0]))
    handled = handled_days(runs)
    assert handled.size and handled.min() >= DAYS_PER_YEAR
    assert all(np.sum(unhandled < DAYS_PER_YEAR) > 1000 for _, unhandled in runs)
    assert_handled_share(runs, 1, staff=3)


def test_crises_stop_being_handled_when_the_plan_removes_staff() -> None:
    runs = crisis_days(planned_team(fte=[2.0, 0.0]))
    handled = handled_days(runs)
    assert handled.size and handled.max() < DAYS_PER_YEAR
    assert_handled_share(runs, 0, staff=2)


def test_an_hours_plan_opens_the_team_at_the_year_boundary() -> None:
    runs = crisis_days(planned_team(fte=3.0, hours=[["closed"], ["24/7"]]))
    handled = handled_days(runs)
    assert handled.size and handled.min() >= DAYS_PER_YEAR
    assert_handled_share(runs, 1, staff=3)


def test_an_hours_plan_closes_the_team_at_the_year_boundary() -> None:
    """Around the clock, then closed: the engine must not keep the first year's hours."""
    runs = crisis_days(planned_team(fte=3.0, hours=[["24/7"], ["closed"]]))
    handled = handled_days(runs)
    assert handled.size and handled.max() < DAYS_PER_YEAR
    assert_handled_share(runs, 0, staff=3)


def test_the_warm_up_uses_the_first_year_of_the_plan() -> None:
    """One warm-up year and a plan [0, 3]: no staff until observed year 1 (day 730)."""
    handled = handled_days(crisis_days(planned_team(fte=[0.0, 3.0], warmup_years=1)))
    assert handled.size and handled.min() >= 2 * DAYS_PER_YEAR


@pytest.mark.parametrize("fte", [2.0, [2.0], [2.0, 2.0]])
def test_a_plan_of_one_number_is_the_number(fte: float | list[float]) -> None:
    """The same staffing written as a number or a constant plan gives the same run."""
    results = bosim.simulate(scenario_from_dict(planned_team(fte=fte)), replications=1)
    reference = bosim.simulate(scenario_from_dict(planned_team(fte=2.0)), replications=1)
    assert results.summary["mean"].equals(reference.summary["mean"])
