"""Persons beside households: metrics for scenarios with families (``segments.household``).

The engine moves households: one arrival is one household, which takes one unit and is
counted once by the metrics that count people (``arrivals``, ``mean_homeless_people``,
...). Where a segment's households are more than one adult, these metrics count the
persons in them as well (adults and children). They are computed only for scenarios with
such a segment, so that other scenarios' tables are unchanged (the definitions are in
:mod:`bosim.analysis.metric_table`).
"""

from __future__ import annotations

import numpy as np

from bosim.engine import CompiledScenario, ReplicationRecord
from bosim.units import DAYS_PER_YEAR

PERSON_METRICS = ("arrivals_persons", "mean_homeless_persons", "mean_housed_persons")
"""The metrics this module computes, in table order."""


def has_households(compiled: CompiledScenario) -> bool:
    """Whether some segment's households are more than one adult."""
    return any(persons != 1 for persons in compiled.persons)


def person_values(record: ReplicationRecord, compiled: CompiledScenario,
                  segments: list[int]) -> dict[str, float]:
    """Persons (adults and children) of the households of ``segments``, by metric name.

    Each segment's household counts are weighed by its persons per household.
    """
    window = record.window
    persons = np.array([compiled.persons[segment] for segment in segments], dtype=float)
    days = record.person_days[window][:, :, segments].sum(axis=0)  # [place, segment]
    window_days = record.observed_years * DAYS_PER_YEAR
    homeless = np.array(compiled.homeless, dtype=bool)
    housed = np.array(compiled.housed, dtype=bool)
    return {
        "arrivals_persons": float(record.arrivals[window][:, segments].sum(axis=0) @ persons),
        "mean_homeless_persons": float(days[homeless].sum(axis=0) @ persons / window_days),
        "mean_housed_persons": float(days[housed].sum(axis=0) @ persons / window_days),
    }
