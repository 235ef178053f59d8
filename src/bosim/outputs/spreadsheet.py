"""Spreadsheets for people who read numbers in Excel: a unit on every row."""

from __future__ import annotations

import io

import pandas as pd

from bosim.analysis.metric_table import money_unit, unit_of
from bosim.scenario import Scenario


def with_units(table: pd.DataFrame, scenario: Scenario, after: str = "place") -> pd.DataFrame:
    """The table with a ``unit`` column (from the metric table) after column ``after``."""
    money = money_unit(scenario.meta.currency, scenario.meta.price_year)
    frame = table.copy()
    frame.insert(list(frame.columns).index(after) + 1, "unit",
                 [unit_of(name, money) for name in frame.metric])
    return frame


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

