"""What crises do to people: handled or not, emergencies, institution stays, breakdowns.

Each person with crises has their own stream of uniforms, one row per crisis (time to
the next crisis, handling time, outcome, institution stay), so the same person has the
same crises, at the same times, in every scenario run with the same seed; a scenario
with more staff differs only in which crises are handled.

Crisis handling moves people only through :class:`~bosim.engine.places.Places` and
asks the flow model (through :class:`Flow`) only to schedule, to break a housing down
and to resume a stay.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from heapq import heappush
from typing import Protocol

import simpy
from simpy.events import NORMAL

from bosim.engine.compiled import CompiledScenario
from bosim.engine.crises import ADMISSION, BREAKDOWN, EMERGENCY, NONE, TeamState
from bosim.engine.person import NO_PLACE, HomeKept, Person
from bosim.engine.places import Places
from bosim.engine.record import Count, EventKind
from bosim.engine.recorder import Recorder

CRISIS_HANDLED = int(Count.CRISIS_HANDLED)
CRISIS_UNHANDLED = int(Count.CRISIS_UNHANDLED)
EMERGENCY_COUNT = int(Count.EMERGENCY)
INSTITUTION_FULL = int(Count.INSTITUTION_FULL)
ADMISSION_COUNT = int(Count.ADMISSION)


def _no_crises(now: float, exponential: float) -> float:
    """The clock of a group without crises: never."""
    return math.inf


class _CrisisDue(simpy.Event):
    """A person's next crisis on the event queue, carrying the person and its uniforms.

    ``Environment.step`` calls the handler with this event: one bound method for every
    crisis instead of a closure made per crisis. Otherwise what ``Environment.step`` uses
    of a ``simpy.Timeout``.
    """

    _ok = True
    _value = None

    def __init__(self, handler: Callable[[_CrisisDue], None], person: Person,
                 rows: Iterator[list[float]], row: list[float]) -> None:
        self.callbacks = [handler]
        self.person = person
        self.rows = rows
        """The person's crisis uniforms still to come (``PersonStream.crises``)."""
        self.row = row


class Flow(Protocol):
    """What crisis handling needs from the flow model."""

    def at(self, time: float, callback: Callable[[simpy.Event], None]) -> None:
        """Run ``callback`` at day ``time`` (if before the horizon)."""

    def break_down(self, person: Person) -> None:
        """The person loses their housing now."""

    def schedule_stay(
        self,
        person: Person,
        place: int,
        now: float,
        stay: float | None = None,
        breakdown_in: float | None = None,
    ) -> None:
        """Start a stay of ``stay`` days in ``place``: schedule its end (or its breakdown)."""


class CrisisFlow:
    """Crises of the people of one replication, and the staff who handle them."""

    def __init__(
        self,
        compiled: CompiledScenario,
        env: simpy.Environment,
        places: Places,
        recorder: Recorder,
        flow: Flow,
    ) -> None:
        self.compiled = compiled
        self.env = env
        self.places = places
        self.recorder = recorder
        self.flow = flow
        self.teams = [TeamState(team, [places.places[place] for place in team.places])
                      for team in compiled.teams]
        self.horizon = compiled.horizon_days
        self._on_crisis_due = self._on_crisis
        """The handler of every crisis event (one bound method, made once)."""
        self._clock_of = [crisis.clock.next_after if crisis is not None else _no_crises
                          for crisis in compiled.crisis]
        """By segment: the day of the next crisis (``CrisisClock.next_after``)."""
        self._team_at = [self.teams[team] if team >= 0 else None
                         for team in compiled.place_team]
        """By place: the team serving it, or None."""

    # ------------------------------------------------------------------ the clock

    def start(self, person: Person) -> None:
        """Schedule the person's first crisis."""
        rows = person.stream.crises()
        row = next(rows)
        now = self.env._now
        when = self._clock_of[person.segment](now, -math.log1p(-row[0]))
        self._schedule(_CrisisDue(self._on_crisis_due, person, rows, row), now, when)

    def _schedule(self, due: _CrisisDue, now: float, when: float) -> None:
        """Put a crisis on the event queue for day ``when``, if it comes before the horizon.

        Scheduled as :meth:`~bosim.engine.flow.HousingModel.at` would (same time, priority
        and counter), written out because it runs for every crisis.
        """
        if when < self.horizon:
            if when < now:
                raise ValueError(f"negative delay {when - now}")
            env = self.env
            heappush(env._queue, (now + (when - now), NORMAL, next(env._eid), due))

    # --------------------------------------------------------------- the crisis

    def _on_crisis(self, due: _CrisisDue) -> None:
        """A crisis happens: schedule the person's next, then see it handled or not.

        Written out as one function (with the next crisis drawn and scheduled here, and
        the crisis event reused for it): this runs for every crisis.
        """
        person = due.person
        if not person.alive:
            return
        now = self.env._now
        row = due.row
        segment = person.segment
        following = next(due.rows)
        if due.callbacks is None:  # run by Environment.step (tests), which clears them
            due.callbacks = [self._on_crisis_due]
        due.row = following
        self._schedule(due, now, self._clock_of[segment](now, -math.log1p(-following[0])))
        place = person.place
        compiled = self.compiled
        if compiled.institution[place]:
            return  # cared for where they are
        crisis = compiled.crisis[segment]
        assert crisis is not None
        team = self._team_at[place]
        recorder = self.recorder
        hours = team.handle(now, row[1]) if team is not None else None
        if hours is not None:
            recorder.crisis_hours(compiled.place_team[place], hours)
            recorder.count(CRISIS_HANDLED, place, segment)
            outcome = crisis.handled.choose(row[2])
        else:
            recorder.count(CRISIS_UNHANDLED, place, segment)
            outcome = crisis.unhandled.choose(row[2])
        if recorder.tracing:
            recorder.log(now, person,
                         EventKind.CRISIS_UNHANDLED if hours is None else EventKind.CRISIS_HANDLED,
                         place, NO_PLACE)
        if outcome == NONE:
            return
        if outcome == EMERGENCY:
            self._emergency(person, place)
        elif outcome == ADMISSION:
            self._admit(person, crisis.institution, row[3])
        elif outcome == BREAKDOWN and compiled.housed[place] and not person.waiting:
            self.flow.break_down(person)

    def _emergency(self, person: Person, place: int) -> None:
        self.recorder.count(EMERGENCY_COUNT, place, person.segment)
        if self.recorder.tracing:
            self.recorder.log(self.env.now, person, EventKind.EMERGENCY, place, NO_PLACE)

    # ------------------------------------------------------- institution stays

    def _admit(self, person: Person, institution: int, uniform: float) -> None:
        """Admit to the institution for a stay; the person keeps the unit they live in."""
        home = person.place
        if not self.places.has_room(institution):
            self.recorder.count(INSTITUTION_FULL, home, person.segment)
            self._emergency(person, home)
            return
        sampler = self.compiled.stay[person.segment][institution]
        assert sampler is not None  # the loader requires a stay for admitting institutions
        stay = sampler.draw(uniform)
        if person.waiting:
            self._admit_from_waiting(person, institution, stay)
            return
        now = self.env.now
        # Pause life at home: the stay and the breakdown clock resume on return. Someone
        # ready to move keeps their place in the queue for their next home (and goes
        # there straight from the institution if admitted meanwhile).
        kept = HomeKept(home, max(person.stay_end - now, 0.0), person.breakdown_at - now,
                        person.ready)
        self.places.go_away(person, institution, kept, now)
        epoch = person.epoch
        self.flow.at(now + stay, lambda _: self._return_home(person, epoch))

    def _admit_from_waiting(self, person: Person, institution: int, stay: float) -> None:
        """Someone waiting in a shelter or on the street: no unit to keep.

        The waiting place goes to the next in line; the person keeps their place in the
        queue for their target (and is discharged straight there if admitted meanwhile),
        and goes back to waiting when the stay ends.
        """
        now = self.env.now
        places = self.places
        places.leave_waiting_queues(person)
        places.vacate(person, now)
        self.recorder.count(ADMISSION_COUNT, institution, person.segment)
        places.move_in(person, institution, False, now)
        epoch = person.epoch
        self.flow.at(now + stay, lambda _: self._discharge(person, epoch))
        places.drain(now)

    def _discharge(self, person: Person, epoch: int) -> None:
        if person.epoch != epoch or not person.alive:
            return  # admitted to their target meanwhile, or gone
        self.places.leave_to_wait(person, self.env.now)

    def _return_home(self, person: Person, epoch: int) -> None:
        if person.epoch != epoch or not person.alive:
            return
        kept = person.home
        assert kept is not None
        now = self.env.now
        places = self.places
        places.come_home(person, now)
        if kept.ready:
            # The stay had ended before the admission: back to waiting, still in the queue.
            self.flow.schedule_stay(person, kept.place, now, math.inf, kept.breakdown_left)
            places.mark_ready(person, now)
        else:
            self.flow.schedule_stay(person, kept.place, now, kept.stay_left,
                                   kept.breakdown_left)
        places.drain(now)
