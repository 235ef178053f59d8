"""The measures a municipality reports to the state, computed from the recorded stays.

Norway's goals for temporary housing are stated as measures: temporary housing only for
short stays, at most three months, and no children in temporary housing over time;
KOSTRA (SSB) asks municipalities how many households stayed in temporary housing longer
than three months, and NIBR counts homeless people in week 48 (NIBR-rapport 2021:10).
This module computes them from :attr:`~bosim.engine.record.ReplicationRecord.stays`, so
they are plain functions of the records, like every other metric. The definitions are in
:mod:`bosim.analysis.metric_table`; docs/metrics.md says where each comes from.

Decisions (also in docs/model.md):

- **Temporary housing** (midlertidig botilbud, the Social Services Act's § 27 offer) is
  the kinds ``acute`` (hospits, shelters, akutt overnatting) and ``temporary``
  (midlertidig botilbud): both are the temporary offers KOSTRA counts. Consecutive stays
  of one household in such places (a shelter, then temporary housing, with no day
  between) are one episode: the goal is about the time spent in temporary housing, not
  in one building.
- **Three months** is 3 x 365/12 = 91.25 days. An episode counts in a year when it
  overlaps the year; it is long when it has lasted more than three months by the end of
  that year (or by its end, if sooner): nothing is read from the future.
- **The count day** is noon of day 332 (counted from 0) of each observed year: the
  middle (Thursday) of week 48 in a year that starts on a Monday, as the first simulated
  year does (bosim's years are 365 days, so later years start on other weekdays; the
  count stays in late November, as NIBR's does).
- **Homeless in the NIBR sense** at the count: in a ``street`` place (including hidden
  homeless, a place with ``hidden = true``: staying with family or friends), an
  ``acute`` or a ``temporary`` place, or in an institution without a unit to return to
  (no unit kept for them) when the stay there ends within two months (60.8 days) and
  they then go to a place that is not housing. NIBR counts persons; adults and children
  are counted apart (``homeless_week48`` the adults, ``homeless_children_week48`` the
  children with them), from ``segments.household``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from bosim.engine import CompiledScenario, ReplicationRecord
from bosim.engine.record import StayColumn
from bosim.scenario import Scenario
from bosim.units import DAYS_PER_MONTH, DAYS_PER_YEAR

TEMPORARY_HOUSING_KINDS = frozenset({"acute", "temporary"})
"""Place kinds that are temporary housing (midlertidig botilbud) in KOSTRA's sense."""
NIBR_KINDS = frozenset({"street", "acute", "temporary"})
"""Place kinds whose people NIBR counts as homeless, wherever they are at the count."""
LONG_STAY_DAYS = 3 * DAYS_PER_MONTH
"""Three months, in days (91.25): the national goal's longest stay in temporary housing."""
COUNT_DAY = 332.5
"""Day of the year of the point count (noon of day 332, from 0): Thursday of week 48."""
DISCHARGE_DAYS = 2 * DAYS_PER_MONTH
"""An institution resident without a home is counted when leaving within two months."""

Row = tuple[str, str, str, float]
"""(metric, segment, place, value); segment and place are '' for totals."""
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Episodes:
    """Continuous episodes of households in temporary housing (days from day 0)."""

    segment: npt.NDArray[np.int64]
    start: FloatArray
    end: FloatArray


def temporary_housing(scenario: Scenario) -> BoolArray:
    """By place index: whether the place is temporary housing (kinds acute, temporary)."""
    kinds: BoolArray = np.array([place.kind in TEMPORARY_HOUSING_KINDS
                                 for place in scenario.places.values()], dtype=bool)
    return kinds


def nibr_homeless(scenario: Scenario) -> BoolArray:
    """By place index: whether people there are homeless in NIBR's count.

    Street (also hidden), acute and temporary places; a place marked ``hidden`` counts
    whatever its kind. Institutions are decided per stay (:func:`counted_in_institution`).
    """
    counted: BoolArray = np.array(
        [place.kind in NIBR_KINDS or bool(getattr(place, "hidden", False))
         for place in scenario.places.values()], dtype=bool)
    return counted


def temporary_episodes(stays: FloatArray, temporary: BoolArray) -> Episodes:
    """Join each person's back-to-back stays in temporary housing into episodes."""
    rows = stays[temporary[stays[:, StayColumn.PLACE].astype(int)]]
    rows = rows[rows[:, StayColumn.END] > rows[:, StayColumn.START]]
    if not rows.size:
        empty = np.empty(0)
        return Episodes(np.empty(0, dtype=np.int64), empty, empty)
    rows = rows[np.lexsort((rows[:, StayColumn.START], rows[:, StayColumn.PERSON]))]
    person = rows[:, StayColumn.PERSON]
    continues = np.zeros(len(rows), dtype=bool)
    continues[1:] = (person[1:] == person[:-1]) & (
        rows[1:, StayColumn.START] == rows[:-1, StayColumn.END])
    episode = np.cumsum(~continues) - 1
    firsts = np.flatnonzero(~continues)
    end = np.zeros(len(firsts))
    np.maximum.at(end, episode, rows[:, StayColumn.END])
    return Episodes(rows[firsts, StayColumn.SEGMENT].astype(np.int64),
                    rows[firsts, StayColumn.START], end)


def counted_in_institution(record: ReplicationRecord, scenario: Scenario,
                           when: float, horizon: float) -> BoolArray:
    """By stay row: in an institution at ``when`` and counted as homeless by NIBR's rule.

    That is: no unit kept for them, and out within two months to a place that is not
    housing.
    """
    stays = record.stays
    kinds = np.array([place.kind for place in scenario.places.values()], dtype=object)
    places = stays[:, StayColumn.PLACE].astype(int)
    start, end = stays[:, StayColumn.START], stays[:, StayColumn.END]
    chosen: BoolArray = (kinds[places] == "institution") & (start <= when) & (when < end)
    chosen &= (end - when <= DISCHARGE_DAYS) & (end < horizon)
    if not chosen.any():
        return chosen
    housed = np.isin(kinds, ["shared", "housing_first", "ordinary"])
    order = np.lexsort((start, stays[:, StayColumn.PERSON]))
    following = np.full(len(stays), -1)
    same = stays[order[1:], StayColumn.PERSON] == stays[order[:-1], StayColumn.PERSON]
    following[order[:-1][same]] = order[1:][same]
    next_place = np.where(following >= 0, places[following], -1)
    # Leaving the target group (no next stay) is not a discharge to homelessness.
    counted: BoolArray = chosen & (next_place >= 0) & ~housed[np.maximum(next_place, 0)]
    return counted


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


def measure_rows(record: ReplicationRecord, scenario: Scenario,
                 compiled: CompiledScenario) -> list[Row]:
    """The municipal measures of one replication: totals, per segment, and per place."""
    adults = np.array([segment.household.adults for segment in scenario.segments], dtype=float)
    children = np.array([segment.household.children for segment in scenario.segments],
                        dtype=float)
    episodes = temporary_episodes(record.stays, temporary_housing(scenario))
    years = range(record.warmup_years, record.warmup_years + record.observed_years)
    horizon = (record.warmup_years + record.observed_years) * DAYS_PER_YEAR
    homeless = nibr_homeless(scenario)
    stays = record.stays
    stay_segment = stays[:, StayColumn.SEGMENT].astype(int)
    stay_place = stays[:, StayColumn.PLACE].astype(int)
    segments = len(compiled.segment_names)
    # Sums over the observed years, by segment: [measure, segment].
    totals = {name: np.zeros(segments) for name in (
        "in_temporary", "long", "long_children", "child_days", "temporary_at_count",
        "temporary_children_at_count", "homeless_at_count", "homeless_children_at_count")}
    by_place = np.zeros(len(scenario.places))
    for year in years:
        year_start, year_end = year * DAYS_PER_YEAR, (year + 1) * DAYS_PER_YEAR
        overlap = (episodes.start < year_end) & (episodes.end > year_start)
        lasted = np.minimum(episodes.end, year_end) - episodes.start
        long = overlap & (lasted > LONG_STAY_DAYS)
        days = np.clip(np.minimum(episodes.end, year_end) - np.maximum(episodes.start,
                                                                       year_start), 0, None)
        when = year_start + COUNT_DAY
        present = (episodes.start <= when) & (when < episodes.end)
        segment = episodes.segment
        totals["in_temporary"] += np.bincount(segment[overlap], minlength=segments)
        totals["long"] += np.bincount(segment[long], minlength=segments)
        totals["long_children"] += np.bincount(segment[long], minlength=segments) * children
        totals["child_days"] += np.bincount(segment, weights=days, minlength=segments) * children
        totals["temporary_at_count"] += np.bincount(segment[present], minlength=segments)
        totals["temporary_children_at_count"] += (
            np.bincount(segment[present], minlength=segments) * children)
        counted = (homeless[stay_place] & (stays[:, StayColumn.START] <= when)
                   & (when < stays[:, StayColumn.END]))
        counted |= counted_in_institution(record, scenario, when, horizon)
        households = np.bincount(stay_segment[counted], minlength=segments)
        totals["homeless_at_count"] += households * adults
        totals["homeless_children_at_count"] += households * children
        by_place += np.bincount(stay_place[counted], weights=adults[stay_segment[counted]],
                                minlength=len(scenario.places))
    observed = float(record.observed_years)
    rows: list[Row] = []
    chosen_segments = [("", slice(None))] + [
        (name, slice(index, index + 1)) for index, name in enumerate(compiled.segment_names)]
    for label, chosen in chosen_segments:
        part = {name: float(values[chosen].sum()) for name, values in totals.items()}
        rows += [
            ("temporary_stays_over_3_months", label, "", part["long"] / observed),
            ("temporary_stays_over_3_months_share", label, "",
             _ratio(part["long"], part["in_temporary"])),
            ("children_temporary_over_3_months", label, "", part["long_children"] / observed),
            ("child_days_temporary", label, "", part["child_days"] / observed),
            ("temporary_households_week48", label, "", part["temporary_at_count"] / observed),
            ("temporary_children_week48", label, "",
             part["temporary_children_at_count"] / observed),
            ("homeless_week48", label, "", part["homeless_at_count"] / observed),
            ("homeless_children_week48", label, "",
             part["homeless_children_at_count"] / observed),
        ]
    rows += [("homeless_week48", "", name, float(by_place[index] / observed))
             for index, name in enumerate(compiled.place_names)
             if homeless[index] or scenario.places[name].kind == "institution"]
    return rows


COLUMNS = ["sample", "replication", "metric", "segment", "place", "value"]


def measures_frame(records: list[ReplicationRecord], scenario: Scenario,
                   compiled: CompiledScenario) -> pd.DataFrame:
    """``sample, replication, metric, segment, place, value`` of the municipal measures.

    Empty unless the scenario asks for them (``reporting.municipal_measures``).
    """
    if not scenario.reporting.municipal_measures:
        return pd.DataFrame(columns=COLUMNS)
    rows = [(record.sample, record.replication, *row)
            for record in records for row in measure_rows(record, scenario, compiled)]
    return pd.DataFrame(rows, columns=COLUMNS)
