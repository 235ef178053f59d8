"""What each plan is: the settings that differ between resolved scenarios, in words."""

from __future__ import annotations

from pathlib import Path

from bosim.analysis.plan_diff import flatten, plan_differences
from bosim.presentation.language import setting_words, value_words
from bosim.scenario import load_scenario, with_overrides

SMALL = Path(__file__).parents[1] / "data" / "small.toml"


def test_flatten_keys_segments_by_name_and_keeps_other_lists() -> None:
    data = {"places": {"flat": {"capacity": 4, "description": "x"}},
            "segments": [{"name": "young", "arrivals_per_year": 3.0}],
            "teams": {"act": {"serves": ["flat"]}}}
    assert flatten(data) == {"places.flat.capacity": 4,
                             "segments.young.arrivals_per_year": 3.0,
                             "teams.act.serves": ["flat"]}


def test_only_settings_that_differ_are_listed() -> None:
    base = load_scenario(SMALL)
    place = next(iter(base.places))
    changed = with_overrides(base, {f"places.{place}.cost_per_admission": 123.0,
                                    f"places.{place}.description": "other words",
                                    "meta.label": "Plan B"})
    differences = plan_differences({"a": base, "b": changed})
    assert list(differences.setting) == [f"places.{place}.cost_per_admission"]
    assert differences["b"].iloc[0] == 123.0
    assert plan_differences({"a": base, "b": base}).empty


def test_a_setting_only_one_plan_has_is_none_in_the_other() -> None:
    staffing = Path(__file__).parents[2] / "scenarios" / "staffing"
    differences = plan_differences({
        "office": load_scenario(staffing / "shared_office_hours.toml"),
        "hf": load_scenario(staffing / "housing_first.toml")})
    row = differences[differences.setting == "teams.hf_team.fte"]
    assert row["office"].iloc[0] is None and row["hf"].iloc[0] == 10.0
    assert not differences.setting.str.startswith("uncertainty").any()
    assert "places.rop_housing.kind" in set(differences.setting)


def test_settings_read_as_words_with_labels() -> None:
    base = load_scenario(SMALL)
    place = next(iter(base.places))
    labelled = with_overrides(base, {f"places.{place}.label": "Nattherberget"})
    assert setting_words(f"places.{place}.capacity", {"a": labelled}, "nb") == \
        "Nattherberget: kapasitet"
    assert setting_words(f"places.{place}.capacity", {"a": base}, "en") == f"{place}: capacity"
    assert value_words(1020000.0, "nb") == "1\u00a0020\u00a0000"
    assert value_words(1.5, "nb") == "1,50"
    assert value_words(None, "en") == "–"
