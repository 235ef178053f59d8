"""The bundled scenarios: each validates, says where every number comes from, and gives
the numbers of the results baseline (tests/baseline.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bosim
from baseline import ROOT, baseline_file, baselined, bundled, compute, differences, read

SCENARIOS = bundled()
NUMBER = re.compile(r"=\s*[\[{]?[^\"\n]*\d")


def test_the_bundled_scenarios_are_there() -> None:
    names = {p.relative_to(ROOT / "scenarios").as_posix() for p in SCENARIOS}
    assert {"example.toml", "staffing/base.toml", "staffing/housing_first.toml",
            "staffing/shared_office_hours.toml", "staffing/shared_hf_staffing.toml",
            "families.toml", "prevention/base.toml",
            "prevention/eviction_prevention.toml"} <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_number_has_a_source_or_says_it_is_an_assumption(path: Path) -> None:
    """A line that sets a number carries a comment: its source, or 'assumption: why'."""
    missing = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        code = line.split("#")[0]
        if NUMBER.search(code) and not code.strip().startswith("[") and "#" not in line:
            missing.append(f"{number}: {line.strip()}")
    assert not missing, "\n".join(missing)


@pytest.mark.slow
@pytest.mark.parametrize("path", baselined(), ids=lambda p: p.stem)
def test_numbers_equal_the_baseline(path: Path) -> None:
    """A change in any number of any bundled scenario is seen here, and must be explained.

    If the change is meant, run ``python tests/regression/refresh_baseline.py`` and say in
    the commit which numbers changed and why.
    """
    assert baseline_file(path).exists(), (
        f"no baseline for {path.name}: run python tests/regression/refresh_baseline.py")
    changes = differences(read(path), compute(path))
    assert not changes, (
        f"{len(changes)} number(s) of {path.name} differ from the baseline:\n"
        + "\n".join(changes[:30])
    )


def test_the_comparison_sees_a_change() -> None:
    """The check itself: a changed mean and a missing row are both reported."""
    stored = read(SCENARIOS[0])
    changed = stored.copy()
    changed.loc[changed.index[0], "mean"] = float(changed["mean"].iloc[0] or 0) + 1.0
    assert differences(stored, changed)
    assert differences(stored, stored.iloc[1:])
    assert not differences(stored, stored.copy())


@pytest.mark.slow
def test_the_prevention_pair_runs_as_a_comparison() -> None:
    """``bosim compare`` of the prevention pair (scenarios/prevention/, not in the baseline):
    both plans run on the same people, and follow-up lowers the breakdown rate."""
    folder = ROOT / "scenarios" / "prevention"
    comparison = bosim.compare(folder / "base.toml", folder / "eviction_prevention.toml",
                               replications=3)
    table = comparison.table
    breakdowns = table[(table.metric == "breakdowns_per_100_person_years")
                       & (table.segment == "") & (table.place == "")]
    assert len(breakdowns) == 1 and breakdowns.ci_high.iloc[0] < 0
