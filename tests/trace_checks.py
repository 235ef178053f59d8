"""Checks of a run against its records and event log (property and validation tests)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from bosim.engine import Count, ReplicationRecord, compile_scenario
from bosim.scenario import Scenario
from bosim.units import DAYS_PER_YEAR


def assert_conserved(records: Sequence[ReplicationRecord]) -> None:
    """People at the start of the window + arrivals = exits + people at the end."""
    for record in records:
        window = record.window
        arrivals = int(record.arrivals[window].sum())
        exits = int(record.counts[Count.EXIT, window].sum())
        start, end = int(record.people_start.sum()), int(record.people_end.sum())
        assert start + arrivals == exits + end, (record.replication, start, arrivals, exits, end)


def assert_capacity_respected(records: Sequence[ReplicationRecord], scenario: Scenario) -> None:
    """Rebuild occupancy from the event log: no admission into a full place, ever."""
    compiled = compile_scenario(scenario)
    for record in records:
        assert record.events is not None
        occupancy = [0] * len(compiled.place_names)
        where: dict[int, int] = {}
        for time, person, _, event, place, _ in record.events:
            renewed = False
            if event in ("admission", "return", "leave", "breakdown", "exit") and person in where:
                previous = where.pop(person)
                renewed = event == "admission" and previous == place  # a new stay, same unit
                if not renewed:
                    occupancy[previous] -= 1
            if event in ("admission", "return"):
                if not renewed:
                    year = min(max(math.floor(time / DAYS_PER_YEAR), 0),
                               compiled.simulated_years - 1)
                    capacity = compiled.capacity[place][year]
                    # A return from an institution takes back a unit that was held (and
                    # so could not close), not a free one.
                    if event == "admission":
                        assert occupancy[place] < capacity, (place, time, occupancy[place],
                                                             capacity)
                    occupancy[place] += 1
                where[person] = place
        assert all(count >= 0 for count in occupancy)
