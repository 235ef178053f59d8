"""A planner's plan: checked with bosim validate's messages, saved as a file that extends."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bosim.app.plans import check_plan, plan_table, save_plan
from bosim.errors import InputError
from bosim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
STAFFING = ROOT / "scenarios" / "staffing" / "shared_office_hours.toml"
CHANGES = {"teams.day_team.fte": 8.5, "places.rop_housing.capacity": [100, 110],
           "segments.rop_chronic.arrivals_per_year": 20}


def test_a_bad_value_gets_the_message_of_set() -> None:
    with pytest.raises(InputError) as from_app:
        check_plan(STAFFING, {"teams.day_team.fte": -1})
    with pytest.raises(InputError) as from_set:
        load_scenario(STAFFING, {"teams.day_team.fte": -1}, override_source="--set")
    assert str(from_app.value) == str(from_set.value).replace("--set", "form")
    assert "teams.day_team.fte" in str(from_app.value)


def test_a_run_too_large_for_this_machine_is_refused() -> None:
    with pytest.raises(InputError, match="too large to finish here"):
        check_plan(STAFFING, {"simulation.years": 200}, replications=100_000)


def test_segments_are_written_as_a_list_by_name() -> None:
    assert plan_table(CHANGES) == {
        "teams": {"day_team": {"fte": 8.5}},
        "places": {"rop_housing": {"capacity": [100, 110]}},
        "segments": [{"name": "rop_chronic", "arrivals_per_year": 20}],
    }


def test_a_saved_plan_extends_the_original_with_only_the_changes(tmp_path: Path) -> None:
    written = save_plan(STAFFING, CHANGES, "More staff, more flats", tmp_path / "plans")
    assert written == tmp_path / "plans" / "more-staff-more-flats.toml"
    data = tomllib.loads(written.read_text(encoding="utf-8"))
    assert (written.parent / data["extends"]).resolve() == STAFFING.resolve()
    assert set(data) == {"extends", "meta", "teams", "places", "segments"}
    assert data["meta"]["name"] == "More staff, more flats"
    saved = load_scenario(written)
    expected = load_scenario(STAFFING, CHANGES)
    assert saved.teams == expected.teams and saved.places == expected.places
    assert saved.segments == expected.segments


def test_never_over_an_existing_file(tmp_path: Path) -> None:
    existing = tmp_path / "mine.toml"
    existing.write_text("# the planner's own file\n", encoding="utf-8")
    with pytest.raises(InputError, match="exists already") as raised:
        save_plan(STAFFING, CHANGES, "mine", tmp_path)
    assert raised.value.fix and "another name" in raised.value.fix
    assert existing.read_text(encoding="utf-8") == "# the planner's own file\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mine.toml"]


def test_a_plan_needs_a_name(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no name"):
        save_plan(STAFFING, CHANGES, "  ", tmp_path)
    assert not any(tmp_path.iterdir())


def test_a_plan_that_does_not_load_is_not_left_behind(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"teams\.day_team\.fte"):
        save_plan(STAFFING, {"teams.day_team.fte": -1}, "broken", tmp_path)
    assert not any(tmp_path.iterdir())


def test_the_plan_file_reads_as_a_planner_writes_one(tmp_path: Path) -> None:
    changes = {**CHANGES, "economics.perspective": "society",
               "economics.tax_financing_cost": 0.1,
               "teams.day_team.handling_hours": {"dist": "exponential", "mean": 2.0}}
    text = save_plan(STAFFING, changes, "all of it", tmp_path).read_text(encoding="utf-8")
    assert "[teams.day_team]\nfte = 8.5\n" in text
    assert "capacity = [100, 110]\n" in text
    assert "[[segments]]\nname = \"rop_chronic\"\narrivals_per_year = 20\n" in text
    assert text.count("[economics]") == 1
    assert "#   teams.day_team.fte = 8.5\n" in text  # the changes, listed at the top
    loaded = load_scenario(tmp_path / "all-of-it.toml")
    assert loaded.economics.tax_financing_cost == 0.1
    assert loaded.teams["day_team"].handling_hours == load_scenario(
        STAFFING, changes).teams["day_team"].handling_hours
