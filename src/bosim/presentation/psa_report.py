"""``report.html`` of a probabilistic sensitivity analysis, in English or bokmål.

In plain words: how likely each plan is to be the best value at a price per housed
person-year, which uncertain numbers drive the decision (EVPPI: which local number is
worth measuring first), and what the municipality's budget sees against the public
purse and society. Reads a :class:`~bosim.analysis.psa.PSA`; computes nothing new.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from bosim.analysis.metric_table import BY_NAME, label_of
from bosim.analysis.psa import PERSPECTIVES, PSA
from bosim.presentation.figures import plain
from bosim.presentation.html import escape, figure_tag, number, page_head, table, warning
from bosim.presentation.language import money_word, translate
from bosim.presentation.numbers import millions, percent, plain_number

WTP_AXIS = np.arange(0, 2_000_001, 50_000, dtype=float)
"""Willingness to pay per housed person-year on the CEAC's axis (money)."""

TEXT = {
    "en": {
        "title": "Probabilistic sensitivity analysis",
        "design": "{draws} draws of the uncertain numbers in the register, {replications} "
                  "replications each, {plans} plans: {simulations} simulations, {saved} more "
                  "re-priced without simulating. Every plan meets the same draws and the same "
                  "people within a draw.",
        "best": "How likely is each plan to be the best value?",
        "best_text": "If the municipality is willing to pay {wtp} {currency} for one more "
                     "person-year in housing, {plan} is the best value in {municipality} of "
                     "the draws counting only the municipality's budget, {public} counting the "
                     "public purse (municipality and state) and {society} counting society.",
        "ceac": "Probability that each plan is the best value against the price per housed "
                "person-year (cost-effectiveness acceptability curves), by perspective.",
        "measure": "Which local number is worth measuring first?",
        "measure_text": "The expected value of learning a number before choosing (EVPPI, "
                        "{currency} per decision, at {wtp} {currency} per housed "
                        "person-year). Learning every number is worth {evpi} {currency} from "
                        "the public purse's view; a number near zero does not change the choice.",
        "budget": "The municipality's budget and the public purse",
        "budget_text": "Expected extra cost (+) or saving (−) of {plan} against {base}, "
                       "present value: {municipality} for the municipality, {public} for the "
                       "public purse, {society} for society.",
        "noise": "Parameter uncertainty and simulation noise",
        "noise_text": "The share of each result's variance that comes from the uncertain "
                      "numbers; the rest is the chance of the simulation.",
        "register": "The uncertain numbers and their sources",
        "made_by": "Made by bosim. The draws are in parameters.parquet, every result in "
                   "psa.parquet.",
    },
    "nb": {
        "title": "Probabilistisk sensitivitetsanalyse",
        "design": "{draws} trekk av de usikre tallene i registeret, {replications} "
                  "replikasjoner hver, {plans} alternativer: {simulations} simuleringer, "
                  "{saved} til prissatt på nytt uten å simulere. Alle alternativene møter de "
                  "samme trekkene og de samme personene innen et trekk.",
        "best": "Hvor sannsynlig er det at hvert alternativ gir mest for pengene?",
        "best_text": "Hvis kommunen er villig til å betale {wtp} {currency} for ett "
                     "personår til i bolig, gir {plan} mest for pengene i {municipality} av "
                     "trekkene regnet med kommunens budsjett, {public} regnet med det "
                     "offentlige (kommune og stat) og {society} regnet for samfunnet.",
        "ceac": "Sannsynligheten for at hvert alternativ gir mest for pengene, mot prisen per "
                "personår i bolig (akseptkurver), per perspektiv.",
        "measure": "Hvilket lokalt tall er det mest verdt å måle først?",
        "measure_text": "Forventet verdi av å kjenne et tall før man velger (EVPPI, "
                        "{currency} per beslutning, ved {wtp} {currency} per personår i "
                        "bolig). Å kjenne alle tallene er verdt {evpi} {currency} sett fra det "
                        "offentlige; et tall nær null endrer ikke valget.",
        "budget": "Kommunens budsjett og det offentlige",
        "budget_text": "Forventet merkostnad (+) eller innsparing (−) for {plan} mot "
                       "{base}, nåverdi: {municipality} for kommunen, {public} for det "
                       "offentlige, {society} for samfunnet.",
        "noise": "Parameterusikkerhet og simuleringsstøy",
        "noise_text": "Andelen av variansen i hvert resultat som kommer fra de usikre tallene; "
                      "resten er tilfeldighet i simuleringen.",
        "register": "De usikre tallene og kildene deres",
        "made_by": "Laget med bosim. Trekkene er i parameters.parquet, alle resultater i "
                   "psa.parquet.",
    },
}
HEADERS = {
    "en": {"plan": "Plan", "wtp": "Per housed year", "parameter": "Number", "evppi": "EVPPI",
           "result": "Result", "share": "Parameter share", "distribution": "Distribution",
           "source": "Source", "range": "Low – high"},
    "nb": {"plan": "Alternativ", "wtp": "Per personår i bolig", "parameter": "Tall",
           "evppi": "EVPPI", "result": "Resultat", "share": "Andel fra parametere",
           "distribution": "Fordeling", "source": "Kilde", "range": "Lav – høy"},
}


def acceptability_figure(analysis: PSA, lang: str = "en",
                         labels: Mapping[str, str] | None = None) -> Figure:
    """CEAC per perspective: probability best against willingness to pay per housed year.

    ``labels``: the name a reader sees for each plan (default: the plan names).
    """
    curves = analysis.acceptability(WTP_AXIS)
    figure, axes = plt.subplots(1, len(PERSPECTIVES), figsize=(11, 3.2), sharey=True)
    for axis, perspective in zip(axes, PERSPECTIVES, strict=True):
        own = curves[curves.perspective == perspective]
        for name in analysis.names:
            line = own[own.alternative == name]
            axis.plot(line["wtp"] / 1000, line["probability_best"],
                      label=plain((labels or {}).get(name, name)))
        axis.set_title(translate(perspective, lang), fontsize=9)
        axis.set_xlabel(plain(f"1000 {money_word(analysis.currency, lang)} "
                              f"{translate('per housed person-year', lang)}"), fontsize=8)
        axis.set_ylim(-0.02, 1.02)
    axes[0].set_ylabel(translate("probability of the best value", lang), fontsize=8)
    axes[0].legend(fontsize=7)
    figure.tight_layout()
    return figure


def distribution_words(described: str, lang: str) -> str:
    """A register distribution (``gamma(mean=950, sd=100)``) in ``lang``."""
    if lang != "nb":
        return described
    for english in ("mean", "sd", "alpha", "beta"):
        described = described.replace(f"{english}=", f"{translate(english, lang)}=")
    described = described.replace(" from the 80 % interval ", " fra 80 %-intervallet ")
    described = re.sub(r"(?<=\d)\.(?=\d)", ",", described)
    name, _, rest = described.partition("(")
    return f"{translate(name, lang)}({rest}" if rest else translate(name, lang)


def result_words(name: str, lang: str) -> str:
    """A result of the PSA by its label: the metric table's, else a word of the language."""
    return label_of(name, lang) if name in BY_NAME else translate(name, lang)


def plan_names(analysis: PSA, lang: str,
               labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """The name a reader sees for each plan.

    ``labels`` first, then the labels the PSA carries (``plan_labels`` in its manifest),
    then the plan names.
    """
    carried = analysis.extra_manifest.get("plan_labels", {})
    known = {**(carried.get(lang, {}) if isinstance(carried, dict) else {}), **(labels or {})}
    return {name: str(known.get(name, name)) for name in analysis.names}


def render_psa_report(analysis: PSA, wtp: float, lang: str = "en",
                      labels: Mapping[str, str] | None = None) -> str:
    """A self-contained page on a PSA at ``wtp`` per housed person-year.

    ``labels``: the name a reader sees for each plan (default: the plan names).
    """
    words, heads = TEXT[lang], HEADERS[lang]
    shown = plan_names(analysis, lang, labels)
    currency, base = money_word(analysis.currency, lang), shown[analysis.names[0]]
    parts = page_head(f"{words['title']}: {base}: bosim", lang)
    design = words["design"].format(
        draws=analysis.draws, replications=analysis.replications, plans=len(analysis.names),
        simulations=analysis.simulations, saved=analysis.saved)
    parts += [f"<h1>{escape(words['title'])}: {escape(base)}</h1>", f"<p>{escape(design)}</p>"]
    parts.extend(warning(text) for text in analysis.warnings(wtp, lang, shown))
    at = analysis.acceptability(np.array([wtp]))
    best = at[(at.perspective == "public") & at.optimal].alternative.iloc[0]
    shares = {row.perspective: percent(row.probability_best, lang)
              for row in at[at.alternative == best].itertuples()}
    text = words["best_text"].format(wtp=number(wtp, "", lang), currency=currency,
                                     plan=shown[best], **shares)
    parts += [f"<h2>{escape(words['best'])}</h2>", f"<p>{escape(text)}</p>"]
    points = np.array(sorted({0.0, 250_000.0, 500_000.0, 1_000_000.0, 2_000_000.0, wtp}))
    grid = analysis.acceptability(points)
    rows = []
    for name in analysis.names:
        for point in points:
            here = grid[(grid.alternative == name) & (grid.wtp == point)]
            rows.append([escape(shown[name]), plain_number(point, 0, lang)] + [
                percent(here[here.perspective == p].probability_best.iloc[0], lang)
                for p in PERSPECTIVES])
    perspective_heads = [translate(p, lang) for p in PERSPECTIVES]
    parts.append(table([heads["plan"], heads["wtp"], *perspective_heads], rows, lang, 1))
    parts.append(figure_tag(acceptability_figure(analysis, lang, shown), words["ceac"], lang))
    partial = analysis.partial_values(wtp)
    public = partial[partial.perspective == "public"]
    evpi = float(public["evpi"].iloc[0]) if len(public) else float("nan")
    text = words["measure_text"].format(currency=currency, wtp=number(wtp, "", lang),
                                        evpi=number(evpi, "", lang))
    parts += [f"<h2>{escape(words['measure'])}</h2>", f"<p>{escape(text)}</p>"]
    wide = partial.pivot(index="parameter", columns="perspective", values="evppi")
    wide = wide.sort_values("public", ascending=False)
    evppi_heads = [f"EVPPI, {translate(p, lang)}" for p in PERSPECTIVES]
    parts.append(table([heads["parameter"], *evppi_heads],
                       # money per decision, in whole kroner (a regression's 0.004 is 0)
                       [[escape(name), *[plain_number(row[p], 0, lang) for p in PERSPECTIVES]]
                        for name, row in wide.iterrows()], lang, 1))
    if len(analysis.names) > 1:
        parts.append(f"<h2>{escape(words['budget'])}</h2>")
        costs = {p: analysis.draw_means("cost_pv", p) for p in PERSPECTIVES}
        for position, name in enumerate(analysis.names[1:], 1):
            extra = {p: millions(float((costs[p][:, position] - costs[p][:, 0]).mean()),
                                 lang, currency, sign=True)
                     for p in PERSPECTIVES}
            text = words["budget_text"].format(plan=shown[name], base=base, **extra)
            parts.append(f"<p>{escape(text)}</p>")
    parts += [f"<h2>{escape(words['noise'])}</h2>", f"<p>{escape(words['noise_text'])}</p>"]
    variance = analysis.variance(wtp)
    parts.append(table([heads["plan"], heads["result"], heads["share"]],
                       [[escape(shown.get(str(row["alternative"]), row["alternative"])),
                         escape(result_words(str(row["metric"]), lang)),
                         number(row["parameter_share"], "share", lang)]
                        for row in variance.to_dict("records")], lang, 2))
    parts.append(f"<h2>{escape(words['register'])}</h2>")
    parts.append(table([heads["parameter"], heads["distribution"], heads["range"],
                        heads["source"]],
                       [[escape(row.parameter),
                         escape(distribution_words(str(row.distribution), lang)),
                         f"{number(row.low, '', lang)} – {number(row.high, '', lang)}",
                         escape(row.source)]
                        for row in analysis.register.itertuples()], lang, 9))
    parts.append(f"<p class=note>{escape(words['made_by'])}</p></body></html>")
    return "\n".join(parts)
