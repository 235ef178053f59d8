"""The app's form: which keys it shows, and what a changed form means as overrides."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bosim.app.fields import (
    changed_overrides,
    form_fields,
    input_id,
    read_field,
    toml_key,
    toml_value,
    value_text,
)
from bosim.errors import InputError, InputErrors
from bosim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
STAFFING = ROOT / "scenarios" / "staffing" / "shared_office_hours.toml"
SMALL = ROOT / "tests" / "data" / "small.toml"


def by_path(scenario_path: Path) -> dict[str, object]:
    return {field.path: field for field in form_fields(load_scenario(scenario_path))}


def test_the_form_shows_capacities_groups_teams_and_prices() -> None:
    fields = by_path(STAFFING)
    assert fields["teams.day_team.fte"].value == 6  # type: ignore[attr-defined]
    assert fields["teams.day_team.hours"].shown == "mon-fri 08:00-16:00"  # type: ignore[attr-defined]
    assert "places.rop_housing.capacity" in fields
    assert "places.hostel.cost_per_occupied_day" in fields
    assert "segments.rop_chronic.arrivals_per_year" in fields
    assert "places.street.capacity" not in fields  # a street never runs out


def test_sections_come_in_order_places_groups_teams() -> None:
    sections = [field.section for field in form_fields(load_scenario(STAFFING))]
    assert sections == sorted(sections, key=["places", "segments", "teams"].index)


def test_capacity_plans_and_unlimited_are_shown_as_typed() -> None:
    fields = by_path(SMALL)
    assert fields["places.shared.capacity"].shown == "[4, 6, 6]"  # type: ignore[attr-defined]
    assert fields["places.ordinary.capacity"].shown == "unlimited"  # type: ignore[attr-defined]
    assert value_text(18.0) == "18"


def test_only_changed_keys_become_overrides() -> None:
    fields = form_fields(load_scenario(SMALL))
    typed = {field.path: field.shown for field in fields}
    assert changed_overrides(fields, typed) == {}
    typed["places.shared.capacity"] = "[4, 8, 8]"
    typed["places.ordinary.capacity"] = "unlimited"
    typed["places.shelter.cost_per_unit_day"] = 2400.0  # the same number
    typed["segments.chronic.arrivals_per_year"] = "9"
    assert changed_overrides(fields, typed) == {
        "places.shared.capacity": [4, 8, 8], "segments.chronic.arrivals_per_year": 9}


def test_text_is_read_as_set_reads_it() -> None:
    field = by_path(STAFFING)["teams.day_team.hours"]
    assert read_field(field, "24/7") == "24/7"  # type: ignore[arg-type]
    assert read_field(field, '["mon-fri 08:00-16:00", "sat 10:00-14:00"]') == [  # type: ignore[arg-type]
        "mon-fri 08:00-16:00", "sat 10:00-14:00"]


def test_every_empty_box_is_named_with_its_key() -> None:
    fields = form_fields(load_scenario(STAFFING))
    with pytest.raises(InputErrors) as raised:
        changed_overrides(fields, {"teams.day_team.fte": None, "teams.day_team.hours": " "})
    keys = [error.key for error in raised.value.errors]
    assert keys == ["teams.day_team.fte", "teams.day_team.hours"]
    assert all(isinstance(error, InputError) and error.fix for error in raised.value.errors)


def test_input_names_are_safe_and_stable() -> None:
    name = input_id("places.nattherberge ø.capacity")
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name)
    assert name == input_id("places.nattherberge ø.capacity")
    assert name != input_id("places.nattherberge o.capacity")


@pytest.mark.parametrize("value", [
    12, 0.18, 1e-05, 2400.0, "24/7", "nattherberge «ø»", ["mon-fri 08:00-16:00", "sat"],
    [4, 6, 6], {"dist": "gamma", "mean": 45.0, "cv": 0.8}, True,
])
def test_values_are_written_as_toml_that_reads_back(value: object) -> None:
    assert tomllib.loads(f"value = {toml_value(value)}")["value"] == value
    assert tomllib.loads(f"{toml_key('nattherberge ø')} = 1") == {"nattherberge ø": 1}
