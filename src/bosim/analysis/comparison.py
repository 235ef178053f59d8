"""Comparing alternatives with a base on the same people (docs/metrics.md, comparisons).

Every plan is simulated with the base's seed and replications, so replication i of each
alternative meets the same people with the same draws (common random numbers) and
differences are paired by (sample, replication). Money is counted in the base's
perspective and discounting, so the alternatives are priced alike. Nothing here
simulates: :func:`bosim.compare` simulates and then calls :func:`compare_results`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from bosim.analysis.metric_table import names
from bosim.analysis.summary import interval
from bosim.errors import InputError
from bosim.scenario import Scenario
from bosim.units import DAYS_PER_YEAR

ECONOMIC_METRICS = names("comparison")
"""Economic rows of a comparison, each alternative against the base."""

PAYER_PARTS = ("municipality", "state", "other")
"""Who pays a cost line (:data:`bosim.analysis.costs.PAYERS`)."""
PERSPECTIVES = ("municipality", "public", "society")
"""Whose money a comparison can count, narrowest first."""

BOOTSTRAP_RESAMPLES = 2000
RUN = ["sample", "replication"]
TABLE_COLUMNS = ["alternative", "metric", "segment", "place", "diff_mean", "ci_low", "ci_high",
                 "base_mean", "alternative_mean", "n"]


class RunResults(Protocol):
    """What a comparison needs of each plan: its scenario and metrics per replication."""

    @property
    def scenario(self) -> Scenario: ...  # noqa: D102
    @property
    def replications(self) -> pd.DataFrame: ...  # noqa: D102


@dataclass
class Comparison:
    """Alternatives against a base.

    Attributes:
        names: plan names, base first.
        results: the results of each plan, priced in the base's perspective
            (:class:`~bosim.analysis.results.Results`, or a run read back from a folder).
        table: ``alternative, metric, segment, place, diff_mean, ci_low, ci_high,
            base_mean, alternative_mean, n``: paired differences (alternative - base) with
            95 % t-intervals, then the economic rows.
        seed: the seed every plan was simulated with.

    """

    names: list[str]
    results: Mapping[str, RunResults]
    table: pd.DataFrame
    seed: int

    @property
    def base(self) -> RunResults:
        """The base's results."""
        return self.results[self.names[0]]


def check_comparable(base: Scenario, alternatives: Mapping[str, Scenario]) -> None:
    """Refuse alternatives that simulate another horizon than the base."""
    for label, scenario in alternatives.items():
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


def unique_names(labels: list[str]) -> list[str]:
    """The labels, with `` (2)``, `` (3)`` ... added to repeats."""
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique


def plan_labels(names: list[str], results: Mapping[str, RunResults],
                lang: str = "en") -> dict[str, str]:
    """The name a reader of ``lang`` sees for each plan (:meth:`Scenario.plan_label`).

    Keyed by plan name; falls back to the plan names when two plans would read the same.
    """
    labels = {name: results[name].scenario.plan_label(name, lang) for name in names}
    if len(set(labels.values())) < len(labels):
        return {name: name for name in names}
    return labels


def compare_results(names: list[str], results: Mapping[str, RunResults], seed: int) -> Comparison:
    """Paired differences and economic rows of every plan against the first (the base)."""
    rows = []
    base = results[names[0]]
    for label in names[1:]:
        rows.append(paired_differences(base, results[label], label))
        rows.append(economic_rows(base, results[label], label, seed))
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=TABLE_COLUMNS)
    return Comparison(names=names, results=results, table=table, seed=seed)


def paired_differences(base: RunResults, alternative: RunResults, label: str) -> pd.DataFrame:
    """Every metric: alternative - base per (sample, replication), with its 95 % t-interval."""
    keys = [*RUN, "metric", "segment", "place"]
    merged = base.replications.merge(
        alternative.replications, on=keys, how="outer", suffixes=("_base", "_alternative")
    )
    rows = []
    for (metric, segment, place), group in merged.groupby(["metric", "segment", "place"],
                                                          sort=False):
        both = group.dropna(subset=["value_base", "value_alternative"])
        difference = (both["value_alternative"] - both["value_base"]).to_numpy(dtype=float)
        mean, _, low, high, n = interval(difference)
        rows.append((label, metric, segment, place, mean, low, high,
                     float(both["value_base"].mean()) if n else math.nan,
                     float(both["value_alternative"].mean()) if n else math.nan, n))
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def per_replication(results: RunResults) -> pd.DataFrame:
    """Whole-system metrics of a plan, one row per (sample, replication), one column each."""
    frame = results.replications
    system = frame[(frame.place == "") & (frame.segment == "")].pivot(
        index=RUN, columns="metric", values="value")
    system["homeless_days"] = system["homeless_person_years"] * DAYS_PER_YEAR
    return system


def economic_rows(base: RunResults, alternative: RunResults, label: str,
                  seed: int) -> pd.DataFrame:
    """Incremental cost and effect, ICERs with bootstrap intervals, NPV of priced effects."""
    delta = (per_replication(alternative) - per_replication(base)).dropna(how="all")
    cost_pv = delta["cost_pv"].to_numpy()
    housed_pv = delta["housed_person_years_pv"].to_numpy()
    avoided = -delta["homeless_days"].to_numpy()
    rows: list[tuple[object, ...]] = []
    for metric, values in (
        ("incremental_cost", delta["cost_total"].to_numpy()),
        ("incremental_cost_pv", cost_pv),
        ("incremental_housed_person_years", delta["housed_person_years"].to_numpy()),
        ("incremental_housed_person_years_pv", housed_pv),
        ("homeless_days_avoided", avoided),
    ):
        mean, _, low, high, n = interval(values)
        rows.append((label, metric, "", "", mean, low, high, math.nan, math.nan, n))
    generator = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2**31 - 1,)))
    for metric, effect in (("icer_cost_per_housed_year", housed_pv),
                           ("cost_per_homeless_day_avoided", avoided)):
        ratio, low, high = ratio_interval(cost_pv, effect, generator)
        rows.append((label, metric, "", "", ratio, low, high, math.nan, math.nan, cost_pv.size))
    mean, _, low, high, n = interval(-cost_pv)
    rows.append((label, "npv_priced", "", "", mean, low, high, math.nan, math.nan, n))
    rows += payer_rows(delta, label, housed_pv, generator)
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def perspective_costs(delta: pd.DataFrame) -> dict[str, np.ndarray]:
    """Extra present value per replication for each payer, the tax cost and each perspective.

    Keys: ``municipality``, ``state``, ``other`` (what each payer pays), ``tax_financing``
    (the cost of raising the extra public money), and the perspectives ``public``
    (municipality and state) and ``society`` (everything, with the tax financing cost), as
    :func:`bosim.analysis.costs.perspective_totals` adds them up.
    """
    parts = {payer: delta[f"cost_pv_{payer}"].to_numpy(dtype=float) for payer in PAYER_PARTS}
    parts["tax_financing"] = delta["tax_financing_cost_pv"].to_numpy(dtype=float)
    parts["public"] = parts["municipality"] + parts["state"]
    parts["society"] = parts["public"] + parts["other"] + parts["tax_financing"]
    return parts


def payer_rows(delta: pd.DataFrame, label: str, housed_pv: np.ndarray,
               generator: np.random.Generator) -> list[tuple[object, ...]]:
    """Who pays: the extra cost for each payer and perspective, and each perspective's ICER.

    Missing payer columns (a run read back from an older folder) give no rows.
    """
    needed = [f"cost_pv_{payer}" for payer in PAYER_PARTS] + ["tax_financing_cost_pv"]
    if not set(needed) <= set(delta.columns):
        return []
    rows: list[tuple[object, ...]] = []
    parts = perspective_costs(delta)
    for part, values in parts.items():
        name = ("incremental_tax_financing_cost_pv" if part == "tax_financing"
                else f"incremental_cost_pv_{part}")
        mean, _, low, high, n = interval(values)
        rows.append((label, name, "", "", mean, low, high, math.nan, math.nan, n))
    for perspective in PERSPECTIVES:
        ratio, low, high = ratio_interval(parts[perspective], housed_pv, generator)
        rows.append((label, f"icer_cost_per_housed_year_{perspective}", "", "", ratio, low,
                     high, math.nan, math.nan, housed_pv.size))
    return rows


def dominance(table: pd.DataFrame, alternative: str) -> str | None:
    """Whether a plan dominates the base, or is dominated by it, or neither (None).

    ``"dominant"``: it costs less and houses more; ``"dominated"``: it costs more and
    houses fewer. A negative ICER alone is ambiguous: it arises in both cases.
    """
    rows = table[(table.alternative == alternative) & (table.place == "")
                 & (table.segment == "")]
    means = dict(zip(rows["metric"], rows["diff_mean"].astype(float), strict=True))
    if "incremental_cost_pv" not in means or "incremental_housed_person_years_pv" not in means:
        return None
    cost, effect = means["incremental_cost_pv"], means["incremental_housed_person_years_pv"]
    if cost < 0 < effect:
        return "dominant"
    if effect < 0 < cost:
        return "dominated"
    return None


def perspective_dominance(table: pd.DataFrame, alternative: str) -> dict[str, str | None]:
    """:func:`dominance` in every perspective: ``{"municipality": ..., "public": ...}``.

    A plan can be dominant for the public purse and cost the municipality more; this
    says so for each perspective. Perspectives without rows in the table are left out.
    """
    rows = table[(table.alternative == alternative) & (table.place == "")
                 & (table.segment == "")]
    means = dict(zip(rows["metric"], rows["diff_mean"].astype(float), strict=True))
    effect = means.get("incremental_housed_person_years_pv")
    verdicts: dict[str, str | None] = {}
    for perspective in PERSPECTIVES:
        cost = means.get(f"incremental_cost_pv_{perspective}")
        if cost is None or effect is None:
            continue
        verdicts[perspective] = ("dominant" if cost < 0 < effect
                                 else "dominated" if effect < 0 < cost else None)
    return verdicts


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
