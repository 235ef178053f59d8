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
from matplotlib.figure import Figure

from bosim.metrics import UNITS

if TYPE_CHECKING:
    from bosim.results import Results

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


def _number(value: float, unit: str) -> str:
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
