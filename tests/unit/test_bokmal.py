"""Real bokmål: with ``lang="nb"`` every word a reader sees is Norwegian, numbers too.

Every report (a run, a comparison and each plan's own report beside it, a sweep, a PSA, a
tornado), the spreadsheets' readable sheets, every figure and the terminal tables are
rendered for a scenario whose places, group, team and plans have labels in both
languages. The bokmål output must show no English word of bosim's language tables, no
raw key of the scenario (``hostel``), no English month, and its numbers must use decimal
commas; the English output shows the same words, so every check can fail.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.pyplot as plt
import matplotlib.text
import pandas as pd
import pytest
from matplotlib.figure import Figure
from rich.console import Console

import bosim
from bosim.analysis.metric_table import METRICS
from bosim.api import render_report
from bosim.outputs.manifest import bosim_version
from bosim.outputs.spreadsheet import readable_sheets
from bosim.presentation import (
    comparison_report,
    figures,
    language,
    psa_report,
    run_report,
    sweep_report,
    terminal,
)
from bosim.presentation.comparison_report import render_comparison_report
from bosim.presentation.language import NB
from bosim.presentation.numbers import localise, millions, number, percent, points, tick
from bosim.presentation.psa_report import HEADERS, TEXT, render_psa_report
from bosim.presentation.sweep_report import render_sweep_report, setting_headers
from bosim.scenario import Scenario, load_scenario, scenario_from_dict, with_overrides
from conftest import TINY_SCENARIO

DECIMAL_POINT = re.compile(r"\d\.\d")
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
PLACES = {"street": ("Street", "Gata"), "hostel": ("Hostel", "Hospits"),
          "flat": ("Flat", "Leilighet")}
"""The tiny scenario's places and their labels (English, bokmål)."""
SEGMENT = ("single", ("Single adults", "Enslige voksne"))
TEAM = ("support", ("Support team", "Oppfølgingsteamet"))
PLANS = {"tiny": ("Small plan", "Lite alternativ"), "bigger": ("Bigger plan", "Større alternativ")}
KEYS = [*PLACES, SEGMENT[0], TEAM[0], *PLANS]
"""Raw keys of the scenario: none may show in a page, in either language."""
MONTHS = ("January", "February", "March", "April", "June", "July", "August", "September",
          "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
          "Friday", "Saturday", "Sunday")
SAME_IN_BOTH = {"team", "median", "evppi", "evpi", "icer", "housing", "first", "kaplan",
                "meier", "bosim", "sobol", "gamma", "lognormal", "uniform", "beta", "normal",
                "dirichlet", "sigma", "alfa", "plan", "parameter", "minus", "total", "kommune",
                "stat", "andre", "type", "start", "status", "interval", "mill", "prosent"}
"""Words that are the same, or also Norwegian, in both languages."""
REPORTS = ("run", "run of the other plan", "comparison", "sweep", "psa", "figures",
           "spreadsheets", "terminal")


class Texts(HTMLParser):
    """Every visible text node of a page (not style or title)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "title", "script"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title", "script"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def texts(page: str) -> list[str]:
    """The visible texts of an HTML page."""
    parser = Texts()
    parser.feed(page)
    return parser.texts


def english_labels() -> set[str]:
    """Labels and headings that differ between the languages, as English shows them."""
    words = {key for key, value in NB.items() if value != key and len(key) > 3}
    words |= {m.label for m in METRICS if m.label != m.label_nb}
    for module in (comparison_report, sweep_report, run_report):
        table = getattr(module, "WORDS", {})
        english, bokmal = table.get("en", {}), table.get("nb", {})
        words |= {value for key, value in english.items()
                  if isinstance(value, str) and bokmal.get(key) != value and "{" not in value}
    words |= {v for k, v in TEXT["en"].items() if "{" not in v and TEXT["nb"][k] != v}
    words |= {v for k, v in HEADERS["en"].items() if HEADERS["nb"][k] != v}
    words |= {v for k, v in terminal.MESSAGES["en"].items()
              if "{" not in v and terminal.MESSAGES["nb"][k] != v}
    return words - {"Team", "EVPPI", "median", "Housing First"}


def vocabulary(lang: str) -> set[str]:
    """Every word of bosim's language tables and metric labels in one language."""
    english = lang == "en"
    texts_of = [*(NB if english else NB.values())]
    texts_of += [m.label if english else m.label_nb for m in METRICS]
    texts_of += [m.unit if english else m.unit_nb for m in METRICS]
    for table in (run_report.WORDS, comparison_report.WORDS, sweep_report.WORDS,
                  psa_report.TEXT, psa_report.HEADERS, terminal.MESSAGES,
                  language.SETTING_WORDS):
        texts_of += [str(value) for value in table[lang].values()]
    texts_of += [text for _, text in run_report.HEADLINES[lang]]
    texts_of += list(run_report.LIMITS[lang])
    return {word.lower() for text in texts_of for word in re.findall(r"[^\W\d_]{3,}", text)}


def english_only_words() -> set[str]:
    """Words bosim writes in English and never in bokmål."""
    return vocabulary("en") - vocabulary("nb") - SAME_IN_BOTH


def untranslated(shown: list[str]) -> list[str]:
    """The texts of a bokmål output with an English word, a raw key or an English month."""
    labels, english = english_labels(), english_only_words()
    found = []
    for text in shown:
        words = {word.lower() for word in re.findall(r"[^\W\d_]+", text)}
        if (text in labels or words & english or words & set(KEYS)
                or any(month.lower() in words for month in MONTHS)):
            found.append(text)
    return found


def figure_texts(figure: Figure, lang: str) -> list[str]:
    """Every text a figure shows in a page: titles, axis labels, ticks, legends, notes."""
    localise(figure, lang)  # as every page and the command line do
    figure.canvas.draw()  # tick labels exist only once drawn
    shown = [text.get_text() for text in figure.findobj(matplotlib.text.Text)
             if text.get_visible() and text.get_text().strip()]
    plt.close(figure)
    return shown


def terminal_texts(printed: Iterator[object] | list[object]) -> list[str]:
    """What a terminal shows of rich tables and lines, one text per line."""
    console = Console(record=True, width=300, file=open("/dev/null", "w"))  # noqa: SIM115
    for item in printed:
        console.print(item)
    return [line.strip(" │┃┏┓┗┛━┡┩└┘─┌┐╇╋┳┻") for line in console.export_text().splitlines()
            if line.strip(" │┃┏┓┗┛━┡┩└┘─┌┐╇╋┳┻")]


def sheet_texts(sheets: dict[str, pd.DataFrame]) -> list[str]:
    """The headers and text cells of the readable sheet of a workbook."""
    frame = list(sheets.values())[-1]
    cells = [str(value) for column in frame.columns for value in frame[column]
             if isinstance(value, str)]
    return [str(header) for header in frame.columns] + cells


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    data = tomllib.loads(TINY_SCENARIO.replace("replications = 1", "replications = 3"))
    for key, (english, bokmal) in PLACES.items():
        data["places"][key]["label"] = {"en": english, "nb": bokmal}
    data["segments"][0]["label"] = {"en": SEGMENT[1][0], "nb": SEGMENT[1][1]}
    data["segments"][0]["crisis"] = {"rate_per_year": 6.0, "profile": "evening_night"}
    data["teams"] = {TEAM[0]: {
        "label": {"en": TEAM[1][0], "nb": TEAM[1][1]}, "serves": ["flat"], "fte": 1.5,
        "hours": "mon-fri 08:00-16:00", "handling_hours": {"dist": "exponential", "mean": 1.0}}}
    data["meta"]["label"] = {"en": PLANS["tiny"][0], "nb": PLANS["tiny"][1]}
    data["meta"]["description"] = {"en": "A small test plan.", "nb": "Et lite testalternativ."}
    data["uncertainty"] = {"natteprisen": {"path": "places.hostel.cost_per_occupied_day",
                                           "dist": "gamma", "mean": 950.0, "sd": 100.0}}
    return scenario_from_dict(data)


@pytest.fixture(scope="module")
def outputs(scenario: Scenario) -> dict[str, dict[str, list[str]]]:
    """The visible texts of every output, by language and output."""
    other = with_overrides(scenario, {"places.flat.capacity": 5, "meta.name": "bigger",
                                      "meta.label": {"en": PLANS["bigger"][0],
                                                     "nb": PLANS["bigger"][1]}})
    comparison = bosim.compare(scenario, other)
    run, other_run = (comparison.results[name] for name in comparison.names)
    sweep = bosim.sweep(scenario, {"places.flat.capacity": [4, 6]})
    analysis = bosim.api.psa(scenario, other, draws=3, replications=2)
    sensitivity = bosim.api.tornado(scenario, other, replications=2)
    shown: dict[str, dict[str, list[str]]] = {}
    for lang in ("en", "nb"):
        plans = {name: plan.scenario.plan_label(name, lang)
                 for name, plan in comparison.results.items()}
        outcome = terminal.tornado_outcome("net_benefit", 1e6, "NOK", lang,
                                           (plans["tiny"], plans["bigger"]))
        shown[lang] = {
            "run": texts(render_report(run, lang)),  # type: ignore[arg-type]
            "run of the other plan": texts(render_report(other_run, lang)),  # type: ignore[arg-type]
            "comparison": texts(render_comparison_report(comparison, lang, bosim_version())),
            "sweep": texts(render_sweep_report(
                sweep, ["housing_retention_12m", "unmet_crisis_share", "cost_pv"], lang)),
            # the PSA carries its plans' labels (also in a folder read back)
            "psa": texts(render_psa_report(analysis, 500_000.0, lang)),
            "figures": [text for figure in (
                figures.occupancy(run, lang), figures.queues(run, lang),
                figures.waits(run, lang), figures.flows(run, lang),
                figures.retention(run, lang), figures.costs(run, "payer", lang),
                figures.costs(run, "place", lang), figures.forest(comparison, lang, plans),
                figures.cost_effect(comparison, lang, plans),
                figures.sweep(sweep, "unmet_crisis_share", lang=lang),
                psa_report.acceptability_figure(analysis, lang,
                                                psa_report.plan_names(analysis, lang)),
                figures.tornado(sensitivity, outcome, lang),
            ) for text in figure_texts(figure, lang)],
            "spreadsheets": [
                *sheet_texts(readable_sheets("summary", run.summary, scenario, lang)),
                *sheet_texts(readable_sheets("comparison", comparison.table, scenario, lang,
                                             plans)),
                *sheet_texts(readable_sheets("sweep", sweep.table, scenario, lang,
                                             headers=setting_headers(sweep, lang)))],
            "terminal": terminal_texts([
                terminal.key_results(run, lang),  # type: ignore[arg-type]
                *terminal.comparison_summary(comparison, lang),
                *terminal.psa_summary(analysis, 500_000.0, lang)[0],
                terminal.tornado_table(sensitivity, outcome, lang),
                terminal.message("results_written", lang)]),
        }
    return shown


@pytest.mark.parametrize("output", REPORTS)
def test_no_english_word_or_raw_key_in_bokmal(outputs: dict[str, dict[str, list[str]]],
                                              output: str) -> None:
    found = untranslated(outputs["nb"][output])
    assert not found, "\n".join(found)
    # the same check finds English in the English output: it can fail
    assert untranslated(outputs["en"][output])


@pytest.mark.parametrize("output", REPORTS)
def test_names_are_the_labels_in_the_language(outputs: dict[str, dict[str, list[str]]],
                                              output: str) -> None:
    """Places, the group, the team and the plans show their labels in the page's language."""
    named = [*PLACES.values(), SEGMENT[1], TEAM[1], *PLANS.values()]
    for lang, position in (("en", 0), ("nb", 1)):
        shown = " ".join(outputs[lang][output])
        assert any(names[position] in shown for names in named), (lang, output)
        other = [names[1 - position] for names in named]
        assert not [label for label in other if re.search(rf"\b{label}\b", shown)], (lang,
                                                                                   output)


@pytest.mark.parametrize("output", REPORTS)
def test_bokmal_numbers_use_decimal_commas(outputs: dict[str, dict[str, list[str]]],
                                           output: str) -> None:
    version = bosim_version()
    for text in outputs["nb"][output]:
        cleaned = re.sub(r"[\w.-]+\.(json|csv|parquet|html|toml|xlsx|png)", "",
                         text.replace(version, ""))
        assert not DECIMAL_POINT.search(cleaned), (output, text)


def test_the_checks_find_english(outputs: dict[str, dict[str, list[str]]]) -> None:
    """An English label, a raw key and an English month are each found."""
    assert untranslated(["Bostedsløse dager per personår", "Waiting times"]) == ["Waiting times"]
    assert untranslated(["Belegg i hostel"]) == ["Belegg i hostel"]
    assert untranslated(["2 March"]) == ["2 March"]
    assert not untranslated(outputs["nb"]["run"])


def test_the_command_line_prints_bokmal(
        bosim_cli: Callable[..., subprocess.CompletedProcess[str]],
        write_scenario: Callable[..., Path]) -> None:
    """``bosim run --lang nb`` prints its table and messages in bokmål."""
    scenario = write_scenario(replace=[('name = "tiny"', 'name = "tiny"\nlabel = '
                                        '{ en = "Small plan", nb = "Lite alternativ" }')])
    done = bosim_cli("run", scenario, "-o", "out", "--lang", "nb", "--quiet")
    assert done.returncode == 0, done.stderr
    lines = [line.strip(" │┃┏┓┗┛━┡┩└┘─┌┐╇╋┳┻") for line in done.stdout.splitlines()]
    lines = [line for line in lines if line and "out" not in line.split()]
    assert "Lite alternativ" in done.stdout and "Resultatene er skrevet til" in done.stdout
    found = untranslated(lines)
    assert not found, "\n".join(found)
    english = bosim_cli("run", scenario, "-o", "out-en", "--quiet")
    assert "Results written to" in english.stdout and untranslated(english.stdout.splitlines())


def test_sweep_shows_shares_in_percent(scenario: Scenario) -> None:
    sweep = bosim.sweep(scenario, {"places.flat.capacity": [4, 6]})
    figure = figures.sweep(sweep, "housing_retention_12m", lang="nb")
    axis = figure.get_axes()[0]
    assert "%" in axis.get_ylabel()
    _, high = axis.get_ylim()
    assert high > 2  # percent (0-100), not a share (0-1)


def test_a_label_may_be_one_text_or_one_per_language(scenario: Scenario) -> None:
    assert scenario.place_label("hostel", "nb") == "Hospits"
    assert scenario.place_label("hostel", "en") == "Hostel"
    assert scenario.segment_label("single", "nb") == "Enslige voksne"
    assert scenario.team_label("support", "nb") == "Oppfølgingsteamet"
    assert scenario.plan_label(lang="nb") == "Lite alternativ"
    plain = with_overrides(scenario, {"places.hostel.label": "Herberget"})
    assert plain.place_label("hostel", "en") == plain.place_label("hostel", "nb") == "Herberget"
    english_only = with_overrides(scenario, {"places.hostel.label": {"en": "Hostel"}})
    assert english_only.place_label("hostel", "nb") == "Hostel"
    unlabelled = with_overrides(scenario, {"places.hostel.label": ""})
    assert unlabelled.place_label("hostel", "nb") == "hostel"


def unlabelled(scenario: Scenario) -> list[str]:
    """The plan, places, teams and groups of a scenario without a label in both languages."""
    named = [("meta", scenario.meta.label),
             *((f"places.{key}", place.label) for key, place in scenario.places.items()),
             *((f"teams.{key}", team.label) for key, team in scenario.teams.items()),
             *((f"segments.{group.name}", group.label) for group in scenario.segments)]
    return [key for key, label in named
            if not (isinstance(label, dict) and label.get("en") and label.get("nb"))]


@pytest.mark.parametrize("path", sorted(SCENARIOS.rglob("*.toml")), ids=lambda p: p.stem)
def test_bundled_scenarios_name_everything_in_both_languages(path: Path) -> None:
    """No raw key (``rop_housing``) or English plan name shows in a bokmål page."""
    assert not unlabelled(load_scenario(path))


def test_a_missing_label_is_found(scenario: Scenario) -> None:
    assert not unlabelled(scenario)
    assert unlabelled(with_overrides(scenario, {"places.hostel.label": "Hospits"})) == [
        "places.hostel"]


def test_service_hours_in_bokmal() -> None:
    assert language.hours_words("mon-fri 08:00-16:00", "nb") == "man-fre 08:00-16:00"
    assert language.hours_words(["24/7"], "nb") == "døgnet rundt"
    assert language.hours_words("mon-fri 08:00-16:00", "en") == "mon-fri 08:00-16:00"


def test_numbers_in_one_format() -> None:
    assert number(1234567.0, "", "nb") == "1\u00a0234\u00a0567"
    assert number(2.5, "", "nb") == "2,50"
    assert number(-17.04, "days", "nb", difference=True) == "\u221217,0"
    assert percent(0.215, "nb", 1) == "21,5\u00a0%"
    assert points(0.215, "nb") == "+21,5\u00a0prosentpoeng"
    assert points(0.215, "en") == "+21.5\u00a0percentage points"
    assert millions(-20_123_771.0, "nb") == "\u221220,1\u00a0mill.\u00a0kr"
    assert millions(26_500_000.0, "en") == "26.5\u00a0million NOK"
    assert tick(0.25) == "0,25" and tick(1500.0) == "1\u00a0500"
