"""Warnings about results that do not mean what they seem to, in plain words (en and nb).

A valid scenario can still give numbers that must not be read at face value:

- ``unstable_queue``: a place's queue grows without bound (the rule is in
  :mod:`bosim.analysis.stability`), so its completed waits understate the waits;
- ``nobody_leaves``: people were in a place but nobody left it in the observed window
  (stays far longer than the horizon, or no way out), so its waits, flows and retention
  say nothing about leaving it;
- ``no_crises``: a segment is given crises, but none happened in the window, so the
  crisis and staffing results are empty rather than good;
- ``idle_team``: a team has staff, but nobody lived in any place it serves, so its
  cost buys nothing (a team with 0 FTE, left in a plan that does not use it, is fine).

The command line prints them after a run and the report shows them at the top.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from bosim.analysis.stability import queue_growth
from bosim.engine import CompiledScenario
from bosim.scenario import Scenario

TEXTS = {
    "en": {
        "unstable_queue":
            "The queue for {place} grew through the whole observed window (from {first} to "
            "{last} people waiting on average) and shows no sign of levelling off: more "
            "people need this place than it can take. Waits there keep growing, so the mean "
            "wait counts only the lucky ones admitted; {waiting} people were still waiting "
            "at the end, after {open_wait} days on average.",
        "nobody_leaves":
            "Nobody left {place} during the observed years, although {people} people were "
            "there on an average day: its stays end far beyond the horizon or not at all. "
            "Results about moving on from it (waits behind it, flows, retention) mean "
            "nothing; check its stay, routes and breakdown and exit rates.",
        "no_crises":
            "Segment {segment} is given {rate} crises per person-year, but none happened in "
            "the observed years, so the crisis and staffing results are empty, not good. "
            "Check where its people are (no crises in institutions) and its crisis profile.",
        "idle_team":
            "Team {team} serves {places}, where nobody lived during the observed years: its "
            "cost buys nothing and its staffing results are empty. Check its serves list.",
    },
    "nb": {
        "unstable_queue":
            "Køen til {place} vokste gjennom hele observasjonsperioden (fra {first} til "
            "{last} ventende i gjennomsnitt) og flater ikke ut: flere trenger dette tilbudet "
            "enn det har plass til. Ventetiden fortsetter å øke, så gjennomsnittlig ventetid "
            "teller bare dem som slapp inn; {waiting} personer ventet fortsatt ved slutten, "
            "etter {open_wait} dager i gjennomsnitt.",
        "nobody_leaves":
            "Ingen flyttet ut av {place} i de observerte årene, selv om {people} personer "
            "bodde der en gjennomsnittlig dag: oppholdene der slutter langt etter "
            "tidshorisonten eller aldri. Resultater om å flytte videre derfra (ventetid, "
            "flyttinger, bostabilitet) betyr ingenting; sjekk oppholdstid, ruter og rater "
            "for bostedsbrudd og utflytting.",
        "no_crises":
            "Gruppen {segment} har {rate} kriser per personår, men ingen skjedde i de "
            "observerte årene, så resultatene for kriser og bemanning er tomme, ikke gode. "
            "Sjekk hvor personene er (ingen kriser i institusjon) og kriseprofilen.",
        "idle_team":
            "Teamet {team} betjener {places}, der ingen bodde i de observerte årene: "
            "kostnaden kjøper ingenting, og resultatene for bemanningen er tomme. Sjekk "
            "hvilke steder teamet betjener (serves i scenariofilen).",
    },
}
"""The warnings' texts by language; names are filled in as the scenario labels them."""


@dataclass(frozen=True)
class ResultWarning:
    """One warning about a run's results."""

    kind: str
    """``unstable_queue``, ``nobody_leaves``, ``no_crises`` or ``idle_team``."""
    subject: str
    """The place, segment or team it is about, as named in the scenario."""
    text: str
    """The warning in plain words, in the language asked for."""


def result_warnings(
    scenario: Scenario,
    compiled: CompiledScenario,
    summary: pd.DataFrame,
    flows: pd.DataFrame,
    timeseries: pd.DataFrame,
    lang: str = "en",
) -> list[ResultWarning]:
    """Every warning about a run's results, in the order places, segments, teams.

    Args:
        scenario: the scenario run.
        compiled: its compiled tables (place names).
        summary: the run's summary (``metric, segment, place, mean, ...``).
        flows: moves in the observed window (``origin, destination, moves, ...``).
        timeseries: monthly occupancy and queues (for unstable queues).
        lang: ``en`` or ``nb``.

    """
    texts = TEXTS[lang]
    means = {
        (str(m), str(s), str(p)): float(v)
        for m, s, p, v in zip(summary.metric, summary.segment, summary.place, summary["mean"],
                              strict=True)
    }

    def mean(name: str, segment: str = "", place: str = "") -> float:
        return means.get((name, segment, place), math.nan)

    found = []
    for growth in queue_growth(timeseries, compiled):
        if growth.unstable:
            found.append(ResultWarning("unstable_queue", growth.place, texts[
                "unstable_queue"].format(
                    place=scenario.place_label(growth.place, lang),
                    first=_decimal(growth.quarters[0], lang),
                    last=_decimal(growth.quarters[-1], lang),
                    waiting=_count(mean("waiting_end", "", growth.place)),
                    open_wait=_count(mean("mean_open_wait_days", "", growth.place)),
            )))
    leaving = flows.groupby("origin").moves.sum() if len(flows) else pd.Series(dtype=float)
    for place in compiled.place_names:
        people = mean("mean_occupancy", "", place)
        if people > 0 and float(leaving.get(place, 0.0)) == 0.0:
            found.append(ResultWarning("nobody_leaves", place, texts["nobody_leaves"].format(
                place=scenario.place_label(place, lang),
                people=_decimal(people, lang, "{:.3g}"))))
    for segment in scenario.segments:
        crisis = segment.crisis
        if crisis is None or crisis.rate_per_year <= 0:
            continue
        happened = mean("crises_per_person_year", segment.name)
        if not happened > 0 and mean("person_years", segment.name) > 0:
            found.append(ResultWarning("no_crises", segment.name, texts["no_crises"].format(
                segment=scenario.segment_label(segment.name, lang),
                rate=_decimal(crisis.rate_per_year, lang, "{:g}"))))
    for name, team in scenario.teams.items():
        staffed = max(team.fte) if isinstance(team.fte, list) else team.fte
        if staffed > 0 and all(not mean("mean_occupancy", "", place) > 0
                                for place in team.serves):
            found.append(ResultWarning("idle_team", name, texts["idle_team"].format(
                team=scenario.team_label(name, lang),
                places=", ".join(scenario.place_label(place, lang) for place in team.serves))))
    return found


def _decimal(value: float, lang: str, form: str = "{:.1f}") -> str:
    """A number in the text of a warning: a decimal comma in bokmål."""
    text = form.format(value)
    return text.replace(".", ",") if lang == "nb" else text


def _count(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.0f}"
