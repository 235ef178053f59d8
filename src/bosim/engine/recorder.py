"""The engine's meter: it fills one :class:`~bosim.engine.record.ReplicationRecord`.

Each place has a :class:`PlaceMeter` that integrates the place's counts over time
(person-days by segment, queue-days, blocked days, held unit-days, open unit-days). The
places module brings a meter up to the current day before it changes any count of the
place, so the meter adds "count x days since the last change" and nothing ticks per
day. Integrals are cumulative; year and month ends snapshot them, and the per-year and
per-month values are differences of snapshots.

The :class:`Recorder` also counts events, keeps waits, housing spells, flows between
places and, on request, the event trace. It never prices or summarises.
"""

from __future__ import annotations

import math
from array import array
from typing import NamedTuple, Protocol

import numpy as np

from bosim.engine.compiled import CompiledScenario
from bosim.engine.person import Person
from bosim.engine.record import (
    STAY_COLUMNS,
    Count,
    EventKind,
    FloatArray,
    ReplicationRecord,
    SpellEnd,
    TraceRow,
)
from bosim.units import DAYS_PER_MONTH, MONTHS_PER_YEAR

ADMISSION = int(Count.ADMISSION)
EXIT = int(Count.EXIT)
ENDED_HOMELESS = int(SpellEnd.HOMELESS)
ENDED_BY_EXIT = int(SpellEnd.EXIT)
INFINITY = math.inf


class PlaceCounts(Protocol):
    """The counts of a place that its meter integrates over time."""

    by_segment: list[int]
    """People present, by segment."""
    present: int
    held: int
    """Units held for people away in an institution."""
    blocked: int
    """People present whose stay has ended."""
    headed: int
    """People in the queue headed for the place."""
    capacity: float
    """Open units (inf: unlimited)."""


class PlaceMeter:
    """Time integrals of one place's counts, in days, since day 0."""

    __slots__ = (
        "blocked_days",
        "held_days",
        "last",
        "person_days",
        "place",
        "queue_days",
        "unit_days",
    )

    def __init__(self, place: PlaceCounts) -> None:
        self.place = place
        self.last = 0.0
        """Day up to which the integrals are complete."""
        self.person_days = [0.0] * len(place.by_segment)
        """By segment."""
        self.queue_days = 0.0
        self.blocked_days = 0.0
        self.held_days = 0.0
        self.unit_days = 0.0
        """Open units times days: the capacity, or the units taken where that is more
        (unlimited places, units closing as they are vacated)."""

    def advance(self, now: float) -> None:
        """Bring the integrals up to day ``now``; call before any count of the place changes."""
        elapsed = now - self.last
        if elapsed <= 0.0:
            return
        self.last = now
        place = self.place
        occupied = place.present
        if occupied:
            person_days = self.person_days
            by_segment = place.by_segment
            if by_segment[0] == occupied:  # all of the first segment (always, with one)
                person_days[0] += occupied * elapsed
            else:
                for segment, people in enumerate(by_segment):
                    if people:
                        person_days[segment] += people * elapsed
        queued = place.headed
        if queued:
            self.queue_days += queued * elapsed
        blocked = place.blocked
        if blocked:
            self.blocked_days += blocked * elapsed
        held = place.held
        if held:
            self.held_days += held * elapsed
            occupied += held
        capacity = place.capacity
        # Units close only as they are vacated, so a shrinking place keeps paying for them.
        open_units = occupied if capacity == INFINITY or occupied > capacity else capacity
        self.unit_days += open_units * elapsed

    def occupancy_days(self) -> float:
        """Units taken times days: people present and units held for people away."""
        return sum(self.person_days) + self.held_days


class _YearMark(NamedTuple):
    """The meters' integrals at a year end, by place."""

    person_days: list[list[float]]
    queue_days: list[float]
    blocked_days: list[float]
    unit_days: list[float]
    held_days: list[float]


class Recorder:
    """Measures one replication as it runs and hands over its record.

    Args:
        compiled: the scenario's tables.
        sample: the parameter draw (0 for a plain run).
        replication: the replication number.
        trace: keep the event log.

    """

    def __init__(
        self, compiled: CompiledScenario, sample: int, replication: int, trace: bool = False
    ) -> None:
        self.compiled = compiled
        self.sample = sample
        self.replication = replication
        self.tracing = trace
        places = len(compiled.place_names)
        segments = len(compiled.segment_names)
        years = compiled.simulated_years
        self.year = 0
        """The simulated year now."""
        self.in_window = compiled.warmup_years == 0
        """The observed window has started."""
        self.meters: list[PlaceMeter] = []
        self._housed = compiled.housed
        self._homeless = compiled.homeless
        self._counts = [
            [[[0] * segments for _ in range(places)] for _ in Count] for _ in range(years)
        ]
        """``[year][Count][place][segment]``."""
        self._year_counts = self._counts[0]
        self._arrivals = [[0] * segments for _ in range(years)]
        self._crisis_hours = [[0.0] * len(compiled.teams) for _ in range(years)]
        self._waits: list[list[list[float]]] = [
            [[] for _ in range(segments)] for _ in range(places)
        ]
        self._open_waits: list[list[list[float]]] = [
            [[] for _ in range(segments)] for _ in range(places)
        ]
        self._spells: list[tuple[float, float, int, int]] = []
        self._open_spells: dict[int, Person] = {}
        """Person id to person, for housing spells still running."""
        self._flows = [[[0] * (places + 1) for _ in range(places + 1)] for _ in range(segments)]
        """``[segment][origin][destination]``; index -1 (the last) is outside."""
        self._year_marks: list[_YearMark] = []
        self._month_occupancy: list[list[float]] = []
        self._month_queue: list[list[float]] = []
        self._people_start = [[0] * segments for _ in range(places)]
        self._stays = array("d")
        """Finished stays, flat: rows of :class:`~bosim.engine.record.StayColumn`."""
        self._open_stays: dict[int, tuple[int, int, float]] = {}
        """Person id to (segment, place, day moved in), for stays still running."""
        self.events: list[TraceRow] | None = [] if trace else None

    def watch(self, place: PlaceCounts) -> PlaceMeter:
        """A new meter for ``place``; places must be watched in the order of their index."""
        meter = PlaceMeter(place)
        self.meters.append(meter)
        return meter

    # ------------------------------------------------------------------ events

    def count(self, event: int, place: int, segment: int) -> None:
        """Count an event (a :class:`Count`) at ``place`` in the current year."""
        self._year_counts[event][place][segment] += 1

    def admission(self, place: int, segment: int, waited: float) -> None:
        """Someone was admitted to the place they were headed for after ``waited`` days.

        The wait is kept only in the observed window.
        """
        self._year_counts[ADMISSION][place][segment] += 1
        if self.in_window:
            self._waits[place][segment].append(waited)

    def arrival(self, segment: int) -> None:
        """Count a new person of ``segment`` in the current year."""
        self._arrivals[self.year][segment] += 1

    def open_wait(self, place: int, segment: int, days: float) -> None:
        """Someone still in line for ``place`` at the horizon, after ``days`` so far."""
        self._open_waits[place][segment].append(days)

    def move(self, segment: int, origin: int, destination: int) -> None:
        """Someone moved (place indices; -1 is outside: arrival or exit), counted in the window."""
        if self.in_window:
            self._flows[segment][origin][destination] += 1

    def crisis_hours(self, team: int, hours: float) -> None:
        """Staff of ``team`` spent ``hours`` on a crisis (counted in the current year)."""
        self._crisis_hours[self.year][team] += hours

    def log(self, now: float, person: Person, event: EventKind, place: int, target: int) -> None:
        """Add a row to the trace (only with ``trace``)."""
        if self.events is not None:
            self.events.append((now, person.id, person.segment, event, place, target))

    # ------------------------------------------------------------ housing spells

    def entered(self, person: Person, origin: int, place: int, now: float) -> None:
        """``person`` moved from ``origin`` (-1: outside) into ``place``.

        Counted as a flow in the window; a housing start opens a spell, a homeless place
        ends it.
        """
        if self.in_window:
            self._flows[person.segment][origin][place] += 1
        open_stays = self._open_stays
        if person.id in open_stays:
            self._close_stay(person.id, now)
        open_stays[person.id] = (person.segment, place, now)
        if self._housed[place]:
            if not person.was_housed and person.spell_start < 0.0:
                person.spell_start = now
                self._open_spells[person.id] = person
            person.was_housed = True
        else:
            person.was_housed = False
            if self._homeless[place] and person.spell_start >= 0.0:
                self._close_spell(person, ENDED_HOMELESS, now)

    def exit(self, person: Person, place: int, now: float) -> None:
        """``person`` left the target group from ``place``: counted, a flow to outside."""
        segment = person.segment
        self._year_counts[EXIT][place][segment] += 1
        if self.in_window:
            self._flows[segment][place][-1] += 1
        if person.spell_start >= 0.0:
            self._close_spell(person, ENDED_BY_EXIT, now)
        if person.id in self._open_stays:
            self._close_stay(person.id, now)

    def _close_stay(self, person: int, now: float) -> None:
        segment, place, start = self._open_stays.pop(person)
        self._stays.extend((person, segment, place, start, now))

    def _close_spell(self, person: Person, how: int, now: float) -> None:
        self._spells.append((person.spell_start, now, how, person.segment))
        del self._open_spells[person.id]
        person.spell_start = -1.0

    # ------------------------------------------------------------------ calendar

    def close_month(self, now: float) -> None:
        """Snapshot the integrals at the end of a month."""
        for meter in self.meters:
            meter.advance(now)
        self._month_occupancy.append([meter.occupancy_days() for meter in self.meters])
        self._month_queue.append([meter.queue_days for meter in self.meters])

    def close_year(self, now: float) -> None:
        """Snapshot the integrals at the end of a simulated year and move to the next."""
        self._mark_year(now)
        self.year += 1
        self._year_counts = self._counts[self.year]
        if self.year == self.compiled.warmup_years:
            self.open_window()

    def open_window(self) -> None:
        """The observed window starts now: note who is present."""
        self.in_window = True
        self._people_start = [list(meter.place.by_segment) for meter in self.meters]

    def _mark_year(self, now: float) -> None:
        meters = self.meters
        for meter in meters:
            meter.advance(now)
        self._year_marks.append(_YearMark(
            person_days=[list(meter.person_days) for meter in meters],
            queue_days=[meter.queue_days for meter in meters],
            blocked_days=[meter.blocked_days for meter in meters],
            unit_days=[meter.unit_days for meter in meters],
            held_days=[meter.held_days for meter in meters],
        ))

    # -------------------------------------------------------------------- result

    def finish(self, horizon: float) -> ReplicationRecord:
        """Close the books at the horizon (day) and hand over the record."""
        compiled = self.compiled
        years = compiled.simulated_years
        while len(self._month_occupancy) < years * MONTHS_PER_YEAR:
            self.close_month(horizon)
        while len(self._year_marks) < years:  # the final year ends at the horizon
            self._mark_year(horizon)
        for person in self._open_spells.values():  # censored at the horizon
            self._spells.append(
                (person.spell_start, horizon, int(SpellEnd.CENSORED), person.segment)
            )
        for person_id in list(self._open_stays):  # still there at the horizon
            self._close_stay(person_id, horizon)
        marks = self._year_marks

        def per_year(values: list[list[float]] | list[list[list[float]]]) -> FloatArray:
            # Differences of cumulative snapshots, the first from zero.
            return np.diff(np.array(values, dtype=np.float64), axis=0, prepend=0.0)

        def per_month(values: list[list[float]]) -> FloatArray:
            return per_year(values) / DAYS_PER_MONTH

        def days(values: list[list[list[float]]]) -> list[list[FloatArray]]:
            return [[np.array(by_segment, dtype=np.float64) for by_segment in by_place]
                    for by_place in values]

        return ReplicationRecord(
            sample=self.sample,
            replication=self.replication,
            warmup_years=compiled.warmup_years,
            observed_years=compiled.observed_years,
            person_days=per_year([mark.person_days for mark in marks]),
            held_days=per_year([mark.held_days for mark in marks]),
            queue_days=per_year([mark.queue_days for mark in marks]),
            blocked_days=per_year([mark.blocked_days for mark in marks]),
            unit_days=per_year([mark.unit_days for mark in marks]),
            counts=np.array(self._counts, dtype=np.int64).transpose(1, 0, 2, 3).copy(),
            arrivals=np.array(self._arrivals, dtype=np.int64),
            waits=days(self._waits),
            open_waits=days(self._open_waits),
            spells=np.array(self._spells, dtype=np.float64).reshape(-1, 4),
            flows=np.array(self._flows, dtype=np.int64),
            month_occupancy=per_month(self._month_occupancy),
            month_queue=per_month(self._month_queue),
            crisis_hours=np.array(self._crisis_hours, dtype=np.float64).reshape(
                years, len(compiled.teams)
            ),
            people_start=np.array(self._people_start, dtype=np.int64),
            people_end=np.array(
                [meter.place.by_segment for meter in self.meters], dtype=np.int64
            ).reshape(len(self.meters), len(compiled.segment_names)),
            events=self.events,
            stays=np.frombuffer(self._stays, dtype=np.float64).reshape(-1, STAY_COLUMNS).copy(),
        )
