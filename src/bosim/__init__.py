"""bosim: what housing and staffing choices for homeless people cost, and what they buy.

A discrete-event simulation (SimPy) of people moving through acute, temporary, shared,
Housing First and ordinary housing, with capacities, queues and breakdowns.

>>> import bosim
>>> scenario = bosim.load_scenario("scenarios/example.toml")  # doctest: +SKIP
>>> results = bosim.simulate(scenario, replications=10)  # doctest: +SKIP
>>> results.summary  # doctest: +SKIP
"""

from bosim.api import simulate
from bosim.errors import InputError
from bosim.results import Results
from bosim.scenario import Scenario, load_scenario, with_overrides

__all__ = ["InputError", "Results", "Scenario", "load_scenario", "simulate", "with_overrides"]
