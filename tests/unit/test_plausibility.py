"""The plausibility gate: ranges bosim can draw from, zero-time loops, the size of a run,
service hours round the clock, and the watchdog for runs that stop advancing."""

from __future__ import annotations

import math
import pickle
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import simpy
from pydantic import TypeAdapter, ValidationError

import bosim
from bosim.engine import compile_scenario
from bosim.engine.flow import STALL_EVENTS, HousingModel
from bosim.engine.randomness import ReplicationStreams
from bosim.engine.sampling import make_sampler
from bosim.errors import InputError, InputErrors, SimulationStalled
from bosim.scenario import Scenario, load_scenario, scenario_from_dict
from bosim.scenario.distributions import Distribution, Gamma
from bosim.scenario.hours import parse_hours
from bosim.scenario.plausibility import (
    INSTANT_DAYS,
    check_size,
    estimate_size,
    instant_share,
)
from conftest import TINY_SCENARIO

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "scenarios").glob("*.toml")) + sorted(
    (ROOT / "scenarios" / "staffing").glob("*.toml"))
DISTRIBUTION = TypeAdapter(Distribution)
GRID = [0.0, 1e-12, 1e-6, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999999, 1 - 2**-53]
"""Uniforms from the smallest to the largest a double can give."""


def tiny(**overrides: object) -> dict[str, Any]:
    """The tiny scenario as data, with dotted overrides applied by the loader."""
    return {"data": tomllib.loads(TINY_SCENARIO), "overrides": overrides}


def load(**overrides: object) -> Scenario:
    return scenario_from_dict(tomllib.loads(TINY_SCENARIO), overrides=overrides)


def refused(**overrides: object) -> str:
    with pytest.raises(InputError) as caught:
        load(**overrides)
    return str(caught.value)


# ------------------------------------------------------ ranges of the distributions


@pytest.mark.parametrize(("spec", "key"), [
    ({"dist": "gamma", "mean": 100, "cv": 30.5}, "cv"),
    ({"dist": "gamma", "mean": 100, "cv": 0.0009}, "cv"),
    ({"dist": "gamma", "mean": 100, "cv": 1e-200}, "cv"),
    ({"dist": "weibull", "shape": 0.049, "scale": 100}, "shape"),
    ({"dist": "lognormal", "mean": 100, "sd": 3001}, ""),
    ({"dist": "weibull", "shape": 0.05, "scale": 1e9}, ""),
    ({"dist": "exponential", "mean": 2e9}, "mean"),
    ({"dist": "uniform", "low": 0, "high": 1e300}, "high"),
    ({"dist": "empirical", "values": [1.0, 1e300]}, "values"),
    ({"dist": "fixed", "value": math.inf}, "value"),
])
def test_parameters_that_cannot_be_drawn_are_refused(spec: dict[str, Any], key: str) -> None:
    message = refused(**{"places.flat.stay": spec})
    assert f"places.flat.stay{'.' + key if key else ''}" in message
    assert "fix:" in message


@pytest.mark.parametrize("spec", [
    {"dist": "gamma", "mean": 100, "cv": 30.0},
    {"dist": "gamma", "mean": 100, "cv": 0.001},
    {"dist": "lognormal", "mean": 100, "sd": 3000},
    {"dist": "weibull", "shape": 0.05, "scale": 1e9 / math.gamma(21.0)},
    {"dist": "weibull", "shape": 1e6, "scale": 1e9},
    {"dist": "exponential", "mean": 1e9},
    {"dist": "uniform", "low": 0, "high": 1e9},
    {"dist": "triangular", "low": 0, "mode": 1e9, "high": 1e9},
])
def test_the_limits_themselves_draw_finite_stays_with_the_right_mean(
    spec: dict[str, Any],
) -> None:
    """The analytical ranges are right: at their edges the sampler still works."""
    load(**{"places.flat.stay": spec})
    sampler = make_sampler(DISTRIBUTION.validate_python(spec))
    draws = [sampler.draw(u) for u in GRID]
    biased = [sampler.draw_length_biased(u) for u in GRID] if sampler.draw_length_biased else []
    assert all(math.isfinite(x) and x >= 0 for x in draws + biased), (draws, biased)
    assert math.isfinite(sampler.mean)
    if spec["dist"] in ("exponential", "uniform") or spec.get("cv") == 0.001:
        grid = (np.arange(200_000) + 0.5) / 200_000
        drawn = float(np.mean([sampler.draw(u) for u in grid]))
        assert drawn == pytest.approx(sampler.mean, rel=0.01)


def underflowing_share(spec: Distribution) -> float:
    """Share of draws below 1e-300 days: stays that are 0 in all but name."""
    sampler = make_sampler(spec)
    grid = (np.arange(20_000) + 0.5) / 20_000
    return float(np.mean([sampler.draw(u) < 1e-300 for u in grid]))


def test_a_gamma_beyond_the_limit_would_draw_nothing_but_zeros() -> None:
    """Why the gamma limit is 30: beyond it most stays underflow to 0 days."""
    with pytest.raises(ValidationError):
        DISTRIBUTION.validate_python({"dist": "gamma", "mean": 100.0, "cv": 1000.0})
    at_limit = DISTRIBUTION.validate_python({"dist": "gamma", "mean": 100.0, "cv": 30.0})
    beyond = Gamma.model_construct(dist="gamma", mean_days=100.0, cv=1000.0)
    assert underflowing_share(at_limit) < 0.5
    assert underflowing_share(beyond) > 0.99


# -------------------------------------------------------------- infinity and NaN


@pytest.mark.parametrize(("key", "value"), [
    ("segments.single.arrivals_per_year", math.inf),
    ("segments.single.arrivals_per_year", math.nan),
    ("segments.single.arrivals_per_year", [1.0, math.inf]),
    ("segments.single.exit_rate_per_year", math.nan),
    ("economics.discount_rate", math.nan),
    ("economics.tax_financing_cost", math.inf),
    ("places.hostel.cost_per_occupied_day", math.inf),
    ("places.flat.stay", {"dist": "exponential", "mean": math.nan}),
    ("segments.single.routes.flat", {"exit": math.nan}),
    ("segments.single.breakdown_rate_per_year", {"flat": math.inf}),
])
def test_infinity_and_nan_are_refused_everywhere(key: str, value: object) -> None:
    message = refused(**{key: value})
    assert key.split(".")[-1] in message
    assert "finite" in message or "must be" in message


def test_crisis_weights_that_overflow_are_refused() -> None:
    message = refused(**{"segments.single.crisis": {"rate_per_year": 1.0,
                                                    "profile": [1e308] * 24}})
    assert "segments.single.crisis.profile" in message
    assert "scale them down" in message


# ------------------------------------------------------------------ zero-time loops


def test_instant_share_agrees_with_the_sampler() -> None:
    """The analytical share of stays under a minute is what the sampler draws."""
    grid = (np.arange(100_000) + 0.5) / 100_000
    for spec in [
        {"dist": "exponential", "mean": INSTANT_DAYS},
        {"dist": "gamma", "mean": INSTANT_DAYS, "cv": 2.0},
        {"dist": "lognormal", "mean": INSTANT_DAYS * 2, "sd": INSTANT_DAYS},
        {"dist": "weibull", "shape": 0.7, "scale": INSTANT_DAYS},
        {"dist": "uniform", "low": 0.0, "high": INSTANT_DAYS * 3},
        {"dist": "triangular", "low": 0.0, "mode": INSTANT_DAYS / 2, "high": INSTANT_DAYS * 2},
        {"dist": "triangular", "low": 0.0, "mode": INSTANT_DAYS * 1.5, "high": INSTANT_DAYS * 2},
        {"dist": "empirical", "values": [0.0, 0.0, 30.0]},
        {"dist": "fixed", "value": 0.0},
        {"dist": "fixed", "value": 1.0},
    ]:
        stay = DISTRIBUTION.validate_python(spec)
        sampler = make_sampler(stay)
        drawn = float(np.mean([sampler.draw(u) < INSTANT_DAYS for u in grid]))
        assert instant_share(stay) == pytest.approx(drawn, abs=2e-3), spec


@pytest.mark.parametrize(("stay", "route"), [
    ({"dist": "fixed", "value": 0.0}, {"flat": 1.0}),
    ({"dist": "empirical", "values": [0.0, 0.0, 30.0]}, {"flat": 1.0}),
    ({"dist": "exponential", "mean": 1e-9}, {"flat": 1.0}),
    ({"dist": "uniform", "low": 0.0, "high": 1e-4}, {"flat": 1.0}),
])
def test_a_stay_of_no_time_routed_back_is_refused(stay: dict[str, Any],
                                                  route: dict[str, float]) -> None:
    message = refused(**{"places.flat.stay": stay, "segments.single.routes.flat": route})
    assert "segments.single.routes.flat" in message
    assert "for ever" in message


def test_a_cycle_of_stays_of_no_time_is_refused() -> None:
    data = tomllib.loads(TINY_SCENARIO)
    data["places"]["flat"]["stay"] = {"dist": "fixed", "value": 0.0}
    data["places"]["flat2"] = {"kind": "ordinary", "capacity": 3,
                               "stay": {"dist": "fixed", "value": 0.0}}
    data["segments"][0]["routes"].update({"flat": {"flat2": 1.0}, "flat2": {"flat": 1.0}})
    with pytest.raises(InputError, match="'flat', 'flat2'"):
        scenario_from_dict(data)


@pytest.mark.parametrize(("stay", "route"), [
    ({"dist": "fixed", "value": 0.0}, {"flat": 0.5, "exit": 0.5}),  # a way out
    ({"dist": "empirical", "values": [0.0, 30.0, 30.0]}, {"flat": 1.0}),  # mostly takes time
    ({"dist": "fixed", "value": 0.0}, {"hostel": 1.0}),  # on to a place without a stay
    ({"dist": "exponential", "mean": 0.01}, {"flat": 1.0}),  # short, but time passes
])
def test_short_stays_with_a_way_on_are_no_loop(stay: dict[str, Any],
                                                route: dict[str, float]) -> None:
    load(**{"places.flat.stay": stay, "segments.single.routes.flat": route})


def test_an_unreachable_loop_is_no_problem() -> None:
    load(**{"places.flat.stay": {"dist": "fixed", "value": 0.0},
            "segments.single.routes.flat": {"flat": 1.0},
            "segments.single.routes.start": {"hostel": 1.0},
            "segments.single.initial": {"hostel": 2}})


# -------------------------------------------------------------------- size of a run


def counted_events(scenario: Scenario) -> int:
    """Events of replication 0, counted stepping the model event by event."""
    model = HousingModel(compile_scenario(scenario), ReplicationStreams(1, 0, 0))
    model.start()
    count = 0
    while model.env.peek() < model.horizon:
        model.env.step()
        count += 1
    return count


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_the_estimate_has_the_right_order_of_magnitude(path: Path) -> None:
    scenario = load_scenario(path)
    estimate = estimate_size([scenario], 1)
    assert 0.8 * counted_events(scenario) <= estimate.events <= 4 * counted_events(scenario)


def test_the_estimate_counts_loops_of_breakdowns() -> None:
    """Breakdowns sending people straight back multiply the visits (and the events)."""
    calm = load(**{"segments.single.breakdown_rate_per_year": {"flat": 0.1},
                   "segments.single.routes.breakdown": {"flat": 1.0}})
    restless = load(**{"segments.single.breakdown_rate_per_year": {"flat": 100.0},
                       "segments.single.routes.breakdown": {"flat": 1.0}})
    assert estimate_size([restless], 1).events > 5 * estimate_size([calm], 1).events
    assert 0.5 <= estimate_size([restless], 1).events / counted_events(restless) <= 4


def test_every_bundled_scenario_passes_the_gate_with_its_replications() -> None:
    for path in BUNDLED:
        scenario = load_scenario(path)
        estimate = check_size([scenario], scenario.simulation.replications)
        assert estimate.hours < 1.0


def test_a_run_too_large_names_its_driver_and_the_way_out() -> None:
    scenario = load(**{"segments.single.arrivals_per_year": 9e6, "simulation.years": 100})
    with pytest.raises(InputError) as caught:
        check_size([scenario], 1)
    error = caught.value
    assert error.key == "segments.single.arrivals_per_year"
    assert "--force-large" in str(error)
    assert "TB of memory" in str(error)


def test_a_small_machine_refuses_what_a_large_one_runs() -> None:
    scenario = load(**{"segments.single.arrivals_per_year": 200_000})
    check_size([scenario], 10, memory=64e9)
    with pytest.raises(InputError, match=r"this machine has 1\.0 GB of memory"):
        check_size([scenario], 10, memory=1e9)


def test_breakdowns_as_the_driver_are_named() -> None:
    scenario = load(**{"segments.single.breakdown_rate_per_year": {"flat": 8760.0},
                       "segments.single.routes.breakdown": {"flat": 1.0},
                       "places.flat.capacity": "unlimited", "simulation.years": 200,
                       "segments.single.arrivals_per_year": 10_000})
    with pytest.raises(InputError) as caught:
        check_size([scenario], 1)
    assert caught.value.key == "segments.single.breakdown_rate_per_year.flat"


def test_the_api_refuses_before_simulating_unless_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load()
    monkeypatch.setattr("bosim.scenario.plausibility.LONGEST_RUN_HOURS", 0.0)
    with pytest.raises(InputError, match="too large"):
        bosim.simulate(scenario, replications=1)
    assert bosim.simulate(scenario, replications=1, force_large=True).replication_count == 1


# ------------------------------------------------------------------- service hours


@pytest.mark.parametrize(("text", "hours"), [
    ("daily 00:00-24:00", 168.0),
    ("mon 00:00-24:00", 24.0),
    ("sat-sun 00:00-24:00", 48.0),
    ("daily 24:00-00:00", 168.0),
    ("mon-fri 08:00-24:00", 80.0),
])
def test_hours_round_the_clock_are_open_all_day(text: str, hours: float) -> None:
    service = parse_hours(text)
    assert service.open_hours_per_week == hours
    assert service.always_open == (hours == 168.0)
    assert service.is_open(service.intervals[0][0] / 24 + 0.5)  # noon of an open day


def test_a_team_open_round_the_clock_handles_crises() -> None:
    """`daily 00:00-24:00` used to mean never open: every crisis unhandled."""
    base = tomllib.loads(TINY_SCENARIO)
    base["simulation"]["years"] = 3
    base["teams"] = {"staff": {"serves": ["flat"], "fte": 20.0, "hours": "daily 00:00-24:00",
                               "handling_hours": {"dist": "exponential", "mean": 0.5}}}
    base["segments"][0]["crisis"] = {"rate_per_year": 12.0}
    results = bosim.simulate(scenario_from_dict(base), replications=2, seed=3)
    assert results.metric("unmet_crisis_share", place="flat") < 0.05


# ------------------------------------------------------------------------ watchdog


def looping_scenario() -> Scenario:
    """A scenario that goes round without time passing, past the loader's checks."""
    data = tomllib.loads(TINY_SCENARIO)
    data["places"]["flat"]["stay"] = {"dist": "fixed", "value": 0.0}
    data["segments"][0]["routes"]["flat"] = {"flat": 1.0}
    data["simulation"]["replications"] = 2
    return Scenario.model_validate(data)


def test_a_run_that_stops_advancing_is_stopped_with_its_cause() -> None:
    model = HousingModel(compile_scenario(looping_scenario()), ReplicationStreams(1, 0, 0))
    with pytest.raises(SimulationStalled) as caught:
        model.run()
    error = caught.value
    assert error.key == "places.flat.stay"
    assert f"{STALL_EVENTS:,} events" in str(error)
    assert "fix:" in str(error)
    assert model.env.now < 1.0  # stopped where it stalled, not at the horizon


def test_the_stall_reaches_the_user_from_worker_processes() -> None:
    with pytest.raises(SimulationStalled, match="stopped advancing"):
        bosim.simulate(looping_scenario(), jobs=2, force_large=True)


def test_the_watchdog_leaves_an_ordinary_run_as_simpy_runs_it() -> None:
    """The same record as ``env.run(until=horizon)``, and the clock ends at the horizon."""
    compiled = compile_scenario(load_scenario(ROOT / "tests" / "data" / "small.toml"))
    watched = HousingModel(compiled, ReplicationStreams(5, 1, 0), trace=True)
    record = watched.run()
    plain = HousingModel(compiled, ReplicationStreams(5, 1, 0), trace=True)
    plain.start()
    plain.env.run(until=plain.horizon)
    expected = plain.finish()
    assert watched.env.now == plain.env.now == plain.horizon
    assert record.events == expected.events
    assert np.array_equal(record.person_days, expected.person_days)
    assert isinstance(watched.env, simpy.Environment)


def test_input_errors_keep_their_parts_across_processes() -> None:
    error = SimulationStalled("stalled", file="f.toml", key="places.a.stay", fix="do this")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is SimulationStalled
    assert (again.message, again.file, again.key, again.fix) == (
        "stalled", "f.toml", "places.a.stay", "do this")
    several = pickle.loads(pickle.dumps(InputErrors([error, InputError("b", key="k")])))
    assert str(several) == str(InputErrors([error, InputError("b", key="k")]))


# --------------------------------------------------------------------- file reading


def test_a_byte_order_mark_is_read_as_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + TINY_SCENARIO.encode("utf-8"))
    assert load_scenario(path).meta.name == "tiny"


def test_segments_written_as_a_table_say_how_to_write_them(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(TINY_SCENARIO.replace("[[segments]]", "[segments]"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert "[[segments]]" in str(caught.value)
    assert "segments" in str(caught.value)
