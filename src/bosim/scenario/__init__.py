"""Scenario files: the typed model, its rules and how files are read."""

from bosim.scenario.loading import (
    SourceFile,
    load_scenario,
    parse_override,
    parse_vary,
    scenario_from_dict,
    scenario_to_dict,
    with_overrides,
)
from bosim.scenario.model import Place, Scenario, Segment

__all__ = [
    "Place",
    "Scenario",
    "Segment",
    "SourceFile",
    "load_scenario",
    "parse_override",
    "parse_vary",
    "scenario_from_dict",
    "scenario_to_dict",
    "with_overrides",
]
