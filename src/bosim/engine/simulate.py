"""One replication of a compiled scenario, with its own random streams."""

from __future__ import annotations

import gc

from bosim.engine.compiled import CompiledScenario
from bosim.engine.flow import HousingModel
from bosim.engine.randomness import ReplicationStreams
from bosim.engine.record import ReplicationRecord


def simulate_replication(
    compiled: CompiledScenario,
    seed: int,
    replication: int,
    sample: int = 0,
    trace: bool = False,
) -> ReplicationRecord:
    """Run replication ``replication`` of parameter draw ``sample`` (0: a plain run).

    Its random streams depend only on (seed, sample, replication); see
    :mod:`bosim.engine.randomness`.
    """
    streams = ReplicationStreams(seed, replication, sample)
    model = HousingModel(compiled, streams, trace=trace)
    # A replication makes and drops hundreds of thousands of small objects that reference
    # counting frees; the cyclic collector would only walk them (and all else the process
    # holds) over and over, a fifth of the run time. The model's own cycles are collected
    # once it is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return model.run()
    finally:
        if collecting:
            gc.enable()
