"""The Python API that notebooks and the command line use.

Load a scenario, simulate it, compare plans, sweep a grid, price again, save a results
folder and render its report. Each function composes the layers below it: the engine
simulates, the analysis layer computes, the outputs layer writes, the presentation layer
renders.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pandas as pd

from bosim.analysis import Comparison, Results, Sweep, compare_results, sweep_results
from bosim.analysis.comparison import check_comparable, unique_names
from bosim.analysis.costs import is_price_key
from bosim.analysis.metric_table import names as metric_names
from bosim.analysis.oneway import NET_BENEFIT, outcome, tornado_table
from bosim.analysis.psa import PARAMETER_COLUMNS, PSA, PSA_COLUMNS
from bosim.engine import ReplicationRecord, WorkUnit, compile_scenario, run_work
from bosim.engine.runner import UnitStore
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
from bosim.outputs.folder import Staging, staging, write_whole
from bosim.outputs.psa_folder import is_psa_folder, load_psa_folder
from bosim.outputs.unsaved import UnsavedResults, keep_unsaved, load_unsaved
from bosim.presentation import render_comparison_report, render_run_report, render_sweep_report
from bosim.presentation.language import LANGUAGES
from bosim.presentation.psa_report import render_psa_report
from bosim.presentation.sweep_report import setting_headers
from bosim.presentation.views import RunView
from bosim.scenario import Scenario, load_scenario, with_overrides
from bosim.scenario.draws import (
    apply_draw,
    check_register,
    combined_register,
    distribution,
    draw_uniforms,
    one_way_range,
    owners_of,
    parameter_table,
    plan_overrides,
    saltelli_uniforms,
)
from bosim.scenario.loading import OVERRIDE_SOURCE
from bosim.scenario.plausibility import check_size

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
    progress: Progress | None, force_large: bool = False, executor: str = "local",
    scheduler: str | None = None,
) -> list[Results]:
    """Simulate plans on one pool of workers: one work unit per (plan, replication).

    Unless ``force_large``, a run estimated not to finish on this machine is refused first.
    """
    _check_jobs(jobs)
    if not force_large:
        check_size(scenarios, replications, jobs, trace)
    units = [WorkUnit(scenario=index, seed=seed, sample=0, replication=replication)
             for index in range(len(scenarios)) for replication in range(replications)]
    started = dt.datetime.now(dt.UTC)
    records = run_work(scenarios, units, jobs=jobs, trace=trace, progress=progress,
                       executor=executor, scheduler=scheduler)
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
    force_large: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
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
        force_large: run even if the run is estimated not to finish on this machine
            (too much memory, or more than a day).
        executor: ``local`` (``jobs`` processes here) or ``dask`` (the cluster at
            ``scheduler``, e.g. ``tcp://127.0.0.1:8786``); the numbers do not depend on it.
        scheduler: the dask scheduler's address.

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
    return _simulate_all([loaded], count, run_seed, jobs, trace, progress, force_large,
                         executor, scheduler)[0]


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
    force_large: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
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
        force_large: run even if estimated not to finish on this machine.
        executor: ``local`` or ``dask``, as for :func:`simulate`.
        scheduler: the dask scheduler's address.

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
    runs = _simulate_all(scenarios, count, run_seed, jobs, False, progress, force_large,
                         executor, scheduler)
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
    force_large: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
) -> Sweep:
    """Simulate every point of the grid of ``vary`` with the same seed and replications.

    Every point is validated before anything is simulated, and the whole grid is refused
    if it is estimated not to finish on this machine (unless ``force_large``). Example:
    ``sweep(s, {"teams.hf_team.fte": [2, 4, 6]})``. ``executor`` and ``scheduler`` as
    for :func:`simulate`: the numbers do not depend on them.
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
    runs = _simulate_all(scenarios, count, run_seed, jobs, False, progress, force_large,
                         executor, scheduler)
    return sweep_results(paths, points, runs)


def psa(
    base: Scenario | str | Path,
    *alternatives: Scenario | str | Path,
    draws: int,
    names: list[str] | None = None,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    sobol: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    store: UnitStore | None = None,
) -> PSA:
    """Probabilistic sensitivity analysis: every plan for ``draws`` draws of the register.

    Draw k (sample k) of every plan uses the same parameter uniforms and the same random
    numbers; all work units run on one pool. When every parameter that varies only
    changes money, each plan is simulated once (``replications`` runs) and re-priced for
    every draw. Money is counted in the base's perspective; every draw is validated.
    With ``sobol``, the draws are Saltelli's design for Sobol indices: ``draws`` (a
    power of 2) times (parameters + 2) draws. ``executor`` and ``scheduler`` are as for
    :func:`simulate`. ``store`` (e.g. :class:`bosim.outputs.partial_run.PartialRun`)
    keeps each replication as it finishes and gives back those kept by an interrupted
    run, which are not simulated again: the numbers are the same as uninterrupted.
    """
    scenarios = [_scenario(base), *(_scenario(alternative) for alternative in alternatives)]
    labels = unique_names(names or [s.meta.name for s in scenarios])
    check_comparable(scenarios[0], dict(zip(labels[1:], scenarios[1:], strict=True)))
    for label, scenario in zip(labels, scenarios, strict=True):
        check_register(scenario, label)
    _check_jobs(jobs)
    count = replications or scenarios[0].simulation.replications
    run_seed = scenarios[0].simulation.seed if seed is None else seed
    registers = [s.uncertainty for s in scenarios]
    drawn = (saltelli_uniforms(registers, draws, run_seed) if sobol
             else draw_uniforms(registers, draws, run_seed))
    draws = drawn.count
    overrides = [plan_overrides(scenario, drawn) for scenario in scenarios]
    plans = [[apply_draw(scenario, values, owners_of(scenario), sample + 1)
              for sample, values in enumerate(plan)]
             for scenario, plan in zip(scenarios, overrides, strict=True)]
    varying = {path for plan in overrides for path in plan[0]
               if any(values[path] != plan[0][path] for values in plan)}
    price_only = all(is_price_key(path) for path in varying)
    if price_only:  # one simulation per plan, re-priced for each draw
        to_run = [plan[0] for plan in plans]
        units = [WorkUnit(index, run_seed, 0, replication)
                 for index in range(len(plans)) for replication in range(count)]
    else:
        to_run = [drawn_plan for plan in plans for drawn_plan in plan]
        units = [WorkUnit(index * draws + sample, run_seed, sample + 1, replication)
                 for index in range(len(plans)) for sample in range(draws)
                 for replication in range(count)]
    started = dt.datetime.now(dt.UTC)
    simulated: list[ReplicationRecord | None] = [None] * len(units)
    frames: dict[tuple[int, int], pd.DataFrame] = {}
    """The priced replications of each (plan, draw), in the order they are ready."""

    def price_draws(group: int) -> None:
        """Price every (plan, draw) that the ``count`` replications of ``group`` serve."""
        records = [record for record in simulated[group * count:(group + 1) * count]
                   if record is not None]
        served = ([(group, sample) for sample in range(draws)] if price_only
                  else [divmod(group, draws)])
        for index, sample in served:
            drawn_scenario = plans[index][sample]
            run = Results(scenario=drawn_scenario, compiled=compile_scenario(drawn_scenario),
                          records=records, seed=run_seed, started=started,
                          finished=dt.datetime.now(dt.UTC), jobs=jobs)
            money = plans[0][sample].economics
            run = run.price({"economics.perspective": money.perspective,
                             "economics.discount_rate": money.discount_rate,
                             "economics.tax_financing_cost": money.tax_financing_cost})
            frames[index, sample] = run.replications.assign(sample=sample + 1,
                                                            alternative=labels[index])

    waiting = [count] * (len(units) // count)
    """Replications still to come, by group of ``count`` units (one simulated draw)."""

    def price_when_ready(position: int, record: ReplicationRecord) -> None:
        # The main process prices each draw as soon as its replications are in, while
        # the workers simulate the next ones, instead of all of them at the end.
        simulated[position] = record
        group = position // count
        waiting[group] -= 1
        if waiting[group] == 0:
            price_draws(group)

    records = run_work(to_run, units, jobs=jobs, progress=progress, executor=executor,
                       scheduler=scheduler, store=store, on_record=price_when_ready)
    simulated[:] = records
    for group, left in enumerate(waiting):
        if left:  # some replications came from the store
            price_draws(group)
    frames_in_order = [frames[index, sample]
                       for index in range(len(plans)) for sample in range(draws)]
    table = pd.concat(frames_in_order, ignore_index=True)[PSA_COLUMNS]
    parameters = pd.DataFrame(parameter_table(scenarios, drawn), columns=PARAMETER_COLUMNS)
    return PSA(names=labels, table=table, parameters=parameters,
               register=_register_table(scenarios), draws=draws, replications=count,
               seed=run_seed, perspective=scenarios[0].economics.perspective,
               simulations=len(units), saved=len(labels) * draws * count - len(units),
               currency=scenarios[0].meta.currency, sobol_problem=drawn.sobol_problem,
               extra_manifest={"plan_labels": {
                   lang: {label: scenario.plan_label(label, lang)
                          for label, scenario in zip(labels, scenarios, strict=True)}
                   for lang in LANGUAGES}})


def tornado(
    base: Scenario | str | Path,
    alternative: Scenario | str | Path | None = None,
    metric: str = NET_BENEFIT,
    wtp: float = 1_000_000.0,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    executor: str = "local",
    scheduler: str | None = None,
) -> pd.DataFrame:
    """One-way sensitivity: each register parameter at its low and high value.

    The outcome is ``metric`` (a whole-system metric, or ``net_benefit`` at ``wtp`` per
    housed person-year), of the base, or of the alternative minus the base. Every run
    uses the same seed and sample (common random numbers); parameters that only change
    money re-price the plain run. Dirichlet entries are left out (no single low/high).
    Returns ``parameter, low, high, outcome_low, outcome_high, outcome_base, swing``.
    ``executor`` and ``scheduler`` as for :func:`simulate`: the numbers do not depend on
    them.
    """
    scenarios = [_scenario(base)] + ([_scenario(alternative)] if alternative is not None else [])
    check_comparable(scenarios[0], {f"plan {i}": s for i, s in enumerate(scenarios[1:], 2)})
    known = {NET_BENEFIT, *metric_names("system", "money"), "housed_person_years_pv"}
    if metric not in known:
        raise InputError(f"unknown outcome {metric!r}", file="--metric",
                         fix=f"use net_benefit, cost_pv, housing_retention_12m or one of "
                         f"{', '.join(sorted(known)[:8])} ...")
    for index, scenario in enumerate(scenarios):
        check_register(scenario, f"plan {index + 1}")
    _check_jobs(jobs)
    count = replications or scenarios[0].simulation.replications
    run_seed = scenarios[0].simulation.seed if seed is None else seed
    register = {name: parameter for name, parameter in
                combined_register([s.uncertainty for s in scenarios]).items()
                if parameter.dirichlet is None}
    if not register:
        raise InputError("has no register entry with one value to vary", file="uncertainty",
                         fix="add [uncertainty.<name>] tables with path and dist")
    variants: list[list[Scenario]] = []  # per plan: plain, then low and high of each
    for scenario in scenarios:
        plan = [scenario]
        for name in register:
            own = scenario.uncertainty.get(name)
            for value in one_way_range(own) if own is not None else (None, None):
                plan.append(scenario if own is None else apply_draw(
                    scenario, {str(own.path): value}, {str(own.path): name}))
        variants.append(plan)
    simulated = [0] + [1 + 2 * position + side for position, name in enumerate(register)
                       for side in (0, 1) if not is_price_key(str(register[name].path))]
    units = [WorkUnit(plan * len(variants[0]) + point, run_seed, 0, replication)
             for plan in range(len(scenarios)) for point in simulated
             for replication in range(count)]
    flat = [variant for plan in variants for variant in plan]
    records = run_work(flat, units, jobs=jobs, progress=progress, executor=executor,
                       scheduler=scheduler)
    now = dt.datetime.now(dt.UTC)
    runs = {units[start].scenario: records[start:start + count]
            for start in range(0, len(units), count)}

    def frames(point: int) -> list[pd.DataFrame]:
        found = []
        for index, plan in enumerate(variants):
            shared = runs.get(index * len(plan) + point, runs[index * len(plan)])
            money = variants[0][point].economics
            run = Results(scenario=plan[point], compiled=compile_scenario(plan[point]),
                          records=shared, seed=run_seed, started=now, finished=now)
            run = run.price({"economics.perspective": money.perspective,
                             "economics.discount_rate": money.discount_rate,
                             "economics.tax_financing_cost": money.tax_financing_cost})
            found.append(run.replications)
        return found

    rows = []
    for position, (name, parameter) in enumerate(register.items()):
        low, high = one_way_range(parameter)
        rows.append((name, low, high, outcome(frames(1 + 2 * position), metric, wtp),
                     outcome(frames(2 + 2 * position), metric, wtp)))
    return tornado_table(rows, outcome(frames(0), metric, wtp))


def _register_table(scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """``parameter, paths, distribution, low, high, group, source`` of every plan's register."""
    rows = []
    for name, parameter in combined_register([s.uncertainty for s in scenarios]).items():
        if parameter.dirichlet is None:
            described = distribution(parameter)[1]
            low, high = one_way_range(parameter)
        else:
            weights = ", ".join(f"{weight:g}" for weight in parameter.dirichlet)
            described, low, high = f"dirichlet({weights})", float("nan"), float("nan")
        rows.append((name, " ".join(parameter.keys), described, low, high,
                     parameter.group or "", parameter.source))
    return pd.DataFrame(rows, columns=["parameter", "paths", "distribution", "low", "high",
                                       "group", "source"])


def check_language(lang: str) -> None:
    """Refuse a report language bosim does not write."""
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}", file="--lang",
                         fix="use --lang en (English) or --lang nb (Norwegian bokmål)")


def render_report(results: RunView, lang: str = "en") -> str:
    """The HTML report of a run (in memory or read back from its folder)."""
    check_language(lang)
    return render_run_report(results, lang, version=bosim_version())


REPORT_BYTES = 200_000
"""The least a report takes (its figures make it 0.3 to 1 MB)."""
MONTH_ROW_BYTES = 4
"""The least a monthly row of ``timeseries.parquet`` takes (about 8 bytes compressed)."""
EVENT_BYTES = 2
"""The least an event of ``events.parquet`` takes (about 6 bytes compressed)."""
EVENTS_PER_PERSON = 4
"""The fewest events of a person who arrives: arrival, admission, end of stay, exit."""


def _estimated_bytes(scenarios: Sequence[Scenario], replications: int, trace: bool,
                     tables: bool) -> int:
    """A low estimate of a results folder's size: a run is never refused that would fit."""
    total = 0
    for scenario in scenarios:
        total += REPORT_BYTES
        if not tables:
            continue
        years = scenario.simulation.years + scenario.simulation.warmup_years
        total += replications * years * 12 * len(scenario.places) * MONTH_ROW_BYTES
        if trace:
            people = sum(max(rate) if isinstance(rate, list) else rate
                         for rate in (segment.arrivals_per_year for segment in scenario.segments))
            total += int(replications * people * years * EVENTS_PER_PERSON * EVENT_BYTES)
    return total


def _input_files(scenarios: Sequence[Scenario]) -> list[Path]:
    """Every file the scenarios were read from (``extends`` bases too)."""
    return [Path(source.path) for scenario in scenarios
            for source in getattr(scenario, "_sources", [])]


@contextlib.contextmanager
def prepare_output(
    directory: str | Path,
    force: bool = False,
    scenarios: Sequence[Scenario] = (),
    replications: int = 0,
    trace: bool = False,
    tables: bool = True,
) -> Iterator[Staging]:
    """Check a results folder before simulating and reserve the place it is built in.

    Everything about the folder that can go wrong is found before simulating: an
    existing folder without ``force`` (and with it, one bosim did not write, the current
    folder, or one holding an input file), a parent that cannot be made or written, too
    little room for a low estimate of the results (``replications`` of each of
    ``scenarios``; ``tables``: the folder holds every run's monthly tables, as a run or a
    comparison does, not a sweep's summaries only), a name too long. Staging folders of
    killed runs in the same parent are removed (the yielded value's ``notes`` say which).

    Give the yielded value to :func:`save` as its folder. If the block ends with an error
    or an interrupt, nothing is left behind.

    Raises:
        InputError: naming the folder, what is wrong and the fix.

    """
    needed = _estimated_bytes(scenarios, replications, trace, tables)
    with staging(Path(directory), force, _input_files(scenarios), needed) as reserved:
        yield reserved


def save(
    what: Results | Comparison | Sweep,
    directory: str | Path | Staging,
    force: bool = False,
    lang: str = "en",
    metrics: Sequence[str] = DEFAULT_SWEEP_METRICS,
) -> Path:
    """Write a results folder with its report: of a run, a comparison or a sweep.

    The folder is written whole or not at all, and an existing folder is replaced only
    with ``force`` and only if bosim wrote it. ``directory`` may be what
    :func:`prepare_output` reserved before simulating; if another run published a folder
    there meanwhile, this one is published as ``NAME-2`` (the path returned).
    ``metrics`` are the figures of a sweep's report.

    Raises:
        InputError: if the folder cannot or must not be written (nothing is written).
        UnsavedResults: if writing failed (a full disk, a removed folder); the results
            are kept in a file the message names, with how to write them.

    """
    check_language(lang)
    if isinstance(directory, Staging):
        return _save_into(what, directory, lang, metrics)
    if isinstance(what, Results):
        scenarios = [what.scenario]
    elif isinstance(what, Comparison):
        scenarios = [run.scenario for run in what.results.values()]
    else:
        scenarios = [what.scenario]
    with prepare_output(directory, force, scenarios) as reserved:
        return _save_into(what, reserved, lang, metrics)


def _save_into(what: Results | Comparison | Sweep, reserved: Staging, lang: str,
               metrics: Sequence[str]) -> Path:
    """Render the reports, write the folder at ``reserved`` and publish it."""
    building = reserved.building
    if isinstance(what, Results):
        report = render_report(what, lang).encode("utf-8")

        def write() -> None:
            write_run_folder(what, building, False, {"report.html": report}, lang)
    elif isinstance(what, Comparison):
        plan_reports = {
            name: {"report.html": render_report(run, lang).encode("utf-8")}  # type: ignore[arg-type]
            for name, run in what.results.items()
        }
        report = render_comparison_report(what, lang, bosim_version()).encode("utf-8")

        def write() -> None:
            write_comparison_folder(what, building, False, {"report.html": report},
                                    plan_reports, lang)
    else:
        report = render_sweep_report(what, list(metrics), lang).encode("utf-8")

        def write() -> None:
            write_sweep_folder(what, building, list(metrics), False, {"report.html": report},
                               lang, setting_headers(what, lang))
    try:
        reserved.ensure()
        write()
        return reserved.publish()
    except (OSError, InputError) as error:
        reason = (error.message if isinstance(error, InputError)
                  else error.strerror or str(error))
        try:
            kept: Path | None = keep_unsaved(what, reserved.target)
        except OSError:
            kept = None
        arguments = "" if lang == "en" else f", lang={json.dumps(lang)}"
        if isinstance(what, Sweep) and tuple(metrics) != DEFAULT_SWEEP_METRICS:
            arguments += f", metrics={json.dumps(list(metrics))}"
        raise UnsavedResults(reserved.target, reason, kept, arguments) from error


def load_results(folder: str | Path) -> SavedRun:
    """A run folder read back: ``summary``, ``replications``, ``timeseries`` ... as saved."""
    return load_run_folder(folder)


def rerender(folder: str | Path, lang: str = "en") -> Path:
    """Render a results folder's ``report.html`` again (a run, a comparison, a sweep or a PSA).

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
    elif is_psa_folder(path):
        analysis, wtp = load_psa_folder(path)
        page = render_psa_report(analysis, wtp, lang)
    elif is_run_folder(path):
        page = render_report(load_run_folder(path), lang)
    else:
        raise InputError(
            "is not a bosim results folder (no summary.csv, comparison.csv, sweep.csv or "
            "a PSA's manifest.json)",
            file=str(path),
            fix="give a folder written by bosim run, compare, sweep or psa",
        )
    write_whole(target, page.encode("utf-8"))
    return target


__all__ = [
    "OVERRIDE_SOURCE", "UnsavedResults", "check_language", "compare", "load_results",
    "load_unsaved", "prepare_output", "price", "psa", "render_report", "rerender", "save",
    "simulate", "sweep", "tornado",
]
