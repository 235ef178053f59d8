"""Side-by-side table of the staffing scenarios (scenarios/staffing/README.md).

Usage, after running each scenario into /tmp/staff_<name> (see README.md):

    python scenarios/staffing/table.py [RESULTS_PREFIX]

RESULTS_PREFIX defaults to /tmp/staff_; prints two markdown tables: every scenario side
by side (mean and 95 % interval over replications), and the differences from
shared_office_hours paired by replication (the runs share the seed, so replication i of
every scenario has the same people, arrivals and crises: common random numbers).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

SCENARIOS = [
    ("base", "no team"),
    ("shared_office_hours", "bofellesskap, day team 08-16"),
    ("shared_hf_fte_office_hours", "bofellesskap, HF's FTE 08-16"),
    ("shared_hf_staffing", "bofellesskap, HF's staffing 24/7"),
    ("housing_first", "Housing First"),
]
HOUSING = "rop_housing"
ROWS = [  # (label, metric, place or None for the system, or "team", format)
    ("Still housed 12 months after a housing start", "housing_retention_12m", "", "pct"),
    ("Homeless days per person-year", "homeless_days_per_person_year", "", "f1"),
    ("Unmet crises, share (all places)", "unmet_crisis_share", "", "pct"),
    ("Unmet crises, share (in the housing)", "unmet_crisis_share", HOUSING, "pct"),
    ("Breakdowns per 100 person-years housed", "breakdowns_per_100_person_years", "", "f1"),
    ("Emergency events (10 years)", "emergency_events", "", "f0"),
    ("Institution days (10 years)", "institution_days", "", "f0"),
    ("Staff utilization (team)", "staff_utilization", "team", "pct"),
    ("Mean wait for the housing, days", "mean_wait_days", HOUSING, "f1"),
]


def fmt(value: float, kind: str) -> str:
    """A number as a percentage (``pct``) or with 0 or 1 decimals (``f0``, ``f1``)."""
    if pd.isna(value):
        return "–"
    if kind == "pct":
        return f"{100 * value:.1f} %"
    return f"{value:,.{int(kind[1])}f}"


def cell(summary: pd.DataFrame, metric: str, place: str, kind: str) -> str:
    """``mean (ci_low – ci_high)`` of one metric; ``place="team"`` takes the team's row."""
    rows = summary[summary.metric == metric]
    if place == "team":
        teams = rows[~rows.place.isin(["", HOUSING]) & rows.place.notna()]
        if teams.empty:
            return "no team"
        row = teams.iloc[0]
        label = f" ({row.place})"
    else:
        match = rows[rows.place.fillna("") == place]
        if match.empty:
            return "–"
        row = match.iloc[0]
        label = ""
    return (f"{fmt(row['mean'], kind)} ({fmt(row.ci_low, kind)} – "
            f"{fmt(row.ci_high, kind)}){label}")


COSTS = [  # (label, payers): mean cost per observed year, undiscounted, million NOK
    ("Cost per year, municipality (M NOK)", ("municipality",)),
    ("Cost per year, state (M NOK)", ("state",)),
    ("Cost per year, public (M NOK)", ("municipality", "state")),
]


def yearly_costs(prefix: str, name: str, payers: tuple[str, ...]) -> pd.Series:
    """Per replication: mean undiscounted cost per observed year of these payers (M NOK)."""
    costs = pd.read_parquet(f"{prefix}{name}/costs.parquet")
    years = costs.year.max() + 1
    chosen = costs[costs.payer.isin(payers)]
    replications = sorted(costs.replication.unique())
    total = chosen.groupby("replication")["cost"].sum().reindex(replications, fill_value=0.0)
    return total / years / 1e6


def ci(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95 % Student-t interval."""
    half = stats.t.ppf(0.975, values.size - 1) * values.std(ddof=1) / np.sqrt(values.size)
    return values.mean(), values.mean() - half, values.mean() + half


def main() -> None:
    """Print the side-by-side table and the paired differences."""
    prefix = sys.argv[1] if len(sys.argv) > 1 else "/tmp/staff_"
    present = [(n, t) for n, t in SCENARIOS if Path(f"{prefix}{n}/summary.csv").exists()]
    summaries = {
        n: pd.read_csv(f"{prefix}{n}/summary.csv", keep_default_na=False,
                       na_values=["", "nan", "NaN"]).assign(
            place=lambda d: d.place.fillna(""), segment=lambda d: d.segment.fillna(""))
        .query("segment == ''")  # the whole target group
        for n, _ in present
    }
    print("| measure | " + " | ".join(f"`{n}`<br>{t}" for n, t in present) + " |")
    print("|---|" + "---|" * len(present))
    for label, metric, place, kind in ROWS:
        cells = [cell(summaries[n], metric, place, kind) for n, _ in present]
        print(f"| {label} | " + " | ".join(cells) + " |")
    for label, payers in COSTS:
        cells = []
        for n, _ in present:
            mean, low, high = ci(yearly_costs(prefix, n, payers).to_numpy())
            cells.append(f"{mean:.2f} ({low:.2f} – {high:.2f})")
        print(f"| {label} | " + " | ".join(cells) + " |")
    paired(prefix, present)


PAIRED = [  # (label, metric, place, scale, decimals)
    ("Still housed 12 months, percentage points", "housing_retention_12m", "", 100.0, 1),
    ("Homeless days per person-year", "homeless_days_per_person_year", "", 1.0, 1),
    ("Breakdowns per 100 person-years housed", "breakdowns_per_100_person_years", "", 1.0, 1),
    ("Emergency events (10 years)", "emergency_events", "", 1.0, 0),
    ("Institution days (10 years)", "institution_days", "", 1.0, 0),
]
REFERENCE = "shared_office_hours"


def _values(frame: pd.DataFrame, metric: str, place: str) -> pd.Series:
    rows = frame[(frame.metric == metric) & (frame.place == place)]
    return rows.set_index("replication")["value"]


def paired(prefix: str, present: list[tuple[str, str]]) -> None:
    """Differences from the reference, paired by replication, with a 95 % t-interval."""
    frames = {
        n: pd.read_parquet(f"{prefix}{n}/replications.parquet").fillna({"place": ""})
        for n, _ in present
        if Path(f"{prefix}{n}/replications.parquet").exists()
    }
    if REFERENCE not in frames:
        return
    others = [(n, t) for n, t in present if n != REFERENCE and n in frames]
    print()
    print(f"| difference from `{REFERENCE}` | "
          + " | ".join(f"`{n}`" for n, _ in others) + " |")
    print("|---|" + "---|" * len(others))
    for label, metric, place, scale, decimals in PAIRED:
        base = _values(frames[REFERENCE], metric, place)
        cells = []
        for name, _ in others:
            d = (_values(frames[name], metric, place) - base).dropna().to_numpy() * scale
            half = stats.t.ppf(0.975, d.size - 1) * d.std(ddof=1) / np.sqrt(d.size)
            cells.append(f"{d.mean():+,.{decimals}f} ({d.mean() - half:+,.{decimals}f} – "
                         f"{d.mean() + half:+,.{decimals}f})")
        print(f"| {label} | " + " | ".join(cells) + " |")
    for label, payers in COSTS:
        base_cost = yearly_costs(prefix, REFERENCE, payers)
        cells = []
        for name, _ in others:
            mean, low, high = ci((yearly_costs(prefix, name, payers) - base_cost).to_numpy())
            cells.append(f"{mean:+.2f} ({low:+.2f} – {high:+.2f})")
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
