"""The flow of people through places, as a SimPy discrete-event model.

People arrive, queue for a target place, wait in the best waiting place with room,
are admitted, stay, are ready to move (blocking their unit unless the place says
``when_ready = "leave"``), lose housing through breakdowns and leave the target group.
Only real events are scheduled (arrivals, ends of stay, breakdowns, exits, crises, year
and month ends): nothing ticks per day. Same-time events run in the order SimPy
scheduled them, and nothing iterates a set, so a run is exactly reproducible.

The flow model decides *when* and *where to*: stays, routes, breakdowns, exits. Each
routing decision takes the person's next visit uniforms (route, stay, breakdown clock,
spare), which the stay it leads to then uses. Every move goes through
:class:`~bosim.engine.places.Places`; everything measured goes to the
:class:`~bosim.engine.recorder.Recorder`. It never prices, summarises or touches files.

Speed matters here (a replication is hundreds of thousands of events): events carry
their own day (``now``) down the calls, scheduling goes straight to SimPy's event queue,
and counted events use plain ``int`` indices rather than enum members.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from heapq import heappop, heappush

import numpy as np
import simpy
from simpy.core import StopSimulation
from simpy.events import NORMAL, URGENT

from bosim.engine.compiled import EXIT_INDEX, CompiledScenario
from bosim.engine.crisis_flow import CrisisFlow
from bosim.engine.outreach import OutreachFlow
from bosim.engine.person import NO_PLACE, Person
from bosim.engine.places import Places
from bosim.engine.randomness import PersonStream, ReplicationStreams
from bosim.engine.record import Count, EventKind, ReplicationRecord
from bosim.engine.recorder import Recorder
from bosim.errors import SimulationStalled
from bosim.units import DAYS_PER_MONTH, DAYS_PER_YEAR, MONTHS_PER_YEAR

INFINITY = math.inf
END_OF_STAY = int(Count.END_OF_STAY)
BREAKDOWN = int(Count.BREAKDOWN)
STALL_EVENTS = 1_000_000
"""Events between two checks of the watchdog."""
STALL_DAYS = 1e-6
"""Simulated time (days, about 0.1 s) that must pass over :data:`STALL_EVENTS` events.
Arrivals, stays and crises spread events out in time, so only a run going round
without time passing (stays of 0 days routed back, instant breakdowns) falls short."""


class _Due(simpy.Event):
    """A call on the event queue: what ``Environment.step`` uses of a ``simpy.Timeout``.

    Its callbacks and ``_ok``, set up with one attribute instead of six.
    """

    _ok = True
    _value = None

    def __init__(self, callback: Callable[[simpy.Event], None]) -> None:
        self.callbacks = [callback]


def call_after(env: simpy.Environment, delay: float,
               callback: Callable[[simpy.Event], None]) -> None:
    """Run ``callback`` ``delay`` days from now: ``simpy.Timeout(env, delay)`` with it, lighter.

    Same time, priority and counter as the timeout, so events run in the same order.
    """
    if delay < 0:
        raise ValueError(f"negative delay {delay}")
    heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), _Due(callback)))


class HousingModel:
    """One replication of the flow model on a SimPy environment.

    :meth:`run` simulates from day 0 to the horizon. To look between events (tests),
    call :meth:`start`, then ``env.step()`` while ``env.peek() < horizon`` (with
    :meth:`audit` after each step), then :meth:`finish`.

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
        self.horizon = compiled.horizon_days
        """Last day simulated (warm-up and observed years)."""
        self.recorder = Recorder(compiled, streams.sample, streams.replication, trace=trace)
        self.places = Places(compiled, self.recorder, self.schedule_stay)
        self.crises = CrisisFlow(compiled, self.env, self.places, self.recorder, self)
        self.outreach = (
            OutreachFlow(compiled, self.env, streams, self.recorder, self)
            if any(clock is not None for clock in compiled.finding) else None
        )
        """Finding clocks of people in hidden places; None without outreach."""
        self.people: dict[int, Person] = {}
        """Everyone in the target group now, by id."""
        self._people_so_far = 0
        self._tracing = trace

    # --------------------------------------------------------------------- running

    def run(self) -> ReplicationRecord:
        """Simulate from day 0 to the horizon and return the record.

        Raises:
            SimulationStalled: when :data:`STALL_EVENTS` events pass in less than
                :data:`STALL_DAYS` of simulated time (the run would never end).

        """
        self.start()
        env = self.env
        # What env.run(until=horizon) does, in blocks of events so that a watchdog can
        # look between them: a stop event ahead of every other event at the horizon.
        stop = simpy.Event(env)
        stop._ok = True
        stop._value = None
        env.schedule(stop, URGENT, self.horizon - env.now)
        stop.callbacks.append(StopSimulation.callback)
        queue = env._queue
        try:
            while True:
                before = env.now
                for _ in itertools.repeat(None, STALL_EVENTS):
                    # Environment.step, written out: it runs for every event. Every event
                    # here is a call (_Due, a crisis) or the stop, each with one callback
                    # and none of which can fail, so step's check for a failed event is
                    # left out, and so is marking the event processed (callbacks None):
                    # nothing here waits on an event.
                    env._now, _, _, event = heappop(queue)
                    event.callbacks[0](event)
                if env.now - before < STALL_DAYS:
                    raise self._stalled(before)
        except StopSimulation:
            pass
        return self.finish()

    def _stalled(self, day: float) -> SimulationStalled:
        """The error for a run that stopped advancing at ``day``, naming the likely cause."""
        compiled = self.compiled
        instant = sorted({
            compiled.place_names[place]
            for samplers in compiled.stay for place, sampler in enumerate(samplers)
            if sampler is not None and sampler.draw(0.5) < STALL_DAYS
        })
        causes = []
        if instant:
            causes.append("stays of (nearly) 0 days in " + ", ".join(instant)
                          + " with routes that send people straight back")
        causes.append("breakdown or crisis rates so high that people lose their housing "
                      "as soon as they get it")
        return SimulationStalled(
            f"the simulation stopped advancing: {STALL_EVENTS:,} events happened within "
            f"{STALL_DAYS:g} days of day {day:.6g}, so it would never reach the end. Likely "
            "cause: " + "; or ".join(causes),
            key=f"places.{instant[0]}.stay" if instant else None,
            fix="give those places stays above 0 days or route people out of them "
            "(another place or exit), and keep rates per person-year realistic",
        )

    def start(self) -> None:
        """Schedule the calendar and the arrivals and place the people present at day 0."""
        compiled = self.compiled
        for year in range(1, compiled.simulated_years):
            self.at(year * DAYS_PER_YEAR, self._on_year_end)
        for month in range(1, compiled.simulated_years * MONTHS_PER_YEAR):
            self.at(month * DAYS_PER_MONTH, self._on_month_end)
        self._place_initial_people()
        if compiled.warmup_years == 0:
            self.recorder.open_window()
        for segment in range(len(compiled.segment_names)):
            self._start_arrivals(segment)

    def finish(self) -> ReplicationRecord:
        """Note who is still in line at the horizon and hand over the record."""
        recorder = self.recorder
        for place in range(len(self.compiled.place_names)):
            for person, joined in self.places.headed_for(place):
                recorder.open_wait(place, person.segment, self.horizon - joined)
        record = recorder.finish(self.horizon)
        if self.outreach is not None:
            record.found = self.outreach.found()
        return record

    def audit(self) -> None:
        """Check the places' books against everyone present (between events; for tests)."""
        self.places.audit(self.people.values())

    def at(self, time: float, callback: Callable[[simpy.Event], None]) -> None:
        """Run ``callback`` at absolute ``time`` (days), if it is within the horizon."""
        if time < self.horizon:
            env = self.env
            now = env._now
            if time < now:
                raise ValueError(f"negative delay {time - now}")
            # call_after written out (it runs for every crisis): now + (time - now), as
            # a Timeout of that delay would be scheduled.
            heappush(env._queue, (now + (time - now), NORMAL, next(env._eid), _Due(callback)))

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
        """Schedule the segment's arrivals, each one when the one before arrives."""
        times = self._arrival_times(segment).tolist()
        people = self.streams.people(self.compiled.segment_names[segment])
        count = len(times)
        position = 0

        env = self.env
        horizon = self.horizon

        def arrive(_: simpy.Event) -> None:
            nonlocal position
            number = position
            position += 1
            now = env.now
            if position < count and times[position] < horizon:
                call_after(env, times[position] - now, arrive)
            self._arrive(segment, people.person(number), now)

        if count:
            self.at(times[0], arrive)

    def _new_person(self, segment: int, stream: PersonStream, now: float) -> Person:
        person = Person(self._people_so_far, segment, stream)
        self._people_so_far += 1
        self.people[person.id] = person
        rate = self.compiled.exit_rate_per_day[segment]
        if rate > 0.0:
            exit_time = now - math.log1p(-stream.exit_uniform) / rate
            self.at(exit_time, lambda _: self._exit(person, self.env.now))
        if self.compiled.crisis[segment] is not None:
            self.crises.start(person)
        return person

    def _arrive(self, segment: int, stream: PersonStream, now: float) -> None:
        person = self._new_person(segment, stream, now)
        self.recorder.arrival(segment)
        if self._tracing:
            self.recorder.log(now, person, EventKind.ARRIVAL, NO_PLACE, NO_PLACE)
        route = self.compiled.start_route[segment]
        assert route is not None  # the loader requires a start route for arriving segments
        uniforms = person.uniforms = person.stream.next_visit()
        self._seek(person, route.choose(uniforms[0]), now)

    def _place_initial_people(self) -> None:
        """Put everyone present at time 0 in their place, then send those waiting onwards.

        Everyone is placed before anyone seeks a target, so that a person waiting in
        a shelter cannot take a unit whose own occupant is about to be placed.
        """
        compiled = self.compiled
        now = self.env.now
        waiting: list[Person] = []
        for segment, places in enumerate(compiled.initial):
            name = compiled.segment_names[segment]
            for place, people in places:
                group = self.streams.people(f"{name}/initial/{compiled.place_names[place]}")
                for number in range(people):
                    person = self._place_initial_person(segment, place, group.person(number), now)
                    if person.waiting:
                        waiting.append(person)
        for person in waiting:
            route = compiled.start_route[person.segment]
            assert route is not None  # the loader requires it for people waiting at time 0
            uniforms = person.uniforms = person.stream.next_visit()
            self._seek(person, route.choose(uniforms[0]), now)
            if person.alive and person.waiting:
                self.places.queue_for_better_waiting_places(person, now)

    def _place_initial_person(
        self, segment: int, place: int, stream: PersonStream, now: float
    ) -> Person:
        person = self._new_person(segment, stream, now)
        person.uniforms = stream.next_visit()
        compiled = self.compiled
        sampler = compiled.stay[segment][place]
        if sampler is None and compiled.waiting_rank[place] < len(compiled.waiting):
            # Someone already waiting at time 0: headed where arrivals are headed.
            self.places.move_in(person, place, True, now)
            return person
        self.places.move_in(person, place, False, now)
        stay = INFINITY
        if sampler is not None:
            u = person.uniforms
            stay = sampler.draw_residual(u[1], u[3], stream.extra)
        self.schedule_stay(person, place, now, stay)
        return person

    # ------------------------------------------------------------- moving and queueing

    def _seek(self, person: Person, target: int, now: float) -> None:
        """Send a person towards ``target``: admitted now, or queued while they wait."""
        if target == EXIT_INDEX:
            self._exit(person, now)
            return
        places = self.places
        if target == person.place:
            # Renewed stay (a route back to the same place) or already waiting there.
            places.renew_stay(person, now)
            return
        places.head_for(person, target, now)
        if person.target == NO_PLACE or not person.alive:
            return  # admitted
        place = person.place
        if place == NO_PLACE:
            places.wait(person, now)
        elif person.ready and self.compiled.leave_when_ready[place]:
            places.leave_to_wait(person, now)

    # ------------------------------------------------------------------ stays and ends

    def schedule_stay(
        self,
        person: Person,
        place: int,
        now: float,
        stay: float | None = None,
        breakdown_in: float | None = None,
    ) -> None:
        """Start a stay in ``place``: schedule its end, or the breakdown that comes first.

        Args:
            person: who stays.
            place: where.
            now: the day the stay starts.
            stay: days; by default drawn from the place's distribution (a new stay).
            breakdown_in: days until the housing breaks down; by default drawn (a
                paused clock resumes otherwise).

        """
        segment = person.segment
        uniforms = person.uniforms
        resumed = stay is not None
        if stay is None:
            sampler = self.compiled.stay[segment][place]
            stay = sampler.draw(uniforms[1]) if sampler is not None else INFINITY
        if breakdown_in is None:
            rate = self.compiled.breakdown_rate_per_day[segment][place]
            breakdown_in = -math.log1p(-uniforms[2]) / rate if rate > 0.0 else INFINITY
        person.epoch += 1
        epoch = person.epoch
        if self.outreach is not None:
            self.outreach.start(person, place, now, resumed)
        breakdown_at = person.breakdown_at = now + breakdown_in
        end = person.stay_end = now + stay
        if end <= breakdown_at:
            if end < self.horizon:
                call_after(self.env, end - now, lambda _: self._on_stay_end(person, epoch))
        elif breakdown_at < self.horizon:
            call_after(self.env, breakdown_at - now,
                       lambda _: self._on_breakdown(person, epoch))

    def _on_stay_end(self, person: Person, epoch: int) -> None:
        if person.epoch != epoch or not person.alive:
            return
        now = self.env.now
        place = person.place
        self.recorder.count(END_OF_STAY, place, person.segment)
        if self._tracing:
            self.recorder.log(now, person, EventKind.END_OF_STAY, place, NO_PLACE)
        route = self.compiled.place_route[person.segment][place]
        assert route is not None  # the loader requires routes out of places whose stays end
        uniforms = person.uniforms = person.stream.next_visit()
        target = route.choose(uniforms[0])
        if target == EXIT_INDEX:
            self._exit(person, now)
            return
        self.places.mark_ready(person, now)
        if person.breakdown_at < INFINITY:  # the housing can still break down while blocked
            self.at(person.breakdown_at, lambda _: self._on_breakdown(person, epoch))
        self._seek(person, target, now)

    def end_hidden_stay(self, person: Person) -> None:
        """The person is found in a hidden place: their stay there ends now."""
        person.epoch += 1
        self._on_stay_end(person, person.epoch)

    def _on_breakdown(self, person: Person, epoch: int) -> None:
        if person.epoch == epoch and person.alive:
            self.break_down(person)

    def break_down(self, person: Person) -> None:
        """The person loses their housing now: they leave it and seek a new target."""
        now = self.env.now
        place = person.place
        self.recorder.count(BREAKDOWN, place, person.segment)
        if self._tracing:
            self.recorder.log(now, person, EventKind.BREAKDOWN, place, NO_PLACE)
        places = self.places
        places.leave_queues(person, now)
        person.target = NO_PLACE
        places.vacate(person, now)
        places.drain(now)
        route = self.compiled.breakdown_route[person.segment]
        assert route is not None  # the loader requires it where breakdowns can happen
        uniforms = person.uniforms = person.stream.next_visit()
        self._seek(person, route.choose(uniforms[0]), now)

    def _exit(self, person: Person, now: float) -> None:
        if not person.alive:
            return
        person.alive = False
        del self.people[person.id]
        places = self.places
        if person.queued:
            places.leave_queues(person, now)
        place = person.place
        # Start routes cannot lead to exit (the loader says so), so a person leaving
        # without a place has just lost one: count the exit where they were.
        recorder = self.recorder
        if self._tracing:
            recorder.log(now, person, EventKind.EXIT, place, NO_PLACE)
        recorder.exit(person, place if place != NO_PLACE else person.last_place, now)
        if person.home is not None:
            places.release_home(person, now)
        if place != NO_PLACE:
            places.vacate(person, now)
            places.drain(now)

    # ----------------------------------------------------------------- calendar events

    def _on_year_end(self, _: simpy.Event) -> None:
        now = self.env.now
        recorder = self.recorder
        recorder.close_year(now)
        year = recorder.year
        places = self.places
        for place, plan in enumerate(self.compiled.capacity):
            if plan[year] != places.capacity(place):
                places.set_capacity(place, plan[year], now)
        places.set_unit_sizes(year, now)  # nothing for places without sizes of unit
        for state, staffing in zip(self.crises.teams, self.compiled.team_plans, strict=True):
            state.team = staffing[year]  # the staff plan: FTE and hours of the new year
        places.drain(now)

    def _on_month_end(self, _: simpy.Event) -> None:
        self.recorder.close_month(self.env.now)
