"""Results that say when they are meaningless (:mod:`bosim.analysis.warnings`)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

import bosim
from bosim.analysis.warnings import TEXTS, ResultWarning, result_warnings
from bosim.api import render_report
from bosim.scenario import scenario_from_dict
from conftest import TINY_SCENARIO

DATA = Path(__file__).parents[1] / "data"


def run(replications: int = 2, **overrides: object) -> bosim.Results:
    scenario = scenario_from_dict(tomllib.loads(TINY_SCENARIO), overrides=overrides)
    return bosim.simulate(scenario, replications=replications, seed=4)


def warnings_of(results: bosim.Results, lang: str = "en") -> list[ResultWarning]:
    return result_warnings(results.scenario, results.compiled, results.summary, results.flows,
                           results.timeseries, lang)


def kinds(results: bosim.Results) -> set[tuple[str, str]]:
    return {(found.kind, found.subject) for found in warnings_of(results)}


TEAM: dict[str, Any] = {"serves": ["flat"], "fte": 2.0,
                        "handling_hours": {"dist": "exponential", "mean": 1.0}}


def test_a_sound_scenario_has_no_warnings() -> None:
    results = bosim.simulate(DATA / "small.toml", replications=3, seed=11)
    assert warnings_of(results) == []
    assert "class=warning" not in render_report(results)


def test_nobody_leaving_a_place_is_said() -> None:
    results = run(**{"places.flat.stay": {"dist": "exponential", "mean": 1e8}})
    assert ("nobody_leaves", "flat") in kinds(results)
    ordinary = run()
    assert ("nobody_leaves", "flat") not in kinds(ordinary)


def test_a_queue_growing_without_bound_is_said() -> None:
    results = run(**{"segments.single.arrivals_per_year": 60, "simulation.years": 4})
    assert ("unstable_queue", "flat") in kinds(results)


def test_crises_that_never_happen_are_said() -> None:
    rare = run(**{"segments.single.crisis": {"rate_per_year": 0.0001}})
    assert ("no_crises", "single") in kinds(rare)
    common = run(**{"segments.single.crisis": {"rate_per_year": 50.0}})
    assert ("no_crises", "single") not in kinds(common)


def test_a_team_serving_no_one_is_said() -> None:
    idle = run(**{"teams.staff": TEAM, "places.flat.capacity": 0,
                  "segments.single.initial": {"hostel": 2}})
    assert ("idle_team", "staff") in kinds(idle)
    unpaid = run(**{"teams.staff": {**TEAM, "fte": 0.0}, "places.flat.capacity": 0,
                    "segments.single.initial": {"hostel": 2}})
    assert ("idle_team", "staff") not in kinds(unpaid)
    busy = run(**{"teams.staff": TEAM})
    assert ("idle_team", "staff") not in kinds(busy)


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_the_report_shows_the_warnings_in_its_language(lang: str, tmp_path: Path) -> None:
    results = run(**{"places.flat.stay": {"dist": "exponential", "mean": 1e8}})
    found = warnings_of(results, lang)
    assert found and all("flat" in w.text or "hostel" in w.text for w in found)
    page = render_report(results, lang)
    assert page.count("class=warning") == len(found)
    start = TEXTS[lang]["nobody_leaves"].split("{")[0].strip()
    assert start in page
    folder = bosim.save(results, tmp_path / "out", lang=lang)
    again = render_report(bosim.load_results(folder), lang)
    assert again.count("class=warning") == len(found)


def test_every_warning_has_both_languages() -> None:
    assert set(TEXTS["en"]) == set(TEXTS["nb"]) == {
        "unstable_queue", "nobody_leaves", "no_crises", "idle_team"}
    for kind, text in TEXTS["en"].items():
        fields = {part.split("}")[0] for part in text.split("{")[1:]}
        assert fields == {part.split("}")[0] for part in TEXTS["nb"][kind].split("{")[1:]}
