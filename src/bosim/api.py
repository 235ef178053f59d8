"""The Python API that notebooks and the command line use.

Load a scenario, simulate it, compare plans, sweep a grid, price again, save a results
folder and render its report. Each function composes the layers below it: the engine
simulates, the analysis layer computes, the outputs layer writes, the presentation layer
renders.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from bosim.analysis import Comparison, Results, Sweep, compare_results, sweep_results
from bosim.analysis.comparison import check_comparable, unique_names
from bosim.engine import WorkUnit, compile_scenario, run_work
from bosim.errors import InputError
from bosim.outputs import (
    SavedRun,
    bosim_version,
    is_comparison_folder,
    is_run_folder,
    is_sweep_folder,
    load_comparison_folder,
    load_run_folder,
    load_sweep_folder,
    write_comparison_folder,
    write_run_folder,
    write_sweep_folder,
)
from bosim.outputs.folder import write_whole
from bosim.presentation import render_comparison_report, render_run_report, render_sweep_report
from bosim.presentation.language import LANGUAGES
from bosim.presentation.views import RunView
from bosim.scenario import Scenario, load_scenario, with_overrides
from bosim.scenario.loading import OVERRIDE_SOURCE

Progress = Callable[[int], None]
"""Told the number of replications just finished."""
DEFAULT_SWEEP_METRICS = ("housing_retention_12m", "cost_pv")


def _scenario(scenario: Scenario | str | Path,
              overrides: Mapping[str, object] | None = None) -> Scenario:
    if not isinstance(scenario, Scenario):
        return load_scenario(scenario, overrides)
    return with_overrides(scenario, overrides) if overrides else scenario


def _check_jobs(jobs: int) -> None:
    if jobs < 1:
        raise InputError(f"jobs must be 1 or more, got {jobs}", key="jobs",
                         fix="use -j 1 or more")


def _simulate_all(
    scenarios: Sequence[Scenario], replications: int, seed: int, jobs: int, trace: bool,
    progress: Progress | None,
) -> list[Results]:
    """Simulate plans on one pool of workers: one work unit per (plan, replication)."""
    _check_jobs(jobs)
    units = [WorkUnit(scenario=index, seed=seed, sample=0, replication=replication)
             for index in range(len(scenarios)) for replication in range(replications)]
    started = dt.datetime.now(dt.UTC)
    records = run_work(scenarios, units, jobs=jobs, trace=trace, progress=progress)
    finished = dt.datetime.now(dt.UTC)
    return [
        Results(scenario=scenario, compiled=compile_scenario(scenario),
                records=records[index * replications:(index + 1) * replications],
                seed=seed, started=started, finished=finished, jobs=jobs)
        for index, scenario in enumerate(scenarios)
    ]


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
    loaded = _scenario(scenario, overrides)
    changes: dict[str, object] = {}
    if replications is not None:
        changes["simulation.replications"] = replications
    if seed is not None:
        changes["simulation.seed"] = seed
    if changes:
        loaded = with_overrides(loaded, changes)
    count, run_seed = loaded.simulation.replications, loaded.simulation.seed
    return _simulate_all([loaded], count, run_seed, jobs, trace, progress)[0]


def price(results: Results, overrides: Mapping[str, object]) -> Results:
    """Price a finished simulation again, e.g. ``{"economics.perspective": "society"}``.

    Only prices, payers, perspective and discounting may change: no new simulation.
    """
    return results.price(dict(overrides))


def compare(
    base: Scenario | str | Path,
    *alternatives: Scenario | str | Path,
    names: list[str] | None = None,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Comparison:
    """Simulate a base and alternatives on the same people and compare them.

    Every plan uses the base's seed and replications (common random numbers), and all
    plans' replications share one pool of workers. Money is counted in the base's
    perspective and discounting for every plan.

    Args:
        base: the baseline (nullalternativ).
        alternatives: the plans to compare with it.
        names: one name per plan (base first); defaults to ``meta.name``.
        replications: defaults to the base's.
        seed: defaults to the base's.
        jobs: worker processes.
        progress: told as replications finish.

    """
    scenarios = [_scenario(base), *(_scenario(alternative) for alternative in alternatives)]
    labels = unique_names(names or [s.meta.name for s in scenarios])
    check_comparable(scenarios[0], dict(zip(labels[1:], scenarios[1:], strict=True)))
    count = replications or scenarios[0].simulation.replications
    run_seed = scenarios[0].simulation.seed if seed is None else seed
    economics = scenarios[0].economics
    money = {
        "economics.perspective": economics.perspective,
        "economics.discount_rate": economics.discount_rate,
        "economics.tax_financing_cost": economics.tax_financing_cost,
    }
    runs = _simulate_all(scenarios, count, run_seed, jobs, False, progress)
    results = {label: run.price(money) for label, run in zip(labels, runs, strict=True)}
    for label, run in results.items():
        run.extra_manifest["plan"] = label
    return compare_results(labels, results, run_seed)


def sweep(
    scenario: Scenario | str | Path,
    vary: Mapping[str, Sequence[object]],
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    source: str = "vary",
) -> Sweep:
    """Simulate every point of the grid of ``vary`` with the same seed and replications.

    Every point is validated before anything is simulated. Example:
    ``sweep(s, {"teams.hf_team.fte": [2, 4, 6]})``.
    """
    loaded = _scenario(scenario)
    if not vary:
        raise InputError("nothing to vary", file="--vary",
                         fix="give at least one --vary PATH=V1,V2,...")
    paths = list(vary)
    points = list(itertools.product(*(list(vary[path]) for path in paths)))
    scenarios = [with_overrides(loaded, dict(zip(paths, point, strict=True)), source)
                 for point in points]
    count = replications or loaded.simulation.replications
    run_seed = loaded.simulation.seed if seed is None else seed
    runs = _simulate_all(scenarios, count, run_seed, jobs, False, progress)
    return sweep_results(paths, points, runs)


def check_language(lang: str) -> None:
    """Refuse a report language bosim does not write."""
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}", file="--lang",
                         fix="use --lang en (English) or --lang nb (Norwegian bokmål)")


def render_report(results: RunView, lang: str = "en") -> str:
    """The HTML report of a run (in memory or read back from its folder)."""
    check_language(lang)
    return render_run_report(results, lang, version=bosim_version())


def save(
    what: Results | Comparison | Sweep,
    directory: str | Path,
    force: bool = False,
    lang: str = "en",
    metrics: Sequence[str] = DEFAULT_SWEEP_METRICS,
) -> Path:
    """Write a results folder with its report: of a run, a comparison or a sweep.

    The folder is written whole or not at all, and an existing folder is replaced only
    with ``force``. ``metrics`` are the figures of a sweep's report.
    """
    check_language(lang)
    if isinstance(what, Results):
        report = render_report(what, lang).encode("utf-8")
        return write_run_folder(what, directory, force, {"report.html": report})
    if isinstance(what, Comparison):
        plan_reports = {
            name: {"report.html": render_report(run, lang).encode("utf-8")}  # type: ignore[arg-type]
            for name, run in what.results.items()
        }
        report = render_comparison_report(what, lang).encode("utf-8")
        return write_comparison_folder(what, directory, force, {"report.html": report},
                                       plan_reports)
    report = render_sweep_report(what, list(metrics), lang).encode("utf-8")
    return write_sweep_folder(what, directory, list(metrics), force, {"report.html": report})


def load_results(folder: str | Path) -> SavedRun:
    """A run folder read back: ``summary``, ``replications``, ``timeseries`` ... as saved."""
    return load_run_folder(folder)


def rerender(folder: str | Path, lang: str = "en") -> Path:
    """Render a results folder's ``report.html`` again (a run, a comparison or a sweep).

    Returns the path of the report written.
    """
    check_language(lang)
    path = Path(folder)
    target = path / "report.html"
    if is_comparison_folder(path):
        page = render_comparison_report(load_comparison_folder(path), lang)
    elif is_sweep_folder(path):
        sweep_read, metrics = load_sweep_folder(path)
        page = render_sweep_report(sweep_read, metrics, lang)
    elif is_run_folder(path):
        page = render_report(load_run_folder(path), lang)
    else:
        raise InputError(
            "is not a bosim results folder (no summary.csv, comparison.csv or sweep.csv)",
            file=str(path),
            fix="give a folder written by bosim run, compare or sweep",
        )
    write_whole(target, page.encode("utf-8"))
    return target


__all__ = [
    "OVERRIDE_SOURCE", "check_language", "compare", "load_results", "price", "render_report",
    "rerender", "save", "simulate", "sweep",
]
