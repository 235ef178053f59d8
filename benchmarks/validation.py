"""Print bosim's figures against queueing theory: simulated mean, 99 % interval, theory.

    python benchmarks/validation.py

The same checks run as tests (tests/test_queueing_theory.py); this script prints the
numbers for the README and for publications.
"""

from __future__ import annotations

import numpy as np

import bosim
from bosim.metrics import interval
from bosim.scenario import scenario_from_dict
from bosim.theory import mmc_mean_wait

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


if __name__ == "__main__":
    main()
