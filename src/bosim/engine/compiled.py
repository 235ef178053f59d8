"""The scenario turned into index-based tables the engine can use without look-ups by name."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from bosim.sampling import Sampler, make_sampler
from bosim.scenario.model import (
    BREAKDOWN,
    EXIT,
    HOMELESS_KINDS,
    HOUSED_KINDS,
    START,
    Scenario,
)

DAYS_PER_YEAR = 365.0
EXIT_INDEX = -1
"""Route destination index meaning 'leaves the target group'."""


@dataclass(frozen=True)
class Route:
    """A route table as cumulative probabilities and destination indices (``-1``: exit)."""

    cumulative: tuple[float, ...]
    destinations: tuple[int, ...]

    def choose(self, uniform: float) -> int:
        """The destination for a uniform in [0, 1)."""
        for threshold, destination in zip(self.cumulative, self.destinations, strict=True):
            if uniform < threshold:
                return destination
        return self.destinations[-1]


@dataclass(frozen=True)
class CompiledScenario:
    """Everything the engine needs, by index: places ``p``, segments ``s``, simulated years ``y``.

    Simulated year 0 is the first warm-up year; observed year 0 is simulated year
    ``warmup_years``. Rates are per day.
    """

    place_names: tuple[str, ...]
    place_kinds: tuple[str, ...]
    housed: tuple[bool, ...]
    homeless: tuple[bool, ...]
    leave_when_ready: tuple[bool, ...]
    capacity: tuple[tuple[float, ...], ...]
    """``capacity[p][y]`` units in simulated year y (``inf``: unlimited)."""
    waiting: tuple[int, ...]
    waiting_rank: tuple[int, ...]
    """Position of each place in the waiting list, or a large number if it is not there."""
    segment_names: tuple[str, ...]
    priority: tuple[int, ...]
    """Queue priority per segment (0 for everyone under FIFO)."""
    arrivals_per_day: tuple[tuple[float, ...], ...]
    """``arrivals_per_day[s][y]``."""
    exit_rate_per_day: tuple[float, ...]
    start_route: tuple[Route | None, ...]
    breakdown_route: tuple[Route | None, ...]
    place_route: tuple[tuple[Route | None, ...], ...]
    """``place_route[s][p]``: where people go when their stay ends."""
    stay: tuple[tuple[Sampler | None, ...], ...]
    """``stay[s][p]``."""
    breakdown_rate_per_day: tuple[tuple[float, ...], ...]
    """``breakdown_rate_per_day[s][p]``."""
    initial: tuple[tuple[tuple[int, int], ...], ...]
    """``initial[s]``: (place, people) pairs at time 0."""
    warmup_years: int
    observed_years: int

    @property
    def simulated_years(self) -> int:
        """Warm-up plus observed years."""
        return self.warmup_years + self.observed_years

    @property
    def horizon_days(self) -> float:
        """Simulated days in all."""
        return self.simulated_years * DAYS_PER_YEAR

    @property
    def warmup_days(self) -> float:
        """Day the observed window starts."""
        return self.warmup_years * DAYS_PER_YEAR


def compile_scenario(scenario: Scenario) -> CompiledScenario:
    """Build the engine's tables from a validated scenario."""
    names = scenario.place_names()
    index = {name: position for position, name in enumerate(names)}
    index[EXIT] = EXIT_INDEX
    warmup = scenario.simulation.warmup_years
    years = range(warmup + scenario.simulation.years)
    places = [scenario.places[name] for name in names]
    waiting = tuple(index[name] for name in scenario.policy.waiting)
    segments = scenario.segments
    by_segment_priority = scenario.policy.priority == "segment"

    def route(table: dict[str, float] | None) -> Route | None:
        if table is None:
            return None
        items = [(index[name], p) for name, p in table.items() if p > 0]
        cumulative = tuple(itertools.accumulate(p for _, p in items))
        return Route(tuple(c / cumulative[-1] for c in cumulative), tuple(d for d, _ in items))

    def sampler(segment_index: int, name: str) -> Sampler | None:
        spec = scenario.stay_for(segments[segment_index], name)
        return make_sampler(spec) if spec is not None else None

    return CompiledScenario(
        place_names=tuple(names),
        place_kinds=tuple(place.kind for place in places),
        housed=tuple(place.kind in HOUSED_KINDS for place in places),
        homeless=tuple(place.kind in HOMELESS_KINDS for place in places),
        leave_when_ready=tuple(place.when_ready == "leave" for place in places),
        capacity=tuple(
            tuple(place.capacity_in_year(year - warmup) for year in years) for place in places
        ),
        waiting=waiting,
        waiting_rank=tuple(
            waiting.index(position) if position in waiting else 1_000_000
            for position in range(len(names))
        ),
        segment_names=tuple(segment.name for segment in segments),
        priority=tuple(segment.priority if by_segment_priority else 0 for segment in segments),
        arrivals_per_day=tuple(
            tuple(segment.arrival_rate_in_year(year - warmup) / DAYS_PER_YEAR for year in years)
            for segment in segments
        ),
        exit_rate_per_day=tuple(segment.exit_rate_per_year / DAYS_PER_YEAR for segment in segments),
        start_route=tuple(route(segment.routes.get(START)) for segment in segments),
        breakdown_route=tuple(route(segment.routes.get(BREAKDOWN)) for segment in segments),
        place_route=tuple(
            tuple(route(segment.routes.get(name)) for name in names) for segment in segments
        ),
        stay=tuple(tuple(sampler(s, name) for name in names) for s in range(len(segments))),
        breakdown_rate_per_day=tuple(
            tuple(segment.breakdown_rate_per_year.get(name, 0.0) / DAYS_PER_YEAR for name in names)
            for segment in segments
        ),
        initial=tuple(
            tuple((index[name], count) for name, count in segment.initial.items() if count > 0)
            for segment in segments
        ),
        warmup_years=warmup,
        observed_years=scenario.simulation.years,
    )


def is_finite(value: float) -> bool:
    """Whether a time or capacity is a real number rather than 'never' or 'unlimited'."""
    return not math.isinf(value)
