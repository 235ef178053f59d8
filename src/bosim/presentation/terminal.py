"""What the command line prints, in English or bokmål: tables and messages for a terminal.

The command line only prints what these functions return; every word and number format is
here (and in :mod:`bosim.presentation.language`), so ``--lang nb`` prints bokmål with
Norwegian numbers. Names a user wrote are escaped for rich, so ``[b]`` stays text.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from rich.markup import escape
from rich.table import Table

from bosim.analysis import dominance
from bosim.analysis.comparison import perspective_dominance, plan_labels
from bosim.analysis.metric_table import label_of, money_unit, unit_of
from bosim.analysis.psa import PERSPECTIVES, PSA
from bosim.presentation.comparison_report import PAYER_METRICS, WORDS, budget_message
from bosim.presentation.language import money_word, translate
from bosim.presentation.numbers import is_share, number, percent, plain_number, significant
from bosim.presentation.psa_report import plan_names
from bosim.presentation.views import ComparisonView, RunView

KEY_RESULTS = ("housing_retention_12m", "homeless_days_per_person_year", "housed_share_end",
               "breakdowns_per_100_person_years", "people_end", "waiting_end")
"""Metrics printed after a run (labels and units from the metric table)."""

MESSAGES = {
    "en": {
        "run_title": "{plan}: {replications} replications, {years} observed years (mean and "
                     "95 % interval)",
        "mean": "Mean", "difference": "Difference", "verdict": "Verdict", "to": "to",
        "against": "{plan} against {base} (95 % intervals)",
        "per_extra_year": "per extra housed year",
        "results_written": "Results written to", "comparison_written": "Comparison written to",
        "sweep_written": "Sweep of {points} points written to",
        "psa_written": "PSA written to", "tornado_written": "Tornado written to",
        "report_written": "Report written to", "warning": "warning",
        "psa_design": "{draws} draws x {replications} replications x {plans} plans: "
                      "{simulated} simulated, {saved} re-priced without simulating",
        "ceac_title": "Probability of being the best value, per {currency} per housed "
                      "person-year (columns: perspective)",
        "per_housed_year": "{currency} per housed year",
        "evpi": "EVPI at {wtp} {currency} per housed year, {perspective}: {evpi} {currency} "
                "per decision",
        "worth_measuring": "Worth measuring first ({perspective} perspective, EVPPI): ",
        "parameter_share": "{plan} against {base}: {share} of the variance of the net benefit "
                           "per replication is parameter uncertainty, the rest simulation "
                           "noise",
        "sobol": "Sobol indices of the net benefit (first-order, total, 95 % half-widths): ",
        "tornado_title": "One-way sensitivity: {outcome}",
        "net_benefit": "net benefit at {wtp} {currency} per housed person-year",
        "minus": "{alternative} minus {base}",
        "parameter": "Parameter", "low": "Low", "high": "High", "at_low": "At low",
        "at_high": "At high",
    },
    "nb": {
        "run_title": "{plan}: {replications} replikasjoner, {years} observerte år "
                     "(gjennomsnitt og 95 % intervall)",
        "mean": "Gjennomsnitt", "difference": "Forskjell", "verdict": "Vurdering", "to": "til",
        "against": "{plan} mot {base} (95 % intervaller)",
        "per_extra_year": "per ekstra personår i bolig",
        "results_written": "Resultatene er skrevet til",
        "comparison_written": "Sammenligningen er skrevet til",
        "sweep_written": "Parametervariasjonen med {points} punkter er skrevet til",
        "psa_written": "Sensitivitetsanalysen er skrevet til",
        "tornado_written": "Tornadodiagrammet er skrevet til",
        "report_written": "Rapporten er skrevet til", "warning": "advarsel",
        "psa_design": "{draws} trekk x {replications} replikasjoner x {plans} alternativer: "
                      "{simulated} simulert, {saved} prissatt på nytt uten å simulere",
        "ceac_title": "Sannsynlighet for å gi mest for pengene, per {currency} per personår "
                      "i bolig (kolonner: perspektiv)",
        "per_housed_year": "{currency} per personår i bolig",
        "evpi": "EVPI ved {wtp} {currency} per personår i bolig, {perspective}: {evpi} "
                "{currency} per beslutning",
        "worth_measuring": "Mest verdt å måle først (perspektiv: {perspective}, EVPPI): ",
        "parameter_share": "{plan} mot {base}: {share} av variansen i netto nytte per "
                           "replikasjon kommer fra usikre parametere, resten er "
                           "simuleringsstøy",
        "sobol": "Sobol-indekser for netto nytte (første orden, total, 95 % halvbredder): ",
        "tornado_title": "Enveis sensitivitetsanalyse: {outcome}",
        "net_benefit": "netto nytte ved {wtp} {currency} per personår i bolig",
        "minus": "{alternative} minus {base}",
        "parameter": "Parameter", "low": "Lav", "high": "Høy", "at_low": "Ved lav",
        "at_high": "Ved høy",
    },
}
"""Titles, column headers and messages the command line prints, by language."""

EFFECTS = ("housing_retention_12m", "homeless_days_per_person_year",
           "breakdowns_per_100_person_years", "unmet_crisis_share",
           "incremental_housed_person_years_pv")
"""The differences printed after a comparison, in this order."""
CEAC_POINTS = (0.0, 250_000.0, 500_000.0, 1_000_000.0, 2_000_000.0)
"""Willingness to pay per housed person-year printed after a PSA (with the one asked for)."""


def message(key: str, lang: str, **values: object) -> str:
    """A message of :data:`MESSAGES` in ``lang``, with its values filled in."""
    return MESSAGES[lang][key].format(**values)


def key_results(run: RunView, lang: str = "en") -> Table:
    """The key results of a run: mean and 95 % interval, numbers in ``lang``'s format."""
    words = MESSAGES[lang]
    system = run.summary[(run.summary.segment == "") & (run.summary.place == "")]
    summary = {row["metric"]: row for row in system.to_dict("records")}
    scenario = run.scenario
    view = Table(title=escape(message(
        "run_title", lang, plan=scenario.plan_label(lang=lang),
        replications=run.replication_count, years=scenario.simulation.years)))
    view.add_column(translate("Result", lang))
    view.add_column(words["mean"], justify="right")
    view.add_column(translate("95 % interval", lang), justify="right")
    for name in KEY_RESULTS:
        unit = unit_of(name, "", "en")
        row = summary[name]
        low, high = float(row["ci_low"]), float(row["ci_high"])
        interval = (f"{number(low, unit, lang)} – {number(high, unit, lang)}"
                    if low == low else "–")
        view.add_row(escape(label_of(name, lang)), number(row["mean"], unit, lang), interval)
    return view


def _found(table: pd.DataFrame, name: str, metric: str) -> object | None:
    rows = table[(table.alternative == name) & (table.metric == metric)
                 & (table.place == "") & (table.segment == "")]
    return None if rows.empty else rows.iloc[0]


def _interval(low: float, high: float, unit: str, lang: str, scale: float = 1.0) -> str:
    """A difference's interval: shares in percentage points, money in ``scale``."""
    if low != low:
        return "–"
    if is_share(unit):
        low, high = 100 * low, 100 * high
    low, high = low / scale, high / scale
    decimals = 1 if scale > 1 or abs(high) < 1000 else 0
    return (f"{plain_number(low, decimals, lang, sign=True)} {MESSAGES[lang]['to']} "
            f"{plain_number(high, decimals, lang, sign=True)}")


def comparison_summary(comparison: ComparisonView, lang: str = "en") -> list[Table | str]:
    """What the command line prints after a comparison, per alternative against the base.

    The budget message (bold text), the differences, who pays, and the ICER line.
    """
    table = comparison.table
    meta = comparison.base.scenario.meta
    money = money_unit(meta.currency, meta.price_year, lang)
    labels = plan_labels(comparison.names, comparison.results, lang)
    base = labels[comparison.names[0]]
    words, said = WORDS[lang], MESSAGES[lang]
    verdicts = {"dominant": words["dominant"], "dominated": words["dominated"]}
    printed: list[Table | str] = []
    for name in comparison.names[1:]:
        budget = budget_message(table, name, labels[name], base, meta.currency, lang)
        if budget:
            printed.append(f"[bold]{escape(budget)}[/bold]")
        view = Table(title=escape(message("against", lang, plan=labels[name], base=base)))
        view.add_column(translate("Result", lang))
        view.add_column(said["difference"], justify="right")
        view.add_column(translate("95 % interval", lang), justify="right")
        for metric in EFFECTS:
            row = _found(table, name, metric)
            if row is None:
                continue
            unit = unit_of(metric, money, "en")
            view.add_row(escape(label_of(metric, lang)),
                         number(row.diff_mean, unit, lang, difference=True),  # type: ignore[attr-defined]
                         _interval(row.ci_low, row.ci_high, unit, lang))  # type: ignore[attr-defined]
        printed.append(view)
        payers = Table(title=escape(f"{words['who_pays']}: "
                                    f"{label_of('incremental_cost_pv', lang).lower()}, "
                                    f"{translate('million', lang)} {money}"))
        payers.add_column(words["payer"])
        payers.add_column(said["difference"], justify="right")
        payers.add_column(translate("95 % interval", lang), justify="right")
        payers.add_column(said["verdict"])
        perspective_verdicts = perspective_dominance(table, name)
        for payer, metric in PAYER_METRICS:
            row = _found(table, name, metric)
            if row is None:
                continue
            verdict = perspective_verdicts.get(payer)
            ratio = _found(table, name, f"icer_cost_per_housed_year_{payer}")
            judged = ""
            if verdict:
                judged = verdicts[verdict]
            elif ratio is not None and ratio.diff_mean == ratio.diff_mean:  # type: ignore[attr-defined]
                judged = (f"{plain_number(ratio.diff_mean, 0, lang)} "  # type: ignore[attr-defined]
                          f"{money_word(meta.currency, lang)} {said['per_extra_year']}")
            payers.add_row(escape(translate(payer, lang)),
                           plain_number(row.diff_mean / 1e6, 1, lang, sign=True),  # type: ignore[attr-defined]
                           _interval(row.ci_low, row.ci_high, "", lang, 1e6),  # type: ignore[attr-defined]
                           escape(judged))
        if payers.row_count:
            printed.append(payers)
        row = _found(table, name, "icer_cost_per_housed_year")
        if row is not None:
            verdict = dominance(table, name)
            perspective = translate(comparison.base.scenario.economics.perspective, lang)
            value = (verdicts[verdict] if verdict else
                     f"{significant(row.diff_mean, lang)} {money}")  # type: ignore[attr-defined]
            printed.append(escape(f"{label_of('icer_cost_per_housed_year', lang)}, "
                                  f"{perspective}: {value}"))
    return printed


def psa_summary(analysis: PSA, wtp: float, lang: str = "en",
                labels: Mapping[str, str] | None = None) -> tuple[list[Table | str], list[str]]:
    """What the command line prints after a PSA: tables and lines, then warnings.

    ``labels``: the name a reader sees for each plan (default: the plan names). Lines
    are plain text (print them without markup).
    """
    shown = plan_names(analysis, lang, labels)
    currency = money_word(analysis.currency, lang)
    printed: list[Table | str] = [message(
        "psa_design", lang, draws=analysis.draws, replications=analysis.replications,
        plans=len(analysis.names), simulated=analysis.simulations, saved=analysis.saved)]
    points = sorted({*CEAC_POINTS, wtp})
    ceac = analysis.acceptability(np.array(points))
    view = Table(title=escape(message("ceac_title", lang, currency=currency)))
    view.add_column(translate("Plan", lang))
    view.add_column(escape(message("per_housed_year", lang, currency=currency)),
                    justify="right")
    for perspective in PERSPECTIVES:
        view.add_column(translate(perspective, lang), justify="right")
    for name in analysis.names:
        for point in points:
            here = ceac[(ceac.wtp == point) & (ceac.alternative == name)]
            cells = [percent(here[here.perspective == p].probability_best.iloc[0], lang)
                     for p in PERSPECTIVES]
            view.add_row(escape(shown[name]), plain_number(point, 0, lang), *cells)
    printed.append(view)
    at = ceac[ceac.wtp == wtp].drop_duplicates("perspective")
    for row in at.to_dict("records"):
        printed.append(message("evpi", lang, wtp=plain_number(wtp, 0, lang), currency=currency,
                               perspective=translate(str(row["perspective"]), lang),
                               evpi=plain_number(float(row["evpi"]), 0, lang)))
    partial = analysis.partial_values(wtp)
    own = partial[partial.perspective == analysis.perspective].head(5)
    printed.append(message("worth_measuring", lang,
                           perspective=translate(analysis.perspective, lang))
                   + ", ".join(f"{r['parameter']} {plain_number(float(r['evppi']), 0, lang)}"
                               for r in own.to_dict("records")))
    variance = analysis.variance(wtp)
    for row in variance[variance.metric == "incremental_net_benefit"].to_dict("records"):
        share = float(row["parameter_share"])
        if share != share:  # one replication: no split
            continue
        printed.append(message("parameter_share", lang, plan=shown[str(row["alternative"])],
                               base=shown[analysis.names[0]], share=percent(share, lang)))
    if analysis.sobol_problem is not None and len(analysis.names) > 1:
        indices = analysis.sobol(wtp)
        indices = indices[indices.outcome == "incremental_net_benefit"].sort_values(
            "total", ascending=False).head(5)
        printed.append(message("sobol", lang) + "; ".join(
            f"{r['parameter']} {plain_number(r['first'], 2, lang)}±"
            f"{plain_number(r['first_half_width'], 2, lang)}, "
            f"{plain_number(r['total'], 2, lang)}±"
            f"{plain_number(r['total_half_width'], 2, lang)}"
            for r in indices.to_dict("records")))
    return printed, analysis.warnings(wtp, lang, shown)


def tornado_outcome(metric: str, wtp: float, currency: str, lang: str = "en",
                    plans: tuple[str, str] | None = None) -> str:
    """The outcome of a tornado in words: the net benefit at ``wtp``, or a metric's label.

    ``plans``: (base, alternative) names as a reader sees them, when the outcome is the
    alternative's difference from the base.
    """
    if metric == "net_benefit":
        outcome = message("net_benefit", lang, wtp=plain_number(wtp, 0, lang),
                          currency=money_word(currency, lang))
    else:
        outcome = label_of(metric, lang)
    if plans is not None:
        outcome += ", " + message("minus", lang, base=plans[0], alternative=plans[1])
    return outcome


def tornado_table(table: pd.DataFrame, outcome: str, lang: str = "en") -> Table:
    """The one-way sensitivity table: each parameter's low and high value and outcome."""
    words = MESSAGES[lang]
    view = Table(title=escape(message("tornado_title", lang, outcome=outcome)))
    for key in ("parameter", "low", "high", "at_low", "at_high"):
        view.add_column(words[key], justify="left" if key == "parameter" else "right")
    for row in table.to_dict("records"):
        view.add_row(escape(str(row["parameter"])),
                     *(significant(float(row[key]), lang)
                       for key in ("low", "high", "outcome_low", "outcome_high")))
    return view

