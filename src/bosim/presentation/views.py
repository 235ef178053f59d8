"""What the figures and reports need of results: small protocols, not the classes.

A run's results in memory (:class:`~bosim.analysis.Results`) and a run folder read back
(:class:`~bosim.outputs.SavedRun`) both satisfy :class:`RunView`, so a report renders
the same from either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import pandas as pd

from bosim.engine import CompiledScenario
from bosim.scenario import Scenario


class RunView(Protocol):
    """One run: its scenario, tables and summary."""

    @property
    def scenario(self) -> Scenario: ...  # noqa: D102
    @property
    def compiled(self) -> CompiledScenario: ...  # noqa: D102
    @property
    def seed(self) -> int: ...  # noqa: D102
    @property
    def replication_count(self) -> int: ...  # noqa: D102
    @property
    def summary(self) -> pd.DataFrame: ...  # noqa: D102
    @property
    def timeseries(self) -> pd.DataFrame: ...  # noqa: D102
    @property
    def waits(self) -> pd.DataFrame: ...  # noqa: D102
    @property
    def flows(self) -> pd.DataFrame: ...  # noqa: D102
    @property
    def costs(self) -> pd.DataFrame: ...  # noqa: D102
    @property
    def retention(self) -> pd.DataFrame: ...  # noqa: D102
    @property
    def unstable(self) -> list[str]: ...  # noqa: D102


class PlanView(Protocol):
    """One plan of a comparison or point of a sweep: scenario and metrics per replication."""

    @property
    def scenario(self) -> Scenario: ...  # noqa: D102
    @property
    def replications(self) -> pd.DataFrame: ...  # noqa: D102


class ComparisonView(Protocol):
    """Alternatives against a base (:class:`~bosim.analysis.Comparison`)."""

    @property
    def names(self) -> list[str]: ...  # noqa: D102
    @property
    def results(self) -> Mapping[str, PlanView]: ...  # noqa: D102
    @property
    def table(self) -> pd.DataFrame: ...  # noqa: D102
    @property
    def base(self) -> PlanView: ...  # noqa: D102


class SweepView(Protocol):
    """A grid of points (:class:`~bosim.analysis.Sweep`)."""

    @property
    def paths(self) -> list[str]: ...  # noqa: D102
    @property
    def points(self) -> list[tuple[object, ...]]: ...  # noqa: D102
    @property
    def results(self) -> Sequence[PlanView]: ...  # noqa: D102
    @property
    def table(self) -> pd.DataFrame: ...  # noqa: D102
    @property
    def scenario(self) -> Scenario: ...  # noqa: D102
