"""``remove`` in a file that ``extends`` another: drop a place, team, segment or route entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from bosim.errors import InputError, InputErrors
from bosim.scenario import load_scenario

BASE = """
[meta]
name = "base"
[simulation]
years = 2        # assumption: a short test horizon
warmup_years = 0 # assumption: none needed
[policy]
waiting = ["shelter", "hostel", "street"]
[places.street]
kind = "street"
[places.shelter]
kind = "acute"
capacity = 4     # assumption: test value
[places.hostel]
kind = "acute"
capacity = "unlimited"
[places.home]
kind = "ordinary"
capacity = 10    # assumption: test value
[teams.night_team]
serves = ["home"]
fte = 2.0        # assumption: test value
handling_hours = { dist = "fixed", value = 1.0 }
[[segments]]
name = "chronic"
arrivals_per_year = 5   # assumption: test value
initial = { hostel = 1 }
[segments.routes]
start = { home = 0.5, hostel = 0.5 }
hostel = { home = 1.0 }
[[segments]]
name = "young"
arrivals_per_year = 2   # assumption: test value
[segments.routes]
start = { home = 1.0 }
"""


def write(folder: Path, text: str) -> Path:
    (folder / "base.toml").write_text(BASE, encoding="utf-8")
    child = folder / "child.toml"
    child.write_text('extends = "base.toml"\n' + text, encoding="utf-8")
    return child


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    error = caught.value
    if isinstance(error, InputErrors):
        return error.errors[0]
    return error


def test_a_place_and_everything_pointing_at_it_can_go(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, """
remove = ["places.hostel", "segments.chronic.initial.hostel",
          "segments.chronic.routes.hostel", "segments.chronic.routes.start.hostel"]
[policy]
waiting = ["shelter", "street"]
[[segments]]
name = "chronic"
routes.start = { home = 1.0 }
"""))
    assert list(scenario.places) == ["street", "shelter", "home"]
    assert scenario.segment("chronic").routes == {"start": {"home": 1.0}}
    assert scenario.segment("chronic").initial == {}


def test_a_team_and_a_segment_can_go(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, 'remove = ["teams.night_team", "segments.young"]\n'))
    assert scenario.teams == {}
    assert [segment.name for segment in scenario.segments] == ["chronic"]


def test_removed_then_written_again_replaces_the_whole_entry(tmp_path: Path) -> None:
    """Without remove, a table merges over the base's; with it, the base's keys are gone."""
    scenario = load_scenario(write(tmp_path, """
remove = ["teams.night_team"]
[teams.night_team]
serves = ["home"]
fte = 1.0   # assumption: test value
handling_hours = { dist = "fixed", value = 2.0 }
hours = "daily 20:00-08:00"
"""))
    assert scenario.teams["night_team"].fte == 1.0
    assert scenario.teams["night_team"].hours == "daily 20:00-08:00"


def test_something_still_pointing_at_a_removed_place_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputErrors) as caught:
        load_scenario(write(tmp_path, 'remove = ["places.hostel"]\n'))
    keys = {error.key for error in caught.value.errors}
    assert keys == {"policy.waiting", "segments.chronic.initial.hostel",
                    "segments.chronic.routes.start.hostel", "segments.chronic.routes.hostel"}
    by_key = {error.key: error for error in caught.value.errors}
    waiting = by_key["policy.waiting"]
    assert "places.hostel is removed" in str(waiting)
    # a list cannot lose one name by remove: it is written again
    assert waiting.fix == "set policy.waiting again in this file without 'hostel'"
    route = by_key["segments.chronic.routes.start.hostel"]
    assert route.fix is not None and route.fix.startswith(
        'add "segments.chronic.routes.start.hostel" to remove')
    assert waiting.file is not None and waiting.file.endswith("child.toml")


def test_a_team_still_named_by_the_uncertainty_register(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, """
remove = ["teams.night_team"]
[uncertainty.fte]
path = "teams.night_team.fte"
interval80 = [1.0, 3.0]   # assumption: test value
source = "assumption: test"
"""))
    assert error.key == "uncertainty.fte.path"
    assert "teams.night_team is removed" in str(error)


def test_an_unknown_path_is_named_with_a_suggestion(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, 'remove = ["places.hostle"]\n'))
    assert error.key == "remove"
    assert "'places.hostle'" in str(error) and "places has no 'hostle'" in str(error)
    assert error.fix is not None and "hostel" in error.fix


def test_an_unknown_segment_is_named(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, 'remove = ["segments.old.routes"]\n'))
    assert "segments has no 'old'" in str(error)


def test_remove_must_be_a_list_of_paths(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, 'remove = "places.hostel"\n'))
    assert error.key == "remove" and error.fix is not None and "remove = [" in error.fix


def test_an_empty_path_is_refused(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, 'remove = [""]\n'))
    assert error.key == "remove" and "empty" in str(error)


def test_remove_without_extends_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "alone.toml"
    path.write_text('remove = ["places.hostel"]\n' + BASE, encoding="utf-8")
    error = error_of(path)
    assert error.key == "remove" and "extends none" in str(error)


def test_a_route_entry_removed_leaves_a_route_that_must_sum_to_one(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, 'remove = ["segments.chronic.routes.start.hostel"]\n'))
    assert error.key is not None and error.key.startswith("segments.chronic.routes.start")
