"""The finding clock of outreach: open hours counted and inverted exactly, year by year."""

from __future__ import annotations

import math

import pytest

from bosim.engine.finding import FindingClock, day_open_hours_reach, open_hours_until
from bosim.scenario.hours import parse_hours
from bosim.units import DAYS_PER_YEAR

OFFICE = parse_hours("mon-fri 08:00-16:00")
ALWAYS = parse_hours("24/7")
CLOSED = parse_hours("closed")


@pytest.mark.parametrize(("day", "hours"), [
    (0.0, 0.0),                   # Monday 00:00
    (8 / 24, 0.0),                # Monday 08:00: opens
    (12 / 24, 4.0),               # Monday noon
    (1.0, 8.0),                   # Tuesday 00:00
    (5.0, 40.0),                  # Saturday: the week's 40 hours
    (7.0 + 9 / 24, 41.0),         # next Monday 09:00
])
def test_open_hours_are_counted_from_monday(day: float, hours: float) -> None:
    assert open_hours_until(OFFICE, day) == pytest.approx(hours, abs=1e-9)


@pytest.mark.parametrize("hours", [0.5, 4.0, 8.0, 8.5, 39.0, 41.0, 400.25])
def test_the_day_open_hours_reach_inverts_the_count(hours: float) -> None:
    day = day_open_hours_reach(OFFICE, hours)
    assert open_hours_until(OFFICE, day) == pytest.approx(hours, abs=1e-9)
    assert OFFICE.is_open(day - 1e-9)  # reached while open


def test_a_rate_that_starts_in_year_one_finds_from_day_365() -> None:
    """No staff in year 0, then 2 staff at 48 staff-hours per person: 1 unit of hazard
    takes 24 open hours of year 1."""
    clock = FindingClock(hours=(ALWAYS, ALWAYS), staff_on_duty=(0.0, 2.0),
                         staff_hours_to_find=48.0)
    assert clock.found_at(100.0, 1.0) == pytest.approx(DAYS_PER_YEAR + 1.0)


def test_hazard_left_at_the_year_end_carries_on_at_the_new_rate() -> None:
    """Year 0: 1 staff (1/24 per hour); year 1: 3 staff. From day 364, one day of year 0
    gives 1 unit of hazard; the second unit takes 8 hours of year 1."""
    clock = FindingClock(hours=(ALWAYS, ALWAYS), staff_on_duty=(1.0, 3.0),
                         staff_hours_to_find=24.0)
    assert clock.found_at(DAYS_PER_YEAR - 1.0, 2.0) == pytest.approx(DAYS_PER_YEAR + 8 / 24)


def test_office_hours_find_only_while_open() -> None:
    """1 staff, 8 staff-hours per person: 1 unit of hazard is one working day. From
    Friday 12:00, half a day is left that week: found Monday 12:00."""
    clock = FindingClock(hours=(OFFICE,), staff_on_duty=(1.0,), staff_hours_to_find=8.0)
    assert clock.found_at(4.5, 1.0) == pytest.approx(7.5)


def test_closed_or_unstaffed_teams_never_find() -> None:
    for hours, staff in ((CLOSED, 2.0), (ALWAYS, 0.0)):
        clock = FindingClock(hours=(hours,), staff_on_duty=(staff,), staff_hours_to_find=8.0)
        assert clock.found_at(0.0, 0.1) == math.inf
