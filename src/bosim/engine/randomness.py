"""Named random streams, so that scenarios compared with one seed share their randomness.

Every stream of a run descends from ``numpy.random.SeedSequence(entropy)``: replication
``i`` is its child ``i`` (``SeedSequence(entropy).spawn(n)[i]``), and inside a
replication each stream is keyed by a stable hash (SHA-256, not Python's ``hash``) of its
name. The draws that belong to one person (exit time, routes, stays, breakdown clocks,
crises) come from that person's own stream, keyed by segment and arrival number, so two
scenarios run with the same seed differ only where their policies differ (common random
numbers).

The entropy is the run's ``seed`` for sample 0 (a plain run: exactly the streams of
earlier versions) and the pair ``(seed, sample)`` for a parameter draw ``sample > 0``.
So every draw of a sample has its own streams, which depend only on (seed, sample,
replication) and never on which worker process runs it; and replication ``i`` of two
scenarios run with the same seed and sample still shares its streams.

No global state: nothing here calls ``np.random.seed``.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator

import numpy as np

from bosim.engine.seeding import PCG64State, SpawnedStates, UniformDrawer

PERSONS_PER_BLOCK = 256
"""People whose first draws are made in one vectorised block."""
ROWS_PER_DRAW = 32
"""Rows of a block drawn at once, as its people come."""
VISITS_PER_BLOCK_ROW = 6
"""Visits whose uniforms are pre-drawn per person; later visits use the person's own generator."""
DRAWS_PER_VISIT = 4
"""Uniforms per visit: route, stay, breakdown clock, spare (residual stays, breakdown route)."""
ROW_WIDTH = 1 + VISITS_PER_BLOCK_ROW * DRAWS_PER_VISIT  # column 0: the exit clock
DRAWS_PER_CRISIS = 4
"""Uniforms per crisis: time to the next one, handling time, outcome, institution stay."""
CRISES_PER_DRAW = 16
"""Crises whose uniforms are drawn at once from the person's crisis generator."""
FIRST_CRISES_DRAWN = 2
"""Crises in the first draw from a person's crisis generator, then CRISES_PER_DRAW.

Every person draws a first crisis time; in ``scenarios/medium_municipality.toml`` half
of them have no crisis in their time (one row used) and two in three at most one (two
rows), so a first chunk of 16 rows would mostly be made and thrown away (about 2 ms of
a replication's 100 there). The rows are the same however the draws are chunked.
"""


@functools.lru_cache(maxsize=4096)
def stable_key(name: str) -> int:
    """A 32-bit key for a stream name that is the same on every machine and run."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "little")


def run_entropy(seed: int, sample: int = 0) -> int | tuple[int, int]:
    """The entropy of a run's root seed sequence: ``seed``, or ``(seed, sample)`` for a draw."""
    return seed if sample == 0 else (seed, sample)


class ReplicationStreams:
    """All random streams of one replication, created on demand by name.

    Args:
        seed: the run's seed.
        replication: the replication number (its child of the root seed sequence).
        sample: the parameter draw; 0 for a plain run.

    """

    def __init__(self, seed: int, replication: int, sample: int = 0) -> None:
        self.seed = seed
        self.replication = replication
        self.sample = sample
        self._entropy = run_entropy(seed, sample)
        self._groups: dict[str, PeopleStreams] = {}
        self.drawer = UniformDrawer()
        """Draws the uniforms of streams seeded by :meth:`spawned`."""

    def generator(self, *names: str | int) -> np.random.Generator:
        """A generator for a named stream, e.g. ``generator("arrivals", "rop_high")``."""
        keys = tuple(n if isinstance(n, int) else stable_key(n) for n in names)
        sequence = np.random.SeedSequence(self._entropy, spawn_key=(self.replication, *keys))
        return np.random.Generator(np.random.PCG64(sequence))

    def spawned(self, *names: str | int) -> SpawnedStates:
        """Starting states of the streams ``(*names, n)`` by ``n``, for :attr:`drawer`.

        Stream ``(*names, n)`` gives exactly the numbers of ``generator(*names, n)``,
        without making a generator each.
        """
        keys = [n if isinstance(n, int) else stable_key(n) for n in names]
        return SpawnedStates(self._entropy, [self.replication, *keys])

    def people(self, group: str) -> PeopleStreams:
        """The streams of a group of people: a segment's arrivals or its initial people."""
        streams = self._groups.get(group)
        if streams is None:
            streams = self._groups[group] = PeopleStreams(self, group)
        return streams

    def person(self, group: str, number: int) -> PersonStream:
        """The stream of person ``number`` of a group."""
        return self.people(group).person(number)


class PeopleStreams:
    """The streams of the people of one group, by their number in the group.

    Their first draws are rows of a block of people, drawn in order as people come; only
    the current block is kept (another block is drawn again if asked for).
    """

    def __init__(self, streams: ReplicationStreams, group: str) -> None:
        self.streams = streams
        self.key = stable_key(group)
        self._block_number = -1
        self._block: list[list[float]] = []
        """The rows of the current block drawn so far."""
        self._block_generator: np.random.Generator | None = None
        self._crisis_states: SpawnedStates | None = None

    def crisis_start(self, number: int) -> PCG64State:
        """Start of person ``number``'s crisis stream (``generator("crisis", key, number)``)."""
        if self._crisis_states is None:
            self._crisis_states = self.streams.spawned("crisis", self.key)
        return self._crisis_states.state(number)

    def person(self, number: int) -> PersonStream:
        """The stream of person ``number`` of the group."""
        block_number, row = divmod(number, PERSONS_PER_BLOCK)
        if block_number != self._block_number:
            self._block_generator = self.streams.generator("person-block", self.key,
                                                           block_number)
            self._block = []
            self._block_number = block_number
        block, generator = self._block, self._block_generator
        while row >= len(block):
            # The block's rows in order, a few at a time: row r gets the same uniforms as
            # if the whole block were drawn at once, and small groups draw little.
            rows = min(ROWS_PER_DRAW, PERSONS_PER_BLOCK - len(block))
            assert generator is not None
            block.extend(generator.random((rows, ROW_WIDTH)).tolist())
        return PersonStream(self, number, block[row])


class PersonStream:
    """The uniforms that belong to one person, visit by visit and crisis by crisis.

    Visit ``v`` always uses the same four uniforms, whatever happened before, so a
    person's stay in their third place does not depend on how many draws an earlier
    place took. The first visits come from a pre-drawn block row; later ones, extra
    uniforms and crises from generators keyed to the person, made on first use.
    """

    __slots__ = ("_group", "_more", "_number", "_row", "_visits")

    def __init__(self, group: PeopleStreams, number: int, row: list[float]) -> None:
        self._group = group
        self._number = number
        self._row = row
        self._visits = 0
        self._more: _MoreDraws | None = None

    @property
    def key(self) -> tuple[int, int]:
        """(group key, number in the group), to name streams of the person's own."""
        return (self._group.key, self._number)

    @property
    def exit_uniform(self) -> float:
        """The uniform behind the person's time until leaving the target group."""
        return self._row[0]

    def next_visit(self) -> list[float]:
        """Uniforms [route, stay, breakdown, spare] of the person's next visit (0, 1, ...).

        A visit is a routing decision and the stay it leads to.
        """
        visit = self._visits
        self._visits = visit + 1
        if visit < VISITS_PER_BLOCK_ROW:
            start = 1 + visit * DRAWS_PER_VISIT
            return self._row[start:start + DRAWS_PER_VISIT]
        return self.visit(visit)

    def visit(self, visit: int) -> list[float]:
        """Uniforms [route, stay, breakdown, spare] of the person's visit number ``visit``."""
        if visit < VISITS_PER_BLOCK_ROW:
            start = 1 + visit * DRAWS_PER_VISIT
            return self._row[start:start + DRAWS_PER_VISIT]
        more = self._more_draws()
        position = visit - VISITS_PER_BLOCK_ROW
        while position >= len(more.visits):
            # Whole visits, always in order: visit v gets the same uniforms however the
            # draws are chunked.
            if more.later is None:
                more.later = self._generator("person-later")
            more.visits.extend(more.later.random((8, DRAWS_PER_VISIT)).tolist())
        return more.visits[position]

    def crises(self) -> Iterator[list[float]]:
        """The uniforms of the person's crises in order: ``next`` gives the next crisis's.

        Each row is [gap, handling, outcome, institution stay]. One iterator per person,
        made on first use and kept; its rows come from the person's crisis stream
        (``generator("crisis", group key, number)``), drawn a few at a time (a stream's
        uniforms do not depend on how the draws are chunked).
        """
        more = self._more_draws()
        if more.crises is None:
            more.crises = _crisis_rows(self._group, self._number)
        return more.crises

    def next_crisis(self) -> list[float]:
        """Uniforms [gap, handling, outcome, institution stay] of the person's next crisis."""
        return next(self.crises())

    def extra(self) -> float:
        """One more uniform for rare, variable-length needs (rejection sampling)."""
        more = self._more_draws()
        if more.extra is None:
            more.extra = self._generator("person-extra")
        return float(more.extra.random())

    def _more_draws(self) -> _MoreDraws:
        if self._more is None:
            self._more = _MoreDraws()
        return self._more

    def _generator(self, name: str) -> np.random.Generator:
        return self._group.streams.generator(name, self._group.key, self._number)


def _crisis_rows(group: PeopleStreams, number: int) -> Iterator[list[float]]:
    """The crisis uniforms of person ``number`` of ``group``, in rows, endlessly.

    A function of the group, not a method of the person's stream: the stream keeps the
    iterator, which must not keep the stream (a reference cycle per person would leave
    every person to the cyclic garbage collector).
    """
    state = group.crisis_start(number)
    drawer = group.streams.drawer
    rows = FIRST_CRISES_DRAWN
    while True:
        chunk, state = drawer.draw(state, rows, DRAWS_PER_CRISIS)
        yield from chunk
        rows = CRISES_PER_DRAW


class _MoreDraws:
    """A person's draws beyond the pre-drawn row, made only when first needed."""

    __slots__ = ("crises", "extra", "later", "visits")

    def __init__(self) -> None:
        self.visits: list[list[float]] = []
        """Uniforms of the visits after the pre-drawn ones."""
        self.later: np.random.Generator | None = None
        self.extra: np.random.Generator | None = None
        self.crises: Iterator[list[float]] | None = None
        """The person's crisis uniforms (:meth:`PersonStream.crises`)."""
