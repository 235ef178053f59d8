"""bosim: what housing and staffing choices for homeless people cost, and what they buy.

A discrete-event simulation (SimPy) of people moving through acute, temporary, shared,
Housing First and ordinary housing, with capacities, staff, queues and breakdowns.

>>> import bosim
>>> scenario = bosim.load_scenario("scenarios/example.toml")  # doctest: +SKIP
>>> results = bosim.simulate(scenario, replications=10)  # doctest: +SKIP
>>> results.summary  # doctest: +SKIP

The package is in layers, each depending only on those below it: ``scenario`` ->
``engine`` -> ``records`` -> ``analysis`` -> ``outputs`` -> ``presentation`` -> ``api``
and ``cli``. Names are imported on first use, so that ``bosim validate`` starts without
loading pandas and SciPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bosim.analysis import Comparison, Results, Sweep
    from bosim.api import (
        compare,
        load_results,
        price,
        render_report,
        rerender,
        save,
        simulate,
        sweep,
    )
    from bosim.errors import InputError
    from bosim.scenario import Scenario, load_scenario, with_overrides

_WHERE = {
    "simulate": "bosim.api",
    "compare": "bosim.api",
    "sweep": "bosim.api",
    "price": "bosim.api",
    "save": "bosim.api",
    "load_results": "bosim.api",
    "render_report": "bosim.api",
    "rerender": "bosim.api",
    "InputError": "bosim.errors",
    "Results": "bosim.analysis",
    "Comparison": "bosim.analysis",
    "Sweep": "bosim.analysis",
    "Scenario": "bosim.scenario",
    "load_scenario": "bosim.scenario",
    "with_overrides": "bosim.scenario",
}

__all__ = [
    "Comparison",
    "InputError",
    "Results",
    "Scenario",
    "Sweep",
    "compare",
    "load_results",
    "load_scenario",
    "price",
    "render_report",
    "rerender",
    "save",
    "simulate",
    "sweep",
    "with_overrides",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        return importlib.import_module("bosim.outputs.manifest").bosim_version()
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    try:
        return importlib.import_module(f"bosim.{name}")
    except ModuleNotFoundError:
        raise AttributeError(f"module 'bosim' has no attribute {name!r}") from None
