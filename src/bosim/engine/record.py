"""What one replication leaves behind: the record schema the engine fills.

The engine's :class:`~bosim.engine.recorder.Recorder` writes a :class:`ReplicationRecord`;
everything downstream (tables, metrics, money) reads it and nothing else. Exposures are
kept compactly (person-days and unit-days by year, place and segment; counts of events)
so that money can be applied afterwards without simulating again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class Count(IntEnum):
    """Events counted by year, place and segment."""

    ADMISSION = 0
    END_OF_STAY = 1
    BREAKDOWN = 2
    EXIT = 3
    CRISIS_HANDLED = 4
    CRISIS_UNHANDLED = 5
    EMERGENCY = 6
    """Emergencies after crises, including admissions refused by a full institution."""
    INSTITUTION_FULL = 7
    """Admissions after a crisis that a full institution could not take."""
    FOUND = 8
    """People found by outreach in a hidden place (counted at the hidden place)."""


class SpellEnd(IntEnum):
    """How a housing spell (from a housing start) was last seen."""

    HOMELESS = 0
    """The person entered a homeless place."""
    EXIT = 1
    """The person left the target group."""
    CENSORED = 2
    """Still without homelessness at the horizon."""


class SpellColumn(IntEnum):
    """Columns of :attr:`ReplicationRecord.spells`."""

    START = 0
    """Day the person moved into housing from a non-housed place."""
    END = 1
    """Day the spell ended (or the horizon)."""
    ENDING = 2
    """A :class:`SpellEnd`."""
    SEGMENT = 3
    """The person's segment index."""


class StayColumn(IntEnum):
    """Columns of :attr:`ReplicationRecord.stays`."""

    PERSON = 0
    """The person's number in the replication."""
    SEGMENT = 1
    """The person's segment index."""
    PLACE = 2
    """The place index."""
    START = 3
    """Day the person moved into the place (from day 0 of the simulation)."""
    END = 4
    """Day they gave up the unit: moved on, left the target group, or the horizon."""


STAY_COLUMNS = len(StayColumn)


def no_stays() -> FloatArray:
    """An empty stays array (for records made by hand or before stays were kept)."""
    return np.empty((0, STAY_COLUMNS), dtype=np.float64)


class EventKind(StrEnum):
    """What the trace logs (``events.parquet``'s ``event`` column)."""

    ARRIVAL = "arrival"
    ADMISSION = "admission"
    END_OF_STAY = "end_of_stay"
    LEAVE = "leave"
    """Left a ``when_ready = "leave"`` place, or an institution, to wait elsewhere."""
    BREAKDOWN = "breakdown"
    EXIT = "exit"
    CRISIS_HANDLED = "crisis_handled"
    CRISIS_UNHANDLED = "crisis_unhandled"
    EMERGENCY = "emergency"
    RETURN = "return"
    """Back from an institution to the unit the person kept."""
    FOUND = "found"
    """Found by an outreach team in a hidden place; the person's stay there ends."""


TraceRow = tuple[float, int, int, EventKind, int, int]
"""(time in days from day 0, person, segment, event, place, target); place -1 is none."""


@dataclass
class ReplicationRecord:
    """Everything tables, metrics and costs need from one replication.

    Index names: ``year`` is the simulated year (``warmup_years`` is observed year 0),
    ``place`` and ``segment`` are positions in the compiled scenario's name tuples.

    Attributes:
        sample: the parameter draw (0 for a plain run).
        replication: replication number within the sample.
        warmup_years, observed_years: the window.
        person_days: ``[year, place, segment]`` days spent by people in the place.
        held_days: ``[year, place]`` unit-days held for people away in an institution.
        queue_days: ``[year, place]`` person-days spent waiting for the place.
        blocked_days: ``[year, place]`` person-days in the place while ready to move.
        unit_days: ``[year, place]`` open units times days (occupied units for unlimited
            places).
        counts: ``[Count, year, place, segment]`` events.
        arrivals: ``[year, segment]`` new people.
        waits: ``waits[place][segment]``: waits (days) of admissions in the observed
            window of people headed for the place.
        open_waits: ``open_waits[place][segment]``: days waited so far by the people
            still in the place's queue at the horizon.
        spells: ``[n, 4]`` housing spells, columns as :class:`SpellColumn`: from a housing
            start to the first homeless place, an exit or the horizon.
        flows: ``[segment, origin, destination]`` moves in the observed window; the last
            origin and destination index stands for outside (arrivals and exits).
        month_occupancy, month_queue: ``[month, place]`` time-averages per month
            (occupancy counts units held for people away).
        crisis_hours: ``[year, team]`` staff hours spent on crises.
        people_start, people_end: ``[place, segment]`` present at window start and end.
        events: the trace, or None without ``trace``.
        stays: ``[n, 5]`` every stay in a place, columns as :class:`StayColumn`, warm-up
            included: from moving in to giving up the unit. A stay goes on while the person
            is away in an institution with the unit kept for them (the institution stay is
            not a row); an institution row is a stay without a unit to return to.
        found: ``[n, 2]`` people found by outreach in the observed window: (segment,
            days from entering the hidden place to being found); empty without outreach.

    """

    sample: int
    replication: int
    warmup_years: int
    observed_years: int
    person_days: FloatArray
    held_days: FloatArray
    queue_days: FloatArray
    blocked_days: FloatArray
    unit_days: FloatArray
    counts: IntArray
    arrivals: IntArray
    waits: list[list[FloatArray]]
    open_waits: list[list[FloatArray]]
    spells: FloatArray
    flows: IntArray
    month_occupancy: FloatArray
    month_queue: FloatArray
    crisis_hours: FloatArray
    people_start: IntArray
    people_end: IntArray
    events: list[TraceRow] | None = None
    stays: FloatArray = field(default_factory=no_stays)
    found: FloatArray = field(default_factory=lambda: np.empty((0, 2)))

    @property
    def window(self) -> slice:
        """Index of the observed years in the per-year arrays."""
        return slice(self.warmup_years, self.warmup_years + self.observed_years)
