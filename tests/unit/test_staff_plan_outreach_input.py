"""Bad input for staff plans, hidden places, outreach and prevention: each names the key
and the fix (docs/model.md, staff plans; outreach and prevention)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bosim.engine import compile_scenario
from bosim.errors import InputError
from bosim.scenario import scenario_from_dict

BASE: dict[str, Any] = {
    "simulation": {"years": 2, "warmup_years": 0},
    "policy": {"waiting": ["street"]},
    "places": {
        "street": {"kind": "street"},
        "sofa": {"kind": "street", "hidden": True},
        "flat": {"kind": "ordinary", "capacity": 10},
    },
    "teams": {
        "followup": {"serves": ["flat"], "fte": [1.0, 2.0],
                     "handling_hours": {"dist": "fixed", "value": 1.0},
                     "prevention_hazard_ratio": {"chronic": 0.6}},
        "outreach": {"serves": ["street"], "fte": 2.0, "hours": [["mon-fri 08:00-16:00"]],
                     "handling_hours": {"dist": "fixed", "value": 1.0},
                     "outreach": {"places": ["sofa"], "staff_hours_to_find": 300.0}},
    },
    "segments": [{
        "name": "chronic", "arrivals_per_year": 10,
        "breakdown_rate_per_year": {"flat": 0.2},
        "routes": {"start": {"sofa": 0.5, "flat": 0.5}, "sofa": {"flat": 1.0},
                   "breakdown": {"sofa": 1.0}},
    }],
}


def changed(path: str, value: object) -> dict[str, Any]:
    """BASE with the dotted ``path`` set to ``value`` (``None`` deletes it)."""
    data = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return data


def error_of(data: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as raised:
        scenario_from_dict(data)
    return raised.value


def test_the_base_is_valid_and_compiles() -> None:
    compiled = compile_scenario(scenario_from_dict(BASE))
    assert compiled.hidden == (False, True, False)
    assert compiled.finding[1] is not None and compiled.finding[0] is None
    # prevention: 0.2 per year x 0.6
    assert compiled.breakdown_rate_per_day[0][2] == pytest.approx(0.2 * 0.6 / 365)
    assert [team.fte for team in compiled.team_plans[0]] == [1.0, 2.0]


@pytest.mark.parametrize(("path", "value", "key", "words"), [
    ("teams.followup.fte", [1.0, -2.0], "teams.followup.fte", "in observed year 1"),
    ("teams.followup.fte", [], "teams.followup.fte", "at least one year"),
    ("teams.followup.fte", "four", "teams.followup.fte", "must be a number of FTE"),
    ("teams.followup.fte", [1.0, 2.0, 3.0], "teams.followup.fte", "plan has 3 years"),
    ("teams.outreach.hours", [["24/7"], "mon 08:00-10:00"], "teams.outreach.hours",
     "not both"),
    ("teams.outreach.hours", [["24/7"], ["weekdays 8-16"]], "teams.outreach.hours",
     "observed year 1"),
    ("teams.outreach.hours", [["24/7"], ["24/7"], ["24/7"]], "teams.outreach.hours",
     "plan has 3 years"),
    ("places.flat.hidden", True, "places.flat.hidden", "only street places"),
    ("policy.waiting", ["sofa"], "policy.waiting", "known to the services"),
    ("teams.outreach.outreach.places", ["street"], "teams.outreach.outreach.places[0]",
     "not hidden"),
    ("teams.outreach.outreach.places", ["sofaa"], "teams.outreach.outreach.places[0]",
     "unknown place"),
    ("teams.outreach.outreach.staff_hours_to_find", 0.0,
     "teams.outreach.outreach.staff_hours_to_find", "> 0"),
    ("segments.0.routes.sofa", None, "segments.chronic.routes.sofa", "no route"),
    ("teams.followup.prevention_hazard_ratio", {"chronik": 0.6},
     "teams.followup.prevention_hazard_ratio.chronik", "unknown segment"),
    ("teams.followup.prevention_hazard_ratio", {"chronic": -0.1},
     "teams.followup.prevention_hazard_ratio.chronic", ">= 0"),
    ("teams.followup.prevention_hazard_ratio", {"chronic": 11.0},
     "teams.followup.prevention_hazard_ratio.chronic", "<= 10"),
    ("teams.followup.serves", ["street"], "teams.followup.prevention_hazard_ratio",
     "serves no housed place"),
    ("teams.followup.fte", [0.0, 2.0], "teams.followup.fte", "no staff in a year"),
])
def test_bad_input_names_the_key_and_the_fix(path: str, value: object, key: str,
                                             words: str) -> None:
    error = error_of(changed(path, value))
    errors = getattr(error, "errors", [error])
    matching = [e for e in errors if e.key == key]
    assert matching, f"no error at {key}: {error}"
    assert any(words in e.message for e in matching), str(error)
    assert all(e.fix for e in matching), str(error)


def test_a_second_team_cannot_search_the_same_hidden_place() -> None:
    data = copy.deepcopy(BASE)
    data["teams"]["second"] = {**data["teams"]["outreach"], "serves": ["flat"]}
    del data["teams"]["followup"]
    error = error_of(data)
    assert "searched by team 'outreach' already" in str(error)
    assert "teams.second.outreach.places[0]" in str(error)
