"""One person in the target group, and where they are on their path through the places."""

from __future__ import annotations

import math
from collections.abc import Sequence

from bosim.engine.randomness import PersonStream

NO_PLACE = -1
"""Place index of someone who is between places (or was never in one)."""


class HomeKept:
    """The unit a person keeps while away in an institution, and their paused clocks there."""

    __slots__ = ("breakdown_left", "place", "ready", "stay_left")

    def __init__(self, place: int, stay_left: float, breakdown_left: float, ready: bool) -> None:
        self.place = place
        """The place whose unit is held for the person."""
        self.stay_left = stay_left
        """Days of the stay at home still to go when the person left (inf: no end)."""
        self.breakdown_left = breakdown_left
        """Days until the housing would have broken down (inf: never)."""
        self.ready = ready
        """The stay at home had ended: the person was waiting to move on."""


class Person:
    """One person and their state: where they are, where they are headed, their clocks.

    The places module moves people (``place``, ``target``, ``waiting``, ``ready``,
    ``queued``, ``home``); the flow model keeps their stays (``epoch``, ``stay_end``,
    ``breakdown_at``, ``uniforms``); the recorder their housing spell.
    """

    __slots__ = (
        "alive",
        "breakdown_at",
        "epoch",
        "home",
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
        """Where the person is now (an institution while away from a kept home)."""
        self.last_place = NO_PLACE
        """The place the person left last (for flows and exits between places)."""
        self.target = NO_PLACE
        """The place the person is headed for and queued for, if any."""
        self.ready = False
        """The stay has ended and the person waits in the place for the next (blocking)."""
        self.waiting = False
        """The person is in a waiting place (``policy.waiting``), not in their target."""
        self.queued: dict[int, int] = {}
        """Place to queue ticket, for every queue the person is in."""
        self.home: HomeKept | None = None
        """The unit kept while the person is away in an institution."""
        self.epoch = 0
        """Bumped when the person moves, so that their stale scheduled events do nothing."""
        self.uniforms: Sequence[float] = ()
        """The current visit's uniforms: (route, stay, breakdown clock, spare)."""
        self.stay_end = math.inf
        """Day the current stay ends (inf: no end)."""
        self.breakdown_at = math.inf
        """Day the current housing breaks down (inf: never)."""
        self.spell_start = -1.0
        """Day the current housing spell started, or -1 outside a spell."""
        self.was_housed = False
        """The last place the person moved into was a housed place."""
        self.alive = True
        """Still in the target group."""
