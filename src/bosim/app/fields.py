"""The form of a scenario: the numbers a planner may change, and what a changed form means.

A :class:`FormField` is one key of the scenario (``teams.hf_team.fte``) with its value in
the loaded scenario. :func:`form_fields` lists the fields of a scenario's places, groups of
people (segments) and teams; :func:`changed_overrides` turns the values the planner typed
into the dotted overrides ``bosim run --set`` takes, keeping only what changed. Text is
read as ``--set`` reads it (:func:`bosim.scenario.parse_override`), so ``unlimited``,
``[10, 12, 16]`` and ``mon-fri 08:00-16:00`` mean what they mean on the command line.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from bosim.errors import InputError, InputErrors
from bosim.scenario import Scenario, parse_override

Section = Literal["places", "segments", "teams"]
Kind = Literal["number", "text"]
"""``number``: a number box; ``text``: a text box read as a TOML value (as ``--set``)."""

PLACE_KEYS: tuple[tuple[str, Kind], ...] = (
    ("capacity", "text"),
    ("cost_per_unit_day", "number"),
    ("cost_per_occupied_day", "number"),
    ("cost_per_admission", "number"),
    ("cost_per_breakdown", "number"),
)
"""A place's keys in the form: capacity (a number, ``unlimited`` or one per year) and prices."""
SEGMENT_KEYS: tuple[tuple[str, Kind], ...] = (
    ("arrivals_per_year", "text"),
    ("exit_rate_per_year", "number"),
)
"""A group's keys: arrivals (a rate, or one per observed year) and the exit rate."""
TEAM_KEYS: tuple[tuple[str, Kind], ...] = (
    ("fte", "number"),
    ("hours", "text"),
    ("cost_per_fte_year", "number"),
    ("followup_hours_per_resident_week", "number"),
)
"""A team's keys: full-time equivalents, service hours, the price of a full-time year and
follow-up hours."""


@dataclass(frozen=True)
class FormField:
    """One changeable key of a scenario, as a form shows it."""

    path: str
    """The dotted key path, as ``--set`` takes it: ``places.shelter.capacity``."""
    section: Section
    """Which part of the scenario the key belongs to."""
    owner: str
    """The place, group or team the key belongs to (its key or name)."""
    owner_label: str
    """The name a reader sees for the owner (its ``label``, else its key)."""
    key: str
    """The key inside the owner's table, e.g. ``capacity``."""
    kind: Kind
    value: object
    """The value in the loaded scenario (after ``extends``)."""

    @property
    def input_id(self) -> str:
        """The name of the form's input for this key (:func:`input_id`)."""
        return input_id(self.path)

    @property
    def shown(self) -> object:
        """The value as the form shows it at first: a number, or text as ``--set`` reads it."""
        if self.kind == "number":
            if isinstance(self.value, float) and self.value.is_integer():
                return int(self.value)  # 900, not 900.0
            return self.value
        return value_text(self.value)


def input_id(path: str) -> str:
    """A name for a key's input in the form: letters and digits, the same for the same path.

    Place and team names may hold letters a web page's names cannot (æ, ø, å, spaces).
    """
    return "field_" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:12]


def value_text(value: object) -> str:
    """A value as a planner types it: bare text (``24/7``), numbers and lists as TOML."""
    if isinstance(value, str):
        return value
    return toml_value(value)


BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
"""A TOML key that needs no quotes."""


def toml_key(key: str) -> str:
    """A key as TOML writes it: bare (``day_team``) or quoted (``"nattherberge ø"``)."""
    return key if BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def toml_value(value: object) -> str:
    """A value as TOML on one line: ``[4, 6, 6]``, ``18`` (not ``18.0``), ``"24/7"``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{toml_key(str(key))} = {toml_value(item)}"
                          for key, item in value.items())
        return "{ " + inner + " }"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string


def form_fields(scenario: Scenario, lang: str = "en") -> list[FormField]:
    """The form of a scenario: its places, then its groups of people, then its teams.

    Owners are named as a reader of ``lang`` (``en`` or ``nb``) sees them.

    A street place has no capacity (it never runs out), so the form leaves it out; a
    key the scenario leaves out shows its default.
    """
    fields: list[FormField] = []
    for name, place in scenario.places.items():
        for key, kind in PLACE_KEYS:
            if key == "capacity" and place.kind == "street":
                continue
            value = getattr(place, key)
            if key == "capacity" and value is None:
                value = "unlimited"
            fields.append(FormField(f"places.{name}.{key}", "places", name,
                                    scenario.place_label(name, lang), key, kind, value))
    for segment in scenario.segments:
        for key, kind in SEGMENT_KEYS:
            fields.append(FormField(f"segments.{segment.name}.{key}", "segments", segment.name,
                                    scenario.segment_label(segment.name, lang), key, kind,
                                    getattr(segment, key)))
    for name, team in scenario.teams.items():
        for key, kind in TEAM_KEYS:
            fields.append(FormField(f"teams.{name}.{key}", "teams", name,
                                    scenario.team_label(name, lang), key, kind, getattr(team, key)))
    return fields


def read_field(field: FormField, typed: object) -> object:
    """The value the planner typed, as the scenario takes it.

    Raises:
        InputError: for an empty box, naming the key and the fix.

    """
    if typed is None or (isinstance(typed, str) and not typed.strip()):
        example = "12" if field.kind == "number" else value_text(field.value)
        raise InputError("is empty", file="form", key=field.path,
                         fix=f"write a value, e.g. {example}")
    if field.kind == "number" or not isinstance(typed, str):
        return typed
    return parse_override(f"{field.path}={typed}")[1]


def changed_overrides(fields: list[FormField], typed: Mapping[str, object]) -> dict[str, object]:
    """The dotted overrides of the fields whose typed value differs from the scenario's.

    ``typed`` maps a field's path to what the form holds; fields it leaves out are
    unchanged. Every empty box is reported at once.

    Raises:
        InputErrors: one error per empty box.

    """
    overrides: dict[str, object] = {}
    problems: list[InputError] = []
    for field in fields:
        if field.path not in typed:
            continue
        try:
            value = read_field(field, typed[field.path])
        except InputError as error:
            problems.append(error)
            continue
        if value != field.value:
            overrides[field.path] = value
    if problems:
        raise InputErrors(problems)
    return overrides
