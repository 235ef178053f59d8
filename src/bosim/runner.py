"""Running replications, in this process or in parallel worker processes.

Replication ``i`` draws only from streams derived from ``(seed, i)``, and results are
put back in replication order, so the numbers are the same for any number of jobs.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor

from bosim.engine import CompiledScenario, ReplicationRecord, compile_scenario, simulate_replication
from bosim.scenario import Scenario

Progress = Callable[[int], None]
"""Called with the number of replications just finished."""

_worker_compiled: CompiledScenario | None = None


def _init_worker(scenario: Scenario) -> None:
    global _worker_compiled
    _worker_compiled = compile_scenario(scenario)


def _run_in_worker(seed: int, replication: int, trace: bool) -> ReplicationRecord:
    assert _worker_compiled is not None
    return simulate_replication(_worker_compiled, seed, replication, trace)


def run_replications(
    scenario: Scenario,
    replications: int,
    seed: int,
    jobs: int = 1,
    trace: bool = False,
    progress: Progress | None = None,
) -> list[ReplicationRecord]:
    """Simulate replications ``0 .. replications-1`` and return their records in order.

    Args:
        scenario: a validated scenario.
        replications: how many.
        seed: the run's seed; replication i uses ``SeedSequence(seed).spawn(...)[i]``.
        jobs: worker processes; 1 runs here, in this process.
        trace: keep each replication's event log.
        progress: told as replications finish.

    """
    return list(_records(scenario, replications, seed, jobs, trace, progress))


def _records(
    scenario: Scenario,
    replications: int,
    seed: int,
    jobs: int,
    trace: bool,
    progress: Progress | None,
) -> Iterator[ReplicationRecord]:
    if jobs <= 1 or replications <= 1:
        compiled = compile_scenario(scenario)
        for replication in range(replications):
            yield simulate_replication(compiled, seed, replication, trace)
            if progress:
                progress(1)
        return
    # "fork" starts workers with bosim already imported (about a second faster each);
    # where it is not available, "spawn". Workers only simulate, so either is safe.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(
        max_workers=min(jobs, replications),
        mp_context=context,
        initializer=_init_worker,
        initargs=(scenario,),
    ) as pool:
        futures = [
            pool.submit(_run_in_worker, seed, replication, trace)
            for replication in range(replications)
        ]
        for future in futures:
            if progress:
                future.add_done_callback(lambda _: progress(1))
        for future in futures:
            yield future.result()
