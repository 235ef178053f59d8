"""numpy's seeding of a PCG64 stream, done by hand for streams that differ in one key.

``Generator(PCG64(SeedSequence(entropy, spawn_key=(*prefix, n))))`` costs about 20
microseconds, most of it in ``SeedSequence``; a replication makes one for each person's
crises. The words of ``entropy`` and ``prefix`` are the same for every ``n``, so
:class:`SpawnedStates` hashes them once and finishes the hash for a block of ``n`` at
once in numpy arrays (people are numbered 0, 1, 2, ... in a group), giving the PCG64
starting states that numpy would give (the algorithms of numpy's ``bit_generator.pyx``
and ``pcg64.c``, which numpy keeps stable because seeded streams must not change): about
0.6 microseconds per stream in a group of a thousand, against 3.5 hashing each by hand.
:class:`UniformDrawer` then draws from such a state exactly what the seeded generator's
``random`` would, in chunks of any size. ``tests/unit/test_engine_randomness.py`` checks
both against numpy itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

MASK32 = 0xFFFFFFFF
MASK128 = (1 << 128) - 1
POOL_SIZE = 4
"""Words in a SeedSequence's entropy pool (numpy's default)."""
INIT_A = 0x43B0D7E5
MULT_A = 0x931E8875
INIT_B = 0x8B51F9DD
MULT_B = 0x58F38DED
MIX_MULT_L = 0xCA01F9DD
MIX_MULT_R = 0x4973F715
XSHIFT = 16
PCG64_MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645
"""PCG64 moves its 128-bit state to ``state * PCG64_MULTIPLIER + increment`` per draw."""

PCG64State = tuple[int, int]
"""(state, increment) of a PCG64 bit generator, as in its ``state["state"]``."""


def uint32_words(value: int | Sequence[int]) -> list[int]:
    """The 32-bit words numpy makes of an entropy or key (little-endian, 0 is one word)."""
    if isinstance(value, int):
        if value < 0:
            raise ValueError("seeds and keys must be 0 or more")
        words = [value & MASK32]
        value >>= 32
        while value:
            words.append(value & MASK32)
            value >>= 32
        return words
    return [word for part in value for word in uint32_words(part)]


class _Hash:
    """SeedSequence's running hash constant: each use moves it on."""

    def __init__(self) -> None:
        self.constant = INIT_A

    def mix(self, value: int) -> int:
        value ^= self.constant
        self.constant = (self.constant * MULT_A) & MASK32
        value = (value * self.constant) & MASK32
        return value ^ (value >> XSHIFT)


def _mix(x: int, y: int) -> int:
    result = (MIX_MULT_L * x - MIX_MULT_R * y) & MASK32
    return result ^ (result >> XSHIFT)


def _column(values: list[int]) -> npt.NDArray[np.uint64]:
    """Words as a uint64 column, to broadcast over a block of numbers."""
    return np.array(values, dtype=np.uint64)[:, np.newaxis]


def _constant_pairs(constant: int, multiplier: int, count: int) -> list[tuple[int, int]]:
    """A hash constant's successive values around each use: (xored in, multiplied in)."""
    pairs = []
    for _ in range(count):
        after = (constant * multiplier) & MASK32
        pairs.append((constant, after))
        constant = after
    return pairs


NUMBERS_PER_BLOCK = 64
"""Last words whose hash :class:`SpawnedStates` works out at once, in numpy arrays.

A block costs about 20 microseconds however small (a fixed number of numpy calls), and
hashing one number by hand about 3.5; many groups of people have only a few people, and
a group of a thousand gains little from blocks larger than this.
"""


class SpawnedStates:
    """PCG64 starting states of ``SeedSequence(entropy, spawn_key=(*prefix, n))``, by ``n``.

    The hash of ``n`` is worked out for a block of :data:`NUMBERS_PER_BLOCK` numbers at
    once (32-bit arithmetic in uint64 arrays: exact, as every product of two 32-bit words
    fits in 64 bits), when a number of the block is first asked for; only the current
    block is kept. The 128-bit PCG64 seeding then runs per number, in Python ints.

    Args:
        entropy: the root seed sequence's entropy (an int or a tuple of ints, 0 or more).
        prefix: the spawn key's words before the last (ints below 2**32).

    """

    def __init__(self, entropy: int | Sequence[int], prefix: Sequence[int]) -> None:
        run = uint32_words(entropy)
        run += [0] * (POOL_SIZE - len(run))  # padded because a spawn key follows
        words = run + uint32_words(list(prefix))
        hashing = _Hash()
        mixer = [hashing.mix(word) for word in words[:POOL_SIZE]]
        for source in range(POOL_SIZE):
            for target in range(POOL_SIZE):
                if source != target:
                    mixer[target] = _mix(mixer[target], hashing.mix(mixer[source]))
        for word in words[POOL_SIZE:]:
            for target in range(POOL_SIZE):
                mixer[target] = _mix(mixer[target], hashing.mix(word))
        # The hash constants the last word meets, and those of generate_state: the same
        # for every ``last``, so worked out once here, as columns (one row per pool word).
        last_constants = _constant_pairs(hashing.constant, MULT_A, POOL_SIZE)
        state_constants = _constant_pairs(INIT_B, MULT_B, 2 * POOL_SIZE)
        self._last_before = _column([before for before, _ in last_constants])
        self._last_after = _column([after for _, after in last_constants])
        # _mix(mixed, value) = (MIX_MULT_L * mixed - MIX_MULT_R * value) mod 2**32: the
        # first term is the same for every ``last``.
        self._pool_base = _column([(MIX_MULT_L * mixed) & MASK32 for mixed in mixer])
        self._state_before = _column([before for before, _ in state_constants])
        self._state_after = _column([after for _, after in state_constants])
        self._block_number: int | None = None
        self._block: list[list[int]] = []
        """Per number of the current block: [seed high, seed low, sequence high, low]."""

    def state(self, last: int) -> PCG64State:
        """The starting (state, increment) for the spawn key's last word ``last`` (< 2**32).

        Cheapest when asked for in order (people in the order they come): asking for a
        number of another block than the last one's hashes that block again. Raises
        ValueError for a ``last`` below 0 or from 2**32 on.
        """
        block_number, offset = divmod(last, NUMBERS_PER_BLOCK)
        if block_number != self._block_number:
            self._block = self._hash_block(block_number)
            self._block_number = block_number
        seed_high, seed_low, sequence_high, sequence_low = self._block[offset]
        # The 128-bit seeding written out in as few int operations as it takes: it runs
        # once per person.
        increment = (sequence_high << 65 | sequence_low << 1 | 1) & MASK128
        # pcg64_set_seed: one step from 0, add the seed, one more step.
        state = ((increment + (seed_high << 64 | seed_low)) * PCG64_MULTIPLIER
                 + increment) & MASK128
        return state, increment

    def _hash_block(self, block_number: int) -> list[list[int]]:
        """SeedSequence's 64-bit state words of each number of a block (see :meth:`state`).

        Arrays are (pool word, number); every value is below 2**32 before a product, and
        a difference that wraps below 0 wraps modulo 2**64, a multiple of 2**32.
        """
        start = block_number * NUMBERS_PER_BLOCK
        if not 0 <= start <= (1 << 32) - NUMBERS_PER_BLOCK:
            raise ValueError("the spawn key's last word must be 0 or more and below 2**32")
        last = np.arange(start, start + NUMBERS_PER_BLOCK, dtype=np.uint64)
        value = ((last ^ self._last_before) * self._last_after) & MASK32  # _Hash.mix
        value ^= value >> XSHIFT
        pool = (self._pool_base - value * MIX_MULT_R) & MASK32  # _mix with the mixer
        pool ^= pool >> XSHIFT
        # SeedSequence.generate_state(4, uint64): eight words from the pool, in pairs.
        words = ((np.tile(pool, (2, 1)) ^ self._state_before) * self._state_after) & MASK32
        words ^= words >> XSHIFT
        paired = words[0::2] | words[1::2] << np.uint64(32)
        rows: list[list[int]] = paired.T.tolist()
        return rows


class UniformDrawer:
    """Draws uniforms from any PCG64 state on one reusable generator."""

    def __init__(self) -> None:
        self._bits = np.random.PCG64(0)
        self._generator = np.random.Generator(self._bits)
        self._steps: dict[int, tuple[int, int]] = {}

    def draw(self, stream: PCG64State, rows: int, columns: int) -> tuple[list[list[float]],
                                                                         PCG64State]:
        """``rows`` x ``columns`` uniforms of the stream, and its state after them."""
        state, increment = stream
        self._bits.state = {"bit_generator": "PCG64",
                            "state": {"state": state, "inc": increment},
                            "has_uint32": 0, "uinteger": 0}
        uniforms = self._generator.random((rows, columns)).tolist()
        return uniforms, (self._skip(state, increment, rows * columns), increment)

    def _skip(self, state: int, increment: int, draws: int) -> int:
        """The state ``draws`` steps on: one draw of a double is one step."""
        jump = self._steps.get(draws)
        if jump is None:
            multiplier, factor = 1, 0
            for _ in range(draws):  # state -> a * state + b * increment, step by step
                multiplier, factor = ((multiplier * PCG64_MULTIPLIER) & MASK128,
                                      (factor * PCG64_MULTIPLIER + 1) & MASK128)
            jump = self._steps[draws] = (multiplier, factor)
        multiplier, factor = jump
        return (multiplier * state + factor * increment) & MASK128
