"""The places module on its own: units, queues, holding, capacity cuts and the audit.

No SimPy here: the module has no clock, every move is told its day.
"""

from __future__ import annotations

from typing import Any

import pytest

from bosim.engine.compiled import compile_scenario
from bosim.engine.person import NO_PLACE, HomeKept, Person
from bosim.engine.places import AuditError, Places
from bosim.engine.randomness import ReplicationStreams
from bosim.engine.recorder import Recorder
from bosim.scenario import scenario_from_dict

STREET, SHELTER, FLAT, WARD = 0, 1, 2, 3


class Desk:
    """Places over a small scenario, with a log of admissions handed to the flow model."""

    def __init__(self, priority: str = "fifo", flat: dict[str, Any] | None = None) -> None:
        scenario = scenario_from_dict({
            "meta": {"name": "places"},
            "simulation": {"years": 1, "warmup_years": 0, "replications": 1},
            "policy": {"waiting": ["shelter", "street"], "priority": priority},
            "places": {
                "street": {"kind": "street"},
                "shelter": {"kind": "acute", "capacity": 1},
                "flat": {"kind": "shared", "capacity": 2, "when_ready": "leave",
                         "stay": {"dist": "fixed", "value": 10.0}, **(flat or {})},
                "ward": {"kind": "institution", "capacity": 1,
                         "stay": {"dist": "fixed", "value": 5.0}},
            },
            "segments": [
                {"name": name, "priority": priority_number,
                 "routes": {"start": {"flat": 1.0}, "flat": {"ward": 1.0},
                            "ward": {"flat": 1.0}}}
                for name, priority_number in (("first", 0), ("second", 1))
            ],
        })
        self.compiled = compile_scenario(scenario)
        self.recorder = Recorder(self.compiled, sample=0, replication=0, trace=True)
        self.admitted: list[tuple[int, int, float]] = []
        self.places = Places(self.compiled, self.recorder, self._admitted)
        self.people: list[Person] = []
        self._streams = ReplicationStreams(1, 0)

    def _admitted(self, person: Person, place: int, now: float) -> None:
        self.admitted.append((person.id, place, now))

    def person(self, segment: int = 0) -> Person:
        person = Person(len(self.people), segment, self._streams.person("test", len(self.people)))
        self.people.append(person)
        return person

    def seek(self, person: Person, target: int, now: float) -> None:
        """What the flow model does with someone headed for ``target``."""
        places = self.places
        if places.admits_at_once(target):
            places.admit_to_target(person, target, 0.0, now)
            places.drain(now)
            return
        places.queue_for(person, target, now)
        if person.place == NO_PLACE:
            places.wait(person, now)

    def exit(self, person: Person, now: float) -> None:
        """``person`` leaves the target group from their place."""
        person.alive = False
        if person.home is not None:
            self.places.release_home(person, now)
        self.places.vacate(person, now)
        self.places.drain(now)

    def audit(self) -> None:
        self.places.audit(person for person in self.people if person.alive)


def test_units_go_to_the_queue_first_come_first_served() -> None:
    desk = Desk()
    people = [desk.person() for _ in range(4)]
    for person in people:
        desk.seek(person, FLAT, 0.0)
    desk.audit()
    assert [person.place for person in people] == [FLAT, FLAT, SHELTER, STREET]
    assert desk.admitted == [(0, FLAT, 0.0), (1, FLAT, 0.0)]
    assert not desk.places.admits_at_once(FLAT)
    desk.exit(people[0], 3.0)
    desk.audit()
    # Person 2 (in the shelter) joined first; person 3 then moves up to the shelter.
    assert desk.admitted[-1] == (2, FLAT, 3.0)
    assert people[3].place == SHELTER and people[3].waiting
    assert desk.recorder.meters[FLAT].queue_days == 2 * 3.0  # two in line for 3 days


def test_lower_priority_numbers_go_first() -> None:
    desk = Desk(priority="segment")
    residents = [desk.person(), desk.person()]
    for person in residents:
        desk.seek(person, FLAT, 0.0)
    later, earlier = desk.person(segment=1), desk.person(segment=0)
    desk.seek(later, FLAT, 1.0)
    desk.seek(earlier, FLAT, 2.0)
    desk.exit(residents[0], 4.0)
    assert desk.admitted[-1] == (earlier.id, FLAT, 4.0)
    assert later.place != FLAT
    desk.audit()


def test_a_unit_is_held_while_its_tenant_is_away_and_freed_if_they_leave() -> None:
    desk = Desk()
    tenant, other, next_in_line = desk.person(), desk.person(), desk.person()
    for person in (tenant, other, next_in_line):
        desk.seek(person, FLAT, 0.0)
    flat = desk.places.places[FLAT]
    desk.places.go_away(tenant, WARD, HomeKept(FLAT, 6.0, float("inf"), False), 1.0)
    desk.audit()
    assert (flat.present, flat.held, flat.units) == (1, 1, 2)
    assert not desk.places.has_room(FLAT) and not desk.places.has_room(WARD)
    desk.places.come_home(tenant, 3.0)
    desk.audit()
    assert (flat.present, flat.held) == (2, 0) and tenant.place == FLAT
    desk.places.go_away(tenant, WARD, HomeKept(FLAT, 4.0, float("inf"), False), 5.0)
    desk.exit(tenant, 6.0)  # while away: the unit at home is freed too
    desk.audit()
    assert desk.admitted[-1] == (next_in_line.id, FLAT, 6.0)
    assert desk.recorder.meters[FLAT].held_days == (3.0 - 1.0) + (6.0 - 5.0)


def test_a_capacity_cut_evicts_nobody_and_closes_units_as_they_are_vacated() -> None:
    desk = Desk()
    residents = [desk.person(), desk.person()]
    for person in residents:
        desk.seek(person, FLAT, 0.0)
    waiting = desk.person()
    desk.seek(waiting, FLAT, 0.0)
    desk.places.set_capacity(FLAT, 1.0, 10.0)
    desk.places.drain(10.0)
    desk.audit()  # 2 units taken, capacity 1, one closing
    desk.exit(residents[0], 12.0)
    desk.audit()
    assert waiting.place != FLAT  # the freed unit closed
    desk.exit(residents[1], 13.0)
    assert waiting.place == FLAT
    desk.audit()
    # Units paid for: 2 until day 12 (a closing unit still costs), then 1.
    desk.recorder.meters[FLAT].advance(20.0)
    assert desk.recorder.meters[FLAT].unit_days == 2 * 12.0 + 1 * 8.0


def test_leaving_can_set_off_the_move_that_admits_the_leaver() -> None:
    """A and B swap: A's stay in the flat (a 'leave' place) ends and A is headed for the
    ward, where B's stay has ended and B, headed for the flat, blocks the only unit.
    A leaves, B takes A's unit, and A is admitted to the ward: nobody is left waiting."""
    desk = Desk(flat={"capacity": 1})
    a, b = desk.person(), desk.person()
    desk.seek(a, FLAT, 0.0)
    desk.seek(b, WARD, 0.0)
    desk.places.mark_ready(b, 5.0)
    desk.places.queue_for(b, FLAT, 5.0)  # B stays in the ward, blocking it
    desk.places.mark_ready(a, 10.0)
    desk.places.queue_for(a, WARD, 10.0)
    assert a.place == FLAT and a.target == WARD
    desk.places.leave_to_wait(a, 10.0)
    desk.audit()
    assert (a.place, a.target, a.waiting) == (WARD, NO_PLACE, False)
    assert (b.place, b.target) == (FLAT, NO_PLACE)
    assert desk.recorder.meters[WARD].blocked_days == 5.0


def test_the_audit_catches_a_count_out_of_step() -> None:
    desk = Desk()
    person = desk.person()
    desk.seek(person, FLAT, 0.0)
    desk.audit()
    desk.places.places[FLAT].held += 1
    with pytest.raises(AuditError, match="held counted 1, actually 0"):
        desk.audit()
