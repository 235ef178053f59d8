"""Checks of a run against its event log and records (property and validation tests)."""

from __future__ import annotations

import math

import bosim
from bosim.engine import Count


def assert_conserved(results: bosim.Results) -> None:
    """People at the start of the window + arrivals = exits + people at the end."""
    for record in results.records:
        window = record.window
        arrivals = int(record.arrivals[window].sum())
        exits = int(record.counts[Count.EXIT, window].sum())
        start, end = int(record.people_start.sum()), int(record.people_end.sum())
        assert start + arrivals == exits + end, (record.replication, start, arrivals, exits, end)


def assert_capacity_respected(results: bosim.Results) -> None:
    """Rebuild occupancy from the event log: no admission into a full place, ever."""
    events = results.events
    assert events is not None
    compiled = results.compiled
    names = list(compiled.place_names)
    for _, log in events.groupby(["sample", "replication"]):
        occupancy = dict.fromkeys(names, 0)
        where: dict[int, str] = {}
        for time, person, event, place in log[["time", "person", "event", "place"]].itertuples(
            index=False
        ):
            renewed = False
            if event in ("admission", "return", "leave", "breakdown", "exit") and person in where:
                previous = where.pop(person)
                renewed = event == "admission" and previous == place  # a new stay, same unit
                if not renewed:
                    occupancy[previous] -= 1
            if event in ("admission", "return"):
                if not renewed:
                    year = min(
                        max(math.floor(time / 365.0) + compiled.warmup_years, 0),
                        compiled.simulated_years - 1,
                    )
                    capacity = compiled.capacity[names.index(place)][year]
                    # A return from an institution takes back a unit that was held (and
                    # so could not close), not a free one.
                    if event == "admission":
                        assert occupancy[place] < capacity, (place, time, occupancy[place],
                                                             capacity)
                    occupancy[place] += 1
                where[person] = place
        assert all(count >= 0 for count in occupancy.values())

