"""The Python API that notebooks use: load a scenario, simulate it, get DataFrames."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from bosim.engine import compile_scenario
from bosim.errors import InputError
from bosim.results import Results
from bosim.runner import Progress, run_replications
from bosim.scenario import Scenario, load_scenario, with_overrides


def price(results: Results, overrides: Mapping[str, object]) -> Results:
    """Price a finished simulation again, e.g. ``{"economics.perspective": "society"}``.

    Only prices, payers, perspective and discounting may change: no new simulation.
    """
    return results.price(dict(overrides))


def simulate(
    scenario: Scenario | str | Path,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    trace: bool = False,
    overrides: Mapping[str, object] | None = None,
    progress: Progress | None = None,
) -> Results:
    """Simulate a scenario and return its results.

    Args:
        scenario: a loaded scenario, or the path of a scenario file.
        replications: defaults to the scenario's ``simulation.replications``.
        seed: defaults to the scenario's ``simulation.seed``.
        jobs: worker processes; the numbers do not depend on it.
        trace: keep the event log (``Results.events``).
        overrides: dotted key paths to values, applied before simulating.
        progress: called with 1 each time a replication finishes.

    Example:
        >>> import bosim
        >>> results = bosim.simulate("scenarios/example.toml", replications=2)  # doctest: +SKIP
        >>> results.summary.head()  # doctest: +SKIP

    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, overrides)
    elif overrides:
        scenario = with_overrides(scenario, overrides)
    if replications is not None:
        scenario = with_overrides(scenario, {"simulation.replications": replications})
    if seed is not None:
        scenario = with_overrides(scenario, {"simulation.seed": seed})
    if jobs < 1:
        raise InputError(f"jobs must be 1 or more, got {jobs}", key="jobs", fix="use -j 1 or more")
    count = scenario.simulation.replications
    run_seed = scenario.simulation.seed
    started = dt.datetime.now(dt.UTC)
    records = run_replications(scenario, count, run_seed, jobs=jobs, trace=trace, progress=progress)
    return Results(
        scenario=scenario,
        compiled=compile_scenario(scenario),
        records=records,
        seed=run_seed,
        started=started,
        finished=dt.datetime.now(dt.UTC),
        jobs=jobs,
    )
