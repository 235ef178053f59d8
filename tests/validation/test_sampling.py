"""Duration sampling against known moments; random streams are keyed, stable and independent."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys

import numpy as np
import pytest
from pydantic import TypeAdapter

from bosim.analysis.summary import interval
from bosim.engine.randomness import ReplicationStreams, stable_key
from bosim.engine.sampling import make_sampler
from bosim.scenario.distributions import Distribution

SPECS: dict[str, tuple[dict[str, object], float, float]] = {
    # name: (spec, E[X], E[X^2])
    "exponential": ({"dist": "exponential", "mean": 20.0}, 20.0, 2 * 20.0**2),
    "gamma": ({"dist": "gamma", "mean": 20.0, "cv": 0.5}, 20.0, 20.0**2 * (1 + 0.25)),
    "lognormal": ({"dist": "lognormal", "mean": 20.0, "sd": 10.0}, 20.0, 20.0**2 + 10.0**2),
    "weibull": (
        {"dist": "weibull", "shape": 1.5, "scale": 20.0},
        20.0 * math.gamma(1 + 1 / 1.5),
        20.0**2 * math.gamma(1 + 2 / 1.5),
    ),
    "uniform": ({"dist": "uniform", "low": 5.0, "high": 35.0}, 20.0, (25 + 175 + 1225) / 3),
    "triangular": (
        {"dist": "triangular", "low": 0.0, "mode": 10.0, "high": 50.0},
        20.0,
        (0 + 100 + 2500 + 0 + 0 + 500) / 6,
    ),
    "fixed": ({"dist": "fixed", "value": 20.0}, 20.0, 400.0),
    "empirical": ({"dist": "empirical", "values": [5.0, 15.0, 40.0]}, 20.0, (25 + 225 + 1600) / 3),
}
DRAWS = 40_000
CONFIDENCE = 0.999


def sampler_for(spec: dict[str, object]):  # type: ignore[no-untyped-def]
    return make_sampler(TypeAdapter(Distribution).validate_python(spec))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_draws_have_the_distribution_mean(name: str) -> None:
    spec, mean, _ = SPECS[name]
    sampler = sampler_for(spec)
    assert sampler.mean == pytest.approx(mean)
    uniforms = np.random.default_rng(1).random(DRAWS)
    draws = np.array([sampler.draw(u) for u in uniforms])
    _, _, low, high, _ = interval(draws, CONFIDENCE)
    if name == "fixed":
        assert np.all(draws == 20.0)
    else:
        assert low <= mean <= high


@pytest.mark.parametrize("name", sorted(SPECS))
def test_residual_draws_have_the_equilibrium_mean(name: str) -> None:
    """The remaining stay of someone found in a place: mean E[X^2] / (2 E[X])."""
    spec, mean, second_moment = SPECS[name]
    sampler = sampler_for(spec)
    generator = np.random.default_rng(2)
    uniforms = generator.random((DRAWS, 2))
    draws = np.array([sampler.draw_residual(a, b, generator.random) for a, b in uniforms])
    _, _, low, high, _ = interval(draws, CONFIDENCE)
    assert low <= second_moment / (2 * mean) <= high


def test_draws_are_monotone_in_the_uniform() -> None:
    """Inverse transform: a larger uniform never gives a shorter stay (the CRN coupling)."""
    uniforms = np.linspace(0.0, 0.999, 200)
    for spec, _, _ in SPECS.values():
        sampler = sampler_for(spec)
        draws = [sampler.draw(u) for u in uniforms]
        assert all(a <= b + 1e-12 for a, b in itertools.pairwise(draws))


def test_stream_keys_do_not_depend_on_python_hash_seed() -> None:
    code = "from bosim.engine.randomness import stable_key; print(stable_key('arrivals'))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True,
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
        ).stdout
        for seed in (1, 2)
    }
    assert outputs == {f"{stable_key('arrivals')}\n"}


def test_person_streams_are_keyed_not_sequential() -> None:
    """Person 300's draws do not depend on whether person 5's were asked for first."""
    first = ReplicationStreams(seed=11, replication=3)
    second = ReplicationStreams(seed=11, replication=3)
    first.person("a", 5).visit(9)
    assert first.person("a", 300).visit(1) == second.person("a", 300).visit(1)
    assert first.person("a", 300).visit(9) == second.person("a", 300).visit(9)
    assert first.person("a", 300).visit(1) != first.person("b", 300).visit(1)
    assert first.person("a", 1).visit(0) != ReplicationStreams(11, 4).person("a", 1).visit(0)


def test_replication_streams_match_seed_sequence_spawn() -> None:
    """Replication i's streams descend from SeedSequence(seed).spawn(n)[i]."""
    spawned = np.random.SeedSequence(5).spawn(3)[2]
    child = np.random.SeedSequence(5, spawn_key=(2,))
    assert spawned.generate_state(4).tolist() == child.generate_state(4).tolist()
