"""The places of one replication: their units, who is in them, their queues.

A place has a capacity and units. A unit is taken by a person present or held for a
person away in an institution (``units = present + held``, counted once, here). A
person headed for a place holds a ticket in its queue; queues are served by priority,
then first come first served. A person without a place waits in the first waiting
place (``policy.waiting``) with room and queues for the better ones too, to move up as
they free up. A place with sizes of unit (``units``, ``fits``) gives each household the
smallest free unit that fits it and serves its queue in order among those a free unit
fits (:mod:`bosim.engine.unit_sizes`).

Moves are the only way the counts change, and every move goes through this module:
the flow model and crisis handling use the public methods below and never touch a
place's counts or queue. The module has no clock: every move is told its day. A freed
unit is offered to its queue when :meth:`Places.drain` runs; admissions to a person's
target are handed back to the flow model (which starts the stay) through the
``on_admission`` hook.

Every count is integrated over time by the place's meter (see
:mod:`bosim.engine.recorder`), which is brought up to the current day before any count
changes.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable, Iterable

from bosim.engine.compiled import CompiledScenario
from bosim.engine.person import NO_PLACE, HomeKept, Person
from bosim.engine.record import Count, EventKind
from bosim.engine.recorder import PlaceMeter, Recorder
from bosim.engine.unit_sizes import NO_SIZE, SizedUnits

ADMISSION = int(Count.ADMISSION)

QueueEntry = tuple[int, int, Person, float]
"""(priority, ticket, person, day joined): tickets are unique, so people are never compared."""


class AuditError(AssertionError):
    """The places' counts or queues do not agree with the people in them."""


class Place:
    """One place during a replication: its capacity, the people in it and its queue."""

    __slots__ = (
        "blocked",
        "by_segment",
        "capacity",
        "closing",
        "entries",
        "headed",
        "held",
        "index",
        "meter",
        "present",
        "queue",
        "sized",
    )

    index: int
    capacity: float
    present: int
    by_segment: list[int]
    held: int
    blocked: int
    headed: int
    entries: int
    closing: int
    queue: list[QueueEntry]
    meter: PlaceMeter
    sized: SizedUnits | None

    def __init__(self, index: int, capacity: float, segments: int, recorder: Recorder,
                 sized: SizedUnits | None = None) -> None:
        self.index = index
        self.capacity = capacity
        """Units open now (inf: unlimited); all sizes together for a place with sizes."""
        self.sized = sized
        """The sizes of unit and who holds which, for a place with ``units`` or ``fits``
        (see :mod:`bosim.engine.unit_sizes`); None where every unit fits everyone."""
        self.present = 0
        """People in the place now."""
        self.by_segment = [0] * segments
        """People in the place now, by segment."""
        self.held = 0
        """Units held for people away in an institution."""
        self.blocked = 0
        """People in the place whose stay has ended, waiting to move on."""
        self.headed = 0
        """People in the queue who are headed for the place (the place's queue length)."""
        self.entries = 0
        """Valid tickets in the queue: people headed here, and people waiting in a worse
        waiting place who would move up to this one."""
        self.closing = 0
        """Units above a reduced capacity: they close as they are vacated."""
        self.queue = []
        """Heap of queue entries; an entry whose ticket the person no longer holds is
        skipped when it comes up."""
        self.meter = recorder.watch(self)

    @property
    def units(self) -> int:
        """Units taken: by people present and by people away in an institution."""
        return self.present + self.held

    @property
    def has_room(self) -> bool:
        """A unit is free."""
        return self.present + self.held < self.capacity


class Places:
    """All places of one replication, and every move between them.

    The module has no clock: every move is told the day (``now``) it happens on.

    Args:
        compiled: the scenario's tables.
        recorder: the replication's meter.
        on_admission: called with (person, place, now) whenever a person is admitted to
            the place they were headed for (or renews their stay where they are), so
            that their stay can start.

    """

    def __init__(
        self,
        compiled: CompiledScenario,
        recorder: Recorder,
        on_admission: Callable[[Person, int, float], None],
    ) -> None:
        segments = len(compiled.segment_names)
        sizes = compiled.sizes or (None,) * len(compiled.capacity)
        self.places = tuple(
            Place(index, plan[0], segments, recorder,
                  SizedUnits(size) if size is not None else None)
            for index, (plan, size) in enumerate(zip(compiled.capacity, sizes, strict=True))
        )
        self._sized = tuple(place for place in self.places if place.sized is not None)
        """The places with sizes of unit (:meth:`set_unit_sizes` opens and closes theirs)."""
        self._recorder = recorder
        self._on_admission = on_admission
        self._waiting = tuple(self.places[place] for place in compiled.waiting)
        self._priority = compiled.priority
        self._tracing = recorder.tracing
        self._pending: deque[Place] = deque()
        """Places with a freed unit (or a new capacity) to offer to their queue."""
        self._draining = False
        self._tickets = 0

    # ---------------------------------------------------------------------- questions

    def capacity(self, place: int) -> float:
        """Units of ``place`` open now (inf: unlimited)."""
        return self.places[place].capacity

    def has_room(self, place: int) -> bool:
        """A unit of ``place`` is free."""
        return self.places[place].has_room

    def admits_at_once(self, place: int) -> bool:
        """A unit is free and nobody is in line: someone headed here is admitted now.

        Never for a place with sizes: whoever heads there joins the queue, which is served
        at once in order among those a free unit fits (see :meth:`drain`).
        """
        chosen = self.places[place]
        return (not chosen.entries and chosen.present + chosen.held < chosen.capacity
                and chosen.sized is None)

    def headed_for(self, place: int) -> list[tuple[Person, float]]:
        """People in line for ``place`` and headed there, with the day each joined.

        In queue order.
        """
        return [
            (person, joined)
            for _, ticket, person, joined in sorted(self.places[place].queue)
            if person.queued.get(place) == ticket and person.target == place
        ]

    # ------------------------------------------------------------------ moving people

    def move_in(self, person: Person, place: int, waiting: bool, now: float) -> None:
        """Move ``person`` into ``place``, leaving where they are.

        With ``waiting``, the place is a waiting place for them: they are still headed
        for their target.
        """
        if person.place != NO_PLACE:
            self.vacate(person, now)
        entered = self.places[place]
        meter = entered.meter
        if now > meter.last:
            meter.advance(now)
        person.place = place
        person.waiting = waiting
        if entered.sized is not None:
            entered.sized.take(person.id, person.segment)
        entered.present += 1
        entered.by_segment[person.segment] += 1
        recorder = self._recorder
        recorder.entered(person, person.last_place, place, now)
        if self._tracing:
            # target: the place the person is headed for (this one, unless waiting here)
            recorder.log(now, person, EventKind.ADMISSION, place,
                         person.target if waiting else place)

    def vacate(self, person: Person, now: float) -> None:
        """``person`` leaves their unit; it is offered to the queue when :meth:`drain` runs.

        Their scheduled stay events become stale (the epoch moves on).
        """
        left = self.places[person.place]
        meter = left.meter
        if now > meter.last:
            meter.advance(now)
        if person.ready:
            person.ready = False
            left.blocked -= 1
        left.present -= 1
        left.by_segment[person.segment] -= 1
        if left.sized is not None:
            left.closing -= left.sized.free(person.id)
        elif left.closing:
            left.closing -= 1
        person.place = NO_PLACE
        person.last_place = left.index
        person.epoch += 1
        person.breakdown_at = math.inf
        if left.entries:
            self._pending.append(left)

    def admit_to_target(self, person: Person, place: int, waited: float, now: float) -> None:
        """Admit ``person`` to the place they are headed for, after ``waited`` days in line."""
        self._recorder.admission(place, person.segment, waited)
        if person.queued:
            self.leave_queues(person, now)
        if person.home is not None:  # admitted while away in an institution
            self.release_home(person, now)
        person.target = NO_PLACE
        self.move_in(person, place, False, now)
        self._on_admission(person, place, now)

    def renew_stay(self, person: Person, now: float) -> None:
        """``person`` is routed back to the place they are in: a new stay, same unit."""
        place = person.place
        self.leave_queues(person, now)
        if person.ready:
            self._unblock(person, now)
        person.waiting = False
        person.target = NO_PLACE
        recorder = self._recorder
        recorder.admission(place, person.segment, 0.0)
        if self._tracing:
            recorder.log(now, person, EventKind.ADMISSION, place, place)
        self._on_admission(person, place, now)

    def head_for(self, person: Person, target: int, now: float) -> None:
        """``person`` is headed for ``target``: admitted now, or in line for it.

        Admitted now if a unit is free and nobody is in line; otherwise they queue, and
        ``person.target`` is ``target`` until they are admitted.
        """
        if self.admits_at_once(target):
            self.admit_to_target(person, target, 0.0, now)
            self.drain(now)
        else:
            self.queue_for(person, target, now)

    def queue_for(self, person: Person, target: int, now: float) -> None:
        """``person`` is headed for ``target`` and joins its queue (admitted now if they can be)."""
        person.target = target
        self._join_queue(person, target, now)
        place = self.places[target]
        if place.sized is not None:  # the total says nothing while units of a size close
            if place.sized.free_size(person.segment) != NO_SIZE:
                self._pending.append(place)
                self.drain(now)
        elif place.present + place.held < place.capacity:  # free units, but people ahead
            self._pending.append(place)
            self.drain(now)

    def wait(self, person: Person, now: float) -> None:
        """Put a person without a place in the best waiting place with room that fits them."""
        for place in self._waiting:
            if place.sized is not None:
                if place.sized.free_size(person.segment) != NO_SIZE:
                    break
            elif place.present + place.held < place.capacity:
                break
        self._recorder.count(ADMISSION, place.index, person.segment)
        self.move_in(person, place.index, True, now)
        if place is not self._waiting[0]:
            self.queue_for_better_waiting_places(person, now)

    def leave_to_wait(self, person: Person, now: float) -> None:
        """``person`` leaves their place to wait for their target elsewhere.

        They leave a ``when_ready = "leave"`` place when their stay ends, or an
        institution they were admitted to from a waiting place. The unit they free can
        set off a chain of moves that ends with their own admission to their target
        (someone blocking a unit there moves into the freed one); then they do not wait.
        """
        if self._tracing:
            self._recorder.log(now, person, EventKind.LEAVE, person.place, person.target)
        self.vacate(person, now)
        self.drain(now)
        if person.place == NO_PLACE:
            self.wait(person, now)

    def queue_for_better_waiting_places(self, person: Person, now: float) -> None:
        """Queue a waiting person for the waiting places better than the one they are in."""
        for better in self._waiting:
            index = better.index
            if index == person.place:
                break
            if better.sized is not None and not better.sized.fits(person.segment):
                continue  # no unit there fits their household
            if index != person.target and index not in person.queued:
                self._join_queue(person, index, now)

    def mark_ready(self, person: Person, now: float) -> None:
        """The stay of ``person`` has ended: they wait where they are for the next place."""
        place = self.places[person.place]
        meter = place.meter
        if now > meter.last:
            meter.advance(now)
        person.ready = True
        place.blocked += 1

    def leave_queues(self, person: Person, now: float) -> None:
        """``person`` gives up every ticket they hold."""
        if person.queued:
            places = self.places
            for index in person.queued:
                place = places[index]
                place.entries -= 1
                if index == person.target:
                    _count_headed(place, -1, now)
            person.queued.clear()

    def leave_waiting_queues(self, person: Person) -> None:
        """``person`` gives up their tickets for better waiting places, keeping their target's."""
        for index in [place for place in person.queued if place != person.target]:
            del person.queued[index]
            self.places[index].entries -= 1

    # ------------------------------------------------------------- institution stays

    def go_away(self, person: Person, institution: int, home: HomeKept, now: float) -> None:
        """``person`` is admitted to ``institution`` and their unit at home is held for them.

        Their scheduled stay events at home become stale (the epoch moves on).
        """
        left = self.places[home.place]
        person.home = home
        if person.ready:
            self._unblock(person, now)
        meter = left.meter
        if now > meter.last:
            meter.advance(now)
        left.present -= 1
        left.by_segment[person.segment] -= 1
        left.held += 1
        person.epoch += 1
        person.place = institution
        entered = self.places[institution]
        meter = entered.meter
        if now > meter.last:
            meter.advance(now)
        entered.present += 1
        entered.by_segment[person.segment] += 1
        recorder = self._recorder
        recorder.count(ADMISSION, institution, person.segment)
        recorder.move(person.segment, home.place, institution)
        if self._tracing:
            recorder.log(now, person, EventKind.ADMISSION, institution, institution)

    def come_home(self, person: Person, now: float) -> None:
        """``person`` leaves the institution for the unit held for them."""
        home = person.home
        assert home is not None
        left = self.places[person.place]
        meter = left.meter
        if now > meter.last:
            meter.advance(now)
        left.present -= 1
        left.by_segment[person.segment] -= 1
        if left.closing:
            left.closing -= 1
        if left.entries:
            self._pending.append(left)
        entered = self.places[home.place]
        meter = entered.meter
        if now > meter.last:
            meter.advance(now)
        entered.held -= 1
        entered.present += 1
        entered.by_segment[person.segment] += 1
        person.place = home.place
        person.home = None
        recorder = self._recorder
        recorder.move(person.segment, left.index, home.place)
        if self._tracing:
            recorder.log(now, person, EventKind.RETURN, home.place, home.place)

    def release_home(self, person: Person, now: float) -> None:
        """The unit held for ``person`` is freed (they left the target group, or moved on)."""
        home = person.home
        assert home is not None
        place = self.places[home.place]
        meter = place.meter
        if now > meter.last:
            meter.advance(now)
        place.held -= 1
        if place.sized is not None:
            place.closing -= place.sized.free(person.id)
        elif place.closing:
            place.closing -= 1
        if place.entries:
            self._pending.append(place)
        person.home = None

    # -------------------------------------------------------------- capacity, queues

    def set_capacity(self, place: int, capacity: float, now: float) -> None:
        """The capacity of ``place`` changes (a building or closing plan).

        Nobody is evicted: units above a reduced capacity close as they are vacated.
        """
        changed = self.places[place]
        meter = changed.meter
        if now > meter.last:
            meter.advance(now)
        changed.capacity = capacity
        if changed.sized is None:  # a place with sizes closes units by size
            units = changed.present + changed.held
            changed.closing = int(units - capacity) if units > capacity else 0
        self._pending.append(changed)

    def set_unit_sizes(self, year: int, now: float) -> None:
        """Open and close units of each size for simulated ``year`` (their building plans).

        Nobody is evicted: units above a reduced count close as they are vacated. Places
        without sizes are not touched (their capacity is :meth:`set_capacity`'s).
        """
        for place in self._sized:
            sized = place.sized
            assert sized is not None
            meter = place.meter
            if now > meter.last:
                meter.advance(now)
            if sized.set_year(year):
                place.capacity = sum(sized.capacity)
                place.closing = sum(sized.closing)
                self._pending.append(place)

    def drain(self, now: float) -> None:
        """Offer free units to queues, until no admission is possible anywhere."""
        if self._draining or not self._pending:
            return
        self._draining = True
        pending = self._pending
        while pending:
            place = pending.popleft()
            if place.sized is not None:
                self._drain_sized(place, now)
                continue
            queue = place.queue
            index = place.index
            while place.entries and place.present + place.held < place.capacity:
                _, ticket, person, joined = heapq.heappop(queue)
                if person.queued.get(index) != ticket:
                    continue  # left this queue earlier
                self._admit_from_line(place, person, joined, now)
            if not place.entries:
                queue.clear()
        self._draining = False

    def _admit_from_line(self, place: Place, person: Person, joined: float, now: float) -> None:
        """``person``, taken from the queue of ``place``, moves in.

        Admitted to their target, or moving up the waiting list.
        """
        index = place.index
        del person.queued[index]
        place.entries -= 1
        if index == person.target:
            _count_headed(place, -1, now)
            self.admit_to_target(person, index, now - joined, now)
        else:  # moving up the waiting list
            self._recorder.count(ADMISSION, index, person.segment)
            self.move_in(person, index, True, now)

    def _drain_sized(self, place: Place, now: float) -> None:
        """Offer the free units of a place with sizes to its queue, in queue order.

        Each person in line, in order, takes the smallest free unit that fits their
        household; one that no free unit fits keeps their place in line without holding
        up those behind them.
        """
        sized = place.sized
        assert sized is not None
        if not place.entries or not sized.any_free():
            return
        index = place.index
        in_line = sorted(place.queue)
        place.queue.clear()
        kept: list[QueueEntry] = []
        for position, entry in enumerate(in_line):
            _, ticket, person, joined = entry
            if person.queued.get(index) != ticket:
                continue  # left this queue earlier
            if sized.free_size(person.segment) == NO_SIZE:
                kept.append(entry)
                if not sized.any_free():
                    kept += in_line[position + 1:]
                    break
                continue
            self._admit_from_line(place, person, joined, now)
        place.queue.extend(kept)  # with anyone who joined meanwhile (nobody does today)
        heapq.heapify(place.queue)
        if not place.entries:
            place.queue.clear()

    def _join_queue(self, person: Person, index: int, now: float) -> None:
        self._tickets += 1
        ticket = self._tickets
        person.queued[index] = ticket
        place = self.places[index]
        heapq.heappush(place.queue, (self._priority[person.segment], ticket, person, now))
        place.entries += 1
        if index == person.target:
            _count_headed(place, 1, now)

    def _unblock(self, person: Person, now: float) -> None:
        place = self.places[person.place]
        meter = place.meter
        if now > meter.last:
            meter.advance(now)
        person.ready = False
        place.blocked -= 1

    # ------------------------------------------------------------------------- audit

    def _audit_sizes(self, place: Place, people: list[Person]) -> None:
        """Check the units of each size of ``place`` against its people and its queue.

        Every household there (or away with its unit kept) holds a unit that fits it, and
        nobody headed for the place is in line while a free unit fits them.
        """
        sized = place.sized
        assert sized is not None
        index = place.index
        where = f"place {index}"
        problem = sized.audit()
        if problem is not None:
            raise AuditError(f"{where}: {problem}")
        if len(sized.holder) != place.present + place.held:
            raise AuditError(f"{where}: {len(sized.holder)} units held by households, "
                             f"{place.present + place.held} taken")
        for person in people:
            home = person.home.place if person.home is not None else person.place
            if home == index and sized.holder.get(person.id) not in sized.choices[
                    person.segment]:
                raise AuditError(f"{where}: person {person.id} holds no unit that fits")
        for _, ticket, person, _ in place.queue:
            if (person.queued.get(index) == ticket and person.target == index
                    and sized.free_size(person.segment) != NO_SIZE):
                raise AuditError(f"{where}: person {person.id} is in line while a free "
                                 "unit fits them")
        if sum(sized.closing) != place.closing:
            raise AuditError(f"{where}: {place.closing} units closing, by size "
                             f"{sized.closing}")

    def audit(self, people: Iterable[Person]) -> None:
        """Check the places' books against ``people`` (everyone in the target group).

        Meant for tests, between events. Raises :class:`AuditError` if a unit is taken
        beyond capacity, if a count or queue disagrees with the people, or if someone is
        waiting without a target and a ticket for it.
        """
        if self._pending or self._draining:
            raise AuditError("units are still being offered to queues")
        everyone = list(people)
        people = everyone
        waiting_places = {place.index for place in self._waiting}
        places = self.places
        present = [[0] * len(place.by_segment) for place in places]
        held = [0] * len(places)
        blocked = [0] * len(places)
        headed = [0] * len(places)
        entries = [0] * len(places)
        tickets = [{(ticket, id(person)) for _, ticket, person, _ in place.queue}
                   for place in places]
        for person in people:
            where = f"person {person.id}"
            if not person.alive:
                raise AuditError(f"{where} has left but is still counted")
            if person.place == NO_PLACE:
                raise AuditError(f"{where} is in no place between events")
            present[person.place][person.segment] += 1
            if person.ready:
                blocked[person.place] += 1
            if person.home is not None:
                held[person.home.place] += 1
            for index, ticket in person.queued.items():
                entries[index] += 1
                if index == person.target:
                    headed[index] += 1
                if (ticket, id(person)) not in tickets[index]:
                    raise AuditError(f"{where} holds a ticket missing from queue {index}")
            if person.target != NO_PLACE and person.target not in person.queued:
                raise AuditError(f"{where} is headed for {person.target} without a ticket")
            if person.waiting:
                if person.target == NO_PLACE:
                    raise AuditError(f"{where} waits in place {person.place} with no target")
                if person.place not in waiting_places:
                    raise AuditError(f"{where} waits in {person.place}, not a waiting place")
        for place in places:
            where = f"place {place.index}"
            if place.present + place.held > place.capacity + place.closing:
                raise AuditError(f"{where}: {place.units} units taken, capacity "
                                 f"{place.capacity} (+{place.closing} closing)")
            found = {
                "present": (place.by_segment, present[place.index]),
                "present in all": (place.present, sum(present[place.index])),
                "held": (place.held, held[place.index]),
                "blocked": (place.blocked, blocked[place.index]),
                "headed": (place.headed, headed[place.index]),
                "entries": (place.entries, entries[place.index]),
            }
            for what, (counted, actual) in found.items():
                if counted != actual:
                    raise AuditError(f"{where}: {what} counted {counted}, actually {actual}")
            if place.closing < 0:
                raise AuditError(f"{where}: {place.closing} units closing")
            if place.sized is not None:
                self._audit_sizes(place, everyone)


def _count_headed(place: Place, change: int, now: float) -> None:
    """``change`` more people (fewer, if negative) in line headed for ``place`` from ``now``.

    ``now`` is in days; the place's meter is brought up to it first, so the queue length
    it integrates changes at the right time.
    """
    meter = place.meter
    if now > meter.last:
        meter.advance(now)
    place.headed += change
