"""Running replications, in this process or in parallel worker processes.

The unit of work is one replication: (scenario, seed, sample, replication). Its random
streams depend on nothing else (see :mod:`bosim.engine.randomness`), and records come
back in the order of the units, so the numbers are the same for any number of jobs.
One process pool serves all units of a call, so a comparison of three plans with ten
replications each is thirty jobs on one pool.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from bosim.engine.compiled import CompiledScenario, compile_scenario
from bosim.engine.record import ReplicationRecord
from bosim.engine.simulate import simulate_replication
from bosim.scenario import Scenario

Progress = Callable[[int], None]
"""Called with the number of units just finished (1 each time)."""


@dataclass(frozen=True)
class WorkUnit:
    """One replication to simulate."""

    scenario: int
    """Position in the scenarios passed to :func:`run_work`."""
    seed: int
    sample: int
    """The parameter draw (0 for a plain run)."""
    replication: int


class _CompiledScenarios:
    """The scenarios of a call, each compiled once, when first needed."""

    def __init__(self, scenarios: Sequence[Scenario]) -> None:
        self._scenarios = scenarios
        self._compiled: dict[int, CompiledScenario] = {}

    def __getitem__(self, position: int) -> CompiledScenario:
        compiled = self._compiled.get(position)
        if compiled is None:
            compiled = self._compiled[position] = compile_scenario(self._scenarios[position])
        return compiled

    def simulate(self, unit: WorkUnit, trace: bool) -> ReplicationRecord:
        """Simulate one unit of work."""
        return simulate_replication(
            self[unit.scenario], unit.seed, unit.replication, sample=unit.sample, trace=trace
        )


_worker_scenarios: _CompiledScenarios | None = None
"""The scenarios of the call a worker process serves (set by its initializer)."""


def _init_worker(scenarios: Sequence[Scenario]) -> None:
    global _worker_scenarios
    _worker_scenarios = _CompiledScenarios(scenarios)


def _run_in_worker(unit: WorkUnit, trace: bool) -> ReplicationRecord:
    assert _worker_scenarios is not None
    return _worker_scenarios.simulate(unit, trace)


def run_work(
    scenarios: Sequence[Scenario],
    units: Sequence[WorkUnit],
    jobs: int = 1,
    trace: bool = False,
    progress: Progress | None = None,
) -> list[ReplicationRecord]:
    """Simulate every unit of work; records in the order of ``units``, identical for every ``jobs``.

    Args:
        scenarios: validated scenarios; units name them by position.
        units: the replications to simulate.
        jobs: worker processes; 1 runs here, in this process.
        trace: keep each replication's event log.
        progress: called with 1 as each unit finishes.

    """
    return list(_records(scenarios, units, jobs, trace, progress))


def _records(
    scenarios: Sequence[Scenario],
    units: Sequence[WorkUnit],
    jobs: int,
    trace: bool,
    progress: Progress | None,
) -> Iterator[ReplicationRecord]:
    if jobs <= 1 or len(units) <= 1:
        compiled = _CompiledScenarios(scenarios)
        for unit in units:
            yield compiled.simulate(unit, trace)
            if progress:
                progress(1)
        return
    # "fork" starts workers with bosim already imported (about a second faster each);
    # where it is not available, "spawn". Workers only simulate, so either is safe.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(units)),
        mp_context=context,
        initializer=_init_worker,
        initargs=(tuple(scenarios),),
    ) as pool:
        futures = [pool.submit(_run_in_worker, unit, trace) for unit in units]
        # Progress is told here, in the caller's thread, as units finish in any order;
        # the records are handed back in the order of the units.
        for future in as_completed(futures):
            future.result()
            if progress:
                progress(1)
        for future in futures:
            yield future.result()
