"""The scenario turned into index-based tables the engine can use without look-ups by name."""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

from bosim.engine.crises import PROFILES, CompiledTeam, CrisisClock
from bosim.engine.finding import FindingClock
from bosim.engine.sampling import Sampler, make_sampler
from bosim.engine.unit_sizes import CompiledSizes, compile_sizes
from bosim.scenario.hours import parse_hours
from bosim.scenario.model import (
    BREAKDOWN,
    EXIT,
    HOMELESS_KINDS,
    HOUSED_KINDS,
    START,
    Crisis,
    Scenario,
    Segment,
    Team,
)
from bosim.units import DAYS_PER_WEEK, DAYS_PER_YEAR, HOURS_PER_DAY

EXIT_INDEX = -1
"""Route destination index meaning 'leaves the target group'."""


@dataclass(frozen=True)
class Route:
    """A route table as cumulative probabilities and destination indices (``-1``: exit)."""

    cumulative: tuple[float, ...]
    destinations: tuple[int, ...]

    def choose(self, uniform: float) -> int:
        """The destination for a uniform in [0, 1).

        The first destination whose cumulative probability exceeds the uniform.
        """
        destinations = self.destinations
        if len(destinations) == 1:
            return destinations[0]
        position = bisect.bisect_right(self.cumulative, uniform)
        return destinations[position] if position < len(destinations) else destinations[-1]


@dataclass(frozen=True)
class CompiledCrisis:
    """A segment's crises: the clock, outcomes of (un)handled crises, the institution."""

    clock: CrisisClock
    handled: Route
    unhandled: Route
    institution: int
    """Place index for admissions, or -1 if there is none."""


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
    institution: tuple[bool, ...] = ()
    teams: tuple[CompiledTeam, ...] = ()
    place_team: tuple[int, ...] = ()
    """Team serving each place, or -1."""
    crisis: tuple[CompiledCrisis | None, ...] = ()
    """Per segment; None where the segment has no crises."""
    sizes: tuple[CompiledSizes | None, ...] = ()
    """Per place: its sizes of unit and whom they fit; None where every unit fits everyone
    (empty: no place has sizes)."""
    children: tuple[int, ...] = ()
    """Per segment: children in each household (empty: every household one adult)."""
    persons: tuple[int, ...] = ()
    """Per segment: persons (adults and children) in each household (empty: one each)."""
    team_plans: tuple[tuple[CompiledTeam, ...], ...] = ()
    """``team_plans[t][y]``: team t's staffing in simulated year y (its FTE and hours plan;
    the same object every year for a team without a plan)."""
    hidden: tuple[bool, ...] = ()
    """Per place: hidden homelessness (people there are not known to the services)."""
    finding: tuple[FindingClock | None, ...] = ()
    """Per place: when the outreach team searching it finds someone; None if none does."""

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
    team_plans = tuple(_team_plan(name, team, index, years, warmup)
                       for name, team in scenario.teams.items())

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
            tuple(segment.breakdown_rate_per_year.get(name, 0.0)
                  * _prevention(scenario, segment, name) / DAYS_PER_YEAR for name in names)
            for segment in segments
        ),
        initial=tuple(
            tuple((index[name], count) for name, count in segment.initial.items() if count > 0)
            for segment in segments
        ),
        warmup_years=warmup,
        observed_years=scenario.simulation.years,
        institution=tuple(place.kind == "institution" for place in places),
        teams=tuple(plan[0] for plan in team_plans),
        place_team=tuple(
            next(
                (t for t, team in enumerate(scenario.teams.values()) if name in team.serves), -1
            )
            for name in names
        ),
        crisis=tuple(_crisis(segment.crisis, scenario, index) for segment in segments),
        sizes=tuple(compile_sizes(place, segments, years, warmup) for place in places),
        children=tuple(segment.household.children for segment in segments),
        persons=tuple(segment.household.persons for segment in segments),
        team_plans=team_plans,
        hidden=tuple(place.hidden for place in places),
        finding=tuple(_finding(scenario, name, team_plans) for name in names),
    )


def _team_plan(name: str, team: Team, index: dict[str, int], years: range,
               warmup: int) -> tuple[CompiledTeam, ...]:
    """The team's staffing in every simulated year (the warm-up uses the first year's)."""
    if not isinstance(team.fte, list) and not team.is_hours_plan:
        return (_team(name, team, index),) * len(years)
    by_value: dict[tuple[float, str | tuple[str, ...]], CompiledTeam] = {}
    plan = []
    for year in years:
        fte, hours = team.fte_in_year(year - warmup), team.hours_in_year(year - warmup)
        key = (fte, hours if isinstance(hours, str) else tuple(hours))
        if key not in by_value:
            by_value[key] = _team(name, team.model_copy(update={"fte": fte, "hours": hours}),
                                  index)
        plan.append(by_value[key])
    return tuple(plan)


def _prevention(scenario: Scenario, segment: Segment, place: str) -> float:
    """The factor the follow-up of the team serving ``place`` puts on breakdowns there."""
    for team in scenario.teams.values():
        if place in team.serves:
            return team.prevention_hazard_ratio.get(segment.name, 1.0)
    return 1.0


def _finding(scenario: Scenario, place: str,
             team_plans: tuple[tuple[CompiledTeam, ...], ...]) -> FindingClock | None:
    for plan, team in zip(team_plans, scenario.teams.values(), strict=True):
        if team.outreach is not None and place in team.outreach.places:
            return FindingClock(
                hours=tuple(yearly.hours for yearly in plan),
                staff_on_duty=tuple(yearly.on_duty for yearly in plan),
                staff_hours_to_find=team.outreach.staff_hours_to_find,
            )
    return None


def _team(name: str, team: Team, index: dict[str, int]) -> CompiledTeam:
    """The team as the engine uses it, with its first year's FTE and hours."""
    hours = parse_hours(team.hours_in_year(0))
    fte = team.fte_in_year(0)
    open_per_week = hours.open_hours_per_week
    open_per_year = open_per_week * DAYS_PER_YEAR / DAYS_PER_WEEK
    return CompiledTeam(
        name=name,
        places=tuple(index[place] for place in team.serves),
        hours=hours,
        fte=fte,
        hours_per_fte_year=team.hours_per_fte_year,
        on_duty=fte * team.hours_per_fte_year / open_per_year if open_per_year else 0.0,
        followup_per_resident=(
            team.followup_hours_per_resident_week / open_per_week if open_per_week else 0.0
        ),
        followup_hours_per_resident_week=team.followup_hours_per_resident_week,
        response_limit_days=team.response_limit_hours / HOURS_PER_DAY,
        handling_hours=make_sampler(team.handling_hours),
    )


OUTCOME_ORDER = (0, 1, 2, 3)  # none, emergency, admission, breakdown


def _outcomes(probabilities: tuple[float, float, float, float]) -> Route:
    # Every outcome keeps its slot, even at probability 0, so that one uniform maps to
    # outcomes in the same order in every scenario (common random numbers).
    cumulative = tuple(itertools.accumulate(probabilities))
    return Route(tuple(c / cumulative[-1] for c in cumulative), OUTCOME_ORDER)


def _crisis(
    crisis: Crisis | None, scenario: Scenario, index: dict[str, int]
) -> CompiledCrisis | None:
    if crisis is None or crisis.rate_per_year <= 0.0:
        return None
    weights = (
        PROFILES[crisis.profile] if isinstance(crisis.profile, str) else tuple(crisis.profile)
    )
    institutions = [n for n, p in scenario.places.items() if p.kind == "institution"]
    name = crisis.institution or (institutions[0] if len(institutions) == 1 else None)
    return CompiledCrisis(
        clock=CrisisClock(crisis.rate_per_year / DAYS_PER_YEAR, weights),
        handled=_outcomes(crisis.handled.probabilities()),
        unhandled=_outcomes(crisis.unhandled.probabilities()),
        institution=index[name] if name is not None else -1,
    )

