"""A grid of values of some scenario keys, every point simulated on the same people (CRN).

Nothing here simulates: :func:`bosim.sweep` simulates every point and then calls
:func:`sweep_results`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from bosim.analysis.comparison import RunResults
from bosim.analysis.summary import summarise
from bosim.scenario import Scenario


@dataclass
class Sweep:
    """Results at every point of a grid.

    Attributes:
        paths: the varied key paths.
        points: one tuple of values per point, in grid order.
        results: the results at each point.
        table: one row per point and metric: the varied values, then ``metric, segment,
            place, mean, sd, ci_low, ci_high, n``.

    """

    paths: list[str]
    points: list[tuple[object, ...]]
    results: Sequence[RunResults]
    table: pd.DataFrame

    @property
    def scenario(self) -> Scenario:
        """The scenario at the first point (for names, currency and horizon)."""
        return self.results[0].scenario


def sweep_results(paths: list[str], points: list[tuple[object, ...]],
                  results: Sequence[RunResults]) -> Sweep:
    """Summaries at every point, with the point's values as leading columns."""
    tables = []
    for point, outcome in zip(points, results, strict=True):
        summary = summarise(outcome.replications)
        for position, (path, value) in enumerate(zip(paths, point, strict=True)):
            summary.insert(position, path, [value] * len(summary))
        tables.append(summary)
    return Sweep(paths=paths, points=points, results=results,
                 table=pd.concat(tables, ignore_index=True))
