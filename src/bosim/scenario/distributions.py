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

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegativeFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]

LONGEST = 10**9
"""Largest duration parameter (days, or hours for handling times): about 2.7 million
years, far beyond any horizon, and small enough that squares and tail quantiles of every
distribution stay finite."""
PositiveDuration = Annotated[float, Field(gt=0, le=LONGEST, allow_inf_nan=False)]
NonNegativeDuration = Annotated[float, Field(ge=0, le=LONGEST, allow_inf_nan=False)]

GAMMA_CV_RANGE = (0.001, 30.0)
"""Gamma cv bounds. Above 30 (shape below 1/900) about half of all draws underflow below
1e-300 days, 0 in all but name (all of them at cv 1e10), and the mean rests on draws too
rare to occur in any run; below 0.001 the stay is fixed for all purposes (and 1/cv^2
overflows for cv below 1e-154)."""
LOGNORMAL_CV_MAX = 30.0
"""Largest sd / mean of a lognormal: the gamma's limit. Beyond it the median is below a
thirtieth of the mean, which rests on ever rarer draws (and (sd / mean)^2 overflows
past 1e154)."""
WEIBULL_SHAPE_MIN = 0.05
"""Smallest Weibull shape: the mean is scale x Gamma(1 + 1/shape), 2.4e18 x scale at
0.05; below about 0.006 draws and the mean overflow."""


class OutOfRangeError(ValueError):
    """A parameter value outside the range bosim can draw from, with what to do instead."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


class _Spec(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", strict=True, use_attribute_docstrings=True
    )

    @property
    def mean(self) -> float:
        """Expected value in days."""
        raise NotImplementedError

    @model_validator(mode="after")
    def _finite_mean(self) -> _Spec:
        if not math.isfinite(self.mean) or self.mean > LONGEST:
            raise OutOfRangeError(
                f"the mean duration is {self.mean:.3g}, above the largest bosim draws "
                f"from ({LONGEST:g})",
                f"give parameters with a mean of at most {LONGEST:g}, or leave the stay out "
                "for a place people stay in until something else moves them",
            )
        return self


class Exponential(_Spec):
    """Exponential with the given mean: memoryless, as likely to end tomorrow as today."""

    dist: Literal["exponential"]
    """Chooses this distribution."""
    mean_days: PositiveDuration = Field(alias="mean")
    """The mean duration. Unit: days (hours for handling times)."""

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.mean_days


class Gamma(_Spec):
    """Gamma with the given mean and coefficient of variation (sd / mean)."""

    dist: Literal["gamma"]
    """Chooses this distribution."""
    mean_days: PositiveDuration = Field(alias="mean")
    """The mean duration. Unit: days (hours for handling times)."""
    cv: PositiveFloat
    """Coefficient of variation: standard deviation divided by the mean (1 is the
    exponential, below 1 more regular, above 1 more spread), from 0.001 to 30. Unit:
    ratio."""

    @field_validator("cv")
    @classmethod
    def _drawable_cv(cls, value: float) -> float:
        low, high = GAMMA_CV_RANGE
        if not low <= value <= high:
            raise OutOfRangeError(
                f"cv must be from {low:g} to {high:g}, got {value:g}: "
                + ("beyond 30 most stays underflow to 0 days and the rest are too rare to draw"
                   if value > high else "so small a spread is a fixed stay"),
                f"use a cv from {low:g} to {high:g}"
                + (', or dist = "fixed" for stays that hardly vary' if value < low else ""),
            )
        return value

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.mean_days


class Lognormal(_Spec):
    """Lognormal with the given mean and standard deviation of the duration itself."""

    dist: Literal["lognormal"]
    """Chooses this distribution."""
    mean_days: PositiveDuration = Field(alias="mean")
    """The mean duration (not of its logarithm). Unit: days (hours for handling times)."""
    sd: PositiveDuration
    """The standard deviation of the duration (not of its logarithm), at most 30 times
    the mean. Unit: days (hours for handling times)."""

    @model_validator(mode="after")
    def _drawable_spread(self) -> Lognormal:
        if self.sd > LOGNORMAL_CV_MAX * self.mean_days:
            raise OutOfRangeError(
                f"sd is {self.sd / self.mean_days:.3g} times the mean; above "
                f"{LOGNORMAL_CV_MAX:g} times the mean rests on draws too rare to occur",
                f"use an sd of at most {LOGNORMAL_CV_MAX:g} x mean "
                f"({LOGNORMAL_CV_MAX * self.mean_days:g})",
            )
        return self

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.mean_days


class Weibull(_Spec):
    """Weibull with shape k and scale lambda; the mean is scale x Gamma(1 + 1/shape)."""

    dist: Literal["weibull"]
    """Chooses this distribution."""
    shape: PositiveFloat
    """Shape k, at least 0.05: below 1 most stays end early, 1 is the exponential, above 1
    stays cluster around the scale. Unit: none."""
    scale: PositiveDuration
    """Scale lambda. Unit: days (hours for handling times)."""

    @field_validator("shape")
    @classmethod
    def _drawable_shape(cls, value: float) -> float:
        if value < WEIBULL_SHAPE_MIN:
            raise OutOfRangeError(
                f"shape must be at least {WEIBULL_SHAPE_MIN:g}, got {value:g}: below that "
                "the stays and their mean overflow",
                f"use a shape of at least {WEIBULL_SHAPE_MIN:g} (0.5 already means most "
                "stays are short and a few very long)",
            )
        return value

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.scale * math.gamma(1.0 + 1.0 / self.shape)


class Triangular(_Spec):
    """Triangular on [low, high] with the given mode; the mean is (low + mode + high) / 3."""

    dist: Literal["triangular"]
    """Chooses this distribution."""
    low: NonNegativeDuration
    """The shortest duration. Unit: days (hours for handling times)."""
    mode: NonNegativeDuration
    """The most likely duration, from low to high. Unit: days (hours for handling times)."""
    high: PositiveDuration
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
    low: NonNegativeDuration
    """The shortest duration. Unit: days (hours for handling times)."""
    high: PositiveDuration
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
    value: NonNegativeDuration
    """The duration. Unit: days (hours for handling times)."""

    @property
    def mean(self) -> float:
        """Expected value in days."""
        return self.value


class Empirical(_Spec):
    """Equally likely draws from observed durations (e.g. from a municipality's records)."""

    dist: Literal["empirical"]
    """Chooses this distribution."""
    values: Annotated[list[NonNegativeDuration], Field(min_length=1)]
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
