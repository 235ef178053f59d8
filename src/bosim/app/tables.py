"""The tables the app shows: a run's key results and a comparison's who-pays and differences.

Plain :class:`pandas.DataFrame` of text, in English or bokmål, built from what a finished
run sent back (:class:`bosim.app.jobs.Outcome`); the numbers are formatted as the report
formats them (:mod:`bosim.presentation.numbers`).
"""

from __future__ import annotations

import math

import pandas as pd

from bosim.analysis.metric_table import label_of, metric
from bosim.app.jobs import Outcome
from bosim.presentation.comparison_report import (
    budget_message,
    difference_text,
    who_pays_rows,
    whole_system_differences,
)
from bosim.presentation.language import money_word
from bosim.presentation.numbers import number, significant

KEY_RESULTS = (
    "housing_retention_12m", "homeless_days_per_person_year", "housed_share_end",
    "breakdowns_per_100_person_years", "unmet_crisis_share", "people_end", "waiting_end",
    "cost_pv",
)
"""Metrics of a run's result table, in this order (those the run has)."""
DIFFERENCES = (
    "housing_retention_12m", "homeless_days_per_person_year",
    "breakdowns_per_100_person_years", "unmet_crisis_share", "waiting_end",
)
"""Effects in a comparison's table of differences, in this order."""
HEADINGS = {
    "en": {"result": "Result", "mean": "Mean", "interval": "95 % interval",
           "payer": "Payer or perspective", "plan": "Plan", "difference":
           "Difference from the base (95 % interval)"},
    "nb": {"result": "Resultat", "mean": "Gjennomsnitt", "interval": "95 % intervall",
           "payer": "Betaler eller perspektiv", "plan": "Alternativ", "difference":
           "Forskjell fra nullalternativet (95 % intervall)"},
}


def _unit(name: str) -> str:
    try:
        return metric(name).unit
    except KeyError:
        return ""


def _shown(name: str, value: object, lang: str) -> str:
    """A key result as the table shows it: money in millions, shares in percent."""
    if name == "cost_pv":
        return significant(float(value) / 1e6, lang)  # type: ignore[arg-type]
    return number(value, _unit(name), lang)


def key_results(outcome: Outcome, lang: str = "en") -> pd.DataFrame:
    """A run's key results for everyone: result, mean and 95 % interval."""
    words = HEADINGS[lang]
    summary = outcome.table
    whole = summary[(summary.segment.fillna("") == "") & (summary.place.fillna("") == "")]
    rows = []
    for name in KEY_RESULTS:
        found = whole[whole.metric == name]
        if found.empty:
            continue
        row = found.iloc[0]
        label = label_of(name, lang)
        if name == "cost_pv":
            million = "mill." if lang == "nb" else "million"
            label += f" ({million} {money_word(outcome.currency, lang)})"
        low, high = float(row.ci_low), float(row.ci_high)
        interval = ("–" if math.isnan(low) else
                    f"{_shown(name, low, lang)} – {_shown(name, high, lang)}")
        rows.append((label, _shown(name, row["mean"], lang), interval))
    return pd.DataFrame(rows, columns=[words["result"], words["mean"], words["interval"]])


def who_pays(outcome: Outcome, lang: str = "en") -> pd.DataFrame:
    """Extra cost of each plan against the base, by payer and perspective, in millions.

    The rows and verdicts of the comparison report's who-pays table; one column per plan.
    """
    alternatives = outcome.names[1:]
    rows = [cells for _, cells in who_pays_rows(outcome.table, alternatives, lang)]
    columns = [HEADINGS[lang]["payer"], *(outcome.labels[plan][lang] for plan in alternatives)]
    return pd.DataFrame(rows, columns=columns)


def budget_messages(outcome: Outcome, lang: str = "en") -> list[str]:
    """Who saves and who pays more, in plain words, one sentence per plan."""
    base = outcome.labels[outcome.names[0]][lang]
    found = (budget_message(outcome.table, plan, outcome.labels[plan][lang], base,
                            outcome.currency, lang) for plan in outcome.names[1:])
    return [message for message in found if message]


def differences(outcome: Outcome, lang: str = "en") -> pd.DataFrame:
    """Each plan's difference from the base in the key effects, with 95 % intervals."""
    words = HEADINGS[lang]
    rows = []
    for plan in outcome.names[1:]:
        means = whole_system_differences(outcome.table, plan)
        for name in DIFFERENCES:
            if name in means:
                rows.append((outcome.labels[plan][lang], label_of(name, lang),
                             difference_text(means[name], lang, _unit(name))))
    return pd.DataFrame(rows, columns=[words["plan"], words["result"], words["difference"]])
