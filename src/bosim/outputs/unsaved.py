"""Keeping simulated results whose folder could not be written (a full disk, a removed folder).

The results are pickled to one file, next to the folder asked for or else in the system's
temporary folder, so that hours of simulation are not lost; :func:`load_unsaved` reads
them back for :func:`bosim.api.save`. Each run is pickled as its scenario and records
(its engine tables are compiled again when read), since the tables hold functions.
Read only files bosim wrote this way: unpickling runs code named in the file.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import pickle
import shlex
import tempfile
from pathlib import Path
from typing import Any

from bosim.analysis import Comparison, Results, Sweep
from bosim.engine import ReplicationRecord, compile_scenario
from bosim.outputs.folder import slug, write_whole
from bosim.scenario import Scenario

Saved = Results | Comparison | Sweep
SUFFIX = ".bosim-unsaved.pickle"


def results_again(scenario: Scenario, records: list[ReplicationRecord], seed: int,
                  started: dt.datetime, finished: dt.datetime, jobs: int,
                  extra_manifest: dict[str, Any]) -> Results:
    """A run's :class:`Results` from what was pickled (the engine tables compiled again)."""
    return Results(scenario=scenario, compiled=compile_scenario(scenario), records=records,
                   seed=seed, started=started, finished=finished, jobs=jobs,
                   extra_manifest=extra_manifest)


class _Pickler(pickle.Pickler):
    """Pickles every :class:`Results` as the arguments of :func:`results_again`."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Results):
            return results_again, (obj.scenario, obj.records, obj.seed, obj.started,
                                   obj.finished, obj.jobs, obj.extra_manifest)
        return NotImplemented


def keep_unsaved(what: Saved, target: Path) -> Path:
    """Pickle results next to ``target`` or, failing that, in the temporary folder.

    Returns the file written. Raises OSError if neither place can be written.
    """
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(what)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{slug(target.name)}-{stamp}-{os.getpid()}{SUFFIX}"
    failure: OSError | None = None
    for folder in (target.parent, Path(tempfile.gettempdir())):
        try:
            write_whole(folder / name, buffer.getvalue())
            return folder / name
        except OSError as error:
            failure = error
    assert failure is not None
    raise failure


def load_unsaved(path: str | Path) -> Saved:
    """Read results kept by :func:`keep_unsaved` (a run, a comparison or a sweep)."""
    with open(path, "rb") as handle:
        loaded: Saved = pickle.load(handle)  # bosim's own file (see the module)
    return loaded


def _literal(path: Path) -> str:
    """A path as a Python string literal in double quotes (JSON's are valid Python)."""
    return json.dumps(str(path), ensure_ascii=False)


class UnsavedResults(Exception):  # noqa: N818 - names the situation, as InputError does
    """A results folder could not be written after simulating; the results were kept.

    Attributes:
        target: the folder asked for.
        reason: why it could not be written, in plain words.
        kept: the file holding the results, or None if nothing could be written anywhere.

    """

    def __init__(self, target: Path, reason: str, kept: Path | None,
                 save_arguments: str = "") -> None:
        self.target = target
        self.reason = reason
        self.kept = kept
        if kept is None:
            advice = ("The results could not be kept anywhere either (the temporary folder "
                      "is not writable); free some room and run again.")
        else:
            snippet = (f"from bosim.api import load_unsaved, save; "
                       f"print(save(load_unsaved({_literal(kept)}), {_literal(target)}"
                       f"{save_arguments}))")
            advice = (f"The simulated results are kept in {kept}. Once there is room (or "
                      f"with another folder in place of {target}), write the results folder "
                      f"with:\n  python -c {shlex.quote(snippet)}")
        super().__init__(f"could not write the results folder {target}: {reason}.\n{advice}")
