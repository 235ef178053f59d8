"""``report.html`` of a sweep: per metric a figure, every point and its paired difference.

Points share seeds (common random numbers), so each point's difference from the first is
paired by replication, as in a comparison.
"""

from __future__ import annotations

import math

from bosim.analysis.comparison import paired_differences
from bosim.analysis.metric_table import label_of, money_unit, unit_of
from bosim.presentation import figures
from bosim.presentation.html import escape, figure_tag, page_head, table
from bosim.presentation.language import display_names, setting_words, translate, value_words
from bosim.presentation.numbers import is_share, number, plain_number
from bosim.presentation.views import SweepView

WORDS = {
    "en": {
        "intro": "Varied: {paths}. {points} points, each simulated with the same people and "
                 "random draws (common random numbers): {replications} replications, seed "
                 "{seed}. Differences are from the first point, paired by replication.",
        "point": "Point", "mean": "Mean (95 % interval)",
        "difference": "Difference from the first point (95 % interval)",
        "unit": "Unit: {unit}.", "millions": "million {money}",
        "percent": "percent (differences in percentage points)",
    },
    "nb": {
        "intro": "Variert: {paths}. {points} punkter, hvert simulert med de samme personene "
                 "og de samme tilfeldige trekkene (felles tilfeldige tall): {replications} "
                 "replikasjoner, startverdi {seed}. Forskjellene er fra det første punktet, "
                 "parvise per replikasjon.",
        "point": "Punkt", "mean": "Gjennomsnitt (95 % intervall)",
        "difference": "Forskjell fra første punkt (95 % intervall)",
        "unit": "Enhet: {unit}.", "millions": "mill. {money}",
        "percent": "prosent (forskjeller i prosentpoeng)",
    },
}


def point_words(sweep: SweepView, point: tuple[object, ...], lang: str) -> str:
    """A grid point in words: ``Flats: capacity 40; Team act: FTE 6``."""
    scenarios = {"": sweep.scenario}
    names = display_names(scenarios, lang)
    return "; ".join(f"{setting_words(path, scenarios, lang)} "
                     f"{value_words(value, lang, path, names)}"
                     for path, value in zip(sweep.paths, point, strict=True))


def setting_headers(sweep: SweepView, lang: str) -> dict[str, str]:
    """The varied settings in words, by dotted key: the spreadsheet's column headers."""
    return {path: setting_words(path, {"": sweep.scenario}, lang) for path in sweep.paths}


def _value(value: float, unit: str, lang: str, difference: bool = False) -> str:
    """A value in the metric's unit; money in millions."""
    if unit == "{money}":
        return plain_number(value / 1e6, 1, lang, sign=difference)
    return number(value, unit, lang, difference=difference)


def _interval(mean: float, low: float, high: float, unit: str, lang: str,
              difference: bool = False) -> str:
    text = _value(mean, unit, lang, difference)
    if math.isnan(low):
        return text
    if is_share(unit) and difference:
        return (f"{text} ({plain_number(100 * low, 1, lang, True)} – "
                f"{plain_number(100 * high, 1, lang, True)})")
    low_text, high_text = _value(low, unit, lang, difference), _value(high, unit, lang, difference)
    return f"{text} ({low_text} – {high_text})"


def render_sweep_report(sweep: SweepView, metrics: list[str], lang: str = "en") -> str:
    """A self-contained page with a figure and a table per chosen metric."""
    words = WORDS[lang]
    scenario = sweep.scenario
    name = scenario.plan_label(lang=lang)
    meta = scenario.meta
    parts = page_head(f"{translate('Sweep', lang)}: {name}: bosim", lang)
    first = sweep.results[0].replications
    replications = len(first[["sample", "replication"]].drop_duplicates())
    intro = words["intro"].format(
        paths=", ".join(setting_words(path, {"": scenario}, lang) for path in sweep.paths),
        points=len(sweep.points), replications=replications, seed=scenario.simulation.seed)
    parts += [
        f"<h1>{escape(translate('Sweep', lang))}: {escape(name)}</h1>",
        f"<p>{escape(intro)}</p>",
    ]
    differences = [paired_differences(sweep.results[0], result, str(index))
                   for index, result in enumerate(sweep.results)]
    money = money_unit(meta.currency, meta.price_year, lang)
    for metric_name in metrics:
        unit = unit_of(metric_name, "{money}")
        label = label_of(metric_name, lang)
        shown_unit = (words["millions"].format(money=money) if unit == "{money}"
                      else words["percent"] if is_share(unit)
                      else unit_of(metric_name, money, lang))
        parts.append(f"<h2>{escape(label)}</h2>")
        if shown_unit:
            parts.append(f"<p class=note>{escape(words['unit'].format(unit=shown_unit))}</p>")
        parts.append(figure_tag(figures.sweep(sweep, metric_name, lang=lang), label, lang))
        rows = []
        summary = sweep.table[(sweep.table.metric == metric_name) & (sweep.table.place == "")
                              & (sweep.table.segment == "")]
        for index, point in enumerate(sweep.points):
            found = summary.iloc[index] if index < len(summary) else None
            mean = (_interval(float(found["mean"]), float(found["ci_low"]),
                              float(found["ci_high"]), unit, lang)
                    if found is not None else "–")
            paired = differences[index]
            paired = paired[(paired.metric == metric_name) & (paired.place == "")
                            & (paired.segment == "")]
            difference = "–"
            if index and len(paired):
                row = paired.iloc[0]
                difference = _interval(float(row.diff_mean), float(row.ci_low),
                                       float(row.ci_high), unit, lang, difference=True)
            rows.append([escape(point_words(sweep, point, lang)), escape(mean),
                         escape(difference)])
        parts.append(table([words["point"], words["mean"], words["difference"]], rows, lang))
    made_by = translate("Made by bosim. All metrics at every point are in sweep.csv.", lang)
    parts.append(f"<p class=note>{escape(made_by)}</p></body></html>")
    return "\n".join(parts)
