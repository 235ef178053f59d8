"""The engine's random streams: keyed by (seed, sample, replication, name), nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from bosim.engine.randomness import (
    CRISES_PER_DRAW,
    DRAWS_PER_CRISIS,
    FIRST_CRISES_DRAWN,
    PERSONS_PER_BLOCK,
    ROW_WIDTH,
    ReplicationStreams,
    stable_key,
)
from bosim.engine.seeding import NUMBERS_PER_BLOCK, SpawnedStates, UniformDrawer


def reference(entropy: int | tuple[int, int], replication: int, *keys: int) -> list[float]:
    """Three uniforms of a stream, built straight from numpy's SeedSequence."""
    sequence = np.random.SeedSequence(entropy, spawn_key=(replication, *keys))
    return np.random.Generator(np.random.PCG64(sequence)).random(3).tolist()


def test_sample_zero_keeps_the_streams_of_a_plain_run() -> None:
    key = stable_key("arrivals")
    assert ReplicationStreams(11, 2).generator("arrivals").random(3).tolist() == reference(
        11, 2, key)
    assert ReplicationStreams(11, 2, sample=0).generator("arrivals").random(3).tolist() == (
        reference(11, 2, key))


def test_a_sample_has_its_own_streams_keyed_by_seed_and_sample() -> None:
    key = stable_key("arrivals")
    drawn = ReplicationStreams(11, 2, sample=4).generator("arrivals").random(3).tolist()
    assert drawn == reference((11, 4), 2, key)
    assert drawn != reference(11, 2, key)
    assert drawn != ReplicationStreams(11, 2, sample=5).generator("arrivals").random(3).tolist()
    assert drawn != ReplicationStreams(12, 2, sample=4).generator("arrivals").random(3).tolist()


def test_next_visit_walks_the_visits_in_order() -> None:
    streams = ReplicationStreams(3, 0)
    walked = streams.person("group", 7)
    visited = [walked.next_visit() for _ in range(20)]  # past the pre-drawn block row
    fresh = ReplicationStreams(3, 0).person("group", 7)
    assert visited == [fresh.visit(number) for number in range(20)]


def test_crisis_uniforms_are_the_rows_of_the_persons_crisis_stream() -> None:
    stream = ReplicationStreams(3, 1).person("group", 7)
    rows = [stream.next_crisis() for _ in range(2 * CRISES_PER_DRAW + 3)]
    generator = ReplicationStreams(3, 1).generator("crisis", stable_key("group"), 7)
    expected = generator.random((3 * CRISES_PER_DRAW, DRAWS_PER_CRISIS)).tolist()
    assert rows == expected[:len(rows)]


def test_spawned_states_are_numpys_seeding_for_every_kind_of_key() -> None:
    """The hand-made seeding gives numpy's PCG64 state and numbers, key by key."""
    rng = np.random.default_rng(7)
    drawer = UniformDrawer()
    for entropy in (0, 11, 2**40 + 3, (11, 4), (2**33, 0), (5, 2**32 - 1)):
        for prefix in ((), (0,), (3, stable_key("crisis"), stable_key("chronic")), (2**35,)):
            spawned = SpawnedStates(entropy, prefix)
            for last in (0, 1, 255, int(rng.integers(2**32))):
                bits = np.random.PCG64(np.random.SeedSequence(entropy, spawn_key=(*prefix, last)))
                start = spawned.state(last)
                assert start == (bits.state["state"]["state"], bits.state["state"]["inc"])
                generator = np.random.Generator(bits)
                first, after = drawer.draw(start, 3, 4)
                second, _ = drawer.draw(after, 2, 4)
                assert first == generator.random((3, 4)).tolist()
                assert second == generator.random((2, 4)).tolist()


def numpy_state(entropy: int | tuple[int, int], *spawn_key: int) -> tuple[int, int]:
    """(state, increment) of numpy's own PCG64 seeded from the SeedSequence."""
    bits = np.random.PCG64(np.random.SeedSequence(entropy, spawn_key=spawn_key))
    return bits.state["state"]["state"], bits.state["state"]["inc"]


@pytest.mark.parametrize("entropy", [7, 2**40 + 3, (11, 4), (2**33, 2**32 - 1)])
def test_spawned_states_are_numpys_for_many_numbers_in_every_block(
        entropy: int | tuple[int, int]) -> None:
    """Block by block, in order and back again, at the edges of blocks and of 2**32."""
    prefix = (3, stable_key("crisis"), stable_key("transitional"))
    spawned = SpawnedStates(entropy, prefix)
    in_order = list(range(3 * NUMBERS_PER_BLOCK + 5))
    back_and_forth = [2 * NUMBERS_PER_BLOCK - 1, 1, NUMBERS_PER_BLOCK, 0, 10**6,
                      NUMBERS_PER_BLOCK - 1, 2**32 - NUMBERS_PER_BLOCK, 2**32 - 1, 5]
    for last in in_order + back_and_forth:
        assert spawned.state(last) == numpy_state(entropy, *prefix, last), last


def test_spawned_states_refuse_negative_keys() -> None:
    with pytest.raises(ValueError):
        SpawnedStates(-1, (0,))


@pytest.mark.parametrize("last", [-1, -NUMBERS_PER_BLOCK, 2**32, 2**40])
def test_spawned_states_refuse_a_last_word_outside_32_bits(last: int) -> None:
    spawned = SpawnedStates(7, (0,))
    spawned.state(0)
    with pytest.raises(ValueError):
        spawned.state(last)


def test_uniforms_drawn_in_chunks_of_any_size_are_the_generators() -> None:
    """Chunks of 1, 2, 16, 3 and 5 rows follow on as one draw of numpy's generator."""
    drawer = UniformDrawer()
    for entropy, last in ((2**40 + 3, 0), ((11, 4), NUMBERS_PER_BLOCK + 1)):
        spawned = SpawnedStates(entropy, (1, stable_key("crisis"), stable_key("group")))
        stream = spawned.state(last)
        drawn: list[list[float]] = []
        for rows in (1, FIRST_CRISES_DRAWN, CRISES_PER_DRAW, 3, 5):
            chunk, stream = drawer.draw(stream, rows, DRAWS_PER_CRISIS)
            assert len(chunk) == rows
            drawn += chunk
        sequence = np.random.SeedSequence(
            entropy, spawn_key=(1, stable_key("crisis"), stable_key("group"), last))
        expected = np.random.Generator(np.random.PCG64(sequence)).random(
            (len(drawn), DRAWS_PER_CRISIS)).tolist()
        assert drawn == expected


@pytest.mark.parametrize(("seed", "sample"), [(2**40 + 3, 0), (11, 4)])
def test_every_persons_crises_are_numpys_crisis_stream(seed: int, sample: int) -> None:
    """People of several blocks, each past the first chunk, against numpy's seeding."""
    people = ReplicationStreams(seed, 2, sample=sample).people("transitional")
    entropy = seed if sample == 0 else (seed, sample)
    crises = FIRST_CRISES_DRAWN + 1
    for number in (0, 1, NUMBERS_PER_BLOCK - 1, NUMBERS_PER_BLOCK, 3 * NUMBERS_PER_BLOCK + 7,
                   2, 2 * NUMBERS_PER_BLOCK):
        person = people.person(number)
        rows = [person.next_crisis() for _ in range(crises)]
        sequence = np.random.SeedSequence(
            entropy, spawn_key=(2, stable_key("crisis"), stable_key("transitional"), number))
        expected = np.random.Generator(np.random.PCG64(sequence)).random(
            (crises, DRAWS_PER_CRISIS)).tolist()
        assert rows == expected, number


def test_block_rows_drawn_as_people_come_are_the_rows_of_the_whole_block() -> None:
    streams = ReplicationStreams(3, 1)
    whole = streams.generator("person-block", stable_key("group"), 1).random(
        (PERSONS_PER_BLOCK, ROW_WIDTH)).tolist()
    people = ReplicationStreams(3, 1).people("group")
    for number in (PERSONS_PER_BLOCK + 2, 2 * PERSONS_PER_BLOCK - 1):
        assert people.person(number).visit(0) == whole[number - PERSONS_PER_BLOCK][1:5]
        assert people.person(number).exit_uniform == whole[number - PERSONS_PER_BLOCK][0]
