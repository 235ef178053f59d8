"""Running work units on the workers of a dask.distributed cluster (``--executor dask``).

Loaded by :func:`bosim.engine.runner.run_work` only when the dask executor is chosen, so
bosim needs dask only then (``pip install "bosim[cluster]"``). The units and their random
streams are those of the local executor: a unit's streams depend on (seed, sample,
replication) only, never on the worker, so the numbers are the same on any cluster.

The scenarios are sent to the cluster once (scattered to every worker); each worker
compiles a scenario once per call, when it first simulates one of its units. Every
worker needs the same bosim version as the caller.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from distributed import Client, as_completed

from bosim.engine.record import ReplicationRecord
from bosim.engine.runner import Finished, WorkUnit, _CompiledScenarios
from bosim.scenario import Scenario

CONNECT_SECONDS = 30.0
"""How long to wait for the scheduler before giving up (seconds)."""

_compiled_here: dict[str, _CompiledScenarios] = {}
"""On a worker: the compiled scenarios of the call being served (only the latest is kept)."""


def _simulate_on_worker(call: str, scenarios: Sequence[Scenario], unit: WorkUnit,
                        trace: bool) -> ReplicationRecord:
    compiled = _compiled_here.get(call)
    if compiled is None:
        _compiled_here.clear()
        compiled = _compiled_here[call] = _CompiledScenarios(scenarios)
    return compiled.simulate(unit, trace)


def run_units(scenarios: Sequence[Scenario], units: Sequence[WorkUnit], scheduler: str,
              trace: bool, finished: Finished) -> None:
    """Simulate ``units`` on the cluster at ``scheduler``, telling ``finished`` of each.

    On any error or interrupt while waiting, the units not yet finished are cancelled and
    the connection is closed; the cluster itself is left running.
    """
    if not units:
        return
    call = uuid.uuid4().hex
    with Client(scheduler, timeout=CONNECT_SECONDS,  # type: ignore[no-untyped-call]
                set_as_default=False) as client:
        [shared] = client.scatter([tuple(scenarios)], broadcast=True, hash=False)
        futures = {
            client.submit(_simulate_on_worker, call, shared, unit, trace, pure=False): position
            for position, unit in enumerate(units)
        }
        try:
            for future in as_completed(futures, loop=client.loop):  # type: ignore[no-untyped-call]
                finished(futures[future], future.result())
        except BaseException:
            client.cancel(list(futures), force=True)
            raise
