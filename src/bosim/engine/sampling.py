"""Drawing durations from scenario distributions by inverse transform.

A draw is a function of one uniform, so the same uniform gives the same quantile in
two scenarios (a monotone coupling: common random numbers at their most effective).
Residual draws, for people already in a place at time 0, use the equilibrium excess
distribution: residual = U * L, with L drawn from the length-biased distribution
(density x f(x) / mean), so a model started from today's situation does not empty
out in lockstep.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass

from scipy import special

from bosim.scenario.distributions import (
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Triangular,
    Uniform,
    Weibull,
)

Draw = Callable[[float], float]


@dataclass(frozen=True)
class Sampler:
    """Draws from one distribution (days).

    Attributes:
        draw: uniform in [0, 1) to a duration.
        draw_length_biased: uniform to a duration from the length-biased distribution.
        draw_length_biased_by_rejection: for distributions without a closed form, a
            function of a uniform source instead (used only when ``draw_length_biased``
            is None).
        mean: expected duration (days).

    """

    draw: Draw
    draw_length_biased: Draw | None
    draw_length_biased_by_rejection: Callable[[Callable[[], float]], float] | None
    mean: float

    def draw_residual(self, u_length: float, u_position: float, more: Callable[[], float]) -> float:
        """Remaining stay of someone found in the place at a random time (days)."""
        if self.draw_length_biased is not None:
            length = self.draw_length_biased(u_length)
        else:
            assert self.draw_length_biased_by_rejection is not None
            first = [u_length]

            def uniforms() -> float:
                return first.pop() if first else more()

            length = self.draw_length_biased_by_rejection(uniforms)
        return u_position * length


def make_sampler(spec: Distribution) -> Sampler:
    """Compile a distribution from a scenario into a fast sampler."""
    if isinstance(spec, Exponential):
        mean = spec.mean

        def exponential(u: float) -> float:
            return -mean * math.log1p(-u)

        # Length-biased exponential is Gamma(2, mean); times U it is the same exponential.
        return Sampler(exponential, _gamma_quantile(2.0, mean), None, mean)
    if isinstance(spec, Gamma):
        shape = 1.0 / (spec.cv * spec.cv)
        scale = spec.mean * spec.cv * spec.cv
        return Sampler(
            _scaled(_gamma_quantile(shape, 1.0), scale),
            _scaled(_gamma_quantile(shape + 1.0, 1.0), scale),
            None,
            spec.mean,
        )
    if isinstance(spec, Lognormal):
        sigma2 = math.log1p((spec.sd / spec.mean) ** 2)
        sigma = math.sqrt(sigma2)
        mu = math.log(spec.mean) - sigma2 / 2.0
        return Sampler(
            lambda u: math.exp(mu + sigma * float(special.ndtri(u))) if u > 0 else 0.0,
            # Length-biasing a lognormal shifts mu by sigma^2.
            lambda u: math.exp(mu + sigma2 + sigma * float(special.ndtri(u))) if u > 0 else 0.0,
            None,
            spec.mean,
        )
    if isinstance(spec, Weibull):
        k, scale = spec.shape, spec.scale
        # X = scale * E^(1/k); length-biased: E ~ Gamma(1 + 1/k).
        biased = _gamma_quantile(1.0 + 1.0 / k, 1.0)
        return Sampler(
            lambda u: scale * (-math.log1p(-u)) ** (1.0 / k),
            lambda u: scale * biased(u) ** (1.0 / k),
            None,
            spec.mean,
        )
    if isinstance(spec, Triangular):
        return _triangular(spec)
    if isinstance(spec, Uniform):
        low, high = spec.low, spec.high
        return Sampler(
            lambda u: low + u * (high - low),
            lambda u: math.sqrt(low * low + u * (high * high - low * low)),
            None,
            spec.mean,
        )
    if isinstance(spec, Fixed):
        value = spec.value
        return Sampler(lambda u: value, lambda u: value, None, spec.mean)
    if isinstance(spec, Empirical):
        return _empirical(spec)
    raise TypeError(f"no sampler for {spec!r}")  # pragma: no cover - the union is closed


def _gamma_quantile(shape: float, scale: float) -> Draw:
    def quantile(u: float) -> float:
        return scale * float(special.gammaincinv(shape, u))

    return quantile


def _scaled(draw: Draw, scale: float) -> Draw:
    return lambda u: scale * draw(u)


def _triangular(spec: Triangular) -> Sampler:
    low, mode, high = spec.low, spec.mode, spec.high
    split = (mode - low) / (high - low)

    def triangular(u: float) -> float:
        if u < split:
            return low + math.sqrt(u * (high - low) * (mode - low))
        return high - math.sqrt((1.0 - u) * (high - low) * (high - mode))

    def length_biased(uniforms: Callable[[], float]) -> float:
        # Accept x with probability x / high: density proportional to x f(x).
        while True:
            candidate = triangular(uniforms())
            if uniforms() * high <= candidate:
                return candidate

    return Sampler(triangular, None, length_biased, spec.mean)


def _empirical(spec: Empirical) -> Sampler:
    values = list(spec.values)
    count = len(values)
    cumulative: list[float] = []
    running = 0.0
    for value in values:
        running += value
        cumulative.append(running)
    total = running

    def empirical(u: float) -> float:
        return values[min(int(u * count), count - 1)]

    def length_biased(u: float) -> float:
        # Pick a value with probability proportional to its size.
        return values[min(bisect.bisect_right(cumulative, u * total), count - 1)]

    return Sampler(empirical, length_biased, None, spec.mean)
