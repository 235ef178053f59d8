"""``report.html`` of a comparison: the plans against the base, differences and money."""

from __future__ import annotations

from bosim.analysis.comparison import dominance
from bosim.analysis.metric_table import metric
from bosim.presentation import figures
from bosim.presentation.html import escape, figure_tag, number, page_head, section, table
from bosim.presentation.language import translate
from bosim.presentation.run_report import LIMITS
from bosim.presentation.views import ComparisonView

ECONOMIC = (
    "incremental_cost_pv", "incremental_housed_person_years_pv", "icer_cost_per_housed_year",
    "homeless_days_avoided", "cost_per_homeless_day_avoided", "npv_priced",
)
"""Economic rows shown, in this order."""
RATIOS = ("icer_cost_per_housed_year", "cost_per_homeless_day_avoided")

INTRO = {
    "en": "Every plan was simulated with the same people and the same random draws "
          "(common random numbers), so differences are paired by replication. Money is "
          "counted from the {perspective} perspective for all plans.",
    "nb": "Alle alternativene ble simulert med de samme personene og de samme "
          "tilfeldige trekkene (felles tilfeldige tall), så forskjellene er parvise per "
          "replikasjon. Beløp er regnet i perspektivet {perspective} for alle "
          "alternativene.",
}


def render_comparison_report(comparison: ComparisonView, lang: str = "en") -> str:
    """A self-contained page comparing alternatives with the base."""
    table_rows = comparison.table
    base = comparison.names[0]
    perspective = comparison.base.scenario.economics.perspective
    parts = page_head(f"{translate('Differences from the base', lang)}: {base}: bosim", lang)
    parts += [
        f"<h1>{escape(translate('Differences from the base', lang))}: {escape(base)}</h1>",
        f"<p>{escape(INTRO[lang].format(perspective=translate(perspective, lang)))}</p>",
        section("Differences from the base", lang),
    ]
    system = table_rows[(table_rows.place == "") & (table_rows.segment == "")]
    rows = []
    for name in figures.FOREST_METRICS:
        unit = metric(name).unit
        for row in system[system.metric == name].itertuples():
            rows.append([escape(row.alternative), escape(metric(name).label_in(lang)),
                         number(row.base_mean, unit), number(row.alternative_mean, unit),
                         f"{number(row.diff_mean, unit)} ({number(row.ci_low, unit)} – "
                         f"{number(row.ci_high, unit)})"])
    parts.append(table(["Plan", "Result", "Base", "Plan", "Difference (95 % interval)"],
                       rows, lang, 2))
    parts.append(section("Costs and what they buy", lang))
    verdicts = {
        "dominant": translate("dominant: costs less and houses more than the base", lang),
        "dominated": translate("dominated: costs more and houses fewer than the base", lang),
    }
    rows = []
    for name in ECONOMIC:
        for row in system[system.metric == name].itertuples():
            verdict = dominance(table_rows, str(row.alternative))
            if name in RATIOS and verdict:
                value = verdicts[verdict]
            else:
                value = (f"{number(row.diff_mean, '')} ({number(row.ci_low, '')} – "
                         f"{number(row.ci_high, '')})")
            rows.append([escape(row.alternative), escape(metric(name).label_in(lang)),
                         escape(value)])
    parts.append(table(["Plan", "Economic result", "Value (95 % interval)"], rows, lang, 2))
    parts.append(figure_tag(figures.forest(comparison, lang),
                            translate("Differences from the base, 95 % intervals.", lang)))
    parts.append(figure_tag(figures.cost_effect(comparison, lang), translate(
        "Each dot is one replication: extra cost against extra housing.", lang)))
    parts.append(section("What the model does not capture", lang) + "<ul>")
    parts.extend(f"<li>{escape(text)}</li>" for text in LIMITS[lang])
    made_by = translate("Made by bosim. Each plan's full results are in runs/ beside this file.",
                        lang)
    parts.append(f"</ul><p class=note>{escape(made_by)}</p></body></html>")
    return "\n".join(parts)
