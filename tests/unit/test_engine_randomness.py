"""The engine's random streams: keyed by (seed, sample, replication, name), nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from bosim.engine.randomness import (
    CRISES_PER_DRAW,
    DRAWS_PER_CRISIS,
    PERSONS_PER_BLOCK,
    ROW_WIDTH,
    ReplicationStreams,
    stable_key,
)
from bosim.engine.seeding import SpawnedStates, UniformDrawer


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


def test_spawned_states_refuse_negative_keys() -> None:
    with pytest.raises(ValueError):
        SpawnedStates(-1, (0,))


def test_block_rows_drawn_as_people_come_are_the_rows_of_the_whole_block() -> None:
    streams = ReplicationStreams(3, 1)
    whole = streams.generator("person-block", stable_key("group"), 1).random(
        (PERSONS_PER_BLOCK, ROW_WIDTH)).tolist()
    people = ReplicationStreams(3, 1).people("group")
    for number in (PERSONS_PER_BLOCK + 2, 2 * PERSONS_PER_BLOCK - 1):
        assert people.person(number).visit(0) == whole[number - PERSONS_PER_BLOCK][1:5]
        assert people.person(number).exit_uniform == whole[number - PERSONS_PER_BLOCK][0]
