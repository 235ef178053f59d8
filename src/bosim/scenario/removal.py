"""``remove`` in a scenario file that ``extends`` another: taking entries out of it.

Merging (:mod:`bosim.scenario.loading`) can add and change but not take away: a file can
list key paths (``places.hostel``, ``teams.night_team``, ``segments.chronic``,
``segments.chronic.routes.start.hostel``) to take out of the file it extends, before its
own keys merge in. Whatever still names a removed place, team or segment afterwards is
an error naming that key and the fix (docs/scenario.md).
"""

from __future__ import annotations

from typing import Any

from bosim.errors import InputError, InputErrors
from bosim.scenario.checks import suggest

Raw = dict[str, Any]
KeyPath = tuple[str, ...]

REMOVE_FIX = ('write e.g. remove = ["places.hostel", "teams.night_team", '
              '"segments.chronic.routes.start.hostel"]')
NAMED_TABLES = ("places", "teams", "segments")
"""Tables whose entries other keys point at by name."""
NOT_REFERENCES = frozenset({
    "description", "label", "name", "profile", "hours", "dist", "kind", "payer",
    "perspective", "priority", "when_ready", "currency", "source", "group",
})
"""Keys whose text values are never the name of a place, team or segment."""


def remove_paths(data: Raw, provenance: dict[KeyPath, str], removals: object,
                 source: str) -> list[KeyPath]:
    """Take each dotted path of ``remove`` out of the extended file's ``data``.

    Segments are named by their ``name``; the provenance of what is removed is dropped.
    Returns the removed paths.

    Raises:
        InputError: for a ``remove`` that is not a list of paths, or names what ``data``
            does not have.

    """
    if not isinstance(removals, list) or not all(isinstance(p, str) for p in removals):
        raise InputError("remove must be a list of key paths in quotes", file=source,
                         key="remove", fix=REMOVE_FIX)
    removed: list[KeyPath] = []
    for dotted in removals:
        parts = tuple(part for part in dotted.split(".") if part)
        node: Any = data
        for position, part in enumerate(parts):
            names = ([s.get("name") for s in node if isinstance(s, dict)]
                     if isinstance(node, list) else list(node) if isinstance(node, dict) else [])
            if part not in names:
                where = ".".join(parts[:position]) or "the extended file"
                raise InputError(
                    f"remove names {dotted!r}, but {where} has no {part!r}",
                    file=source, key="remove",
                    fix=f"{suggest(part, [str(n) for n in names]).rstrip('.?')}? Give the "
                        "path as the extended file writes it (segments by name)",
                )
            if position == len(parts) - 1:
                if isinstance(node, list):
                    del node[names.index(part)]
                else:
                    del node[part]
            else:
                node = node[names.index(part)] if isinstance(node, list) else node[part]
        if not parts:
            raise InputError("remove has an empty key path", file=source, key="remove",
                             fix=REMOVE_FIX)
        for below in [key for key in provenance if key[:len(parts)] == parts]:
            del provenance[below]
        removed.append(parts)
    return removed


def check_nothing_points_at(data: Raw, removed: list[KeyPath], source: str) -> None:
    """Every key that still names a removed place, team or segment is an error.

    Raises:
        InputErrors: one error per key, naming it and the fix.

    """
    problems = []
    for parts in removed:
        if len(parts) != 2 or parts[0] not in NAMED_TABLES:
            continue
        for where, in_list in _pointing_at(data, parts[1], ".".join(parts)):
            again = f"set {where} again in this file without {parts[1]!r}"
            problems.append(InputError(
                f"{'.'.join(parts)} is removed, but {where} still points at {parts[1]!r}",
                file=source, key=where,
                fix=again if in_list else f'add "{where}" to remove as well, or {again}',
            ))
    if problems:
        raise InputErrors(problems)


def _pointing_at(node: object, name: str, dotted: str, path: KeyPath = (),
                 in_list: bool = False) -> list[tuple[str, bool]]:
    """Key paths under ``node`` that name ``name``, each with whether it is in a list.

    A segment's table keyed by it, a text equal to it, or an uncertainty path into
    ``dotted``.
    """
    found: list[tuple[str, bool]] = []
    here = ".".join(path)
    if isinstance(node, dict):
        for key, value in node.items():
            inner = (*path, str(key))
            if key == name and path[:1] == ("segments",):
                found.append((".".join(inner), False))
            elif key in ("path", "paths") and path[:1] == ("uncertainty",):
                paths = value if isinstance(value, list) else [value]
                if any(isinstance(p, str) and (p == dotted or p.startswith(f"{dotted}."))
                       for p in paths):
                    found.append((".".join(inner), False))
            elif key not in NOT_REFERENCES:
                found += _pointing_at(value, name, dotted, inner)
    elif isinstance(node, list):
        for item in node:
            label = item.get("name") if isinstance(item, dict) else None
            inner = (*path, label) if isinstance(label, str) else path
            found += _pointing_at(item, name, dotted, inner, not isinstance(label, str))
    elif node == name and here:
        found.append((here, in_list))
    return list(dict.fromkeys(found))
