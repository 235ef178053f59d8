"""The runner: work units of (scenario, seed, sample, replication) on one pool of workers."""

from __future__ import annotations

import numpy as np

import bosim
from bosim.engine import WorkUnit, compile_scenario, run_work, simulate_replication
from builders import network


def fingerprint(record: bosim.engine.ReplicationRecord) -> tuple[float, ...]:
    return (float(record.person_days.sum()), float(record.queue_days.sum()),
            float(record.counts.sum()), float(record.spells[:, 1].sum()))


def test_many_plans_on_one_pool_give_the_numbers_of_running_each_alone() -> None:
    plans = [network(), network(**{"places.housing_first.capacity": 6})]
    units = [WorkUnit(scenario=plan, seed=5, sample=0, replication=replication)
             for plan in range(2) for replication in range(3)]
    serial = run_work(plans, units, jobs=1)
    parallel = run_work(plans, units, jobs=2)
    assert [fingerprint(r) for r in serial] == [fingerprint(r) for r in parallel]
    for unit, record in zip(units, serial, strict=True):
        alone = simulate_replication(compile_scenario(plans[unit.scenario]), 5, unit.replication)
        assert fingerprint(alone) == fingerprint(record)
        assert (record.sample, record.replication) == (0, unit.replication)


def test_a_sample_has_its_own_streams_whoever_runs_it() -> None:
    compiled = compile_scenario(network())
    plain = simulate_replication(compiled, 5, 0)
    drawn = simulate_replication(compiled, 5, 0, sample=3)
    assert drawn.sample == 3
    assert fingerprint(plain) != fingerprint(drawn)
    again = run_work([network()], [WorkUnit(0, 5, 3, 0), WorkUnit(0, 5, 0, 0)], jobs=2)
    assert fingerprint(again[0]) == fingerprint(drawn)
    assert fingerprint(again[1]) == fingerprint(plain)


def test_progress_is_told_once_per_unit() -> None:
    told: list[int] = []
    units = [WorkUnit(0, 1, 0, replication) for replication in range(4)]
    run_work([network()], units, jobs=2, progress=told.append)
    assert told == [1, 1, 1, 1]


def test_a_comparison_runs_every_plan_on_the_same_seed() -> None:
    base = network(**{"simulation.replications": 3})
    comparison = bosim.compare(base, base, names=["a", "b"], jobs=2)
    differences = comparison.table[comparison.table.metric == "person_years"]
    assert np.allclose(differences.diff_mean.to_numpy(), 0.0)
