"""The dask executor: the same numbers as one or two local processes, on a local cluster.

The cluster is started by the test itself, on 127.0.0.1 only, and closed at the end.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

import bosim
import bosim.api
from bosim.errors import InputError
from conftest import TINY_REGISTER

distributed = pytest.importorskip("distributed")



@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a two-worker cluster of processes on this machine."""
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def run_psa(folder: Path, plans: tuple[Path, Path], *options: str) -> pd.DataFrame:
    done = subprocess.run([sys.executable, "-m", "bosim.cli", "psa", str(plans[0]),
                           str(plans[1]), "--draws", "3", "-r", "2", "-o", str(folder), "-q",
                           *options], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return pd.read_parquet(folder / "psa.parquet")


@pytest.mark.slow
def test_psa_numbers_are_the_same_for_one_and_two_processes_and_dask(
        scheduler: str, write_scenario: Callable[..., Path], tiny_scenario: str,
        tmp_path: Path) -> None:
    text = tiny_scenario + TINY_REGISTER
    plans = (write_scenario("base.toml", text),
             write_scenario("bigger.toml", text, replace=[("capacity = 4\n", "capacity = 6\n")]))
    one = run_psa(tmp_path / "j1", plans, "-j", "1")
    two = run_psa(tmp_path / "j2", plans, "-j", "2")
    on_dask = run_psa(tmp_path / "dask", plans, "--executor", "dask", "--scheduler", scheduler)
    assert len(one) > 0 and one["value"].notna().any()
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(one, on_dask)


def test_a_run_and_a_comparison_on_dask_equal_local(
        scheduler: str, write_scenario: Callable[..., Path], tiny_scenario: str) -> None:
    base = bosim.load_scenario(write_scenario("base.toml", tiny_scenario))
    bigger = bosim.load_scenario(write_scenario(
        "bigger.toml", tiny_scenario, replace=[("capacity = 4\n", "capacity = 6\n")]))
    local = bosim.simulate(base, replications=3)
    remote = bosim.simulate(base, replications=3, executor="dask", scheduler=scheduler)
    pd.testing.assert_frame_equal(local.replications, remote.replications)
    local_comparison = bosim.api.compare(base, bigger, replications=2, jobs=2)
    remote_comparison = bosim.api.compare(base, bigger, replications=2, executor="dask",
                                          scheduler=scheduler)
    pd.testing.assert_frame_equal(local_comparison.table, remote_comparison.table)


def test_a_sweep_and_a_tornado_on_dask_equal_local(
        scheduler: str, write_scenario: Callable[..., Path], tiny_scenario: str) -> None:
    base = bosim.load_scenario(write_scenario("base.toml", tiny_scenario + TINY_REGISTER))
    grid = {"places.flat.capacity": [4, 6]}
    local = bosim.api.sweep(base, grid, replications=2, jobs=2)
    remote = bosim.api.sweep(base, grid, replications=2, executor="dask", scheduler=scheduler)
    assert len(local.table) > 0
    pd.testing.assert_frame_equal(local.table, remote.table)
    local_tornado = bosim.api.tornado(base, replications=2, jobs=1)
    remote_tornado = bosim.api.tornado(base, replications=2, executor="dask",
                                       scheduler=scheduler)
    assert local_tornado["swing"].notna().all()
    pd.testing.assert_frame_equal(local_tornado, remote_tornado)


def test_dask_needs_a_scheduler_and_a_known_executor(
        write_scenario: Callable[..., Path], tiny_scenario: str) -> None:
    base = bosim.load_scenario(write_scenario("base.toml", tiny_scenario))
    with pytest.raises(InputError, match="scheduler"):
        bosim.simulate(base, executor="dask")
    with pytest.raises(InputError, match="unknown executor"):
        bosim.simulate(base, executor="ray")
    with pytest.raises(InputError, match="scheduler"):
        bosim.api.sweep(base, {"places.flat.capacity": [4, 6]}, executor="dask")
    registered = bosim.load_scenario(write_scenario("registered.toml",
                                                    tiny_scenario + TINY_REGISTER))
    with pytest.raises(InputError, match="scheduler"):
        bosim.api.tornado(registered, executor="dask")
