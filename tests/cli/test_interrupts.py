"""Ctrl-C, SIGTERM and SIGKILL during a parallel run (issue 9, item 1).

Each test starts ``bosim run -j 2`` on a run long enough to be stopped mid-way (minutes
if left alone), in a session of its own as a terminal would, waits until both workers
simulate and the staging folder exists, then signals it. It checks the exit code and
the one-line message, that the run stopped within a few seconds (a generous bound: the
promise is about a second), that no process of the run is left, and that no folder is.
Processes are found in ``/proc`` by their process group (the run's session).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)"),
]

EXAMPLE = Path(__file__).parents[2] / "scenarios" / "example.toml"
STOPS_WITHIN = 10.0
"""Seconds: generous, for a loaded machine; bosim takes about one."""


def members(group: int) -> dict[int, str]:
    """Processes of a process group that have not ended: process id -> state letter."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, process_group = fields[0], int(fields[2])
        if process_group == group and state not in ("Z", "X"):
            found[int(entry.name)] = state
    return found


def wait_for(condition: object, seconds: float) -> bool:
    """Poll ``condition()`` until it is true or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def start_run(folder: Path, jobs: int = 2) -> subprocess.Popen[str]:
    """``bosim run`` of 400 replications into ``folder/out``, simulating on ``jobs`` workers."""
    run = subprocess.Popen(
        [sys.executable, "-m", "bosim.cli", "run", str(EXAMPLE), "-r", "400", "-j", str(jobs),
         "-q", "-o", "out"],
        cwd=folder, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,
    )
    workers_running = wait_for(
        lambda: run.poll() is None and len(members(run.pid)) == 1 + (jobs if jobs > 1 else 0)
        and any(folder.glob(".out.partial-*")), 120)
    assert workers_running, "the run did not get going: " + str(run.communicate(timeout=60))
    return run


def stop(run: subprocess.Popen[str], *signals: signal.Signals,
         group: bool = True) -> tuple[int, str, float]:
    """Send ``signals`` (to the whole group, as a terminal does, or to bosim only)."""
    started = time.monotonic()
    for number in signals:
        if group:
            os.killpg(run.pid, number)
        else:
            os.kill(run.pid, number)
        time.sleep(0.05)
    _, stderr = run.communicate(timeout=120)
    return run.returncode, stderr, time.monotonic() - started


def no_process_left(group: int) -> bool:
    return wait_for(lambda: not members(group), 5)


@pytest.mark.parametrize(("number", "group", "code"), [
    (signal.SIGINT, True, 130),    # Ctrl-C in a terminal: every process of the command
    (signal.SIGINT, False, 130),   # kill -INT to bosim alone
    (signal.SIGTERM, False, 143),  # kill, or a scheduler stopping a job
    (signal.SIGTERM, True, 143),   # the workers are told too: they end at once
], ids=["ctrl-c", "sigint-to-bosim", "sigterm", "sigterm-to-all"])
def test_a_signal_stops_the_run_at_once_and_leaves_nothing(
        tmp_path: Path, number: signal.Signals, group: bool, code: int) -> None:
    run = start_run(tmp_path)

    returncode, stderr, took = stop(run, number, group=group)

    assert returncode == code, stderr
    assert stderr.strip().splitlines()[-1] == "interrupted: nothing was written", stderr
    assert "Traceback" not in stderr
    assert took < STOPS_WITHIN
    assert no_process_left(run.pid), members(run.pid)
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_stops_a_run_in_one_process(tmp_path: Path) -> None:
    run = start_run(tmp_path, jobs=1)

    returncode, stderr, took = stop(run, signal.SIGINT)

    assert returncode == 130, stderr
    assert stderr.strip() == "interrupted: nothing was written"
    assert took < STOPS_WITHIN
    assert list(tmp_path.iterdir()) == []


def test_a_second_ctrl_c_never_hangs(tmp_path: Path) -> None:
    run = start_run(tmp_path)

    returncode, stderr, took = stop(run, signal.SIGINT, signal.SIGINT, signal.SIGINT)

    # A signal in the last moments of Python's exit ends it by SIGINT itself; a shell
    # reports that as 130 too.
    assert returncode in (130, -signal.SIGINT), stderr
    assert "interrupted: nothing was written" in stderr
    assert took < STOPS_WITHIN
    assert no_process_left(run.pid), members(run.pid)
    assert list(tmp_path.iterdir()) == []


def test_after_sigkill_the_workers_end_and_the_next_run_removes_the_staging_folder(
        tmp_path: Path) -> None:
    run = start_run(tmp_path)
    (staged,) = tmp_path.glob(".out.partial-*")

    returncode, _, _ = stop(run, signal.SIGKILL, group=False)  # bosim alone: it cannot clean up

    assert returncode == -signal.SIGKILL
    assert no_process_left(run.pid), members(run.pid)  # the workers die with their caller
    assert staged.exists()
    after = subprocess.run(
        [sys.executable, "-m", "bosim.cli", "run", str(EXAMPLE), "-r", "1", "-q", "-o", "out"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert after.returncode == 0, after.stderr
    assert f"removed {staged}, a partial results folder left by a bosim run that was stopped " \
           f"(process {run.pid})" in " ".join(after.stderr.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


class _StoppedInCleanUp:
    """An object whose clean-up is hit by an exception, as an import lock's callback can be
    hit by Ctrl-C."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def __del__(self) -> None:
        raise self.error


def test_an_interrupt_python_swallows_prints_no_traceback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Python reports it ("Exception ignored in ..."); a command says only its one line."""
    from bosim.cli import _Interrupted, _interruptible

    reported: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "unraisablehook",
                        lambda unraisable: reported.append(type(unraisable.exc_value)))
    _StoppedInCleanUp(_Interrupted(signal.SIGINT))  # outside a command: reported
    assert reported == [_Interrupted]
    with _interruptible():
        _StoppedInCleanUp(_Interrupted(signal.SIGINT))  # inside: the command handles it
        _StoppedInCleanUp(ValueError("a real bug"))      # anything else is still reported
    assert reported == [_Interrupted, ValueError]
    _StoppedInCleanUp(_Interrupted(signal.SIGINT))  # after the command: the hook is back
    assert reported == [_Interrupted, ValueError, _Interrupted]
