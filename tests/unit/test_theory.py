"""The closed forms themselves, against independent computations."""

from __future__ import annotations

import math

import pytest

from bosim.analysis.theory import erlang_b, erlang_c, mmc_mean_wait


def erlang_b_direct(servers: int, load: float) -> float:
    terms = [load**k / math.factorial(k) for k in range(servers + 1)]
    return terms[-1] / sum(terms)


@pytest.mark.parametrize(("servers", "load"), [(1, 0.5), (3, 2.0), (5, 4.5), (10, 7.0)])
def test_erlang_b_matches_the_sum_formula(servers: int, load: float) -> None:
    assert erlang_b(servers, load) == pytest.approx(erlang_b_direct(servers, load), rel=1e-12)


def test_erlang_c_single_server_is_rho() -> None:
    assert erlang_c(1, 0.7) == pytest.approx(0.7)
    assert mmc_mean_wait(1, 0.7, 1.0) == pytest.approx(0.7 / (1.0 - 0.7))  # M/M/1: rho/(mu-lambda)


def test_erlang_c_refuses_an_unstable_queue() -> None:
    with pytest.raises(ValueError, match="stable"):
        erlang_c(2, 2.0)
