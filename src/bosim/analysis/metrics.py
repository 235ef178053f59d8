"""Metrics of one replication (the definitions are in :mod:`bosim.analysis.metric_table`).

Plain functions of a :class:`~bosim.engine.ReplicationRecord` and the compiled scenario,
testable on hand-written records without SimPy. Each metric is computed for the whole
target group (``segment`` empty) and, where the table says ``by_segment``, for each
segment (group of people).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from bosim.analysis.households import has_households, person_values
from bosim.analysis.retention import RETENTION_DAYS, kaplan_meier
from bosim.engine import CompiledScenario, Count, ReplicationRecord, SpellColumn, SpellEnd
from bosim.units import DAYS_PER_WEEK, DAYS_PER_YEAR

Row = tuple[str, str, str, float]
"""(metric, segment, place, value); segment and place are '' for totals."""
ALL = ""
"""The segment (or place) column of a total."""


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator > 0 else math.nan


def replication_metrics(record: ReplicationRecord, compiled: CompiledScenario) -> list[Row]:
    """Every metric of one replication over its observed window."""
    segments = range(len(compiled.segment_names))
    rows = _system_rows(record, compiled, list(segments), ALL)
    for segment in segments:
        rows += _system_rows(record, compiled, [segment], compiled.segment_names[segment])
    rows += _place_rows(record, compiled)
    rows += _team_rows(record, compiled)
    if any(compiled.hidden):
        rows += _outreach_rows(record, compiled)
    return rows


def _outreach_rows(record: ReplicationRecord, compiled: CompiledScenario) -> list[Row]:
    """Hidden homelessness and outreach: people found, how long it took, how many hidden.

    Only for scenarios with a hidden place, so that other scenarios' tables are unchanged.
    """
    window = record.window
    hidden = np.array(compiled.hidden, dtype=bool)
    # Everyone in a hidden place is hidden until found or their stay ends; after that they
    # may wait there (blocked) as people known to the services.
    hidden_days = (record.person_days[window][:, hidden].sum()
                   - record.blocked_days[window][:, hidden].sum())
    found_counts = record.counts[Count.FOUND, window].sum(axis=(0, 1))  # by segment
    rows: list[Row] = [("mean_hidden_people", ALL, ALL,
                        float(hidden_days / (record.observed_years * DAYS_PER_YEAR)))]
    groups = [(ALL, list(range(len(compiled.segment_names))))]
    groups += [(name, [segment]) for segment, name in enumerate(compiled.segment_names)]
    for label, segments in groups:
        delays = record.found[np.isin(record.found[:, 0].astype(int), segments), 1]
        rows += [
            ("found_by_outreach", label, ALL, float(found_counts[segments].sum())),
            ("mean_days_to_be_found", label, ALL,
             float(delays.mean()) if delays.size else math.nan),
        ]
    return rows


def _system_rows(
    record: ReplicationRecord, compiled: CompiledScenario, segments: list[int], label: str
) -> list[Row]:
    """Whole-system metrics of the people in ``segments`` (all of them for the total)."""
    window = record.window
    housed = np.array(compiled.housed)
    homeless = np.array(compiled.homeless)
    institution = np.array(compiled.institution, dtype=bool)
    days_by_place = record.person_days[window][:, :, segments].sum(axis=(0, 2))
    person_years = days_by_place.sum() / DAYS_PER_YEAR
    housed_years = days_by_place[housed].sum() / DAYS_PER_YEAR
    homeless_days = days_by_place[homeless].sum()
    window_days = record.observed_years * DAYS_PER_YEAR
    counts = record.counts[:, window][:, :, :, segments].sum(axis=(1, 3))  # [Count, place]
    present_end = record.people_end[:, segments].sum(axis=1)
    handled = counts[Count.CRISIS_HANDLED].sum()
    unhandled = counts[Count.CRISIS_UNHANDLED].sum()
    waiting_end = sum(
        record.open_waits[place][segment].size
        for place in range(len(compiled.place_names)) for segment in segments
    )
    values = {
        "housing_retention_12m": _retention(record, compiled, segments),
        "homeless_days_per_person_year": _ratio(homeless_days, person_years),
        "housed_share_end": _ratio(present_end[housed].sum(), present_end.sum()),
        "breakdowns_per_100_person_years": _ratio(
            100.0 * counts[Count.BREAKDOWN].sum(), housed_years),
        "arrivals": float(record.arrivals[window][:, segments].sum()),
        "exits": float(counts[Count.EXIT].sum()),
        "people_start": float(record.people_start[:, segments].sum()),
        "people_end": float(present_end.sum()),
        "person_years": float(person_years),
        "housed_person_years": float(housed_years),
        "homeless_person_years": float(homeless_days / DAYS_PER_YEAR),
        "mean_homeless_people": float(homeless_days / window_days),
        "mean_housed_people": float(housed_years * DAYS_PER_YEAR / window_days),
        "crises_per_person_year": _ratio(handled + unhandled, person_years),
        "unmet_crisis_share": _ratio(unhandled, handled + unhandled),
        "emergency_events": float(counts[Count.EMERGENCY].sum()),
        "institution_days": float(days_by_place[institution].sum()),
        "waiting_end": float(waiting_end),
    }
    if has_households(compiled):  # families: persons beside households
        values.update(person_values(record, compiled, segments))
    return [(name, label, ALL, value) for name, value in values.items()]


def _retention(record: ReplicationRecord, compiled: CompiledScenario,
               segments: list[int]) -> float:
    spells = record.spells
    chosen = np.isin(spells[:, SpellColumn.SEGMENT].astype(int), segments)
    chosen &= spells[:, SpellColumn.START] >= compiled.warmup_days
    durations = spells[chosen, SpellColumn.END] - spells[chosen, SpellColumn.START]
    homeless = spells[chosen, SpellColumn.ENDING] == SpellEnd.HOMELESS
    return float(kaplan_meier(durations, homeless, np.array([RETENTION_DAYS]))[0])


def _waits(values: Sequence[npt.NDArray[np.float64]]) -> npt.NDArray[np.float64]:
    return np.concatenate(values) if values else np.empty(0)


def _wait_rows(name: str, segment: str, waits: npt.NDArray[np.float64],
               open_waits: npt.NDArray[np.float64]) -> list[Row]:
    return [
        ("mean_wait_days", segment, name, float(waits.mean()) if waits.size else math.nan),
        ("p90_wait_days", segment, name,
         float(np.quantile(waits, 0.9)) if waits.size else math.nan),
        ("waiting_end", segment, name, float(open_waits.size)),
        ("mean_open_wait_days", segment, name,
         float(open_waits.mean()) if open_waits.size else math.nan),
    ]


def _place_rows(record: ReplicationRecord, compiled: CompiledScenario) -> list[Row]:
    window = record.window
    window_days = record.observed_years * DAYS_PER_YEAR
    days_by_place = record.person_days[window].sum(axis=(0, 2))
    counts = record.counts[:, window].sum(axis=(1, 3))  # [Count, place]
    years = range(record.warmup_years, record.warmup_years + record.observed_years)
    rows: list[Row] = []
    for place, name in enumerate(compiled.place_names):
        waits, open_waits = record.waits[place], record.open_waits[place]
        rows += _wait_rows(name, ALL, _waits(waits), _waits(open_waits))
        for segment, label in enumerate(compiled.segment_names):
            rows += _wait_rows(name, label, waits[segment], open_waits[segment])
        occupancy = (days_by_place[place] + record.held_days[window, place].sum()) / window_days
        mean_capacity = float(np.mean([compiled.capacity[place][year] for year in years]))
        handled = counts[Count.CRISIS_HANDLED, place]
        unhandled = counts[Count.CRISIS_UNHANDLED, place]
        rows += [
            ("mean_queue", ALL, name, float(record.queue_days[window, place].sum() / window_days)),
            ("mean_occupancy", ALL, name, float(occupancy)),
            ("utilization", ALL, name,
             _ratio(occupancy, mean_capacity) if math.isfinite(mean_capacity) else math.nan),
            ("blocked_days", ALL, name, float(record.blocked_days[window, place].sum())),
            ("unmet_crisis_share", ALL, name, _ratio(unhandled, handled + unhandled)),
        ]
    return rows


def _team_rows(record: ReplicationRecord, compiled: CompiledScenario) -> list[Row]:
    """Share of the team's working hours spent on crises and routine follow-up."""
    window = record.window
    days_by_place = record.person_days[window].sum(axis=(0, 2))
    rows: list[Row] = []
    for index, team in enumerate(compiled.teams):
        crisis_hours = float(record.crisis_hours[window, index].sum())
        resident_days = float(sum(days_by_place[place] for place in team.places))
        followup_hours = resident_days / DAYS_PER_WEEK * team.followup_hours_per_resident_week
        working_hours = team.fte * team.hours_per_fte_year * record.observed_years
        if compiled.team_plans and len({id(t) for t in compiled.team_plans[index]}) > 1:
            working_hours = sum(compiled.team_plans[index][year].fte
                                for year in range(window.start, window.stop)
                                ) * team.hours_per_fte_year
        rows.append(("staff_utilization", ALL, team.name,
                     _ratio(crisis_hours + followup_hours, working_hours)))
    return rows


REPLICATION_COLUMNS = ["sample", "replication", "metric", "segment", "place", "value"]


def replications_frame(
    records: Sequence[ReplicationRecord], compiled: CompiledScenario
) -> pd.DataFrame:
    """Tidy table ``sample, replication, metric, segment, place, value``."""
    rows = [
        (record.sample, record.replication, *row)
        for record in records
        for row in replication_metrics(record, compiled)
    ]
    return pd.DataFrame(rows, columns=REPLICATION_COLUMNS)
