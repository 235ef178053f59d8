"""Reading scenario files: TOML, ``extends`` merging, dotted overrides and clear errors.

``remove`` in a file that extends another is :mod:`bosim.scenario.removal`'s.

The result is a validated :class:`~bosim.scenario.model.Scenario` that remembers which
files it came from (for the manifest). Every problem becomes an
:class:`~bosim.errors.InputError` naming the file, the key path and the fix.
"""

from __future__ import annotations

import copy
import hashlib
import math
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from bosim.errors import InputError, InputErrors
from bosim.scenario import distributions
from bosim.scenario.checks import check_scenario, suggest
from bosim.scenario.model import Scenario
from bosim.scenario.plausibility import check_plausible
from bosim.scenario.removal import check_nothing_points_at, remove_paths

Raw = dict[str, Any]
KeyPath = tuple[str, ...]
OVERRIDE_SOURCE = "--set"


@dataclass(frozen=True)
class SourceFile:
    """A scenario file that contributed to a scenario, with its content hash."""

    path: str
    sha256: str


@dataclass
class _Merged:
    data: Raw
    provenance: dict[KeyPath, str]
    sources: list[SourceFile]


def load_scenario(
    path: str | Path,
    overrides: Mapping[str, object] | None = None,
    override_source: str = "overrides",
) -> Scenario:
    """Read, merge, override and validate a scenario file.

    Args:
        path: the scenario TOML file.
        overrides: dotted key paths to Python values, e.g.
            ``{"places.shared_rop.capacity": 16}`` (command-line text goes through
            :func:`parse_override` first).
        override_source: how errors in overrides name their origin (``--set`` on the
            command line).

    Raises:
        InputError: naming the file, the key and the fix, for anything bosim cannot use.

    """
    merged = _read_with_extends(Path(path), stack=())
    for dotted, value in (overrides or {}).items():
        _apply_override(merged, dotted, value, override_source)
    scenario = _validate(merged)
    scenario._sources = list(merged.sources)
    return scenario


def scenario_from_dict(
    data: Mapping[str, Any],
    overrides: Mapping[str, object] | None = None,
    source: str = "<dict>",
) -> Scenario:
    """Validate a scenario given as plain data (as a TOML file would give it).

    The same rules and messages as :func:`load_scenario`; ``source`` names the data in
    error messages.
    """
    merged = _Merged(data={}, provenance={}, sources=[])
    _merge_into(merged, copy.deepcopy(dict(data)), source, ())
    for dotted, value in (overrides or {}).items():
        _apply_override(merged, dotted, value, "overrides")
    return _validate(merged)


def with_overrides(
    scenario: Scenario, overrides: Mapping[str, object], source: str = "overrides"
) -> Scenario:
    """A copy of a loaded scenario with dotted overrides applied and validated again.

    ``source`` names the overrides in error messages (``--vary`` for a sweep).
    """
    merged = _Merged(
        data=scenario_to_dict(scenario),
        provenance={},
        sources=list(getattr(scenario, "_sources", [])),
    )
    for dotted, value in overrides.items():
        _apply_override(merged, dotted, value, source)
    for dotted in overrides:
        merged.provenance[tuple(dotted.split("."))] = source
    result = _validate(merged)
    result._sources = list(merged.sources)
    return result


def scenario_to_dict(scenario: Scenario) -> Raw:
    """The resolved scenario as plain data, with the keys a scenario file uses."""
    return scenario.model_dump(by_alias=True, mode="json")


def parse_override(text: str) -> tuple[str, object]:
    """Split ``PATH=VALUE`` from the command line; the value is read as a TOML value."""
    if "=" not in text:
        raise InputError(
            f"{text!r} is not PATH=VALUE",
            file=OVERRIDE_SOURCE,
            fix="write e.g. --set places.shelter.capacity=20",
        )
    dotted, _, value = text.partition("=")
    return dotted.strip(), _read_value(value.strip())


def parse_vary(text: str) -> tuple[str, list[object]]:
    """Split ``PATH=V1,V2,...`` from the command line (``bosim sweep --vary``); values as TOML."""
    if "=" not in text:
        raise InputError(
            f"{text!r} is not PATH=V1,V2,...", file="--vary",
            fix="write e.g. --vary teams.hf_team.fte=2,4,6",
        )
    path, _, raw = text.partition("=")
    try:
        values = tomllib.loads(f"values = [{raw}]")["values"]
    except tomllib.TOMLDecodeError:
        values = [part.strip() for part in raw.split(",") if part.strip()]
    if not values:
        raise InputError("no values", file="--vary", key=path.strip(),
                         fix="give at least one value after =")
    return path.strip(), list(values)


def _read_value(text: str) -> object:
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        return text  # a bare word such as society or fifo


# --------------------------------------------------------------------------- reading


def _read_with_extends(path: Path, stack: tuple[Path, ...]) -> _Merged:
    resolved = path.resolve()
    if resolved in stack:
        chain = " -> ".join(str(p) for p in (*stack, resolved))
        raise InputError(
            f"extends makes a cycle: {chain}",
            file=str(path),
            key="extends",
            fix="remove one of the extends lines so that no file extends itself",
        )
    data, sha = _read_toml(path)
    parent_name = data.pop("extends", None)
    removals = data.pop("remove", None)
    if removals is not None and parent_name is None:
        raise InputError(
            "remove takes things out of the file this one extends, but this file extends "
            "none", file=str(path), key="remove",
            fix='add extends = "base.toml", or delete the remove line and the entries '
                "themselves",
        )
    own = _Merged(data={}, provenance={}, sources=[SourceFile(str(path), sha)])
    _merge_into(own, data, str(path), ())
    if parent_name is None:
        return own
    if not isinstance(parent_name, str):
        raise InputError(
            "extends must be a file name in quotes",
            file=str(path),
            key="extends",
            fix='write extends = "baseline.toml"',
        )
    parent_path = path.parent / parent_name
    if not parent_path.is_file():
        raise InputError(
            f"extends names {parent_name!r}, which does not exist (looked for {parent_path})",
            file=str(path),
            key="extends",
            fix="give the parent file's path relative to this file's folder",
        )
    parent = _read_with_extends(parent_path, (*stack, resolved))
    removed = (remove_paths(parent.data, parent.provenance, removals, str(path))
               if removals is not None else [])
    _merge_into(parent, data, str(path), ())
    check_nothing_points_at(parent.data, removed, str(path))
    parent.sources.extend(own.sources)
    return parent


def _read_toml(path: Path) -> tuple[Raw, str]:
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            "no such file", file=str(path), fix="check the path and the file name"
        ) from None
    except OSError as error:
        raise InputError(
            f"cannot be read ({error.strerror})", file=str(path), fix="check the path"
        ) from None
    try:
        # utf-8-sig: a byte-order mark (which some Windows editors write) is not content.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            "is not UTF-8 text", file=str(path), fix="save the file as UTF-8"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(
            f"is not valid TOML: {error}",
            file=str(path),
            fix=_toml_fix(text, str(error)),
        ) from None
    return data, hashlib.sha256(content).hexdigest()


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_.\-\s\"']*$")
_BARE_WORD = re.compile(r"^[^\W\d][\w\-]*$")


def _toml_fix(text: str, error: str) -> str:
    """The fix for a TOML syntax error, naming the usual causes a planner meets."""
    general = "correct the TOML syntax at the line and column given"
    found = _TOML_POSITION.search(error)
    lines = text.splitlines()
    if found is None or not 0 < int(found[1]) <= len(lines):
        return general
    line = lines[int(found[1]) - 1].strip()
    key, equals, value = line.partition("=")
    header = line.startswith("[")
    if header:
        key, equals, value = line.split("#")[0].strip().strip("[]"), "", ""
    if key.strip() and not _BARE_KEY.match(key):
        parts = [part.strip() for part in key.split(".")]
        quoted = ".".join(part if _BARE_KEY.match(part) else f'"{part}"' for part in parts)
        written = f"[{quoted}]" if header else f"{quoted} = ..."
        return (f"a key with letters other than A-Z, a-z, 0-9, _ and - must be in quotes: "
                f"write {written} (or rename it with plain letters)")
    word = value.split("#")[0].strip()
    if equals and _BARE_WORD.match(word) and word not in ("true", "false", "inf", "nan"):
        return f'text values must be in quotes: write {key.strip()} = "{word}"'
    return general


def _merge_into(target: _Merged, data: Raw, source: str, prefix: KeyPath) -> None:
    """Deep-merge ``data`` over ``target.data`` at ``prefix``; segments merge by name.

    A distribution (a table with a ``dist`` key) is one value: it replaces the parent's
    whole, so ``{ dist = "exponential", mean = 90 }`` over a gamma does not inherit its cv.
    """
    node = _node_at(target.data, prefix)
    for key, value in data.items():
        path = (*prefix, key)
        if key == "segments" and not prefix and isinstance(value, list):
            _merge_segments(target, node, value, source)
        elif isinstance(value, dict) and isinstance(node.get(key), dict) and "dist" not in value:
            _merge_into(target, value, source, path)
        else:
            node[key] = copy.deepcopy(value)
            _mark(target, path, value, source)


def _merge_segments(target: _Merged, node: Raw, segments: list[Any], source: str) -> None:
    existing = node.setdefault("segments", [])
    for position, segment in enumerate(segments):
        name = segment.get("name") if isinstance(segment, dict) else None
        name = name if isinstance(name, str) else f"#{position}"
        match = next(
            (s for s in existing if isinstance(s, dict) and s.get("name") == name), None
        )
        if match is None:
            existing.append({})
        segment_path: KeyPath = ("segments", name)
        if isinstance(segment, dict):
            index = existing.index(match) if match is not None else len(existing) - 1
            temporary = _Merged(data=existing[index], provenance={}, sources=[])
            _merge_into(temporary, segment, source, ())
            for path, origin in temporary.provenance.items():
                target.provenance[(*segment_path, *path)] = origin
        else:
            existing[-1] = segment
        target.provenance.setdefault(segment_path, source)


def _node_at(data: Raw, path: KeyPath) -> Raw:
    node = data
    for key in path:
        node = node.setdefault(key, {})
    return node


def _mark(target: _Merged, path: KeyPath, value: object, source: str) -> None:
    target.provenance[path] = source
    if isinstance(value, dict):
        for key, inner in value.items():
            _mark(target, (*path, key), inner, source)


# ------------------------------------------------------------------------- overrides


def _apply_override(merged: _Merged, dotted: str, value: object, source: str) -> None:
    parts = [p for p in dotted.split(".") if p]
    if not parts:
        raise InputError(
            "empty key path", file=source, fix="write e.g. places.shelter.capacity=20"
        )
    node: Any = merged.data
    walked: list[str] = []
    for position, part in enumerate(parts[:-1]):
        walked.append(part)
        if isinstance(node, list):  # segments, addressed by name
            names = [s.get("name") for s in node if isinstance(s, dict)]
            if part not in names:
                raise InputError(
                    f"no segment called {part!r}",
                    file=source,
                    key=".".join(walked),
                    fix=suggest(part, [str(n) for n in names]),
                )
            node = node[names.index(part)]
            continue
        if not isinstance(node, dict) or part not in node:
            known = list(node) if isinstance(node, dict) else []
            known.extend(k for k in _known_keys(tuple(parts[:position])) if k not in known)
            if isinstance(node, dict) and part in _known_keys(tuple(parts[:position])):
                node[part] = {}  # a known table the file left out, e.g. [economics]
            else:
                raise InputError(
                    f"unknown key {part!r}",
                    file=source,
                    key=".".join(walked),
                    fix=suggest(part, known),
                )
        node = node[part]
    if not isinstance(node, dict):
        raise InputError(
            f"{'.'.join(parts[:-1])} is not a table",
            file=source,
            key=dotted,
            fix="give a path to a key inside a table",
        )
    node[parts[-1]] = value
    replaced = tuple(parts)
    # The value replaces whatever was below it: its keys now come from the override.
    for below in [k for k in merged.provenance if k[:len(replaced)] == replaced]:
        del merged.provenance[below]
    _mark(merged, replaced, value, source)


# ------------------------------------------------------------------------ validation


def _validate(merged: _Merged) -> Scenario:
    try:
        scenario = Scenario.model_validate(merged.data)
    except ValidationError as error:
        raise InputErrors(
            _dedupe([_from_pydantic(detail, merged) for detail in error.errors()])
        ) from None
    problems = check_scenario(scenario) or check_plausible(scenario)
    if problems:
        for problem in problems:
            problem.file = _file_for(problem.key or "", merged)
        raise InputErrors(problems)
    return scenario


def _dedupe(errors: list[InputError]) -> list[InputError]:
    seen: set[str] = set()
    unique = []
    for error in errors:
        if str(error) not in seen:
            seen.add(str(error))
            unique.append(error)
    return unique


def _file_for(key: str, merged: _Merged) -> str | None:
    """The file that set the deepest part of ``key`` (the one to edit)."""
    parts = tuple(part.split("[")[0] for part in key.split(".") if part)
    for length in range(len(parts), 0, -1):
        origin = merged.provenance.get(parts[:length])
        if origin is not None:
            return origin
    sources = merged.sources
    return sources[-1].path if sources else None


def _render_location(location: tuple[int | str, ...], data: Raw) -> tuple[KeyPath, str]:
    """Turn pydantic's location into the key path a user wrote (segments by name)."""
    rendered: list[str] = []
    node: Any = data
    for item in location:
        if isinstance(node, list) and isinstance(item, int) and item < len(node):
            node = node[item]
            name = node.get("name") if isinstance(node, dict) else None
            if isinstance(name, str):
                rendered.append(name)
            elif rendered and rendered[-1] in ("segments",):
                rendered.append(f"#{item + 1}")
            else:
                rendered[-1] = f"{rendered[-1]}[{item}]" if rendered else f"[{item}]"
            continue
        if isinstance(node, dict) and item in node:
            node = node[item]
            rendered.append(str(item))
            continue
        if isinstance(item, str) and item in distributions.DISTRIBUTION_NAMES:
            continue  # the tag pydantic adds for the chosen distribution
        if isinstance(item, str) and _is_union_tag(item):
            continue  # pydantic's name of the alternative of a union it tried
        rendered.append(str(item))
        node = None
    return tuple(rendered), ".".join(rendered)


_FIXES = {
    "int_type": "write a whole number, e.g. 12",
    "int_from_float": "write a whole number, e.g. 12",
    "float_type": "write a number, e.g. 12.5",
    "string_type": 'write text in quotes, e.g. "name"',
    "bool_type": "write true or false",
    "dict_type": "write a table, e.g. { key = value }",
    "model_type": "write a table, e.g. [section] with keys below it",
    "model_attributes_type": "write a table, e.g. [section] with keys below it",
    "list_type": "write a list, e.g. [1, 2, 3]",
    "finite_number": "write a finite number",
}


def _from_pydantic(detail: ErrorDetails, merged: _Merged) -> InputError:
    path, key = _render_location(tuple(detail["loc"]), merged.data)
    kind = detail["type"]
    file = _file_for(key, merged)
    given = detail.get("input")
    if kind == "extra_forbidden":
        name = path[-1] if path else "?"
        known = _known_keys(path[:-1])
        return InputError(f"unknown key {name!r}", file=file, key=key, fix=suggest(name, known))
    if kind == "missing":
        return InputError(
            "this key is required", file=file, key=key, fix=f"add {path[-1]} = <value>"
        )
    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        key = key if key.endswith(".dist") else f"{key}.dist"
        return InputError(
            "unknown or missing distribution",
            file=_file_for(key, merged),
            key=key,
            fix="use dist = one of " + ", ".join(repr(n) for n in distributions.DISTRIBUTION_NAMES),
        )
    if isinstance(given, float) and not math.isfinite(given):
        return InputError(f"must be a finite number, got {given!r}", file=file, key=key,
                          fix="write a finite number (infinity and nan are not allowed)")
    if kind == "value_error":
        error = detail.get("ctx", {}).get("error", detail["msg"])
        fix = getattr(error, "fix", None) or _fix_for_value(path)
        return InputError(str(error), file=file, key=key, fix=fix)
    if kind == "list_type" and path == ("segments",) and isinstance(given, dict):
        return InputError(
            "segments is a single table, but it must be a list of tables, one per segment",
            file=file, key=key,
            fix="write each segment as [[segments]] (two brackets) followed by its name = "
            "\"...\" and keys, not [segments] or [segments.<name>]",
        )
    if kind == "dict_type" and len(path) == 1 and isinstance(given, list):
        return InputError(
            f"{key} is a list, but it must be a table of named {key}",
            file=file, key=key,
            fix=f"write each one as [{key}.<name>] (one bracket), not [[{key}]]",
        )
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limit = _plain_number(next(iter(detail.get("ctx", {}).values()), ""))
        word = {"greater_than_equal": ">=", "greater_than": ">",
                "less_than_equal": "<=", "less_than": "<"}[kind]
        return InputError(
            f"must be {word} {limit}, got {given!r}", file=file, key=key,
            fix=f"use a value {word} {limit}",
        )
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        return InputError(
            f"{given!r} is not allowed", file=file, key=key, fix=f"use one of {expected}"
        )
    fix = _FIXES.get(kind, "see the scenario file format in the README")
    return InputError(f"{detail['msg'].lower()}, got {given!r}", file=file, key=key, fix=fix)


def _plain_number(value: object) -> object:
    """A large bound as a reader writes it: ``8,760`` rather than ``8760.0``."""
    if isinstance(value, int | float) and not isinstance(value, bool) and (
            1000 <= abs(value) < 1e18 and float(value).is_integer()):
        return f"{int(value):,}"
    return value


def _is_union_tag(item: str) -> bool:
    """Whether a location item is pydantic's label of a union member (not a key)."""
    return item in ("int", "float", "str", "bool", "list", "dict") or item.startswith(
        ("constrained-", "function-", "list[", "dict[", "literal[", "tagged-union[")
    )


def _fix_for_value(path: KeyPath) -> str:
    last = path[-1] if path else ""
    if last == "hours":
        return 'write e.g. hours = "mon-fri 08:00-16:00", "24/7" or ["daily 20:00-08:00"]'
    if last in ("handled", "unhandled"):
        return "make none + emergency + admission + breakdown add up to exactly 1"
    if last == "profile":
        return 'write profile = "flat", "day" or "evening_night", or 24 hourly weights'
    if last == "arrivals_per_year":
        return "write e.g. arrivals_per_year = 12, or one rate per year: [12, 14, 16]"
    if path and path[-1] == "capacity":
        return 'write e.g. capacity = 12, capacity = "unlimited" or capacity = [12, 12, 16]'
    if last == "label":
        return 'write e.g. label = "Hospits", or label = { en = "Hostel", nb = "Hospits" }'
    if "price_by_stay" in path:
        return ('write steps such as refunded = { from_day = 0, cost_per_occupied_day = 1200, '
                'payer = "state" } and after_limit = { from_day = 90, '
                'cost_per_occupied_day = 1200, payer = "municipality" }, one from day 0, '
                "each from its own day, with payer or shares (summing to 1), and no "
                "cost_per_occupied_day beside them")
    return "see the distribution's parameters in the README (section 'The scenario file')"


def _known_keys(path: KeyPath) -> list[str]:
    """The keys allowed at a key path, for 'did you mean' hints."""
    annotation: Any = Scenario
    for part in path:
        model = _model_in(annotation)
        if model is not None:
            field = model.model_fields.get(part)
            if field is None:
                field = next(
                    (f for f in model.model_fields.values() if f.alias == part), None
                )
            if field is None:
                return []
            annotation = field.annotation
            continue
        annotation = _element_of(annotation)  # a name in a dict, or a segment in the list
        if annotation is None:
            return []
    model = _model_in(annotation)
    if model is not None:
        return [field.alias or name for name, field in model.model_fields.items()]
    if _is_distribution(annotation):
        keys = {"dist"}
        for member in typing.get_args(_strip(annotation)):
            keys.update(f.alias or n for n, f in member.model_fields.items())
        return sorted(keys)
    return []


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return _strip(rest[0])
    return annotation


def _model_in(annotation: Any) -> type[BaseModel] | None:
    stripped = _strip(annotation)
    if isinstance(stripped, type) and issubclass(stripped, BaseModel):
        return stripped
    return None


def _is_distribution(annotation: Any) -> bool:
    stripped = _strip(annotation)
    return typing.get_origin(stripped) in (typing.Union, types.UnionType) and all(
        isinstance(a, type) and issubclass(a, distributions._Spec)
        for a in typing.get_args(stripped)
    )


def _element_of(annotation: Any) -> Any:
    stripped = _strip(annotation)
    origin = typing.get_origin(stripped)
    args = typing.get_args(stripped)
    if origin is dict and len(args) == 2:
        return args[1]
    if origin is list and args:
        return args[0]
    return None
