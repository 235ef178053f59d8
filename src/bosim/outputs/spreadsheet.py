"""Spreadsheets for people who read numbers in Excel: a unit on every row.

Each workbook has the table as the CSV has it (keys a program reads) and, second, a
readable sheet in the report's language: metric labels, the names of places, groups and
teams as the scenario labels them, units and column headers in English or bokmål.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

from bosim.analysis.metric_table import BY_NAME, label_of, money_unit, unit_of
from bosim.scenario import Scenario

HEADERS = {
    "en": {"alternative": "Plan", "metric": "Result", "segment": "Group", "place": "Place",
           "unit": "Unit", "mean": "Mean", "ci_low": "95 % interval, low",
           "ci_high": "95 % interval, high", "diff_mean": "Difference",
           "base_mean": "Base", "alternative_mean": "Plan value", "n": "Replications",
           "sd": "Standard deviation"},
    "nb": {"alternative": "Alternativ", "metric": "Resultat", "segment": "Gruppe",
           "place": "Sted", "unit": "Enhet", "mean": "Gjennomsnitt",
           "ci_low": "95 % intervall, nedre", "ci_high": "95 % intervall, øvre",
           "diff_mean": "Forskjell", "base_mean": "Nullalternativ",
           "alternative_mean": "Alternativets verdi", "n": "Replikasjoner",
           "sd": "Standardavvik"},
}
"""Column headers of the readable sheet."""
SHEET = {"en": "readable", "nb": "lesbar"}
ALL = {"en": "all", "nb": "alle"}


def with_units(table: pd.DataFrame, scenario: Scenario, after: str = "place",
               lang: str = "en") -> pd.DataFrame:
    """The table with a ``unit`` column (from the metric table) after column ``after``."""
    money = money_unit(scenario.meta.currency, scenario.meta.price_year, lang)
    frame = table.copy()
    frame.insert(list(frame.columns).index(after) + 1, "unit",
                 [unit_of(name, money, lang) for name in frame.metric])
    return frame


def readable(table: pd.DataFrame, scenario: Scenario, lang: str = "en",
             plans: dict[str, str] | None = None,
             headers: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A table of metrics as a person reads it: labels, names, units, headers in ``lang``.

    ``plans`` gives the readable name of each plan (the ``alternative`` column);
    ``headers`` the readable header of other columns (a sweep's varied settings).
    """
    frame = with_units(table, scenario, "place" if "place" in table else "metric", lang)
    frame["metric"] = [label_of(name, lang) for name in frame.metric]
    if "segment" in frame:
        frame["segment"] = [scenario.segment_label(s, lang) if s else ALL[lang]
                            for s in frame.segment]
    if "place" in frame:
        frame["place"] = [scenario.team_label(p, lang) if p in scenario.teams
                          else scenario.place_label(p, lang) if p else ALL[lang]
                          for p in frame.place]
    if "alternative" in frame and plans:
        frame["alternative"] = [plans.get(name, name) for name in frame.alternative]
    return frame.rename(columns={**HEADERS[lang], **(headers or {})})


def readable_sheets(name: str, table: pd.DataFrame, scenario: Scenario, lang: str = "en",
                    plans: dict[str, str] | None = None,
                    headers: Mapping[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """The table as the CSV has it (with units), then the readable sheet."""
    known = table[table.metric.isin(list(BY_NAME))] if "metric" in table else table
    return {name: with_units(table, scenario),
            SHEET[lang]: readable(known, scenario, lang, plans, headers)}


def spreadsheet(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook with one sheet per frame, header row frozen, columns widened."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False, freeze_panes=(1, 0))
            sheet = writer.sheets[name]
            for column in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 60)
    return buffer.getvalue()
