"""The results of a run: the records, and tidy DataFrames derived from them on demand.

:class:`Results` only holds data. Saving it is :mod:`bosim.outputs`' job, rendering it
:mod:`bosim.presentation`'s; both read it through the attributes below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Protocol

import numpy as np
import pandas as pd

from bosim.analysis.costs import discount_factors, is_price_key, perspective_totals, price
from bosim.analysis.metrics import REPLICATION_COLUMNS, replications_frame
from bosim.analysis.municipal_measures import measures_frame
from bosim.analysis.retention import retention_table
from bosim.analysis.stability import unstable_places
from bosim.analysis.summary import summarise
from bosim.engine import CompiledScenario, ReplicationRecord
from bosim.errors import InputError
from bosim.records import events_table, flows_table, spells_table, timeseries_table, waits_table
from bosim.records.tables import stays_table
from bosim.scenario import Scenario, with_overrides
from bosim.units import DAYS_PER_YEAR


class RunTables(Protocol):
    """The tables of a run that :class:`RunReadings` reads."""

    @property
    def compiled(self) -> CompiledScenario: ...  # noqa: D102
    @property
    def summary(self) -> pd.DataFrame: ...  # noqa: D102
    @property
    def spells(self) -> pd.DataFrame: ...  # noqa: D102
    @property
    def timeseries(self) -> pd.DataFrame: ...  # noqa: D102


class RunReadings:
    """What is read off a run's tables: the same for results in memory and read back."""

    @cached_property
    def retention(self: RunTables) -> pd.DataFrame:
        """``days, share, low, high``: the retention curve (mean of replications, 95 %).

        At 365 days it equals the summary of ``housing_retention_12m``.
        """
        return retention_table(self.spells, self.compiled.observed_years)

    @cached_property
    def unstable(self: RunTables) -> list[str]:
        """Places whose queue grows without bound through the observed window."""
        return unstable_places(self.timeseries, self.compiled)

    def metric(self: RunTables, metric: str, place: str = "", segment: str = "") -> float:
        """The mean of one metric over replications (``place``, ``segment`` to narrow)."""
        summary = self.summary
        rows = summary[(summary.metric == metric) & (summary.place == place)
                       & (summary.segment == segment)]
        if rows.empty:
            raise KeyError(f"no metric {metric!r} for place {place!r} and segment {segment!r}")
        return float(rows["mean"].iloc[0])


@dataclass
class Results(RunReadings):
    """What :func:`bosim.simulate` returns.

    Attributes:
        scenario: the resolved scenario that was simulated (and is priced).
        compiled: its engine tables.
        records: one record per (sample, replication); money is applied to these.
        seed: the run's seed.
        started, finished: wall-clock times of the run (UTC).
        jobs: worker processes used (the numbers do not depend on it).
        extra_manifest: more facts for the manifest (e.g. the plan's label).

    """

    scenario: Scenario
    compiled: CompiledScenario
    records: list[ReplicationRecord]
    seed: int
    started: dt.datetime
    finished: dt.datetime
    jobs: int = 1
    extra_manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def replication_count(self) -> int:
        """Number of replications (per sample)."""
        return len({record.replication for record in self.records})

    @cached_property
    def replications(self) -> pd.DataFrame:
        """``sample, replication, metric, segment, place, value``: every metric of every run.

        Money metrics (``cost_total``, ``cost_pv`` ...) are in the scenario's perspective.
        """
        metrics = replications_frame(self.records, self.compiled)
        measures = measures_frame(self.records, self.scenario, self.compiled)
        parts = [metrics, self._money_metrics(metrics)] + ([measures] if len(measures) else [])
        return pd.concat(parts, ignore_index=True)

    def _money_metrics(self, metrics: pd.DataFrame) -> pd.DataFrame:
        economics = self.scenario.economics
        runs = pd.MultiIndex.from_tuples(
            [(record.sample, record.replication) for record in self.records],
            names=["sample", "replication"],
        )
        totals = perspective_totals(
            self.costs, runs, economics.perspective, economics.tax_financing_cost
        ).set_index(["sample", "replication"])
        system = metrics[(metrics.place == "") & (metrics.segment == "")]
        exposure = system.pivot_table(index=["sample", "replication"], columns="metric",
                                      values="value", dropna=False)
        factors = discount_factors(self.scenario.simulation.years, economics.discount_rate)
        housed = np.array(self.compiled.housed)
        totals["housed_person_years_pv"] = [
            float((record.person_days[record.window][:, housed].sum(axis=(1, 2))
                   / DAYS_PER_YEAR * factors[: record.observed_years]).sum())
            for record in self.records
        ]
        with np.errstate(divide="ignore", invalid="ignore"):
            totals["cost_per_person_year"] = (
                totals["cost_total"] / exposure["person_years"].reindex(totals.index))
            totals["cost_per_housed_year"] = (
                totals["cost_total"] / exposure["housed_person_years"].reindex(totals.index))
        rows = totals.reset_index().melt(
            id_vars=["sample", "replication"], var_name="metric", value_name="value"
        )
        rows["segment"] = ""
        rows["place"] = ""
        return rows[REPLICATION_COLUMNS].replace([np.inf, -np.inf], np.nan)

    @cached_property
    def costs(self) -> pd.DataFrame:
        """``sample, replication, year, item, payer, cost, cost_pv``: priced lines by year.

        In ``meta.currency`` at ``meta.price_year`` prices; ``cost_pv`` discounted to the
        start of the observed window. Items are ``place/unit_days``, ``place/occupied_days``,
        ``place/admissions``, ``place/breakdowns``, ``team/staff`` and ``events/...``.
        """
        return price(self.records, self.scenario)

    def price(self, overrides: Mapping[str, object]) -> Results:
        """The same simulation priced again: other prices, payers, perspective or discounting.

        Only money may change (``places.X.cost_*``, ``places.X.payer``,
        ``teams.X.cost_per_fte_year``, ``teams.X.payer``, ``economics.*``, ``costs.*``);
        anything else would need a new simulation and is refused.
        """
        for key in overrides:
            if not is_price_key(key):
                raise InputError(
                    "changes what is simulated, not only what it costs",
                    file="overrides",
                    key=key,
                    fix="re-price with cost, payer, economics or costs keys only; for other "
                    "changes run bosim.simulate again",
                )
        return replace(self, scenario=with_overrides(self.scenario, overrides),
                       extra_manifest=dict(self.extra_manifest))

    @cached_property
    def summary(self) -> pd.DataFrame:
        """``metric, segment, place, mean, sd, ci_low, ci_high, n``: 95 % t-intervals.

        ``segment`` and ``place`` are empty for the whole target group.
        """
        return summarise(self.replications)

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """``sample, replication, day, place, occupancy, queue``: monthly time-averages."""
        return timeseries_table(self.records, self.compiled)

    @cached_property
    def events(self) -> pd.DataFrame | None:
        """The trace (``sample, replication, time, person, segment, event, place, target``)."""
        return events_table(self.records, self.compiled)

    @cached_property
    def waits(self) -> pd.DataFrame:
        """``sample, replication, place, segment, wait_days``: completed waits in the window."""
        return waits_table(self.records, self.compiled)

    @cached_property
    def open_waits(self) -> pd.DataFrame:
        """``sample, replication, place, segment, wait_days``: of those still waiting at the end."""
        return waits_table(self.records, self.compiled, still_waiting=True)

    @cached_property
    def flows(self) -> pd.DataFrame:
        """``sample, replication, segment, origin, destination, moves`` in the window."""
        return flows_table(self.records, self.compiled)

    @cached_property
    def spells(self) -> pd.DataFrame:
        """``sample, replication, segment, start, end, ending``: housing spells."""
        return spells_table(self.records, self.compiled)

    @cached_property
    def stays(self) -> pd.DataFrame:
        """``sample, replication, person, segment, place, start, end``: every stay in a place.

        Days from the window start (negative in the warm-up); the municipal measures and
        ``price_by_stay`` are computed from these (in memory only, not in the folder).
        """
        return stays_table(self.records, self.compiled)
