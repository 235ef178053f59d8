"""Who pays: every comparison shows the municipality, the state and society side by side.

Hand-written replications (no simulation): a plan that saves the state more than it costs
the municipality must be called dominant for the public purse and not for the
municipality, and say so in plain words first.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bosim.analysis.comparison import (
    ECONOMIC_METRICS,
    compare_results,
    dominance,
    perspective_dominance,
    plan_labels,
)
from bosim.analysis.metric_table import metric
from bosim.presentation.comparison_report import budget_message
from bosim.scenario import Scenario, load_scenario

SMALL = Path(__file__).parents[1] / "data" / "small.toml"
NEW = ("incremental_cost_pv_municipality", "incremental_cost_pv_state",
       "incremental_cost_pv_other", "incremental_tax_financing_cost_pv",
       "incremental_cost_pv_public", "incremental_cost_pv_society",
       "icer_cost_per_housed_year_municipality", "icer_cost_per_housed_year_public",
       "icer_cost_per_housed_year_society")


@dataclass
class Plan:
    """What a comparison needs of a plan."""

    scenario: Scenario
    replications: pd.DataFrame


def plan(municipality: float, state: float, other: float, housed: float,
         tax: float = 0.2, count: int = 8) -> Plan:
    """Replications with the given present values by payer (public perspective)."""
    generator = np.random.default_rng(0)  # the same noise in every plan (paired)
    rows = []
    for replication in range(count):
        noise = generator.normal(0, 1.0)
        parts = {"cost_pv_municipality": municipality + noise, "cost_pv_state": state - noise,
                 "cost_pv_other": other}
        public = parts["cost_pv_municipality"] + parts["cost_pv_state"]
        values = {**parts, "tax_financing_cost_pv": tax * public, "cost_pv": public,
                  "cost_total": public, "housed_person_years": housed + noise,
                  "housed_person_years_pv": housed + noise, "homeless_person_years": 10 - housed}
        rows += [(0, replication, name, "", "", value) for name, value in values.items()]
    frame = pd.DataFrame(rows, columns=["sample", "replication", "metric", "segment", "place",
                                        "value"])
    return Plan(load_scenario(SMALL), frame)


def means(table: pd.DataFrame) -> dict[str, float]:
    return dict(zip(table.metric, table.diff_mean, strict=True))


def test_payer_parts_add_up_to_each_perspective() -> None:
    comparison = compare_results(["base", "plan"], {
        "base": plan(100.0, 200.0, 10.0, 5.0), "plan": plan(126.0, 153.0, 12.0, 8.0)}, 1)
    found = means(comparison.table)
    assert found["incremental_cost_pv_municipality"] == pytest.approx(26.0)
    assert found["incremental_cost_pv_state"] == pytest.approx(-47.0)
    assert found["incremental_cost_pv_other"] == pytest.approx(2.0)
    assert found["incremental_cost_pv_public"] == pytest.approx(-21.0)
    assert found["incremental_tax_financing_cost_pv"] == pytest.approx(0.2 * -21.0)
    assert found["incremental_cost_pv_society"] == pytest.approx(-21.0 + 2.0 - 4.2)
    # the base's perspective (public here) keeps its rows and names
    assert found["incremental_cost_pv"] == pytest.approx(found["incremental_cost_pv_public"])
    assert found["icer_cost_per_housed_year_municipality"] == pytest.approx(26.0 / 3.0)


def test_dominance_is_stated_per_perspective() -> None:
    comparison = compare_results(["base", "plan"], {
        "base": plan(100.0, 200.0, 0.0, 5.0), "plan": plan(126.0, 153.0, 0.0, 8.0)}, 1)
    verdicts = perspective_dominance(comparison.table, "plan")
    assert verdicts == {"municipality": None, "public": "dominant", "society": "dominant"}
    assert dominance(comparison.table, "plan") == "dominant"  # the base's (public) view


def test_a_plan_that_costs_the_municipality_more_says_so_first() -> None:
    comparison = compare_results(["base", "plan"], {
        "base": plan(100e6, 200e6, 0.0, 5.0), "plan": plan(126e6, 153e6, 0.0, 8.0)}, 1)
    english = budget_message(comparison.table, "plan", "Housing First", "Today", "NOK")
    assert english.startswith("Housing First saves public money")
    assert "costs the municipality more: 26.0\u00a0million NOK" in english
    bokmal = budget_message(comparison.table, "plan", "Housing First", "I dag", "NOK", "nb")
    assert "koster kommunen mer: 26,0\u00a0mill.\u00a0kr" in bokmal
    saving = compare_results(["base", "plan"], {
        "base": plan(100e6, 200e6, 0.0, 5.0), "plan": plan(90e6, 190e6, 0.0, 8.0)}, 1)
    assert "saves both" in budget_message(saving.table, "plan", "P", "B", "NOK")


def test_new_metrics_are_in_the_metric_table() -> None:
    for name in NEW:
        assert metric(name).scope == "comparison"
        assert name in ECONOMIC_METRICS
    docs = (Path(__file__).parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert all(name in docs for name in NEW)


def test_plans_are_named_by_their_labels_unless_two_read_the_same() -> None:
    base = plan(1.0, 1.0, 0.0, 1.0)
    labelled = Plan(base.scenario.model_copy(update={"meta": base.scenario.meta.model_copy(
        update={"label": "Housing First"})}), base.replications)
    assert plan_labels(["a", "b"], {"a": base, "b": labelled})["b"] == "Housing First"
    assert plan_labels(["a", "b"], {"a": base, "b": base}) == {"a": "a", "b": "b"}


def test_the_terminal_shows_who_pays(tmp_path: Path) -> None:
    alternative = tmp_path / "more.toml"
    alternative.write_text(f'extends = "{SMALL}"\n[places.housing_first]\ncapacity = 5\n')
    for lang, words in (("en", ("Who pays", "municipality", "state", "society")),
                        ("nb", ("Hvem betaler", "kommunen", "staten", "samfunnet"))):
        done = subprocess.run(
            [sys.executable, "-m", "bosim.cli", "compare", str(SMALL), str(alternative), "-q",
             "-r", "2", "-o", str(tmp_path / lang), "--lang", lang],
            capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert all(word in done.stdout for word in words), done.stdout
