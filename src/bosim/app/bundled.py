"""The bundled scenarios the app offers: the scenario files of the repository.

They are the ``*.toml`` files under ``scenarios/``: the current folder's, when the app is
started in a clone of the repository, else the one beside the installed package (an
editable install from a clone).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"
"""``scenarios/`` of the clone the package is installed from (``pip install -e .``)."""


def scenarios_folder(start: Path | None = None) -> Path | None:
    """The folder of bundled scenarios: ``scenarios/`` here, else beside the package."""
    here = (start or Path.cwd()) / "scenarios"
    for candidate in (here, PACKAGE_SCENARIOS):
        if candidate.is_dir() and any(candidate.rglob("*.toml")):
            return candidate
    return None


def bundled_scenarios(start: Path | None = None) -> list[Path]:
    """Every bundled scenario file, sorted by path (``staffing/base.toml`` after ``example``)."""
    folder = scenarios_folder(start)
    if folder is None:
        return []
    return sorted(folder.rglob("*.toml"), key=lambda path: (len(path.parts), str(path)))


def shown_path(path: Path, start: Path | None = None) -> str:
    """A path as the planner reads it: relative to the current folder when it is inside it."""
    base = (start or Path.cwd()).resolve()
    resolved = path.resolve()
    if resolved.is_relative_to(base):
        return resolved.relative_to(base).as_posix()
    return os.fspath(path)


def bundled_choices(start: Path | None = None) -> dict[str, str]:
    """The bundled scenarios to choose from, path to name.

    The path as :func:`shown_path` gives it; the name as in the scenarios folder
    (``staffing/housing_first.toml``).
    """
    folder = scenarios_folder(start)
    return {shown_path(path, start): path.relative_to(folder).as_posix()
            for path in bundled_scenarios(start) if folder is not None}
