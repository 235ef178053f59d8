"""``report.html`` of one run: a self-contained page a planner can read, forward and print.

``lang="nb"`` writes the same report in Norwegian bokmål.
"""

from __future__ import annotations

import math

from bosim.analysis.metric_table import metric, money_unit
from bosim.analysis.warnings import result_warnings
from bosim.presentation import figures
from bosim.presentation.html import (
    INTERVAL,
    escape,
    figure_tag,
    number,
    page_head,
    section,
    subsection,
    table,
    warning,
)
from bosim.presentation.language import hours_words, translate, value_words
from bosim.presentation.municipal_measures import municipal_section
from bosim.presentation.numbers import plain_number, significant
from bosim.presentation.views import RunView
from bosim.scenario.model import label_text

HEADLINES = {
    "en": (
        ("housing_retention_12m", "of housing starts were still housed (not homeless) 12 "
         "months later"),
        ("homeless_days_per_person_year", "homeless days per person-year in the target group"),
        ("mean_homeless_people", "people were homeless on an average day (street, shelters, "
         "temporary housing)"),
        ("housed_share_end", "of the people in the target group were housed at the end"),
        ("breakdowns_per_100_person_years", "breakdowns (evictions, lost tenancies) per 100 "
         "person-years housed"),
        ("unmet_crisis_share", "of crises met no staff member who could help"),
    ),
    "nb": (
        ("housing_retention_12m", "av dem som flyttet inn i en bolig, bodde fortsatt (var ikke "
         "bostedsløse) 12 måneder senere"),
        ("homeless_days_per_person_year", "bostedsløse dager per personår i målgruppen"),
        ("mean_homeless_people", "personer var bostedsløse en gjennomsnittlig dag (uten tak "
         "over hodet, akuttovernatting, midlertidig botilbud)"),
        ("housed_share_end", "av personene i målgruppen bodde i egen eller tilrettelagt bolig "
         "ved slutten"),
        ("breakdowns_per_100_person_years", "bostedsbrudd (utkastelser, tapte leieforhold) per "
         "100 personår i bolig"),
        ("unmet_crisis_share", "av krisene møtte ingen ansatt som kunne hjelpe"),
    ),
}

LIMITS = {
    "en": (
        "Each person follows the paths the scenario gives their group; the model does not "
        "know individual histories, preferences or the quality of a particular dwelling.",
        "Breakdown, exit and crisis rates are assumptions or come from other countries' "
        "studies unless the scenario cites local data; results are only as good as them.",
        "Housing markets outside the municipality's own places (private rents, waiting for "
        "a flat on the open market) appear only as stays and exits.",
        "Crisis handling counts whether a staff member is free, not how well the crisis "
        "is handled; staff are one pool per team.",
        "Costs are the lines the scenario prices; effects that cannot be priced (quality of "
        "life, safety, children's lives) must be judged beside the numbers, as R-109 asks.",
        "Intervals show the randomness of the simulation with these assumptions, not the "
        "uncertainty of the assumptions themselves.",
    ),
    "nb": (
        "Hver person følger de veiene scenariet gir gruppen deres; modellen kjenner ikke "
        "enkeltpersoners historie, ønsker eller kvaliteten på en bestemt bolig.",
        "Rater for bostedsbrudd, utflytting og kriser er antakelser eller hentet fra studier "
        "i andre land der scenariet ikke viser til lokale data; resultatene er ikke bedre "
        "enn dem.",
        "Boligmarkedet utenfor kommunens egne tilbud (private leieboliger) finnes bare som "
        "opphold og utflytting.",
        "Krisehåndtering teller om en ansatt er ledig, ikke hvor godt krisen håndteres; de "
        "ansatte i et team er én samlet gruppe.",
        "Kostnadene er de postene scenariet priser; virkninger som ikke kan prissettes "
        "(livskvalitet, trygghet, barns oppvekst) må vurderes ved siden av tallene, slik "
        "R-109 ber om.",
        "Intervallene viser tilfeldigheten i simuleringen med disse antakelsene, ikke "
        "usikkerheten i antakelsene selv.",
    ),
}

WORDS = {
    "en": {
        "made_by": "Made by bosim {version}. Inputs, versions and seed are in manifest.json "
                   "beside this file.",
        "simulated": "{years} observed years after {warmup} warm-up years, {replications} "
                     "replications, seed {seed}, bosim {version}. Money in {currency} at "
                     "{price_year} prices, {perspective} perspective.",
        "retention_text": "The curve shows, of everyone who moved into housing from "
                          "homelessness during the observed years, the share not yet back in "
                          "a homeless place after a number of months.",
        "costs_text": "Present value of all costs over the observed years, by payer, in "
                      "{money}:",
        "total": "Total in the {perspective} perspective",
        "not_counted": "not counted in this perspective",
        "occupancy_caption": "Occupied units by place: median over replications (line), "
                             "10-90 % of replications (band), capacity (dashed). Left of 0: "
                             "warm-up.",
        "queue_caption": "People waiting for each place (headed there, not yet admitted).",
        "waits_caption": "Waits from joining a place's queue to admission, in days.",
        "flows_caption": "Moves between places per year in the observed window.",
        "flows_grouped": "{count} flows under 1 % of all moves ({moves} moves per year in "
                         "all) are drawn together as \"other (small moves)\".",
        "retention_caption": "Kaplan-Meier estimate: mean over replications with its 95 % "
                             "interval. At 12 months it is the key result above.",
        "costs_caption": "Cost per observed year, mean over replications, not discounted.",
    },
    "nb": {
        "made_by": "Laget med bosim {version}. Inndata, versjoner og startverdi finnes i "
                   "manifest.json ved siden av denne filen.",
        "simulated": "{years} observerte år etter {warmup} år innsvingning, {replications} "
                     "replikasjoner, startverdi {seed}, bosim {version}. Beløp i {currency}, "
                     "{price_year}-priser, perspektiv: {perspective}.",
        "retention_text": "Kurven viser, av alle som flyttet inn i en bolig fra "
                          "bostedsløshet i de observerte årene, andelen som ennå ikke var "
                          "tilbake i et bostedsløst tilbud etter et antall måneder.",
        "costs_text": "Nåverdi av alle kostnader i de observerte årene, etter betaler, i "
                      "{money}:",
        "total": "Sum i perspektivet {perspective}",
        "not_counted": "ikke med i dette perspektivet",
        "occupancy_caption": "Belegg per sted: median over replikasjoner (linje), 10-90 % "
                             "av replikasjonene (bånd), kapasitet (stiplet). Til venstre for "
                             "0: innsvingning.",
        "queue_caption": "Personer som venter på hvert sted (på vei dit, ikke tatt inn).",
        "waits_caption": "Ventetid fra personen står i kø til innflytting, i dager.",
        "flows_caption": "Flyttinger mellom steder per år i observasjonsperioden.",
        "flows_grouped": "{count} strømmer under 1 % av alle flyttinger ({moves} flyttinger "
                         "per år til sammen) er tegnet samlet som «andre (små "
                         "flyttestrømmer)».",
        "retention_caption": "Kaplan-Meier-estimat: gjennomsnitt over replikasjoner med 95 % "
                             "intervall. Ved 12 måneder er det hovedresultatet over.",
        "costs_caption": "Kostnad per observasjonsår, gjennomsnitt over replikasjoner, "
                         "ikke diskontert.",
    },
}



GROUP_METRICS = (
    "housing_retention_12m", "homeless_days_per_person_year", "breakdowns_per_100_person_years",
    "housed_share_end", "unmet_crisis_share", "person_years", "waiting_end",
)
"""Columns of the results-by-group table."""


class _Summary:
    """Look-ups of the summary by metric, segment and place."""

    def __init__(self, run: RunView) -> None:
        frame = run.summary
        self._rows = {
            (str(m), str(s), str(p)): (float(mean), float(low), float(high))
            for m, s, p, mean, low, high in zip(frame.metric, frame.segment, frame.place,
                                               frame["mean"], frame.ci_low, frame.ci_high,
                                               strict=True)
        }

    def get(self, name: str, segment: str = "", place: str = "") -> tuple[float, float, float]:
        return self._rows.get((name, segment, place), (math.nan, math.nan, math.nan))

    def mean(self, name: str, segment: str = "", place: str = "") -> float:
        return self.get(name, segment, place)[0]


def render_run_report(run: RunView, lang: str = "en", version: str = "") -> str:
    """The report of one run (results in memory or a folder read back)."""
    words = WORDS[lang]
    meta = run.scenario.meta
    summary = _Summary(run)
    name = run.scenario.plan_label(lang=lang)
    parts = page_head(f"{name}: bosim", lang)
    parts.append(f"<h1>{escape(name)}</h1>")
    description = label_text(meta.description, lang)
    if description:
        parts.append(f"<p>{escape(description)}</p>")
    parts += _warnings(run, lang)
    parts += _key_results(run, summary, lang)
    parts += _what_was_simulated(run, lang, version)
    parts += _by_place(run, summary, lang)
    parts += _by_group(run, summary, lang)
    parts += municipal_section(run, lang)

    parts.append(section("Occupancy and queues over time", lang))
    parts.append(figure_tag(figures.occupancy(run, lang), words["occupancy_caption"], lang))
    parts.append(figure_tag(figures.queues(run, lang), words["queue_caption"], lang))
    parts.append(section("Waiting times", lang))
    parts.append(figure_tag(figures.waits(run, lang), words["waits_caption"], lang))
    parts.append(section("Flows between places", lang))
    _, grouped, moves = figures.grouped_flows(run)
    caption = words["flows_caption"]
    if grouped:
        caption += " " + words["flows_grouped"].format(count=grouped,
                                                       moves=significant(moves, lang))
    parts.append(figure_tag(figures.flows(run, lang), caption, lang))
    parts.append(section("Housing retention", lang))
    parts.append(f"<p>{escape(words['retention_text'])}</p>")
    parts.append(figure_tag(figures.retention(run, lang), words["retention_caption"], lang))
    parts += _costs(run, summary, lang)

    parts.append(section("What the model does not capture", lang) + "<ul>")
    parts.extend(f"<li>{escape(text)}</li>" for text in LIMITS[lang])
    parts.append("</ul>")
    parts.append(f"<p class=note>{escape(words['made_by'].format(version=version))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _warnings(run: RunView, lang: str) -> list[str]:
    """Results that do not mean what they seem to (:mod:`bosim.analysis.warnings`)."""
    found = result_warnings(run.scenario, run.compiled, run.summary, run.flows,
                            run.timeseries, lang)
    return [warning(found_warning.text) for found_warning in found]


def _key_results(run: RunView, summary: _Summary, lang: str) -> list[str]:
    meta, economics = run.scenario.meta, run.scenario.economics
    parts = [section("Key results", lang) + "<ul>"]
    for name, text in HEADLINES[lang]:
        mean, low, high = summary.get(name)
        if math.isnan(mean):
            continue
        unit = metric(name).unit
        parts.append(
            f"<li><b>{number(mean, unit, lang)}</b> {escape(text)} <span class=note>("
            + INTERVAL[lang].format(number(low, unit, lang), number(high, unit, lang))
            + ")</span></li>"
        )
    mean, low, high = summary.get("cost_pv")
    if not math.isnan(mean) and mean != 0:
        money = f"{translate('million', lang)} {money_unit(meta.currency, meta.price_year, lang)}"
        label = WORDS[lang]["total"].format(perspective=translate(economics.perspective, lang))
        parts.append(f"<li><b>{plain_number(mean / 1e6, 1, lang)}</b> {escape(money)}: "
                     f"{escape(label)}, {escape(translate('present value', lang))} "
                     "<span class=note>("
                     + INTERVAL[lang].format(plain_number(low / 1e6, 1, lang),
                                             plain_number(high / 1e6, 1, lang))
                     + ")</span></li>")
    parts.append("</ul>")
    return parts


def _what_was_simulated(run: RunView, lang: str, version: str) -> list[str]:
    scenario = run.scenario
    meta, simulation, economics = scenario.meta, scenario.simulation, scenario.economics
    parts = [section("What was simulated", lang), "<p>" + escape(WORDS[lang]["simulated"].format(
        years=simulation.years, warmup=simulation.warmup_years,
        replications=run.replication_count, seed=run.seed, version=version,
        currency="kr" if lang == "nb" and meta.currency == "NOK" else meta.currency,
        price_year=meta.price_year,
        perspective=translate(economics.perspective, lang),
    )) + "</p>"]
    place_rows = []
    for name, place in scenario.places.items():
        capacity = (translate("unlimited", lang) if place.is_unlimited
                    else str(place.capacity_plan()))
        stay = f"{place.stay.mean:.0f}" if place.stay is not None else translate("none", lang)
        place_rows.append([escape(scenario.place_label(name, lang)),
                           escape(value_words(place.kind, lang)),
                           escape(capacity), stay])
    parts.append(subsection(translate("Places", lang)))
    parts.append(table(["Place", "Kind", "Capacity", "Stay (mean days)"], place_rows, lang, 2))
    if scenario.teams:
        team_rows = []
        for (name, team), compiled in zip(scenario.teams.items(), run.compiled.teams,
                                          strict=True):
            hours = hours_words(team.hours, lang)
            fte = ", ".join(plain_number(value, 1, lang) for value in
                            (team.fte if isinstance(team.fte, list) else [team.fte]))
            serves = ", ".join(scenario.place_label(place, lang) for place in team.serves)
            team_rows.append([escape(scenario.team_label(name, lang)), escape(serves),
                              escape(hours), fte,
                              plain_number(compiled.on_duty, 2, lang)])
        parts.append(subsection(translate("Staff and service hours", lang)))
        parts.append(table(["Team", "Serves", "Hours", "FTE", "Staff on duty"], team_rows,
                           lang, 3))
    segment_rows = []
    for segment in scenario.segments:
        rate = segment.arrivals_per_year
        arrivals = ", ".join(f"{r:g}" for r in rate) if isinstance(rate, list) else f"{rate:g}"
        crisis = f"{segment.crisis.rate_per_year:g}" if segment.crisis else "0"
        segment_rows.append([escape(scenario.segment_label(segment.name, lang)), arrivals,
                             str(sum(segment.initial.values())), crisis])
    parts.append(subsection(translate("Groups of people", lang)))
    parts.append(table(["Group", "Arrivals per year", "At start", "Crises per person-year"],
                       segment_rows, lang))
    return parts


def _by_place(run: RunView, summary: _Summary, lang: str) -> list[str]:
    rows = []
    for name, place in run.scenario.places.items():
        capacity = (translate("unlimited", lang) if place.is_unlimited
                    else escape(place.capacity_plan()))
        values = [
            number(summary.mean(metric_name, "", name), metric(metric_name).unit, lang)
            for metric_name in ("mean_occupancy", "utilization", "mean_wait_days",
                                "p90_wait_days", "mean_queue", "waiting_end",
                                "mean_open_wait_days")
        ]
        rows.append([escape(run.scenario.place_label(name, lang)), capacity, *values])
    headers = ["Place", "Capacity", "Mean occupancy", "Utilization", "Mean wait (days)",
               "90th pct. wait (days)", "Mean queue", "Still waiting at the end",
               "Waited so far (days)"]
    return [section("Results by place", lang), table(headers, rows, lang)]


def _by_group(run: RunView, summary: _Summary, lang: str) -> list[str]:
    segments = [segment.name for segment in run.scenario.segments]
    parts = [section("Results by group", lang)]
    rows = [[escape(run.scenario.segment_label(segment, lang))] + [
        number(summary.mean(name, segment), metric(name).unit, lang) for name in GROUP_METRICS
    ] for segment in segments]
    headers = ["Group", *(metric(name).label_in(lang) for name in GROUP_METRICS)]
    parts.append(table(headers, rows, lang))
    waited = [name for name in run.scenario.places
              if not math.isnan(summary.mean("mean_wait_days", "", name))]
    if waited:
        rows = [[escape(run.scenario.segment_label(segment, lang))] + [
            number(summary.mean("mean_wait_days", segment, place), "days", lang)
            for place in waited
        ] for segment in segments]
        parts.append(subsection(translate("Mean wait (days) by group and place", lang)))
        parts.append(table(["Group", *(run.scenario.place_label(p, lang) for p in waited)], rows,
                           lang))
    return parts


def _costs(run: RunView, summary: _Summary, lang: str) -> list[str]:
    """Present value by payer, adding up to the headline.

    The tax financing cost is its own line in the society perspective; payers outside
    the perspective are shown, marked as not counted.
    """
    meta, economics = run.scenario.meta, run.scenario.economics
    words = WORDS[lang]
    counted = {"municipality": ("municipality",), "public": ("municipality", "state"),
               "society": ("municipality", "state", "other")}[economics.perspective]
    payer_rows = []
    lines = [(payer, f"cost_pv_{payer}") for payer in ("municipality", "state", "other")]
    if economics.perspective == "society":
        lines.append(("tax financing cost", "tax_financing_cost_pv"))
    for payer, name in lines:
        mean, low, high = summary.get(name)
        shown = translate(payer, lang)
        if payer in ("municipality", "state", "other") and payer not in counted:
            shown += f" ({words['not_counted']})"
        payer_rows.append([escape(shown), number(mean, "", lang),
                           number(low, "", lang) + " – " + number(high, "", lang)])
    mean, low, high = summary.get("cost_pv")
    payer_rows.append([f"<b>{escape(translate('Total', lang))}</b>",
                       f"<b>{number(mean, '', lang)}</b>",
                       number(low, "", lang) + " – " + number(high, "", lang)])
    money = money_unit(meta.currency, meta.price_year, lang)
    return [
        section("Costs", lang),
        f"<p>{escape(words['costs_text'].format(money=money))}</p>",
        table(["Payer", "Present value", "95 % interval"], payer_rows, lang),
        figure_tag(figures.costs(run, "payer", lang), words["costs_caption"], lang),
        figure_tag(figures.costs(run, "place", lang), words["costs_caption"], lang),
    ]
