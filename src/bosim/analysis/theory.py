"""Closed-form queueing results that the simulation is checked against.

Used by the validation tests and ``benchmarks/validation.py``; rates per day.
"""

from __future__ import annotations


def erlang_b(servers: int, load: float) -> float:
    """Erlang B: probability that all ``servers`` are busy, offered ``load`` = lambda / mu.

    Computed by the stable recursion B(k) = a B(k-1) / (k + a B(k-1)).
    """
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(servers: int, load: float) -> float:
    """Erlang C: probability that an arrival waits in M/M/c, for load < servers."""
    if load >= servers:
        raise ValueError("Erlang C needs load < servers (a stable queue)")
    blocking = erlang_b(servers, load)
    return servers * blocking / (servers - load * (1.0 - blocking))


def mmc_mean_wait(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Mean wait in queue (days) of M/M/c: C(c, a) / (c mu - lambda)."""
    load = arrival_rate / service_rate
    return erlang_c(servers, load) / (servers * service_rate - arrival_rate)
