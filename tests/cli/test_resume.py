"""Resumable PSA runs: an interrupted run resumed equals one never interrupted."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import bosim
import bosim.api
import bosim.engine.runner
from bosim.cli import app
from bosim.engine import ReplicationRecord, WorkUnit
from bosim.errors import InputError
from bosim.outputs.partial_run import PartialRun

REGISTER = """
[uncertainty.flat_stay]
path = "places.flat.stay.mean"
interval80 = [120.0, 300.0]
source = "test"
"""
DRAWS, REPLICATIONS = 3, 2
UNITS = 2 * DRAWS * REPLICATIONS
STOP_AFTER = 5


class StopRunError(Exception):
    """The interruption a progress callback simulates."""


@pytest.fixture
def plans(write_scenario: Callable[..., Path], tiny_scenario: str) -> tuple[Path, Path]:
    text = tiny_scenario + REGISTER
    return (write_scenario("base.toml", text),
            write_scenario("bigger.toml", text, replace=[("capacity = 4\n", "capacity = 6\n")]))


def stop_after(count: int) -> Callable[[int], None]:
    done = [0]

    def progress(finished: int) -> None:
        done[0] += finished
        if done[0] >= count:
            raise StopRunError

    return progress


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_resumed_psa_equals_an_uninterrupted_one(plans: tuple[Path, Path], tmp_path: Path,
                                                   jobs: int) -> None:
    options = {"draws": DRAWS, "replications": REPLICATIONS, "names": ["base", "bigger"]}
    whole = bosim.api.psa(*plans, **options)  # type: ignore[arg-type]
    store = PartialRun.start(tmp_path / "run.partial", {"output": "run"})
    with pytest.raises(StopRunError):
        bosim.api.psa(*plans, jobs=jobs, progress=stop_after(STOP_AFTER), store=store,
                      **options)  # type: ignore[arg-type]
    kept = store.finished_count()
    assert STOP_AFTER <= kept < UNITS
    simulated: list[WorkUnit] = []
    original = bosim.engine.runner._CompiledScenarios.simulate

    def counting(self: object, unit: WorkUnit, trace: bool) -> ReplicationRecord:
        simulated.append(unit)
        return original(self, unit, trace)  # type: ignore[arg-type]

    told: list[int] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bosim.engine.runner._CompiledScenarios, "simulate", counting)
        resumed = bosim.api.psa(*plans, store=store, progress=told.append,
                                **options)  # type: ignore[arg-type]
    assert len(simulated) == UNITS - kept  # only what was missing
    assert sum(told) == UNITS
    pd.testing.assert_frame_equal(whole.table, resumed.table)


def test_an_interrupted_command_leaves_a_marked_partial_folder_that_resumes(
        plans: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arguments = ["psa", str(plans[0]), str(plans[1]), "--draws", str(DRAWS),
                 "-r", str(REPLICATIONS), "-q"]
    whole = tmp_path / "whole"
    done = subprocess.run([sys.executable, "-m", "bosim.cli", *arguments, "-o", str(whole)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr

    original = bosim.engine.runner._CompiledScenarios.simulate
    calls = [0]

    def interrupted(self: object, unit: WorkUnit, trace: bool) -> ReplicationRecord:
        calls[0] += 1
        if calls[0] > STOP_AFTER:
            raise KeyboardInterrupt  # what Ctrl-C raises in the caller
        return original(self, unit, trace)  # type: ignore[arg-type]

    monkeypatch.setattr(bosim.engine.runner._CompiledScenarios, "simulate", interrupted)
    folder = tmp_path / "psa"
    stopped = CliRunner().invoke(app, [*arguments, "-o", str(folder)])
    monkeypatch.undo()
    assert stopped.exit_code == 130, stopped.output
    partial = tmp_path / "psa.partial"
    assert not folder.exists()  # nothing that looks complete
    assert "--resume" in stopped.output and str(partial) in stopped.output
    notice = (partial / "PARTIAL.txt").read_text()
    assert "UNFINISHED" in notice and f"bosim psa --resume {partial}" in notice
    assert PartialRun(partial).finished_count() == STOP_AFTER

    resumed = subprocess.run([sys.executable, "-m", "bosim.cli", "psa", "--resume",
                              str(partial), "-q"], capture_output=True, text=True,
                             timeout=300, check=False, cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert not partial.exists()
    pd.testing.assert_frame_equal(pd.read_parquet(whole / "psa.parquet"),
                                  pd.read_parquet(folder / "psa.parquet"))
    pd.testing.assert_frame_equal(pd.read_csv(whole / "ceac.csv"),
                                  pd.read_csv(folder / "ceac.csv"))


def test_a_new_run_refuses_to_overwrite_an_interrupted_one(plans: tuple[Path, Path],
                                                           tmp_path: Path) -> None:
    (tmp_path / "psa.partial").mkdir()
    done = subprocess.run([sys.executable, "-m", "bosim.cli", "psa", str(plans[0]),
                           "--draws", "2", "-r", "1", "-o", str(tmp_path / "psa"), "-q"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 2
    assert "--resume" in done.stderr and not (tmp_path / "psa").exists()


def test_resume_refuses_changed_scenarios(plans: tuple[Path, Path], tmp_path: Path) -> None:
    design = {"plans": [str(p) for p in plans], "overrides": [], "draws": 2,
              "replications": 1, "seed": 1, "sobol": False, "wtp": 1e6, "lang": "en",
              "output": str(tmp_path / "psa"), "force": False, "fingerprint": "changed"}
    PartialRun.start(tmp_path / "psa.partial", design)
    done = subprocess.run([sys.executable, "-m", "bosim.cli", "psa", "--resume",
                           str(tmp_path / "psa.partial"), "-q"], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 2 and "changed" in done.stderr
    with pytest.raises(InputError, match="unfinished"):
        PartialRun.open(tmp_path)
