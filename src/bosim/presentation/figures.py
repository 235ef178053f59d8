"""Figures of results, as matplotlib figures an economist can restyle.

Each function takes results (:class:`~bosim.analysis.Results`, or a results folder read
back with :func:`bosim.load_results`) and returns a ``matplotlib.figure.Figure``
with labelled axes and units. ``lang="nb"`` gives Norwegian labels.

>>> import bosim, bosim.plot  # doctest: +SKIP
>>> figure = bosim.plot.occupancy(bosim.simulate("scenarios/example.toml"))  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from bosim.analysis.comparison import per_replication
from bosim.analysis.metric_table import label_of, money_unit, unit_of
from bosim.presentation.language import setting_words, translate, value_words
from bosim.presentation.numbers import is_share, significant
from bosim.presentation.views import ComparisonView, RunView, SweepView
from bosim.units import DAYS_PER_MONTH, DAYS_PER_YEAR


def plain(text: object) -> str:
    r"""A text a user wrote as matplotlib must show it: as written, never as mathtext.

    Matplotlib reads a text with two ``$`` as TeX math (and fails on bad TeX); ``\$``
    is a literal dollar sign, so every ``$`` is escaped.
    """
    return str(text).replace("$", r"\$")


def _grid(count: int, columns: int = 3, height: float = 2.6) -> tuple[Figure, Any]:
    rows = max(1, math.ceil(count / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(11, height * rows), squeeze=False)
    for axis in axes.ravel()[count:]:
        axis.set_visible(False)
    return figure, axes.ravel()


def _fan(results: RunView, column: str, ylabel: str, lang: str) -> Figure:
    frame = results.timeseries
    names = list(results.compiled.place_names)
    if column == "queue":  # only places where anyone ever waited
        names = [n for n in names if (frame[frame.place == n][column] > 0).any()] or names[:1]
    figure, axes = _grid(len(names))
    warmup = results.compiled.warmup_years
    for axis, name in zip(axes, names, strict=False):
        by_day = frame[frame.place == name].groupby("day")[column]
        days = np.asarray(by_day.median().index, dtype=float) / DAYS_PER_YEAR
        axis.fill_between(days, by_day.quantile(0.1), by_day.quantile(0.9), alpha=0.25,
                          label=translate("10-90 % of replications", lang))
        axis.plot(days, by_day.median(), linewidth=1.4, label=translate("median", lang))
        capacity = results.compiled.capacity[names.index(name)]
        if column == "occupancy" and all(math.isfinite(c) for c in capacity):
            years = [y - warmup for y in range(len(capacity) + 1)]
            axis.step(years, [*capacity, capacity[-1]], where="post", color="black",
                      linewidth=1, linestyle="--", label=translate("capacity", lang))
        axis.axvline(0, color="grey", linewidth=0.8)
        axis.set_title(plain(results.scenario.place_label(name, lang)), fontsize=10)
        axis.set_xlabel(translate("years from start of observed window", lang), fontsize=8)
        axis.set_ylabel(translate(ylabel, lang), fontsize=8)
    axes[0].legend(fontsize=7)
    figure.tight_layout()
    return figure


def occupancy(results: RunView, lang: str = "en") -> Figure:
    """Occupied units per place over time, with the capacity plan.

    The median and the 10-90 % band across replications; left of 0 is the warm-up.
    """
    return _fan(results, "occupancy", "people (monthly mean)", lang)


def queues(results: RunView, lang: str = "en") -> Figure:
    """People waiting for each place over time: median and 10-90 % band."""
    return _fan(results, "queue", "people waiting (monthly mean)", lang)


def waits(results: RunView, lang: str = "en") -> Figure:
    """Distribution of waits (days) per place with a queue, as box plots."""
    frame = results.waits
    names = [n for n in results.compiled.place_names
             if (frame[frame.place == n].wait_days > 0).any()]
    figure, axis = plt.subplots(figsize=(9, 0.6 + 0.5 * max(len(names), 1)))
    data = [frame[frame.place == n].wait_days.to_numpy() for n in names]
    if data:
        axis.boxplot(data, orientation="horizontal",
                     tick_labels=[plain(results.scenario.place_label(n, lang)) for n in names],
                     whis=(5, 95),
                     showfliers=False)
    axis.set_xlabel(translate("wait (days)", lang))
    axis.set_title(translate("Waiting times", lang) + " (5-95 %)")
    figure.tight_layout()
    return figure


SMALL_FLOWS = "(small)"
"""The destination that stands for every small flow out of a place (:func:`grouped_flows`)."""


def grouped_flows(results: RunView, smallest_share: float = 0.01) -> tuple[pd.Series, int, float]:
    """Moves per year by (origin, destination), small flows grouped per origin.

    Flows below ``smallest_share`` of all moves go to the destination
    :data:`SMALL_FLOWS`; returns the flows, how many were grouped and their moves per year.
    Nothing is dropped: the flows add up to all moves.
    """
    frame = results.flows
    replications = max(len(frame[["sample", "replication"]].drop_duplicates()), 1)
    years = results.compiled.observed_years
    total = frame.groupby(["origin", "destination"]).moves.sum() / replications / years
    if not len(total):
        return total, 0, 0.0
    small = total < smallest_share * total.sum()
    if not small.any():
        return total, 0, 0.0
    grouped = total[small].groupby(level=0).sum()
    grouped.index = pd.MultiIndex.from_arrays(
        [grouped.index, [SMALL_FLOWS] * len(grouped)], names=total.index.names)
    return pd.concat([total[~small], grouped]), int(small.sum()), float(total[small].sum())


def flows(results: RunView, lang: str = "en", smallest_share: float = 0.01) -> Figure:
    """Moves between places per year (mean over replications), as an alluvial diagram.

    Flows below ``smallest_share`` of all moves are grouped per origin into one band to
    "other (small moves)" (:func:`grouped_flows`), so every move is drawn.
    """
    total, _, _ = grouped_flows(results, smallest_share)
    arrival, leaving = translate("arrivals", lang), translate("exits", lang)
    order = [*results.compiled.place_names]
    names = {"(arrival)": arrival, "(exit)": leaving,
             SMALL_FLOWS: translate("other (small moves)", lang)}

    def label(name: str, size: float) -> str:
        shown = names.get(name) or results.scenario.place_label(name, lang)
        return plain(f"{shown} ({significant(size, lang)})")

    origins = [n for n in ["(arrival)", *order] if n in total.index.get_level_values(0)]
    destinations = [n for n in [*order, "(exit)", SMALL_FLOWS]
                    if n in total.index.get_level_values(1)]
    figure, axis = plt.subplots(figsize=(9, 6))
    gap = 0.02 * float(total.sum() or 1.0)

    def stack(nodes: list[str], sizes: pd.Series) -> dict[str, float]:
        tops, position = {}, 0.0
        for node in nodes:
            tops[node] = position
            position += float(sizes.get(node, 0.0)) + gap
        return tops

    out_sizes = total.groupby(level=0).sum()
    in_sizes = total.groupby(level=1).sum()
    left, right = stack(origins, out_sizes), stack(destinations, in_sizes)
    left_used = dict.fromkeys(origins, 0.0)
    right_used = dict.fromkeys(destinations, 0.0)
    colours = plt.get_cmap("tab20")
    for index, node in enumerate(origins):
        axis.add_patch(Rectangle((0, left[node]), 0.04, float(out_sizes[node]),
                                 color=colours(index % 20)))
        axis.text(-0.01, left[node] + float(out_sizes[node]) / 2,
                  label(node, float(out_sizes[node])), ha="right",
                  va="center", fontsize=8)
    for node in destinations:
        axis.add_patch(Rectangle((0.96, right[node]), 0.04, float(in_sizes[node]),
                                 color="grey"))
        axis.text(1.01, right[node] + float(in_sizes[node]) / 2,
                  label(node, float(in_sizes[node])), ha="left",
                  va="center", fontsize=8)
    for key, size in total.items():
        origin, destination = str(key[0]), str(key[1])  # type: ignore[index]
        y0 = left[origin] + left_used[origin]
        y1 = right[destination] + right_used[destination]
        left_used[origin] += size
        right_used[destination] += size
        path = MplPath(
            [(0.04, y0), (0.5, y0), (0.5, y1), (0.96, y1), (0.96, y1 + size),
             (0.5, y1 + size), (0.5, y0 + size), (0.04, y0 + size), (0.04, y0)],
            [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.LINETO,
             MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.CLOSEPOLY],
        )
        colour = colours(origins.index(origin) % 20)
        axis.add_patch(PathPatch(path, facecolor=colour, alpha=0.45, edgecolor="none"))
    height = max(float(out_sizes.sum()) + gap * len(origins),
                 float(in_sizes.sum()) + gap * len(destinations))
    axis.set_xlim(-0.35, 1.35)
    axis.set_ylim(height + gap, -gap)
    axis.set_xticks([0.02, 0.98], [translate("from", lang), translate("to", lang)])
    axis.set_yticks([])
    axis.set_ylabel(translate("moves per year (mean over replications)", lang))
    axis.set_title(translate("Flows between places", lang))
    for side in ("top", "right", "left"):
        axis.spines[side].set_visible(False)
    figure.tight_layout()
    return figure


def retention(results: RunView, lang: str = "en") -> Figure:
    """Share still not homeless against months since a housing start (Kaplan-Meier).

    The mean of the replications' curves with its 95 % interval; at 12 months it equals
    ``housing_retention_12m`` and its interval.
    """
    curve = results.retention
    figure, axis = plt.subplots(figsize=(8, 4.5))
    months = curve.days / DAYS_PER_MONTH
    axis.fill_between(months, curve.low, curve.high, alpha=0.25, step="post")
    axis.step(months, curve.share, where="post")
    axis.axvline(12, color="grey", linestyle="--", linewidth=0.8,
                 label=translate("12 months", lang))
    axis.set_ylim(0, 1.02)
    axis.set_xlabel(translate("months since housing start", lang))
    axis.set_ylabel(translate("share not homeless", lang))
    axis.set_title(translate("Housing retention", lang) + " (Kaplan-Meier, 95 %)")
    axis.legend(fontsize=8)
    figure.tight_layout()
    return figure


def costs(results: RunView, by: str = "payer", lang: str = "en", most: int = 8) -> Figure:
    """Cost per observed year (mean over replications), stacked by payer or by place/team.

    At most ``most`` groups are drawn; the smallest others are added up as "other". The
    legend sits beside the axes, so it never covers a bar.
    """
    frame = results.costs.copy()
    scenario = results.scenario
    meta = scenario.meta
    figure, axis = plt.subplots(figsize=(9, 4.5))
    if frame.empty:
        axis.set_title(translate("Costs", lang) + ": –")
        return figure
    if by == "payer":
        frame["group"] = [translate(str(payer), lang) for payer in frame.payer]
    else:
        frame["group"] = [scenario.team_label(key, lang) if key in scenario.teams
                          else scenario.place_label(key, lang)
                          for key in frame.item.str.split("/").str[0]]
    replications = len(frame[["sample", "replication"]].drop_duplicates())
    table = frame.pivot_table(index="year", columns="group", values="cost", aggfunc="sum",
                              fill_value=0.0) / replications / 1e6
    table = table[table.sum().sort_values(ascending=False).index]
    if len(table.columns) > most:
        kept, rest = table.columns[:most - 1], table.columns[most - 1:]
        table = table[kept].assign(**{translate("other places", lang): table[rest].sum(axis=1)})
    colours = plt.get_cmap("tab20" if len(table.columns) > 10 else "tab10")
    bottom = np.zeros(len(table))
    for index, group in enumerate(table.columns):
        axis.bar(table.index, table[group], bottom=bottom, label=plain(group),
                 color=colours(index))
        bottom += table[group].to_numpy()
    axis.set_xlabel(translate("observed year", lang))
    axis.set_ylabel(plain(f"{translate('million', lang)} "
                          f"{money_unit(meta.currency, meta.price_year, lang)}"))
    axis.set_title(translate("Cost per year", lang)
                   + (f" ({translate('by place and team', lang)})" if by != "payer" else ""))
    axis.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    figure.tight_layout()
    return figure


FOREST_METRICS = (
    "housing_retention_12m",
    "homeless_days_per_person_year",
    "breakdowns_per_100_person_years",
    "unmet_crisis_share",
    "cost_per_person_year",
)
"""The key results of a comparison, one panel each."""


def forest(comparison: ComparisonView, lang: str = "en",
           labels: Mapping[str, str] | None = None) -> Figure:
    """Differences from the base with 95 % intervals, one panel per key metric.

    ``labels``: the name a reader sees for each plan (default: the plan names).
    """
    table = comparison.table
    system = table[(table.place == "") & (table.segment == "")]
    alternatives = list(dict.fromkeys(system.alternative))
    panel_height = 1.1 + 0.35 * max(1, len(alternatives))  # inches per metric
    figure, axes = plt.subplots(len(FOREST_METRICS), 1, squeeze=False,
                                figsize=(8, panel_height * len(FOREST_METRICS)))
    meta = comparison.base.scenario.meta
    money = money_unit(meta.currency, meta.price_year, lang)
    for axis, name in zip(axes.ravel(), FOREST_METRICS, strict=True):
        rows = system[system.metric == name].set_index("alternative").reindex(alternatives)
        positions = np.arange(len(alternatives))
        unit = unit_of(name, money, "en")
        scale = 100.0 if is_share(unit) else 1.0  # shares differ in percentage points
        means = rows["diff_mean"].to_numpy(dtype=float) * scale
        lows = rows["ci_low"].to_numpy(dtype=float) * scale
        highs = rows["ci_high"].to_numpy(dtype=float) * scale
        axis.errorbar(means, positions, xerr=[means - lows, highs - means], fmt="o", capsize=3)
        axis.axvline(0.0, color="grey", linewidth=0.8)
        axis.set_yticks(positions, [plain((labels or {}).get(name, name))
                                    for name in alternatives])
        axis.set_title(f"{label_of(name, lang)}: {translate('difference from the base', lang)}",
                       fontsize=9)
        shown = (translate("percentage points", lang) if is_share(unit)
                 else unit_of(name, money, lang))
        axis.set_xlabel(plain(shown), fontsize=8)
    figure.tight_layout()
    return figure


def cost_effect(comparison: ComparisonView, lang: str = "en",
                labels: Mapping[str, str] | None = None) -> Figure:
    """Incremental cost (present value) against incremental housed person-years."""
    figure, axis = plt.subplots(figsize=(7, 5))
    base = per_replication(comparison.base)
    for name in comparison.names[1:]:
        delta = per_replication(comparison.results[name]) - base
        axis.scatter(delta["housed_person_years_pv"], delta["cost_pv"] / 1e6, s=12, alpha=0.6,
                     label=plain((labels or {}).get(name, name)))
    axis.axhline(0, color="grey", linewidth=0.8)
    axis.axvline(0, color="grey", linewidth=0.8)
    meta = comparison.base.scenario.meta
    axis.set_xlabel(translate("extra housed person-years (discounted) against the base", lang))
    axis.set_ylabel(plain(translate("extra cost, present value", lang)
                          + f" ({translate('million', lang)} "
                          f"{money_unit(meta.currency, meta.price_year, lang)})"))
    axis.legend(fontsize=8)
    axis.set_title(translate("Cost-effect plane: one dot per replication", lang))
    figure.tight_layout()
    return figure


def sweep(result: SweepView, name: str, place: str = "", lang: str = "en") -> Figure:
    """A metric (mean and 95 % interval) against the first varied value.

    One line per combination of the other varied values; the whole target group
    (``segment`` empty) unless the table has only segment rows.
    """
    rows_of = result.table[(result.table.metric == name) & (result.table.place == place)
                           & (result.table.segment == "")]
    first, others = result.paths[0], result.paths[1:]
    scenarios = {"": result.scenario}
    meta = result.scenario.meta
    money = money_unit(meta.currency, meta.price_year, lang)
    english_unit = unit_of(name, "{money}", "en")
    # money in millions; a share in percent (0-100), as the report's tables show it
    scale = 1e6 if english_unit == "{money}" else 0.01 if is_share(english_unit) else 1.0
    figure, axis = plt.subplots(figsize=(7, 4.5))
    groups = rows_of.groupby(others, sort=False) if others else [((), rows_of)]
    for key, rows in groups:
        keys = key if isinstance(key, tuple) else (key,)
        label = ", ".join(f"{setting_words(p, scenarios, lang)} {value_words(v, lang, p)}"
                          for p, v in zip(others, keys, strict=False))
        x = [v if isinstance(v, int | float) else plain(v) for v in rows[first]]
        means = rows["mean"] / scale
        axis.errorbar(x, means, yerr=[means - rows["ci_low"] / scale,
                                      rows["ci_high"] / scale - means],
                      marker="o", capsize=3, label=plain(label) if label else None)
    unit = unit_of(name, money, lang)
    if scale > 1:
        unit = f"{translate('million', lang)} {money}"
    elif scale < 1:
        unit = "%"
    where = f" ({result.scenario.place_label(place, lang)})" if place else ""
    axis.set_xlabel(plain(setting_words(first, scenarios, lang)))
    axis.set_ylabel(plain(f"{label_of(name, lang)}{where} [{unit}]"))
    axis.set_title(f"{label_of(name, lang)}: " + translate("mean and 95 % interval", lang))
    if others:
        axis.legend(fontsize=8)
    figure.tight_layout()
    return figure


def tornado(table: pd.DataFrame, outcome_label: str, lang: str = "en") -> Figure:
    """One-way sensitivity: a bar per parameter from its low to its high value's outcome.

    ``table`` is :func:`bosim.api.tornado`'s (widest swing first, drawn at the top); the
    vertical line is the outcome with every parameter at the scenario's own value.
    """
    rows = table.iloc[::-1]
    figure, axis = plt.subplots(figsize=(8, 1.2 + 0.4 * max(1, len(rows))))
    positions = np.arange(len(rows))
    base = float(table["outcome_base"].iloc[0]) if len(table) else 0.0
    lows = rows["outcome_low"].to_numpy(dtype=float)
    highs = rows["outcome_high"].to_numpy(dtype=float)
    low_is_far = np.abs(lows - base) >= np.abs(highs - base)
    # The bar further from the base first, so a nearer one on the same side stays visible.
    for far in (True, False):
        values = np.where(low_is_far == far, lows, highs)
        colours = ["tab:blue" if (is_far == far) else "tab:orange" for is_far in low_is_far]
        axis.barh(positions, values - base, left=base, color=colours, height=0.6)
    axis.axvline(base, color="grey", linewidth=0.8)
    axis.set_yticks(positions, [
        plain(f"{row.parameter} ({significant(float(row.low), lang)} – "  # type: ignore[arg-type]
              f"{significant(float(row.high), lang)})")  # type: ignore[arg-type]
        for row in rows.itertuples()])
    axis.set_xlabel(plain(outcome_label), fontsize=8)
    axis.legend(handles=[Rectangle((0, 0), 1, 1, color="tab:blue"),
                         Rectangle((0, 0), 1, 1, color="tab:orange")],
                labels=[translate("low value", lang), translate("high value", lang)],
                fontsize=8, loc="lower right")
    figure.tight_layout()
    return figure
