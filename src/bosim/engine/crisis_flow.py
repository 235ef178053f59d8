"""What crises do to people: handled or not, emergencies, institution stays, breakdowns.

Each person with crises has their own stream of uniforms, one row per crisis (time to
the next crisis, handling time, outcome, institution stay), so the same person has the
same crises, at the same times, in every scenario run with the same seed; a scenario
with more staff differs only in which crises are handled.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from bosim.engine.crises import ADMISSION, BREAKDOWN, EMERGENCY, TeamState
from bosim.engine.records import Count

if TYPE_CHECKING:
    from bosim.engine.model import HousingModel, Person

NO_PLACE = -1
ROWS_PER_DRAW = 16


class CrisisFlow:
    """The crisis part of a :class:`~bosim.engine.model.HousingModel`."""

    def __init__(self, model: HousingModel) -> None:
        self.model = model
        self.teams = [TeamState(team) for team in model.compiled.teams]

    # ------------------------------------------------------------------ the clock

    def start(self, person: Person) -> None:
        """Schedule the person's first crisis."""
        self._schedule_next(person)

    def _row(self, person: Person) -> list[float]:
        if person.crisis_row >= len(person.crisis_rows):
            generator = person.stream.crisis_generator()
            person.crisis_rows = generator.random((ROWS_PER_DRAW, 4)).tolist()
            person.crisis_row = 0
        return person.crisis_rows[person.crisis_row]

    def _schedule_next(self, person: Person) -> None:
        crisis = self.model.compiled.crisis[person.segment]
        assert crisis is not None
        row = self._row(person)
        when = crisis.clock.next_after(self.model.env.now, -math.log1p(-row[0]))
        self.model._at(when, lambda _: self._on_crisis(person, row))

    # --------------------------------------------------------------- the crisis

    def _on_crisis(self, person: Person, row: list[float]) -> None:
        if not person.alive:
            return
        person.crisis_row += 1
        self._schedule_next(person)
        model = self.model
        compiled = model.compiled
        place = person.place
        if compiled.institution[place]:
            return  # cared for where they are
        now = model.env.now
        team = compiled.place_team[place]
        handled = False
        if team >= 0:
            state = self.teams[team]
            residents = sum(model.present[p] for p in state.team.places)
            hours = state.team.handling_hours.draw(row[1])
            handled = state.try_handle(now, residents, hours / 24.0)
            if handled:
                model.recorder.crisis_hours(team, hours)
        recorder = model.recorder
        recorder.count(
            Count.CRISIS_HANDLED if handled else Count.CRISIS_UNHANDLED, place, person.segment
        )
        crisis = compiled.crisis[person.segment]
        assert crisis is not None
        outcome = (crisis.handled if handled else crisis.unhandled).choose(row[2])
        model._log(person, "crisis_handled" if handled else "crisis_unhandled", place, NO_PLACE)
        if outcome == EMERGENCY:
            self._emergency(person, place)
        elif outcome == ADMISSION:
            self._admit(person, crisis.institution, row[3])
        elif outcome == BREAKDOWN and compiled.housed[place] and not person.waiting:
            model._on_breakdown(person, person.epoch)

    def _emergency(self, person: Person, place: int) -> None:
        self.model.recorder.count(Count.EMERGENCY, place, person.segment)
        self.model._log(person, "emergency", place, NO_PLACE)

    # ------------------------------------------------------- institution stays

    def _admit(self, person: Person, institution: int, uniform: float) -> None:
        """Admit to the institution for a stay; the person keeps the unit they live in."""
        model = self.model
        home = person.place
        if model.units_used[institution] >= model.capacity[institution]:
            model.recorder.count(Count.INSTITUTION_FULL, home, person.segment)
            self._emergency(person, home)
            return
        sampler = model.compiled.stay[person.segment][institution]
        assert sampler is not None  # the loader requires a stay for admitting institutions
        stay = sampler.draw(uniform)
        if person.waiting:
            self._admit_from_waiting(person, institution, stay)
            return
        now = model.env.now
        recorder = model.recorder
        # Pause life at home: the stay and the breakdown clock resume on return.
        person.home = home
        person.home_stay_left = max(person.stay_end - now, 0.0)
        person.home_breakdown_left = person.breakdown_at - now
        person.home_ready = person.ready
        # Someone ready to move keeps their place in the queue for their next home (and
        # goes there straight from the institution if admitted meanwhile).
        if person.ready:
            person.ready = False
            recorder.blocked(home, -1, now)
        recorder.occupancy(home, person.segment, -1, now)
        recorder.held(home, +1, now)
        person.epoch += 1
        person.place = institution
        model.units_used[institution] += 1
        recorder.occupancy(institution, person.segment, +1, now)
        recorder.count(Count.ADMISSION, institution, person.segment)
        recorder.move(home, institution)
        model._log(person, "admission", institution, institution)
        epoch = person.epoch
        model._at(now + stay, lambda _: self._return_home(person, epoch))

    def _admit_from_waiting(self, person: Person, institution: int, stay: float) -> None:
        """Someone waiting in a shelter or on the street: no unit to keep.

        The waiting place goes to the next in line; the person keeps their place in the
        queue for their target (and is discharged straight there if admitted meanwhile),
        and goes back to waiting when the stay ends.
        """
        model = self.model
        for place in [p for p in person.queued if p != person.target]:
            del person.queued[place]
            model.entries[place] -= 1
        model._vacate(person)
        model.recorder.count(Count.ADMISSION, institution, person.segment)
        model._move_into(person, institution, waiting=False)
        epoch = person.epoch
        model._at(model.env.now + stay, lambda _: self._discharge(person, epoch))
        model._drain()

    def _discharge(self, person: Person, epoch: int) -> None:
        if person.epoch != epoch or not person.alive:
            return  # admitted to their target meanwhile, or gone
        model = self.model
        model._log(person, "leave", person.place, person.target)
        model._vacate(person)
        model._drain()
        model._go_wait(person)

    def _return_home(self, person: Person, epoch: int) -> None:
        if person.epoch != epoch or not person.alive:
            return
        model = self.model
        now = model.env.now
        recorder = model.recorder
        institution, home = person.place, person.home
        recorder.occupancy(institution, person.segment, -1, now)
        model.units_used[institution] -= 1
        if model.entries[institution]:
            model._pending.append(institution)
        recorder.held(home, -1, now)
        recorder.occupancy(home, person.segment, +1, now)
        person.place = home
        person.home = NO_PLACE
        recorder.move(institution, home)
        model._log(person, "return", home, home)
        if person.home_ready:
            # The stay had ended before the admission: back to waiting, still in the queue.
            model._schedule_stay(person, home, math.inf, person.home_breakdown_left)
            person.ready = True
            recorder.blocked(home, +1, now)
            model._drain()
        else:
            model._schedule_stay(person, home, person.home_stay_left, person.home_breakdown_left)
            model._drain()

    def release_home(self, person: Person) -> None:
        """A person leaves the target group while away: the unit they kept is freed."""
        model = self.model
        home = person.home
        model.recorder.held(home, -1, model.env.now)
        model.units_used[home] -= 1
        if model.entries[home]:
            model._pending.append(home)
        person.home = NO_PLACE
