"""Print bosim's figures against queueing theory: simulated mean, 99 % interval, theory.

    python benchmarks/validation.py

The same checks run as tests (tests/test_queueing_theory.py); this script prints the
numbers for the README and for publications.
"""

from __future__ import annotations

import numpy as np

import bosim
from bosim.analysis.summary import interval
from bosim.analysis.theory import erlang_b, mmc_mean_wait
from bosim.engine.crises import PROFILES
from bosim.scenario import scenario_from_dict
from bosim.scenario.hours import parse_hours

CONFIDENCE = 0.99
SERVERS, STAY = 5, 10.0


def single_place(arrivals_per_year: float, capacity: int | str, years: int, warmup: int,
                 replications: int) -> bosim.Scenario:
    return scenario_from_dict({
        "simulation": {"years": years, "warmup_years": warmup, "replications": replications,
                       "seed": 2025},
        "policy": {"waiting": ["street"]},
        "places": {"street": {"kind": "street"},
                   "unit": {"kind": "shared", "capacity": capacity,
                            "stay": {"dist": "exponential", "mean": STAY}}},
        "segments": [{"name": "people", "arrivals_per_year": arrivals_per_year,
                      "routes": {"start": {"unit": 1.0}, "unit": {"exit": 1.0}}}],
    })


def staffed_home(staff: float, load: float, hours: str = "24/7",
                 profile: str = "flat") -> bosim.Scenario:
    """10 residents for good, one team; load = crises per hour x 2 h handling."""
    open_share = parse_hours(hours).open_hours_per_week / 168.0 or 1.0
    return scenario_from_dict({
        "simulation": {"years": 1, "warmup_years": 0, "replications": 20, "seed": 17},
        "policy": {"waiting": ["street"]},
        "places": {"street": {"kind": "street"},
                   "home": {"kind": "housing_first", "capacity": 10}},
        "teams": {"team": {"serves": ["home"], "fte": staff, "hours": hours,
                           "hours_per_fte_year": 8760.0 * open_share,
                           "handling_hours": {"dist": "exponential", "mean": 2.0}}},
        "segments": [{"name": "residents", "initial": {"home": 10},
                      "crisis": {"rate_per_year": load / 2.0 * 8760.0 / 10,
                                 "profile": profile}}],
    })


def system_metric(results: bosim.Results, name: str) -> np.ndarray:
    frame = results.replications
    rows = frame[(frame.metric == name) & (frame.place == "") & (frame.segment == "")]
    return rows["value"].to_numpy(dtype=float)


def row(label: str, sample: np.ndarray, theory: float) -> None:
    mean, _, low, high, n = interval(sample, CONFIDENCE)
    inside = "yes" if low <= theory <= high else "NO"
    print(f"{label:<38} {mean:>9.4f}  [{low:>8.4f}, {high:>8.4f}]  {theory:>9.4f}  {inside:>6}"
          f"  (n={n})")


def metric(results: bosim.Results, name: str) -> np.ndarray:
    frame = results.replications
    rows = frame[(frame.metric == name) & (frame.place == "unit")]
    return rows["value"].to_numpy(dtype=float)


def main() -> None:
    print(f"{'check':<38} {'simulated':>9}  {'99 % interval':^20}  {'theory':>9}  inside")
    for rho in (0.8, 0.9):
        arrival_rate = rho * SERVERS / STAY
        results = bosim.simulate(single_place(arrival_rate * 365, SERVERS, 20, 5, 40))
        wait = mmc_mean_wait(SERVERS, arrival_rate, 1 / STAY)
        row(f"M/M/5 rho={rho}: mean wait (days)", metric(results, "mean_wait_days"), wait)
        row(f"M/M/5 rho={rho}: utilization", metric(results, "utilization"), rho)
        row(f"M/M/5 rho={rho}: mean queue (Lq)", metric(results, "mean_queue"),
            arrival_rate * wait)
    results = bosim.simulate(single_place(50.0, "unlimited", 10, 2, 30))
    row("M/M/inf: mean occupancy (lambda/mu)", metric(results, "mean_occupancy"),
        50.0 / 365.0 * STAY)
    for staff, load in ((1, 0.5), (2, 1.5), (4, 3.0)):
        results = bosim.simulate(staffed_home(staff, load))
        row(f"unmet crises, c={staff} a={load}", system_metric(results, "unmet_crisis_share"),
            erlang_b(staff, load))
    results = bosim.simulate(staffed_home(50, 0.5, "mon-fri 08:00-16:00"))
    row("handled share, mon-fri 08-16, flat", 1 - system_metric(results, "unmet_crisis_share"),
        40 / 168)
    weights = np.array(PROFILES["evening_night"])
    results = bosim.simulate(staffed_home(50, 0.5, "mon-fri 08:00-16:00", "evening_night"))
    row("handled share, 08-16, evening_night", 1 - system_metric(results, "unmet_crisis_share"),
        5 / 7 * weights[8:16].sum() / weights.sum())


if __name__ == "__main__":
    main()
