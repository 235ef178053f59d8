"""The flow of people through places, as a SimPy discrete-event model.

People arrive, queue for a target place, wait in the best waiting place with room,
are admitted, stay, are ready to move (blocking their unit unless the place says
``when_ready = "leave"``), lose housing through breakdowns and leave the target group.
Only real events are scheduled (arrivals, ends of stay, breakdowns, exits, year and
month ends): nothing ticks per day. Same-time events run in the order SimPy scheduled
them, and nothing iterates a set, so a run is exactly reproducible.

The model writes to a :class:`~bosim.engine.records.Recorder` and never prices,
summarises or touches files.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable

import numpy as np
import simpy

from bosim.engine.compiled import DAYS_PER_YEAR, EXIT_INDEX, CompiledScenario, Route
from bosim.engine.crisis_flow import CrisisFlow
from bosim.engine.records import (
    DAYS_PER_MONTH,
    Count,
    Recorder,
    ReplicationRecord,
    SpellEnd,
)
from bosim.randomness import PersonStream, ReplicationStreams

INFINITY = math.inf
NO_PLACE = -1


class Person:
    """One person in the target group and where they are in their path."""

    __slots__ = (
        "alive",
        "breakdown_at",
        "crisis_row",
        "crisis_rows",
        "decision",
        "epoch",
        "home",
        "home_breakdown_left",
        "home_ready",
        "home_stay_left",
        "id",
        "last_place",
        "place",
        "queued",
        "ready",
        "segment",
        "spell_start",
        "stay_end",
        "stream",
        "target",
        "uniforms",
        "waiting",
        "was_housed",
    )

    def __init__(self, person_id: int, segment: int, stream: PersonStream) -> None:
        self.id = person_id
        self.segment = segment
        self.stream = stream
        self.place = NO_PLACE
        self.last_place = NO_PLACE
        self.target = NO_PLACE
        self.ready = False
        """The stay has ended and the person waits for the next place (blocking)."""
        self.waiting = False
        """The person is in a waiting place, not in their target."""
        self.epoch = 0
        """Bumped when the person moves, so that their stale scheduled events do nothing."""
        self.decision = 0
        """Routing decisions made so far; decision k uses the person's k-th uniforms."""
        self.uniforms: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
        self.queued: dict[int, int] = {}
        """Place to queue ticket, for every queue the person is in."""
        self.breakdown_at = INFINITY
        self.stay_end = INFINITY
        self.crisis_rows: list[list[float]] = []
        """Uniforms for the person's next crises: (gap, handling, outcome, institution stay)."""
        self.crisis_row = 0
        self.home = NO_PLACE
        """The unit kept while the person is away in an institution."""
        self.home_stay_left = INFINITY
        self.home_breakdown_left = INFINITY
        self.home_ready = False
        self.spell_start = -1.0
        self.was_housed = False
        self.alive = True


class HousingModel:
    """One replication of the flow model on a SimPy environment.

    Args:
        compiled: the scenario's tables.
        streams: the replication's random streams.
        trace: keep the event log.

    """

    def __init__(
        self, compiled: CompiledScenario, streams: ReplicationStreams, trace: bool = False
    ) -> None:
        self.compiled = compiled
        self.streams = streams
        self.env = simpy.Environment()
        self.recorder = Recorder(compiled, trace=trace)
        self.horizon = compiled.horizon_days
        places = len(compiled.place_names)
        self.capacity = [c[0] for c in compiled.capacity]
        self.units_used = [0] * places
        """Units taken, by people present and by people away in an institution."""
        self.present = self.recorder.place_occupancy
        self.queues: list[list[tuple[int, int, Person, float]]] = [[] for _ in range(places)]
        self.entries = [0] * places
        """Valid entries in each place's queue: people headed there and people hoping to
        move up the waiting list to it. Only the first kind are the place's queue in the
        metrics (the recorder's queue length)."""
        self._pending: deque[int] = deque()
        self._draining = False
        self._tickets = 0
        self._people = 0
        self._events = self.recorder.events
        self._open_spells: dict[int, float] = {}
        """Person id to housing-start day, for starts whose first year is still running."""
        self.crises = CrisisFlow(self)

    # --------------------------------------------------------------------- scheduling

    def _at(self, time: float, callback: Callable[[simpy.Event], None]) -> None:
        """Run ``callback`` at absolute ``time`` (days), if it is within the horizon."""
        if time < self.horizon:
            event = simpy.Timeout(self.env, time - self.env.now)
            event.callbacks.append(callback)

    def run(self, replication: int) -> ReplicationRecord:
        """Simulate from day 0 to the horizon and return the record."""
        compiled = self.compiled
        for year in range(1, compiled.simulated_years):
            self._at(year * DAYS_PER_YEAR, self._on_year_end)
        for month in range(1, compiled.simulated_years * 12):
            self._at(month * DAYS_PER_MONTH, self._on_month_end)
        self._place_initial_people()
        if compiled.warmup_years == 0:
            self.recorder.open_window()
        for segment in range(len(compiled.segment_names)):
            self._start_arrivals(segment)
        self.env.run(until=self.horizon)
        self._close_open_spells()
        return self.recorder.finish(replication, self.horizon)

    # ----------------------------------------------------------------------- arrivals

    def _arrival_times(self, segment: int) -> np.ndarray:
        """Arrival days of a non-homogeneous Poisson process with yearly rates."""
        rates = self.compiled.arrivals_per_day[segment]
        boundaries = np.arange(len(rates) + 1) * DAYS_PER_YEAR
        hazard = np.concatenate(([0.0], np.cumsum(np.array(rates) * DAYS_PER_YEAR)))
        total = hazard[-1]
        if total <= 0.0:
            return np.empty(0)
        generator = self.streams.generator("arrivals", self.compiled.segment_names[segment])
        gaps: list[np.ndarray] = []
        reached = 0.0
        while reached <= total:
            size = int(total - reached + 5 * math.sqrt(total) + 16)
            chunk = generator.exponential(1.0, size=size)
            gaps.append(chunk)
            reached += float(chunk.sum())
        cumulative = np.cumsum(np.concatenate(gaps))
        cumulative = cumulative[cumulative < total]
        times: np.ndarray = np.interp(cumulative, hazard, boundaries)
        return times

    def _start_arrivals(self, segment: int) -> None:
        times = self._arrival_times(segment).tolist()
        group = self.compiled.segment_names[segment]
        count = len(times)
        position = 0

        def arrive(_: simpy.Event) -> None:
            nonlocal position
            number = position
            position += 1
            if position < count:
                self._at(times[position], arrive)
            self._arrive(segment, self.streams.person(group, number))

        if count:
            self._at(times[0], arrive)

    def _new_person(self, segment: int, stream: PersonStream) -> Person:
        person = Person(self._people, segment, stream)
        self._people += 1
        rate = self.compiled.exit_rate_per_day[segment]
        if rate > 0.0:
            exit_time = self.env.now - math.log1p(-stream.exit_uniform) / rate
            self._at(exit_time, lambda _: self._exit(person))
        if self.compiled.crisis[segment] is not None:
            self.crises.start(person)
        return person

    def _arrive(self, segment: int, stream: PersonStream) -> None:
        person = self._new_person(segment, stream)
        self.recorder.arrival(segment)
        self._log(person, "arrival", NO_PLACE, NO_PLACE)
        route = self.compiled.start_route[segment]
        assert route is not None  # the loader requires a start route for arriving segments
        self._seek(person, self._decide(person, route))

    def _place_initial_people(self) -> None:
        """Put everyone present at time 0 in their place, then send those waiting onwards.

        Everyone is placed before anyone seeks a target, so that a person waiting in
        a shelter cannot take a unit whose own occupant is about to be placed.
        """
        compiled = self.compiled
        waiting: list[Person] = []
        for segment, places in enumerate(compiled.initial):
            name = compiled.segment_names[segment]
            for place, people in places:
                group = f"{name}/initial/{compiled.place_names[place]}"
                for number in range(people):
                    person = self._place_initial_person(
                        segment, place, self.streams.person(group, number)
                    )
                    if person.waiting:
                        waiting.append(person)
        for person in waiting:
            place = person.place
            route = compiled.start_route[person.segment]
            assert route is not None  # the loader requires it for people waiting at time 0
            self._seek(person, self._decide(person, route))
            if person.alive and person.waiting:
                self._queue_for_better_waiting_places(person, place)

    def _place_initial_person(self, segment: int, place: int, stream: PersonStream) -> Person:
        person = self._new_person(segment, stream)
        person.uniforms = stream.visit(0)
        person.decision = 1
        sampler = self.compiled.stay[segment][place]
        if sampler is None and self.compiled.waiting_rank[place] < len(self.compiled.waiting):
            # Someone already waiting at time 0: headed where arrivals are headed.
            self._move_into(person, place, waiting=True)
            return person
        self._move_into(person, place, waiting=False)
        stay = INFINITY
        if sampler is not None:
            u = person.uniforms
            stay = sampler.draw_residual(u[1], u[3], stream.extra)
        self._schedule_stay(person, place, stay)
        return person

    # ------------------------------------------------------------- moving and queueing

    def _decide(self, person: Person, route: Route) -> int:
        """Make the person's next routing decision; returns a place index or EXIT_INDEX."""
        uniforms = person.stream.visit(person.decision)
        person.decision += 1
        person.uniforms = uniforms
        return route.choose(uniforms[0])

    def _seek(self, person: Person, target: int) -> None:
        """Send a person towards ``target``: admitted now, or queued while they wait."""
        if target == EXIT_INDEX:
            self._exit(person)
            return
        now = self.env.now
        if target == person.place:
            # Renewed stay (a route back to the same place) or already waiting there.
            self._leave_queues(person)
            if person.ready:
                person.ready = False
                self.recorder.blocked(target, -1, now)
            person.waiting = False
            person.target = NO_PLACE
            self.recorder.count(Count.ADMISSION, target, person.segment)
            self.recorder.wait(target, 0.0)
            self._log(person, "admission", target, target)
            self._start_stay(person, target)
            return
        if not self.entries[target] and self.units_used[target] < self.capacity[target]:
            # A free unit and nobody ahead: admitted at once, no queue to join.
            self._admit_to_target(person, target, waited=0.0)
            self._drain()
            return
        person.target = target
        self._join_queue(person, target)
        self._pending.append(target)
        self._drain()
        if person.target == NO_PLACE or not person.alive:
            return  # admitted
        place = person.place
        if place == NO_PLACE:
            self._go_wait(person)
        elif person.ready and self.compiled.leave_when_ready[place]:
            self._log(person, "leave", place, target)
            self._vacate(person)
            self._drain()
            self._go_wait(person)

    def _join_queue(self, person: Person, place: int) -> None:
        self._tickets += 1
        ticket = self._tickets
        person.queued[place] = ticket
        priority = self.compiled.priority[person.segment]
        heapq.heappush(self.queues[place], (priority, ticket, person, self.env.now))
        self.entries[place] += 1
        if place == person.target:
            self.recorder.queue(place, +1, self.env.now)

    def _leave_queues(self, person: Person) -> None:
        if person.queued:
            now = self.env.now
            for place in person.queued:
                self.entries[place] -= 1
                if place == person.target:
                    self.recorder.queue(place, -1, now)
            person.queued.clear()

    def _go_wait(self, person: Person) -> None:
        """Put a person without a place in the best waiting place with room."""
        for place in self.compiled.waiting:
            if self.units_used[place] < self.capacity[place]:
                break
        self.recorder.count(Count.ADMISSION, place, person.segment)
        self._move_into(person, place, waiting=True)
        self._queue_for_better_waiting_places(person, place)

    def _queue_for_better_waiting_places(self, person: Person, place: int) -> None:
        for better in self.compiled.waiting:
            if better == place:
                break
            if better != person.target and better not in person.queued:
                self._join_queue(person, better)

    def _drain(self) -> None:
        """Offer free units to queues, until no admission is possible anywhere."""
        if self._draining or not self._pending:
            return
        self._draining = True
        pending = self._pending
        while pending:
            self._serve(pending.popleft())
        self._draining = False

    def _serve(self, place: int) -> None:
        queue = self.queues[place]
        capacity = self.capacity[place]
        units_used = self.units_used
        entries = self.entries
        while entries[place] and units_used[place] < capacity:
            _, ticket, person, joined = heapq.heappop(queue)
            if person.queued.get(place) != ticket:
                continue  # left this queue earlier
            del person.queued[place]
            entries[place] -= 1
            now = self.env.now
            if place == person.target:
                self.recorder.queue(place, -1, now)
                self._admit_to_target(person, place, waited=now - joined)
            else:
                self.recorder.count(Count.ADMISSION, place, person.segment)
                self._move_into(person, place, waiting=True)
        if not entries[place]:
            queue.clear()

    def _admit_to_target(self, person: Person, place: int, waited: float) -> None:
        """Admit a person to the place they are headed for, after ``waited`` days in line."""
        self.recorder.count(Count.ADMISSION, place, person.segment)
        self.recorder.wait(place, waited)
        self._leave_queues(person)
        if person.home != NO_PLACE:  # admitted while away in an institution
            self.crises.release_home(person)
        person.target = NO_PLACE
        self._move_into(person, place, waiting=False)
        self._start_stay(person, place)

    def _move_into(self, person: Person, place: int, waiting: bool) -> None:
        if person.place != NO_PLACE:
            self._vacate(person)
        self.recorder.move(person.last_place, place)
        now = self.env.now
        person.place = place
        person.waiting = waiting
        if waiting:
            person.stay_end = INFINITY
        self.units_used[place] += 1
        self.recorder.occupancy(place, person.segment, +1, now)
        compiled = self.compiled
        if compiled.housed[place]:
            if not person.was_housed and person.spell_start < 0.0:
                person.spell_start = now
                self._open_spells[person.id] = now
            person.was_housed = True
        else:
            person.was_housed = False
            if compiled.homeless[place] and person.spell_start >= 0.0:
                self._close_spell(person, SpellEnd.HOMELESS)
        if self._events is not None:
            # target: the place the person is headed for (this one, unless waiting here)
            self._log(person, "admission", place, person.target if waiting else place)

    def _vacate(self, person: Person) -> None:
        """The person leaves their unit; it is offered to the queue when the model drains."""
        place = person.place
        now = self.env.now
        if person.ready:
            person.ready = False
            self.recorder.blocked(place, -1, now)
        self.recorder.occupancy(place, person.segment, -1, now)
        self.units_used[place] -= 1
        person.place = NO_PLACE
        person.last_place = place
        person.epoch += 1
        person.breakdown_at = INFINITY
        if self.entries[place]:
            self._pending.append(place)

    # ------------------------------------------------------------------ stays and ends

    def _start_stay(self, person: Person, place: int) -> None:
        sampler = self.compiled.stay[person.segment][place]
        stay = sampler.draw(person.uniforms[1]) if sampler is not None else INFINITY
        self._schedule_stay(person, place, stay)

    def _schedule_stay(
        self, person: Person, place: int, stay: float, breakdown_in: float | None = None
    ) -> None:
        """Schedule the end of a stay (or the breakdown that comes first).

        ``breakdown_in`` (days) resumes a paused breakdown clock; by default it is drawn.
        """
        person.epoch += 1
        epoch = person.epoch
        now = self.env.now
        if breakdown_in is None:
            rate = self.compiled.breakdown_rate_per_day[person.segment][place]
            breakdown_in = -math.log1p(-person.uniforms[2]) / rate if rate > 0.0 else INFINITY
        breakdown_at = now + breakdown_in
        person.breakdown_at = breakdown_at
        end = now + stay
        person.stay_end = end
        if end <= breakdown_at:
            self._at(end, lambda _: self._on_stay_end(person, epoch))
        else:
            self._at(breakdown_at, lambda _: self._on_breakdown(person, epoch))

    def _on_stay_end(self, person: Person, epoch: int) -> None:
        if person.epoch != epoch or not person.alive:
            return
        place = person.place
        self.recorder.count(Count.END_OF_STAY, place, person.segment)
        if self._events is not None:
            self._log(person, "end_of_stay", place, NO_PLACE)
        route = self.compiled.place_route[person.segment][place]
        assert route is not None  # the loader requires routes out of places whose stays end
        target = self._decide(person, route)
        if target == EXIT_INDEX:
            self._exit(person)
            return
        person.ready = True
        self.recorder.blocked(place, +1, self.env.now)
        if person.breakdown_at < INFINITY:  # the housing can still break down while blocked
            self._at(person.breakdown_at, lambda _: self._on_breakdown(person, epoch))
        self._seek(person, target)

    def _on_breakdown(self, person: Person, epoch: int) -> None:
        if person.epoch != epoch or not person.alive:
            return
        place = person.place
        self.recorder.count(Count.BREAKDOWN, place, person.segment)
        self._log(person, "breakdown", place, NO_PLACE)
        self._leave_queues(person)
        person.target = NO_PLACE
        self._vacate(person)
        self._drain()
        route = self.compiled.breakdown_route[person.segment]
        assert route is not None  # the loader requires it where breakdowns can happen
        self._seek(person, self._decide(person, route))

    def _exit(self, person: Person) -> None:
        if not person.alive:
            return
        person.alive = False
        self._leave_queues(person)
        place = person.place
        # Start routes cannot lead to exit (the loader says so), so a person leaving
        # without a place has just lost one: count the exit where they were.
        self.recorder.count(Count.EXIT, place if place != NO_PLACE else person.last_place,
                            person.segment)
        self._log(person, "exit", place, NO_PLACE)
        self.recorder.move(place if place != NO_PLACE else person.last_place, NO_PLACE)
        if person.spell_start >= 0.0:
            self._close_spell(person, SpellEnd.EXIT)
        if person.home != NO_PLACE:
            self.crises.release_home(person)
        if place != NO_PLACE:
            self._vacate(person)
            self._drain()

    # ----------------------------------------------------------------- calendar events

    def _on_year_end(self, _: simpy.Event) -> None:
        now = self.env.now
        self.recorder.close_year(now)
        year = self.recorder.year
        for place, plan in enumerate(self.compiled.capacity):
            if plan[year] != self.capacity[place]:
                self.capacity[place] = plan[year]
                self.recorder.set_capacity(place, plan[year], now)
                self._pending.append(place)
        self._drain()

    def _on_month_end(self, _: simpy.Event) -> None:
        self.recorder.close_month(self.env.now)

    def _close_spell(self, person: Person, how: SpellEnd) -> None:
        self.recorder.spell(person.spell_start, self.env.now, how)
        del self._open_spells[person.id]
        person.spell_start = -1.0

    def _close_open_spells(self) -> None:
        """Housing spells still open at the horizon are censored there."""
        for start in self._open_spells.values():
            self.recorder.spell(start, self.horizon, SpellEnd.CENSORED)

    def _log(self, person: Person, event: str, place: int, target: int) -> None:
        if self._events is not None:
            self._events.append(
                (self.env.now, person.id, person.segment, event, place, target)
            )
