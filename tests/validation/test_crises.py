"""Staff, service hours and crises against theory (model.md section 3).

Intervals are the replications' 99 % t-intervals, as in test_queueing_theory.py.
"""

from __future__ import annotations

import copy
import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import bosim
from bosim.analysis.summary import interval
from bosim.analysis.theory import erlang_b
from bosim.scenario import scenario_from_dict
from builders import values
from trace_checks import assert_capacity_respected, assert_conserved

pytestmark = pytest.mark.slow  # long runs against Erlang B and the service-hours shares

CONFIDENCE = 0.99
RESIDENTS = 10
HANDLING_HOURS = 2.0


def staffed_home(
    *,
    staff_on_duty: float,
    load: float,
    hours: str = "24/7",
    profile: str | list[float] = "flat",
    replications: int = 20,
    response_limit_hours: float = 0.0,
    followup: float = 0.0,
    handled: dict[str, float] | None = None,
    unhandled: dict[str, float] | None = None,
    years: int = 1,
) -> dict[str, Any]:
    """RESIDENTS people living for good in one place, a team serving it, Poisson crises.

    ``load`` is the offered load a = lambda * E[handling] in staff, with lambda the crisis
    rate of all residents together; ``staff_on_duty`` is exact with hours_per_fte_year = 8760
    on a 24/7 team.
    """
    crises_per_hour = load / HANDLING_HOURS
    return {
        "simulation": {"years": years, "warmup_years": 0, "replications": replications,
                       "seed": 17},
        "policy": {"waiting": ["street"]},
        "places": {
            "street": {"kind": "street"},
            "home": {"kind": "housing_first", "capacity": RESIDENTS},
            "ward": {"kind": "institution", "capacity": 2,
                     "stay": {"dist": "exponential", "mean": 10.0}},
        },
        "teams": {
            "team": {
                "serves": ["home"], "fte": staff_on_duty, "hours": hours,
                "hours_per_fte_year": 8760.0 * _open_share(hours),
                "followup_hours_per_resident_week": followup,
                "response_limit_hours": response_limit_hours,
                "handling_hours": {"dist": "exponential", "mean": HANDLING_HOURS},
            }
        },
        "segments": [{
            "name": "residents",
            "initial": {"home": RESIDENTS},
            "breakdown_rate_per_year": {"home": 0.0},
            "routes": {"breakdown": {"street": 1.0}, "start": {"home": 1.0}},
            "crisis": {
                "rate_per_year": crises_per_hour * 8760.0 / RESIDENTS,
                "profile": profile,
                "handled": handled or {"none": 1.0},
                "unhandled": unhandled or {"none": 1.0},
            },
        }],
    }


def _open_share(hours: str) -> float:
    from bosim.scenario.hours import parse_hours

    return parse_hours(hours).open_hours_per_week / 168.0 or 1.0


def unmet(data: dict[str, Any]) -> np.ndarray:
    results = bosim.simulate(scenario_from_dict(data))
    return values(results.replications, "unmet_crisis_share")


def assert_in_interval(sample: np.ndarray, theory: float, what: str) -> None:
    mean, _, low, high, _ = interval(sample, CONFIDENCE)
    assert low <= theory <= high, f"{what}: {theory:.4f} not in [{low:.4f}, {high:.4f}] ({mean})"


@pytest.mark.parametrize(("servers", "load"), [(1, 0.5), (2, 1.5), (4, 3.0)])
def test_unmet_share_is_erlang_b(servers: int, load: float) -> None:
    """A 24/7 team with c staff, no response time, no follow-up: a loss system M/M/c/c."""
    sample = unmet(staffed_home(staff_on_duty=servers, load=load))
    assert_in_interval(sample, erlang_b(servers, load), f"B({servers}, {load})")


def test_a_team_that_is_never_open_handles_nothing() -> None:
    sample = unmet(staffed_home(staff_on_duty=3, load=0.5, hours="closed", replications=3))
    assert np.all(sample == 1.0)


def test_abundant_staff_around_the_clock_handle_everything() -> None:
    sample = unmet(staffed_home(staff_on_duty=50, load=0.5, replications=3))
    assert np.all(sample == 0.0)


def test_office_hours_handle_the_open_share_of_the_week() -> None:
    """Abundant staff open mon-fri 08-16, crises at any hour: 40 of 168 hours are covered."""
    data = staffed_home(staff_on_duty=50, load=0.5, hours="mon-fri 08:00-16:00")
    handled = 1.0 - unmet(data)
    assert_in_interval(handled, 40.0 / 168.0, "handled share with office hours")


def test_office_hours_with_evening_and_night_crises() -> None:
    """With the evening_night profile the handled share is the profile's weight in open hours."""
    from bosim.engine.crises import PROFILES

    weights = np.array(PROFILES["evening_night"])
    expected = 5.0 / 7.0 * weights[8:16].sum() / weights.sum()
    data = staffed_home(staff_on_duty=50, load=0.5, hours="mon-fri 08:00-16:00",
                        profile="evening_night")
    handled = 1.0 - unmet(data)
    assert_in_interval(handled, expected, "handled share, evening_night profile")
    assert expected < 40.0 / 168.0  # the profile matters


def test_night_shift_past_midnight() -> None:
    """'daily 20:00-08:00' covers 12 of 24 hours; with a flat profile half the crises."""
    data = staffed_home(staff_on_duty=50, load=0.5, hours="daily 20:00-08:00")
    assert_in_interval(1.0 - unmet(data), 0.5, "handled share, night shift")


def test_more_staff_never_raises_the_unmet_share() -> None:
    """Common random numbers: the same people have the same crises at every staffing level."""
    means = []
    for fte in (0.5, 1.0, 2.0, 3.0, 5.0):
        data = staffed_home(
            staff_on_duty=fte, load=1.5, followup=3.0, response_limit_hours=0.5,
            unhandled={"none": 0.6, "emergency": 0.2, "admission": 0.1, "breakdown": 0.1},
            handled={"none": 0.95, "emergency": 0.03, "admission": 0.01, "breakdown": 0.01},
            replications=10,
        )
        data["segments"][0]["routes"]["breakdown"] = {"home": 1.0}  # rehoused: stays served
        means.append(float(unmet(data).mean()))
    assert all(a >= b for a, b in itertools.pairwise(means)), means
    assert means[0] > means[-1] + 0.2


def test_follow_up_takes_staff_time() -> None:
    """10 residents x 8.4 h/week = 0.5 staff on duty in follow-up: 1.5 staff act like 1."""
    with_followup = unmet(staffed_home(staff_on_duty=1.5, load=0.5, followup=8.4))
    assert_in_interval(with_followup, erlang_b(1, 0.5), "1.5 staff minus 0.5 for follow-up")


def test_admission_keeps_the_unit_and_the_institution_stay_counts() -> None:
    data = staffed_home(staff_on_duty=0, load=0.05, hours="closed", replications=4, years=3,
                        unhandled={"none": 0.5, "admission": 0.5})
    results = bosim.simulate(scenario_from_dict(data), trace=True)
    assert_conserved(results.records)
    assert_capacity_respected(results.records, results.scenario)
    frame = results.replications
    assert values(frame, "institution_days").min() > 0
    # Everyone keeps their unit while away: the home is always full.
    np.testing.assert_allclose(values(frame, "mean_occupancy", "home"), RESIDENTS)
    events = results.events
    assert events is not None
    admissions = events[(events.event == "admission") & (events.place == "ward")]
    returns = events[events.event == "return"]
    assert len(admissions) > 0 and len(returns) >= len(admissions) - 2 * 4


def test_a_full_institution_means_an_emergency() -> None:
    data = staffed_home(staff_on_duty=0, load=0.5, hours="closed", replications=2,
                        unhandled={"admission": 1.0})
    data["places"]["ward"]["capacity"] = 0
    results = bosim.simulate(scenario_from_dict(data))
    frame = results.replications
    crises = values(frame, "crises_per_person_year") * values(frame, "person_years")
    np.testing.assert_allclose(values(frame, "emergency_events"), crises, rtol=1e-9)
    assert values(frame, "institution_days").max() == 0


def test_crisis_breakdowns_end_tenancies() -> None:
    base = staffed_home(staff_on_duty=0, load=0.05, hours="closed", replications=3,
                        unhandled={"none": 0.7, "breakdown": 0.3})
    results = bosim.simulate(scenario_from_dict(base))
    assert values(results.replications, "breakdowns_per_100_person_years").min() > 0
    calm = copy.deepcopy(base)
    calm["segments"][0]["crisis"]["unhandled"] = {"none": 1.0}
    quiet = bosim.simulate(scenario_from_dict(calm))
    assert values(quiet.replications, "breakdowns_per_100_person_years").max() == 0


def test_staff_utilization_counts_crises_and_follow_up() -> None:
    """Abundant staff handle everything: utilization = (crisis hours + follow-up) / hours paid."""
    data = staffed_home(staff_on_duty=4, load=0.5, followup=2.0, replications=5)
    results = bosim.simulate(scenario_from_dict(data))
    utilization = values(results.replications, "staff_utilization", "team")
    crisis_hours = 0.5 * 8760 * (1 - values(results.replications, "unmet_crisis_share"))
    followup_hours = RESIDENTS * 2.0 * 365 / 7
    expected = (crisis_hours + followup_hours) / (4 * 8760)
    np.testing.assert_allclose(utilization, expected, rtol=0.05)


# ------------------------------------------------------------------ bad input

TEAM_SCENARIO = """
[policy]
waiting = ["street"]
[places.street]
kind = "street"
[places.home]
kind = "housing_first"
capacity = 4
[teams.hf]
serves = ["home"]
fte = 2.0
hours = "mon-fri 08:00-16:00"
handling_hours = { dist = "exponential", mean = 1.5 }
[[segments]]
name = "a"
initial = { home = 2 }
[segments.crisis]
rate_per_year = 10
handled = { none = 0.9, emergency = 0.1 }
unhandled = { none = 0.5, emergency = 0.5 }
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('"mon-fri 08:00-16:00"', '"weekdays 8-16"',
         ["teams.hf.hours: cannot read 'weekdays 8-16'", 'fix: write e.g. hours = "mon-fri']),
        ('"mon-fri 08:00-16:00"', '["mon-fri 08:00-16:00", "sun 25:00-26:00"]',
         ["teams.hf.hours: 'sun 25:00-26:00': 25:00 is not a time of day"]),
        ('"mon-fri 08:00-16:00"', '"funday 08:00-12:00"', ["unknown day 'fun'"]),
        ("none = 0.5, emergency = 0.5", "none = 0.5, emergency = 0.6",
         ["segments.a.crisis.unhandled: outcome probabilities sum to 1.1, not 1",
          "fix: make none + emergency + admission + breakdown add up to exactly 1"]),
        ('serves = ["home"]', 'serves = ["hom"]',
         ["teams.hf.serves[0]: unknown place 'hom'", "did you mean 'home'?"]),
        ("emergency = 0.5 }", "admission = 0.5 }",
         ["segments.a.crisis.institution: crises can lead to admission, but there is no "
          "institution place"]),
        ("rate_per_year = 10", 'rate_per_year = 10\nprofile = "nightly"',
         ["segments.a.crisis.profile: unknown profile 'nightly'"]),
        ("rate_per_year = 10", "rate_per_year = 10\nprofile = [1, 2]",
         ["segments.a.crisis.profile: a profile has 24 hourly weights, got 2"]),
        ("none = 0.9, emergency = 0.1", "none = 0.9, emergancy = 0.1",
         ["segments.a.crisis.handled.emergancy: unknown key 'emergancy'",
          "did you mean 'emergency'?"]),
    ],
)
def test_bad_staff_and_crisis_input(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    import subprocess
    import sys

    assert TEAM_SCENARIO.count(old) == 1
    path = tmp_path / "teams.toml"
    path.write_text(TEAM_SCENARIO.replace(old, new))
    done = subprocess.run([sys.executable, "-m", "bosim.cli", "run", str(path), "-o",
                           str(tmp_path / "out"), "-q"], capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{path}:" in done.stderr
    for text in expected:
        assert text in done.stderr
    assert not (tmp_path / "out").exists()


def test_team_scenario_is_valid_as_written(tmp_path: Path) -> None:
    path = tmp_path / "teams.toml"
    path.write_text(TEAM_SCENARIO)
    results = bosim.simulate(bosim.load_scenario(path), replications=2)
    assert 0.0 < results.metric("unmet_crisis_share") < 1.0
