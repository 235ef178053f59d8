"""Distributions of durations in a scenario file (stays, handling times), all in days.

These are data only: what the user wrote, validated. Drawing from them is
:mod:`bosim.sampling`'s job.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegativeFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    @property
    def mean(self) -> float:
        """Expected value in days."""
        raise NotImplementedError


class Exponential(_Spec):
    """Exponential with the given mean (days)."""

    dist: Literal["exponential"]
    mean_days: PositiveFloat = Field(alias="mean")

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.mean_days


class Gamma(_Spec):
    """Gamma with the given mean (days) and coefficient of variation (sd / mean)."""

    dist: Literal["gamma"]
    mean_days: PositiveFloat = Field(alias="mean")
    cv: PositiveFloat

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.mean_days


class Lognormal(_Spec):
    """Lognormal with the given mean and standard deviation of the duration itself (days)."""

    dist: Literal["lognormal"]
    mean_days: PositiveFloat = Field(alias="mean")
    sd: PositiveFloat

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.mean_days


class Weibull(_Spec):
    """Weibull with shape k and scale lambda (days)."""

    dist: Literal["weibull"]
    shape: PositiveFloat
    scale: PositiveFloat

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.scale * math.gamma(1.0 + 1.0 / self.shape)


class Triangular(_Spec):
    """Triangular on [low, high] with the given mode (days)."""

    dist: Literal["triangular"]
    low: NonNegativeFloat
    mode: NonNegativeFloat
    high: PositiveFloat

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ValueError("needs low <= mode <= high and low < high")
        return self

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return (self.low + self.mode + self.high) / 3.0


class Uniform(_Spec):
    """Uniform on [low, high] (days)."""

    dist: Literal["uniform"]
    low: NonNegativeFloat
    high: PositiveFloat

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError("needs low < high")
        return self

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return (self.low + self.high) / 2.0


class Fixed(_Spec):
    """Always the same duration (days)."""

    dist: Literal["fixed"]
    value: NonNegativeFloat

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.value


class Empirical(_Spec):
    """Equally likely draws from observed durations (days)."""

    dist: Literal["empirical"]
    values: Annotated[list[NonNegativeFloat], Field(min_length=1)]

    @model_validator(mode="after")
    def _not_all_zero(self) -> Empirical:
        if sum(self.values) <= 0:
            raise ValueError("needs at least one value above 0")
        return self

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return sum(self.values) / len(self.values)


Distribution = Annotated[
    Exponential | Gamma | Lognormal | Weibull | Triangular | Uniform | Fixed | Empirical,
    Field(discriminator="dist"),
]
"""Any duration distribution, chosen by its ``dist`` key."""

DISTRIBUTION_NAMES = (
    "exponential", "gamma", "lognormal", "weibull", "triangular", "uniform", "fixed", "empirical",
)
