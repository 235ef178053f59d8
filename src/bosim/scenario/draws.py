"""Drawing the parameter register: quasi-random, inverse-CDF, rank-correlated, validated.

Pure functions, no simulation. Every parameter gets one column of a scrambled Latin
hypercube (a Dirichlet entry one per share) seeded from the scenario seed, so the same
seed gives the same draws. Columns of a correlation ``group`` are reordered by
Iman-Conover to the group's rank correlation. Each column is turned into values by the
inverse CDF of the parameter's distribution; a Dirichlet's columns by the gamma inverse
CDF, normalised. Draws are shared between plans by parameter *name*: plan A and plan B
see the same uniform for ``staff_cost``, each through its own register entry.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from SALib.sample import sobol as saltelli
from scipy import optimize, stats
from scipy.stats import qmc

from bosim.errors import InputError, InputErrors
from bosim.scenario.loading import scenario_to_dict, with_overrides
from bosim.scenario.model import Scenario
from bosim.scenario.uncertainty import Register, UncertainParameter

DRAW_STREAM = 0x5053_4131
"""Spawn key of the draws' seed sequence, so they never share numbers with the engine."""
INTERVAL_QUANTILES = (0.1, 0.9)
SHARE_KEYS = ("routes", "handled", "unhandled", "economics")
"""A key path with one of these parts is a share (0..1): ``interval80`` gives a beta."""
EDGE = 1e-12
"""Uniforms are kept this far from 0 and 1, where inverse CDFs are infinite."""


@dataclass(frozen=True)
class Draws:
    """The uniforms of every parameter, by name: an array of (draws, dimensions) each."""

    uniforms: dict[str, np.ndarray]
    count: int
    sobol_problem: dict[str, Any] | None = None
    """SALib's problem, for draws in Saltelli's design (None for a Latin hypercube)."""


def is_share(path: str) -> bool:
    """Whether a key holds a share or probability in 0..1 (by its name)."""
    return any(part in SHARE_KEYS for part in path.split("."))


def distribution(parameter: UncertainParameter) -> tuple[Any, str]:
    """A frozen scipy distribution of a scalar parameter, and a plain description of it.

    ``interval80`` becomes a lognormal (or a beta for a share) with those 10th and 90th
    percentiles, and the description says which.
    """
    if parameter.interval80 is not None:
        return _from_interval(parameter)
    name = str(parameter.dist)
    mean, sd = parameter.mean, parameter.sd
    if name == "fixed":
        assert parameter.value is not None
        return _Fixed(parameter.value), f"fixed({parameter.value:.4g})"
    if name == "beta":
        if parameter.alpha is not None and parameter.beta is not None:
            a, b = parameter.alpha, parameter.beta
        else:
            assert mean is not None and sd is not None
            if not 0 < mean < 1 or sd**2 >= mean * (1 - mean):
                raise ValueError("beta needs 0 < mean < 1 and sd^2 < mean (1 - mean)")
            common = mean * (1 - mean) / sd**2 - 1
            a, b = mean * common, (1 - mean) * common
        return stats.beta(a, b), f"beta(alpha={a:.4g}, beta={b:.4g})"
    if name in ("gamma", "lognormal", "normal"):
        assert mean is not None and sd is not None
        if name == "normal":
            return stats.norm(mean, sd), f"normal(mean={mean:.4g}, sd={sd:.4g})"
        if mean <= 0:
            raise ValueError(f"{name} needs a positive mean")
        if name == "gamma":
            shape = (mean / sd) ** 2
            return stats.gamma(shape, scale=mean / shape), f"gamma(mean={mean:.4g}, sd={sd:.4g})"
        sigma = math.sqrt(math.log1p((sd / mean) ** 2))
        mu = math.log(mean) - sigma**2 / 2
        return stats.lognorm(sigma, scale=math.exp(mu)), f"lognormal(mean={mean:.4g}, sd={sd:.4g})"
    low, high = parameter.minimum, parameter.maximum
    assert low is not None and high is not None
    if name == "uniform":
        return stats.uniform(low, high - low), f"uniform({low:.4g}, {high:.4g})"
    mode = parameter.mode
    if name == "triangular":
        assert mode is not None
        return (stats.triang((mode - low) / (high - low), loc=low, scale=high - low),
                f"triangular({low:.4g}, {mode:.4g}, {high:.4g})")
    assert mode is not None  # pert
    a = 1 + 4 * (mode - low) / (high - low)
    b = 1 + 4 * (high - mode) / (high - low)
    return (stats.beta(a, b, loc=low, scale=high - low),
            f"pert({low:.4g}, {mode:.4g}, {high:.4g})")


class _Fixed:
    """A distribution with one value (scipy has none with a usable ``ppf``)."""

    def __init__(self, value: float) -> None:
        self.value = value

    def ppf(self, uniforms: Any) -> np.ndarray:
        return np.asarray(np.full(np.shape(uniforms), self.value, dtype=float))

    def median(self) -> float:
        return self.value


def _from_interval(parameter: UncertainParameter) -> tuple[Any, str]:
    assert parameter.interval80 is not None
    low, high = parameter.interval80
    z = float(stats.norm.ppf(INTERVAL_QUANTILES[1]))
    if is_share(str(parameter.path)):
        if not 0 < low < high < 1:
            raise ValueError("interval80 of a share must lie strictly between 0 and 1")

        def gap(log_shapes: np.ndarray) -> np.ndarray:
            a, b = np.exp(log_shapes)
            quantiles = np.asarray(stats.beta.ppf(INTERVAL_QUANTILES, a, b), dtype=float)
            return np.asarray(quantiles - np.array([low, high]), dtype=float)

        middle = (low + high) / 2
        start = np.log([middle * 10, (1 - middle) * 10])
        a, b = np.exp(optimize.least_squares(gap, start, xtol=1e-12, ftol=1e-12).x)
        return (stats.beta(a, b),
                f"beta(alpha={a:.4g}, beta={b:.4g}) from the 80 % interval {low:.4g}-{high:.4g}")
    if low <= 0:
        raise ValueError("interval80 of a positive quantity needs low above 0 (a lognormal)")
    mu = (math.log(low) + math.log(high)) / 2
    sigma = (math.log(high) - math.log(low)) / (2 * z)
    return (stats.lognorm(sigma, scale=math.exp(mu)),
            f"lognormal(median={math.exp(mu):.4g}, sigma={sigma:.4g}) from the 80 % "
            f"interval {low:.4g}-{high:.4g}")


def one_way_range(parameter: UncertainParameter) -> tuple[float, float]:
    """Low and high values of a one-way analysis: given, or the 10th and 90th percentiles."""
    frozen, _ = distribution(parameter)
    low = parameter.low if parameter.low is not None else float(frozen.ppf(0.1))
    high = parameter.high if parameter.high is not None else float(frozen.ppf(0.9))
    return low, high


def dimensions(parameter: UncertainParameter) -> int:
    """Uniforms one draw of the parameter takes."""
    return len(parameter.keys) if parameter.dirichlet is not None else 1


def combined_register(registers: Sequence[Register]) -> dict[str, UncertainParameter]:
    """Every parameter of the plans by name (the first plan's entry where several have it)."""
    combined: dict[str, UncertainParameter] = {}
    for register in registers:
        for name, parameter in register.items():
            if name in combined and dimensions(combined[name]) != dimensions(parameter):
                raise InputError("has a different number of shares in two plans",
                                 file=f"uncertainty.{name}",
                                 fix="give the Dirichlet the same paths in every plan")
            combined.setdefault(name, parameter)
    return combined


def draw_uniforms(registers: Sequence[Register], count: int, seed: int) -> Draws:
    """Uniforms for ``count`` draws of every parameter named in the plans' registers.

    A scrambled Latin hypercube seeded from ``seed``; correlation groups reordered by
    Iman-Conover. The same seed and registers give the same uniforms.
    """
    if count < 1:
        raise InputError(f"draws must be 1 or more, got {count}", key="draws",
                         fix="use --draws 1 or more (a few hundred for a PSA)")
    combined = combined_register(registers)
    names = sorted(combined)
    widths = [dimensions(combined[name]) for name in names]
    generator = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(DRAW_STREAM,)))
    total = sum(widths)
    points = (qmc.LatinHypercube(d=total, scramble=True, seed=generator).random(count)
              if total else np.empty((count, 0)))
    points = np.clip(points, EDGE, 1 - EDGE)
    columns = dict(zip(names, np.split(points, np.cumsum(widths)[:-1], axis=1), strict=True))
    for group, members in _groups(combined).items():
        target = _group_correlation(group, members, combined)
        block = np.column_stack([columns[name][:, 0] for name in members])
        block = iman_conover(block, target, generator)
        for position, name in enumerate(members):
            columns[name] = block[:, [position]]
    return Draws(uniforms=columns, count=count)


def saltelli_uniforms(registers: Sequence[Register], base_count: int, seed: int) -> Draws:
    """Uniforms in Saltelli's design for first-order and total Sobol indices (SALib).

    ``base_count`` (a power of 2) times (parameters + 2) draws; the columns of a
    Dirichlet are one group. Sobol indices assume independent parameters, so a
    correlation group is refused.
    """
    if base_count < 2 or base_count & (base_count - 1):
        raise InputError(f"--draws must be a power of 2 for Sobol indices, got {base_count}",
                         key="draws", fix="use --draws 64, 128, 256 ...")
    combined = combined_register(registers)
    names = sorted(combined)
    correlated = [name for name in names if combined[name].group is not None]
    if correlated:
        raise InputError("Sobol indices assume independent parameters",
                         file=f"uncertainty.{correlated[0]}", key="group",
                         fix="leave out --sobol, or the correlation group")
    widths = [dimensions(combined[name]) for name in names]
    problem = {
        "num_vars": sum(widths),
        "names": [f"{name}:{column}" for name, width in zip(names, widths, strict=True)
                  for column in range(width)],
        "bounds": [[0.0, 1.0]] * sum(widths),
        "groups": [name for name, width in zip(names, widths, strict=True)
                   for _ in range(width)],
    }
    generator = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(DRAW_STREAM,)))
    points = np.clip(saltelli.sample(problem, base_count, calc_second_order=False,
                                     seed=generator), EDGE, 1 - EDGE)
    columns = dict(zip(names, np.split(points, np.cumsum(widths)[:-1], axis=1), strict=True))
    return Draws(uniforms=columns, count=len(points), sobol_problem=problem)


def _groups(combined: Mapping[str, UncertainParameter]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for name in sorted(combined):
        group = combined[name].group
        if group is not None:
            if combined[name].dirichlet is not None:
                raise InputError("a Dirichlet entry cannot be in a correlation group",
                                 file=f"uncertainty.{name}", key="group",
                                 fix="leave group out of Dirichlet entries")
            groups.setdefault(group, []).append(name)
    return groups


def _group_correlation(group: str, members: list[str],
                       combined: Mapping[str, UncertainParameter]) -> np.ndarray:
    """The Pearson correlation of normal scores that gives the group's rank correlation."""
    if len(members) < 2:
        raise InputError(f"correlation group {group!r} has one member",
                         file=f"uncertainty.{members[0]}", key="group",
                         fix="give the group two or more parameters, or leave group out")
    ranks = {combined[name].correlation for name in members}
    if len(ranks) != 1:
        raise InputError(f"members of correlation group {group!r} give different correlations",
                         file=f"uncertainty.{members[0]}", key="correlation",
                         fix="give every member of the group the same correlation")
    rank = float(next(iter(ranks)))  # type: ignore[arg-type]
    pearson = 2 * math.sin(math.pi * rank / 6)
    target = np.full((len(members), len(members)), pearson)
    np.fill_diagonal(target, 1.0)
    if np.linalg.eigvalsh(target).min() <= 0:
        raise InputError(f"correlation group {group!r}: {rank} is impossible for "
                         f"{len(members)} parameters", file=f"uncertainty.{members[0]}",
                         key="correlation", fix="use a weaker negative correlation")
    return target


def iman_conover(values: np.ndarray, target: np.ndarray,
                 generator: np.random.Generator) -> np.ndarray:
    """Reorder each column of ``values`` so that their rank correlation is near ``target``.

    Iman and Conover (1982): normal scores with the target correlation, whose ranks the
    columns take. The marginal values are unchanged, only their pairing.
    """
    count, width = values.shape
    if count < width + 2:
        return values
    scores = stats.norm.ppf(np.arange(1, count + 1) / (count + 1))
    matrix = np.column_stack([generator.permutation(scores) for _ in range(width)])
    current = np.linalg.cholesky(np.corrcoef(matrix, rowvar=False))
    wanted = np.linalg.cholesky(target)
    correlated = matrix @ np.linalg.inv(current).T @ wanted.T
    result = np.empty_like(values)
    for column in range(width):
        order = np.argsort(np.argsort(correlated[:, column]))
        result[:, column] = np.sort(values[:, column])[order]
    return result


def parameter_values(name: str, parameter: UncertainParameter,
                     uniforms: np.ndarray) -> dict[str, np.ndarray]:
    """The drawn values of one parameter by key path: one array of ``draws`` each."""
    try:
        if parameter.dirichlet is not None:
            gammas = np.column_stack([
                stats.gamma.ppf(uniforms[:, position], weight)
                for position, weight in enumerate(parameter.dirichlet)
            ])
            shares = gammas / gammas.sum(axis=1, keepdims=True)
            return {path: shares[:, position] for position, path in enumerate(parameter.keys)}
        frozen, _ = distribution(parameter)
    except ValueError as error:
        raise InputError(str(error), file=f"uncertainty.{name}",
                         fix="check the distribution's parameters") from None
    return {str(parameter.path): np.asarray(frozen.ppf(uniforms[:, 0]), dtype=float)}


def plan_overrides(scenario: Scenario, draws: Draws) -> list[dict[str, object]]:
    """One dict of overrides per draw for a plan: its own register, the shared uniforms."""
    integers = _integer_keys(scenario)
    columns: dict[str, np.ndarray] = {}
    for name, parameter in sorted(scenario.uncertainty.items()):
        columns.update(parameter_values(name, parameter, draws.uniforms[name]))
    return [
        {path: (round(values[draw]) if path in integers else float(values[draw]))
         for path, values in columns.items()}
        for draw in range(draws.count)
    ]


def parameter_table(scenarios: Sequence[Scenario], draws: Draws) -> list[tuple[int, str, float]]:
    """``(sample, parameter, value)`` rows: each parameter's value in the first plan with it.

    A Dirichlet entry has one row per share, named ``name[path]``.
    """
    rows: list[tuple[int, str, float]] = []
    seen: set[str] = set()
    for scenario in scenarios:
        for name, parameter in sorted(scenario.uncertainty.items()):
            if name in seen:
                continue
            seen.add(name)
            values = parameter_values(name, parameter, draws.uniforms[name])
            for path, column in values.items():
                label = name if parameter.dirichlet is None else f"{name}[{path}]"
                rows.extend((draw + 1, label, float(column[draw])) for draw in range(draws.count))
    return rows


def _integer_keys(scenario: Scenario) -> set[str]:
    """Register keys whose current value is a whole number (capacity, initial people)."""
    data = scenario_to_dict(scenario)
    return {path for parameter in scenario.uncertainty.values() for path in parameter.keys
            if isinstance(_value_at(data, path), int)
            and not isinstance(_value_at(data, path), bool)}


def _value_at(data: Any, path: str) -> Any:
    node = data
    for part in path.split("."):
        if isinstance(node, list):
            named = [item for item in node if isinstance(item, dict) and item.get("name") == part]
            node = named[0] if named else None
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def check_register(scenario: Scenario, label: str = "") -> None:
    """Refuse a register bosim cannot draw from, before anything is simulated.

    Every key must exist and hold a number, every distribution must be complete, and
    the scenario with each parameter at its low, median and high value must be valid.
    Errors name the parameter (``uncertainty.<name>``).
    """
    data = scenario_to_dict(scenario)
    for name, parameter in sorted(scenario.uncertainty.items()):
        where = f"{label}: uncertainty.{name}" if label else f"uncertainty.{name}"
        for path in parameter.keys:
            current = _value_at(data, path)
            if current is None and not _settable(scenario, path):
                raise InputError(f"sets {path!r}, which is not a key of the scenario",
                                 file=where, key="path",
                                 fix="give a dotted key as --set understands it, e.g. "
                                 "segments.<segment>.exit_rate_per_year")
            if isinstance(current, bool) or not isinstance(current, int | float | None):
                raise InputError(f"sets {path!r}, which does not hold a number",
                                 file=where, key="path", fix="point path at a numeric key")
        if parameter.dirichlet is not None:
            continue
        try:
            frozen, _ = distribution(parameter)
        except ValueError as error:
            raise InputError(str(error), file=where,
                             fix="check the distribution's parameters") from None
        low, high = one_way_range(parameter)
        if low > high:
            raise InputError(f"low ({low:.4g}) is above high ({high:.4g})", file=where,
                             key="low", fix="give low below high")
        integers = _integer_keys(scenario)
        for value in (low, float(frozen.median()), high):
            number: object = round(value) if parameter.path in integers else float(value)
            apply_draw(scenario, {str(parameter.path): number}, {str(parameter.path): name})


def _settable(scenario: Scenario, path: str) -> bool:
    """Whether ``path`` can be set although it is left out (a key with no default value)."""
    try:
        with_overrides(scenario, {path: 0.0})
    except InputError as error:
        return "unknown key" not in str(error) and "no segment" not in str(error)
    return True


def apply_draw(scenario: Scenario, overrides: Mapping[str, object],
               owners: Mapping[str, str], sample: int | None = None) -> Scenario:
    """The scenario with one draw's values; an invalid result names the parameter(s).

    ``owners`` maps each key path to its parameter's name.
    """
    try:
        return with_overrides(scenario, overrides, source="uncertainty")
    except InputError as error:
        problems = error.errors if isinstance(error, InputErrors) else [error]
        keys = [problem.key or "" for problem in problems]
        named = sorted({owner for path, owner in owners.items()
                        if any(key and (path.startswith(key) or key.startswith(path))
                               for key in keys)} or set(owners.values()))
        which = f"draw {sample} of the register" if sample else "a value of the register"
        detail = "; ".join(f"{problem.key}: {problem.message}" if problem.key
                           else problem.message for problem in problems)
        raise InputError(
            f"{which} makes an invalid scenario ({detail})",
            file=", ".join(f"uncertainty.{name}" for name in named),
            fix="narrow the distribution, or choose one that keeps the key in its allowed "
            "range (a beta for a share, a gamma or lognormal for a positive number)",
        ) from None


def owners_of(scenario: Scenario) -> dict[str, str]:
    """Key path -> parameter name, for every key the register sets."""
    return {path: name for name, parameter in scenario.uncertainty.items()
            for path in parameter.keys}
