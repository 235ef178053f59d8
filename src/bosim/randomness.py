"""Named random streams, so that scenarios compared with one seed share their randomness.

Every stream of a run descends from ``numpy.random.SeedSequence(seed)``: replication
``i`` is its child ``i`` (``SeedSequence(seed).spawn(n)[i]``), and inside a replication
each stream is keyed by a stable hash (SHA-256, not Python's ``hash``) of its name. The
draws that belong to one person (exit time, routes, stays, breakdown clocks) come from
that person's own stream, keyed by segment and arrival number, so two scenarios run
with the same seed differ only where their policies differ (common random numbers).

No global state: nothing here calls ``np.random.seed``.
"""

from __future__ import annotations

import functools
import hashlib

import numpy as np

PERSONS_PER_BLOCK = 256
"""People whose first draws are made in one vectorised block."""
VISITS_PER_BLOCK_ROW = 6
"""Visits whose uniforms are pre-drawn per person; later visits use the person's own generator."""
DRAWS_PER_VISIT = 4
"""Uniforms per visit: route, stay, breakdown clock, spare (residual stays, breakdown route)."""
ROW_WIDTH = 1 + VISITS_PER_BLOCK_ROW * DRAWS_PER_VISIT  # column 0: the exit clock


@functools.lru_cache(maxsize=4096)
def stable_key(name: str) -> int:
    """A 32-bit key for a stream name that is the same on every machine and run."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "little")


def replication_sequence(seed: int, replication: int) -> np.random.SeedSequence:
    """The seed sequence of one replication: child ``replication`` of ``SeedSequence(seed)``."""
    return np.random.SeedSequence(seed, spawn_key=(replication,))


class ReplicationStreams:
    """All random streams of one replication, created on demand by name."""

    def __init__(self, seed: int, replication: int) -> None:
        self.seed = seed
        self.replication = replication
        self._blocks: dict[tuple[int, int, int], list[list[float]]] = {}

    def generator(self, *names: str | int) -> np.random.Generator:
        """A generator for a named stream, e.g. ``generator("arrivals", "rop_high")``."""
        keys = tuple(n if isinstance(n, int) else stable_key(n) for n in names)
        sequence = np.random.SeedSequence(self.seed, spawn_key=(self.replication, *keys))
        return np.random.Generator(np.random.PCG64(sequence))

    def person(self, group: str, number: int) -> PersonStream:
        """The stream of person ``number`` of a group (a segment's arrivals or initial people)."""
        group_key = stable_key(group)
        block_number, row = divmod(number, PERSONS_PER_BLOCK)
        block_id = (group_key, block_number, 0)
        block = self._blocks.get(block_id)
        if block is None:
            uniforms = self.generator("person-block", group_key, block_number).random(
                (PERSONS_PER_BLOCK, ROW_WIDTH)
            )
            block = uniforms.tolist()
            self._blocks[block_id] = block
            if len(self._blocks) > 64:  # people arrive in order: old blocks are done
                del self._blocks[next(iter(self._blocks))]
        return PersonStream(self, group_key, number, block[row])


class PersonStream:
    """The uniforms that belong to one person, visit by visit.

    Visit ``v`` always uses the same four uniforms, whatever happened before, so a
    person's stay in their third place does not depend on how many draws an earlier
    place took. The first visits come from a pre-drawn block row; later ones from a
    generator keyed to the person.
    """

    __slots__ = (
        "_crisis", "_extra", "_group_key", "_later", "_later_draws", "_number", "_row", "_streams",
    )

    def __init__(
        self, streams: ReplicationStreams, group_key: int, number: int, row: list[float]
    ) -> None:
        self._streams = streams
        self._group_key = group_key
        self._number = number
        self._row = row
        self._later: list[list[float]] = []
        self._later_draws: np.random.Generator | None = None
        self._extra: np.random.Generator | None = None
        self._crisis: np.random.Generator | None = None

    @property
    def exit_uniform(self) -> float:
        """The uniform behind the person's time until leaving the target group."""
        return self._row[0]

    def visit(self, visit: int) -> tuple[float, float, float, float]:
        """Uniforms (route, stay, breakdown, spare) for the person's visit number ``visit``."""
        if visit < VISITS_PER_BLOCK_ROW:
            start = 1 + visit * DRAWS_PER_VISIT
            row = self._row
            return row[start], row[start + 1], row[start + 2], row[start + 3]
        position = visit - VISITS_PER_BLOCK_ROW
        while position >= len(self._later):
            # Whole visits, always in order: visit v gets the same uniforms however the
            # draws are chunked.
            if self._later_draws is None:
                self._later_draws = self._streams.generator(
                    "person-later", self._group_key, self._number
                )
            self._later.extend(self._later_draws.random((8, DRAWS_PER_VISIT)).tolist())
        u = self._later[position]
        return u[0], u[1], u[2], u[3]

    def crisis_generator(self) -> np.random.Generator:
        """The generator of the person's crises (their times, handling and outcomes)."""
        if self._crisis is None:
            self._crisis = self._streams.generator("crisis", self._group_key, self._number)
        return self._crisis

    def extra(self) -> float:
        """One more uniform for rare, variable-length needs (rejection sampling)."""
        if self._extra is None:
            self._extra = self._streams.generator("person-extra", self._group_key, self._number)
        return float(self._extra.random())
