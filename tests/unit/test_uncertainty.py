"""The parameter register and its draws (bosim.scenario.uncertainty, bosim.scenario.draws).

Tolerances on sampled quantities come from their sampling distribution (99.9 % intervals),
never picked to pass.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats

import bosim
import bosim.api
from bosim.analysis import Results
from bosim.engine import WorkUnit, compile_scenario, run_work
from bosim.errors import InputError
from bosim.scenario import Scenario, scenario_from_dict, scenario_to_dict, with_overrides
from bosim.scenario.draws import (
    apply_draw,
    check_register,
    distribution,
    draw_uniforms,
    one_way_range,
    owners_of,
    plan_overrides,
)
from bosim.scenario.uncertainty import UncertainParameter

ROOT = Path(__file__).resolve().parents[2]
STAFFING = ROOT / "scenarios" / "staffing"
Z999 = float(stats.norm.ppf(0.9995))


def with_register(text: str, register: dict[str, Any]) -> Scenario:
    """The tiny scenario of conftest with a register."""
    data = tomllib.loads(text)
    data["uncertainty"] = register
    return scenario_from_dict(data)


def test_the_register_is_inherited_through_extends_and_can_be_overridden() -> None:
    base = bosim.load_scenario(STAFFING / "base.toml")
    plan = bosim.load_scenario(STAFFING / "housing_first.toml")
    assert set(base.uncertainty) < set(plan.uncertainty)
    assert plan.uncertainty["staff_cost"].path == "teams.hf_team.cost_per_fte_year"
    wider = with_overrides(plan, {"uncertainty.exit_rate.interval80": [0.1, 0.3]})
    assert wider.uncertainty["exit_rate"].interval80 == [0.1, 0.3]


def test_a_register_does_not_change_the_plain_run() -> None:
    plan = bosim.load_scenario(STAFFING / "shared_office_hours.toml")
    bare = scenario_from_dict({**scenario_to_dict(plan), "uncertainty": {}})
    first = bosim.simulate(plan, replications=1, seed=3).replications
    second = bosim.simulate(bare, replications=1, seed=3).replications
    assert first["value"].equals(second["value"])


def test_interval80_becomes_a_lognormal_or_a_beta_with_those_percentiles() -> None:
    positive = UncertainParameter(path="segments.a.exit_rate_per_year", interval80=[0.12, 0.26])
    share = UncertainParameter(path="segments.a.crisis.unhandled.breakdown",
                               interval80=[0.03, 0.08])
    for parameter, name in ((positive, "lognormal"), (share, "beta")):
        frozen, described = distribution(parameter)
        assert described.startswith(name)
        assert frozen.ppf([0.1, 0.9]) == pytest.approx(parameter.interval80, rel=1e-6)
        assert one_way_range(parameter) == pytest.approx(parameter.interval80, rel=1e-6)


def test_moment_parameterisations_have_their_moments() -> None:
    for dist in ("gamma", "lognormal", "normal", "beta"):
        frozen, _ = distribution(UncertainParameter(path="x", dist=dist, mean=0.3, sd=0.1))
        assert frozen.mean() == pytest.approx(0.3) and frozen.std() == pytest.approx(0.1)
    pert, _ = distribution(UncertainParameter.model_validate(
        {"path": "x", "dist": "pert", "min": 1.0, "mode": 2.0, "max": 6.0}))
    assert pert.mean() == pytest.approx((1 + 4 * 2 + 6) / 6)


def test_draws_are_reproducible_and_have_the_marginals(tiny_scenario: str) -> None:
    scenario = with_register(tiny_scenario, {
        "price": {"path": "places.hostel.cost_per_occupied_day", "dist": "normal",
                  "mean": 950.0, "sd": 100.0},
    })
    count = 400
    first = plan_overrides(scenario, draw_uniforms([scenario.uncertainty], count, 7))
    again = plan_overrides(scenario, draw_uniforms([scenario.uncertainty], count, 7))
    other = plan_overrides(scenario, draw_uniforms([scenario.uncertainty], count, 8))
    assert first == again and first != other
    values = np.array([draw["places.hostel.cost_per_occupied_day"] for draw in first])
    # A Latin hypercube's mean is at least as close as a random sample's.
    assert abs(values.mean() - 950.0) < Z999 * 100.0 / math.sqrt(count)


def test_a_correlation_group_has_its_rank_correlation(tiny_scenario: str) -> None:
    member = {"dist": "uniform", "min": 1.0, "max": 2.0, "group": "g", "correlation": 0.6}
    scenario = with_register(tiny_scenario, {
        "a": {"path": "places.hostel.cost_per_occupied_day", **member},
        "b": {"path": "places.hostel.cost_per_unit_day", **member},
    })
    count = 2000
    draws = draw_uniforms([scenario.uncertainty], count, 1)
    rho = stats.spearmanr(draws.uniforms["a"][:, 0], draws.uniforms["b"][:, 0]).statistic
    # Fisher z of a Spearman correlation: se about 1.06 / sqrt(n - 3) (Fieller et al. 1957).
    assert abs(math.atanh(rho) - math.atanh(0.6)) < Z999 * 1.06 / math.sqrt(count - 3)


def test_dirichlet_shares_sum_to_one_with_their_means() -> None:
    scenario = bosim.load_scenario(STAFFING / "base.toml")
    count = 500
    draws = plan_overrides(scenario, draw_uniforms([scenario.uncertainty], count, 2))
    keys = scenario.uncertainty["unhandled_outcomes"].keys
    shares = np.array([[draw[key] for key in keys] for draw in draws])
    assert np.allclose(shares.sum(axis=1), 1.0, atol=1e-12)
    weights = np.array([65.0, 22.0, 8.0, 5.0])
    expected = weights / weights.sum()
    sd = np.sqrt(expected * (1 - expected) / (weights.sum() + 1))
    assert np.all(np.abs(shares.mean(axis=0) - expected) < Z999 * sd / math.sqrt(count))
    for draw in draws[:20]:
        apply_draw(scenario, draw, owners_of(scenario))  # every draw is a valid scenario


def test_a_fixed_register_reproduces_the_deterministic_run(tiny_scenario: str) -> None:
    scenario = with_register(tiny_scenario, {
        "stay": {"path": "places.flat.stay.mean", "dist": "fixed", "value": 200.0},
        "price": {"path": "places.hostel.cost_per_occupied_day", "dist": "fixed",
                  "value": 950.0},
    })
    analysis = bosim.api.psa(scenario, draws=3, replications=2)
    assert (analysis.simulations, analysis.saved) == (2, 4)  # nothing varies: one run
    plain = bosim.simulate(scenario, replications=2)
    for sample in (1, 2, 3):
        mine = analysis.table[analysis.table["sample"] == sample]
        assert np.array_equal(mine["value"].to_numpy(), plain.replications["value"].to_numpy(),
                              equal_nan=True)


def test_each_draw_is_simulated_as_its_own_scenario_with_its_own_sample(
        tiny_scenario: str) -> None:
    scenario = with_register(tiny_scenario, {
        "stay": {"path": "places.flat.stay.mean", "dist": "gamma", "mean": 200.0, "sd": 40.0},
    })
    analysis = bosim.api.psa(scenario, draws=3, replications=2)
    assert (analysis.simulations, analysis.saved) == (6, 0)
    draws = plan_overrides(scenario, draw_uniforms([scenario.uncertainty], 3, 1))
    for sample, values in enumerate(draws, 1):
        drawn = with_overrides(scenario, values)
        records = run_work([drawn], [WorkUnit(0, 1, sample, r) for r in (0, 1)])
        run = Results(scenario=drawn, compiled=compile_scenario(drawn), records=records,
                      seed=1, started=None, finished=None)  # type: ignore[arg-type]
        mine = analysis.table[analysis.table["sample"] == sample]
        assert np.array_equal(mine["value"].to_numpy(), run.replications["value"].to_numpy(),
                              equal_nan=True)


BAD_REGISTERS = {
    "unknown path": ({"path": "places.hostel.cost_per_night", "dist": "fixed", "value": 1.0},
                     "not a key"),
    "missing parameters": ({"path": "places.hostel.cost_per_occupied_day", "dist": "gamma",
                            "mean": 900.0}, "gamma needs sd"),
    "low above high": ({"path": "places.hostel.cost_per_occupied_day", "dist": "fixed",
                        "value": 1.0, "low": 3.0, "high": 2.0}, "above high"),
    "breaks a rule": ({"path": "places.flat.stay.mean", "dist": "normal", "mean": 10.0,
                       "sd": 50.0}, "invalid scenario"),
    "not a number": ({"path": "places.flat.kind", "dist": "fixed", "value": 1.0},
                     "does not hold a number"),
}


@pytest.mark.parametrize("case", sorted(BAD_REGISTERS))
def test_a_bad_register_is_an_input_error_naming_the_parameter(tiny_scenario: str,
                                                               case: str) -> None:
    entry, words = BAD_REGISTERS[case]
    with pytest.raises(InputError) as error:
        check_register(with_register(tiny_scenario, {"culprit": entry}))
    assert "uncertainty.culprit" in str(error.value)
    assert words in str(error.value)


def test_a_correlation_group_with_one_member_is_refused(tiny_scenario: str) -> None:
    scenario = with_register(tiny_scenario, {
        "alone": {"path": "places.hostel.cost_per_occupied_day", "dist": "uniform",
                  "min": 1.0, "max": 2.0, "group": "g", "correlation": 0.5},
    })
    with pytest.raises(InputError, match=r"uncertainty\.alone"):
        draw_uniforms([scenario.uncertainty], 10, 1)


def test_a_draw_that_breaks_a_rule_names_the_parameter(tiny_scenario: str) -> None:
    scenario = with_register(tiny_scenario, {
        "arrivals": {"path": "segments.single.arrivals_per_year", "dist": "normal",
                     "mean": 5.0, "sd": 1.0},
    })
    with pytest.raises(InputError, match=r"uncertainty\.arrivals"):
        apply_draw(scenario, {"segments.single.arrivals_per_year": -1.0},
                   owners_of(scenario), sample=4)
