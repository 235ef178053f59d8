"""The words of reports and figures, in English and Norwegian bokmål (``--lang nb``)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bosim.presentation.numbers import plain_number, significant
from bosim.scenario import Scenario

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
    "none": "ingen", "yes": "ja", "no": "nei",
    "Plan": "Alternativ", "Result": "Resultat", "Base": "Nullalternativ",
    "Difference (95 % interval)": "Forskjell (95 % intervall)",
    "Economic result": "Økonomisk resultat", "Value (95 % interval)": "Verdi (95 % intervall)",
    "Payer": "Betaler", "Cost per year": "Kostnad per år",
    "municipality": "kommunen", "state": "staten", "other": "andre",
    "public": "det offentlige (kommune og stat)", "society": "samfunnet",
    "tax financing cost": "skattefinansieringskostnad",
    "other (small moves)": "andre (små flyttestrømmer)",
    "percentage points": "prosentpoeng",
    "Total": "Sum", "Present value": "Nåverdi", "95 % interval": "95 % intervall",
    "Other": "Andre", "other places": "andre steder",
    "low value": "lav verdi", "high value": "høy verdi",
    "million": "mill.", "by place and team": "etter sted og team", "present value": "nåverdi",
    "street": "uten tak over hodet", "acute": "akuttovernatting",
    "temporary": "midlertidig botilbud", "shared": "bofellesskap",
    "housing_first": "Housing First", "ordinary": "ordinær bolig",
    "institution": "institusjon", "exponential": "eksponentiell",
    "lognormal": "lognormal", "gamma": "gamma", "fixed": "fast", "uniform": "uniform",
    "fifo": "først til mølla", "wait": "venter", "leave": "drar",
    "segment": "etter gruppe", "triangular": "triangulær", "weibull": "Weibull",
    "empirical": "empirisk", "normal": "normal", "beta": "beta", "mean": "gjennomsnitt",
    "sd": "standardavvik", "alpha": "alfa",
    # probabilistic and one-way sensitivity analysis
    "per housed person-year": "per personår i bolig",
    "probability of the best value": "sannsynlighet for mest for pengene",
    "incremental_net_benefit": "Netto nytte mot nullalternativet",
    "net_benefit": "netto nytte",
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


SETTING_WORDS = {
    "en": {
        "places": "", "teams": "team", "segments": "group", "capacity": "capacity",
        "kind": "kind", "fte": "FTE", "hours": "hours", "serves": "serves",
        "cost_per_fte_year": "cost per FTE-year", "payer": "payer",
        "hours_per_fte_year": "hours per FTE-year",
        "followup_hours_per_resident_week": "follow-up hours per resident and week",
        "response_limit_hours": "response limit (hours)", "handling_hours": "crisis handling",
        "mean": "mean", "dist": "distribution", "stay": "stay (days)",
        "cost_per_unit_day": "cost per unit-day", "cost_per_occupied_day":
            "cost per occupied day", "cost_per_admission": "cost per admission",
        "cost_per_breakdown": "cost per breakdown", "when_ready": "when ready",
        "routes": "routes", "uncertainty": "uncertain number", "path": "setting",
        "policy": "policy", "waiting": "waiting in", "economics": "economics",
        "simulation": "simulation", "arrivals_per_year": "arrivals per year",
        "initial": "at start", "crisis": "crises", "rate_per_year": "per year",
    },
    "nb": {
        "places": "", "teams": "team", "segments": "gruppe", "capacity": "kapasitet",
        "kind": "type", "fte": "årsverk", "hours": "åpningstid", "serves": "betjener",
        "cost_per_fte_year": "kostnad per årsverk", "payer": "betaler",
        "hours_per_fte_year": "timer per årsverk",
        "followup_hours_per_resident_week": "oppfølgingstimer per beboer og uke",
        "response_limit_hours": "responstid (timer)", "handling_hours": "krisehåndtering",
        "mean": "gjennomsnitt", "dist": "fordeling", "stay": "opphold (dager)",
        "cost_per_unit_day": "kostnad per enhetsdøgn", "cost_per_occupied_day":
            "kostnad per belagt døgn", "cost_per_admission": "kostnad per innflytting",
        "cost_per_breakdown": "kostnad per bostedsbrudd", "when_ready": "når klar",
        "routes": "veier videre", "uncertainty": "usikkert tall", "path": "innstilling",
        "policy": "regler", "waiting": "venter i", "economics": "økonomi",
        "simulation": "simulering", "arrivals_per_year": "nye per år",
        "initial": "ved start", "crisis": "kriser", "rate_per_year": "per år",
    },
}
"""Words for the keys of a scenario file, for the table of what differs between plans."""


def setting_words(setting: str, scenarios: Mapping[str, Scenario], lang: str) -> str:
    """A dotted scenario key in words: ``places.flats.capacity`` -> ``Flats: capacity``.

    Places, teams and groups are named by their labels (from the first plan that has them).
    """
    words = SETTING_WORDS[lang]
    parts = setting.split(".")
    named = ""
    if len(parts) >= 2 and parts[0] in ("places", "teams", "segments"):
        key = parts[1]
        for scenario in scenarios.values():
            if parts[0] == "places" and key in scenario.places:
                named = scenario.place_label(key, lang)
            elif parts[0] == "teams" and key in scenario.teams:
                named = scenario.team_label(key, lang)
            elif parts[0] == "segments":
                named = scenario.segment_label(key, lang)
            if named:
                break
        # "team hf_team" says what a bare key is; a label says it already
        prefix = words[parts[0]] if named in ("", key) else ""
        named = f"{prefix} {named or key}".strip() if prefix else named
        parts = parts[2:]
    names = display_names(scenarios, lang)
    rest = " ".join(names.get(part) or words.get(part, translate(part, lang)) for part in parts)
    if named:
        return f"{named}: {rest}" if rest else named
    return rest[:1].upper() + rest[1:]


PLACE_VALUES = frozenset({"serves", "waiting", "institution"})
"""Settings whose values name places (``teams.<team>.serves``, ``policy.waiting``)."""


def display_names(scenarios: Mapping[str, Scenario], lang: str) -> dict[str, str]:
    """The label of every place, team and group key of the plans (the first plan's wins)."""
    names: dict[str, str] = {}
    for scenario in reversed(list(scenarios.values())):
        names.update({key: scenario.segment_label(key, lang)
                      for key in (segment.name for segment in scenario.segments)})
        names.update({key: scenario.team_label(key, lang) for key in scenario.teams})
        names.update({key: scenario.place_label(key, lang) for key in scenario.places})
    return names


def value_words(value: object, lang: str, setting: str = "",
                names: Mapping[str, str] | None = None) -> str:
    """A setting's value for a reader: numbers in the language's format, names translated.

    ``setting`` is the dotted key the value belongs to; ``names`` the labels of places,
    teams and groups (:func:`display_names`), used for route tables, ``serves`` and
    ``policy.waiting``.
    """
    names = names or {}
    last = setting.rsplit(".", 1)[-1]
    if last == "hours" and isinstance(value, str | list):
        return hours_words(value, lang)
    if value is None:
        return "–"
    if isinstance(value, bool):
        return translate("yes" if value else "no", lang)
    if isinstance(value, int | float):
        return significant(float(value), lang) if value != int(value) else plain_number(
            float(value), 0, lang)
    if isinstance(value, list):
        return ", ".join(value_words(item, lang, setting, names) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{names.get(str(key)) or words_of(str(key), lang)} "
                         f"{value_words(item, lang, str(key), names)}"
                         for key, item in value.items())
    if last in PLACE_VALUES and str(value) in names:
        return names[str(value)]
    if lang == "en" and str(value) in KIND_WORDS:
        return KIND_WORDS[str(value)]
    return translate(str(value), lang)


KIND_WORDS = {"housing_first": "Housing First", "shared": "shared housing",
              "ordinary": "ordinary dwelling", "acute": "acute shelter",
              "temporary": "temporary housing"}
"""Place kinds in English words (the file's keys otherwise show as written)."""


def words_of(key: str, lang: str) -> str:
    """A scenario key in words (:data:`SETTING_WORDS`), else translated as it is."""
    return SETTING_WORDS[lang].get(key, translate(key, lang))


HOURS_WORDS = {
    "nb": {"24/7": "døgnet rundt", "closed": "stengt", "daily": "alle dager",
           "mon": "man", "tue": "tir", "wed": "ons", "thu": "tor", "fri": "fre",
           "sat": "lør", "sun": "søn"},
}
"""Words of service hours (``mon-fri 08:00-16:00``) in bokmål; English shows them as written."""


def hours_words(hours: str | list[str] | list[list[str]], lang: str) -> str:
    """A team's service hours for a reader: ``man-fre 08:00-16:00`` in bokmål.

    A plan with one list of times per year reads as the years' hours joined by `` / ``.
    """
    if isinstance(hours, list) and hours and isinstance(hours[0], list):
        return " / ".join(hours_words(year, lang) for year in hours)
    spans = [hours] if isinstance(hours, str) else hours
    words = HOURS_WORDS.get(lang, {})
    shown = []
    for span in spans:
        text = str(span).strip()
        if text in words:
            shown.append(words[text])
            continue
        days, _, times = text.partition(" ")
        for english, bokmal in words.items():
            days = re.sub(rf"\b{re.escape(english)}\b", bokmal, days)
        shown.append(f"{days} {times}".strip())
    return "; ".join(shown)


def money_word(currency: str, lang: str) -> str:
    """The currency as a reader of ``lang`` writes it: ``kr`` for NOK in bokmål."""
    return "kr" if lang == "nb" and currency == "NOK" else currency


def translate(text: str, lang: str) -> str:
    """The text in ``lang`` (English is the key; unknown text stays as it is)."""
    if lang == "nb":
        return NB.get(text, text)
    return text
