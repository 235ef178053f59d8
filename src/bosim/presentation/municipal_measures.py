"""The report's section "Measures the municipality reports", in English and bokmål.

Shown when the scenario asks for the measures (``reporting.municipal_measures``): the
KOSTRA measures of temporary housing and the NIBR week-48 count, for everyone and each
group, with 95 % intervals. The definitions are in :mod:`bosim.analysis.metric_table`.
"""

from __future__ import annotations

import math

import pandas as pd

from bosim.analysis.metric_table import metric
from bosim.presentation.html import INTERVAL, escape, number
from bosim.presentation.views import RunView

MEASURES = (
    "temporary_stays_over_3_months",
    "temporary_stays_over_3_months_share",
    "children_temporary_over_3_months",
    "child_days_temporary",
    "temporary_households_week48",
    "temporary_children_week48",
    "homeless_week48",
    "homeless_children_week48",
)
"""The measures, in the order the section shows them."""

WORDS = {
    "en": {
        "title": "Measures the municipality reports",
        "intro": "The measures municipalities report to the state, read off the simulated "
                 "stays: stays in temporary housing (midlertidig botilbud: here the acute "
                 "and temporary places) longer than three months, as KOSTRA asks, and the "
                 "count of homeless people in week 48, as NIBR counts them (on the street "
                 "or with family and friends, in acute or temporary housing, or in an "
                 "institution without a home, due out within two months). Numbers per "
                 "year are means over the observed years.",
        "measure": "Measure", "unit": "Unit", "everyone": "Everyone",
    },
    "nb": {
        "title": "Tall kommunen rapporterer",
        "intro": "Tallene kommunen rapporterer til staten, lest av de simulerte oppholdene: "
                 "opphold i midlertidig botilbud (her akutt- og midlertidige tilbud) over "
                 "tre måneder, slik KOSTRA spør etter, og antall bostedsløse i uke 48, slik "
                 "NIBR teller dem (uten tak over hodet eller hos familie og venner, i akutt "
                 "eller midlertidig botilbud, eller i institusjon uten bolig og med "
                 "utskriving innen to måneder). Tall per år er gjennomsnitt over de "
                 "observerte årene.",
        "measure": "Mål", "unit": "Enhet", "everyone": "Alle",
    },
}


def municipal_section(run: RunView, lang: str = "en") -> list[str]:
    """The section's HTML parts; none when the scenario does not ask for the measures."""
    if not run.scenario.reporting.municipal_measures:
        return []
    words = WORDS[lang]
    summary = run.summary
    segments = [segment.name for segment in run.scenario.segments]
    columns = ["", *segments] if len(segments) > 1 else [""]
    head = [words["measure"], words["everyone"],
            *(run.scenario.segment_label(name, lang) for name in columns[1:]), words["unit"]]
    rows = []
    for name in MEASURES:
        found = metric(name)
        cells = [_cell(summary, name, segment, found.unit, lang) for segment in columns]
        rows.append(f"<tr><td>{escape(found.label_in(lang))}</td>"
                    + "".join(f"<td class=n>{cell}</td>" for cell in cells)
                    + f"<td>{escape(found.unit_in('', lang))}</td></tr>")
    header = "".join(f"<th>{escape(text)}</th>" for text in head)
    return [
        f'<h2 id="municipal-measures">{escape(words["title"])}</h2>',
        f"<p>{escape(words['intro'])}</p>",
        f"<table><tr>{header}</tr>{''.join(rows)}</table>",
    ]


def _cell(summary: pd.DataFrame, name: str, segment: str, unit: str, lang: str) -> str:
    rows = summary[(summary.metric == name) & (summary.segment == segment)
                   & (summary.place == "")]
    if rows.empty or math.isnan(float(rows["mean"].iloc[0])):
        return "–"
    mean, low, high = (float(rows[column].iloc[0]) for column in ("mean", "ci_low", "ci_high"))
    text = f"<b>{number(mean, unit, lang)}</b>"
    if not math.isnan(low):
        text += (" <span class=note>(" + INTERVAL[lang].format(
            number(low, unit, lang), number(high, unit, lang)) + ")</span>")
    return text
