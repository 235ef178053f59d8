"""Running replications, in this process or in parallel worker processes.

The unit of work is one replication: (scenario, seed, sample, replication). Its random
streams depend on nothing else (see :mod:`bosim.engine.randomness`), and records come
back in the order of the units, so the numbers are the same for any number of jobs.
One process pool serves all units of a call, so a comparison of three plans with ten
replications each is thirty jobs on one pool.

Interrupts: workers ignore SIGINT, so that Ctrl-C, which the terminal sends to every
process of the command, reaches only the caller; when the caller is interrupted (any
exception while it waits), it cancels what has not started and terminates the workers at
once instead of waiting for their replications. On Linux a worker also dies with its
caller, so a killed run leaves no workers behind.

Executors: ``local`` (this process, or ``jobs`` worker processes) and ``dask`` (the workers
of a dask.distributed cluster, :mod:`bosim.engine.dask_runner`, loaded only when chosen so
that bosim runs without dask installed). A :class:`UnitStore` keeps each finished unit, so
that an interrupted run can go on where it stopped.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Protocol

from bosim.engine.compiled import CompiledScenario, compile_scenario
from bosim.engine.record import ReplicationRecord
from bosim.engine.simulate import simulate_replication
from bosim.errors import InputError
from bosim.scenario import Scenario

Progress = Callable[[int], None]
"""Called with the number of units just finished (1 each time)."""
Finished = Callable[[int, ReplicationRecord], None]
"""Told the position (in the units given) and the record of each unit as it finishes."""
EXECUTORS = {"local": "", "dask": "bosim.engine.dask_runner"}
"""Executor name to the module that runs units on it (``local`` is this module)."""


@dataclass(frozen=True)
class WorkUnit:
    """One replication to simulate."""

    scenario: int
    """Position in the scenarios passed to :func:`run_work`."""
    seed: int
    sample: int
    """The parameter draw (0 for a plain run)."""
    replication: int


class UnitStore(Protocol):
    """Where finished units are kept while a run goes on (to resume an interrupted run)."""

    def get(self, unit: WorkUnit) -> ReplicationRecord | None:
        """The record of a unit finished earlier, or None."""

    def put(self, unit: WorkUnit, record: ReplicationRecord) -> None:
        """Keep the record of a unit just finished."""


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


_PR_SET_PDEATHSIG = 1
WORKER_STOP_SECONDS = 1.0
"""How long a terminated worker may take to end before it is killed."""


def _init_worker(scenarios: Sequence[Scenario], caller: int) -> None:
    global _worker_scenarios
    # Only the caller handles Ctrl-C; SIGTERM (how the caller stops a worker) must end the
    # worker even if the caller had a handler for it when the worker was forked.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != caller:  # the caller died before the line above
            os._exit(1)
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
    executor: str = "local",
    scheduler: str | None = None,
    store: UnitStore | None = None,
    on_record: Finished | None = None,
) -> list[ReplicationRecord]:
    """Simulate every unit of work; records in the order of ``units``, identical for every ``jobs``.

    Args:
        scenarios: validated scenarios; units name them by position.
        units: the replications to simulate.
        jobs: worker processes of the ``local`` executor; 1 runs here, in this process.
        trace: keep each replication's event log.
        progress: called with 1 as each unit finishes (at once with the number of units
            ``store`` already holds).
        executor: ``local`` or ``dask`` (the cluster at ``scheduler``, an address such as
            ``tcp://127.0.0.1:8786``); the numbers are the same on every executor.
        scheduler: the dask scheduler's address.
        store: keeps each unit as it finishes; units it already holds are not simulated.
        on_record: told the position (in ``units``) and record of each unit simulated, as
            it finishes (in this process, while the others run); not of units ``store``
            already held.

    Raises:
        InputError: an unknown executor, dask without a scheduler or not installed.

    """
    if executor not in EXECUTORS:
        raise InputError(f"unknown executor {executor!r}", key="executor",
                         fix="use --executor local or --executor dask")
    if executor != "local" and not scheduler:
        raise InputError(f"the {executor} executor needs a scheduler address", key="scheduler",
                         fix="give --scheduler tcp://HOST:PORT")
    records: list[ReplicationRecord | None] = [None] * len(units)
    if store is not None:
        for position, unit in enumerate(units):
            records[position] = store.get(unit)
    missing = [position for position, record in enumerate(records) if record is None]
    if progress and len(missing) < len(units):
        progress(len(units) - len(missing))

    def finished(position: int, record: ReplicationRecord) -> None:
        original = missing[position]
        records[original] = record
        if store is not None:
            store.put(units[original], record)
        if on_record is not None:
            on_record(original, record)
        if progress:
            progress(1)

    to_run = [units[position] for position in missing]
    if executor == "local":
        _run_local(scenarios, to_run, jobs, trace, finished)
    else:
        try:
            runner = importlib.import_module(EXECUTORS[executor])
        except ImportError as error:
            raise InputError(f"the {executor} executor needs {error.name}, not installed",
                             key="executor",
                             fix='pip install "bosim[cluster]" (dask.distributed)') from error
        runner.run_units(scenarios, to_run, scheduler, trace, finished)
    return [record for record in records if record is not None]


def _run_local(
    scenarios: Sequence[Scenario],
    units: Sequence[WorkUnit],
    jobs: int,
    trace: bool,
    finished: Finished,
) -> None:
    """Run units here or on a pool of ``jobs`` processes, telling ``finished`` of each."""
    if jobs <= 1 or len(units) <= 1:
        compiled = _CompiledScenarios(scenarios)
        for position, unit in enumerate(units):
            finished(position, compiled.simulate(unit, trace))
        return
    # "fork" starts workers with bosim already imported (about a second faster each);
    # where it is not available, "spawn". Workers only simulate, so either is safe.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(units)),
        mp_context=context,
        initializer=_init_worker,
        initargs=(tuple(scenarios), os.getpid()),
    )
    try:
        futures = {pool.submit(_run_in_worker, unit, trace): position
                   for position, unit in enumerate(units)}
        # Told here, in the caller's thread, as units finish in any order; run_work puts
        # the records back in the order of the units.
        for future in as_completed(futures):
            finished(futures[future], future.result())
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: cancel the units not started and end the workers (an interrupt).

    ``shutdown`` alone would wait for every running replication to finish. This reaches
    into the pool (``_processes``, ``_result_queue``; CPython 3.9 to 3.13) because its
    public interface cannot end running work.
    """
    workers = list((pool._processes or {}).values())
    results = pool._result_queue
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(WORKER_STOP_SECONDS)
        if worker.is_alive():
            worker.kill()
            worker.join(WORKER_STOP_SECONDS)
    # A worker ended while sending a record leaves half a message, which the pool's own
    # thread would wait for forever (and Python waits for that thread at exit). The
    # workers' ends of the pipe closed with them; closing this one ends it: end of file.
    writer = getattr(results, "_writer", None)
    if writer is not None:
        writer.close()
