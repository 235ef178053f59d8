"""The one table of metrics: name, scope, unit, labels in English and bokmål, definition.

The command line, the reports, the figures, the spreadsheets, the comparison and the
documentation (``docs/metrics.md``) all read this table; nothing else defines a metric's
label or unit. Money units are written ``{money}`` and filled with the scenario's
currency and price year (``NOK (2025 prices)``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Scope = Literal["system", "place", "team", "money", "comparison"]
"""``system``: whole target group (``place`` empty); ``place``: one row per place;
``team``: one row per team (the team's name in the ``place`` column); ``money``: in the
scenario's perspective, whole system; ``comparison``: an alternative against the base."""


@dataclass(frozen=True)
class Metric:
    """One metric as every reader of results sees it."""

    name: str
    scope: Scope
    unit: str
    """English unit; ``{money}`` stands for the currency and price year."""
    unit_nb: str
    label: str
    """A short English label a planner understands."""
    label_nb: str
    definition: str
    """What is counted, over which window and how (English; shown in docs/metrics.md)."""
    by_segment: bool = False
    """Also reported for each segment (group of people), with the segment's name in the
    ``segment`` column; the total has an empty ``segment``."""

    def unit_in(self, money: str, lang: str = "en") -> str:
        """The unit with ``{money}`` filled in, in English or bokmål."""
        return (self.unit_nb if lang == "nb" else self.unit).replace("{money}", money)

    def label_in(self, lang: str = "en") -> str:
        """The label in English or bokmål."""
        return self.label_nb if lang == "nb" else self.label

    @property
    def bounds(self) -> tuple[float, float]:
        """The lowest and highest value the metric can take.

        From 0, and to 1 for a share; a difference between plans (scope ``comparison``)
        is unbounded.
        """
        if self.scope == "comparison":
            return -math.inf, math.inf
        return 0.0, 1.0 if self.unit == "share" else math.inf


WINDOW = "over the observed window (after the warm-up), per replication"
FAMILIES_ONLY = " Only for scenarios where a segment's households are more than one adult."
"""Said of the metrics that count persons beside households (analysis/households.py)."""

METRICS: tuple[Metric, ...] = (
    # ------------------------------------------------------------------ whole system
    Metric(
        "housing_retention_12m", "system", "share", "andel",
        "Still housed 12 months after a housing start",
        "Bor fortsatt 12 måneder etter innflytting",
        "Kaplan-Meier estimate, at 365 days, of the share of housing starts (a move into a "
        "housed place from a non-housed one) in the observed window that have not been in a "
        "homeless place since. Leaving the target group and the end of the horizon censor a "
        "spell (the person is counted as at risk until then), so early exits neither count "
        "as failures nor inflate the share.",
        by_segment=True,
    ),
    Metric(
        "homeless_days_per_person_year", "system", "days per person-year", "dager per personår",
        "Homeless days per person-year", "Bostedsløse dager per personår",
        "Person-days in homeless places (street, acute, temporary) divided by person-years "
        f"in the target group, {WINDOW}.",
        by_segment=True,
    ),
    Metric(
        "housed_share_end", "system", "share", "andel",
        "Housed at the end", "I bolig ved slutten",
        "Of the people present at the end of the horizon, the share in a housed place "
        "(shared, Housing First, ordinary).",
        by_segment=True,
    ),
    Metric(
        "breakdowns_per_100_person_years", "system", "per 100 person-years housed",
        "per 100 personår i bolig",
        "Breakdowns per 100 person-years housed", "Bostedsbrudd per 100 personår i bolig",
        "Breakdowns (evictions, lost tenancies, including those after crises) times 100, "
        f"divided by person-years in housed places, {WINDOW}.",
        by_segment=True,
    ),
    Metric("arrivals", "system", "people", "personer", "New people", "Nye personer",
           f"People who joined the target group, {WINDOW}.", by_segment=True),
    Metric("exits", "system", "people", "personer", "Left the target group",
           "Ute av målgruppen", f"People who left the target group, {WINDOW}.",
           by_segment=True),
    Metric("people_start", "system", "people", "personer", "People at the start",
           "Personer ved start", "People present when the observed window starts.",
           by_segment=True),
    Metric("people_end", "system", "people", "personer", "People at the end",
           "Personer ved slutten", "People present at the end of the horizon.",
           by_segment=True),
    Metric("person_years", "system", "person-years", "personår", "Person-years",
           "Personår", f"Time spent in the target group, {WINDOW}.", by_segment=True),
    Metric("housed_person_years", "system", "person-years", "personår",
           "Person-years housed", "Personår i bolig",
           f"Time spent in housed places, {WINDOW}.", by_segment=True),
    Metric("homeless_person_years", "system", "person-years", "personår",
           "Person-years homeless", "Personår som bostedsløs",
           f"Time spent in homeless places, {WINDOW}.", by_segment=True),
    Metric("mean_homeless_people", "system", "people", "personer",
           "Homeless on an average day", "Bostedsløse en gjennomsnittsdag",
           f"Time-average number of people in homeless places, {WINDOW}.", by_segment=True),
    Metric("mean_housed_people", "system", "people", "personer",
           "Housed on an average day", "I bolig en gjennomsnittsdag",
           f"Time-average number of people in housed places, {WINDOW}.", by_segment=True),
    # With families (segments.household, analysis/households.py): the metrics above count
    # households (one arrival is one household); these count the persons in them.
    Metric("arrivals_persons", "system", "persons", "personer",
           "New persons (adults and children)", "Nye personer (voksne og barn)",
           f"Adults and children in the households counted in arrivals, {WINDOW}."
           f"{FAMILIES_ONLY}", by_segment=True),
    *(Metric(f"mean_{where}_persons", "system", "persons", "personer", label, label_nb,
             "Time-average number of persons, adults and children, in the households in "
             f"{where} places, {WINDOW}.{FAMILIES_ONLY}", by_segment=True)
      for where, label, label_nb in (
          ("homeless", "Homeless persons on an average day (adults and children)",
           "Bostedsløse personer en gjennomsnittsdag (voksne og barn)"),
          ("housed", "Housed persons on an average day (adults and children)",
           "Personer i bolig en gjennomsnittsdag (voksne og barn)"))),
    Metric("crises_per_person_year", "system", "crises per person-year", "kriser per personår",
           "Crises per person-year", "Kriser per personår",
           f"Crises (handled and unhandled) divided by person-years, {WINDOW}.",
           by_segment=True),
    Metric(
        "unmet_crisis_share", "system", "share", "andel",
        "Unmet share of crises", "Andel kriser uten hjelp",
        "Crises that met no staff member free within the response limit (team closed, all "
        f"busy, or no team serves the place), divided by all crises, {WINDOW}. Also per "
        "place.",
        by_segment=True,
    ),
    Metric("emergency_events", "system", "events", "hendelser", "Emergencies",
           "Akutthendelser",
           "Emergencies after crises (police, ambulance, emergency room), including "
           f"admissions a full institution could not take, {WINDOW}.", by_segment=True),
    Metric("institution_days", "system", "person-days", "persondøgn", "Days in institutions",
           "Døgn i institusjon", f"Person-days in institution places, {WINDOW}.",
           by_segment=True),
    Metric(
        "waiting_end", "system", "people", "personer",
        "Still waiting at the end", "Venter fortsatt ved slutten",
        "People in a queue for a place at the end of the horizon (not yet admitted). Also "
        "per place: those waiting for that place.",
        by_segment=True,
    ),
    # ------------------------------------------- measures the municipality reports
    # With reporting.municipal_measures = true (analysis/municipal_measures.py).
    Metric(
        "temporary_stays_over_3_months", "system", "households per year",
        "husstander per år",
        "Households in temporary housing over 3 months",
        "Husstander i midlertidig botilbud over 3 måneder",
        "Households with a stay in temporary housing (places of kind acute or temporary: "
        "midlertidig botilbud; back-to-back stays are one stay) in a year that had lasted "
        "more than three months (91.25 days) by the end of the year or of the stay, "
        "averaged over the observed years. KOSTRA (SSB) asks municipalities for this "
        "count; the national goal is no stays over three months.",
        by_segment=True,
    ),
    Metric(
        "temporary_stays_over_3_months_share", "system", "share", "andel",
        "Share of temporary-housing stays over 3 months",
        "Andel opphold i midlertidig botilbud over 3 måneder",
        "temporary_stays_over_3_months divided by the households with a stay in "
        "temporary housing in the same years.",
        by_segment=True,
    ),
    Metric(
        "children_temporary_over_3_months", "system", "children per year", "barn per år",
        "Children in temporary housing over 3 months",
        "Barn i midlertidig botilbud over 3 måneder",
        "Children (segments.household.children) in the households counted in "
        "temporary_stays_over_3_months, per year. The national goal: no children in "
        "temporary housing over time.",
        by_segment=True,
    ),
    Metric(
        "child_days_temporary", "system", "child-days per year", "barnedøgn per år",
        "Child-days in temporary housing", "Barnedøgn i midlertidig botilbud",
        "Days households spent in temporary housing (kinds acute and temporary) times "
        "their children, per observed year.",
        by_segment=True,
    ),
    Metric(
        "temporary_households_week48", "system", "households", "husstander",
        "Households in temporary housing in week 48",
        "Husstander i midlertidig botilbud i uke 48",
        "Households in temporary housing at noon of day 332 of each observed year "
        "(week 48, when NIBR counts), averaged over the observed years.",
        by_segment=True,
    ),
    Metric(
        "temporary_children_week48", "system", "children", "barn",
        "Children in temporary housing in week 48", "Barn i midlertidig botilbud i uke 48",
        "Children in the households counted in temporary_households_week48.",
        by_segment=True,
    ),
    Metric(
        "homeless_week48", "system", "adults", "voksne",
        "Homeless in week 48 (NIBR)", "Bostedsløse i uke 48 (NIBR)",
        "Adults homeless in NIBR's sense at noon of day 332 of each observed year (week "
        "48), averaged over the observed years: in a street place (also hidden homeless, "
        "with family or friends), an acute or a temporary place, or in an institution "
        "with no unit kept for them, leaving within two months for a place that is not "
        "housing (NIBR-rapport 2021:10). Also per place: where they were counted.",
        by_segment=True,
    ),
    Metric(
        "homeless_children_week48", "system", "children", "barn",
        "Children with homeless adults in week 48", "Barn med bostedsløse voksne i uke 48",
        "Children in the households of the adults counted in homeless_week48 (NIBR counts "
        "them apart from the adults).",
        by_segment=True,
    ),
    Metric(
        "mean_hidden_people", "system", "people", "personer",
        "Hidden homeless on an average day", "Skjult bostedsløse en gjennomsnittsdag",
        "Time-average number of people in hidden places (places.<name>.hidden: sofa "
        "surfing unknown to the services) who have not yet been found by outreach or come "
        f"forward, {WINDOW}. Only for scenarios with a hidden place.",
    ),
    Metric(
        "found_by_outreach", "system", "people", "personer",
        "Found by outreach", "Funnet av oppsøkende team",
        "People found in a hidden place by an outreach team (teams.<name>.outreach), "
        f"{WINDOW}. Only for scenarios with a hidden place.",
        by_segment=True,
    ),
    Metric(
        "mean_days_to_be_found", "system", "days", "dager",
        "Mean time to be found", "Gjennomsnittlig tid før de blir funnet",
        "For the people found by outreach in the observed window, the mean number of days "
        "from entering the hidden place to being found (people who come forward on their "
        "own are not counted). Only for scenarios with a hidden place.",
        by_segment=True,
    ),
    # ------------------------------------------------------------------ per place
    Metric(
        "mean_wait_days", "place", "days", "dager", "Mean wait", "Gjennomsnittlig ventetid",
        "From joining the place's queue to admission, over admissions in the observed window "
        "of people headed for the place (completed waits only: see mean_open_wait_days for "
        "those still waiting).",
        by_segment=True,
    ),
    Metric("p90_wait_days", "place", "days", "dager", "90th percentile wait",
           "90-persentil ventetid",
           "The 90th percentile of the same waits as mean_wait_days.", by_segment=True),
    Metric(
        "mean_open_wait_days", "place", "days", "dager",
        "Mean wait so far of those still waiting", "Ventetid så langt for dem som venter",
        "For the people still in the place's queue at the end of the horizon, the mean "
        "number of days they have waited so far. Large values beside a small mean_wait_days "
        "mean waits are growing: the completed waits understate them.",
        by_segment=True,
    ),
    Metric("mean_queue", "place", "people", "personer", "Mean queue", "Gjennomsnittlig kø",
           f"Time-average number of people waiting for the place, {WINDOW}."),
    Metric("mean_occupancy", "place", "units", "enheter", "Mean occupancy",
           "Gjennomsnittlig belegg",
           "Time-average occupied units (including units kept for residents away in an "
           f"institution), {WINDOW}."),
    Metric("utilization", "place", "share", "andel", "Utilization", "Utnyttelse",
           "Mean occupancy divided by the mean capacity over the observed years (empty for "
           "unlimited places)."),
    Metric("blocked_days", "place", "person-days", "persondøgn", "Blocked days",
           "Døgn i opphopning",
           "Person-days spent in the place by people whose stay had ended and who waited "
           f"there for their next place (opphopning), {WINDOW}."),
    # ------------------------------------------------------------------ per team
    Metric(
        "staff_utilization", "team", "share of working hours", "andel av arbeidstiden",
        "Staff utilization", "Utnyttelse av bemanningen",
        "Staff hours spent on crises plus routine follow-up of residents, divided by the "
        f"team's working hours (FTE x hours per FTE-year), {WINDOW}.",
    ),
    # ------------------------------------------------------------------ money
    Metric("cost_total", "money", "{money}", "{money}", "Cost, undiscounted",
           "Kostnad, udiskontert",
           "Every priced line in the scenario's perspective, summed over the observed "
           "years, not discounted."),
    Metric("cost_pv", "money", "{money}", "{money}", "Cost, present value",
           "Kostnad, nåverdi",
           "The same, discounted to the start of the observed window (R-109)."),
    Metric("cost_per_person_year", "money", "{money} per person-year", "{money} per personår",
           "Cost per person-year", "Kostnad per personår",
           "cost_total divided by person-years in the target group."),
    Metric("cost_per_housed_year", "money", "{money} per housed person-year",
           "{money} per personår i bolig", "Cost per housed person-year",
           "Kostnad per personår i bolig", "cost_total divided by person-years housed."),
    Metric("cost_pv_municipality", "money", "{money}", "{money}",
           "Present value paid by the municipality", "Nåverdi betalt av kommunen",
           "Discounted cost of the lines the municipality pays, whatever the perspective."),
    Metric("cost_pv_state", "money", "{money}", "{money}", "Present value paid by the state",
           "Nåverdi betalt av staten",
           "Discounted cost of the lines the state pays, whatever the perspective."),
    Metric("cost_pv_other", "money", "{money}", "{money}", "Present value paid by others",
           "Nåverdi betalt av andre",
           "Discounted cost of the lines other payers pay, whatever the perspective."),
    Metric("tax_financing_cost_pv", "money", "{money}", "{money}",
           "Tax financing cost, present value", "Skattefinansieringskostnad, nåverdi",
           "economics.tax_financing_cost (R-109: 20 %) times the discounted public "
           "(municipality and state) cost; counted in the society perspective only."),
    Metric("housed_person_years_pv", "money", "person-years (discounted)",
           "personår (diskontert)", "Housed person-years, discounted",
           "Personår i bolig, diskontert",
           "Person-years housed in each observed year, discounted like money."),
    # ------------------------------------------------------------------ comparisons
    Metric("incremental_cost", "comparison", "{money}", "{money}", "Extra cost, undiscounted",
           "Merkostnad, udiskontert",
           "cost_total of the plan minus the base's, paired by replication."),
    Metric("incremental_cost_pv", "comparison", "{money}", "{money}",
           "Extra cost, present value", "Merkostnad, nåverdi",
           "cost_pv of the plan minus the base's, paired by replication."),
    Metric("incremental_housed_person_years", "comparison", "person-years", "personår",
           "Extra housed person-years", "Flere personår i bolig",
           "housed_person_years of the plan minus the base's."),
    Metric("incremental_housed_person_years_pv", "comparison", "person-years (discounted)",
           "personår (diskontert)", "Extra housed person-years (discounted)",
           "Flere personår i bolig (diskontert)",
           "housed_person_years_pv of the plan minus the base's."),
    Metric("homeless_days_avoided", "comparison", "person-days", "persondøgn",
           "Homeless days avoided", "Unngåtte bostedsløse døgn",
           "Homeless person-days of the base minus the plan's."),
    Metric("icer_cost_per_housed_year", "comparison", "{money} per housed person-year",
           "{money} per personår i bolig", "Cost per extra housed person-year (ICER)",
           "Kostnad per ekstra personår i bolig (ICER)",
           "Mean incremental_cost_pv divided by mean incremental_housed_person_years_pv, "
           "with a paired-bootstrap 95 % interval (left empty when the effect's own interval "
           "includes 0). A plan that costs less and houses more is called dominant instead."),
    Metric("cost_per_homeless_day_avoided", "comparison", "{money} per homeless day avoided",
           "{money} per unngått bostedsløs døgn", "Cost per homeless day avoided",
           "Kostnad per unngått bostedsløs døgn",
           "Mean incremental_cost_pv divided by mean homeless_days_avoided, as the ICER."),
    Metric("incremental_cost_pv_municipality", "comparison", "{money}", "{money}",
           "Extra cost to the municipality, present value", "Merkostnad for kommunen, nåverdi",
           "cost_pv_municipality of the plan minus the base's, paired by replication, "
           "whatever the perspective."),
    Metric("incremental_cost_pv_state", "comparison", "{money}", "{money}",
           "Extra cost to the state, present value", "Merkostnad for staten, nåverdi",
           "cost_pv_state of the plan minus the base's, paired by replication."),
    Metric("incremental_cost_pv_other", "comparison", "{money}", "{money}",
           "Extra cost to other payers, present value",
           "Merkostnad for andre betalere, nåverdi",
           "cost_pv_other of the plan minus the base's, paired by replication."),
    Metric("incremental_tax_financing_cost_pv", "comparison", "{money}", "{money}",
           "Extra tax financing cost, present value",
           "Økt skattefinansieringskostnad, nåverdi",
           "tax_financing_cost_pv of the plan minus the base's: the cost of raising the "
           "extra public money (R-109: 20 %), counted in the society perspective."),
    Metric("incremental_cost_pv_public", "comparison", "{money}", "{money}",
           "Extra public cost (municipality and state), present value",
           "Offentlig merkostnad (kommune og stat), nåverdi",
           "incremental_cost_pv_municipality plus incremental_cost_pv_state."),
    Metric("incremental_cost_pv_society", "comparison", "{money}", "{money}",
           "Extra cost to society, present value", "Samfunnsøkonomisk merkostnad, nåverdi",
           "Every payer's extra present value plus the extra tax financing cost (R-109)."),
    Metric("icer_cost_per_housed_year_municipality", "comparison",
           "{money} per housed person-year", "{money} per personår i bolig",
           "Municipality's cost per extra housed person-year",
           "Kommunens kostnad per ekstra personår i bolig",
           "Mean incremental_cost_pv_municipality divided by mean "
           "incremental_housed_person_years_pv, with an interval as for the ICER."),
    Metric("icer_cost_per_housed_year_public", "comparison",
           "{money} per housed person-year", "{money} per personår i bolig",
           "Public cost per extra housed person-year",
           "Offentlig kostnad per ekstra personår i bolig",
           "Mean incremental_cost_pv_public divided by mean "
           "incremental_housed_person_years_pv, with an interval as for the ICER."),
    Metric("icer_cost_per_housed_year_society", "comparison",
           "{money} per housed person-year", "{money} per personår i bolig",
           "Society's cost per extra housed person-year",
           "Samfunnets kostnad per ekstra personår i bolig",
           "Mean incremental_cost_pv_society divided by mean "
           "incremental_housed_person_years_pv, with an interval as for the ICER."),
    Metric("npv_priced", "comparison", "{money}", "{money}",
           "Net present value of priced effects", "Netto nåverdi av prissatte virkninger",
           "Minus incremental_cost_pv: the priced part of an R-109 analysis (effects that "
           "cannot be priced are judged beside it)."),
)

BY_NAME: dict[str, Metric] = {metric.name: metric for metric in METRICS}


def metric(name: str) -> Metric:
    """The metric called ``name``.

    Raises:
        KeyError: for a name the table does not have.

    """
    return BY_NAME[name]


def bounds_of(name: str) -> tuple[float, float]:
    """The values a metric can take (no bounds for a name the table does not have)."""
    found = BY_NAME.get(name)
    return found.bounds if found else (-math.inf, math.inf)


def names(*scopes: Scope) -> tuple[str, ...]:
    """Metric names of the given scopes, in table order."""
    return tuple(m.name for m in METRICS if m.scope in scopes)


def unit_of(name: str, money: str, lang: str = "en") -> str:
    """The unit of a metric (empty for a name the table does not have)."""
    found = BY_NAME.get(name)
    return found.unit_in(money, lang) if found else ""


def label_of(name: str, lang: str = "en") -> str:
    """The label of a metric (its name for a name the table does not have)."""
    found = BY_NAME.get(name)
    return found.label_in(lang) if found else name


def money_unit(currency: str, price_year: int, lang: str = "en") -> str:
    """``NOK (2025 prices)``, or ``kr (2025-priser)`` in bokmål for NOK."""
    if lang == "nb":
        return f"{'kr' if currency == 'NOK' else currency} ({price_year}-priser)"
    return f"{currency} ({price_year} prices)"
