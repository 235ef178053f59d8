"""The simulation engine: the flow model and what it records."""

from bosim.engine.compiled import CompiledScenario, compile_scenario
from bosim.engine.model import HousingModel
from bosim.engine.records import Count, ReplicationRecord, SpellEnd
from bosim.randomness import ReplicationStreams

__all__ = [
    "CompiledScenario",
    "Count",
    "HousingModel",
    "ReplicationRecord",
    "SpellEnd",
    "compile_scenario",
    "simulate_replication",
]


def simulate_replication(
    compiled: CompiledScenario, seed: int, replication: int, trace: bool = False
) -> ReplicationRecord:
    """Run one replication of a compiled scenario with its own random streams."""
    model = HousingModel(compiled, ReplicationStreams(seed, replication), trace=trace)
    return model.run(replication)
