"""Net benefit, CEAC, EVPI, EVPPI and the variance split (bosim.analysis.decision).

Checked against closed forms on cases built for them; tolerances are 99.9 % intervals of
the Monte Carlo estimates, computed from the same draws.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from SALib.sample import sobol as saltelli
from scipy import stats

from bosim.analysis.decision import (
    evpi,
    evpi_normal,
    evppi,
    net_benefit,
    probability_best,
    sobol_indices,
    variance_shares,
)

Z999 = float(stats.norm.ppf(0.9995))


@pytest.mark.parametrize(("mean", "sd"), [(0.0, 1.0), (0.5, 2.0), (-3.0, 2.0), (4.0, 1.0)])
def test_evpi_of_a_normal_difference_matches_the_closed_form(mean: float, sd: float) -> None:
    generator = np.random.default_rng(11)
    count = 200_000
    difference = generator.normal(mean, sd, count)
    net = np.column_stack([np.zeros(count), difference])
    # EVPI = E[max(0, D)] - max(0, E D): the first term is a sample mean (error sd / sqrt(n)
    # at 99.9 %), the second's error is known exactly from the sample mean of D.
    gains = np.maximum(0.0, difference)
    tolerance = (Z999 * gains.std(ddof=1) / math.sqrt(count)
                 + abs(max(0.0, difference.mean()) - max(0.0, mean)))
    assert abs(evpi(net) - evpi_normal(mean, sd)) < tolerance


def test_evppi_of_the_one_parameter_that_matters_is_the_evpi() -> None:
    generator = np.random.default_rng(5)
    count = 50_000
    parameter = generator.normal(0.0, 1.0, count)
    unrelated = generator.normal(0.0, 1.0, count)
    noise = generator.normal(0.0, 0.5, count)
    net = np.column_stack([np.zeros(count), 0.3 + 1.5 * parameter + noise])
    # Knowing the parameter leaves only noise: EVPPI is the EVPI of Normal(0.3, 1.5^2).
    expected = evpi_normal(0.3, 1.5)
    # Sampling error of E[max(0, g)], the known error of the mean of D, and the error of
    # the fitted curve (noise sd x sqrt(coefficients / n)), each at 99.9 %.
    gains = np.maximum(0.0, 0.3 + 1.5 * parameter)
    tolerance = (Z999 * gains.std(ddof=1) / math.sqrt(count) + abs(net[:, 1].mean() - 0.3)
                 + Z999 * 0.5 * math.sqrt(4 / count))
    assert abs(evppi(net, parameter) - expected) < tolerance
    assert evppi(net, parameter) <= evpi(net)
    # An unrelated parameter: the fitted curve is flat up to sampling error of the fit.
    flat = evppi(net, unrelated)
    assert flat < Z999 * net[:, 1].std() * math.sqrt(4 / count)


def test_ceac_at_zero_is_cheapest_and_at_a_huge_price_most_effective() -> None:
    generator = np.random.default_rng(2)
    count, plans = 1000, 3
    cost = generator.normal(100.0, 20.0, (count, plans))
    effect = generator.normal(1.0, 0.2, (count, plans))
    cheapest = np.bincount(np.argmin(cost, axis=1), minlength=plans) / count
    best = np.bincount(np.argmax(effect, axis=1), minlength=plans) / count
    assert np.array_equal(probability_best(net_benefit(effect, cost, 0.0)), cheapest)
    assert np.array_equal(probability_best(net_benefit(effect, cost, 1e12)), best)
    assert probability_best(net_benefit(effect, cost, 50.0)).sum() == pytest.approx(1.0)


def test_variance_split_recovers_parameter_and_noise_variance() -> None:
    generator = np.random.default_rng(9)
    draws, replications = 400, 5
    parameter_sd, noise_sd = 2.0, 3.0
    values = (generator.normal(0.0, parameter_sd, (draws, 1))
              + generator.normal(0.0, noise_sd, (draws, replications)))
    split = variance_shares(values)
    # Noise: pooled within-draw variance, chi-square with draws (R - 1) degrees of freedom.
    freedom = draws * (replications - 1)
    low, high = stats.chi2.ppf([0.0005, 0.9995], freedom) / freedom
    assert low * noise_sd**2 < split["noise"] < high * noise_sd**2
    # Draw means: variance parameter + noise / R, chi-square with draws - 1 degrees of freedom.
    means_variance = parameter_sd**2 + noise_sd**2 / replications
    low, high = stats.chi2.ppf([0.0005, 0.9995], draws - 1) / (draws - 1)
    estimated = split["parameter"] + split["noise"] / replications
    assert low * means_variance < estimated < high * means_variance
    assert 0 < split["parameter_share"] < 1
    # 0.8 reliability needs R >= 4 noise / parameter = 9 here.
    assert split["replications_for_80"] == pytest.approx(
        math.ceil(4 * split["noise"] / split["parameter"]))


def test_pure_noise_has_no_parameter_share() -> None:
    generator = np.random.default_rng(4)
    values = np.tile(generator.normal(0.0, 1.0, (1, 50)), (30, 1))  # the same in every draw
    split = variance_shares(values)
    assert split["parameter"] == 0.0 and split["parameter_share"] == 0.0


def test_sobol_indices_of_a_linear_function() -> None:
    """Y = x1 + 2 x2 (+ a parameter with no effect), x uniform: S1 = ST = (0.2, 0.8, 0)."""
    problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0.0, 1.0]] * 3}
    points = saltelli.sample(problem, 1024, calc_second_order=False, seed=3)
    found = sobol_indices(points[:, 0] + 2 * points[:, 1], problem, seed=3)
    assert list(found["parameters"]) == ["a", "b", "c"]
    widen = Z999 / float(stats.norm.ppf(0.975))  # SALib's 95 % half-widths, to 99.9 %
    for key in ("first", "total"):
        assert np.all(np.abs(found[key] - [0.2, 0.8, 0.0])
                      <= widen * found[f"{key}_half_width"] + 1e-12)
