"""Real bokmål: with ``lang="nb"`` every word a reader sees is Norwegian, numbers too.

Every report (run, comparison, sweep, PSA) is rendered in both languages; the bokmål page
must show no text node that is a known English label or heading, and its numbers must use
decimal commas.
"""

from __future__ import annotations

import re
import tomllib
from html.parser import HTMLParser

import pytest

import bosim
from bosim.analysis.metric_table import METRICS
from bosim.api import render_report
from bosim.outputs.manifest import bosim_version
from bosim.presentation import comparison_report, run_report, sweep_report
from bosim.presentation.comparison_report import render_comparison_report
from bosim.presentation.language import NB
from bosim.presentation.numbers import millions, number, percent, points, tick
from bosim.presentation.psa_report import HEADERS, TEXT, render_psa_report
from bosim.presentation.sweep_report import render_sweep_report
from bosim.scenario import Scenario, scenario_from_dict, with_overrides
from conftest import TINY_SCENARIO

DECIMAL_POINT = re.compile(r"\d\.\d")
LABELS = {"street": "Gata", "hostel": "Hospits", "flat": "Leilighet"}
"""Bokmål labels of the tiny scenario's places: their keys must not show."""


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
    parser = Texts()
    parser.feed(page)
    return parser.texts


def english_words() -> set[str]:
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
    words |= {*LABELS, "single"}
    return words - {"Team", "EVPPI", "median", "Housing First"}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    data = tomllib.loads(TINY_SCENARIO.replace("replications = 1", "replications = 3"))
    for key, label in LABELS.items():
        data["places"][key]["label"] = label
    data["segments"][0]["label"] = "Enslige"
    data["uncertainty"] = {"price": {"path": "places.hostel.cost_per_occupied_day",
                                     "dist": "gamma", "mean": 950.0, "sd": 100.0}}
    return scenario_from_dict(data)


@pytest.fixture(scope="module")
def pages(scenario: Scenario) -> dict[str, dict[str, str]]:
    other = with_overrides(scenario, {"places.flat.capacity": 5, "meta.name": "bigger"})
    comparison = bosim.compare(scenario, other)
    run = comparison.results[comparison.names[0]]
    sweep = bosim.sweep(scenario, {"places.flat.capacity": [4, 6]})
    analysis = bosim.api.psa(scenario, other, draws=3, replications=2)
    rendered: dict[str, dict[str, str]] = {}
    for lang in ("en", "nb"):
        rendered[lang] = {
            "run": render_report(run, lang),  # type: ignore[arg-type]
            "comparison": render_comparison_report(comparison, lang, bosim_version()),
            "sweep": render_sweep_report(sweep, ["housing_retention_12m", "cost_pv"], lang),
            "psa": render_psa_report(analysis, 500_000.0, lang),
        }
    return rendered


@pytest.mark.parametrize("report", ["run", "comparison", "sweep", "psa"])
def test_no_english_label_on_a_bokmal_page(pages: dict[str, dict[str, str]],
                                           report: str) -> None:
    english = english_words()
    shown = texts(pages["nb"][report])
    assert not [text for text in shown if text in english], report
    # the same labels do appear in English: the check can fail
    assert [text for text in texts(pages["en"][report]) if text in english]


@pytest.mark.parametrize("report", ["run", "comparison", "sweep", "psa"])
def test_bokmal_numbers_use_decimal_commas(pages: dict[str, dict[str, str]],
                                           report: str) -> None:
    version = bosim_version()
    for text in texts(pages["nb"][report]):
        cleaned = re.sub(r"[\w.-]+\.(json|csv|parquet|html|toml)", "", text.replace(version, ""))
        assert not DECIMAL_POINT.search(cleaned), text


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
