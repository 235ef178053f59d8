"""``report.html``: one self-contained page a planner can read, forward and print.

Figures are PNGs embedded as data URIs; there are no scripts, fonts or links to
anything outside the file.
"""

from __future__ import annotations

import base64
import html
import io
import math
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from bosim.metrics import UNITS

if TYPE_CHECKING:
    from bosim.comparison import Comparison
    from bosim.results import Results
    from bosim.sweeping import Sweep

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #222;
       line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem;
     border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #e3e3e3; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } img { max-width: 100%; }
.note { color: #555; font-size: 0.9rem; }
"""

HEADLINES = (
    ("housing_retention_12m", "of housing starts were still housed (not homeless) 12 months later"),
    ("homeless_days_per_person_year", "homeless days per person-year in the target group"),
    ("housed_share_end", "of the people in the target group were housed at the end"),
    ("breakdowns_per_100_person_years", "breakdowns (evictions, lost tenancies) per 100 "
     "person-years housed"),
)


def _number(value: object, unit: str) -> str:
    value = float(value)  # type: ignore[arg-type]
    if value != value:  # NaN
        return "–"
    if unit == "share":
        return f"{value:.0%}"
    if abs(value) >= 100:
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:.2f}"


def _figure_tag(figure: Figure, caption: str) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
        f"<figcaption class=note>{html.escape(caption)}</figcaption></figure>"
    )


def occupancy_figure(results: Results) -> Figure:
    """Occupancy per place over time: mean over replications with the 10-90 % band."""
    frame = results.timeseries
    names = list(results.compiled.place_names)
    columns = 3
    rows = math.ceil(len(names) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(11, 2.6 * rows), squeeze=False)
    for axis, name in zip(axes.ravel(), names, strict=False):
        place = frame[frame.place == name]
        grouped = place.groupby("day")["occupancy"]
        days = grouped.mean().index.to_numpy() / 365.0
        axis.fill_between(days, grouped.quantile(0.1), grouped.quantile(0.9), alpha=0.3)
        axis.plot(days, grouped.mean(), linewidth=1.5)
        capacity = results.compiled.capacity[names.index(name)]
        if all(math.isfinite(c) for c in capacity):
            years = [y - results.compiled.warmup_years for y in range(len(capacity) + 1)]
            axis.step(years, [*capacity, capacity[-1]], where="post", color="black",
                      linewidth=1, linestyle="--", label="capacity")
        axis.axvline(0, color="grey", linewidth=0.8)
        axis.set_title(name, fontsize=10)
        axis.set_xlabel("years from start of observed window")
        axis.set_ylabel("people (monthly mean)")
    for axis in axes.ravel()[len(names):]:
        axis.set_visible(False)
    figure.tight_layout()
    return figure


FOREST_METRICS = (
    ("housing_retention_12m", "Still housed 12 months after a housing start"),
    ("homeless_days_per_person_year", "Homeless days per person-year"),
    ("breakdowns_per_100_person_years", "Breakdowns per 100 person-years housed"),
    ("unmet_crisis_share", "Unmet share of crises"),
    ("cost_per_person_year", "Cost per person-year"),
)


def forest_figure(table: pd.DataFrame) -> Figure:
    """Differences against the base with 95 % intervals, one panel per key metric."""
    system = table[table.place == ""]
    alternatives = list(dict.fromkeys(system.alternative))
    figure, axes = plt.subplots(len(FOREST_METRICS), 1, figsize=(8, 1.3 + 1.1 * len(
        FOREST_METRICS) * max(1, len(alternatives)) / 2), squeeze=False)
    for axis, (metric, label) in zip(axes.ravel(), FOREST_METRICS, strict=True):
        rows = system[system.metric == metric].set_index("alternative").reindex(alternatives)
        positions = np.arange(len(alternatives))
        means = rows["diff_mean"].to_numpy(dtype=float)
        lows = rows["ci_low"].to_numpy(dtype=float)
        highs = rows["ci_high"].to_numpy(dtype=float)
        axis.errorbar(means, positions, xerr=[means - lows, highs - means], fmt="o",
                      capsize=3)
        axis.axvline(0.0, color="grey", linewidth=0.8)
        axis.set_yticks(positions, alternatives)
        axis.set_title(f"{label}: difference from the base", fontsize=9)
        axis.set_xlabel(UNITS.get(metric, "money per person-year"), fontsize=8)
    figure.tight_layout()
    return figure


def cost_effect_figure(comparison: Comparison) -> Figure:
    """Incremental cost (present value) against incremental housed person-years."""
    from bosim.comparison import _per_replication

    figure, axis = plt.subplots(figsize=(7, 5))
    base = _per_replication(comparison.base)
    for name in comparison.names[1:]:
        delta = _per_replication(comparison.results[name]) - base
        axis.scatter(delta["housed_person_years_pv"], delta["cost_pv"] / 1e6, s=12, alpha=0.6,
                     label=name)
    axis.axhline(0, color="grey", linewidth=0.8)
    axis.axvline(0, color="grey", linewidth=0.8)
    currency = comparison.base.scenario.meta.currency
    axis.set_xlabel("extra housed person-years (discounted) against the base")
    axis.set_ylabel(f"extra cost, present value (million {currency})")
    axis.legend(fontsize=8)
    axis.set_title("Cost-effect plane: one dot per replication")
    figure.tight_layout()
    return figure


def render_comparison_report(comparison: Comparison) -> str:
    """A self-contained page comparing alternatives with the base."""
    table = comparison.table
    base = comparison.names[0]
    parts = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        f"<title>Comparison with {html.escape(base)}: bosim report</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Comparison with the base: {html.escape(base)}</h1>",
        "<p>Every plan was simulated with the same people and the same random draws "
        "(common random numbers), so differences are paired by replication. Money is "
        f"counted from the {html.escape(comparison.base.scenario.economics.perspective)} "
        "perspective for all plans.</p>",
        "<h2>Differences from the base</h2><table><tr><th>Plan</th><th>Result</th>"
        "<th>Base</th><th>Plan</th><th>Difference (95 % interval)</th></tr>",
    ]
    system = table[table.place == ""]
    for metric, label in FOREST_METRICS:
        for row in system[system.metric == metric].itertuples():
            unit = UNITS.get(metric, "")
            parts.append(
                f"<tr><td>{html.escape(str(row.alternative))}</td><td>{label}</td>"
                f"<td class=n>{_number(row.base_mean, unit)}</td>"
                f"<td class=n>{_number(row.alternative_mean, unit)}</td>"
                f"<td class=n>{_number(row.diff_mean, unit)} ({_number(row.ci_low, unit)} to "
                f"{_number(row.ci_high, unit)})</td></tr>"
            )
    parts.append("</table><h2>Costs and what they buy</h2><table><tr><th>Plan</th>"
                 "<th>Economic result</th><th>Value (95 % interval)</th></tr>")
    for row in system[system.metric.isin(ECONOMIC_LABELS)].itertuples():
        parts.append(
            f"<tr><td>{html.escape(str(row.alternative))}</td>"
            f"<td>{ECONOMIC_LABELS[str(row.metric)]}</td>"
            f"<td class=n>{_number(row.diff_mean, '')} ({_number(row.ci_low, '')} to "
            f"{_number(row.ci_high, '')})</td></tr>"
        )
    parts.append("</table>")
    parts.append(_figure_tag(forest_figure(table), "Differences from the base, 95 % intervals."))
    parts.append(_figure_tag(cost_effect_figure(comparison),
                             "Each dot is one replication: extra cost against extra housing."))
    parts.append("<p class=note>Made by bosim. Each plan's full results are in runs/ beside "
                 "this file.</p></body></html>")
    return "\n".join(parts)


def sweep_figure(sweep: Sweep, metric: str, place: str = "") -> Figure:
    """A metric (mean and 95 % interval) against the first varied value."""
    table = sweep.table[(sweep.table.metric == metric) & (sweep.table.place == place)]
    first, others = sweep.paths[0], sweep.paths[1:]
    figure, axis = plt.subplots(figsize=(7, 4.5))
    groups = table.groupby(others, sort=False) if others else [((), table)]
    for key, rows in groups:
        keys = key if isinstance(key, tuple) else (key,)
        label = ", ".join(f"{p}={v}" for p, v in zip(others, keys, strict=False))
        x = [str(v) if not isinstance(v, int | float) else v for v in rows[first]]
        axis.errorbar(x, rows["mean"], yerr=[rows["mean"] - rows["ci_low"],
                                            rows["ci_high"] - rows["mean"]],
                      marker="o", capsize=3, label=label or None)
    meta = sweep.results[0].scenario.meta
    from bosim.results import metric_unit

    unit = metric_unit(metric, f"{meta.currency} ({meta.price_year} prices)")
    axis.set_xlabel(first)
    axis.set_ylabel(f"{metric}{f' ({place})' if place else ''} [{unit}]")
    axis.set_title(f"{metric} against {first}: mean and 95 % interval")
    if others:
        axis.legend(fontsize=8)
    figure.tight_layout()
    return figure


def render_sweep_report(sweep: Sweep, metrics: list[str]) -> str:
    """A self-contained page with a figure per chosen metric."""
    scenario = sweep.results[0].scenario
    parts = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        f"<title>Sweep of {html.escape(scenario.meta.name)}: bosim report</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Sweep: {html.escape(scenario.meta.name)}</h1>",
        "<p>Varied: " + ", ".join(html.escape(p) for p in sweep.paths) + f". {len(sweep.points)}"
        " points, each simulated with the same people and random draws (common random "
        "numbers).</p>",
    ]
    for metric in metrics:
        parts.append(_figure_tag(sweep_figure(sweep, metric), f"{metric} at each point."))
    parts.append("<p class=note>Made by bosim. All metrics at every point are in sweep.csv."
                 "</p></body></html>")
    return "\n".join(parts)


ECONOMIC_LABELS = {
    "incremental_cost_pv": "Extra cost, present value",
    "incremental_housed_person_years_pv": "Extra housed person-years (discounted)",
    "icer_cost_per_housed_year": "Cost per extra housed person-year (ICER)",
    "homeless_days_avoided": "Homeless days avoided",
    "cost_per_homeless_day_avoided": "Cost per homeless day avoided",
    "npv_priced": "Net present value of priced effects (minus extra cost)",
}


def render_report(results: Results) -> str:
    """The whole report as one HTML string."""
    scenario = results.scenario
    summary = results.summary.set_index(["metric", "place"])

    def cell(metric: str, place: str = "") -> tuple[float, float, float]:
        mean, low, high = summary.loc[(metric, place), ["mean", "ci_low", "ci_high"]].to_numpy(
            dtype=float
        )
        return float(mean), float(low), float(high)

    parts = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        f"<title>{html.escape(scenario.meta.name)}: bosim report</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(scenario.meta.name)}</h1>",
        f"<p>{html.escape(scenario.meta.description)}</p>" if scenario.meta.description else "",
        "<h2>Key results</h2><ul>",
    ]
    for metric, words in HEADLINES:
        mean, low, high = cell(metric)
        unit = UNITS[metric]
        parts.append(
            f"<li><b>{_number(mean, unit)}</b> {html.escape(words)} "
            f"<span class=note>(95 % interval {_number(low, unit)} to {_number(high, unit)})"
            "</span></li>"
        )
    parts.append("</ul>")
    parts.append("<h2>Places</h2><table><tr><th>Place</th><th>Kind</th><th>Capacity</th>"
                 "<th>Mean occupancy</th><th>Utilization</th><th>Mean wait (days)</th>"
                 "<th>90th pct. wait (days)</th><th>Mean queue</th></tr>")
    for name, place in scenario.places.items():
        capacity = "unlimited" if place.is_unlimited else html.escape(str(place.capacity))
        values = [cell(m, name)[0] for m in
                  ("mean_occupancy", "utilization", "mean_wait_days", "p90_wait_days",
                   "mean_queue")]
        units = ["units", "share", "days", "days", "people"]
        cells = "".join(f"<td class=n>{_number(v, u)}</td>" for v, u in zip(values, units,
                                                                           strict=True))
        parts.append(f"<tr><td>{html.escape(name)}</td><td>{place.kind}</td>"
                     f"<td class=n>{capacity}</td>{cells}</tr>")
    parts.append("</table>")
    parts.append(_figure_tag(occupancy_figure(results),
                             "Occupancy by place: mean over replications (line), 10-90 % of "
                             "replications (band), capacity (dashed). Left of 0: warm-up."))
    simulation = scenario.simulation
    parts.append(
        "<h2>What was simulated</h2>"
        f"<p>{simulation.years} observed years after {simulation.warmup_years} warm-up years, "
        f"{results.replication_count} replications, seed {results.seed}. Segments: "
        + ", ".join(html.escape(s.name) for s in scenario.segments)
        + ".</p><p class=note>Made by bosim. The full inputs, versions and seed are in "
        "manifest.json beside this file.</p></body></html>"
    )
    return "\n".join(parts)
