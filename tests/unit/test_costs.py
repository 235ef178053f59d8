"""Money: closed-form present values, the R-109 step-down, perspectives, re-pricing."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import bosim
from bosim.analysis.costs import discount_factors
from bosim.scenario import scenario_from_dict
from builders import values

UNITS, PRICE = 7, 500.0


def priced(years: int = 12, discount_rate: float | None = 0.04, **economics: Any) -> dict[str, Any]:
    """A bofellesskap with a unit-day price (paid whether used or not) and a few residents."""
    return {
        "meta": {"name": "priced", "currency": "NOK", "price_year": 2025},
        "simulation": {"years": years, "warmup_years": 1, "replications": 3, "seed": 5},
        "economics": {"discount_rate": discount_rate, **economics} if discount_rate is not None
        else dict(economics),
        "policy": {"waiting": ["hostel"]},
        "places": {
            "hostel": {"kind": "acute", "capacity": "unlimited", "cost_per_occupied_day": 900.0,
                       "payer": "state"},
            "home": {"kind": "shared", "capacity": UNITS, "cost_per_unit_day": PRICE,
                     "cost_per_occupied_day": 80.0, "cost_per_admission": 5000.0,
                     "cost_per_breakdown": 20000.0, "payer": "municipality",
                     "stay": {"dist": "exponential", "mean": 200.0}},
        },
        "teams": {"team": {"serves": ["home"], "fte": 2.5, "cost_per_fte_year": 1_000_000.0,
                           "payer": "municipality",
                           "handling_hours": {"dist": "exponential", "mean": 1.0}}},
        "costs": {"events": {"emergency": {"cost": 12_000.0, "payer": "other"}}},
        "segments": [{
            "name": "people", "arrivals_per_year": 15.0,
            "breakdown_rate_per_year": {"home": 0.3},
            "routes": {"start": {"home": 1.0}, "home": {"exit": 1.0},
                       "breakdown": {"hostel": 1.0}},
            "crisis": {"rate_per_year": 6.0, "unhandled": {"none": 0.7, "emergency": 0.3},
                       "handled": {"none": 0.9, "emergency": 0.1}},
        }],
    }


def test_unit_day_price_gives_the_annuity() -> None:
    """Fixed capacity x price x 365 a year, discounted: sum of (1.04)^-k, k = 0..11."""
    results = bosim.simulate(scenario_from_dict(priced()))
    costs = results.costs[results.costs.item == "home/unit_days"]
    yearly = UNITS * PRICE * 365.0
    annuity = yearly * sum(1.04 ** -k for k in range(12))
    for _, rows in costs.groupby("replication"):
        assert rows.cost.sum() == pytest.approx(12 * yearly, rel=1e-12)
        assert rows.cost_pv.sum() == pytest.approx(annuity, rel=1e-12)


def test_r109_step_down_beyond_forty_years() -> None:
    years = 90
    by_hand = [
        1.04 ** -min(k, 40) * 1.03 ** -min(max(k - 40, 0), 35) * 1.02 ** -max(k - 75, 0)
        for k in range(years)
    ]
    np.testing.assert_allclose(discount_factors(years, None), by_hand, rtol=1e-13)
    assert discount_factors(years, 0.04)[60] == pytest.approx(1.04 ** -60)
    # ...and a scenario that leaves discount_rate out uses it.
    data = priced(years=90, discount_rate=None)
    data["segments"][0]["arrivals_per_year"] = 0.0
    data["segments"][0].pop("crisis")
    results = bosim.simulate(scenario_from_dict(data), replications=1)
    rows = results.costs[results.costs.item == "home/unit_days"]
    assert rows.cost_pv.sum() == pytest.approx(UNITS * PRICE * 365 * sum(by_hand), rel=1e-12)


def test_society_is_every_payer_plus_tax_financing_of_public_money() -> None:
    base = bosim.simulate(scenario_from_dict(priced()))
    frame = {perspective: base.price({"economics.perspective": perspective}).replications
             for perspective in ("municipality", "public", "society")}
    municipality = values(frame["society"], "cost_pv_municipality")
    state = values(frame["society"], "cost_pv_state")
    other = values(frame["society"], "cost_pv_other")
    assert min(municipality.min(), state.min(), other.min()) > 0  # every payer has costs
    np.testing.assert_array_equal(values(frame["municipality"], "cost_pv"), municipality)
    np.testing.assert_array_equal(values(frame["public"], "cost_pv"), municipality + state)
    np.testing.assert_allclose(
        values(frame["society"], "cost_pv"),
        municipality + state + other + 0.20 * (municipality + state), rtol=1e-15,
    )


def test_repricing_equals_a_fresh_run_with_the_new_prices() -> None:
    scenario = scenario_from_dict(priced())
    new_prices = {
        "places.home.cost_per_unit_day": 650.0,
        "places.hostel.payer": "municipality",
        "teams.team.cost_per_fte_year": 1_100_000.0,
        "costs.events.emergency": {"cost": 15_000.0, "payer": "state"},
        "economics.discount_rate": 0.03,
        "economics.perspective": "public",
    }
    repriced = bosim.price(bosim.simulate(scenario), new_prices)
    fresh = bosim.simulate(bosim.with_overrides(scenario, new_prices))
    pd.testing.assert_frame_equal(repriced.costs, fresh.costs)
    pd.testing.assert_frame_equal(repriced.replications, fresh.replications)
    assert not repriced.costs.equals(bosim.simulate(scenario).costs)


def test_repricing_refuses_changes_to_what_is_simulated() -> None:
    results = bosim.simulate(scenario_from_dict(priced()), replications=1)
    with pytest.raises(bosim.InputError) as caught:
        results.price({"places.home.capacity": 9})
    assert caught.value.key == "places.home.capacity"
    assert "bosim.simulate" in (caught.value.fix or "")


def test_team_and_event_costs() -> None:
    results = bosim.simulate(scenario_from_dict(priced()))
    costs = results.costs
    staff = costs[costs.item == "team/staff"].groupby("replication").cost.sum()
    np.testing.assert_allclose(staff, 2.5 * 1_000_000.0 * 12, rtol=1e-12)
    emergencies = values(results.replications, "emergency_events")
    event_costs = costs[costs.item == "events/emergency"].groupby("replication").cost.sum()
    np.testing.assert_allclose(event_costs.to_numpy(), 12_000.0 * emergencies)
    assert set(costs.payer) == {"municipality", "state", "other"}
    assert list(costs.columns) == ["sample", "replication", "year", "item", "payer", "cost",
                                   "cost_pv"]


def test_cost_per_person_and_housed_year() -> None:
    results = bosim.simulate(scenario_from_dict(priced()))
    frame = results.replications
    np.testing.assert_allclose(values(frame, "cost_per_person_year"),
                               values(frame, "cost_total") / values(frame, "person_years"))
    np.testing.assert_allclose(values(frame, "cost_per_housed_year"),
                               values(frame, "cost_total") / values(frame, "housed_person_years"))


SCENARIO_TOML = """
[policy]
waiting = ["street"]
[economics]
perspective = "municipality"
[places.street]
kind = "street"
[places.home]
kind = "shared"
capacity = 3
cost_per_unit_day = 500
payer = "municipality"
[[segments]]
name = "a"
initial = { home = 2 }
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("cost_per_unit_day = 500", "cost_per_unit_day = -500",
         "places.home.cost_per_unit_day: must be >= 0.0, got -500"),
        ('payer = "municipality"', 'payer = "county"',
         "places.home.payer: 'county' is not allowed"),
        ('perspective = "municipality"', 'perspective = "everyone"',
         "economics.perspective: 'everyone' is not allowed"),
    ],
)
def test_bad_money_input(tmp_path: Path, old: str, new: str, expected: str) -> None:
    path = tmp_path / "money.toml"
    assert SCENARIO_TOML.count(old) == 1
    path.write_text(SCENARIO_TOML.replace(old, new))
    done = subprocess.run([sys.executable, "-m", "bosim.cli", "run", str(path), "-o",
                           str(tmp_path / "out"), "-q"], capture_output=True, text=True)
    assert done.returncode == 2
    assert f"{path}: {expected}" in done.stderr
    assert "fix:" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_money_leaves_the_simulation_alone() -> None:
    """Prices never change what is simulated: the exposures are identical."""
    data = priced()
    cheaper = copy.deepcopy(data)
    cheaper["places"]["home"]["cost_per_unit_day"] = 1.0
    a = bosim.simulate(scenario_from_dict(data))
    b = bosim.simulate(scenario_from_dict(cheaper))
    for x, y in zip(a.records, b.records, strict=True):
        np.testing.assert_array_equal(x.person_days, y.person_days)
