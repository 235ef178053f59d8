"""Decisions under parameter uncertainty: net benefit, CEAC, CEAF, EVPI and EVPPI.

Pure functions of arrays of net benefit, one row per parameter draw and one column per
plan; nothing here simulates. Net benefit of a plan in a draw is ``wtp x effect - cost``
in money (present values), where ``wtp`` is what the decision maker will pay per unit
of effect (a housed person-year, or a homeless day avoided). The plan with the highest
expected net benefit is the best value; the value of information says what it is worth
to learn the parameters before choosing (Claxton 1999; Strong, Oakley and Brennan 2014
for the regression estimate of EVPPI, as in SAVI and the R package voi).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from SALib.analyze import sobol as sobol_analysis
from scipy import stats

Array = npt.NDArray[np.float64]

SMOOTHER_DEGREE = 3
"""Degree of the polynomial regression of incremental net benefit on one parameter."""


def net_benefit(effect: Array, cost: Array, wtp: float) -> Array:
    """``wtp x effect - cost`` per draw (rows) and plan (columns); money, present value."""
    return np.asarray(wtp * np.asarray(effect, dtype=float) - np.asarray(cost, dtype=float),
                      dtype=float)


def probability_best(net: Array) -> Array:
    """Per plan, the share of draws in which it has the highest net benefit (a CEAC point).

    Ties go to the first plan with the highest value.
    """
    best = np.argmax(net, axis=1)
    return np.asarray(np.bincount(best, minlength=net.shape[1]) / net.shape[0], dtype=float)


def optimal_plan(net: Array) -> int:
    """The plan with the highest expected net benefit (the CEAF follows it)."""
    return int(np.argmax(net.mean(axis=0)))


def evpi(net: Array) -> float:
    """Expected value of perfect information per decision: E[max NB] - max E[NB]; money."""
    return float(np.max(net, axis=1).mean() - np.max(net.mean(axis=0)))


def smooth(values: Array, outcome: Array, degree: int = SMOOTHER_DEGREE) -> Array:
    """Fitted values of ``outcome`` regressed on polynomials in ``values`` (least squares).

    ``values`` is one parameter (a vector) or several (one column each, e.g. the shares
    of a Dirichlet): an additive polynomial of ``degree`` in each, as a GAM without
    interactions. The degree drops where there are too few distinct values; constant
    parameters give the mean.
    """
    columns = np.asarray(values, dtype=float).reshape(len(outcome), -1)
    terms = [np.ones(len(outcome))]
    for column in columns.T:
        usable = min(degree, np.unique(column).size - 1)
        if usable >= 1:
            scaled = (column - column.mean()) / column.std()
            terms.extend(scaled**power for power in range(1, usable + 1))
    design = np.column_stack(terms)
    if design.shape[1] >= len(outcome) - 1:
        return np.full(outcome.shape, outcome.mean())
    coefficients, *_ = np.linalg.lstsq(design, outcome, rcond=None)
    return np.asarray(design @ coefficients, dtype=float)


def evppi(net: Array, parameter: Array) -> float:
    """Expected value of partial perfect information about one parameter; money.

    The regression method: each plan's net benefit relative to the first is smoothed on
    the parameter's values (:func:`smooth`; several columns for a Dirichlet's shares),
    and EVPPI = E[max fitted] - max E[fitted]. Simulation noise and the other parameters
    average out in the regression.
    """
    incremental = net - net[:, [0]]
    fitted = np.column_stack([np.zeros(net.shape[0])] + [
        smooth(np.asarray(parameter, dtype=float), incremental[:, plan])
        for plan in range(1, net.shape[1])
    ])
    return max(0.0, float(np.max(fitted, axis=1).mean() - np.max(fitted.mean(axis=0))))


def evpi_normal(mean: float, sd: float) -> float:
    """Closed-form EVPI of two plans whose net benefit difference is Normal(mean, sd^2).

    ``sd phi(mean/sd) - |mean| Phi(-|mean|/sd)``: the expected loss of choosing by the mean.
    """
    return float(sd * stats.norm.pdf(mean / sd) - abs(mean) * stats.norm.cdf(-abs(mean) / sd))


def variance_shares(values: Array) -> dict[str, float]:
    """How much of an outcome's variance is parameter uncertainty and how much noise.

    ``values`` has one row per draw and one column per replication. One-way ANOVA with
    draws as groups: the within-draw variance is simulation noise; the variance of the
    draw means less noise/R estimates the parameter variance. Returns ``parameter``,
    ``noise`` (variances), ``parameter_share`` (of one replication's variance),
    ``reliability`` (share of the variance of draw means that is parameter signal) and
    ``replications_for_80`` (replications for a reliability of 0.8).
    """
    draws, replications = values.shape
    means = values.mean(axis=1)
    noise = float(values.var(axis=1, ddof=1).mean()) if replications > 1 else float("nan")
    between = float(means.var(ddof=1)) if draws > 1 else float("nan")
    parameter = max(0.0, between - noise / replications) if noise == noise else between
    total = parameter + noise
    share = parameter / total if total > 0 else float("nan")
    signal = parameter + noise / replications
    reliability = parameter / signal if signal > 0 else float("nan")
    needed = 4 * noise / parameter if parameter > 0 else float("inf")
    return {"parameter": parameter, "noise": noise, "parameter_share": share,
            "reliability": reliability, "replications_for_80": float(np.ceil(needed))}


def sobol_indices(outcome: Array, problem: dict[str, Any], seed: int,
                  confidence: float = 0.95) -> dict[str, Array]:
    """First-order and total Sobol indices per parameter (SALib), with interval half-widths.

    ``outcome`` is one value per draw of Saltelli's design, in draw order. Returns
    ``parameters`` (names), ``first``, ``first_half_width``, ``total``,
    ``total_half_width`` (bootstrap, at ``confidence``). Noise in the outcome counts as
    no parameter's: it lowers the first-order indices and adds to none of them.
    """
    found = sobol_analysis.analyze(problem, np.asarray(outcome, dtype=float),
                                   calc_second_order=False, conf_level=confidence, seed=seed)
    names = list(dict.fromkeys(problem.get("groups") or problem["names"]))
    return {"parameters": np.array(names), "first": np.asarray(found["S1"], dtype=float),
            "first_half_width": np.asarray(found["S1_conf"], dtype=float),
            "total": np.asarray(found["ST"], dtype=float),
            "total_half_width": np.asarray(found["ST_conf"], dtype=float)}
