"""Figures of results, as matplotlib figures an economist can restyle (``bosim.plot``).

The figures live in :mod:`bosim.presentation.figures`; this module is their public name.

>>> import bosim, bosim.plot  # doctest: +SKIP
>>> figure = bosim.plot.occupancy(bosim.simulate("scenarios/example.toml"))  # doctest: +SKIP
"""

from bosim.presentation.figures import (
    cost_effect,
    costs,
    flows,
    forest,
    occupancy,
    queues,
    retention,
    sweep,
    waits,
)

__all__ = [
    "cost_effect", "costs", "flows", "forest", "occupancy", "queues", "retention", "sweep",
    "waits",
]
