"""``report.html`` of a comparison: what each plan is, who pays, differences and money."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from bosim.analysis.comparison import (
    PERSPECTIVES,
    dominance,
    perspective_dominance,
    plan_labels,
)
from bosim.analysis.metric_table import metric
from bosim.analysis.plan_diff import plan_differences
from bosim.presentation import figures
from bosim.presentation.html import escape, figure_tag, page_head, section, table, warning
from bosim.presentation.language import display_names, setting_words, translate, value_words
from bosim.presentation.numbers import is_share, millions, number, plain_number, significant
from bosim.presentation.run_report import LIMITS
from bosim.presentation.views import ComparisonView

ECONOMIC = (
    "incremental_cost_pv", "incremental_housed_person_years_pv", "icer_cost_per_housed_year",
    "homeless_days_avoided", "cost_per_homeless_day_avoided", "npv_priced",
)
"""Economic rows shown, in this order (in the base's perspective)."""
RATIOS = ("icer_cost_per_housed_year", "cost_per_homeless_day_avoided")
PAYER_METRICS = (
    ("municipality", "incremental_cost_pv_municipality"),
    ("state", "incremental_cost_pv_state"),
    ("other", "incremental_cost_pv_other"),
    ("public", "incremental_cost_pv_public"),
    ("tax financing cost", "incremental_tax_financing_cost_pv"),
    ("society", "incremental_cost_pv_society"),
)
"""Rows of the who-pays table: (payer or perspective, metric)."""

WORDS = {
    "en": {
        "title": "Plans compared with the base: {base}",
        "design": "Every plan was simulated with the same people and the same random draws "
                  "(common random numbers): {replications} replications, seed {seed}, bosim "
                  "{version}. Differences are paired by replication. The headline cost is "
                  "counted from the {perspective} perspective; the table of who pays shows "
                  "every payer.",
        "what": "What each plan is",
        "what_text": "The settings that differ between the plans (everything else is the "
                     "same). A dash: the plan does not have it.",
        "who_pays": "Who pays",
        "who_pays_text": "Extra cost against the base, present value, in million {currency} "
                         "(95 % interval). Negative: the plan saves money for that payer.",
        "setting": "Setting",
        "payer": "Payer or perspective",
        "verdict": "Verdict per perspective",
        "saves_public_costs_municipality":
            "{plan} saves public money (municipality and state together: {public}), but it "
            "costs the municipality more: {municipality} more than {base}. The state saves "
            "{state}.",
        "costs_public_saves_municipality":
            "{plan} saves the municipality money ({municipality} less than {base}), but "
            "costs the public purse more: {public}; the state pays {state} more.",
        "saves_both": "{plan} saves both the municipality ({municipality}) and the public "
                      "purse ({public}) money against {base}.",
        "costs_both": "{plan} costs both the municipality ({municipality}) and the public "
                      "purse ({public}) more than {base}.",
        "dominant": "costs less and houses more",
        "dominated": "costs more and houses fewer",
        "neither": "costs more and houses more, or less and fewer: a trade-off",
        "more": "more", "less": "less",
    },
    "nb": {
        "title": "Alternativer sammenlignet med nullalternativet: {base}",
        "design": "Alle alternativene ble simulert med de samme personene og de samme "
                  "tilfeldige trekkene (felles tilfeldige tall): {replications} "
                  "replikasjoner, startverdi {seed}, bosim {version}. Forskjellene er "
                  "parvise per replikasjon. Hovedtallet for kostnad er regnet i perspektivet "
                  "{perspective}; tabellen over hvem som betaler viser alle betalerne.",
        "what": "Hva hvert alternativ er",
        "what_text": "Innstillingene som er forskjellige mellom alternativene (alt annet er "
                     "likt). Strek: alternativet har det ikke.",
        "who_pays": "Hvem betaler",
        "who_pays_text": "Merkostnad mot nullalternativet, nåverdi, i mill. {currency} "
                         "(95 % intervall). Negativt tall: alternativet sparer penger for "
                         "den som betaler.",
        "setting": "Innstilling",
        "payer": "Betaler eller perspektiv",
        "verdict": "Vurdering per perspektiv",
        "saves_public_costs_municipality":
            "{plan} sparer offentlige penger (kommune og stat samlet: {public}), men koster "
            "kommunen mer: {municipality} mer enn {base}. Staten sparer {state}.",
        "costs_public_saves_municipality":
            "{plan} sparer kommunen penger ({municipality} mindre enn {base}), men koster "
            "det offentlige mer: {public}; staten betaler {state} mer.",
        "saves_both": "{plan} sparer både kommunen ({municipality}) og det offentlige "
                      "({public}) penger sammenlignet med {base}.",
        "costs_both": "{plan} koster både kommunen ({municipality}) og det offentlige "
                      "({public}) mer enn {base}.",
        "dominant": "koster mindre og gir flere i bolig",
        "dominated": "koster mer og gir færre i bolig",
        "neither": "koster mer og gir mer, eller mindre og gir mindre: en avveining",
        "more": "mer", "less": "mindre",
    },
}


def whole_system_differences(table: pd.DataFrame,
                             alternative: str) -> dict[str, tuple[float, float, float]]:
    """Whole-system differences of ``alternative`` from the base.

    Metric name to (difference, interval low, interval high).
    """
    rows = table[(table.alternative == alternative) & (table.place.fillna("") == "")
                 & (table.segment.fillna("") == "")]
    return {str(name): (float(mean), float(low), float(high))
            for name, mean, low, high in zip(rows.metric, rows.diff_mean, rows.ci_low,
                                             rows.ci_high, strict=True)}


def budget_message(table: pd.DataFrame, alternative: str, plan: str, base: str,
                   currency: str, lang: str = "en") -> str:
    """The budget message in plain words: who saves, who pays more (empty without rows)."""
    means = whole_system_differences(table, alternative)
    if "incremental_cost_pv_municipality" not in means:
        return ""
    municipality = means["incremental_cost_pv_municipality"][0]
    public = means["incremental_cost_pv_public"][0]
    state = means["incremental_cost_pv_state"][0]
    words = WORDS[lang]
    key = ("saves_public_costs_municipality" if public < 0 <= municipality
           else "costs_public_saves_municipality" if municipality < 0 <= public
           else "saves_both" if public < 0 else "costs_both")
    return words[key].format(
        plan=plan, base=base, municipality=millions(abs(municipality), lang, currency),
        public=millions(abs(public), lang, currency),
        state=millions(abs(state), lang, currency))


def render_comparison_report(comparison: ComparisonView, lang: str = "en",
                             version: str = "") -> str:
    """A self-contained page comparing alternatives with the base."""
    words = WORDS[lang]
    table_rows = comparison.table
    labels = plan_labels(comparison.names, comparison.results, lang)
    base = labels[comparison.names[0]]
    scenario = comparison.base.scenario
    currency = scenario.meta.currency
    money = "kr" if lang == "nb" and currency == "NOK" else currency
    replications = len(comparison.base.replications[["sample", "replication"]]
                       .drop_duplicates())
    title = words["title"].format(base=base)
    parts = page_head(f"{title}: bosim", lang)
    parts += [f"<h1>{escape(title)}</h1>"]
    for name in comparison.names[1:]:
        message = budget_message(table_rows, name, labels[name], base, currency, lang)
        if message:
            parts.append(warning(message))
    parts.append("<p>" + escape(words["design"].format(
        replications=replications, seed=getattr(comparison, "seed", scenario.simulation.seed),
        version=version or "–",
        perspective=translate(scenario.economics.perspective, lang))) + "</p>")
    parts += _what_each_plan_is(comparison, labels, lang)
    parts += _who_pays(comparison, labels, money, lang)
    parts += _differences(comparison, labels, lang)
    parts += _economic(comparison, labels, lang)
    parts.append(figure_tag(figures.forest(comparison, lang, labels),
                            translate("Differences from the base, 95 % intervals.", lang), lang))
    parts.append(figure_tag(figures.cost_effect(comparison, lang, labels), translate(
        "Each dot is one replication: extra cost against extra housing.", lang), lang))
    parts.append(section("What the model does not capture", lang) + "<ul>")
    parts.extend(f"<li>{escape(text)}</li>" for text in LIMITS[lang])
    made_by = translate("Made by bosim. Each plan's full results are in runs/ beside this file.",
                        lang)
    parts.append(f"</ul><p class=note>{escape(made_by)}</p></body></html>")
    return "\n".join(parts)


def _what_each_plan_is(comparison: ComparisonView, labels: dict[str, str],
                       lang: str) -> list[str]:
    words = WORDS[lang]
    scenarios = {name: comparison.results[name].scenario for name in comparison.names}
    differences = plan_differences(scenarios)
    names = display_names(scenarios, lang)
    rows = []
    for row in differences.itertuples(index=False):
        setting = str(row[0])
        rows.append([escape(setting_words(setting, scenarios, lang))]
                    + [escape(value_words(value, lang, setting, names)) for value in row[1:]])
    parts = [f"<h2 id=what>{escape(words['what'])}</h2>", f"<p>{escape(words['what_text'])}</p>"]
    headers = [words["setting"], *(labels[name] for name in comparison.names)]
    parts.append(table(headers, rows, lang, len(headers)))
    return parts


def _triple(row: object) -> tuple[float, float, float]:
    """A table row's difference and interval."""
    return (float(row.diff_mean), float(row.ci_low),  # type: ignore[attr-defined]
            float(row.ci_high))  # type: ignore[attr-defined]


def difference_text(values: tuple[float, float, float], lang: str, unit: str = "",
                    in_millions: bool = False, currency: str = "NOK") -> str:
    """A difference and its interval; the unit (percentage points, million) once."""
    mean, low, high = values
    if unit == "{money}":
        text = millions(mean, lang, currency, sign=True)
        if not math.isnan(low):
            text += f" ({significant(low / 1e6, lang)} – {significant(high / 1e6, lang)})"
        return text
    if is_share(unit):
        text = number(mean, unit, lang, difference=True)
        if not math.isnan(low):
            text += (f" ({plain_number(100 * low, 1, lang, True)} – "
                     f"{plain_number(100 * high, 1, lang, True)})")
        return text
    if in_millions:
        mean, low, high = mean / 1e6, low / 1e6, high / 1e6
        text = significant(mean, lang, sign=True)
        if not math.isnan(low):
            text += f" ({significant(low, lang)} – {significant(high, lang)})"
        return text
    text = number(mean, unit, lang, difference=True)
    if not math.isnan(low):
        text += f" ({number(low, unit, lang, True)} – {number(high, unit, lang, True)})"
    return text


def who_pays_rows(table: pd.DataFrame, alternatives: Sequence[str],
                  lang: str) -> list[tuple[str, list[str]]]:
    """The who-pays table as text, the report's and the app's.

    One row per payer and perspective (extra cost against the base in millions, with its
    interval), then a verdict per perspective. Each row is (the payer or perspective it
    is about, its cells: the label, then one per plan). Empty when the comparison has no
    costs by payer.
    """
    words = WORDS[lang]
    means = {name: whole_system_differences(table, name) for name in alternatives}
    if not any("incremental_cost_pv_municipality" in m for m in means.values()):
        return []
    rows = []
    for payer, name in PAYER_METRICS:
        rows.append((payer, [translate(payer, lang)] + [
            difference_text(means[a][name], lang, in_millions=True) if name in means[a]
            else "–" for a in alternatives]))
    verdicts = {a: perspective_dominance(table, a) for a in alternatives}
    for perspective in PERSPECTIVES:
        rows.append(("", [f"{words['verdict']}: {translate(perspective, lang)}"] + [
            words[verdicts[a].get(perspective) or "neither"] for a in alternatives]))
    return rows


def _who_pays(comparison: ComparisonView, labels: dict[str, str], money: str,
              lang: str) -> list[str]:
    words = WORDS[lang]
    alternatives = comparison.names[1:]
    found = who_pays_rows(comparison.table, alternatives, lang)
    if not found:
        return []
    rows = []
    for about, cells in found:
        label = escape(cells[0])
        rows.append([f"<b>{label}</b>" if about in PERSPECTIVES else label,
                     *(escape(cell) for cell in cells[1:])])
    parts = [f"<h2 id=who-pays>{escape(words['who_pays'])}</h2>",
             f"<p>{escape(words['who_pays_text'].format(currency=money))}</p>"]
    parts.append(table([words["payer"], *(labels[a] for a in alternatives)], rows, lang, 1))
    return parts


def _differences(comparison: ComparisonView, labels: dict[str, str],
                 lang: str) -> list[str]:
    table_rows = comparison.table
    system = table_rows[(table_rows.place == "") & (table_rows.segment == "")]
    rows = []
    for name in figures.FOREST_METRICS:
        unit = metric(name).unit
        for row in system[system.metric == name].itertuples():
            rows.append([escape(labels[str(row.alternative)]),
                         escape(metric(name).label_in(lang)),
                         number(row.base_mean, unit, lang),
                         number(row.alternative_mean, unit, lang),
                         escape(difference_text(_triple(row), lang, unit,
                                        currency=comparison.base.scenario.meta.currency))])
    return [section("Differences from the base", lang),
            table(["Plan", "Result", "Base", "Plan", "Difference (95 % interval)"], rows, lang, 2)]


def _economic(comparison: ComparisonView, labels: dict[str, str], lang: str) -> list[str]:
    table_rows = comparison.table
    system = table_rows[(table_rows.place == "") & (table_rows.segment == "")]
    perspective = translate(comparison.base.scenario.economics.perspective, lang)
    verdicts = {
        "dominant": translate("dominant: costs less and houses more than the base", lang),
        "dominated": translate("dominated: costs more and houses fewer than the base", lang),
    }
    rows = []
    for name in ECONOMIC:
        unit = metric(name).unit
        for row in system[system.metric == name].itertuples():
            verdict = dominance(table_rows, str(row.alternative))
            if name in RATIOS and verdict:
                value = verdicts[verdict]
            else:
                value = difference_text(_triple(row), lang, unit,
                                        currency=comparison.base.scenario.meta.currency)
            rows.append([escape(labels[str(row.alternative)]),
                         escape(metric(name).label_in(lang)), escape(value)])
    heading = f"{translate('Costs and what they buy', lang)}: {perspective}"
    return [f"<h2 id=costs>{escape(heading)}</h2>",
            table(["Plan", "Economic result", "Value (95 % interval)"], rows, lang, 2)]
