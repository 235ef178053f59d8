"""The parameter register: which numbers of a scenario are uncertain, and how much.

A scenario's ``[uncertainty.<name>]`` tables each name one uncertain quantity: the dotted
key it sets (``path``, as ``--set`` understands it, segments as ``segments.<name>.…``),
its distribution (``dist``), the low and high values of a one-way analysis, an optional
correlation ``group`` and its ``source``. Shares that must sum to 1 (crisis outcomes,
route tables) are one entry with ``paths`` and ``dirichlet`` weights. The register is
data only: drawing from it is :mod:`bosim.scenario.draws`' job, and simulating the
draws the engine's. Values are in the unit of the key they set.

Distribution parameters:

- ``beta``: ``alpha`` and ``beta``, or ``mean`` and ``sd`` (a share in 0..1);
- ``gamma``, ``lognormal``, ``normal``: ``mean`` and ``sd`` of the quantity itself;
- ``uniform``: ``min``, ``max``; ``triangular`` and ``pert``: ``min``, ``mode``, ``max``;
- ``fixed``: ``value``;
- ``interval80 = [low, high]`` (no ``dist``): an 80 % interval that bosim turns into a
  lognormal (a positive quantity) or a beta (a share, a probability or a rate in 0..1 named
  by a ``routes``, ``handled``/``unhandled`` or ``economics`` key) with those 10th and 90th
  percentiles.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
DistributionName = Literal[
    "beta", "gamma", "lognormal", "normal", "uniform", "triangular", "pert", "fixed"
]

REQUIRED = {
    "gamma": ("mean", "sd"),
    "lognormal": ("mean", "sd"),
    "normal": ("mean", "sd"),
    "uniform": ("min", "max"),
    "triangular": ("min", "mode", "max"),
    "pert": ("min", "mode", "max"),
    "fixed": ("value",),
}
"""Parameters each distribution needs (beta: alpha and beta, or mean and sd)."""


class UncertainParameter(BaseModel):
    """One uncertain quantity of the scenario (one ``[uncertainty.<name>]`` table)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", strict=True, use_attribute_docstrings=True,
        populate_by_name=True,
    )

    path: str | None = None
    """The dotted key the value sets, e.g. ``segments.rop_chronic.exit_rate_per_year``."""
    paths: list[str] | None = None
    """For ``dirichlet``: the keys of shares drawn together (they sum to 1)."""
    dist: DistributionName | None = None
    """The distribution: beta, gamma, lognormal, normal, uniform, triangular, pert, fixed."""
    dirichlet: list[Annotated[float, Field(gt=0, allow_inf_nan=False)]] | None = None
    """Dirichlet weights, one per ``paths`` entry: the expected shares times the weight of
    the evidence (about the number of people observed). Unit: count."""
    interval80: list[FiniteFloat] | None = None
    """``[low, high]``: an 80 % interval, turned into a lognormal or a beta. Unit: that of the
    key."""
    mean: FiniteFloat | None = None
    """The distribution's mean. Unit: that of the key."""
    sd: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    """The distribution's standard deviation. Unit: that of the key."""
    alpha: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    """Beta: first shape parameter (successes + 1 with a flat prior). Unit: count."""
    beta: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    """Beta: second shape parameter (failures + 1 with a flat prior). Unit: count."""
    minimum: FiniteFloat | None = Field(default=None, alias="min")
    """Uniform, triangular, pert: the smallest value. Unit: that of the key."""
    mode: FiniteFloat | None = None
    """Triangular, pert: the most likely value. Unit: that of the key."""
    maximum: FiniteFloat | None = Field(default=None, alias="max")
    """Uniform, triangular, pert: the largest value. Unit: that of the key."""
    value: FiniteFloat | None = None
    """Fixed: the value (no uncertainty). Unit: that of the key."""
    low: FiniteFloat | None = None
    """Low value of a one-way analysis; default the 10th percentile. Unit: that of the key."""
    high: FiniteFloat | None = None
    """High value of a one-way analysis; default the 90th percentile. Unit: that of the key."""
    group: str | None = None
    """Parameters with the same group are drawn with rank correlation ``correlation``."""
    correlation: Annotated[float, Field(gt=-1, lt=1)] | None = None
    """Spearman rank correlation with the other members of the group. Unit: correlation
    (-1 to 1)."""
    source: str = ""
    """Where the distribution comes from (a study, a register, or "assumption: why")."""

    @model_validator(mode="after")
    def _complete(self) -> UncertainParameter:
        if self.dirichlet is not None or self.paths is not None:
            if not self.paths or self.dirichlet is None or len(self.paths) != len(self.dirichlet):
                raise ValueError("a dirichlet entry needs paths and as many dirichlet weights")
            if len(self.paths) < 2 or self.path is not None or self.dist is not None:
                raise ValueError("a dirichlet entry has two or more paths, and no path or dist")
            return self
        if self.path is None:
            raise ValueError("give the key the value sets as path (or paths with dirichlet)")
        if (self.dist is None) == (self.interval80 is None):
            raise ValueError("give either dist or interval80 = [low, high]")
        if self.interval80 is not None:
            if len(self.interval80) != 2 or not self.interval80[0] < self.interval80[1]:
                raise ValueError("interval80 must be [low, high] with low below high")
        elif self.dist == "beta":
            if (self.alpha is None or self.beta is None) and (self.mean is None or self.sd is None):
                raise ValueError("beta needs alpha and beta, or mean and sd")
        else:
            missing = [name for name in REQUIRED[str(self.dist)]
                       if getattr(self, {"min": "minimum", "max": "maximum"}.get(name, name))
                       is None]
            if missing:
                raise ValueError(f"{self.dist} needs {', '.join(missing)}")
        bounds = [b for b in (self.minimum, self.mode, self.maximum) if b is not None]
        if bounds != sorted(bounds) or (len(bounds) > 1 and bounds[0] == bounds[-1]):
            raise ValueError("min, mode and max must be in increasing order, min below max")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        if (self.group is None) != (self.correlation is None):
            raise ValueError("group and correlation go together")
        return self

    @property
    def keys(self) -> list[str]:
        """The dotted keys this entry sets (one, or the Dirichlet's)."""
        return list(self.paths) if self.paths else [str(self.path)]


Register = dict[str, UncertainParameter]
"""The parameter register: uncertain quantities by name (``[uncertainty.<name>]``)."""
