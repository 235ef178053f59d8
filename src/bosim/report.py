"""``report.html``: one self-contained page a planner can read, forward and print.

Figures are PNGs embedded as data URIs; there are no scripts, fonts or links to anything
outside the file. ``lang="nb"`` writes the same report in Norwegian bokmål.
"""

from __future__ import annotations

import base64
import html
import io
import math
from typing import TYPE_CHECKING, Any

from matplotlib.figure import Figure

from bosim import plot
from bosim.language import translate
from bosim.metrics import UNITS

if TYPE_CHECKING:
    from bosim.comparison import Comparison
    from bosim.sweeping import Sweep

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 62rem; margin: 2rem auto; color: #222;
       line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem;
     border-bottom: 1px solid #ccc; } h3 { font-size: 1.05rem; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #e3e3e3; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; page-break-inside: avoid; } img { max-width: 100%; }
.note { color: #555; font-size: 0.9rem; }
@media print { body { max-width: none; } h2 { page-break-after: avoid; } }
"""

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
        ("mean_homeless_people", "personer var bostedsløse en gjennomsnittlig dag (gate, "
         "akuttovernatting, midlertidig botilbud)"),
        ("housed_share_end", "av personene i målgruppen bodde i egen eller tilrettelagt bolig "
         "ved slutten"),
        ("breakdowns_per_100_person_years", "bostedsbrudd (utkastelser, tapte leieforhold) per "
         "100 personår i bolig"),
        ("unmet_crisis_share", "av krisene møtte ingen ansatt som kunne hjelpe"),
    ),
}

INTERVAL = {"en": "95 % interval {} to {}", "nb": "95 % intervall {} til {}"}

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
        "costs_text": "Present value of all costs over the observed years, by payer:",
        "total": "Total in the {perspective} perspective",
        "occupancy_caption": "Occupied units by place: median over replications (line), "
                             "10-90 % of replications (band), capacity (dashed). Left of 0: "
                             "warm-up.",
        "queue_caption": "People waiting for each place (headed there, not yet admitted).",
        "waits_caption": "Waits from joining a place's queue to admission, in days.",
        "flows_caption": "Moves between places per year in the observed window.",
        "retention_caption": "Kaplan-Meier estimate with 95 % interval.",
        "costs_caption": "Cost per observed year, mean over replications, not discounted.",
    },
    "nb": {
        "made_by": "Laget med bosim {version}. Inndata, versjoner og frø finnes i "
                   "manifest.json ved siden av denne filen.",
        "simulated": "{years} observerte år etter {warmup} år innsvingning, {replications} "
                     "replikasjoner, frø {seed}, bosim {version}. Beløp i {currency}, "
                     "{price_year}-priser, perspektiv: {perspective}.",
        "retention_text": "Kurven viser, av alle som flyttet inn i en bolig fra "
                          "bostedsløshet i de observerte årene, andelen som ennå ikke var "
                          "tilbake i et bostedsløst tilbud etter et antall måneder.",
        "costs_text": "Nåverdi av alle kostnader i de observerte årene, etter betaler:",
        "total": "Sum i perspektivet {perspective}",
        "occupancy_caption": "Belegg per sted: median over replikasjoner (linje), 10-90 % "
                             "av replikasjonene (bånd), kapasitet (stiplet). Til venstre for "
                             "0: innsvingning.",
        "queue_caption": "Personer som venter på hvert sted (på vei dit, ikke tatt inn).",
        "waits_caption": "Ventetid fra personen står i kø til innflytting, i dager.",
        "flows_caption": "Flyttinger mellom steder per år i observasjonsperioden.",
        "retention_caption": "Kaplan-Meier-estimat med 95 % intervall.",
        "costs_caption": "Kostnad per observasjonsår, gjennomsnitt over replikasjoner, "
                         "ikke diskontert.",
    },
}


def _number(value: object, unit: str) -> str:
    number = float(value)  # type: ignore[arg-type]
    if number != number:  # NaN
        return "–"
    if unit == "share":
        return f"{number:.0%}"
    if abs(number) >= 100:
        return f"{number:,.0f}".replace(",", " ")
    return f"{number:.2f}" if abs(number) < 10 else f"{number:.1f}"


def _figure_tag(figure: Figure, caption: str) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
        f"<figcaption class=note>{html.escape(caption)}</figcaption></figure>"
    )


def _head(title: str, lang: str) -> list[str]:
    return [
        f"<!DOCTYPE html><html lang={lang}><head><meta charset=utf-8>",
        f"<title>{html.escape(title)}</title>",
        f"<style>{STYLE}</style></head><body>",
    ]


def _section(title: str, lang: str) -> str:
    slug = title.lower().replace(" ", "-")
    return f'<h2 id="{slug}">{html.escape(translate(title, lang))}</h2>'


def _table(headers: list[str], rows: list[list[str]], lang: str, numeric_from: int = 1) -> str:
    head = "".join(f"<th>{html.escape(translate(h, lang))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(
            f"<td class=n>{cell}</td>" if i >= numeric_from else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        ) + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def render_report(results: Any, lang: str = "en") -> str:
    """The report of one run (``Results`` or a folder loaded by :mod:`bosim.saved`)."""
    from bosim.engine.crises import CompiledTeam
    from bosim.results import bosim_version

    words = WORDS[lang]
    scenario = results.scenario
    summary = results.summary.set_index(["metric", "place"])

    def cell(metric: str, place: str = "") -> tuple[float, float, float]:
        if (metric, place) not in summary.index:
            return math.nan, math.nan, math.nan
        mean, low, high = summary.loc[(metric, place), ["mean", "ci_low", "ci_high"]]
        return float(mean), float(low), float(high)

    meta, simulation, economics = scenario.meta, scenario.simulation, scenario.economics
    manifest = getattr(results, "manifest", None)
    version = (manifest.get("bosim_version") if isinstance(manifest, dict) else None) or (
        bosim_version())
    parts = _head(f"{meta.name}: bosim", lang)
    parts.append(f"<h1>{html.escape(meta.name)}</h1>")
    if meta.description:
        parts.append(f"<p>{html.escape(meta.description)}</p>")

    parts.append(_section("Key results", lang) + "<ul>")
    for metric, text in HEADLINES[lang]:
        mean, low, high = cell(metric)
        if mean != mean:
            continue
        unit = UNITS[metric]
        parts.append(
            f"<li><b>{_number(mean, unit)}</b> {html.escape(text)} <span class=note>("
            + INTERVAL[lang].format(_number(low, unit), _number(high, unit)) + ")</span></li>"
        )
    mean, low, high = cell("cost_pv")
    if mean == mean and mean != 0:
        money = f"{translate('million', lang)} {meta.currency} ({meta.price_year})"
        label = words["total"].format(perspective=translate(economics.perspective, lang))
        parts.append(f"<li><b>{mean / 1e6:,.1f}</b> {money}: {html.escape(label)}, "
                     f"{translate('present value', lang)} <span class=note>("
                     + INTERVAL[lang].format(
                         f"{low / 1e6:,.1f}", f"{high / 1e6:,.1f}") + ")</span></li>")
    parts.append("</ul>")

    parts.append(_section("What was simulated", lang))
    parts.append("<p>" + html.escape(words["simulated"].format(
        years=simulation.years, warmup=simulation.warmup_years,
        replications=results.replication_count, seed=results.seed, version=version,
        currency=meta.currency, price_year=meta.price_year,
        perspective=translate(economics.perspective, lang),
    )) + "</p>")
    place_rows = []
    for name, place in scenario.places.items():
        capacity = translate("unlimited", lang) if place.is_unlimited else str(place.capacity)
        stay = f"{place.stay.mean:.0f}" if place.stay is not None else translate("none", lang)
        place_rows.append([html.escape(name), html.escape(translate(place.kind, lang)),
                           html.escape(capacity), stay])
    parts.append("<h3>" + html.escape(translate("Places", lang)) + "</h3>")
    parts.append(_table(["Place", "Kind", "Capacity", "Stay (mean days)"], place_rows, lang, 2))
    if scenario.teams:
        team_rows = []
        compiled_teams: tuple[CompiledTeam, ...] = results.compiled.teams
        for (name, team), compiled in zip(scenario.teams.items(), compiled_teams, strict=True):
            hours = team.hours if isinstance(team.hours, str) else "; ".join(team.hours)
            team_rows.append([html.escape(name), html.escape(", ".join(team.serves)),
                              html.escape(hours), f"{team.fte:g}", f"{compiled.on_duty:.2f}"])
        parts.append("<h3>" + html.escape(translate("Staff and service hours", lang)) + "</h3>")
        parts.append(_table(["Team", "Serves", "Hours", "FTE", "Staff on duty"], team_rows,
                            lang, 3))
    segment_rows = []
    for segment in scenario.segments:
        rate = segment.arrivals_per_year
        arrivals = ", ".join(f"{r:g}" for r in rate) if isinstance(rate, list) else f"{rate:g}"
        crisis = f"{segment.crisis.rate_per_year:g}" if segment.crisis else "0"
        segment_rows.append([html.escape(segment.name), arrivals,
                             str(sum(segment.initial.values())), crisis])
    parts.append("<h3>" + html.escape(translate("Groups of people", lang)) + "</h3>")
    parts.append(_table(["Group", "Arrivals per year", "At start", "Crises per person-year"],
                        segment_rows, lang))

    parts.append(_section("Results by place", lang))
    rows = []
    for name, place in scenario.places.items():
        capacity = translate("unlimited", lang) if place.is_unlimited else html.escape(
            str(place.capacity))
        values = [
            _number(cell(metric, name)[0], unit) for metric, unit in (
                ("mean_occupancy", "units"), ("utilization", "share"), ("mean_wait_days", "days"),
                ("p90_wait_days", "days"), ("mean_queue", "people"))
        ]
        rows.append([html.escape(name), capacity, *values])
    parts.append(_table(["Place", "Capacity", "Mean occupancy", "Utilization",
                         "Mean wait (days)", "90th pct. wait (days)", "Mean queue"], rows, lang))

    parts.append(_section("Occupancy and queues over time", lang))
    parts.append(_figure_tag(plot.occupancy(results, lang), words["occupancy_caption"]))
    parts.append(_figure_tag(plot.queues(results, lang), words["queue_caption"]))
    parts.append(_section("Waiting times", lang))
    parts.append(_figure_tag(plot.waits(results, lang), words["waits_caption"]))
    parts.append(_section("Flows between places", lang))
    parts.append(_figure_tag(plot.flows(results, lang), words["flows_caption"]))
    parts.append(_section("Housing retention", lang))
    parts.append(f"<p>{html.escape(words['retention_text'])}</p>")
    parts.append(_figure_tag(plot.retention(results, lang), words["retention_caption"]))

    parts.append(_section("Costs", lang))
    payer_rows = []
    for payer in ("municipality", "state", "other"):
        mean, low, high = cell(f"cost_pv_{payer}")
        payer_rows.append([html.escape(translate(payer, lang)), _number(mean, ""),
                           _number(low, "") + " – " + _number(high, "")])
    parts.append(f"<p>{html.escape(words['costs_text'])} ({meta.currency}, "
                 f"{meta.price_year})</p>")
    parts.append(_table(["Payer", "Value (95 % interval)", ""], payer_rows, lang))
    parts.append(_figure_tag(plot.costs(results, "payer", lang), words["costs_caption"]))
    parts.append(_figure_tag(plot.costs(results, "place", lang), words["costs_caption"]))

    parts.append(_section("What the model does not capture", lang) + "<ul>")
    parts.extend(f"<li>{html.escape(text)}</li>" for text in LIMITS[lang])
    parts.append("</ul>")
    parts.append(f"<p class=note>{html.escape(words['made_by'].format(version=version))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


ECONOMIC_LABELS = {
    "incremental_cost_pv": "Extra cost, present value",
    "incremental_housed_person_years_pv": "Extra housed person-years (discounted)",
    "icer_cost_per_housed_year": "Cost per extra housed person-year (ICER)",
    "homeless_days_avoided": "Homeless days avoided",
    "cost_per_homeless_day_avoided": "Cost per homeless day avoided",
    "npv_priced": "Net present value of priced effects (minus extra cost)",
}


def render_comparison_report(comparison: Comparison, lang: str = "en") -> str:
    """A self-contained page comparing alternatives with the base."""
    table = comparison.table
    base = comparison.names[0]
    perspective = comparison.base.scenario.economics.perspective
    parts = _head(f"Comparison with {base}: bosim", lang)
    intro = {
        "en": "Every plan was simulated with the same people and the same random draws "
              "(common random numbers), so differences are paired by replication. Money is "
              "counted from the {perspective} perspective for all plans.",
        "nb": "Alle alternativene ble simulert med de samme personene og de samme "
              "tilfeldige trekkene (felles tilfeldige tall), så forskjellene er parvise per "
              "replikasjon. Beløp er regnet i perspektivet {perspective} for alle "
              "alternativene.",
    }[lang].format(perspective=translate(perspective, lang))
    parts += [
        f"<h1>{html.escape(translate('Differences from the base', lang))}: "
        f"{html.escape(base)}</h1>",
        f"<p>{html.escape(intro)}</p>",
        _section("Differences from the base", lang),
    ]
    system = table[table.place == ""]
    rows = []
    for metric, label in plot.FOREST_METRICS:
        unit = UNITS.get(metric, "")
        for row in system[system.metric == metric].itertuples():
            rows.append([html.escape(str(row.alternative)), html.escape(translate(label, lang)),
                         _number(row.base_mean, unit), _number(row.alternative_mean, unit),
                         f"{_number(row.diff_mean, unit)} ({_number(row.ci_low, unit)} – "
                         f"{_number(row.ci_high, unit)})"])
    parts.append(_table(["Plan", "Result", "Base", "Plan", "Difference (95 % interval)"],
                        rows, lang, 2))
    parts.append(_section("Costs and what they buy", lang))
    from bosim.comparison import dominance

    verdicts = {
        "dominant": translate("dominant: costs less and houses more than the base", lang),
        "dominated": translate("dominated: costs more and houses fewer than the base", lang),
    }
    rows = []
    for row in system[system.metric.isin(ECONOMIC_LABELS)].itertuples():
        verdict = dominance(table, str(row.alternative))
        if row.metric in ("icer_cost_per_housed_year", "cost_per_homeless_day_avoided") and (
                verdict):
            value = verdicts[verdict]
        else:
            value = (f"{_number(row.diff_mean, '')} ({_number(row.ci_low, '')} – "
                     f"{_number(row.ci_high, '')})")
        rows.append([html.escape(str(row.alternative)),
                     html.escape(translate(ECONOMIC_LABELS[str(row.metric)], lang)),
                     html.escape(value)])
    parts.append(_table(["Plan", "Economic result", "Value (95 % interval)"], rows, lang, 2))
    parts.append(_figure_tag(plot.forest(comparison, lang),
                             translate("Differences from the base, 95 % intervals.", lang)))
    parts.append(_figure_tag(plot.cost_effect(comparison, lang), translate(
        "Each dot is one replication: extra cost against extra housing.", lang)))
    parts.append(_section("What the model does not capture", lang) + "<ul>")
    parts.extend(f"<li>{html.escape(text)}</li>" for text in LIMITS[lang])
    made_by = translate("Made by bosim. Each plan's full results are in runs/ beside this file.",
                        lang)
    parts.append(f"</ul><p class=note>{html.escape(made_by)}</p></body></html>")
    return "\n".join(parts)


def render_sweep_report(sweep: Sweep, metrics: list[str], lang: str = "en") -> str:
    """A self-contained page with a figure per chosen metric."""
    scenario = sweep.results[0].scenario
    parts = _head(f"Sweep of {scenario.meta.name}: bosim", lang)
    intro = {
        "en": "Varied: {paths}. {points} points, each simulated with the same people and "
              "random draws (common random numbers).",
        "nb": "Variert: {paths}. {points} punkter, hvert simulert med de samme personene og "
              "de samme tilfeldige trekkene (felles tilfeldige tall).",
    }[lang].format(paths=", ".join(sweep.paths), points=len(sweep.points))
    parts += [
        f"<h1>{html.escape(translate('Sweep', lang))}: {html.escape(scenario.meta.name)}</h1>",
        f"<p>{html.escape(intro)}</p>",
    ]
    for metric in metrics:
        parts.append(_figure_tag(plot.sweep(sweep, metric, lang=lang), metric))
    made_by = translate("Made by bosim. All metrics at every point are in sweep.csv.", lang)
    parts.append(f"<p class=note>{html.escape(made_by)}</p></body></html>")
    return "\n".join(parts)
