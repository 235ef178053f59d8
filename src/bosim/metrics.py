"""Metrics of one replication and their summary over replications (model.md section 5).

Plain functions of :class:`~bosim.engine.records.ReplicationRecord` and the compiled
scenario: testable on hand-written records, without SimPy.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from bosim.engine.compiled import DAYS_PER_YEAR, CompiledScenario
from bosim.engine.records import RETENTION_DAYS, Count, ReplicationRecord, SpellEnd

CONFIDENCE = 0.95

PLACE_METRICS = (
    "mean_wait_days",
    "p90_wait_days",
    "mean_queue",
    "mean_occupancy",
    "utilization",
    "blocked_days",
    "unmet_crisis_share",
)
"""Metrics reported per place."""

TEAM_METRICS = ("staff_utilization",)
"""Metrics reported per team (the team's name stands in the ``place`` column)."""

SYSTEM_METRICS = (
    "housing_retention_12m",
    "homeless_days_per_person_year",
    "housed_share_end",
    "breakdowns_per_100_person_years",
    "arrivals",
    "exits",
    "people_start",
    "people_end",
    "person_years",
    "housed_person_years",
    "homeless_person_years",
    "mean_homeless_people",
    "mean_housed_people",
    "crises_per_person_year",
    "unmet_crisis_share",
    "emergency_events",
    "institution_days",
)
"""Metrics for the whole system (``place`` empty)."""

UNITS = {
    "housing_retention_12m": "share",
    "homeless_days_per_person_year": "days per person-year",
    "housed_share_end": "share",
    "breakdowns_per_100_person_years": "per 100 person-years housed",
    "arrivals": "people",
    "exits": "people",
    "people_start": "people",
    "people_end": "people",
    "person_years": "person-years",
    "housed_person_years": "person-years",
    "homeless_person_years": "person-years",
    "mean_homeless_people": "people",
    "mean_housed_people": "people",
    "mean_wait_days": "days",
    "p90_wait_days": "days",
    "mean_queue": "people",
    "mean_occupancy": "units",
    "utilization": "share",
    "blocked_days": "person-days",
    "crises_per_person_year": "crises per person-year",
    "unmet_crisis_share": "share",
    "emergency_events": "events",
    "institution_days": "person-days",
    "staff_utilization": "share of on-duty hours",
}
"""Unit of each metric, for reports and spreadsheets."""

Row = tuple[str, str, float]
"""(metric, place, value); place is '' for system metrics."""


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


def replication_metrics(record: ReplicationRecord, compiled: CompiledScenario) -> list[Row]:
    """Every metric of one replication over its observed window."""
    window = record.window
    housed = np.array(compiled.housed)
    homeless = np.array(compiled.homeless)
    person_days = record.person_days[window]  # [year, place, segment]
    days_by_place = person_days.sum(axis=(0, 2))
    person_years = days_by_place.sum() / DAYS_PER_YEAR
    housed_years = days_by_place[housed].sum() / DAYS_PER_YEAR
    homeless_days = days_by_place[homeless].sum()
    counts = record.counts[:, window]
    present_end = record.people_end.sum(axis=1)
    rows: list[Row] = [
        ("housing_retention_12m", "", housing_retention(record)),
        ("homeless_days_per_person_year", "", _ratio(homeless_days, person_years)),
        ("housed_share_end", "", _ratio(present_end[housed].sum(), present_end.sum())),
        (
            "breakdowns_per_100_person_years",
            "",
            _ratio(100.0 * counts[Count.BREAKDOWN].sum(), housed_years),
        ),
        ("arrivals", "", float(record.arrivals[window].sum())),
        ("exits", "", float(counts[Count.EXIT].sum())),
        ("people_start", "", float(record.people_start.sum())),
        ("people_end", "", float(present_end.sum())),
        ("person_years", "", person_years),
        ("housed_person_years", "", housed_years),
        ("homeless_person_years", "", homeless_days / DAYS_PER_YEAR),
    ]
    window_days = record.observed_years * DAYS_PER_YEAR
    handled = counts[Count.CRISIS_HANDLED].sum(axis=(0, 2))
    unhandled = counts[Count.CRISIS_UNHANDLED].sum(axis=(0, 2))
    institution = np.array(compiled.institution, dtype=bool)
    rows += [
        ("mean_homeless_people", "", homeless_days / window_days),
        ("mean_housed_people", "", housed_years * DAYS_PER_YEAR / window_days),
        ("crises_per_person_year", "", _ratio(handled.sum() + unhandled.sum(), person_years)),
        ("unmet_crisis_share", "", _ratio(unhandled.sum(), handled.sum() + unhandled.sum())),
        ("emergency_events", "", float(counts[Count.EMERGENCY].sum())),
        ("institution_days", "", float(days_by_place[institution].sum())),
    ]
    rows += _team_rows(record, compiled, days_by_place)
    years = range(record.warmup_years, record.warmup_years + record.observed_years)
    for place, name in enumerate(compiled.place_names):
        waits = record.waits[place]
        occupancy = (days_by_place[place] + record.held_days[window, place].sum()) / window_days
        mean_capacity = float(np.mean([compiled.capacity[place][y] for y in years]))
        rows += [
            (
                "mean_wait_days", name,
                float(waits.mean()) if waits.size else math.nan,
            ),
            (
                "p90_wait_days", name,
                float(np.quantile(waits, 0.9)) if waits.size else math.nan,
            ),
            ("mean_queue", name, float(record.queue_days[window, place].sum() / window_days)),
            ("mean_occupancy", name, float(occupancy)),
            (
                "utilization", name,
                float(occupancy / mean_capacity) if math.isfinite(mean_capacity)
                and mean_capacity > 0 else math.nan,
            ),
            ("blocked_days", name, float(record.blocked_days[window, place].sum())),
            (
                "unmet_crisis_share", name,
                _ratio(float(unhandled[place]), float(handled[place] + unhandled[place])),
            ),
        ]
    return rows


def _team_rows(
    record: ReplicationRecord, compiled: CompiledScenario, days_by_place: np.ndarray
) -> list[Row]:
    """Share of the team's working hours spent on crises and routine follow-up."""
    rows: list[Row] = []
    years = record.observed_years
    for index, team in enumerate(compiled.teams):
        crisis_hours = float(record.crisis_hours[record.window, index].sum())
        resident_days = float(sum(days_by_place[p] for p in team.places))
        followup_hours = resident_days / 7.0 * team.followup_hours_per_resident_week
        working_hours = team.fte * team.hours_per_fte_year * years
        rows.append(
            ("staff_utilization", team.name, _ratio(crisis_hours + followup_hours, working_hours))
        )
    return rows


def housing_retention(record: ReplicationRecord) -> float:
    """Share of housing starts with a full year left in the window not homeless within a year.

    Starts whose person left the target group within the year (without being homeless
    first) are left out of both numerator and denominator.
    """
    if record.spells.size == 0:
        return math.nan
    start_day = record.warmup_years * DAYS_PER_YEAR
    last_day = (record.warmup_years + record.observed_years) * DAYS_PER_YEAR - RETENTION_DAYS
    starts, ends, how = record.spells[:, 0], record.spells[:, 1], record.spells[:, 2]
    within_year = ends - starts < RETENTION_DAYS
    left = (how == SpellEnd.EXIT) & within_year
    eligible = (starts >= start_day) & (starts <= last_day) & ~left
    total = int(eligible.sum())
    if total == 0:
        return math.nan
    failed = (how == SpellEnd.HOMELESS) & within_year
    return float((eligible & ~failed).sum() / total)


def replications_frame(
    records: list[ReplicationRecord], compiled: CompiledScenario
) -> pd.DataFrame:
    """Tidy table ``replication, metric, place, value`` for all replications."""
    rows = [
        (record.replication, metric, place, value)
        for record in records
        for metric, place, value in replication_metrics(record, compiled)
    ]
    return pd.DataFrame(rows, columns=["replication", "metric", "place", "value"])


def summarise(replications: pd.DataFrame) -> pd.DataFrame:
    """Mean, sd and 95 % Student-t interval over replications, per metric and place.

    Replications where a metric is undefined (NaN, e.g. no admissions) are left out of
    that metric's summary; ``n`` says how many remained.
    """
    rows = []
    for (metric, place), group in replications.groupby(["metric", "place"], sort=False):
        values = group["value"].to_numpy(dtype=float)
        values = values[~np.isnan(values)]
        rows.append((metric, place, *interval(values)))
    return pd.DataFrame(
        rows, columns=["metric", "place", "mean", "sd", "ci_low", "ci_high", "n"]
    )


def interval(
    values: np.ndarray, confidence: float = CONFIDENCE
) -> tuple[float, float, float, float, int]:
    """Mean, sd, and the t-interval of the mean (95 % by default), with the number of values."""
    n = int(values.size)
    if n == 0:
        return math.nan, math.nan, math.nan, math.nan, 0
    mean = float(values.mean())
    if n == 1:
        return mean, math.nan, math.nan, math.nan, 1
    sd = float(values.std(ddof=1))
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * sd / math.sqrt(n)
    return mean, sd, mean - half, mean + half, n
