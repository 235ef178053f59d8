"""What differs between plans: their resolved scenarios side by side, setting by setting.

A comparison report opens with this, so a reader sees what each plan *is* (capacities,
staff, hours, prices, routes) before the results. Free text (names, descriptions,
labels) is left out: it describes a plan, it does not change what is simulated.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from bosim.scenario import Scenario, scenario_to_dict
from bosim.scenario.model import LANGUAGES

TEXT_KEYS = frozenset({"description", "label", "name"})
"""Keys of free text, left out of the differences (except a segment's name, its key)."""
LEFT_OUT = ("uncertainty",)
"""Top-level tables that do not change a plain run (the register for a PSA)."""


def _label_table(value: object) -> bool:
    """Whether a value is a label with a text per language (``{ en = ..., nb = ... }``)."""
    return isinstance(value, dict) and bool(value) and set(value) <= set(LANGUAGES)


def flatten(data: object, prefix: str = "") -> dict[str, object]:
    """Nested scenario data as ``{"places.hostel.capacity": 40, ...}``.

    A list of tables with a ``name`` (segments) is keyed by that name; other lists are
    values (``teams.act.serves = ["flats"]``).
    """
    if isinstance(data, dict):
        flat: dict[str, object] = {}
        for key, value in data.items():
            if key in TEXT_KEYS and (not isinstance(value, dict | list) or _label_table(value)):
                continue
            flat.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(data, list) and data and all(isinstance(v, dict) and "name" in v
                                               for v in data):
        flat = {}
        for value in data:
            flat.update(flatten(value, f"{prefix}.{value['name']}"))
        return flat
    return {prefix: data}


def plan_differences(scenarios: Mapping[str, Scenario]) -> pd.DataFrame:
    """The settings that differ between plans: ``setting``, then one column per plan.

    ``setting`` is the dotted key a scenario file uses (``places.flats.capacity``); a
    setting a plan does not have is ``None`` in its column. Rows in the first plan's
    order, then settings only later plans have.
    """
    flat = {name: {key: value for key, value in flatten(scenario_to_dict(scenario)).items()
                   if key.split(".")[0] not in LEFT_OUT}
            for name, scenario in scenarios.items()}
    keys = list(dict.fromkeys(key for values in flat.values() for key in values))
    rows = []
    for key in keys:
        values = [flat[name].get(key) for name in scenarios]
        if any(value != values[0] for value in values[1:]):
            rows.append([key, *values])
    # object columns keep None (a setting a plan does not have) apart from numbers
    return pd.DataFrame(rows, columns=["setting", *scenarios], dtype=object)
