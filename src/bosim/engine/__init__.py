"""The simulation engine: the flow model, what it records and how replications are run.

Modules, each owning one thing:

- :mod:`~bosim.engine.compiled`: the scenario as index tables.
- :mod:`~bosim.engine.flow`: the flow model (arrivals, stays, routes, breakdowns, exits).
- :mod:`~bosim.engine.places`: units, queues and every move between places.
- :mod:`~bosim.engine.person`: one person's state.
- :mod:`~bosim.engine.crisis_flow` and :mod:`~bosim.engine.crises`: crises and staff.
- :mod:`~bosim.engine.recorder`: the meter, filling :mod:`~bosim.engine.record` (the schema).
- :mod:`~bosim.engine.randomness` and :mod:`~bosim.engine.sampling`: streams and draws.
- :mod:`~bosim.engine.simulate` and :mod:`~bosim.engine.runner`: one replication; many.
"""

from bosim.engine.compiled import CompiledScenario, compile_scenario
from bosim.engine.flow import HousingModel
from bosim.engine.randomness import ReplicationStreams
from bosim.engine.record import Count, EventKind, ReplicationRecord, SpellColumn, SpellEnd
from bosim.engine.runner import WorkUnit, run_work
from bosim.engine.simulate import simulate_replication

__all__ = [
    "CompiledScenario",
    "Count",
    "EventKind",
    "HousingModel",
    "ReplicationRecord",
    "ReplicationStreams",
    "SpellColumn",
    "SpellEnd",
    "WorkUnit",
    "compile_scenario",
    "run_work",
    "simulate_replication",
]
