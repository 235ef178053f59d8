"""The visible folder of an unfinished PSA (``NAME.partial``), from which it can be resumed.

While ``bosim psa -o NAME`` simulates, every finished replication is kept in
``NAME.partial/parts/`` as it finishes, beside ``design.json`` (the command's arguments
and a fingerprint of the scenarios) and ``PARTIAL.txt`` (in plain words: this folder is
not a result, and how to resume it). ``bosim psa --resume NAME.partial`` simulates only
what is missing; the finished folder is ``NAME``, and ``NAME.partial`` is removed once it
is written. Its random streams are keyed by (seed, sample, replication), so a resumed run
gives the same numbers as one never interrupted.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bosim.engine import ReplicationRecord, WorkUnit
from bosim.errors import InputError
from bosim.outputs.folder import write_whole
from bosim.scenario import Scenario

SUFFIX = ".partial"
DESIGN = "design.json"
NOTICE = "PARTIAL.txt"
PARTS = "parts"


def partial_folder(target: Path) -> Path:
    """Where the unfinished run of the results folder ``target`` is kept."""
    return target.with_name(target.name + SUFFIX)


def fingerprint(scenarios: Sequence[Scenario]) -> str:
    """A SHA-256 of the scenarios as validated: a resumed run must simulate the same ones."""
    digest = hashlib.sha256()
    for scenario in scenarios:
        digest.update(scenario.model_dump_json().encode("utf-8"))
    return digest.hexdigest()


class PartialRun:
    """An unfinished run's folder: its design and the replications finished so far.

    Used as the :class:`bosim.engine.runner.UnitStore` of :func:`bosim.api.psa`.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.parts = folder / PARTS

    @classmethod
    def start(cls, folder: Path, design: Mapping[str, object]) -> PartialRun:
        """Make the folder, marked as incomplete, with the design to resume it with.

        Raises:
            InputError: if the folder exists (an interrupted run: resume or remove it).

        """
        if folder.exists():
            raise InputError("holds an interrupted run of this command", file=str(folder),
                             fix=f"resume it with bosim psa --resume {folder}, or remove it")
        (folder / PARTS).mkdir(parents=True)
        write_whole(folder / DESIGN, json.dumps(design, indent=2, default=str).encode("utf-8"))
        notice = (
            "This folder is an UNFINISHED bosim psa run, not a result: it holds the "
            "replications finished before the run stopped.\n\n"
            f"To finish it (only what is missing is simulated):\n\n"
            f"    bosim psa --resume {folder}\n\n"
            f"The results are then written to {design.get('output')}, and this folder is "
            "removed. To give up the run, remove this folder.\n")
        write_whole(folder / NOTICE, notice.encode("utf-8"))
        return cls(folder)

    @classmethod
    def open(cls, folder: Path) -> tuple[PartialRun, dict[str, Any]]:
        """An existing unfinished run and its design.

        Raises:
            InputError: if ``folder`` is not an unfinished bosim run.

        """
        try:
            design = json.loads((folder / DESIGN).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InputError(f"is not an unfinished bosim psa run (no readable {DESIGN})",
                             file=str(folder),
                             fix="give the NAME.partial folder an interrupted run left"
                             ) from error
        return cls(folder), design

    def _part(self, unit: WorkUnit) -> Path:
        return self.parts / (f"{unit.scenario}-{unit.seed}-{unit.sample}-"
                             f"{unit.replication}.pickle")

    def get(self, unit: WorkUnit) -> ReplicationRecord | None:
        """The record of a unit finished earlier, or None (also for an unreadable part)."""
        try:
            record = pickle.loads(self._part(unit).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            return None
        return record if isinstance(record, ReplicationRecord) else None

    def put(self, unit: WorkUnit, record: ReplicationRecord) -> None:
        """Keep a finished unit (written whole: a killed run never leaves half a part)."""
        write_whole(self._part(unit), pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))

    def finished_count(self) -> int:
        """How many replications are kept."""
        return sum(1 for _ in self.parts.glob("*.pickle"))

    def remove(self) -> None:
        """Remove the folder (once the finished results are written)."""
        shutil.rmtree(self.folder, ignore_errors=True)
