"""Money, applied to recorded exposures after the simulation (docs/model.md, money).

Nothing here simulates: prices, payers, perspectives and discount rates change the
money without a new run (hesim's design). Every cost line names its payer
(``municipality``, ``state`` or ``other``); perspectives add them up:

- ``municipality``: the municipality's lines;
- ``public``: municipality and state;
- ``society``: every line, plus the tax financing cost on public money (R-109/21: 20 %).

Discounting is annual from the start of the observed window: a cost in observed year
k = 0, 1, ... is multiplied by (1 + r)^-k. With ``economics.discount_rate`` left out,
the R-109/21 step-down applies: 4 % for the first 40 years, 3 % to year 75, 2 % after.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from bosim.analysis.stay_pricing import stay_cost_lines
from bosim.engine import Count, ReplicationRecord
from bosim.scenario import Scenario

PAYERS = ("municipality", "state", "other")
R109_STEPS = ((40, 0.04), (75, 0.03), (math.inf, 0.02))
"""(up to observed year, real rate): the Norwegian step-down, R-109/21."""

PERSPECTIVE_PAYERS = {
    "municipality": ("municipality",),
    "public": ("municipality", "state"),
    "society": PAYERS,
}

def discount_factors(years: int, rate: float | None) -> np.ndarray:
    """Factors for observed years 0 .. years-1: (1 + r)^-k, or the R-109 step-down."""
    if rate is not None:
        return np.asarray((1.0 + rate) ** -np.arange(years, dtype=float))
    factors = np.empty(years)
    factor = 1.0
    for year in range(years):
        factors[year] = factor
        step = next(r for limit, r in R109_STEPS if year < limit)
        factor /= 1.0 + step
    return factors


def cost_lines(
    record: ReplicationRecord, scenario: Scenario
) -> Iterator[tuple[str, str, np.ndarray]]:
    """(item, payer, cost per observed year) for every priced line of one replication."""
    window = record.window
    for index, (name, place) in enumerate(scenario.places.items()):
        occupied = record.person_days[window, index].sum(axis=1) + record.held_days[window, index]
        counts = record.counts[:, window, index].sum(axis=2)
        for item, price, exposure in (
            ("unit_days", place.cost_per_unit_day, record.unit_days[window, index]),
            ("occupied_days", place.cost_per_occupied_day, occupied),
            ("admissions", place.cost_per_admission, counts[Count.ADMISSION]),
            ("breakdowns", place.cost_per_breakdown, counts[Count.BREAKDOWN]),
        ):
            if price:
                yield f"{name}/{item}", place.payer, price * exposure
        if place.price_by_stay:  # occupied days priced by the length of the stay
            for payer, yearly in stay_cost_lines(record, index, place.stay_steps()):
                yield f"{name}/occupied_days", payer, yearly
    for name, team in scenario.teams.items():
        if team.cost_per_fte_year:
            # Staff are paid for every observed year, whatever they were busy with; a
            # staffing plan gives each year its own FTE.
            fte_years = np.array([team.fte_in_year(year)
                                  for year in range(record.observed_years)], dtype=float)
            yield f"{name}/staff", team.payer, team.cost_per_fte_year * fte_years
    events = scenario.costs.events
    totals = record.counts[:, window].sum(axis=(2, 3))
    for event, event_price, count in (
        ("emergency", events.emergency, Count.EMERGENCY),
        ("crisis_handled", events.crisis_handled, Count.CRISIS_HANDLED),
        ("crisis_unhandled", events.crisis_unhandled, Count.CRISIS_UNHANDLED),
    ):
        if event_price is not None and event_price.cost:
            yield f"events/{event}", event_price.payer, event_price.cost * totals[count]


def price(records: Sequence[ReplicationRecord], scenario: Scenario) -> pd.DataFrame:
    """``sample, replication, year, item, payer, cost, cost_pv``: every priced line by year.

    Costs are in ``meta.currency`` at ``meta.price_year`` prices; ``cost_pv`` is
    discounted to the start of the observed window.
    """
    factors = discount_factors(scenario.simulation.years, scenario.economics.discount_rate)
    # Columns gathered line by line and made into one table: a table per line would be
    # most of the time of a PSA's pricing.
    runs: list[tuple[int, int]] = []
    names: list[tuple[str, str]] = []
    sizes: list[int] = []
    costs: list[np.ndarray] = []
    present_values: list[np.ndarray] = []
    for record in records:
        for item, payer, yearly in cost_lines(record, scenario):
            runs.append((record.sample, record.replication))
            names.append((item, payer))
            sizes.append(yearly.size)
            costs.append(yearly.astype(float))
            present_values.append(yearly * factors[: yearly.size])
    if not runs:
        return pd.DataFrame({
            "sample": pd.Series(dtype=int), "replication": pd.Series(dtype=int),
            "year": pd.Series(dtype=int),
            "item": pd.Series(dtype=str), "payer": pd.Series(dtype=str),
            "cost": pd.Series(dtype=float), "cost_pv": pd.Series(dtype=float),
        })
    lines = np.array(runs, dtype=np.int64).reshape(-1, 2)
    labels = np.array(names, dtype=object).reshape(-1, 2)
    return pd.DataFrame({
        "sample": np.repeat(lines[:, 0], sizes),
        "replication": np.repeat(lines[:, 1], sizes),
        "year": np.concatenate([np.arange(size) for size in sizes]),
        "item": np.repeat(labels[:, 0], sizes).tolist(),
        "payer": np.repeat(labels[:, 1], sizes).tolist(),
        "cost": np.concatenate(costs),
        "cost_pv": np.concatenate(present_values),
    })


def perspective_totals(
    costs: pd.DataFrame, runs: pd.MultiIndex, perspective: str, tax_financing_cost: float
) -> pd.DataFrame:
    """Per (sample, replication): ``cost_total`` and ``cost_pv`` in a perspective, and the parts.

    Columns: sample, replication, cost_total, cost_pv, cost_pv_<payer> for every payer,
    and tax_financing_cost_pv (the extra cost of raising public money, counted in the
    society perspective only). ``runs`` lists every (sample, replication), also those
    with no priced line (their costs are 0).
    """
    # One groupby for both columns: what two pivot tables summed, at a third of the time
    # (a PSA prices every draw's replications as they arrive).
    sums = costs.groupby(["sample", "replication", "payer"])[["cost", "cost_pv"]].sum()
    by_payer = {
        column: sums[column].unstack("payer").fillna(0.0)
        .reindex(index=runs, columns=list(PAYERS), fill_value=0.0)
        for column in ("cost", "cost_pv")
    }
    frame = runs.to_frame(index=False)
    for column in ("cost", "cost_pv"):
        table = by_payer[column]
        public = table["municipality"] + table["state"]
        total = table[list(PERSPECTIVE_PAYERS[perspective])].sum(axis=1)
        if perspective == "society":
            total = total + tax_financing_cost * public
        name = "cost_total" if column == "cost" else "cost_pv"
        frame[name] = total.to_numpy()
        if column == "cost_pv":
            for payer in PAYERS:
                frame[f"cost_pv_{payer}"] = table[payer].to_numpy()
            frame["tax_financing_cost_pv"] = (tax_financing_cost * public).to_numpy()
    return frame


PRICE_KEYS = frozenset({
    "cost_per_unit_day", "cost_per_occupied_day", "cost_per_admission", "cost_per_breakdown",
    "payer", "cost_per_fte_year",
})


def is_price_key(dotted: str) -> bool:
    """Whether an override changes only money (so re-pricing without simulating is right)."""
    parts = dotted.split(".")
    if parts[0] in ("economics", "costs"):
        return True
    if parts[0] == "meta" and parts[1:] in (["currency"], ["price_year"], ["name"]):
        return True
    if parts[0] == "places" and len(parts) >= 3 and parts[2] == "price_by_stay":
        return True  # priced from the recorded stays (analysis/stay_pricing.py)
    return parts[0] in ("places", "teams") and len(parts) == 3 and parts[2] in PRICE_KEYS
