"""How fast bosim's engine is, against a plain SimPy M/M/c model of the same queue.

Run from the repository root:

    python benchmarks/bench_engine.py            # full run (a minute or two)
    python benchmarks/bench_engine.py --quick    # small sizes, a smoke test only
    python benchmarks/bench_engine.py --profile  # also cProfile one bosim M/M/c run

What is measured (wall time by ``time.perf_counter``; the median of ``--rounds`` rounds,
in which bosim and SimPy take turns, so that a burst of load from other work on the
machine hits both):

1. bosim on an M/M/c queue, for c = 5, 20 and 100: one ``shared`` place with c units and
   exponential stays, Poisson arrivals at rho = lambda / (c mu), a ``street`` place to
   wait in, routes start -> place -> exit. Timed through ``simulate_replication`` only
   (no loading, compiling, metrics or files). Customers are arrivals.
2. The textbook SimPy M/M/c model with the same lambda, mu, c and number of customers:
   a source process with ``env.timeout(rng.exponential(...))`` and one process per
   customer that requests a ``simpy.Resource(capacity=c)``, holds it for an exponential
   service time and releases it.
3. The ratio of their customers per second (bosim / SimPy), per c.
4. Simulated person-years per second of the engine on ``scenarios/example.toml`` (all
   simulated years, warm-up included), through ``run_work`` in this process.
5. The same scenario with crises at 20 per person-year for everyone, a 24/7 team serving
   the housed places and an institution: person-years per second, its ratio to the run
   without crises, and events per person-year from the event log (crises are scheduled
   one at a time per person, so events per person-year stay near the crisis rate; hourly
   ticking would be 8,760).
6. ``bosim.simulate`` on the same scenario, jobs=1 and jobs=2 (replications per second,
   metrics included), when the upper layers import; otherwise a note says why not.

None of these numbers is ever asserted by a test.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import simpy

import bosim
from bosim.engine import (
    CompiledScenario,
    Count,
    ReplicationRecord,
    WorkUnit,
    compile_scenario,
    run_work,
    simulate_replication,
)
from bosim.scenario import Scenario, load_scenario, with_overrides
from bosim.units import DAYS_PER_YEAR

REPOSITORY = Path(__file__).resolve().parent.parent
EXAMPLE = REPOSITORY / "scenarios" / "example.toml"

SERVERS = (5, 20, 100)
"""c: units of the shared place."""
MEAN_STAY_DAYS = 1.0
"""1 / mu. Short stays keep the simulated horizon within the loader's 200-year limit."""
RHO = 0.9
"""Traffic intensity lambda / (c mu)."""
SEED = 2025
TARGET_RATIO = 0.8
"""bosim's customers per second over SimPy's that the engine aims at, for every c."""

MMC_TEMPLATE = """\
[meta]
name = "benchmark M/M/{servers}"

[simulation]
years = {years}
warmup_years = 0
replications = 1
seed = {seed}

[policy]
waiting = ["street"]

[places.street]
kind = "street"

[places.shared]
kind = "shared"
capacity = {servers}
stay = {{ dist = "exponential", mean = {mean_stay} }}

[[segments]]
name = "customers"
arrivals_per_year = {arrivals_per_year}
[segments.routes]
start = {{ shared = 1.0 }}
shared = {{ exit = 1.0 }}
"""


def arrival_rate_per_day(servers: int) -> float:
    """Lambda (customers per day) giving traffic intensity RHO."""
    return RHO * servers / MEAN_STAY_DAYS


def erlang_c_mean_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean wait in queue (days) of an M/M/c queue, from the Erlang C formula."""
    offered = arrival_rate / service_rate
    rho = offered / servers
    # Terms offered^k / k!, built up one by one (offered^100 would overflow a float).
    term, terms = 1.0, 0.0
    for k in range(servers):
        terms += term
        term *= offered / (k + 1)
    last = term / (1.0 - rho)
    probability_of_waiting = last / (terms + last)
    return probability_of_waiting / (servers * service_rate - arrival_rate)


def median_of(rounds: int, runs: dict[str, Callable[[], Any]]) -> dict[str, tuple[float, Any]]:
    """The median wall time (seconds) of each run over ``rounds`` rounds, and a result.

    Runs take turns within a round, so that a burst of load from other work on the
    machine hits all of them rather than one.
    """
    times: dict[str, list[float]] = {name: [] for name in runs}
    results: dict[str, Any] = {}
    for _ in range(rounds):
        for name, run in runs.items():
            started = time.perf_counter()
            results[name] = run()
            times[name].append(time.perf_counter() - started)
    return {name: (statistics.median(times[name]), results[name]) for name in runs}


# ----------------------------------------------------------------------------- bosim


def mmc_scenario(directory: Path, servers: int, years: int) -> Scenario:
    """Write the M/M/c scenario to ``directory`` and load it through bosim's loader."""
    path = directory / f"mmc{servers}.toml"
    path.write_text(
        MMC_TEMPLATE.format(
            servers=servers,
            years=years,
            seed=SEED,
            mean_stay=MEAN_STAY_DAYS,
            arrivals_per_year=arrival_rate_per_day(servers) * DAYS_PER_YEAR,
        ),
        encoding="utf-8",
    )
    return load_scenario(path)


# ----------------------------------------------------------------------------- SimPy


def simpy_mmc(servers: int, customers: int, seed: int) -> list[float]:
    """The textbook SimPy M/M/c model; returns each customer's wait in queue (days)."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    resource = simpy.Resource(env, capacity=servers)
    mean_gap = 1.0 / arrival_rate_per_day(servers)
    waits: list[float] = []

    def customer() -> Any:
        arrived = env.now
        with resource.request() as request:
            yield request
            waits.append(env.now - arrived)
            yield env.timeout(rng.exponential(MEAN_STAY_DAYS))

    def source() -> Any:
        for _ in range(customers):
            yield env.timeout(rng.exponential(mean_gap))
            env.process(customer())

    env.process(source())
    env.run()
    return waits


# --------------------------------------------------------------------------- example


CRISES_PER_PERSON_YEAR = 20.0


def crisis_overrides(scenario: Scenario) -> dict[str, object]:
    """Crises at 20 per person-year for every segment, a 24/7 team and an institution."""
    housed = [name for name, place in scenario.places.items()
              if place.kind in ("shared", "housing_first", "ordinary")]
    overrides: dict[str, object] = {
        "places.benchmark_ward": {"kind": "institution", "capacity": 4,
                                  "stay": {"dist": "exponential", "mean": 14.0}},
        "teams.benchmark_team": {
            "serves": housed, "fte": 6.0, "hours": "24/7", "response_limit_hours": 1.0,
            "followup_hours_per_resident_week": 1.0,
            "handling_hours": {"dist": "exponential", "mean": 1.5},
        },
    }
    for segment in scenario.segments:
        overrides[f"segments.{segment.name}.crisis"] = {
            "rate_per_year": CRISES_PER_PERSON_YEAR,
            "profile": "evening_night",
            "institution": "benchmark_ward",
            "handled": {"none": 0.95, "emergency": 0.03, "admission": 0.015,
                        "breakdown": 0.005},
            "unhandled": {"none": 0.7, "emergency": 0.15, "admission": 0.1, "breakdown": 0.05},
        }
    return overrides


def person_years(records: Sequence[ReplicationRecord]) -> float:
    """Simulated person-years over all records and all simulated years (with warm-up)."""
    return sum(float(record.person_days.sum()) for record in records) / DAYS_PER_YEAR


def engine_run(scenario: Scenario, replications: int, seed: int,
               trace: bool = False) -> list[ReplicationRecord]:
    """Replications 0.. of ``scenario`` through the engine's runner, in this process."""
    units = [WorkUnit(0, seed, 0, replication) for replication in range(replications)]
    return run_work([scenario], units, jobs=1, trace=trace)


# ------------------------------------------------------------------------------ main


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one round each")
    parser.add_argument("--rounds", type=int, help="rounds per measurement (median is kept)")
    parser.add_argument("--customers", type=int, help="customers of each M/M/c queue (about)")
    parser.add_argument("--scenario", type=Path, default=EXAMPLE, help="scenario for 4 to 6")
    parser.add_argument("--replications", type=int, help="replications of the scenario")
    parser.add_argument("--no-parallel", action="store_true", help="skip the jobs=2 run")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile one bosim M/M/c run (c = 5)")
    arguments = parser.parse_args(argv)
    if arguments.rounds is None:
        arguments.rounds = 1 if arguments.quick else 5
    if arguments.customers is None:
        arguments.customers = 5_000 if arguments.quick else 100_000
    if arguments.replications is None:
        arguments.replications = 2 if arguments.quick else 8
    return arguments


def measure_mmc(servers: int, customers: int, rounds: int,
                directory: Path) -> tuple[list[tuple[str, str, str]], float, CompiledScenario]:
    """Rows of the table for M/M/c with ``servers`` units, the ratio, and the compiled queue."""
    per_year = arrival_rate_per_day(servers) * DAYS_PER_YEAR
    years = max(1, math.ceil(customers / per_year))
    compiled = compile_scenario(mmc_scenario(directory, servers, years))
    # An untimed first run counts the customers (and warms imports and caches).
    count = int(simulate_replication(compiled, SEED, 0).arrivals.sum())
    timings = median_of(rounds, {
        "bosim": lambda: simulate_replication(compiled, SEED, 0),
        "simpy": lambda: simpy_mmc(servers, count, SEED),
    })
    bosim_seconds, record = timings["bosim"]
    simpy_seconds, simpy_waits = timings["simpy"]
    bosim_rate = count / bosim_seconds
    simpy_rate = count / simpy_seconds
    ratio = bosim_rate / simpy_rate
    expected = erlang_c_mean_wait(arrival_rate_per_day(servers), 1.0 / MEAN_STAY_DAYS, servers)
    shared = compiled.place_names.index("shared")
    waits = np.concatenate(record.waits[shared])
    print(f"M/M/{servers}: lambda = {arrival_rate_per_day(servers):g}/day, "
          f"mu = {1 / MEAN_STAY_DAYS:g}/day, rho = {RHO}, {years} years, {count:,} customers; "
          f"mean wait (days): bosim {float(np.mean(waits)):.3f}, "
          f"SimPy {float(np.mean(simpy_waits)):.3f}, Erlang C {expected:.3f}")
    rows = [
        (f"bosim M/M/{servers} (simulate_replication)", f"{bosim_rate:,.0f}", "customers/s"),
        (f"plain SimPy M/M/{servers}", f"{simpy_rate:,.0f}", "customers/s"),
        (f"ratio bosim/SimPy, c = {servers}", f"{ratio:.2f}", f"(target >= {TARGET_RATIO})"),
    ]
    return rows, ratio, compiled


def measure_scenario(path: Path, replications: int, rounds: int,
                     quick: bool) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Rows for the example scenario through the engine, with and without crises."""
    scenario = load_scenario(path)
    if quick:  # a shorter observed window, so the smoke test stays short
        scenario = with_overrides(scenario, {"simulation.years": 2})
    with_crises = with_overrides(scenario, crisis_overrides(scenario))
    seed = scenario.simulation.seed
    timings = median_of(rounds, {
        "plain": lambda: engine_run(scenario, replications, seed),
        "crises": lambda: engine_run(with_crises, replications, seed),
    })
    plain_seconds, plain = timings["plain"]
    crisis_seconds, crises = timings["crises"]
    plain_rate = person_years(plain) / plain_seconds
    crisis_rate = person_years(crises) / crisis_seconds
    traced = engine_run(with_crises, 1, seed, trace=True)
    events = traced[0].events
    assert events is not None
    crises_counted = int(traced[0].counts[[Count.CRISIS_HANDLED, Count.CRISIS_UNHANDLED]].sum())
    name = path.name
    simulated = compile_scenario(scenario).simulated_years
    notes = [f"{name}: {replications} replications, {simulated} simulated years each "
             f"(warm-up included), {person_years(plain):,.0f} person-years in all"]
    rows = [
        (f"{name}, engine (run_work, jobs=1)", f"{plain_rate:,.0f}", "person-years/s"),
        (f"{name} + crises, engine", f"{crisis_rate:,.0f}", "person-years/s"),
        ("with crises / without", f"{crisis_rate / plain_rate:.2f}", "(person-years/s)"),
        ("events per person-year (with crises)",
         f"{len(events) / person_years(traced):,.1f}",
         f"(crises: {crises_counted / person_years(traced):.1f})"),
    ]
    return rows, notes


def measure_simulate(path: Path, replications: int, rounds: int, quick: bool,
                     parallel: bool) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Rows for ``bosim.simulate`` (the whole pipeline), if the upper layers import."""
    try:
        simulate = bosim.simulate  # bosim imports its upper layers on first use
    except ImportError as error:
        return [], [f"bosim.simulate skipped: it does not import ({error!r})"]
    overrides = {"simulation.years": 2} if quick else None

    def run(jobs: int) -> Any:
        return simulate(path, replications=replications, jobs=jobs, overrides=overrides)

    runs = {"serial": lambda: run(1)}
    if parallel:
        runs["parallel"] = lambda: run(2)
    timings = median_of(rounds, runs)
    serial_seconds, _ = timings["serial"]
    rows = [(f"{path.name}, bosim.simulate jobs=1", f"{replications / serial_seconds:,.2f}",
             "replications/s")]
    if "parallel" in timings:
        parallel_seconds, _ = timings["parallel"]
        rows.append((f"{path.name}, bosim.simulate jobs=2",
                     f"{replications / parallel_seconds:,.2f}", "replications/s"))
        rows.append(("speed-up jobs=2 / jobs=1", f"{serial_seconds / parallel_seconds:.3g}",
                     "(2 worker processes, start-up included)"))
    return rows, []


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    rounds = arguments.rounds
    rows: list[tuple[str, str, str]] = []
    notes: list[str] = []
    ratios: dict[int, float] = {}
    profiled: CompiledScenario | None = None

    print(f"median of {rounds} round(s); bosim and SimPy take turns within a round")
    with tempfile.TemporaryDirectory() as directory:
        for servers in SERVERS:
            mmc_rows, ratios[servers], compiled = measure_mmc(
                servers, arguments.customers, rounds, Path(directory))
            rows += mmc_rows
            if servers == SERVERS[0]:
                profiled = compiled

    if arguments.scenario.exists():
        scenario_rows, scenario_notes = measure_scenario(
            arguments.scenario, arguments.replications, rounds, arguments.quick)
        rows += scenario_rows
        notes += scenario_notes
        simulate_rows, simulate_notes = measure_simulate(
            arguments.scenario, arguments.replications, rounds, arguments.quick,
            not arguments.no_parallel)
        rows += simulate_rows
        notes += simulate_notes
    else:
        notes.append(f"{arguments.scenario} does not exist: person-years/s skipped")

    for note in notes:
        print(note)
    print()
    label_width = max(len(label) for label, _, _ in rows)
    value_width = max(len(value) for _, value, _ in rows)
    for label, value, unit in rows:
        print(f"{label:<{label_width}}  {value:>{value_width}}  {unit}")
    print()
    lowest = min(ratios, key=lambda servers: ratios[servers])
    print(f"ratio bosim/simpy = {ratios[lowest]:.2f} (lowest, at c = {lowest}; "
          f"target >= {TARGET_RATIO})")

    if arguments.profile and profiled is not None:
        profiler = cProfile.Profile()
        profiler.enable()
        simulate_replication(profiled, SEED, 0)
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(30)
        print()
        print(stream.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
