"""Runs and comparisons in a separate process, with progress and a cancel that really stops.

A simulation is CPU-bound Python: a thread cannot be stopped between two replications'
worth of events, so each run is a process of its own. It loads the plans, simulates
(telling the app after each replication), writes the results folder through
:func:`bosim.api.prepare_output` and :func:`bosim.api.save` (built in a hidden staging
folder and renamed into place when complete) and sends back what the app shows. Cancel
sends SIGTERM: the process stops where it is, its worker processes are terminated and the
staging folder is removed on the way out, so nothing half-written is left; a process
that does not end within :data:`STOP_SECONDS` is killed (the next run into the same
results folder removes what it left).
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from bosim.analysis.comparison import plan_labels
from bosim.analysis.warnings import result_warnings
from bosim.api import compare, prepare_output, save, simulate
from bosim.app.plans import FORM_SOURCE
from bosim.errors import InputError
from bosim.outputs import default_output_dir
from bosim.scenario import Scenario, load_scenario

STOP_SECONDS = 5.0
"""How long a cancelled run may take to clean up before it is killed."""
Work = Literal["run", "compare"]


@dataclass(frozen=True)
class PlanChoice:
    """A plan to simulate: a scenario file, the form's changes, and its name in results."""

    path: str
    name: str
    overrides: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    """What to simulate: one plan (``run``) or a base and alternatives (``compare``)."""

    work: Work
    plans: tuple[PlanChoice, ...]
    replications: int | None
    lang: str
    results_folder: str
    """The parent of the results folder, e.g. ``results``."""
    jobs: int = 1


@dataclass(frozen=True)
class Outcome:
    """What a finished run sends back: its folder and the tables the app shows."""

    work: Work
    folder: str
    table: pd.DataFrame
    """A run's ``summary`` or a comparison's ``table``."""
    names: tuple[str, ...]
    """Plan names, base first (a run: its one name)."""
    labels: dict[str, dict[str, str]]
    """Plan name to the name a reader sees, by language."""
    currency: str
    perspective: str
    replications: int
    warnings: tuple[str, ...] = ()


class _Cancelled(BaseException):
    """SIGTERM from the app: stop where the run is, cleaning up on the way out."""


def _stop(signal_number: int, frame: object) -> None:
    raise _Cancelled()


def _load(plan: PlanChoice) -> Scenario:
    """The plan's scenario; a changed plan is called by its own name in reports."""
    overrides = dict(plan.overrides)
    if overrides:
        overrides.setdefault("meta.label", plan.name)
    return load_scenario(plan.path, overrides, override_source=FORM_SOURCE)


def _work(request: Request, messages: Any) -> None:
    """The run's process: simulate, write the folder, send the outcome (or the error)."""
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the app's terminal stops the app
    try:
        messages.put(("outcome", _simulate_and_save(request, messages)))
    except _Cancelled:
        messages.put(("cancelled", ""))
    except InputError as error:
        messages.put(("error", str(error)))
    except Exception as error:  # a bug: say so, as the command line does
        messages.put(("error", f"internal error: {type(error).__name__}: {error}\nThis is a "
                      "bug in bosim. Run the same with bosim run or compare and "
                      "BOSIM_DEBUG=1 for the details, and report it."))


def _simulate_and_save(request: Request, messages: Any) -> Outcome:
    scenarios = [_load(plan) for plan in request.plans]
    names = [plan.name for plan in request.plans]
    count = request.replications or scenarios[0].simulation.replications
    folder = default_output_dir(("compare-" if request.work == "compare" else "") + names[0],
                                Path(request.results_folder))

    def told(done: int) -> None:
        messages.put(("progress", done))

    with prepare_output(folder, False, scenarios, count) as reserved:
        if request.work == "run":
            results = simulate(scenarios[0], replications=count, jobs=request.jobs,
                                   progress=told)
            runs: dict[str, Any] = {names[0]: results}
            table = results.summary
            warnings = tuple(found.text for found in result_warnings(
                results.scenario, results.compiled, results.summary, results.flows,
                results.timeseries))
            what: Any = results
        else:
            comparison = compare(scenarios[0], *scenarios[1:], names=names,
                                     replications=count, jobs=request.jobs, progress=told)
            runs = dict(comparison.results)
            names = list(comparison.names)
            table = comparison.table
            warnings = ()
            what = comparison
        messages.put(("writing", ""))
        written = save(what, reserved, lang=request.lang)
    labels = {lang: plan_labels(names, runs, lang) for lang in ("en", "nb")}
    by_plan = {name: {lang: labels[lang][name] for lang in labels} for name in names}
    meta, economics = scenarios[0].meta, scenarios[0].economics
    return Outcome(work=request.work, folder=str(written), table=table, names=tuple(names),
                   labels=by_plan, currency=meta.currency, perspective=economics.perspective,
                   replications=count, warnings=warnings)


def _context() -> Any:
    """Processes started by a fork server that has bosim loaded.

    Quick to start, and safe to start from the app's server with its threads (spawn where
    there is no fork server).
    """
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["bosim.api", "bosim.app.jobs"])
        return context
    return multiprocessing.get_context("spawn")


class Job:
    """A run or comparison in its own process: its progress, outcome or error, and cancel."""

    def __init__(self, request: Request) -> None:
        self.request = request
        count = request.replications or load_scenario(request.plans[0].path).simulation.replications
        self.total = count * len(request.plans)
        """Replications to simulate, over every plan."""
        self.done = 0
        """Replications finished."""
        self.writing = False
        """Simulated; the results folder and report are being written."""
        self.outcome: Outcome | None = None
        self.error: str | None = None
        self.cancelled = False
        context = _context()
        self._messages = context.Queue()
        self._process: BaseProcess = context.Process(
            target=_work, args=(request, self._messages), name="bosim app run")
        self._process.start()

    @property
    def finished(self) -> bool:
        """Whether the job has ended: an outcome, an error or a cancel."""
        return self.outcome is not None or self.error is not None or self.cancelled

    def poll(self) -> None:
        """Take in what the process has said since the last poll."""
        while not self.finished:
            try:
                kind, value = self._messages.get_nowait()
            except queue.Empty:
                if not self._process.is_alive() and self._messages.empty():
                    self.error = ("the run stopped without a result (out of memory?); run "
                                  "the same with bosim run to see why")
                return
            if kind == "progress":
                self.done += int(value)
            elif kind == "writing":
                self.writing = True
            elif kind == "outcome":
                self.outcome = value
            elif kind == "error":
                self.error = str(value)
            elif kind == "cancelled":
                self.cancelled = True
        if self.finished:
            self._process.join(STOP_SECONDS)

    @property
    def fraction(self) -> float:
        """How far the run is, from 0 to 1 (writing counts as the last tenth)."""
        if self.outcome is not None:
            return 1.0
        simulated = self.done / self.total if self.total else 1.0
        return 0.9 * min(simulated, 1.0) + (0.05 if self.writing else 0.0)

    def cancel(self) -> None:
        """Stop the run: its process and workers end and nothing half-written is left."""
        if self.finished:
            return
        self.cancelled = True
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(STOP_SECONDS)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
