"""A planner's plan: a scenario file with the changes made in the form.

:func:`check_plan` loads it as ``bosim validate`` and ``bosim run --set`` would (the same
messages); :func:`save_plan` writes it as a new scenario file that ``extends`` the
original and holds only the changed keys, never over an existing file.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bosim.app.fields import toml_key, toml_value, value_text
from bosim.errors import InputError
from bosim.outputs.folder import slug, write_whole
from bosim.scenario import Scenario, load_scenario
from bosim.scenario.plausibility import check_size

FORM_SOURCE = "form"
"""How error messages name a value typed in the app's form (``--set`` on the command line)."""
PLANS_FOLDER = Path("plans")
"""Where the app saves plans, relative to the folder it was started in."""


def check_plan(original: str | Path, overrides: Mapping[str, object],
               replications: int | None = None) -> Scenario:
    """The original scenario with the form's changes, checked as ``bosim validate`` checks.

    ``replications`` (default: the scenario's) sizes the run whose size is checked.

    Raises:
        InputError: naming the file (or ``form``), the key and the fix.

    """
    scenario = load_scenario(original, overrides, override_source=FORM_SOURCE)
    check_size([scenario], replications or scenario.simulation.replications)
    return scenario


def plan_table(overrides: Mapping[str, object]) -> dict[str, Any]:
    """Dotted overrides as the tables of a scenario file; segments as a list by name."""
    data: dict[str, Any] = {}
    segments: dict[str, dict[str, Any]] = {}
    for dotted, value in overrides.items():
        parts = dotted.split(".")
        if parts[0] == "segments" and len(parts) > 2:
            node = segments.setdefault(parts[1], {"name": parts[1]})
            parts = parts[2:]
        else:
            node = data
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    if segments:
        data["segments"] = list(segments.values())
    return data


def plan_text(original: Path, folder: Path, name: str,
              overrides: Mapping[str, object]) -> str:
    """The text of a plan file in ``folder``: a header, ``extends`` and the changed keys."""
    extends = Path(os.path.relpath(original.resolve(), folder.resolve())).as_posix()
    changes = "these changes:" if overrides else "no changes."
    lines = [f"# {name}: saved by bosim app on {dt.date.today().isoformat()}.",
             f"# The scenario {original.name} with {changes}"]
    lines.extend(f"#   {dotted} = {value_text(value)}" for dotted, value in overrides.items())
    lines.extend(["", f"extends = {toml_value(extends)}", "", "[meta]",
                  f"name = {toml_value(name)}", f"label = {toml_value(name)}"])
    table = plan_table(overrides)
    for key, value in table.pop("meta", {}).items():
        if key not in ("name", "label"):
            lines.append(f"{toml_key(key)} = {toml_value(value)}")
    segments = table.pop("segments", [])
    for section, owners in table.items():
        direct = {key: value for key, value in owners.items() if not isinstance(value, dict)}
        if direct:  # keys right in a section, e.g. [economics]
            lines.extend(["", f"[{toml_key(section)}]"])
            lines.extend(f"{toml_key(key)} = {toml_value(value)}"
                         for key, value in direct.items())
        for owner, keys in owners.items():
            if owner in direct:
                continue
            lines.extend(["", f"[{toml_key(section)}.{toml_key(owner)}]"])
            lines.extend(f"{toml_key(key)} = {toml_value(value)}" for key, value in keys.items())
    for segment in segments:
        lines.extend(["", "[[segments]]"])
        lines.extend(f"{toml_key(key)} = {toml_value(value)}" for key, value in segment.items())
    return "\n".join(lines) + "\n"


def save_plan(original: str | Path, overrides: Mapping[str, object], name: str,
              folder: str | Path = PLANS_FOLDER) -> Path:
    """Write the plan as ``<folder>/<name>.toml`` extending ``original``; return its path.

    The file is written whole and never replaces an existing one; it is loaded back, and
    removed again if it does not load.

    Raises:
        InputError: an empty name, a file of that name already there, a folder that
            cannot be written, or a plan that does not load (naming the key and the fix).

    """
    if not name.strip():
        raise InputError("the plan has no name", key="name",
                         fix="write a name for the plan, e.g. more-staff-at-night")
    directory = Path(folder)
    target = directory / f"{slug(name.strip())}.toml"
    if target.exists():
        raise InputError("a plan with this name exists already", file=str(target),
                         fix="choose another name; bosim never writes over a file")
    text = plan_text(Path(original), directory, name.strip(), overrides)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _write_new(target, text.encode("utf-8"))
    except FileExistsError:
        raise InputError("a plan with this name exists already", file=str(target),
                         fix="choose another name; bosim never writes over a file") from None
    except OSError as error:
        raise InputError(f"cannot be written: {error.strerror or error}", file=str(target),
                         fix="start bosim app in a folder you can write to") from None
    try:
        load_scenario(target)
    except InputError:
        target.unlink()
        raise
    return target


def _write_new(target: Path, data: bytes) -> None:
    """Write a file whole under a new name: a link never replaces an existing file."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.new")
    write_whole(temporary, data)
    try:
        os.link(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
