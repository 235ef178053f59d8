"""The app's page: the parts of it that are plain functions of a scenario and a language.

The server (:mod:`bosim.app.server`) decides when each part is shown; the parts here say
what is shown: the form of places, groups and teams, the progress bar, the result tables.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from htmltools import Tag, TagList
from shiny import ui

from bosim.app import tables
from bosim.app.fields import FormField
from bosim.app.jobs import Outcome
from bosim.app.words import key_word, word
from bosim.presentation.language import money_word
from bosim.scenario import Scenario

STYLE = """
.bosim-owner { font-size: 0.8em; color: #666; }
.bosim-problems { white-space: pre-wrap; font-family: monospace; font-size: 0.85em; }
.bosim-table td:not(:first-child), .bosim-table th:not(:first-child) { text-align: right; }
.bosim-table th:first-child { text-align: left; }
#differences td:nth-child(2), #differences th:nth-child(2) { text-align: left; }
.bosim-section { margin-top: 1.2em; }
#plan-problems { position: sticky; top: 0; z-index: 10; }
.card .shiny-input-container { width: 100%; }
"""
"""A few rules on top of Bootstrap: key names in grey, errors as ``bosim validate`` prints
them, numbers right-aligned."""


def form(scenario: Scenario, fields: list[FormField], typed: Mapping[str, object],
         lang: str) -> TagList:
    """The plan's form: a card per place, group of people and team, with its keys.

    ``typed`` holds what the planner has typed so far (by key path), shown instead of the
    scenario's values, so that the form survives a change of language.
    """
    money = money_word(scenario.meta.currency, lang)
    parts: list[Tag] = []
    for section in ("places", "segments", "teams"):
        owners: dict[str, list[FormField]] = {}
        for field in fields:
            if field.section == section:
                owners.setdefault(field.owner, []).append(field)
        cards = [_card(members, typed, lang, money) for members in owners.values()]
        body: Tag | TagList = (ui.layout_column_wrap(*cards, width="300px") if cards
                               else ui.p(word("no_teams", lang)))
        parts.append(ui.div(ui.h4(word(section, lang)), body, class_="bosim-section",
                            id=f"section-{section}"))
    return TagList(*parts)


def _card(members: list[FormField], typed: Mapping[str, object], lang: str,
          money: str) -> Tag:
    first = members[0]
    header: list[Tag | str] = [ui.strong(first.owner_label)]
    if first.owner_label != first.owner:
        header.append(ui.span(f" {first.owner}", class_="bosim-owner"))
    inputs = []
    for field in members:
        label = key_word(field.key, lang, money)
        value = typed.get(field.path, field.shown)
        if field.kind == "number":
            inputs.append(ui.input_numeric(field.input_id, label, value=value, min=0))  # type: ignore[arg-type]
        else:
            inputs.append(ui.input_text(field.input_id, label, value=str(value)))
    return ui.card(ui.card_header(*header), *inputs)


def progress_bar(done: int, total: int, writing: bool, fraction: float, lang: str) -> Tag:
    """A progress bar with what it counts: replications, then writing the report."""
    percent = round(100 * fraction)
    text = word("writing", lang) if writing else word("progress", lang, done=done, total=total)
    bar = ui.div(class_="progress-bar progress-bar-striped progress-bar-animated",
                 role="progressbar", style=f"width: {percent}%",
                 **{"aria-valuenow": str(percent), "aria-valuemin": "0",
                    "aria-valuemax": "100"})
    return ui.div(ui.div(bar, class_="progress", id="run-progress"),
                  ui.p(text, id="progress-text"))


def html_table(frame: pd.DataFrame, table_id: str) -> ui.HTML:
    """A table of text as HTML (escaped), styled as the report's tables."""
    return ui.HTML(frame.to_html(index=False, escape=True, border=0, table_id=table_id,
                                 classes="table table-sm table-striped bosim-table"))


def results_view(outcome: Outcome, lang: str) -> TagList:
    """A finished run's or comparison's tables: for a comparison, who pays first."""
    parts: list[Tag | ui.HTML] = []
    if outcome.work == "compare":
        base = outcome.labels[outcome.names[0]][lang]
        parts.append(ui.p(word("base_is", lang, base=base)))
        money = money_word(outcome.currency, lang)
        parts.append(ui.h4(word("who_pays", lang, money=money)))
        parts.extend(ui.p(ui.strong(message)) for message in tables.budget_messages(outcome, lang))
        parts.append(html_table(tables.who_pays(outcome, lang), "who-pays"))
        parts.append(ui.h4(word("differences", lang)))
        parts.append(html_table(tables.differences(outcome, lang), "differences"))
    else:
        parts.append(ui.h4(word("key_results", lang)))
        parts.append(html_table(tables.key_results(outcome, lang), "key-results"))
        if outcome.warnings:
            parts.append(ui.h5(word("warnings", lang)))
            parts.append(ui.tags.ul(*(ui.tags.li(text) for text in outcome.warnings)))
    parts.append(ui.p(word("written", lang, folder=outcome.folder), id="results-folder"))
    parts.append(ui.div(
        ui.download_button("download_report", word("download_report", lang)), " ",
        ui.download_button("download_spreadsheet", word("download_spreadsheet", lang))))
    return TagList(*parts)
