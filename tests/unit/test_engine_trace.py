"""Tiny models whose whole event log and exposures were worked out by hand.

No arrivals and fixed stays, so nothing random is left: everyone present at day 0 waits
on the street, and the trace follows from the rules in model.md section 1 alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from bosim.engine import (
    Count,
    EventKind,
    ReplicationRecord,
    SpellColumn,
    SpellEnd,
    compile_scenario,
    simulate_replication,
)
from bosim.scenario import scenario_from_dict

ADMISSION, END_OF_STAY, EXIT = EventKind.ADMISSION, EventKind.END_OF_STAY, EventKind.EXIT
NONE = -1
"""Place or target -1: none."""


def run(places: dict[str, Any], initial: dict[str, int], routes: dict[str, Any]) -> (
    ReplicationRecord
):
    """One replication of one year, no warm-up, no arrivals, everyone in segment 0."""
    scenario = scenario_from_dict({
        "meta": {"name": "hand-checked"},
        "simulation": {"years": 1, "warmup_years": 0, "replications": 1, "seed": 1},
        "policy": {"waiting": ["street"]},
        "places": {"street": {"kind": "street"}, **places},
        "segments": [{"name": "people", "arrivals_per_year": 0.0, "initial": initial,
                      "routes": routes}],
    })
    return simulate_replication(compile_scenario(scenario), seed=1, replication=0, trace=True)


def fixed(days: float) -> dict[str, Any]:
    return {"dist": "fixed", "value": days}


# ------------------------------------------------------------------ two units, three people

STREET, FLAT = 0, 1


@pytest.fixture(scope="module")
def two_units() -> ReplicationRecord:
    """Three people on the street at day 0 headed for a flat with 2 units and 10-day stays."""
    return run(
        places={"flat": {"kind": "shared", "capacity": 2, "stay": fixed(10.0)}},
        initial={"street": 3},
        routes={"start": {"flat": 1.0}, "flat": {"exit": 1.0}},
    )


def test_two_units_trace(two_units: ReplicationRecord) -> None:
    # Day 0: all three are placed on the street before anyone seeks (target not yet
    # drawn); persons 0 and 1 take the two units, person 2 queues and waits.
    # Day 10: person 0's stay ends first (scheduled first); their unit goes at once to
    # person 2, then person 1 leaves. Day 20: person 2 leaves.
    assert two_units.events == [
        (0.0, 0, 0, ADMISSION, STREET, NONE),
        (0.0, 1, 0, ADMISSION, STREET, NONE),
        (0.0, 2, 0, ADMISSION, STREET, NONE),
        (0.0, 0, 0, ADMISSION, FLAT, FLAT),
        (0.0, 1, 0, ADMISSION, FLAT, FLAT),
        (10.0, 0, 0, END_OF_STAY, FLAT, NONE),
        (10.0, 0, 0, EXIT, FLAT, NONE),
        (10.0, 2, 0, ADMISSION, FLAT, FLAT),
        (10.0, 1, 0, END_OF_STAY, FLAT, NONE),
        (10.0, 1, 0, EXIT, FLAT, NONE),
        (20.0, 2, 0, END_OF_STAY, FLAT, NONE),
        (20.0, 2, 0, EXIT, FLAT, NONE),
    ]
    assert two_units.events[0][3] == "admission"  # a StrEnum: plain strings still match


def test_two_units_exposures(two_units: ReplicationRecord) -> None:
    record = two_units
    # flat: 2 people for days 0-10, 1 for days 10-20; street: person 2 for days 0-10
    assert record.person_days[0, FLAT, 0] == 30.0
    assert record.person_days[0, STREET, 0] == 10.0
    assert record.queue_days[0].tolist() == [0.0, 10.0]
    assert record.blocked_days.sum() == 0.0
    assert record.held_days.sum() == 0.0
    assert record.unit_days[0, FLAT] == pytest.approx(2 * 365.0, rel=1e-12)
    assert record.unit_days[0, STREET] == 10.0  # unlimited: units taken
    assert record.waits[FLAT][0].tolist() == [0.0, 0.0, 10.0]
    assert record.waits[STREET][0].size == 0
    assert all(days.size == 0 for by_place in record.open_waits for days in by_place)
    assert record.counts[Count.ADMISSION, 0, FLAT, 0] == 3
    assert record.counts[Count.ADMISSION, 0, STREET, 0] == 0  # placed, not admitted
    assert record.counts[Count.END_OF_STAY, 0, FLAT, 0] == 3
    assert record.counts[Count.EXIT, 0, FLAT, 0] == 3
    assert record.people_start.tolist() == [[1], [2]]  # after the day-0 moves
    assert record.people_end.sum() == 0
    # flows [segment, origin, destination]; index 2 is outside
    assert record.flows[0].tolist() == [[0, 3, 0], [0, 0, 3], [3, 0, 0]]
    spells = record.spells[np.argsort(record.spells[:, SpellColumn.START], kind="stable")]
    assert spells.tolist() == [
        [0.0, 10.0, SpellEnd.EXIT, 0],
        [0.0, 10.0, SpellEnd.EXIT, 0],
        [10.0, 20.0, SpellEnd.EXIT, 0],
    ]
    assert record.month_occupancy[0, FLAT] == pytest.approx(30.0 / (365.0 / 12))
    assert record.month_queue[0, FLAT] == pytest.approx(10.0 / (365.0 / 12))
    assert record.sample == 0 and record.replication == 0


# -------------------------------------------------------------------------- blocking

WARD, HOME = 1, 2


@pytest.fixture(scope="module")
def blocking() -> ReplicationRecord:
    """Two people on the street headed for a 1-unit ward (10 days, then a 1-unit home for
    30 days, then exit). The ward keeps people whose stay has ended (``when_ready =
    "wait"``) while the home is full."""
    return run(
        places={
            "ward": {"kind": "temporary", "capacity": 1, "stay": fixed(10.0),
                     "when_ready": "wait"},
            "home": {"kind": "ordinary", "capacity": 1, "stay": fixed(30.0)},
        },
        initial={"street": 2},
        routes={"start": {"ward": 1.0}, "ward": {"home": 1.0}, "home": {"exit": 1.0}},
    )


def test_blocking_trace(blocking: ReplicationRecord) -> None:
    # Day 10: person 0 moves on to the empty home; the freed ward unit goes to person 1.
    # Day 20: person 1 is ready, the home is full: they stay in the ward, blocking it.
    # Day 40: person 0 leaves, person 1 moves from the ward to the home. Day 70: leaves.
    assert blocking.events == [
        (0.0, 0, 0, ADMISSION, STREET, NONE),
        (0.0, 1, 0, ADMISSION, STREET, NONE),
        (0.0, 0, 0, ADMISSION, WARD, WARD),
        (10.0, 0, 0, END_OF_STAY, WARD, NONE),
        (10.0, 0, 0, ADMISSION, HOME, HOME),
        (10.0, 1, 0, ADMISSION, WARD, WARD),
        (20.0, 1, 0, END_OF_STAY, WARD, NONE),
        (40.0, 0, 0, END_OF_STAY, HOME, NONE),
        (40.0, 0, 0, EXIT, HOME, NONE),
        (40.0, 1, 0, ADMISSION, HOME, HOME),
        (70.0, 1, 0, END_OF_STAY, HOME, NONE),
        (70.0, 1, 0, EXIT, HOME, NONE),
    ]


def test_blocking_exposures(blocking: ReplicationRecord) -> None:
    record = blocking
    assert record.blocked_days[0].tolist() == [0.0, 20.0, 0.0]  # person 1, days 20-40
    assert record.queue_days[0].tolist() == [0.0, 10.0, 20.0]  # ward 0-10, home 20-40
    assert record.person_days[0, :, 0].tolist() == [10.0, 40.0, 60.0]
    assert record.waits[WARD][0].tolist() == [0.0, 10.0]
    assert record.waits[HOME][0].tolist() == [0.0, 20.0]
    assert record.counts[Count.END_OF_STAY, 0, :, 0].tolist() == [0, 2, 2]


def test_open_waits_are_the_days_waited_by_people_still_in_line() -> None:
    """Three people, one unit that is never freed (no stay): two wait the whole year."""
    record = run(
        places={"flat": {"kind": "shared", "capacity": 1}},
        initial={"street": 3},
        routes={"start": {"flat": 1.0}},
    )
    assert record.open_waits[FLAT][0].tolist() == [365.0, 365.0]
    assert record.waits[FLAT][0].tolist() == [0.0]
    assert record.queue_days[0, FLAT] == 2 * 365.0
