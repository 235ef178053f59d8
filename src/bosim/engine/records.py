"""What one replication leaves behind: exposures, counts, waits, housing spells, trace.

The :class:`Recorder` is the engine's meter. It integrates occupancy, queues and
blocking over time (person-days and unit-days by place, segment and year) so that
money can be applied afterwards without simulating again. It never prices or
summarises; :mod:`bosim.metrics` does that from the :class:`ReplicationRecord`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from bosim.engine.compiled import DAYS_PER_YEAR, CompiledScenario

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
MONTHS_PER_YEAR = 12
DAYS_PER_MONTH = DAYS_PER_YEAR / MONTHS_PER_YEAR
RETENTION_DAYS = 365.0
"""A housing start counts as retained if the person is not homeless within this many days."""


class Count(IntEnum):
    """Events counted by place, segment and year."""

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


class SpellEnd(IntEnum):
    """How a housing spell (from a housing start) was last seen."""

    HOMELESS = 0
    """The person entered a homeless place."""
    EXIT = 1
    """The person left the target group."""
    CENSORED = 2
    """Still without homelessness at the horizon."""


@dataclass
class ReplicationRecord:
    """Everything metrics and costs need from one replication (all arrays by simulated year).

    Attributes:
        replication: replication number.
        warmup_years, observed_years: the window; simulated year ``warmup_years`` is
            observed year 0.
        person_days: ``[year, place, segment]`` days spent by people in the place.
        held_days: ``[year, place]`` unit-days held for people away in an institution.
        queue_days: ``[year, place]`` person-days spent waiting for the place.
        blocked_days: ``[year, place]`` person-days in the place while ready to move.
        unit_days: ``[year, place]`` open units times days (occupied units for unlimited places).
        counts: ``[Count, year, place, segment]`` events.
        arrivals: ``[year, segment]`` new people.
        waits: per place, waits (days) of admissions in the observed window.
        spells: ``[n, 3]`` housing spells: (start day, end day, :class:`SpellEnd`), from a
            housing start to the first homeless place, an exit or the horizon.
        flows: ``[from, to]`` moves between places in the observed window; the last row
            and column stand for outside the system (arrivals and exits).
        month_occupancy, month_queue: ``[month, place]`` time-averages per month
            (occupancy counts units held for people away).
        crisis_hours: ``[year, team]`` staff hours spent on crises.
        fte_days: ``[year, team]`` full-time equivalents times days (for team costs).
        people_start, people_end: ``[place, segment]`` present at window start and end.
        events: the trace (time, person, segment, event, place, target), or None.

    """

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
    waits: list[FloatArray]
    spells: FloatArray
    month_occupancy: FloatArray
    month_queue: FloatArray
    people_start: IntArray
    people_end: IntArray
    crisis_hours: FloatArray
    fte_days: FloatArray
    flows: IntArray
    events: list[tuple[float, int, int, str, int, int]] | None = None

    @property
    def window(self) -> slice:
        """Index of the observed years in the per-year arrays."""
        return slice(self.warmup_years, self.warmup_years + self.observed_years)


@dataclass
class Recorder:
    """Integrates the state of the places over time and counts events.

    The engine calls :meth:`occupancy`, :meth:`queue` and :meth:`blocked` whenever a
    count changes; each call first brings the place's time-integrals up to ``now``.
    Integrals are cumulative; :meth:`close_year` and :meth:`close_month` snapshot them,
    and the per-year values are differences of snapshots.
    """

    compiled: CompiledScenario
    trace: bool = False
    _segments: int = field(init=False)
    _places: int = field(init=False)
    _years: int = field(init=False)

    def __post_init__(self) -> None:
        compiled = self.compiled
        places = self._places = len(compiled.place_names)
        segments = self._segments = len(compiled.segment_names)
        years = self._years = compiled.simulated_years
        self.year = 0
        self.in_window = compiled.warmup_years == 0
        self.place_occupancy = [0] * places
        self.segment_occupancy = [0] * (places * segments)
        self.queue_length = [0] * places
        self.blocked_count = [0] * places
        self.held_count = [0] * places
        self._held_area = [0.0] * places
        self._crisis_hours = [0.0] * (years * len(compiled.teams))
        self._capacity = [c[0] for c in compiled.capacity]
        self._last = [0.0] * places
        self._person_area = [0.0] * (places * segments)
        self._queue_area = [0.0] * places
        self._blocked_area = [0.0] * places
        self._unit_area = [0.0] * places
        self._year_marks: list[list[float]] = [self._integrals()]
        self._month_marks: list[list[float]] = [self._month_integrals()]
        self._counts_flat: list[int] = [0] * (len(Count) * years * places * segments)
        self.arrivals = [0] * (years * segments)
        self.waits: list[list[float]] = [[] for _ in range(places)]
        self.spells: list[tuple[float, float, int]] = []
        self._moves = [0] * ((places + 1) * (places + 1))
        self.people_start = [0] * (places * segments)
        self.events: list[tuple[float, int, int, str, int, int]] | None = [] if self.trace else None

    # ------------------------------------------------------------------ time integrals

    def _bring_up_to(self, place: int, now: float) -> None:
        elapsed = now - self._last[place]
        if elapsed <= 0.0:
            return
        self._last[place] = now
        occupied = self.place_occupancy[place]
        if occupied:
            segments = self._segments
            base = place * segments
            area = self._person_area
            counts = self.segment_occupancy
            for position in range(base, base + segments):
                if counts[position]:
                    area[position] += counts[position] * elapsed
        queued = self.queue_length[place]
        if queued:
            self._queue_area[place] += queued * elapsed
        blocked = self.blocked_count[place]
        if blocked:
            self._blocked_area[place] += blocked * elapsed
        held = self.held_count[place]
        if held:
            self._held_area[place] += held * elapsed
            occupied += held
        capacity = self._capacity[place]
        # Units close only as they are vacated, so a shrinking place keeps paying for them.
        open_units = occupied if capacity == float("inf") or occupied > capacity else capacity
        self._unit_area[place] += open_units * elapsed

    def occupancy(self, place: int, segment: int, change: int, now: float) -> None:
        """A person of ``segment`` moved into (+1) or out of (-1) ``place``."""
        self._bring_up_to(place, now)
        self.place_occupancy[place] += change
        self.segment_occupancy[place * self._segments + segment] += change

    def queue(self, place: int, change: int, now: float) -> None:
        """A person joined (+1) or left (-1) the queue for ``place``."""
        self._bring_up_to(place, now)
        self.queue_length[place] += change

    def blocked(self, place: int, change: int, now: float) -> None:
        """A person in ``place`` became ready to move (+1) or moved on (-1)."""
        self._bring_up_to(place, now)
        self.blocked_count[place] += change

    def held(self, place: int, change: int, now: float) -> None:
        """A unit of ``place`` is held (+1) for someone away in an institution, or freed (-1)."""
        self._bring_up_to(place, now)
        self.held_count[place] += change

    def crisis_hours(self, team: int, hours: float) -> None:
        """Staff of ``team`` spent ``hours`` on a crisis (counted in the current year)."""
        self._crisis_hours[self.year * len(self.compiled.teams) + team] += hours

    def set_capacity(self, place: int, capacity: float, now: float) -> None:
        """The place's capacity changes (a building or closing plan)."""
        self._bring_up_to(place, now)
        self._capacity[place] = capacity

    def _integrals(self) -> list[float]:
        return [
            *self._person_area, *self._queue_area, *self._blocked_area, *self._unit_area,
            *self._held_area,
        ]

    def _month_integrals(self) -> list[float]:
        segments = self._segments
        occupancy = [
            sum(self._person_area[p * segments:(p + 1) * segments]) + self._held_area[p]
            for p in range(self._places)
        ]
        return [*occupancy, *self._queue_area]

    def _bring_all_up_to(self, now: float) -> None:
        for place in range(self._places):
            self._bring_up_to(place, now)

    def close_month(self, now: float) -> None:
        """Snapshot the integrals at the end of a month."""
        self._bring_all_up_to(now)
        self._month_marks.append(self._month_integrals())

    def close_year(self, now: float) -> None:
        """Snapshot the integrals at the end of a simulated year and move to the next."""
        self._bring_all_up_to(now)
        self._year_marks.append(self._integrals())
        self.year += 1
        if self.year == self.compiled.warmup_years:
            self.open_window()

    def open_window(self) -> None:
        """The observed window starts now: note who is present."""
        self.in_window = True
        self.people_start = list(self.segment_occupancy)

    # ------------------------------------------------------------------------- events

    def count(self, event: Count, place: int, segment: int) -> None:
        """Count an event in the current year."""
        position = (
            (event * self._years + self.year) * self._places + place
        ) * self._segments + segment
        self._counts_flat[position] += 1

    def arrival(self, segment: int) -> None:
        """Count a new person of ``segment`` in the current year."""
        self.arrivals[self.year * self._segments + segment] += 1

    def wait(self, place: int, days: float) -> None:
        """An admission to ``place`` after waiting ``days`` (kept only in the window)."""
        if self.in_window:
            self.waits[place].append(days)

    def spell(self, start: float, end: float, how: SpellEnd) -> None:
        """A housing spell from ``start`` to ``end`` (days) and how it ended."""
        self.spells.append((start, end, int(how)))

    def move(self, origin: int, destination: int) -> None:
        """Someone moved (place indices; -1 is outside: arrival or exit), counted in the window."""
        if self.in_window:
            places = self._places
            self._moves[(origin % (places + 1)) * (places + 1) + destination % (places + 1)] += 1

    # ------------------------------------------------------------------------- result

    def finish(self, replication: int, now: float) -> ReplicationRecord:
        """Close the books at the horizon and hand over the record."""
        compiled = self.compiled
        places, segments = self._places, self._segments
        years = compiled.simulated_years
        while len(self._month_marks) <= years * MONTHS_PER_YEAR:
            self.close_month(now)
        while len(self._year_marks) <= years:  # the final year ends at the horizon
            self._bring_all_up_to(now)
            self._year_marks.append(self._integrals())
        marks = np.diff(np.array(self._year_marks), axis=0)
        split = places * segments
        months = np.diff(np.array(self._month_marks), axis=0) / DAYS_PER_MONTH
        return ReplicationRecord(
            replication=replication,
            warmup_years=compiled.warmup_years,
            observed_years=compiled.observed_years,
            person_days=marks[:, :split].reshape(years, places, segments),
            held_days=marks[:, split + 3 * places:],
            queue_days=marks[:, split:split + places],
            blocked_days=marks[:, split + places:split + 2 * places],
            unit_days=marks[:, split + 2 * places:split + 3 * places],
            counts=np.array(self._counts_flat, dtype=np.int64).reshape(
                len(Count), years, places, segments
            ),
            arrivals=np.array(self.arrivals, dtype=np.int64).reshape(years, segments),
            waits=[np.array(w, dtype=np.float64) for w in self.waits],
            spells=np.array(self.spells, dtype=np.float64).reshape(-1, 3),
            flows=np.array(self._moves, dtype=np.int64).reshape(places + 1, places + 1),
            month_occupancy=months[:, :places],
            month_queue=months[:, places:],
            people_start=np.array(self.people_start, dtype=np.int64).reshape(places, segments),
            people_end=np.array(self.segment_occupancy, dtype=np.int64).reshape(places, segments),
            crisis_hours=np.array(self._crisis_hours, dtype=np.float64).reshape(
                years, len(compiled.teams)
            ),
            fte_days=np.array(
                [[team.fte * DAYS_PER_YEAR for team in compiled.teams]] * years, dtype=np.float64
            ).reshape(years, len(compiled.teams)),
            events=self.events,
        )
