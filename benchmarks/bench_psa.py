"""How long a probabilistic sensitivity analysis (PSA) takes, and what re-pricing saves.

Run from the repository root:

    python benchmarks/bench_psa.py            # 200 draws x 10 replications (minutes)
    python benchmarks/bench_psa.py --quick    # 4 draws x 2 replications, a smoke test only
    python benchmarks/bench_psa.py --draws 1000 -r 10 -j 2 --dask-draws 0   # the target

What is measured (wall time by ``time.perf_counter``, one round each, through
``bosim.api.psa`` on ``scenarios/medium_municipality.toml`` and its ``[uncertainty]``
register; loading the scenario is not timed):

1. The PSA of the whole register (rates and prices): every draw is simulated,
   ``--draws`` x ``--replications`` replications on ``--jobs`` local processes; the
   replications per second, and from them the time a PSA of 1,000 draws x 10 replications
   would take on as many processes (the target: under 10 minutes with ``-j 2``).
2. The PSA of the register's prices only: each replication is simulated once and
   re-priced for every draw. The share of the time of (1) it saves.
3. If dask.distributed is installed: a smaller PSA of the whole register (``--dask-draws``
   draws) on a local dask cluster (127.0.0.1) of 1 and of 2 worker processes, and the
   speed-up. Its numbers are checked to equal the local executor's. ``--dask-draws 0``
   skips it.

None of these numbers is ever asserted by a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import time
from pathlib import Path

import pandas as pd

import bosim.api
from bosim.analysis.costs import is_price_key
from bosim.analysis.psa import PSA
from bosim.scenario import Scenario, load_scenario

REPOSITORY = Path(__file__).resolve().parent.parent
SCENARIO = REPOSITORY / "scenarios" / "medium_municipality.toml"
TARGET_REPLICATIONS = 1_000 * 10
"""The PSA of the target: 1,000 draws x 10 replications."""
TARGET_SECONDS = 10 * 60


def timed_psa(scenario: Scenario, draws: int, replications: int, jobs: int = 1,
              executor: str = "local", scheduler: str | None = None) -> tuple[float, PSA]:
    """Wall time (seconds) of one PSA, and the PSA."""
    started = time.perf_counter()
    analysis = bosim.api.psa(scenario, draws=draws, replications=replications, jobs=jobs,
                             executor=executor, scheduler=scheduler)
    return time.perf_counter() - started, analysis


def prices_only(scenario: Scenario) -> Scenario:
    """The scenario with only the register entries that change money."""
    register = {name: parameter for name, parameter in scenario.uncertainty.items()
                if all(is_price_key(key) for key in parameter.keys)}
    return scenario.model_copy(update={"uncertainty": register})


def dask_workers(scenario: Scenario, draws: int, replications: int,
                 reference: pd.DataFrame) -> None:
    """Time the PSA on a local dask cluster of 1 and of 2 worker processes."""
    distributed = importlib.import_module("distributed")
    seconds = {}
    for workers in (1, 2):
        with distributed.LocalCluster(n_workers=workers, processes=True, threads_per_worker=1,
                                      host="127.0.0.1", dashboard_address=None) as cluster:
            seconds[workers], analysis = timed_psa(scenario, draws, replications,
                                                   executor="dask",
                                                   scheduler=cluster.scheduler_address)
        same = analysis.table.equals(reference)
        units = analysis.simulations
        print(f"dask, {workers} worker(s): {seconds[workers]:.1f} s for {units} replications "
              f"({units / seconds[workers]:.2f} per second); same numbers as local: {same}")
    print(f"dask speed-up, 2 workers against 1: {seconds[1] / seconds[2]:.2f}x")


def main() -> None:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--replications", "-r", type=int, default=10)
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dask-draws", type=int, default=40,
                        help="draws of the PSA timed on dask (x --replications)")
    options = parser.parse_args()
    if options.quick:
        options.draws, options.replications, options.dask_draws = 4, 2, 2
    scenario = load_scenario(SCENARIO)
    print(f"{SCENARIO.relative_to(REPOSITORY)}: {len(scenario.uncertainty)} register entries, "
          f"{options.draws} draws x {options.replications} replications, "
          f"{options.jobs} local processes, {os.cpu_count()} cores")

    whole_seconds, whole = timed_psa(scenario, options.draws, options.replications,
                                     options.jobs)
    rate = whole.simulations / whole_seconds
    print(f"PSA, whole register: {whole_seconds:.1f} s, {whole.simulations} replications "
          f"simulated ({rate:.2f} per second)")
    projected = TARGET_REPLICATIONS / rate
    print(f"projected PSA of 1,000 draws x 10 replications on {options.jobs} processes: "
          f"{projected / 60:.1f} min (target {TARGET_SECONDS / 60:.0f} min: "
          f"{'fits' if projected < TARGET_SECONDS else 'does not fit'})")
    cheap = prices_only(scenario)
    price_seconds, priced = timed_psa(cheap, options.draws, options.replications,
                                      options.jobs)
    print(f"PSA, prices only ({len(cheap.uncertainty)} entries): {price_seconds:.1f} s, "
          f"{priced.simulations} replications simulated, {priced.saved} re-priced instead")
    print(f"re-pricing saves {1 - price_seconds / whole_seconds:.0%} of the time of "
          "simulating every draw")

    if options.dask_draws <= 0:
        print("dask: skipped (--dask-draws 0)")
        return
    if importlib.util.find_spec("distributed") is None:
        print("dask: not installed (pip install 'bosim[cluster]'), not measured")
        return
    _, reference = timed_psa(scenario, options.dask_draws, options.replications,
                             options.jobs)
    dask_workers(scenario, options.dask_draws, options.replications, reference.table)


if __name__ == "__main__":
    main()
