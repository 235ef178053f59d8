"""Small scenarios for tests, built as plain data and validated like files."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from bosim.analysis.theory import erlang_b, erlang_c, mmc_mean_wait
from bosim.engine import Count, ReplicationRecord
from bosim.scenario import Scenario, scenario_from_dict

__all__ = ["NETWORK", "erlang_b", "erlang_c", "mmc_mean_wait", "network", "record_of_stays",
           "single_place", "values"]


def single_place(
    *,
    arrivals_per_year: float,
    stay: dict[str, Any],
    capacity: int | str,
    years: int = 20,
    warmup_years: int = 2,
    replications: int = 30,
    seed: int = 2025,
    initial: int = 0,
    kind: str = "shared",
) -> Scenario:
    """One place fed by Poisson arrivals, people leave after their stay; street to wait in."""
    return scenario_from_dict(
        {
            "meta": {"name": "single place"},
            "simulation": {
                "years": years, "warmup_years": warmup_years,
                "replications": replications, "seed": seed,
            },
            "policy": {"waiting": ["street"]},
            "places": {
                "street": {"kind": "street"},
                "unit": {"kind": kind, "capacity": capacity, "stay": stay},
            },
            "segments": [
                {
                    "name": "people",
                    "arrivals_per_year": arrivals_per_year,
                    "initial": {"unit": initial} if initial else {},
                    "routes": {"start": {"unit": 1.0}, "unit": {"exit": 1.0}},
                }
            ],
        }
    )


NETWORK: dict[str, Any] = {
    "meta": {"name": "small network"},
    "simulation": {"years": 4, "warmup_years": 1, "replications": 4, "seed": 7},
    "policy": {"waiting": ["shelter", "hostel", "street"], "priority": "segment"},
    "places": {
        "street": {"kind": "street"},
        "shelter": {"kind": "acute", "capacity": 4},
        "hostel": {"kind": "acute", "capacity": "unlimited"},
        "temporary": {
            "kind": "temporary", "capacity": 6,
            "stay": {"dist": "gamma", "mean": 60, "cv": 0.7}, "when_ready": "leave",
        },
        "shared": {
            "kind": "shared", "capacity": [5, 5, 7, 7],
            "stay": {"dist": "lognormal", "mean": 300, "sd": 200},
        },
        "housing_first": {"kind": "housing_first", "capacity": 4},
        "ordinary": {
            "kind": "ordinary", "capacity": 20,
            "stay": {"dist": "weibull", "shape": 1.5, "scale": 900},
        },
    },
    "segments": [
        {
            "name": "chronic",
            "arrivals_per_year": [6, 8, 8, 10],
            "initial": {"shared": 3, "hostel": 2, "housing_first": 2},
            "priority": 1,
            "exit_rate_per_year": 0.05,
            "breakdown_rate_per_year": {"shared": 0.2, "housing_first": 0.1, "ordinary": 0.3},
            "routes": {
                "start": {"shared": 0.5, "housing_first": 0.5},
                "shared": {"ordinary": 0.7, "temporary": 0.2, "exit": 0.1},
                "ordinary": {"exit": 0.6, "temporary": 0.4},
                "temporary": {"shared": 0.5, "ordinary": 0.5},
                "breakdown": {"temporary": 0.6, "shared": 0.4},
            },
        },
        {
            "name": "transitional",
            "arrivals_per_year": 20,
            "initial": {"temporary": 3, "ordinary": 5},
            "priority": 0,
            "exit_rate_per_year": 0.2,
            "breakdown_rate_per_year": {"ordinary": 0.1},
            "stay": {"temporary": {"dist": "uniform", "low": 10, "high": 90}},
            "routes": {
                "start": {"temporary": 1.0},
                "temporary": {"ordinary": 0.9, "exit": 0.1},
                "ordinary": {"exit": 1.0},
                "breakdown": {"temporary": 1.0},
            },
        },
    ],
}
"""Every feature at once: waiting list, priorities, blocking and leave, capacity plan,
breakdowns, exits, initial people in places with and without stays."""


def network(**overrides: object) -> Scenario:
    """The small network, with dotted overrides."""
    return scenario_from_dict(copy.deepcopy(NETWORK), overrides=overrides or None)


def values(replications: Any, metric: str, place: str = "", segment: str = "") -> np.ndarray:
    """One metric's values over replications, from a ``Results.replications`` frame.

    The whole target group unless ``segment`` names one; the system unless ``place`` does.
    """
    rows = replications[(replications.metric == metric) & (replications.place == place)
                        & (replications.segment == segment)]
    return rows["value"].to_numpy(dtype=float)


def record_of_stays(stays: list[tuple[float, float, float, float, float]], *, places: int,
                    segments: int, warmup_years: int, observed_years: int) -> ReplicationRecord:
    """A record with only stays in it: rows (person, segment, place, start, end) in days
    from day 0; every other exposure is zero."""
    years = warmup_years + observed_years

    def zeros(*shape: int) -> np.ndarray:
        return np.zeros(shape)

    return ReplicationRecord(
        sample=0, replication=0, warmup_years=warmup_years, observed_years=observed_years,
        person_days=zeros(years, places, segments), held_days=zeros(years, places),
        queue_days=zeros(years, places), blocked_days=zeros(years, places),
        unit_days=zeros(years, places),
        counts=np.zeros((len(Count), years, places, segments), dtype=np.int64),
        arrivals=np.zeros((years, segments), dtype=np.int64),
        waits=[[np.empty(0) for _ in range(segments)] for _ in range(places)],
        open_waits=[[np.empty(0) for _ in range(segments)] for _ in range(places)],
        spells=zeros(0, 4), flows=np.zeros((segments, places + 1, places + 1), dtype=np.int64),
        month_occupancy=zeros(years * 12, places), month_queue=zeros(years * 12, places),
        crisis_hours=zeros(years, 0),
        people_start=np.zeros((places, segments), dtype=np.int64),
        people_end=np.zeros((places, segments), dtype=np.int64),
        stays=np.array(stays, dtype=float).reshape(-1, 5),
    )
