"""The measures a municipality reports, on hand-written stays with answers worked out by hand.

One warm-up year and two observed years: observed year 0 is days 365-730 (its week-48
count at day 697.5), year 1 is days 730-1095 (count at 1062.5). Segment ``single`` is one
adult, ``family`` two adults and two children.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

import bosim
from bosim.analysis.metric_table import BY_NAME
from bosim.analysis.municipal_measures import (
    COUNT_DAY,
    LONG_STAY_DAYS,
    measure_rows,
    nibr_homeless,
    temporary_housing,
)
from bosim.analysis.summary import interval
from bosim.engine import compile_scenario
from bosim.records import stays_table
from bosim.scenario import scenario_from_dict
from builders import network, record_of_stays, values

DATA: dict[str, Any] = {
    "simulation": {"years": 2, "warmup_years": 1},
    "reporting": {"municipal_measures": True},
    "policy": {"waiting": ["street"]},
    "places": {
        "street": {"kind": "street"},
        "hidden": {"kind": "street", "hidden": True},
        "shelter": {"kind": "acute", "capacity": "unlimited"},
        "temporary": {"kind": "temporary", "capacity": 10},
        "ward": {"kind": "institution", "capacity": 10},
        "home": {"kind": "ordinary", "capacity": 10},
    },
    "segments": [{"name": "single"},
                 {"name": "family", "household": {"adults": 2, "children": 2}}],
}
SCENARIO = scenario_from_dict(copy.deepcopy(DATA))
COMPILED = compile_scenario(SCENARIO)
STREET, HIDDEN, SHELTER, TEMPORARY, WARD, HOME = range(6)
SINGLE, FAMILY = 0, 1

STAYS = [
    # person 1: shelter then temporary housing back to back: one 120-day episode, long
    (1, SINGLE, SHELTER, 400.0, 450.0), (1, SINGLE, TEMPORARY, 450.0, 520.0),
    (1, SINGLE, HOME, 520.0, 1095.0),
    # person 2, a family: 130 days in year 0 and 270 in year 1, long in both; at the count
    # of year 0
    (2, FAMILY, TEMPORARY, 600.0, 1000.0),
    # person 3: 50 days across the new year: never long
    (3, SINGLE, TEMPORARY, 700.0, 750.0),
    # person 4: on the street at the count of year 0, then 10 days in a shelter
    (4, SINGLE, STREET, 690.0, 700.0), (4, SINGLE, SHELTER, 700.0, 710.0),
    # person 5: hidden homeless at the count of year 1
    (5, SINGLE, HIDDEN, 1000.0, 1095.0),
    # person 6: in the ward at the count of year 1, out 27.5 days later to a shelter
    (6, SINGLE, WARD, 1040.0, 1090.0), (6, SINGLE, SHELTER, 1090.0, 1095.0),
    # person 7: the same, but out to a home: not homeless
    (7, SINGLE, WARD, 1040.0, 1090.0), (7, SINGLE, HOME, 1090.0, 1095.0),
    # person 8: in the ward until the horizon: no known discharge
    (8, SINGLE, WARD, 1000.0, 1095.0),
    # person 9: in the ward at the count of year 0, but out only 82.5 days later
    (9, SINGLE, WARD, 650.0, 780.0), (9, SINGLE, SHELTER, 780.0, 800.0),
    # person 10: temporary housing from the warm-up: 300 days by its end, long in year 0
    (10, SINGLE, TEMPORARY, 200.0, 500.0),
]


def measures(stays: list[tuple[float, float, float, float, float]] = STAYS
             ) -> dict[tuple[str, str, str], float]:
    record = record_of_stays(stays, places=6, segments=2, warmup_years=1, observed_years=2)
    return {(m, s, p): v for m, s, p, v in measure_rows(record, SCENARIO, COMPILED)}


def test_the_constants_say_what_the_docs_say() -> None:
    assert pytest.approx(91.25) == LONG_STAY_DAYS
    assert pytest.approx(332.5, abs=0) == COUNT_DAY
    assert temporary_housing(SCENARIO).tolist() == [False, False, True, True, False, False]
    assert nibr_homeless(SCENARIO).tolist() == [True, True, True, True, False, False]


def test_stays_over_three_months_by_hand() -> None:
    """Year 0: persons 1, 2, 3, 4 and 10 in temporary housing, 1, 2 and 10 long; year 1:
    2, 3, 6 and 9, only 2 long. 4 long of 9, 2 a year; the family: 2 of 2."""
    found = measures()
    assert found[("temporary_stays_over_3_months", "", "")] == 2.0
    assert found[("temporary_stays_over_3_months_share", "", "")] == pytest.approx(4 / 9)
    assert found[("temporary_stays_over_3_months", "family", "")] == 1.0
    assert found[("temporary_stays_over_3_months_share", "family", "")] == 1.0
    assert found[("temporary_stays_over_3_months_share", "single", "")] == pytest.approx(2 / 7)
    assert found[("children_temporary_over_3_months", "", "")] == 2.0  # 2 children, 2 years
    assert found[("children_temporary_over_3_months", "single", "")] == 0.0
    # (130 + 270) days x 2 children over 2 years
    assert found[("child_days_temporary", "", "")] == 400.0


def test_a_stay_is_long_only_once_it_has_lasted_three_months() -> None:
    """91 days by the end of year 0 is not long there; 92 days is (91.25 is the line)."""
    short = measures([(1, SINGLE, TEMPORARY, 730.0 - 91.0, 800.0)])
    assert short[("temporary_stays_over_3_months", "", "")] == 0.5  # long in year 1 only
    long = measures([(1, SINGLE, TEMPORARY, 730.0 - 92.0, 800.0)])
    assert long[("temporary_stays_over_3_months", "", "")] == 1.0


def test_week_48_counts_by_hand() -> None:
    """Year 0: the family in temporary housing (2 adults, 2 children) and person 4 on the
    street; year 1: person 5 hidden and person 6 in the ward: 5 adults over 2 years."""
    found = measures()
    assert found[("temporary_households_week48", "", "")] == 0.5
    assert found[("temporary_children_week48", "", "")] == 1.0
    assert found[("homeless_week48", "", "")] == 2.5
    assert found[("homeless_week48", "family", "")] == 1.0
    assert found[("homeless_week48", "single", "")] == 1.5
    assert found[("homeless_children_week48", "", "")] == 1.0
    by_place = {place: found[("homeless_week48", "", place)]
                for place in ("street", "hidden", "shelter", "temporary", "ward")}
    assert by_place == {"street": 0.5, "hidden": 0.5, "shelter": 0.0, "temporary": 1.0,
                        "ward": 0.5}
    assert ("homeless_week48", "", "home") not in found


def test_every_measure_is_in_the_metric_table() -> None:
    for metric, _, _ in measures():
        assert BY_NAME[metric].scope == "system"
        assert BY_NAME[metric].by_segment


def test_off_by_default() -> None:
    data = copy.deepcopy(DATA)
    del data["reporting"]
    data["segments"] = [{"name": "single", "arrivals_per_year": 5,
                         "routes": {"start": {"temporary": 1.0}}}]
    results = bosim.simulate(scenario_from_dict(data), replications=1, seed=1)
    assert "homeless_week48" not in set(results.summary.metric)


@pytest.mark.slow
def test_the_point_count_of_an_infinite_server_place_is_lambda_times_the_mean_stay() -> None:
    """M/M/inf: households in temporary housing at any moment are Poisson with mean
    rate x mean stay (100 a year x 60 days / 365 = 16.4); the mean of the week-48 counts
    over replications must hold it in its 99.9 % interval."""
    data = copy.deepcopy(DATA)
    data["simulation"] = {"years": 5, "warmup_years": 1}
    data["places"]["temporary"] = {"kind": "temporary", "capacity": "unlimited",
                                   "stay": {"dist": "exponential", "mean": 60}}
    data["segments"] = [{"name": "single", "arrivals_per_year": 100,
                         "routes": {"start": {"temporary": 1.0}, "temporary": {"exit": 1.0}}}]
    results = bosim.simulate(scenario_from_dict(data), replications=20, seed=3)
    counts = values(results.replications, "temporary_households_week48")
    _, _, low, high, _ = interval(counts, confidence=0.999)
    assert low <= 100 * 60 / 365 <= high, (low, high)
    homeless = values(results.replications, "homeless_week48")
    np.testing.assert_array_equal(homeless, counts)  # nobody else is homeless


def test_the_recorded_stays_add_up_to_the_occupied_days() -> None:
    """Stays (kept units included) give each place's person-days plus held days, by year;
    an institution's stays are those of people with no unit kept, so at most its days."""
    scenario = network(**{"segments.chronic.crisis": {
        "rate_per_year": 6, "handled": {"none": 1.0},
        "unhandled": {"none": 0.5, "admission": 0.5}, "institution": "ward"},
        "places.ward": {"kind": "institution", "capacity": 2,
                        "stay": {"dist": "exponential", "mean": 10}}})
    results = bosim.simulate(scenario, replications=2, seed=5)
    kinds = results.compiled.place_kinds
    for record in results.records:
        years = record.warmup_years + record.observed_years
        for place in range(len(kinds)):
            rows = record.stays[record.stays[:, 2] == place]
            by_year = [np.clip(np.minimum(rows[:, 4], (y + 1) * 365.0)
                               - np.maximum(rows[:, 3], y * 365.0), 0, None).sum()
                       for y in range(years)]
            occupied = record.person_days[:, place].sum(axis=1) + record.held_days[:, place]
            if kinds[place] == "institution":
                assert np.all(np.array(by_year) <= occupied + 1e-6)
            else:
                np.testing.assert_allclose(by_year, occupied, rtol=1e-9, atol=1e-6)


def test_the_stays_table_names_places_and_counts_from_the_window() -> None:
    record = record_of_stays(STAYS[:3], places=6, segments=2, warmup_years=1, observed_years=2)
    table = stays_table([record, record], COMPILED)
    assert list(table.columns) == ["sample", "replication", "person", "segment", "place",
                                   "start", "end"]
    assert table["place"].tolist()[:3] == ["shelter", "temporary", "home"]
    assert table["start"].tolist()[:3] == [400.0 - 365.0, 450.0 - 365.0, 520.0 - 365.0]
    assert len(table) == 6 and stays_table([], COMPILED).empty
