"""The records layer: replication records as tidy tables with names, samples and segments."""

from bosim.records.tables import (
    ARRIVAL,
    EXIT,
    events_table,
    flows_table,
    spells_table,
    stays_table,
    timeseries_table,
    waits_table,
)

__all__ = [
    "ARRIVAL",
    "EXIT",
    "events_table",
    "flows_table",
    "spells_table",
    "stays_table",
    "timeseries_table",
    "waits_table",
]
