"""Distributions of durations in a scenario file (stays, handling times).

Every parameter is in the unit of the key that uses the distribution: days for stays,
hours for a team's ``handling_hours``. Each is written as an inline table chosen by its
``dist`` key, e.g. ``{ dist = "gamma", mean = 730, cv = 0.8 }``.

These are data only: what the user wrote, validated. Drawing from them is
:mod:`bosim.engine.sampling`'s job.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegativeFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Spec(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", strict=True, use_attribute_docstrings=True
    )

    @property
    def mean(self) -> float:
        """Expected value in days."""
        raise NotImplementedError


class Exponential(_Spec):
    """Exponential with the given mean: memoryless, as likely to end tomorrow as today."""

    dist: Literal["exponential"]
    """Chooses this distribution."""
    mean_days: PositiveFloat = Field(alias="mean")
    """The mean duration. Unit: days (hours for handling times)."""

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.mean_days


class Gamma(_Spec):
    """Gamma with the given mean and coefficient of variation (sd / mean)."""

    dist: Literal["gamma"]
    """Chooses this distribution."""
    mean_days: PositiveFloat = Field(alias="mean")
    """The mean duration. Unit: days (hours for handling times)."""
    cv: PositiveFloat
    """Coefficient of variation: standard deviation divided by the mean (1 is the
    exponential, below 1 more regular, above 1 more spread). Unit: ratio."""

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.mean_days


class Lognormal(_Spec):
    """Lognormal with the given mean and standard deviation of the duration itself."""

    dist: Literal["lognormal"]
    """Chooses this distribution."""
    mean_days: PositiveFloat = Field(alias="mean")
    """The mean duration (not of its logarithm). Unit: days (hours for handling times)."""
    sd: PositiveFloat
    """The standard deviation of the duration (not of its logarithm). Unit: days (hours
    for handling times)."""

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.mean_days


class Weibull(_Spec):
    """Weibull with shape k and scale lambda; the mean is scale x Gamma(1 + 1/shape)."""

    dist: Literal["weibull"]
    """Chooses this distribution."""
    shape: PositiveFloat
    """Shape k: below 1 most stays end early, 1 is the exponential, above 1 stays cluster
    around the scale. Unit: none."""
    scale: PositiveFloat
    """Scale lambda. Unit: days (hours for handling times)."""

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.scale * math.gamma(1.0 + 1.0 / self.shape)


class Triangular(_Spec):
    """Triangular on [low, high] with the given mode; the mean is (low + mode + high) / 3."""

    dist: Literal["triangular"]
    """Chooses this distribution."""
    low: NonNegativeFloat
    """The shortest duration. Unit: days (hours for handling times)."""
    mode: NonNegativeFloat
    """The most likely duration, from low to high. Unit: days (hours for handling times)."""
    high: PositiveFloat
    """The longest duration, above low. Unit: days (hours for handling times)."""

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
    """Uniform on [low, high]: every duration in between equally likely."""

    dist: Literal["uniform"]
    """Chooses this distribution."""
    low: NonNegativeFloat
    """The shortest duration. Unit: days (hours for handling times)."""
    high: PositiveFloat
    """The longest duration, above low. Unit: days (hours for handling times)."""

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
    """Always the same duration."""

    dist: Literal["fixed"]
    """Chooses this distribution."""
    value: NonNegativeFloat
    """The duration. Unit: days (hours for handling times)."""

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.value


class Empirical(_Spec):
    """Equally likely draws from observed durations (e.g. from a municipality's records)."""

    dist: Literal["empirical"]
    """Chooses this distribution."""
    values: Annotated[list[NonNegativeFloat], Field(min_length=1)]
    """The observed durations, at least one above 0. Unit: days (hours for handling
    times)."""

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
