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
stdout = Console()
stderr = Console(stderr=True, soft_wrap=True)
"""Soft wrap: an error line naming a long file path must stay whole, to be found and copied."""

KEY_RESULTS = (
    ("housing_retention_12m", "Still housed 12 months after a housing start", "{:.0%}"),
    ("homeless_days_per_person_year", "Homeless days per person-year", "{:.0f}"),
    ("housed_share_end", "Housed at the end", "{:.0%}"),
    ("breakdowns_per_100_person_years", "Breakdowns per 100 person-years housed", "{:.1f}"),
    ("people_end", "People in the system at the end", "{:.0f}"),
)


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
    replications: Annotated[
        int | None, typer.Option("-r", "--replications", min=1, help="Replications.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", min=0, help="Seed.")] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Results folder (must not exist).")
    ] = None,
    jobs: Annotated[int, typer.Option("-j", "--jobs", min=1, help="Parallel processes.")] = 1,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a key: PATH=VALUE, e.g. places.shelter.capacity=20."),
    ] = None,
    trace: Annotated[bool, typer.Option("--trace", help="Also write events.parquet.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing folder.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Simulate a scenario and write a results folder."""
    from bosim.api import simulate
    from bosim.output import check_output_dir, default_output_dir
    from bosim.scenario import load_scenario, parse_override

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
    results.save(folder, force=force)
    _print_key_results(results)
    stdout.print(f"Results written to [bold]{folder}[/bold]")


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
                f"{path}: ok ({len(loaded.places)} places, {len(loaded.segments)} segments)",
                markup=False, highlight=False,
            )
    if failed:
        raise typer.Exit(2)


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
    summary = results.summary.set_index(["metric", "place"])
    table = Table(
        title=f"{results.scenario.meta.name}: {results.replication_count} replications, "
        f"{results.scenario.simulation.years} observed years (mean and 95 % interval)"
    )
    table.add_column("Result")
    table.add_column("Mean", justify="right")
    table.add_column("95 % interval", justify="right")
    for metric, label, number in KEY_RESULTS:
        row = summary.loc[(metric, "")]
        low, high = row["ci_low"], row["ci_high"]
        interval = (
            f"{number.format(low)} – {number.format(high)}" if low == low else "–"
        )
        mean = number.format(row["mean"]) if row["mean"] == row["mean"] else "–"
        table.add_row(label, mean, interval)
    stdout.print(table)


def main() -> None:
    """Entry point: run the app and turn errors into exit codes.

    Usage errors (a missing argument, an unknown option) are typer's: exit 2 with usage.
    """
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
