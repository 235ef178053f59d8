"""bosim: what housing and staffing choices for homeless people cost, and what they buy.

A discrete-event simulation (SimPy) of people moving through acute, temporary, shared,
Housing First and ordinary housing, with capacities, queues and breakdowns.

>>> import bosim
>>> scenario = bosim.load_scenario("scenarios/example.toml")  # doctest: +SKIP
>>> results = bosim.simulate(scenario, replications=10)  # doctest: +SKIP
>>> results.summary  # doctest: +SKIP

Names are imported on first use, so that ``bosim validate`` starts without loading
pandas and SciPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bosim.api import price, simulate
    from bosim.comparison import compare
    from bosim.errors import InputError
    from bosim.results import Results
    from bosim.scenario import Scenario, load_scenario, with_overrides
    from bosim.sweeping import sweep

_WHERE = {
    "simulate": "bosim.api",
    "compare": "bosim.comparison",
    "sweep": "bosim.sweeping",
    "price": "bosim.api",
    "InputError": "bosim.errors",
    "Results": "bosim.results",
    "Scenario": "bosim.scenario",
    "load_scenario": "bosim.scenario",
    "with_overrides": "bosim.scenario",
}

__all__ = [
    "InputError",
    "Results",
    "Scenario",
    "compare",
    "load_scenario",
    "price",
    "simulate",
    "sweep",
    "with_overrides",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from bosim.results import bosim_version

        return bosim_version()
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    try:
        return importlib.import_module(f"bosim.{name}")
    except ModuleNotFoundError:
        raise AttributeError(f"module 'bosim' has no attribute {name!r}") from None
