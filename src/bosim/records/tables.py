"""The replication records as tidy tables, one row per observation, names instead of indices.

Every table starts with ``sample`` (the parameter draw; 0 for a plain run) and
``replication``. Times are days from the start of the observed window, so they are
negative in the warm-up. These are the tables of the results folder's parquet files
(``docs/outputs.md``) and of :class:`~bosim.analysis.results.Results`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from bosim.engine import CompiledScenario, ReplicationRecord, SpellColumn, SpellEnd
from bosim.engine.record import StayColumn
from bosim.units import DAYS_PER_MONTH

ARRIVAL = "(arrival)"
"""Origin of a move into the system."""
EXIT = "(exit)"
"""Destination of a move out of the target group."""
SPELL_ENDINGS = {SpellEnd.HOMELESS: "homeless", SpellEnd.EXIT: "exit",
                 SpellEnd.CENSORED: "censored"}


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


def _concat(frames: list[pd.DataFrame], columns: dict[str, str]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if frames else _empty(columns)


TIMESERIES_COLUMNS = {"sample": "int64", "replication": "int64", "day": "float64",
                      "place": "object", "occupancy": "float64", "queue": "float64"}


def timeseries_table(
    records: Sequence[ReplicationRecord], compiled: CompiledScenario
) -> pd.DataFrame:
    """``sample, replication, day, place, occupancy, queue``: monthly time-averages.

    ``day`` is the first day of the month from the start of the observed window.
    """
    names = list(compiled.place_names)
    frames = []
    for record in records:
        months, places = record.month_occupancy.shape
        start = np.arange(months) * DAYS_PER_MONTH - compiled.warmup_days
        frames.append(pd.DataFrame({
            "sample": record.sample,
            "replication": record.replication,
            "day": np.repeat(start, places),
            "place": np.tile(names, months),
            "occupancy": record.month_occupancy.ravel(),
            "queue": record.month_queue.ravel(),
        }))
    return _concat(frames, TIMESERIES_COLUMNS)


WAITS_COLUMNS = {"sample": "int64", "replication": "int64", "place": "object",
                 "segment": "object", "wait_days": "float64"}


def waits_table(records: Sequence[ReplicationRecord], compiled: CompiledScenario,
                still_waiting: bool = False) -> pd.DataFrame:
    """``sample, replication, place, segment, wait_days``: one row per wait.

    Completed waits of admissions in the window of people headed for the place; with
    ``still_waiting``, the days waited so far by those still in a queue at the end.
    """
    frames = []
    for record in records:
        by_place = record.open_waits if still_waiting else record.waits
        for place, by_segment in enumerate(by_place):
            for segment, days in enumerate(by_segment):
                if days.size:
                    frames.append(pd.DataFrame({
                        "sample": record.sample, "replication": record.replication,
                        "place": compiled.place_names[place],
                        "segment": compiled.segment_names[segment], "wait_days": days,
                    }))
    return _concat(frames, WAITS_COLUMNS)


FLOWS_COLUMNS = {"sample": "int64", "replication": "int64", "segment": "object",
                 "origin": "object", "destination": "object", "moves": "int64"}


def flows_table(records: Sequence[ReplicationRecord], compiled: CompiledScenario) -> pd.DataFrame:
    """``sample, replication, segment, origin, destination, moves`` in the observed window.

    ``(arrival)`` as origin is a new person; ``(exit)`` as destination is leaving the
    target group.
    """
    names = list(compiled.place_names)
    rows = []
    for record in records:
        for segment, origin, destination in zip(*np.nonzero(record.flows), strict=True):
            rows.append((
                record.sample, record.replication, compiled.segment_names[segment],
                names[origin] if origin < len(names) else ARRIVAL,
                names[destination] if destination < len(names) else EXIT,
                int(record.flows[segment, origin, destination]),
            ))
    if not rows:
        return _empty(FLOWS_COLUMNS)
    return pd.DataFrame(rows, columns=list(FLOWS_COLUMNS))


SPELLS_COLUMNS = {"sample": "int64", "replication": "int64", "segment": "object",
                  "start": "float64", "end": "float64", "ending": "object"}


def spells_table(records: Sequence[ReplicationRecord], compiled: CompiledScenario) -> pd.DataFrame:
    """``sample, replication, segment, start, end, ending``: housing spells.

    A spell runs from a housing start to the first homeless place (``homeless``), leaving
    the target group (``exit``) or the horizon (``censored``); days from the window start.
    """
    endings = np.array([SPELL_ENDINGS[SpellEnd(code)] for code in range(len(SpellEnd))])
    segments = np.array(compiled.segment_names, dtype=object)
    offset = compiled.warmup_days
    frames = [
        pd.DataFrame({
            "sample": record.sample,
            "replication": record.replication,
            "segment": segments[record.spells[:, SpellColumn.SEGMENT].astype(int)],
            "start": record.spells[:, SpellColumn.START] - offset,
            "end": record.spells[:, SpellColumn.END] - offset,
            "ending": endings[record.spells[:, SpellColumn.ENDING].astype(int)],
        })
        for record in records
        if record.spells.size
    ]
    return _concat(frames, SPELLS_COLUMNS)


EVENTS_COLUMNS = {"sample": "int64", "replication": "int64", "time": "float64",
                  "person": "int64", "segment": "object", "event": "object",
                  "place": "object", "target": "object"}


def events_table(
    records: Sequence[ReplicationRecord], compiled: CompiledScenario
) -> pd.DataFrame | None:
    """``sample, replication, time, person, segment, event, place, target``; None without trace.

    ``time`` in days from the start of the observed window; ``place`` and ``target`` are
    empty where there is none.
    """
    if any(record.events is None for record in records):
        return None
    places = np.array([*compiled.place_names, ""], dtype=object)  # index -1: no place
    segments = np.array(compiled.segment_names, dtype=object)
    frames = []
    for record in records:
        assert record.events is not None
        if not record.events:
            continue
        time, person, segment, event, place, target = zip(*record.events, strict=True)
        frames.append(pd.DataFrame({
            "sample": record.sample,
            "replication": record.replication,
            "time": np.asarray(time, dtype=float) - compiled.warmup_days,
            "person": np.asarray(person, dtype=np.int64),
            "segment": segments[np.asarray(segment, dtype=np.int64)],
            "event": [str(kind) for kind in event],
            "place": places[np.asarray(place, dtype=np.int64)],
            "target": places[np.asarray(target, dtype=np.int64)],
        }))
    return _concat(frames, EVENTS_COLUMNS)


STAYS_COLUMNS = {"sample": "int64", "replication": "int64", "person": "int64",
                 "segment": "object", "place": "object", "start": "float64",
                 "end": "float64"}


def stays_table(records: Sequence[ReplicationRecord], compiled: CompiledScenario) -> pd.DataFrame:
    """``sample, replication, person, segment, place, start, end``: every stay in a place.

    Days from the start of the observed window (negative in the warm-up); a stay still
    running at the horizon ends there. A stay goes on while its person is away in an
    institution with the unit kept; an institution stay is a row only when the person has
    no unit to return to.
    """
    if not any(record.stays.size for record in records):
        return _empty(STAYS_COLUMNS)
    stays = np.concatenate([record.stays for record in records])
    counts = [len(record.stays) for record in records]
    return pd.DataFrame({
        "sample": np.repeat([record.sample for record in records], counts).astype(np.int64),
        "replication": np.repeat([record.replication for record in records],
                                 counts).astype(np.int64),
        "person": stays[:, StayColumn.PERSON].astype(np.int64),
        "segment": np.array(compiled.segment_names, dtype=object)[
            stays[:, StayColumn.SEGMENT].astype(int)],
        "place": np.array(compiled.place_names, dtype=object)[
            stays[:, StayColumn.PLACE].astype(int)],
        "start": stays[:, StayColumn.START] - compiled.warmup_days,
        "end": stays[:, StayColumn.END] - compiled.warmup_days,
    })
