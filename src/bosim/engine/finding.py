"""When outreach finds a hidden person (docs/model.md, outreach and prevention).

An outreach team's staff on duty find each hidden person at a rate of (staff on duty) /
``staff_hours_to_find`` per hour. Staff are on duty in the team's service hours, as many
as the year's FTE gives, so the rate is constant within the open hours of a year and 0
when the team is closed. The time a person is found is drawn by exact inversion of that
piecewise-constant hazard: open hours are counted over whole weeks and the intervals of
the week, year by year; nothing polls.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bosim.scenario.hours import ServiceHours
from bosim.units import DAYS_PER_YEAR, HOURS_PER_DAY, HOURS_PER_WEEK


def open_hours_until(hours: ServiceHours, day: float) -> float:
    """Open hours from day 0 (Monday 00:00) to ``day``."""
    weeks, within = divmod(day * HOURS_PER_DAY, HOURS_PER_WEEK)
    inside = sum(min(max(within - start, 0.0), end - start) for start, end in hours.intervals)
    return weeks * hours.open_hours_per_week + inside


def day_open_hours_reach(hours: ServiceHours, open_hours: float) -> float:
    """The first day by which the team has been open ``open_hours`` hours since day 0.

    The team must be open some hours of the week.
    """
    weeks, left = divmod(open_hours, hours.open_hours_per_week)
    hour = hours.intervals[-1][1]
    counted = 0.0
    for start, end in hours.intervals:
        if left <= counted + (end - start):
            hour = start + (left - counted)
            break
        counted += end - start
    return (weeks * HOURS_PER_WEEK + hour) / HOURS_PER_DAY


@dataclass(frozen=True)
class FindingClock:
    """When a hidden person is found, for one outreach team's plan, by exact inversion.

    ``hours[y]`` and ``staff_on_duty[y]`` are the team's service hours and staff on duty
    while open in simulated year ``y``.
    """

    hours: tuple[ServiceHours, ...]
    staff_on_duty: tuple[float, ...]
    """Staff on duty while open, by simulated year."""
    staff_hours_to_find: float
    """Staff-hours on duty it takes on average to find one person."""

    def rate_per_hour(self, year: int) -> float:
        """The hazard of being found per open hour in simulated year ``year``."""
        return self.staff_on_duty[year] / self.staff_hours_to_find

    def found_at(self, now: float, exponential: float) -> float:
        """The day at which ``exponential`` units of hazard have passed since ``now``.

        ``inf`` when the simulated years end first (or the team never has staff on duty).
        """
        remaining = exponential
        start = now
        year = int(now // DAYS_PER_YEAR)
        while year < len(self.hours):
            end = (year + 1) * DAYS_PER_YEAR
            hours = self.hours[year]
            rate = self.rate_per_hour(year)
            if rate > 0.0 and hours.open_hours_per_week > 0.0:
                before = open_hours_until(hours, start)
                available = rate * (open_hours_until(hours, end) - before)
                if remaining <= available:
                    found = day_open_hours_reach(hours, before + remaining / rate)
                    return min(max(found, start), end)
                remaining -= available
            year += 1
            start = end
        return math.inf
