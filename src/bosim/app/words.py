"""The app's own text in English and Norwegian bokmål.

Results, metric names and reports come in their language from the layers below; these
are the words of the app's pages: buttons, headings, the names of the keys in the form.
"""

from __future__ import annotations

LANGUAGE_NAMES = {"en": "English", "nb": "Norsk bokmål"}

KEY_WORDS = {
    "en": {
        "capacity": "Capacity (units: a number, unlimited, or one per year: [10, 12, 16])",
        "cost_per_unit_day": "Price per unit and day, used or not ({money})",
        "cost_per_occupied_day": "Price per occupied day ({money})",
        "cost_per_admission": "Price per admission ({money})",
        "cost_per_breakdown": "Price per breakdown, e.g. an eviction ({money})",
        "arrivals_per_year": "New people per year (a number, or one per year: [12, 14])",
        "exit_rate_per_year": "Leaving the target group, per person-year",
        "fte": "Full-time equivalents (FTE)",
        "hours": "Service hours, e.g. 24/7 or mon-fri 08:00-16:00",
        "cost_per_fte_year": "Cost per full-time year ({money})",
        "followup_hours_per_resident_week": "Follow-up hours per resident and week",
    },
    "nb": {
        "capacity": "Kapasitet (enheter: et tall, unlimited, eller ett per år: [10, 12, 16])",
        "cost_per_unit_day": "Pris per enhet og døgn, brukt eller ikke ({money})",
        "cost_per_occupied_day": "Pris per belagt døgn ({money})",
        "cost_per_admission": "Pris per inntak ({money})",
        "cost_per_breakdown": "Pris per bostedsbrudd, f.eks. en utkastelse ({money})",
        "arrivals_per_year": "Nye personer per år (et tall, eller ett per år: [12, 14])",
        "exit_rate_per_year": "Går ut av målgruppen, per personår",
        "fte": "Årsverk",
        "hours": "Åpningstid, f.eks. 24/7 eller mon-fri 08:00-16:00",
        "cost_per_fte_year": "Kostnad per årsverk ({money})",
        "followup_hours_per_resident_week": "Oppfølgingstimer per beboer og uke",
    },
}
"""What each key of the form means, with its unit (``{money}``: the scenario's currency)."""

WORDS = {
    "en": {
        "title": "bosim: housing and staffing plans",
        "language": "Language",
        "scenario": "Scenario",
        "bundled": "A bundled scenario",
        "own_file": "Or your own scenario file (path)",
        "open": "Open",
        "replications": "Replications (more: narrower intervals, longer runs)",
        "plan": "Plan",
        "results": "Results",
        "places": "Places",
        "segments": "Groups of people",
        "teams": "Teams",
        "no_teams": "This scenario has no teams.",
        "run": "Run this plan",
        "compare": "Compare with the base",
        "compare_also": "Also compare with",
        "cancel": "Cancel",
        "save_name": "Name of the new plan",
        "save": "Save as a new plan",
        "saved": "Saved as {path}: it extends {original} and holds only your changes.",
        "changes": "Your changes: {count}",
        "no_changes": "No changes yet: the plan is the scenario file as it is.",
        "problems": "The plan cannot be run until these are fixed:",
        "ok": "The plan is valid.",
        "progress": "{done} of {total} replications",
        "writing": "Writing the report and the spreadsheet…",
        "cancelled": "Cancelled: the run was stopped and nothing was written.",
        "failed": "The run failed:",
        "running": "A run is going on: wait for it or cancel it first.",
        "nothing_to_compare": "Change something in the plan, or choose a plan to compare "
                              "with, first.",
        "key_results": "Key results (mean and 95 % interval over the replications)",
        "who_pays": "Who pays: extra cost against the base, present value, million {money} "
                    "(95 % interval)",
        "differences": "Differences from the base",
        "written": "Results folder: {folder}",
        "download_report": "Download the report (HTML)",
        "download_spreadsheet": "Download the spreadsheet (Excel)",
        "no_results": "No results yet: change the plan and press Run or Compare.",
        "base_is": "Base: {base}",
        "warnings": "Warnings",
        "base_plan": "the scenario file as it is",
        "changed_plan": "{name} (changed)",
    },
    "nb": {
        "title": "bosim: bolig- og bemanningsplaner",
        "language": "Språk",
        "scenario": "Scenario",
        "bundled": "Et medfølgende scenario",
        "own_file": "Eller din egen scenariofil (sti)",
        "open": "Åpne",
        "replications": "Replikasjoner (flere: smalere intervaller, lengre kjøring)",
        "plan": "Plan",
        "results": "Resultater",
        "places": "Botilbud",
        "segments": "Grupper av personer",
        "teams": "Team",
        "no_teams": "Dette scenariet har ingen team.",
        "run": "Kjør denne planen",
        "compare": "Sammenlign med nullalternativet",
        "compare_also": "Sammenlign også med",
        "cancel": "Avbryt",
        "save_name": "Navn på den nye planen",
        "save": "Lagre som ny plan",
        "saved": "Lagret som {path}: den bygger på {original} og inneholder bare endringene "
                 "dine.",
        "changes": "Dine endringer: {count}",
        "no_changes": "Ingen endringer ennå: planen er scenariofilen slik den er.",
        "problems": "Planen kan ikke kjøres før dette er rettet:",
        "ok": "Planen er gyldig.",
        "progress": "{done} av {total} replikasjoner",
        "writing": "Skriver rapporten og regnearket …",
        "cancelled": "Avbrutt: kjøringen ble stoppet, og ingenting ble skrevet.",
        "failed": "Kjøringen feilet:",
        "running": "En kjøring pågår: vent på den eller avbryt den først.",
        "nothing_to_compare": "Endre noe i planen, eller velg en plan å sammenligne med, "
                              "først.",
        "key_results": "Hovedresultater (gjennomsnitt og 95 % intervall over replikasjonene)",
        "who_pays": "Hvem betaler: merkostnad mot nullalternativet, nåverdi, mill. {money} "
                    "(95 % intervall)",
        "differences": "Forskjeller fra nullalternativet",
        "written": "Resultatmappe: {folder}",
        "download_report": "Last ned rapporten (HTML)",
        "download_spreadsheet": "Last ned regnearket (Excel)",
        "no_results": "Ingen resultater ennå: endre planen og trykk Kjør eller Sammenlign.",
        "base_is": "Nullalternativ: {base}",
        "warnings": "Advarsler",
        "base_plan": "scenariofilen slik den er",
        "changed_plan": "{name} (endret)",
    },
}
"""The app's words by language; every language has every key (a test checks)."""


def word(key: str, lang: str, **values: object) -> str:
    """The app's text for ``key`` in ``lang``, with ``values`` filled in."""
    return WORDS[lang][key].format(**values)


def key_word(key: str, lang: str, money: str) -> str:
    """What a key of the form means, in ``lang``, with the currency filled in."""
    return KEY_WORDS[lang][key].format(money=money)
