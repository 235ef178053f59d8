"""Crises and the staff who handle them (docs/model.md, staff and crises).

A crisis clock gives each person's next crisis from a rate and a 24-hour profile by
exact inversion of the cumulative hazard: no polling, no hourly ticks. A team's staff
on duty are a pool of servers; a crisis is handled if one of them is free at once or
within the response limit.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bosim.engine.sampling import Sampler
from bosim.scenario.hours import ServiceHours
from bosim.units import HOURS_PER_DAY, HOURS_PER_WEEK

GOLDEN = 0.6180339887498949
"""Spreads a fractional staff member evenly over the hours of the week."""

PROFILES: dict[str, tuple[float, ...]] = {
    "flat": (1.0,) * 24,
    # assumption: crises cluster in office hours (08-16): three times the night rate.
    "day": tuple(3.0 if 8 <= hour < 16 else 1.0 for hour in range(24)),
    # assumption: crises cluster in the evening and night (16-08): twice the office-hours
    # rate, as the research on ROP services says (NORCE 2021).
    "evening_night": tuple(1.0 if 8 <= hour < 16 else 2.0 for hour in range(24)),
}
"""Hourly weights of the named crisis profiles (hour 0 is 00:00-01:00)."""

NONE, EMERGENCY, ADMISSION, BREAKDOWN = range(4)
"""Crisis outcomes, in the order of :class:`~bosim.scenario.model.CrisisOutcomes`."""


class CrisisClock:
    """Next crisis time for a rate per day with a 24-hour profile, by exact inversion."""

    def __init__(self, rate_per_day: float, weights: tuple[float, ...]) -> None:
        mean_weight = sum(weights) / len(weights)
        hourly = [rate_per_day / HOURS_PER_DAY * w / mean_weight for w in weights]
        cumulative = [0.0]
        for hazard in hourly:
            cumulative.append(cumulative[-1] + hazard)
        self.rate_per_day = rate_per_day
        self._hourly = hourly
        self._cumulative = cumulative  # hazard from 00:00 to each hour boundary
        self._per_day = cumulative[-1]

    def next_after(self, now: float, exponential: float) -> float:
        """The time (days) at which ``exponential`` units of hazard have passed since ``now``."""
        per_day = self._per_day
        if per_day <= 0.0:
            return math.inf
        day = math.floor(now)
        hour = (now - day) * HOURS_PER_DAY
        # Written out in one function: this runs once per crisis.
        cumulative = self._cumulative
        hourly = self._hourly
        whole = int(hour)
        if whole > 23:
            whole = 23
        target = cumulative[whole] + (hour - whole) * hourly[whole] + exponential
        whole_days, remainder = divmod(target, per_day)
        # The first hour whose end reaches the remaining hazard, skipping hours with no weight.
        reached = bisect.bisect_left(cumulative, remainder) - 1
        if reached > 23:
            reached = 23
        elif reached < 0:
            reached = 0
        while hourly[reached] <= 0.0 and reached < 23:
            reached += 1
        slope = hourly[reached]
        inside = (remainder - cumulative[reached]) / slope if slope > 0 else 0.0
        if inside < 0.0:
            inside = 0.0
        elif inside > 1.0:
            inside = 1.0
        return day + whole_days + (reached + inside) / HOURS_PER_DAY


@dataclass(frozen=True)
class CompiledTeam:
    """A team's staffing as the engine uses it; times in days unless named hours."""

    name: str
    places: tuple[int, ...]
    hours: ServiceHours
    fte: float
    hours_per_fte_year: float
    on_duty: float
    """Staff on duty while open: fte * hours_per_fte_year / open hours per year."""
    followup_per_resident: float
    """Staff on duty taken by routine follow-up of one resident (while open)."""
    followup_hours_per_resident_week: float
    response_limit_days: float
    handling_hours: Sampler


class Served(Protocol):
    """A place a team serves, as the team sees it: the people living there now."""

    present: int


@dataclass
class TeamState:
    """Staff of one team during a replication: who is busy until when."""

    team: CompiledTeam
    served: Sequence[Served]
    """The places the team serves (``team.places``; the same in every year of a plan)."""
    busy_until: list[float] = field(default_factory=list)
    """Heap of the days at which busy staff become free."""

    def handle(self, now: float, uniform: float) -> float | None:
        """Staff hours a crisis at day ``now`` takes if it is handled, else None.

        A crisis is handled if a staff member on duty for crises is free at once or
        within the response limit; they are then busy with it for the handling time,
        drawn from ``uniform``. Staff on duty for crises are those left after routine
        follow-up takes its share per person living in the served places (not counting
        units held for people away); a fractional staff member (e.g. 1.3 on duty) is on
        duty for that share of the hours of the week, spread evenly, so the average is
        exact.
        """
        busy = self.busy_until
        while busy and busy[0] <= now:
            heapq.heappop(busy)
        team = self.team
        service = team.hours
        if not service.always_open and not service.is_open(now):
            return None
        available = team.on_duty
        if team.followup_per_resident:
            residents = 0
            for place in self.served:
                residents += place.present
            available -= team.followup_per_resident * residents
        if available <= 0.0:
            return None
        staff = math.floor(available)
        hour_of_week = int((now * HOURS_PER_DAY) % HOURS_PER_WEEK)
        if (hour_of_week * GOLDEN) % 1.0 < available - staff:
            staff += 1
        if staff <= 0:
            return None
        if len(busy) < staff:
            hours = team.handling_hours.draw(uniform)
            heapq.heappush(busy, now + hours / HOURS_PER_DAY)
            return hours
        if busy[0] <= now + team.response_limit_days:
            hours = team.handling_hours.draw(uniform)
            # The first to be free takes it when free: only the heap's smallest and its
            # size matter, so replacing the smallest is popping it and pushing its end.
            heapq.heapreplace(busy, busy[0] + hours / HOURS_PER_DAY)
            return hours
        return None
