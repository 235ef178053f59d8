"""The ``bosim`` command line (docs/outputs.md lists what it writes).

Exit codes: 0 success, 2 bad input (a message on stderr naming the file, key and fix),
1 an internal error.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from bosim.errors import InputError

if TYPE_CHECKING:
    from bosim.outputs.folder import Staging

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
stdout = Console(soft_wrap=True, emoji=False)
stderr = Console(stderr=True, soft_wrap=True, emoji=False)
"""Soft wrap: an error line naming a long file path must stay whole, to be found and copied.
No emoji codes: a name such as ``:house:`` is printed as written. Every text a user wrote
is printed with ``markup=False`` or through :func:`rich.markup.escape`, so ``[b]`` in a
name is text, not markup."""



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
ForceLarge = Annotated[bool, typer.Option(
    "--force-large", help="Run even if estimated too large for this machine (memory, a day).")]
Executor = Annotated[str, typer.Option(
    "--executor", help="local (-j processes here) or dask (the cluster at --scheduler); "
    "the numbers are the same.")]
Scheduler = Annotated[str | None, typer.Option(
    "--scheduler", help="The dask scheduler's address, e.g. tcp://127.0.0.1:8786.")]
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
    force_large: ForceLarge = False,
    executor: Executor = "local",
    scheduler: Scheduler = None,
) -> None:
    """Simulate a scenario and write a results folder."""
    with _interruptible() as outcome:
        from bosim.api import check_language, prepare_output, simulate
        from bosim.outputs import default_output_dir
        from bosim.scenario import load_scenario

        check_language(lang)
        overrides = _overrides(set_)
        loaded = load_scenario(scenario, overrides, override_source="--set")
        folder = output or default_output_dir(loaded.meta.name)
        count = replications or loaded.simulation.replications
        with prepare_output(folder, force, [loaded], count, trace) as reserved:
            outcome.reserved = reserved
            _print_notes(reserved.notes)
            with _progress(count, quiet) as advance:
                results = simulate(
                    loaded, replications=replications, seed=seed, jobs=jobs, trace=trace,
                    progress=outcome.watch(advance), force_large=force_large,
                    executor=executor, scheduler=scheduler,
                )
            written = _save(results, reserved, folder, lang=lang)
        _print_key_results(results, lang)
        _print_warnings(results, lang)
        _print_written("results_written", written, lang)


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
    force_large: ForceLarge = False,
    executor: Executor = "local",
    scheduler: Scheduler = None,
) -> None:
    """Compare alternatives with a base on the same people (paired by replication)."""
    with _interruptible() as outcome:
        from bosim.api import check_language, prepare_output
        from bosim.api import compare as run_comparison
        from bosim.outputs import default_output_dir
        from bosim.scenario import load_scenario

        check_language(lang)
        overrides = _overrides(set_)
        paths = [base, *alternatives]
        scenarios = [load_scenario(p, overrides, override_source="--set") for p in paths]
        folder = output or default_output_dir(f"compare-{base.stem}")
        each = replications or scenarios[0].simulation.replications
        with prepare_output(folder, force, scenarios, each) as reserved:
            outcome.reserved = reserved
            _print_notes(reserved.notes)
            with _progress(each * len(scenarios), quiet) as advance:
                comparison = run_comparison(
                    scenarios[0], *scenarios[1:], names=[p.stem for p in paths],
                    replications=replications, seed=seed, jobs=jobs,
                    progress=outcome.watch(advance), force_large=force_large,
                    executor=executor, scheduler=scheduler,
                )
            written = _save(comparison, reserved, folder, lang=lang)
        _print_comparison(comparison, lang)
        _print_written("comparison_written", written, lang)


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
    force_large: ForceLarge = False,
    executor: Executor = "local",
    scheduler: Scheduler = None,
) -> None:
    """Run a scenario over a grid of values, with common random numbers across points."""
    with _interruptible() as outcome:
        from bosim.analysis.metric_table import names
        from bosim.api import DEFAULT_SWEEP_METRICS, check_language, prepare_output
        from bosim.api import sweep as run_sweep
        from bosim.outputs import default_output_dir
        from bosim.scenario import load_scenario, parse_vary
        from bosim.scenario.checks import suggest

        check_language(lang)
        overrides = _overrides(set_)
        loaded = load_scenario(scenario, overrides, override_source="--set")
        grid = dict(parse_vary(text) for text in vary)
        known = set(names("system", "place", "team", "money"))
        for name in metric or []:
            if name not in known:
                raise InputError(f"unknown metric {name!r}", file="--metric",
                                 fix=suggest(name, sorted(known)))
        folder = output or default_output_dir(f"sweep-{loaded.meta.name}")
        points = 1
        for values in grid.values():
            points *= len(values)
        count = (replications or loaded.simulation.replications) * points
        # A sweep's folder holds summaries only: its size is about that of the report.
        with prepare_output(folder, force, [loaded], tables=False) as reserved:
            outcome.reserved = reserved
            _print_notes(reserved.notes)
            with _progress(count, quiet) as advance:
                result = run_sweep(loaded, grid, replications=replications, seed=seed,
                                   jobs=jobs, progress=outcome.watch(advance),
                                   source="--vary", force_large=force_large,
                                   executor=executor, scheduler=scheduler)
            written = _save(result, reserved, folder, lang=lang,
                            metrics=metric or DEFAULT_SWEEP_METRICS)
        _print_written("sweep_written", written, lang, points=points)


@app.command()
def report(
    folder: Annotated[Path, typer.Argument(help="A folder written by run, compare, sweep or psa.")],
    lang: Language = "en",
) -> None:
    """Render a results folder's report.html again (e.g. in bokmål with --lang nb)."""
    with _interruptible():
        from bosim.api import rerender

        try:
            written = rerender(folder, lang)
        except OSError as error:  # a read-only folder or a full disk: not a bug
            raise InputError(f"cannot write the report: {error.strerror or error}",
                             file=str(folder),
                             fix="make the folder writable, or copy it somewhere you can "
                             "write and run bosim report on the copy") from error
        _print_written("report_written", written, lang)


@app.command()
def psa(
    base: Annotated[Path | None, typer.Argument(
        help="The base scenario, with \\[uncertainty] (not with --resume).")] = None,
    alternatives: Annotated[
        list[Path] | None, typer.Argument(help="Alternatives, drawn with the same numbers.")
    ] = None,
    draws: Annotated[int, typer.Option("--draws", "-n", min=1,
                                       help="Parameter draws (a few hundred).")] = 100,
    replications: Replications = None,
    seed: Seed = None,
    output: Output = None,
    jobs: Jobs = 1,
    set_: Overrides = None,
    wtp: Annotated[float, typer.Option(
        "--wtp", min=0,
        help="Willingness to pay per housed person-year for EVPPI and the printout.")
    ] = 1_000_000.0,
    sobol: Annotated[bool, typer.Option(
        "--sobol", help="Saltelli's design: --draws (a power of 2) x (parameters + 2) draws, "
        "and first-order and total Sobol indices.")] = False,
    force: Force = False,
    quiet: Quiet = False,
    lang: Language = "en",
    executor: Executor = "local",
    scheduler: Scheduler = None,
    resume: Annotated[Path | None, typer.Option(
        "--resume", help="Finish an interrupted run from the NAME.partial folder it left "
        "(with its own scenarios and options; -j, --executor may change).")] = None,
) -> None:
    r"""Probabilistic sensitivity analysis: CEAC, EVPI and EVPPI from the \[uncertainty] register.

    Finished replications are kept in NAME.partial while it runs: an interrupted run
    goes on with --resume NAME.partial, with the same numbers as one never interrupted.
    """
    with _interruptible() as outcome:
        from bosim.api import check_language, prepare_output
        from bosim.api import psa as run_psa
        from bosim.outputs import default_output_dir
        from bosim.outputs.partial_run import PartialRun, fingerprint, partial_folder
        from bosim.outputs.psa_folder import write_psa_folder
        from bosim.presentation.psa_report import render_psa_report
        from bosim.scenario import load_scenario

        partial: PartialRun | None = None
        if resume is not None:
            if base is not None:
                raise InputError("--resume takes the scenarios of the interrupted run",
                                 file="bosim psa", fix=f"give only --resume {resume}")
            partial, design = PartialRun.open(resume)
            paths = [Path(plan) for plan in design["plans"]]
            set_, draws, sobol = list(design["overrides"]), int(design["draws"]), design["sobol"]
            replications, seed = int(design["replications"]), int(design["seed"])
            wtp, lang, force = float(design["wtp"]), str(design["lang"]), bool(design["force"])
            output = Path(design["output"])
        elif base is None:
            raise InputError("needs a base scenario", file="bosim psa",
                             fix="give a scenario file, or --resume NAME.partial")
        else:
            paths = [base, *(alternatives or [])]
        check_language(lang)
        overrides = _overrides(set_)
        scenarios = [load_scenario(p, overrides, override_source="--set") for p in paths]
        if not any(s.uncertainty for s in scenarios):
            raise InputError("has no [uncertainty] register: nothing to draw", file=str(paths[0]),
                             fix="add [uncertainty.<name>] tables with path, dist and source "
                             "(see README.md, 'Uncertainty')")
        if partial is not None and fingerprint(scenarios) != design["fingerprint"]:
            raise InputError("the scenario files changed since the run was interrupted",
                             file=str(resume), fix="restore them, or remove the folder and "
                             "start the PSA again")
        folder = output or default_output_dir(f"psa-{paths[0].stem}")
        replications = replications or scenarios[0].simulation.replications
        seed = scenarios[0].simulation.seed if seed is None else seed
        count = replications * len(scenarios) * draws
        if sobol:
            count *= len({name for s in scenarios for name in s.uncertainty}) + 2
        # Checked and reserved before simulating, so that nothing is simulated for a folder
        # that cannot be written; the folder itself is published whole by write_psa_folder.
        with prepare_output(folder, force, scenarios, tables=False) as reserved:
            _print_notes(reserved.notes)
            if partial is None:
                partial = PartialRun.start(partial_folder(folder.absolute()), {
                    "plans": [str(p.resolve()) for p in paths], "overrides": set_ or [],
                    "draws": draws, "replications": replications, "seed": seed,
                    "sobol": sobol, "wtp": wtp, "lang": lang, "output": str(folder.absolute()),
                    "force": force, "fingerprint": fingerprint(scenarios)})
            outcome.partial = partial.folder
            with _progress(count, quiet) as advance:
                analysis = run_psa(scenarios[0], *scenarios[1:], draws=draws,
                                   names=[p.stem for p in paths], replications=replications,
                                   seed=seed, jobs=jobs, progress=outcome.watch(advance),
                                   sobol=sobol, executor=executor, scheduler=scheduler,
                                   store=partial)
            report = render_psa_report(analysis, wtp, lang).encode("utf-8")
            write_psa_folder(analysis, folder, wtp, force=force, extra={"report.html": report})
        partial.remove()
        outcome.partial = None
        _print_psa(analysis, wtp, lang)
        _print_written("psa_written", folder, lang)


@app.command()
def tornado(
    base: Annotated[Path, typer.Argument(help="The scenario, with an \\[uncertainty] register.")],
    alternative: Annotated[
        Path | None, typer.Argument(help="An alternative: the outcome is its difference.")
    ] = None,
    metric: Annotated[str, typer.Option(
        "--metric", help="net_benefit, cost_pv, housing_retention_12m or another metric.")
    ] = "net_benefit",
    wtp: Annotated[float, typer.Option(
        "--wtp", min=0, help="Willingness to pay per housed person-year (net_benefit).")
    ] = 1_000_000.0,
    replications: Replications = None,
    seed: Seed = None,
    output: Output = None,
    jobs: Jobs = 1,
    set_: Overrides = None,
    force: Force = False,
    quiet: Quiet = False,
    lang: Language = "en",
    executor: Executor = "local",
    scheduler: Scheduler = None,
) -> None:
    """One-way sensitivity: each register parameter at its low and high value (tornado)."""
    with _interruptible() as outcome:
        import io

        from bosim.api import check_language, prepare_output
        from bosim.api import tornado as run_tornado
        from bosim.outputs import default_output_dir
        from bosim.outputs.psa_folder import write_tornado_folder
        from bosim.presentation.figures import tornado as tornado_figure
        from bosim.presentation.numbers import localise
        from bosim.presentation.terminal import tornado_outcome, tornado_table
        from bosim.scenario import load_scenario

        check_language(lang)
        overrides = _overrides(set_)
        paths = [base, *([alternative] if alternative else [])]
        scenarios = [load_scenario(p, overrides, override_source="--set") for p in paths]
        folder = output or default_output_dir(f"tornado-{base.stem}")
        count = (replications or scenarios[0].simulation.replications) * len(scenarios) * (
            1 + 2 * len(scenarios[0].uncertainty))
        with prepare_output(folder, force, scenarios, tables=False) as reserved:
            _print_notes(reserved.notes)
            with _progress(count, quiet) as advance:
                table = run_tornado(scenarios[0], scenarios[1] if alternative else None,
                                    metric=metric, wtp=wtp, replications=replications,
                                    seed=seed, jobs=jobs, progress=outcome.watch(advance),
                                    executor=executor, scheduler=scheduler)
            plans = (scenarios[0].plan_label(base.stem, lang),
                     scenarios[1].plan_label(alternative.stem, lang)) if alternative else None
            label = tornado_outcome(metric, wtp, scenarios[0].meta.currency, lang, plans)
            image = io.BytesIO()
            localise(tornado_figure(table, label, lang), lang).savefig(
                image, format="png", dpi=120, bbox_inches="tight")
            facts = {"plans": [p.stem for p in paths], "metric": metric, "wtp": wtp,
                     "replications": replications or scenarios[0].simulation.replications}
            write_tornado_folder(table, folder, facts, force=force,
                                 extra={"tornado.png": image.getvalue()})
        stdout.print(tornado_table(table, label, lang))
        _print_written("tornado_written", folder, lang)


def _print_psa(analysis, wtp: float, lang: str = "en") -> None:  # type: ignore[no-untyped-def]
    from bosim.presentation.terminal import message, psa_summary

    printed, warnings = psa_summary(analysis, wtp, lang)
    for item in printed:
        if isinstance(item, str):
            stdout.print(item, markup=False, highlight=False)
        else:
            stdout.print(item)
    for warning in warnings:
        stderr.print(f"{message('warning', lang)}: {warning}", markup=False, highlight=False)


def _print_comparison(comparison, lang: str = "en") -> None:  # type: ignore[no-untyped-def]
    from bosim.presentation.terminal import comparison_summary

    for item in comparison_summary(comparison, lang):
        stdout.print(item)


def _print_written(key: str, folder: Path, lang: str, **values: object) -> None:
    """Say where the results are, in ``lang``: the folder in bold."""
    from bosim.presentation.terminal import message

    stdout.print(f"{escape(message(key, lang, **values))} [bold]{escape(str(folder))}[/bold]")


@app.command()
def validate(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario files to check.")],
) -> None:
    """Check scenario files without simulating; exit 2 if any has an error."""
    from bosim.scenario import load_scenario
    from bosim.scenario.plausibility import check_size

    failed = False
    for path in scenarios:
        try:
            loaded = load_scenario(path)
            check_size([loaded], loaded.simulation.replications)
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


@app.command(name="app")
def app_command(
    scenario: Annotated[Path | None, typer.Argument(
        help="Scenario file to open first (default: the first bundled one).")] = None,
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1.")] = 8765,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="Do not open the web browser.")] = False,
    lang: Language = "en",
) -> None:
    """Open the planners' web app on this machine (127.0.0.1 only); Ctrl-C stops it."""
    from bosim.api import check_language
    from bosim.app.serve import serve

    check_language(lang)
    serve(scenario, port=port, open_browser=not no_browser, lang=lang)


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


class _Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM, raised where the program is, so that every clean-up runs."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number


class _Outcome:
    """What a command has reserved, and the signal that stopped it, if any."""

    reserved: Staging | None = None
    """To say on an interrupt whether anything was written."""
    partial: Path | None = None
    """A folder of finished replications to resume from (``bosim psa``), kept on an interrupt."""
    signal_number: int | None = None
    """Set by the signal handler too, for an interrupt Python swallowed (one raised in a
    ``__del__`` or a fork hook is printed and ignored)."""

    def watch(self, advance: Callable[[int], None] | None) -> Callable[[int], None]:
        """A progress callback that also stops the run if an interrupt was swallowed."""

        def told(done: int) -> None:
            if self.signal_number is not None:
                raise _Interrupted(self.signal_number)
            if advance is not None:
                advance(done)

        return told


@contextlib.contextmanager
def _interruptible() -> Iterator[_Outcome]:
    """Stop a command on Ctrl-C or SIGTERM: clean up, say so in one line, exit 130 or 143.

    The first signal raises :class:`_Interrupted` where the program is: the workers are
    terminated and the staging folder removed on the way out (about a second). A second
    signal meanwhile does not wait for that: it kills the workers, removes the staging
    folder and exits at once (the next run into the same parent removes what is left).
    """
    outcome = _Outcome()

    def first(signal_number: int, frame: object) -> None:
        signal.signal(signal.SIGINT, again)
        signal.signal(signal.SIGTERM, again)
        outcome.signal_number = signal_number
        raise _Interrupted(signal_number)

    def again(signal_number: int, frame: object) -> None:
        import multiprocessing

        for child in multiprocessing.active_children():
            child.kill()
        reserved = outcome.reserved
        if reserved is not None and reserved.published is None:
            reserved.discard()
        os.write(2, _interrupted_line(reserved, outcome.partial).encode("utf-8") + b"\n")
        os._exit(128 + signal_number)

    previous = {number: signal.signal(number, first)
                for number in (signal.SIGINT, signal.SIGTERM)}
    previous_hook = sys.unraisablehook

    def swallowed(unraisable: Any) -> None:
        # A signal that lands in a __del__ or an import lock's callback is swallowed by
        # Python ("Exception ignored in ..."): the command stops at its next step anyway
        # (outcome.signal_number), so say nothing more than the one line at the end.
        if not isinstance(unraisable.exc_value, _Interrupted):
            previous_hook(unraisable)

    sys.unraisablehook = swallowed
    interrupted = False
    try:
        yield outcome
    except BaseException as error:
        # After a signal, whatever ends the command (e.g. the workers' deaths, when
        # SIGTERM reached them too and the caller's interrupt was swallowed) is the stop.
        if not isinstance(error, KeyboardInterrupt) and outcome.signal_number is None:
            raise
        # The handlers stay: the process is ending, and a signal now must not hang it.
        interrupted = True
        signal.signal(signal.SIGINT, again)
        signal.signal(signal.SIGTERM, again)
        number = outcome.signal_number
        if number is None:  # Ctrl-C before the handler was in place, or a KeyboardInterrupt
            number = int(getattr(error, "signal_number", signal.SIGINT))
        stderr.print(_interrupted_line(outcome.reserved, outcome.partial), markup=False,
                     highlight=False)
        raise typer.Exit(128 + number) from None
    finally:
        if not interrupted:
            for number, handler in previous.items():
                signal.signal(number, handler)
            sys.unraisablehook = previous_hook


def _interrupted_line(reserved: Staging | None, partial: Path | None = None) -> str:
    written = reserved.published if reserved is not None else None
    if written is None and partial is not None:
        return (f"interrupted: the results are not written; the replications finished so far "
                f"are kept in {partial} (see PARTIAL.txt there): go on with "
                f"bosim psa --resume {partial}")
    if written is None:
        return "interrupted: nothing was written"
    return f"interrupted: the results were written to {written}"


def _save(what, reserved: Staging, folder: Path, **options) -> Path:  # type: ignore[no-untyped-def]
    """Save into the reserved folder; a failure to write is exit 1 with where the results are.

    Returns the folder written, as the user gave it (``NAME-2`` if another run took the
    name meanwhile, which is then said).
    """
    from bosim.api import UnsavedResults, save

    try:
        written = save(what, reserved, **options)
    except UnsavedResults as error:
        stderr.print(f"error: {error}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    if written == reserved.target:
        return folder
    shown = folder.parent / written.name
    stderr.print(f"note: {folder} appeared while this run was simulating (another run?), so "
                 f"these results were written to {shown} instead", markup=False,
                 highlight=False)
    return shown


def _overrides(texts: list[str] | None) -> dict[str, object]:
    """The ``--set PATH=VALUE`` options as dotted key paths to values."""
    from bosim.scenario import parse_override

    return dict(parse_override(text) for text in texts or [])


def _print_notes(notes: list[str]) -> None:
    for note in notes:
        stderr.print(f"note: {note}", markup=False, highlight=False)


def _print_key_results(results, lang: str = "en") -> None:  # type: ignore[no-untyped-def]
    from bosim.presentation.terminal import key_results

    stdout.print(key_results(results, lang))


def _print_warnings(results, lang: str = "en") -> None:  # type: ignore[no-untyped-def]
    """Say in plain words when results do not mean what they seem to.

    Unstable queues, nobody leaving a place, crises that never happen, a team serving no
    one (:mod:`bosim.analysis.warnings`).
    """
    from bosim.analysis.warnings import result_warnings
    from bosim.presentation.terminal import message

    for found in result_warnings(results.scenario, results.compiled, results.summary,
                                 results.flows, results.timeseries, lang):
        stderr.print(f"{message('warning', lang)}: {found.text}", markup=False,
                     highlight=False)


INTERRUPTED = (128 + signal.SIGINT, 128 + signal.SIGTERM)
"""Exit codes of a run stopped by Ctrl-C (130) or SIGTERM (143)."""


def main() -> None:
    """Entry point: run the app and turn errors into exit codes.

    Usage errors (a missing argument, an unknown option) are typer's: exit 2 with usage.
    """
    os.environ.setdefault("MPLBACKEND", "Agg")  # figures go into files, never to a window
    try:
        app()
    except SystemExit as stop:
        if stop.code in INTERRUPTED:
            # The run was stopped and cleaned up on the way out. Leave now: a worker killed
            # while answering can leave concurrent.futures' exit handler waiting on its
            # pipe for good (seen with SIGTERM sent to the whole process group).
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(int(stop.code))
        raise
    except InputError as error:
        stderr.print(f"error: {error}", markup=False, highlight=False)
        sys.exit(2)
    except MemoryError:
        stderr.print(
            "error: this machine ran out of memory: the run is larger than bosim estimated\n"
            "  fix: lower the arrivals, simulation.years or the replications (-r), and "
            "use fewer processes (-j)", markup=False, highlight=False)
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
