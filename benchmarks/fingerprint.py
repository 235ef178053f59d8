"""A fingerprint of bosim's numbers: hashes of every table of a few runs and a small PSA.

Run from the repository root, before and after a change that must not change numbers
(a speed-up, a refactoring):

    python benchmarks/fingerprint.py > before.txt
    ... change the code ...
    python benchmarks/fingerprint.py > after.txt && diff before.txt after.txt

What is hashed (sha256 of the bytes of every column, in order, and of the column names
and dtypes): for every bundled scenario (``scenarios/*.toml``, ``scenarios/**/*.toml``),
``--replications`` replications with the scenario's own seed, with and without
``trace``: the replications, costs, timeseries, waits, open waits, flows, spells and
events tables and the summary; each replication's raw record arrays; and a PSA of
``scenarios/medium_municipality.toml`` (its whole register and its prices only) with
``--draws`` draws on 1 and on 2 processes. Equal lines mean bit-identical numbers.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

import bosim.api
from bosim.analysis.costs import is_price_key
from bosim.engine import ReplicationRecord
from bosim.scenario import Scenario, load_scenario

REPOSITORY = Path(__file__).resolve().parent.parent
SCENARIOS = REPOSITORY / "scenarios"
PSA_SCENARIO = SCENARIOS / "medium_municipality.toml"
TABLES = ("replications", "costs", "timeseries", "waits", "open_waits", "flows", "spells",
          "events", "summary")


def frame_hash(frame: pd.DataFrame | None) -> str:
    """A short sha256 of a table's column names, dtypes and values, in order."""
    digest = hashlib.sha256()
    if frame is None:
        return "none"
    for column in frame.columns:
        values = frame[column]
        digest.update(f"{column}:{values.dtype}:{len(values)}".encode())
        array = values.to_numpy()
        if array.dtype.kind in "biufcmM":
            digest.update(np.ascontiguousarray(array).tobytes())
        else:  # text: the values, never the addresses of the objects
            digest.update("\x1f".join(map(repr, array.tolist())).encode())
    return digest.hexdigest()[:16]


def record_hash(records: Iterable[ReplicationRecord]) -> str:
    """A short sha256 of every array of the records (and the trace rows)."""
    digest = hashlib.sha256()
    for record in records:
        for name, value in vars(record).items():
            digest.update(name.encode())
            if isinstance(value, np.ndarray):
                digest.update(f"{value.dtype}{value.shape}".encode())
                digest.update(np.ascontiguousarray(value).tobytes())
            elif isinstance(value, list) and name in ("waits", "open_waits"):
                for by_segment in value:
                    for days in by_segment:
                        digest.update(np.ascontiguousarray(days).tobytes() + b"|")
            else:
                digest.update(repr(value).encode())
    return digest.hexdigest()[:16]


def prices_only(scenario: Scenario) -> Scenario:
    """The scenario with only the register entries that change money."""
    register = {name: parameter for name, parameter in scenario.uncertainty.items()
                if all(is_price_key(key) for key in parameter.keys)}
    return scenario.model_copy(update={"uncertainty": register})


def main() -> None:
    """Print one line per hashed table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", "-r", type=int, default=3)
    parser.add_argument("--draws", type=int, default=4)
    options = parser.parse_args()
    for path in sorted(SCENARIOS.rglob("*.toml")):
        name = path.relative_to(SCENARIOS).as_posix()
        for trace in (False, True):
            results = bosim.api.simulate(path, replications=options.replications,
                                         trace=trace)
            print(f"{name} trace={trace} records {record_hash(results.records)}")
            for table in TABLES:
                print(f"{name} trace={trace} {table} {frame_hash(getattr(results, table))}")
    scenario = load_scenario(PSA_SCENARIO)
    for label, register in (("whole", scenario), ("prices", prices_only(scenario))):
        for jobs in (1, 2):
            analysis = bosim.api.psa(register, draws=options.draws,
                                     replications=options.replications, jobs=jobs)
            print(f"psa {label} jobs={jobs} table {frame_hash(analysis.table)}")
            print(f"psa {label} jobs={jobs} parameters {frame_hash(analysis.parameters)}")


if __name__ == "__main__":
    main()
