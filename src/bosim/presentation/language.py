"""The words of reports and figures, in English and Norwegian bokmål (``--lang nb``)."""

from __future__ import annotations

LANGUAGES = ("en", "nb")

NB: dict[str, str] = {
    # section titles
    "Key results": "Hovedresultater",
    "What was simulated": "Hva som ble simulert",
    "Places": "Botilbud og steder",
    "Staff and service hours": "Bemanning og åpningstider",
    "Groups of people": "Grupper av personer",
    "Occupancy and queues over time": "Belegg og køer over tid",
    "Waiting times": "Ventetider",
    "Flows between places": "Flyt mellom botilbud",
    "Housing retention": "Bostabilitet",
    "Costs": "Kostnader",
    "What the model does not capture": "Hva modellen ikke fanger opp",
    "Differences from the base": "Forskjeller fra nullalternativet",
    "Costs and what they buy": "Kostnader og hva de gir",
    "Results by place": "Resultater per sted",
    "Results by group": "Resultater per gruppe",
    "Mean wait (days) by group and place": "Gjennomsnittlig ventetid (dager) per gruppe og sted",
    "Still waiting at the end": "Venter fortsatt ved slutten",
    "Waited so far (days)": "Ventet så langt (dager)",
    # table headers and words
    "Place": "Sted", "Kind": "Type", "Capacity": "Kapasitet",
    "Mean occupancy": "Gj.snittlig belegg",
    "Utilization": "Utnyttelse", "Mean wait (days)": "Gj.snittlig ventetid (dager)",
    "90th pct. wait (days)": "90-persentil ventetid (dager)", "Mean queue": "Gj.snittlig kø",
    "Stay (mean days)": "Opphold (gj.snitt dager)", "Team": "Team", "Serves": "Betjener",
    "Hours": "Åpningstid", "FTE": "Årsverk", "Staff on duty": "Ansatte på vakt",
    "Group": "Gruppe", "Arrivals per year": "Nye per år", "At start": "Ved start",
    "Crises per person-year": "Kriser per personår", "unlimited": "ubegrenset",
    "none": "ingen", "Plan": "Alternativ", "Result": "Resultat", "Base": "Nullalternativ",
    "Difference (95 % interval)": "Forskjell (95 % intervall)",
    "Economic result": "Økonomisk resultat", "Value (95 % interval)": "Verdi (95 % intervall)",
    "Payer": "Betaler", "Cost per year": "Kostnad per år",
    "municipality": "kommunen", "state": "staten", "other": "andre",
    "public": "offentlig", "society": "samfunnet",
    "million": "millioner", "present value": "nåverdi",
    "street": "gate", "acute": "akutt", "temporary": "midlertidig", "shared": "bofellesskap",
    "housing_first": "Housing First", "ordinary": "ordinær bolig",
    "institution": "institusjon",
    # figure texts
    "years from start of observed window": "år fra start av observasjonsperioden",
    "people (monthly mean)": "personer (månedsgjennomsnitt)",
    "people waiting (monthly mean)": "ventende personer (månedsgjennomsnitt)",
    "capacity": "kapasitet", "median": "median",
    "10-90 % of replications": "10-90 % av replikasjonene",
    "wait (days)": "ventetid (dager)",
    "months since housing start": "måneder siden innflytting",
    "share not homeless": "andel ikke bostedsløs",
    "12 months": "12 måneder",
    "observed year": "observasjonsår",
    "arrivals": "nye", "exits": "ut av målgruppen",
    "moves per year (mean over replications)":
        "flyttinger per år (gjennomsnitt over replikasjoner)",
    "from": "fra", "to": "til",
    "difference from the base": "forskjell fra nullalternativet",
    "share": "andel", "days per person-year": "dager per personår",
    "per 100 person-years housed": "per 100 personår i bolig",
    "per person-year": "per personår",
    "extra housed person-years (discounted) against the base":
        "flere personår i bolig (diskontert) enn nullalternativet",
    "extra cost, present value": "merkostnad, nåverdi",
    "Cost-effect plane: one dot per replication":
        "Kostnad-effekt-planet: ett punkt per replikasjon",
    "Sweep": "Parametervariasjon", "mean and 95 % interval": "gjennomsnitt og 95 % intervall",
    "Made by bosim. All metrics at every point are in sweep.csv.":
        "Laget med bosim. Alle resultater i hvert punkt finnes i sweep.csv.",
    # comparisons
    "Still housed 12 months after a housing start": "Bor fortsatt 12 måneder etter innflytting",
    "Homeless days per person-year": "Bostedsløse dager per personår",
    "Breakdowns per 100 person-years housed": "Bostedsbrudd per 100 personår i bolig",
    "Unmet share of crises": "Andel kriser uten hjelp",
    "Cost per person-year": "Kostnad per personår",
    "Extra cost, present value": "Merkostnad, nåverdi",
    "Extra housed person-years (discounted)": "Flere personår i bolig (diskontert)",
    "Cost per extra housed person-year (ICER)": "Kostnad per ekstra personår i bolig (ICER)",
    "Homeless days avoided": "Unngåtte bostedsløse dager",
    "Cost per homeless day avoided": "Kostnad per unngått bostedsløs dag",
    "Net present value of priced effects (minus extra cost)":
        "Netto nåverdi av prissatte virkninger (minus merkostnad)",
    "dominant: costs less and houses more than the base":
        "dominerende: koster mindre og gir flere i bolig enn nullalternativet",
    "dominated: costs more and houses fewer than the base":
        "dominert: koster mer og gir færre i bolig enn nullalternativet",
    "Differences from the base, 95 % intervals.":
        "Forskjeller fra nullalternativet, 95 % intervaller.",
    "Each dot is one replication: extra cost against extra housing.":
        "Hvert punkt er én replikasjon: merkostnad mot flere i bolig.",
    "Made by bosim. Each plan's full results are in runs/ beside this file.":
        "Laget med bosim. Hvert alternativs fulle resultater ligger i runs/ ved siden av "
        "denne filen.",
}
"""English text to bokmål."""


def translate(text: str, lang: str) -> str:
    """The text in ``lang`` (English is the key; unknown text stays as it is)."""
    if lang == "nb":
        return NB.get(text, text)
    return text
