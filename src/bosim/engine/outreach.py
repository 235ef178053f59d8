"""Outreach during a replication: who in a hidden place is found, and when.

A person who enters a hidden place (``places.<name>.hidden``) searched by an outreach
team gets a finding clock: the day they are found, drawn by
:class:`~bosim.engine.finding.FindingClock` from a uniform of their own stream
(``"outreach"``, keyed to the person), so that two scenarios run with the same seed find
the same person at the same hazard. Their stay in the hidden place (coming forward on
their own) and the finding compete: whichever comes first ends the hidden time, and the
place's route table applies. Being found is counted (``Count.FOUND``), logged, and its
delay kept for the metrics.

The clock restarts (memoryless) after a stay in an institution; the delay is counted
from entering the hidden place.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

import numpy as np
import simpy

from bosim.engine.compiled import CompiledScenario
from bosim.engine.person import NO_PLACE, Person
from bosim.engine.randomness import ReplicationStreams
from bosim.engine.record import Count, EventKind, FloatArray
from bosim.engine.recorder import Recorder

FOUND = int(Count.FOUND)


class Flow(Protocol):
    """What outreach needs from the flow model."""

    def at(self, time: float, callback: Callable[[simpy.Event], None]) -> None:
        """Run ``callback`` at day ``time`` (if before the horizon)."""

    def end_hidden_stay(self, person: Person) -> None:
        """The person's stay in the hidden place ends now: they follow its routes."""


class OutreachFlow:
    """The finding clocks of the people in hidden places of one replication."""

    def __init__(self, compiled: CompiledScenario, env: simpy.Environment,
                 streams: ReplicationStreams, recorder: Recorder, flow: Flow) -> None:
        self.compiled = compiled
        self.env = env
        self.streams = streams
        self.recorder = recorder
        self.flow = flow
        self._since: dict[int, float] = {}
        """Person id to the day they entered the hidden place they are in."""
        self._generators: dict[int, np.random.Generator] = {}
        """Person id to their outreach stream."""
        self._found: list[tuple[int, float]] = []
        """(segment, days hidden) of the people found in the observed window."""

    def start(self, person: Person, place: int, now: float, resumed: bool) -> None:
        """``person`` starts (``resumed``: goes on with) a stay in the hidden ``place``."""
        clock = self.compiled.finding[place]
        if clock is None:
            return
        if not resumed or person.id not in self._since:
            self._since[person.id] = now
        generator = self._generators.get(person.id)
        if generator is None:
            generator = self._generators[person.id] = self.streams.generator(
                "outreach", *person.stream.key)
        found_at = clock.found_at(now, -math.log1p(-float(generator.random())))
        if found_at < math.inf:
            epoch = person.epoch
            self.flow.at(found_at, lambda _: self._on_found(person, place, epoch))

    def _on_found(self, person: Person, place: int, epoch: int) -> None:
        if (person.epoch != epoch or not person.alive or person.place != place
                or person.ready):
            return  # moved, left, or came forward on their own first
        now = self.env.now
        recorder = self.recorder
        recorder.count(FOUND, place, person.segment)
        if recorder.tracing:
            recorder.log(now, person, EventKind.FOUND, place, NO_PLACE)
        since = self._since.pop(person.id, now)
        if recorder.in_window:
            self._found.append((person.segment, now - since))
        self.flow.end_hidden_stay(person)

    def found(self) -> FloatArray:
        """``[n, 2]``: (segment, days hidden) of everyone found in the observed window."""
        return np.array(self._found, dtype=np.float64).reshape(-1, 2)
