"""Plausibility: what a valid scenario would do when run, checked before anything runs.

Two gates beyond the field rules of :mod:`bosim.scenario.model` and the cross-key rules
of :mod:`bosim.scenario.checks`:

- **Zero-time loops** (:func:`check_plausible`, part of every load): places whose stays
  are (nearly) always 0 days and whose routes lead only back among such places. People
  who reach them would move round for ever without time passing, so the run would never
  end.
- **Size** (:func:`check_size`, before simulating, with the replications actually run):
  an estimate of the events and the memory of a run from the scenario, refusing a run
  that cannot finish on this machine (more memory than it has, or more than a day).

The estimate follows each segment's people through the places as a Markov chain of
visits: a visit ends with the stay (rate 1 / mean stay), a breakdown, an exit, or the
end of the horizon (rate 2 / horizon: on average people have half of it left), so the
expected visits per person are finite for every scenario. Events per person are an
arrival, an exit and two per visit (the end and the admission after it), plus two per
crisis. It is an estimate of the order of magnitude (the tests keep it within a
factor of a few of the events counted in the bundled scenarios), not a prediction.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

from bosim.errors import InputError
from bosim.scenario.distributions import (
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Triangular,
    Uniform,
    Weibull,
)
from bosim.scenario.model import BREAKDOWN, EXIT, HOUSED_KINDS, START, Scenario, Segment
from bosim.units import DAYS_PER_YEAR

INSTANT_DAYS = 1.0 / (24 * 60)
"""A stay shorter than a minute (days) takes no time for the purpose of loops."""
INSTANT_SHARE = 0.5
"""A place whose stays are instant with at least this probability can loop."""

EVENTS_PER_SECOND = 150_000.0
"""Events one process simulates per second (measured on a 2-core laptop-class machine
with the bundled scenarios; a fast machine does about twice as many)."""
LONGEST_RUN_HOURS = 24.0
"""Estimated run time above which a run is refused without ``--force-large``."""
MEMORY_SHARE = 0.8
"""Share of this machine's memory a run may be estimated to need."""
BYTES_PER_EVENT_KEPT = 60.0
"""Memory kept per event until the run ends (waits, spells, flows and the tables made
from them), measured on the bundled scenarios."""
BYTES_PER_EVENT_TRACED = 400.0
"""Extra memory per event with ``--trace`` (the event log and its table)."""
BYTES_PER_PERSON = 1500.0
"""Memory per person in a running replication (the person, their streams, queues)."""
BASE_BYTES = 300e6
"""Memory of bosim itself with its libraries loaded (per process)."""
CALENDAR_EVENTS_PER_YEAR = 13
"""A month end each month and a year end: the only events that are not people's."""


# ------------------------------------------------------------------ zero-time loops


def instant_share(stay: Distribution) -> float:
    """Probability that a stay is shorter than :data:`INSTANT_DAYS`."""
    limit = INSTANT_DAYS
    if isinstance(stay, Fixed):
        return 1.0 if stay.value < limit else 0.0
    if isinstance(stay, Empirical):
        return sum(value < limit for value in stay.values) / len(stay.values)
    if isinstance(stay, Exponential):
        return -math.expm1(-limit / stay.mean)
    if isinstance(stay, Gamma):
        shape = 1.0 / (stay.cv * stay.cv)
        return float(special.gammainc(shape, limit / (stay.mean * stay.cv * stay.cv)))
    if isinstance(stay, Lognormal):
        sigma2 = math.log1p((stay.sd / stay.mean) ** 2)
        mu = math.log(stay.mean) - sigma2 / 2.0
        return float(special.ndtr((math.log(limit) - mu) / math.sqrt(sigma2)))
    if isinstance(stay, Weibull):
        return -math.expm1(-((limit / stay.scale) ** stay.shape))
    if isinstance(stay, Uniform):
        return min(max((limit - stay.low) / (stay.high - stay.low), 0.0), 1.0)
    if isinstance(stay, Triangular):
        low, mode, high = stay.low, stay.mode, stay.high
        if limit <= low:
            return 0.0
        if limit >= high:
            return 1.0
        if limit <= mode:
            return (limit - low) ** 2 / ((high - low) * (mode - low))
        return 1.0 - (high - limit) ** 2 / ((high - low) * (high - mode))
    raise TypeError(f"no rule for {stay!r}")  # pragma: no cover - the union is closed


def check_plausible(scenario: Scenario) -> list[InputError]:
    """Problems that would make a valid scenario run for ever (empty when there are none)."""
    return list(_zero_time_loops(scenario))


def _zero_time_loops(scenario: Scenario) -> Iterator[InputError]:
    for segment in scenario.segments:
        instant = {
            name for name in scenario.places
            if (stay := scenario.stay_for(segment, name)) is not None
            and instant_share(stay) >= INSTANT_SHARE
        }
        # Keep the instant places whose every route stays among instant places: from
        # there, nobody ever reaches a stay that takes time.
        closed = set(instant)
        changed = True
        while changed:
            changed = False
            for name in sorted(closed):
                table = segment.routes.get(name, {})
                if not table or any(p > 0 and target not in closed
                                    for target, p in table.items()):
                    closed.discard(name)
                    changed = True
        reached = _reachable(segment)
        loop = sorted(name for name in closed if name in reached)
        if loop:
            places = ", ".join(repr(name) for name in loop)
            first = loop[0]
            yield InputError(
                f"people of segment {segment.name!r} who reach {places} move on at once "
                f"(stays under a minute) and their routes lead only back there, so they "
                "would go round for ever without time passing and the run would never end",
                key=f"segments.{segment.name}.routes.{first}",
                fix=f"give {first!r} a stay that takes time (places.{first}.stay), or route "
                "people out of it to another place or exit",
            )


def _reachable(segment: Segment) -> set[str]:
    """Places the segment's people can be in: at time 0, or by routes from there or arrival."""
    reached = {name for name, count in segment.initial.items() if count > 0}
    for table in (START, BREAKDOWN):
        reached.update(name for name, p in segment.routes.get(table, {}).items() if p > 0)
    frontier = list(reached)
    while frontier:
        for name, p in segment.routes.get(frontier.pop(), {}).items():
            if p > 0 and name not in reached:
                reached.add(name)
                frontier.append(name)
    return reached


# --------------------------------------------------------------------------- size


@dataclass(frozen=True)
class SizeEstimate:
    """How large a run is expected to be (orders of magnitude, not predictions)."""

    events: float
    """Simulation events in all replications of all scenarios."""
    people: float
    """People simulated in all replications of all scenarios."""
    memory_bytes: float
    """Memory the run is expected to need at its peak (bytes)."""
    hours: float
    """Expected run time on the processes used (hours)."""
    driver_key: str
    """The key that contributes most to the size."""
    driver: str
    """What that key does to the size, in plain words."""


@dataclass(frozen=True)
class _SegmentSize:
    people: float
    events: float
    events_per_person: float
    key: str
    why: str


def estimate_size(
    scenarios: Sequence[Scenario], replications: int, jobs: int = 1, trace: bool = False
) -> SizeEstimate:
    """The expected events, people, memory and time of running ``scenarios``.

    Args:
        scenarios: validated scenarios run together (a comparison's plans, a sweep's points).
        replications: replications of each.
        jobs: worker processes.
        trace: whether the event log is kept.

    """
    parts = [part for scenario in scenarios for part in _segment_sizes(scenario)]
    calendar = sum(
        CALENDAR_EVENTS_PER_YEAR * (s.simulation.warmup_years + s.simulation.years)
        for s in scenarios
    )
    per_replication_events = sum(part.events for part in parts) + calendar
    events = per_replication_events * replications
    people = sum(part.people for part in parts) * replications
    largest_people = max((part.people for part in parts), default=0.0)
    processes = max(1, min(jobs, replications * len(scenarios), os.cpu_count() or 1))
    kept = BYTES_PER_EVENT_KEPT + (BYTES_PER_EVENT_TRACED if trace else 0.0)
    memory = BASE_BYTES * processes + events * kept + largest_people * BYTES_PER_PERSON * processes
    hours = events / EVENTS_PER_SECOND / processes / 3600.0
    biggest = max(parts, key=lambda part: part.events, default=None)
    return SizeEstimate(
        events=events, people=people, memory_bytes=memory, hours=hours,
        driver_key=biggest.key if biggest else "simulation.replications",
        driver=biggest.why if biggest else "replications",
    )


def machine_memory() -> float:
    """The physical memory of this machine in bytes (infinite when it cannot be read)."""
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return math.inf


def check_size(
    scenarios: Sequence[Scenario], replications: int, jobs: int = 1, trace: bool = False,
    memory: float | None = None,
) -> SizeEstimate:
    """Refuse a run that cannot finish on this machine; return the estimate otherwise.

    Args:
        scenarios: the scenarios to be run together.
        replications: replications of each.
        jobs: worker processes.
        trace: whether the event log is kept.
        memory: the machine's memory in bytes (default: this machine's).

    Raises:
        InputError: with the estimate, the key that drives it and how to lower it.

    """
    estimate = estimate_size(scenarios, replications, jobs, trace)
    available = machine_memory() if memory is None else memory
    too_much_memory = not estimate.memory_bytes <= MEMORY_SHARE * available
    too_long = not estimate.hours <= LONGEST_RUN_HOURS
    if too_much_memory or too_long:
        limits = []
        if too_much_memory:
            limits.append(f"this machine has {_bytes(available)} of memory")
        if too_long:
            limits.append(f"the limit is {LONGEST_RUN_HOURS:g} hours")
        raise InputError(
            f"this run is too large to finish here: about {estimate.events:.2g} events "
            f"for {estimate.people:.2g} people in {replications} replication"
            f"{'s' if replications != 1 else ''} (about {_duration(estimate.hours)}) and "
            f"about {_bytes(estimate.memory_bytes)} of memory, where "
            + " and ".join(limits) + f"; most of it comes from {estimate.driver}",
            key=estimate.driver_key,
            fix=f"lower {estimate.driver_key}, simulation.years, simulation.warmup_years "
            "or the replications (-r); or add --force-large to run it anyway",
        )
    return estimate


def _bytes(value: float) -> str:
    if not math.isfinite(value):
        return "unlimited"
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if value >= size:
            return f"{value / size:,.1f} {unit}"
    return f"{value / 1e6:.2f} MB"


def _duration(hours: float) -> str:
    if not math.isfinite(hours):
        return "for ever"
    if hours >= 24 * 365:
        return f"{hours / 24 / 365:,.0f} years"
    if hours >= 48:
        return f"{hours / 24:,.0f} days"
    if hours >= 1:
        return f"{hours:,.1f} hours"
    return f"{hours * 60:,.0f} minutes"


def _segment_sizes(scenario: Scenario) -> Iterator[_SegmentSize]:
    simulation = scenario.simulation
    simulated = simulation.warmup_years + simulation.years
    horizon = simulated * DAYS_PER_YEAR
    names = scenario.place_names()
    for segment in scenario.segments:
        arrivals = sum(segment.arrival_rate_in_year(year - simulation.warmup_years)
                       for year in range(simulated))
        initial = float(sum(segment.initial.values()))
        chain = _Chain(scenario, segment, names, horizon)
        per_arrival = chain.events_per_person(segment.routes.get(START, {}))
        per_initial = [
            chain.events_per_person({name: 1.0} if scenario.stay_for(segment, name) is not None
                                    or name not in scenario.policy.waiting
                                    else segment.routes.get(START, {name: 1.0}))
            * count for name, count in segment.initial.items()
        ]
        events = arrivals * per_arrival + sum(per_initial)
        people = arrivals + initial
        per_person = events / people if people > 0 else 0.0
        prefix = f"segments.{segment.name}"
        if per_person > 1000:
            key, why = chain.busiest(prefix)
        elif arrivals >= initial:
            key, why = f"{prefix}.arrivals_per_year", (
                f"the {arrivals:,.0f} arrivals of segment {segment.name!r}")
        else:
            key, why = f"{prefix}.initial", (
                f"the {initial:,.0f} people of segment {segment.name!r} at time 0")
        yield _SegmentSize(people, events, per_person, key, why)


class _Chain:
    """One segment's visits to places as an absorbing Markov chain (see the module doc)."""

    def __init__(self, scenario: Scenario, segment: Segment, names: list[str],
                 horizon: float) -> None:
        self.names = names
        self.segment = segment
        self.scenario = scenario
        index = {name: position for position, name in enumerate(names)}
        count = len(names)
        leave = 2.0 / horizon
        exit_rate = segment.exit_rate_per_year / DAYS_PER_YEAR
        crisis = segment.crisis.rate_per_year / DAYS_PER_YEAR if segment.crisis else 0.0
        self.duration = np.zeros(count)
        """Expected days per visit."""
        self.broken = np.zeros(count)
        """Share of visits ending in a breakdown."""
        transitions = np.zeros((count, count))
        breakdown_route = segment.routes.get(BREAKDOWN, {})
        for name, position in index.items():
            stay = scenario.stay_for(segment, name)
            kind = scenario.places[name].kind
            breakdown = (segment.breakdown_rate_per_year.get(name, 0.0) / DAYS_PER_YEAR
                         if kind in HOUSED_KINDS else 0.0)
            if stay is not None and stay.mean <= 0.0:
                ending, duration = 1.0, 0.0
                broken = 0.0
            else:
                end_rate = 1.0 / stay.mean if stay is not None else 0.0
                total = end_rate + breakdown + exit_rate + leave
                ending, broken, duration = end_rate / total, breakdown / total, 1.0 / total
            self.duration[position] = duration
            self.broken[position] = broken
            for target, p in segment.routes.get(name, {}).items():
                if target != EXIT and target in index:
                    transitions[position, index[target]] += ending * p
            for target, p in breakdown_route.items():
                if target != EXIT and target in index:
                    transitions[position, index[target]] += broken * p
        self.index = index
        self.crisis_per_day = crisis
        try:
            self.fundamental = np.linalg.inv(np.eye(count) - transitions)
        except np.linalg.LinAlgError:
            self.fundamental = np.full((count, count), np.inf)

    def visits(self, start: dict[str, float]) -> np.ndarray:
        """Expected visits to each place of a person starting with the ``start`` table."""
        vector = np.zeros(len(self.names))
        for name, p in start.items():
            if name in self.index:
                vector[self.index[name]] += p
        with np.errstate(invalid="ignore", over="ignore"):
            visits: np.ndarray = vector @ self.fundamental
        return np.where(np.isfinite(visits) & (visits >= 0), visits, np.inf)

    def events_per_person(self, start: dict[str, float]) -> float:
        """Expected simulation events of one person starting with the ``start`` table."""
        visits = self.visits(start)
        with np.errstate(invalid="ignore"):
            days = float(np.nansum(visits * self.duration))
        return 3.0 + 2.0 * float(visits.sum()) + 2.0 * self.crisis_per_day * days

    def busiest(self, prefix: str) -> tuple[str, str]:
        """The key behind most of a person's events, and what it does, in plain words."""
        start = self.segment.routes.get(START, {})
        visits = self.visits(start)
        days = float(np.nansum(visits * self.duration))
        if 2.0 * self.crisis_per_day * days > visits.sum():
            return f"{prefix}.crisis.rate_per_year", (
                f"the crises of segment {self.segment.name!r}")
        busiest = self.names[int(np.nanargmax(np.where(np.isfinite(visits), visits, 1e300)))]
        if self.broken[self.index[busiest]] > 0.5:
            return f"{prefix}.breakdown_rate_per_year.{busiest}", (
                f"breakdowns in {busiest!r}: people of segment {self.segment.name!r} lose "
                "their housing there again and again")
        where = (f"{prefix}.stay.{busiest}" if busiest in self.segment.stay
                 else f"places.{busiest}.stay")
        return where, (f"short stays in {busiest!r}: people of segment "
                       f"{self.segment.name!r} pass through it again and again")
