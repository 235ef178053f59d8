"""Comparing alternatives with a base on the same people (model.md sections 5 and 7).

Every scenario runs with the base's seed and replications, so replication i of each
alternative meets the same people with the same draws (common random numbers) and
differences are paired by replication. Money is counted in the base's perspective and
discounting, so the alternatives are priced alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bosim.api import simulate
from bosim.engine.compiled import DAYS_PER_YEAR
from bosim.errors import InputError
from bosim.metrics import interval
from bosim.results import Results, metric_unit, spreadsheet
from bosim.runner import Progress
from bosim.scenario import Scenario

ECONOMIC_METRICS = (
    "incremental_cost",
    "incremental_cost_pv",
    "incremental_housed_person_years",
    "incremental_housed_person_years_pv",
    "homeless_days_avoided",
    "icer_cost_per_housed_year",
    "cost_per_homeless_day_avoided",
    "npv_priced",
)
"""Economic rows of a comparison, each alternative against the base."""

BOOTSTRAP_RESAMPLES = 2000


@dataclass
class Comparison:
    """Alternatives against a base.

    Attributes:
        names: scenario names, base first.
        results: the results of each, priced in the base's perspective.
        table: ``alternative, metric, place, diff_mean, ci_low, ci_high, base_mean,
            alternative_mean, n``: paired differences (alternative - base) with 95 %
            t-intervals, then the economic rows.

    """

    names: list[str]
    results: dict[str, Any]
    """Name to :class:`~bosim.results.Results` (or saved results read back from a folder)."""
    table: pd.DataFrame

    @property
    def base(self) -> Any:
        """The base's results."""
        return self.results[self.names[0]]

    def save(self, directory: str | Path, force: bool = False, lang: str = "en") -> Path:
        """Write ``comparison.csv``, ``comparison.xlsx``, ``report.html`` and every run."""
        import json

        from bosim.output import output_folder, write_whole
        from bosim.report import render_comparison_report

        target = Path(directory)
        with output_folder(target, force=force) as folder:
            columns = ["alternative", "metric", "place", "diff_mean", "ci_low", "ci_high"]
            write_whole(
                folder / "comparison.csv", self.table[columns].to_csv(index=False).encode()
            )
            write_whole(folder / "comparison.xlsx", spreadsheet({"comparison": self.readable()}))
            manifest = {
                "base": self.names[0],
                "alternatives": self.names[1:],
                "runs": {name: f"runs/{_slug(name)}" for name in self.names},
            }
            write_whole(folder / "manifest.json", json.dumps(manifest, indent=2).encode())
            write_whole(folder / "report.html", render_comparison_report(self, lang).encode())
            for name, results in self.results.items():
                results.save(folder / "runs" / _slug(name))
        return target

    def readable(self) -> pd.DataFrame:
        """The table with a unit per row, for spreadsheets."""
        meta = self.base.scenario.meta
        money = f"{meta.currency} ({meta.price_year} prices)"
        frame = self.table.copy()
        frame.insert(3, "unit", [_unit(metric, money) for metric in frame.metric])
        return frame


def _unit(metric: str, money: str) -> str:
    economic = {
        "incremental_cost": money, "incremental_cost_pv": money, "npv_priced": money,
        "incremental_housed_person_years": "person-years",
        "incremental_housed_person_years_pv": "person-years (discounted)",
        "homeless_days_avoided": "person-days",
        "icer_cost_per_housed_year": f"{money} per housed person-year",
        "cost_per_homeless_day_avoided": f"{money} per homeless day avoided",
    }
    return economic.get(metric) or metric_unit(metric, money)


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name.lower()).strip("-")


def compare(
    base: Scenario,
    *alternatives: Scenario,
    names: list[str] | None = None,
    replications: int | None = None,
    seed: int | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Comparison:
    """Simulate a base and alternatives on the same people and compare them.

    Args:
        base: the baseline (nullalternativ).
        alternatives: the plans to compare with it.
        names: one name per scenario (base first); defaults to ``meta.name``.
        replications: defaults to the base's; every scenario uses the same.
        seed: defaults to the base's; every scenario uses the same.
        jobs: worker processes per simulation.
        progress: told as replications finish.

    """
    scenarios = [base, *alternatives]
    labels = _unique(names or [s.meta.name for s in scenarios])
    for label, scenario in zip(labels[1:], alternatives, strict=True):
        for key in ("years", "warmup_years"):
            if getattr(scenario.simulation, key) != getattr(base.simulation, key):
                raise InputError(
                    f"{label!r} simulates a different horizon than the base "
                    f"({getattr(scenario.simulation, key)} against "
                    f"{getattr(base.simulation, key)})",
                    file=label,
                    key=f"simulation.{key}",
                    fix="give every alternative the base's simulation.years and warmup_years",
                )
    count = replications or base.simulation.replications
    run_seed = base.simulation.seed if seed is None else seed
    economics = base.economics
    money = {
        "economics.perspective": economics.perspective,
        "economics.discount_rate": economics.discount_rate,
        "economics.tax_financing_cost": economics.tax_financing_cost,
    }
    results: dict[str, Results] = {}
    for label, scenario in zip(labels, scenarios, strict=True):
        outcome = simulate(scenario, replications=count, seed=run_seed, jobs=jobs,
                           progress=progress)
        results[label] = outcome.price(money)
    rows = []
    base_results = results[labels[0]]
    for label in labels[1:]:
        rows.append(paired_differences(base_results, results[label], label))
        rows.append(economic_rows(base_results, results[label], label, run_seed))
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return Comparison(names=labels, results=results, table=table)


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique


def paired_differences(base: Any, alternative: Any, label: str) -> pd.DataFrame:
    """Every metric: alternative - base per replication, with its 95 % t-interval."""
    keys = ["replication", "metric", "place"]
    merged = base.replications.merge(
        alternative.replications, on=keys, how="outer", suffixes=("_base", "_alternative")
    )
    rows = []
    for (metric, place), group in merged.groupby(["metric", "place"], sort=False):
        both = group.dropna(subset=["value_base", "value_alternative"])
        difference = (both["value_alternative"] - both["value_base"]).to_numpy(dtype=float)
        mean, _, low, high, n = interval(difference)
        if n == 1:
            low = high = math.nan
        rows.append((label, metric, place, mean, low, high,
                     float(both["value_base"].mean()) if n else math.nan,
                     float(both["value_alternative"].mean()) if n else math.nan, n))
    return pd.DataFrame(rows, columns=[
        "alternative", "metric", "place", "diff_mean", "ci_low", "ci_high", "base_mean",
        "alternative_mean", "n",
    ])


def _per_replication(results: Any) -> pd.DataFrame:
    frame: pd.DataFrame = results.replications
    system: pd.DataFrame = frame[frame.place == ""].pivot(index="replication", columns="metric",
                                            values="value")
    system["homeless_days"] = system["homeless_person_years"] * DAYS_PER_YEAR
    return system


def economic_rows(base: Any, alternative: Any, label: str, seed: int) -> pd.DataFrame:
    """Incremental cost and effect, ICERs with bootstrap intervals, NPV of priced effects."""
    a, b = _per_replication(alternative), _per_replication(base)
    delta = (a - b).dropna(how="all")
    cost = delta["cost_total"].to_numpy()
    cost_pv = delta["cost_pv"].to_numpy()
    housed = delta["housed_person_years"].to_numpy()
    housed_pv = delta["housed_person_years_pv"].to_numpy()
    avoided = -delta["homeless_days"].to_numpy()
    rows = []

    def add(metric: str, sample: np.ndarray) -> None:
        mean, _, low, high, n = interval(sample)
        rows.append((label, metric, "", mean, low, high, math.nan, math.nan, n))

    add("incremental_cost", cost)
    add("incremental_cost_pv", cost_pv)
    add("incremental_housed_person_years", housed)
    add("incremental_housed_person_years_pv", housed_pv)
    add("homeless_days_avoided", avoided)
    generator = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2**31 - 1,)))
    for metric, effect in (("icer_cost_per_housed_year", housed_pv),
                           ("cost_per_homeless_day_avoided", avoided)):
        ratio, low, high = ratio_interval(cost_pv, effect, generator)
        rows.append((label, metric, "", ratio, low, high, math.nan, math.nan, cost_pv.size))
    mean, _, low, high, n = interval(-cost_pv)
    rows.append((label, "npv_priced", "", mean, low, high, math.nan, math.nan, n))
    return pd.DataFrame(rows, columns=[
        "alternative", "metric", "place", "diff_mean", "ci_low", "ci_high", "base_mean",
        "alternative_mean", "n",
    ])


def dominance(table: pd.DataFrame, alternative: str) -> str | None:
    """Whether a plan dominates the base, or is dominated by it, or neither (None).

    ``"dominant"``: it costs less and houses more; ``"dominated"``: it costs more and
    houses fewer. A negative ICER alone is ambiguous: it arises in both cases.
    """
    rows = table[(table.alternative == alternative) & (table.place == "")]
    means = dict(zip(rows["metric"], rows["diff_mean"].astype(float), strict=True))
    if "incremental_cost_pv" not in means or "incremental_housed_person_years_pv" not in means:
        return None
    cost, effect = means["incremental_cost_pv"], means["incremental_housed_person_years_pv"]
    if cost < 0 < effect:
        return "dominant"
    if effect < 0 < cost:
        return "dominated"
    return None


def ratio_interval(
    cost: np.ndarray, effect: np.ndarray, generator: np.random.Generator
) -> tuple[float, float, float]:
    """Ratio of mean incremental cost to mean incremental effect, with a 95 % interval.

    The interval is a paired bootstrap percentile interval; it is left undefined (NaN)
    when the effect's own 95 % interval includes zero: the ratio is then not a
    meaningful price per unit of effect.
    """
    if effect.size == 0 or effect.mean() == 0:
        return math.nan, math.nan, math.nan
    ratio = float(cost.mean() / effect.mean())
    _, _, low_effect, high_effect, n = interval(effect)
    if n < 2 or not (low_effect > 0 or high_effect < 0):
        return ratio, math.nan, math.nan
    picks = generator.integers(0, n, size=(BOOTSTRAP_RESAMPLES, n))
    ratios = cost[picks].mean(axis=1) / effect[picks].mean(axis=1)
    low, high = np.quantile(ratios, [0.025, 0.975])
    return ratio, float(low), float(high)
