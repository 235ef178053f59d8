"""Units of different sizes: which household takes which unit, queues, plans, bad input."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

import bosim
from bosim.engine import compile_scenario
from bosim.engine.unit_sizes import NO_SIZE, SizedUnits, compile_sizes
from bosim.errors import InputError, InputErrors
from bosim.scenario import Scenario, scenario_from_dict
from bosim.scenario.model import Place, Segment
from builders import values

HOMES = 1
"""Index of the place ``homes`` in :data:`FAMILIES`."""

FAMILIES: dict[str, Any] = {
    "meta": {"name": "families"},
    "simulation": {"years": 3, "warmup_years": 0, "replications": 2, "seed": 5},
    "policy": {"waiting": ["hostel", "street"]},
    "places": {
        "street": {"kind": "street"},
        "homes": {
            "kind": "ordinary",
            "units": [{"count": 2, "max_children": 0},
                      {"count": 1, "min_children": 1, "max_children": 4}],
            "stay": {"dist": "exponential", "mean": 200},
        },
        "hostel": {"kind": "acute", "capacity": 3, "fits": {"max_children": 0}},
    },
    "segments": [
        {"name": "families", "household": {"adults": 2, "children": 3},
         "arrivals_per_year": 4,
         "routes": {"start": {"homes": 1.0}, "homes": {"exit": 1.0}}},
        {"name": "singles", "arrivals_per_year": 8,
         "routes": {"start": {"homes": 1.0}, "homes": {"exit": 1.0}}},
    ],
}
"""Two units for single adults, one for families; a hostel children should not stay in."""


def families(**overrides: object) -> Scenario:
    return scenario_from_dict(copy.deepcopy(FAMILIES), overrides=overrides or None)


def sizes_of(units: list[dict[str, Any]], *households: int) -> SizedUnits:
    """The engine's units of a place with ``units``, for segments with these children."""
    place = Place(kind="ordinary", units=units)
    segments = [Segment(name=f"s{children}", household={"children": children})
                for children in households]
    compiled = compile_sizes(place, segments, range(1), 0)
    assert compiled is not None
    return SizedUnits(compiled)


# ------------------------------------------------------------------ who takes which unit

def test_a_household_takes_the_smallest_free_unit_that_fits() -> None:
    units = sizes_of([{"count": 1, "max_children": 4}, {"count": 1, "max_children": 2},
                      {"count": 1, "max_children": 0}], 1, 0)
    assert units.choices == ((1, 0), (2, 1, 0))
    units.take(person=10, segment=0)
    assert units.holder[10] == 1  # the 2-child unit, though the 4-child one comes first
    units.take(person=11, segment=0)
    assert units.holder[11] == 0
    assert units.free_size(0) == NO_SIZE
    assert units.free_size(1) == 2  # the single adult's own unit is still free


def test_single_adults_take_family_units_only_if_min_children_allows() -> None:
    open_to_all = sizes_of([{"count": 1, "max_children": 0}, {"count": 1, "max_children": 4}], 0)
    kept = sizes_of([{"count": 1, "max_children": 0},
                     {"count": 1, "min_children": 1, "max_children": 4}], 0)
    for units in (open_to_all, kept):
        units.take(person=1, segment=0)
    assert open_to_all.free_size(0) == 1
    assert kept.free_size(0) == NO_SIZE


def test_a_unit_closes_when_its_size_shrinks_and_it_is_vacated() -> None:
    place = Place(kind="ordinary", units=[{"count": [2, 1]}])
    compiled = compile_sizes(place, [Segment(name="s")], range(2), 0)
    assert compiled is not None
    units = SizedUnits(compiled)
    units.take(1, 0)
    units.take(2, 0)
    assert units.set_year(1) and units.closing == [1]
    assert units.free(1) == 1 and units.free_size(0) == NO_SIZE
    assert units.free(2) == 0 and units.free_size(0) == 0


def test_the_queue_is_served_in_order_among_those_a_free_unit_fits() -> None:
    """A family first in line that no free unit fits does not hold up a single adult."""
    scenario = families(**{
        "places.homes.units": [{"count": 1, "max_children": 0},
                               {"count": 1, "min_children": 1, "max_children": 4}],
        "segments.families.arrivals_per_year": 0,
        "segments.singles.arrivals_per_year": 0,
        "segments.families.initial": {"street": 2, "homes": 1},
        "segments.singles.initial": {"street": 1, "homes": 1},
        "segments.families.stay": {"homes": {"dist": "fixed", "value": 50}},
        "segments.singles.stay": {"homes": {"dist": "fixed", "value": 10}},
        "simulation.years": 1,
    })
    results = bosim.simulate(scenario, replications=1, trace=True)
    events = results.events
    assert events is not None
    left = events[(events.event == "exit") & (events.place == "homes")]
    family_left = left[left.segment == "families"].time.min()
    single_left = left[left.segment == "singles"].time.min()
    assert single_left < 10.0 < family_left + 50.0  # the single unit frees first
    family_waits, single_waits = (sorted(waits.tolist()) for waits in
                                  results.records[0].waits[HOMES])
    # The two families are first in line (placed first), the single adult behind them:
    # the single unit goes to the single adult as soon as it frees, and the families
    # take the family unit in turn, each after a 50-day stay.
    assert single_waits == [pytest.approx(single_left)]
    assert family_waits == [pytest.approx(family_left), pytest.approx(family_left + 50.0)]


def test_families_never_wait_in_a_place_they_do_not_fit() -> None:
    scenario = families(**{"simulation.years": 6})
    results = bosim.simulate(scenario, replications=2, trace=True)
    events = results.events
    assert events is not None
    family_in_hostel = events[(events.segment == "families") & (events.place == "hostel")]
    assert family_in_hostel.empty
    assert not events[(events.segment == "singles") & (events.place == "hostel")].empty


def test_occupancy_and_utilization_count_units_of_every_size() -> None:
    results = bosim.simulate(families(**{"simulation.years": 6}), replications=2)
    frame = results.replications
    occupancy = values(frame, "mean_occupancy", "homes")
    assert np.all(occupancy <= 3.0)
    np.testing.assert_allclose(values(frame, "utilization", "homes"), occupancy / 3.0)


def test_a_place_with_one_size_for_everyone_is_a_plain_place() -> None:
    """The path for places with sizes gives the very numbers of the plain path."""
    data = copy.deepcopy(FAMILIES)
    del data["places"]["hostel"]["fits"], data["segments"][0]["household"]
    sized = copy.deepcopy(data)
    sized["places"]["homes"]["units"] = [{"count": 3}]
    data["places"]["homes"]["capacity"] = 3
    del data["places"]["homes"]["units"]
    first, second = (bosim.simulate(scenario_from_dict(d), replications=2).replications
                     for d in (data, sized))
    assert compile_scenario(scenario_from_dict(sized)).sizes[HOMES] is not None
    np.testing.assert_array_equal(first["value"].to_numpy(), second["value"].to_numpy())


# ----------------------------------------------------------------------------- bad input

def error_for(**overrides: object) -> InputError:
    """The one error the overrides make (and no other)."""
    with pytest.raises(InputError) as caught:
        families(**overrides)
    found = caught.value
    errors = found.errors if isinstance(found, InputErrors) else [found]
    assert len(errors) == 1, str(found)
    return errors[0]


def test_a_family_no_unit_on_its_route_fits_is_refused() -> None:
    error = error_for(**{"segments.families.household": {"adults": 1, "children": 6}})
    assert error.key == "segments.families.routes.start.homes"
    assert "6 children" in str(error) and error.fix and "max_children = 6" in error.fix


def test_units_and_capacity_together_are_refused() -> None:
    error = error_for(**{"places.homes.capacity": 3})
    assert error.key == "places.homes.units"
    assert error.fix and "remove capacity" in error.fix


def test_a_negative_count_is_refused() -> None:
    error = error_for(**{"places.homes.units": [{"count": -2}]})
    assert "count" in str(error.key) and "-2" in str(error)


def test_min_children_above_max_children_is_refused() -> None:
    with pytest.raises(InputErrors) as caught:  # and then nobody fits the place
        families(**{"places.homes.units": [{"count": 2, "min_children": 3, "max_children": 1}]})
    assert caught.value.errors[0].key == "places.homes.units[0].min_children"


def test_the_last_waiting_place_must_fit_every_household() -> None:
    error = error_for(**{"policy.waiting": ["hostel"], "places.hostel.capacity": "unlimited"})
    assert error.key == "places.hostel.fits"


def test_households_at_time_0_must_fit_their_units() -> None:
    error = error_for(**{"segments.families.initial": {"homes": 2}})
    assert error.key == "segments.families.initial.homes"


def test_an_institution_cannot_have_sizes() -> None:
    error = error_for(**{"places.ward": {"kind": "institution", "capacity": 2,
                                         "fits": {"max_children": 0}}})
    assert error.key == "places.ward.fits"
