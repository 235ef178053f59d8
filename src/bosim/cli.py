"""The ``bosim`` command line (model.md section 7).

Exit codes: 0 success, 2 bad input (a message on stderr naming the file, key and fix),
1 an internal error.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bosim.errors import InputError

app = typer.Typer(
    name="bosim",
    help="Simulate municipal housing for homeless people: stability, bottlenecks, costs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(show: bool) -> None:
    if show:
        from bosim.outputs import bosim_version

        print(f"bosim {bosim_version()}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Print the version and exit.")
    ] = False,
) -> None:
    """Simulate municipal housing for homeless people: stability, bottlenecks, costs."""
stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)
"""Soft wrap: an error line naming a long file path must stay whole, to be found and copied."""

KEY_RESULTS = (
    ("housing_retention_12m", "{:.0%}"),
    ("homeless_days_per_person_year", "{:.0f}"),
    ("housed_share_end", "{:.0%}"),
    ("breakdowns_per_100_person_years", "{:.1f}"),
    ("people_end", "{:.0f}"),
    ("waiting_end", "{:.0f}"),
)
"""Metrics printed after a run, with their number format (labels from the metric table)."""


Replications = Annotated[
    int | None, typer.Option("-r", "--replications", min=1, help="Replications.")
]
Seed = Annotated[int | None, typer.Option("--seed", min=0, help="Seed.")]
Output = Annotated[
    Path | None, typer.Option("-o", "--output", help="Results folder (must not exist).")
]
Jobs = Annotated[int, typer.Option("-j", "--jobs", min=1, help="Parallel processes.")]
Overrides = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a key: PATH=VALUE, e.g. places.shelter.capacity=20."),
]
Force = Annotated[bool, typer.Option("--force", help="Replace an existing folder.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
Language = Annotated[str, typer.Option("--lang", help="Report language: en or nb (bokmål).")]
"""Options shared by run, compare and sweep."""


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    replications: Replications = None,
    seed: Seed = None,
    output: Output = None,
    jobs: Jobs = 1,
    set_: Overrides = None,
    trace: Annotated[bool, typer.Option("--trace", help="Also write events.parquet.")] = False,
    force: Force = False,
    quiet: Quiet = False,
    lang: Language = "en",
) -> None:
    """Simulate a scenario and write a results folder."""
    from bosim.api import check_language, save, simulate
    from bosim.outputs import check_output_dir, default_output_dir
    from bosim.scenario import load_scenario, parse_override

    check_language(lang)
    overrides = dict(parse_override(text) for text in set_ or [])
    loaded = load_scenario(scenario, overrides, override_source="--set")
    folder = output or default_output_dir(loaded.meta.name)
    check_output_dir(folder, force)
    count = replications or loaded.simulation.replications
    with _progress(count, quiet) as advance:
        results = simulate(
            loaded, replications=replications, seed=seed, jobs=jobs, trace=trace,
            progress=advance,
        )
    save(results, folder, force=force, lang=lang)
    _print_key_results(results)
    _print_unstable(results)
    stdout.print(f"Results written to [bold]{folder}[/bold]")


@app.command()
def compare(
    base: Annotated[Path, typer.Argument(help="The base scenario (nullalternativ).")],
    alternatives: Annotated[list[Path], typer.Argument(help="Alternatives to compare.")],
    replications: Replications = None,
    seed: Seed = None,
    output: Output = None,
    jobs: Jobs = 1,
    set_: Overrides = None,
    force: Force = False,
    quiet: Quiet = False,
    lang: Language = "en",
) -> None:
    """Compare alternatives with a base on the same people (paired by replication)."""
    from bosim.api import check_language, save
    from bosim.api import compare as run_comparison
    from bosim.outputs import check_output_dir, default_output_dir
    from bosim.scenario import load_scenario, parse_override

    check_language(lang)
    overrides = dict(parse_override(text) for text in set_ or [])
    paths = [base, *alternatives]
    scenarios = [load_scenario(p, overrides, override_source="--set") for p in paths]
    folder = output or default_output_dir(f"compare-{base.stem}")
    check_output_dir(folder, force)
    count = (replications or scenarios[0].simulation.replications) * len(scenarios)
    with _progress(count, quiet) as advance:
        comparison = run_comparison(
            scenarios[0], *scenarios[1:], names=[p.stem for p in paths],
            replications=replications, seed=seed, jobs=jobs, progress=advance,
        )
    save(comparison, folder, force=force, lang=lang)
    _print_comparison(comparison)
    stdout.print(f"Comparison written to [bold]{folder}[/bold]")


@app.command()
def sweep(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    vary: Annotated[
        list[str],
        typer.Option("--vary", help="PATH=V1,V2,...; several --vary give the full grid."),
    ],
    metric: Annotated[
        list[str] | None, typer.Option("--metric", help="Metric to plot (repeatable).")
    ] = None,
    replications: Replications = None,
    seed: Seed = None,
    output: Output = None,
    jobs: Jobs = 1,
    set_: Overrides = None,
    force: Force = False,
    quiet: Quiet = False,
    lang: Language = "en",
) -> None:
    """Run a scenario over a grid of values, with common random numbers across points."""
    from bosim.analysis.metric_table import names
    from bosim.api import DEFAULT_SWEEP_METRICS, check_language, save
    from bosim.api import sweep as run_sweep
    from bosim.outputs import check_output_dir, default_output_dir
    from bosim.scenario import load_scenario, parse_override, parse_vary

    check_language(lang)
    overrides = dict(parse_override(text) for text in set_ or [])
    loaded = load_scenario(scenario, overrides, override_source="--set")
    grid = dict(parse_vary(text) for text in vary)
    known = set(names("system", "place", "team", "money"))
    for name in metric or []:
        if name not in known:
            from bosim.scenario.checks import suggest

            raise InputError(f"unknown metric {name!r}", file="--metric",
                             fix=suggest(name, sorted(known)))
    folder = output or default_output_dir(f"sweep-{loaded.meta.name}")
    check_output_dir(folder, force)
    points = 1
    for values in grid.values():
        points *= len(values)
    count = (replications or loaded.simulation.replications) * points
    with _progress(count, quiet) as advance:
        result = run_sweep(loaded, grid, replications=replications, seed=seed, jobs=jobs,
                           progress=advance, source="--vary")
    save(result, folder, force=force, lang=lang, metrics=metric or DEFAULT_SWEEP_METRICS)
    stdout.print(f"Sweep of {points} points written to [bold]{folder}[/bold]")


@app.command()
def report(
    folder: Annotated[Path, typer.Argument(help="A folder written by run, compare or sweep.")],
    lang: Language = "en",
) -> None:
    """Render a results folder's report.html again (e.g. in bokmål with --lang nb)."""
    from bosim.api import rerender

    written = rerender(folder, lang)
    stdout.print(f"Report written to [bold]{written}[/bold]")


def _print_comparison(comparison) -> None:  # type: ignore[no-untyped-def]
    from bosim.analysis import dominance

    table = comparison.table
    currency = comparison.base.scenario.meta.currency
    rows = (
        ("housing_retention_12m", "Still housed after 12 months", "{:+.1%}"),
        ("homeless_days_per_person_year", "Homeless days per person-year", "{:+.1f}"),
        ("breakdowns_per_100_person_years", "Breakdowns per 100 person-years", "{:+.1f}"),
        ("unmet_crisis_share", "Unmet share of crises", "{:+.1%}"),
        ("incremental_cost_pv", f"Extra cost, present value ({currency})", "{:+,.0f}"),
        ("incremental_housed_person_years_pv", "Extra housed person-years (disc.)", "{:+.1f}"),
        ("icer_cost_per_housed_year", f"{currency} per extra housed person-year", "{:,.0f}"),
    )
    for name in comparison.names[1:]:
        view = Table(title=f"{name} against {comparison.names[0]} (95 % intervals)")
        view.add_column("Result")
        view.add_column("Difference", justify="right")
        view.add_column("95 % interval", justify="right")
        for metric, label, number in rows:
            found = table[(table.alternative == name) & (table.metric == metric)
                          & (table.place == "") & (table.segment == "")]
            if found.empty:
                continue
            row = found.iloc[0]

            def show(value: float, number: str = number) -> str:
                return number.format(value) if value == value else "–"

            interval = (f"{show(row.ci_low)} to {show(row.ci_high)}"
                        if row.ci_low == row.ci_low else "–")
            verdict = dominance(table, name) if metric.startswith("icer") else None
            if verdict == "dominant":
                view.add_row(label, "dominant", "costs less and houses more than the base")
            elif verdict == "dominated":
                view.add_row(label, "dominated", "costs more and houses fewer than the base")
            else:
                view.add_row(label, show(row.diff_mean), interval)
        stdout.print(view)


@app.command()
def validate(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario files to check.")],
) -> None:
    """Check scenario files without simulating; exit 2 if any has an error."""
    from bosim.scenario import load_scenario

    failed = False
    for path in scenarios:
        try:
            loaded = load_scenario(path)
        except InputError as error:
            failed = True
            stderr.print(str(error), markup=False, highlight=False)
        else:
            stdout.print(
                f"{path}: ok ({_count(len(loaded.places), 'place')}, "
                f"{_count(len(loaded.segments), 'segment')}, {_count(len(loaded.teams), 'team')})",
                markup=False, highlight=False,
            )
    if failed:
        raise typer.Exit(2)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _progress(total: int, quiet: bool):  # type: ignore[no-untyped-def]
    """A progress bar on stderr, or nothing when quiet or not a terminal."""
    import contextlib

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    if quiet or not sys.stderr.isatty():
        return contextlib.nullcontext(None)

    @contextlib.contextmanager
    def bar():  # type: ignore[no-untyped-def]
        with Progress(
            "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
            TimeRemainingColumn(), console=stderr, transient=True,
        ) as progress:
            task = progress.add_task("Replications", total=total)
            yield lambda done: progress.advance(task, done)

    return bar()


def _print_key_results(results) -> None:  # type: ignore[no-untyped-def]
    from bosim.analysis.metric_table import label_of

    summary = results.summary.set_index(["metric", "segment", "place"])
    table = Table(
        title=f"{results.scenario.meta.name}: {results.replication_count} replications, "
        f"{results.scenario.simulation.years} observed years (mean and 95 % interval)"
    )
    table.add_column("Result")
    table.add_column("Mean", justify="right")
    table.add_column("95 % interval", justify="right")
    for metric, number in KEY_RESULTS:
        row = summary.loc[(metric, "", "")]
        low, high = row["ci_low"], row["ci_high"]
        interval = (
            f"{number.format(low)} – {number.format(high)}" if low == low else "–"
        )
        mean = number.format(row["mean"]) if row["mean"] == row["mean"] else "–"
        table.add_row(label_of(metric), mean, interval)
    stdout.print(table)


def _print_unstable(results) -> None:  # type: ignore[no-untyped-def]
    """Say in plain words when a place's queue grows without bound."""
    for place in results.unstable:
        waiting = results.metric("waiting_end", place=place)
        waited = results.metric("mean_open_wait_days", place=place)
        stderr.print(
            f"warning: the queue for {place} grew through the whole observed window and does "
            f"not level off: more people need it than it can take. {waiting:.0f} people were "
            f"still waiting at the end, after {waited:.0f} days on average; the mean wait "
            "counts only those admitted and understates the waits.",
            markup=False, highlight=False,
        )


def main() -> None:
    """Entry point: run the app and turn errors into exit codes.

    Usage errors (a missing argument, an unknown option) are typer's: exit 2 with usage.
    """
    os.environ.setdefault("MPLBACKEND", "Agg")  # figures go into files, never to a window
    try:
        app()
    except InputError as error:
        stderr.print(f"error: {error}", markup=False, highlight=False)
        sys.exit(2)
    except Exception as error:  # the last line of defence: a bug, not the user's fault
        if os.environ.get("BOSIM_DEBUG"):
            traceback.print_exc()
        stderr.print(
            f"internal error: {type(error).__name__}: {error}\n"
            "This is a bug in bosim. Run again with BOSIM_DEBUG=1 for the details and report it.",
            markup=False, highlight=False,
        )
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
