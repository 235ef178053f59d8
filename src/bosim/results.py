"""The results of a run: tidy DataFrames for notebooks, and the results folder."""

from __future__ import annotations

import datetime as dt
import io
import json
import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bosim.costs import discount_factors, is_price_key, perspective_totals, price
from bosim.engine import CompiledScenario, ReplicationRecord
from bosim.engine.compiled import DAYS_PER_YEAR
from bosim.engine.records import DAYS_PER_MONTH
from bosim.errors import InputError
from bosim.metrics import UNITS, replications_frame, summarise
from bosim.output import output_folder, write_whole
from bosim.scenario import Scenario, scenario_to_dict, with_overrides

PACKAGES = ("simpy", "numpy", "scipy", "pandas", "pyarrow", "pydantic", "matplotlib")


def bosim_version() -> str:
    """The installed bosim version."""
    try:
        return metadata.version("bosim")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


@dataclass
class Results:
    """What :func:`bosim.simulate` returns.

    Attributes:
        scenario: the resolved scenario that was simulated.
        compiled: its engine tables.
        records: one record per replication (exposures; money is applied to these).
        seed: the run's seed.
        started, finished: wall-clock times of the run (UTC).

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
        """Number of replications."""
        return len(self.records)

    @cached_property
    def replications(self) -> pd.DataFrame:
        """``replication, metric, place, value``: every metric of every replication.

        Cost metrics (``cost_total``, ``cost_pv`` ...) are in the scenario's perspective.
        """
        metrics = replications_frame(self.records, self.compiled)
        return pd.concat([metrics, self._cost_metrics(metrics)], ignore_index=True)

    def _cost_metrics(self, metrics: pd.DataFrame) -> pd.DataFrame:
        economics = self.scenario.economics
        numbers = [record.replication for record in self.records]
        totals = perspective_totals(
            self.costs, numbers, economics.perspective, economics.tax_financing_cost
        ).set_index("replication")
        exposure = metrics[metrics.place == ""].pivot(
            index="replication", columns="metric", values="value"
        )
        factors = discount_factors(self.scenario.simulation.years, economics.discount_rate)
        housed = np.array(self.compiled.housed)
        totals["housed_person_years_pv"] = pd.Series({
            record.replication: float(
                (record.person_days[record.window][:, housed].sum(axis=(1, 2)) / DAYS_PER_YEAR
                 * factors[: record.observed_years]).sum()
            )
            for record in self.records
        })
        with np.errstate(divide="ignore", invalid="ignore"):
            totals["cost_per_person_year"] = totals["cost_total"] / exposure["person_years"]
            totals["cost_per_housed_year"] = (
                totals["cost_total"] / exposure["housed_person_years"]
            )
        rows = totals.reset_index().melt(
            id_vars="replication", var_name="metric", value_name="value"
        )
        rows["place"] = ""
        return rows[["replication", "metric", "place", "value"]].replace(
            [np.inf, -np.inf], np.nan
        )

    @cached_property
    def costs(self) -> pd.DataFrame:
        """``replication, year, item, payer, cost, cost_pv``: every priced line by observed year.

        In ``meta.currency`` at ``meta.price_year`` prices; ``cost_pv`` discounted to the
        start of the observed window. Items are ``place/unit_days``, ``place/occupied_days``,
        ``place/admissions``, ``place/breakdowns``, ``team/staff`` and ``events/...``.
        """
        return price(self.records, self.scenario, self.compiled)

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
        scenario = with_overrides(self.scenario, overrides)
        return Results(
            scenario=scenario, compiled=self.compiled, records=self.records, seed=self.seed,
            started=self.started, finished=self.finished, jobs=self.jobs,
            extra_manifest=dict(self.extra_manifest),
        )

    @cached_property
    def summary(self) -> pd.DataFrame:
        """``metric, place, mean, sd, ci_low, ci_high, n``: 95 % t-intervals over replications."""
        return summarise(self.replications)

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """``replication, day, place, occupancy, queue``: monthly time-averages.

        ``day`` is the first day of the month counted from the start of the observed
        window (negative in the warm-up).
        """
        frames = []
        names = list(self.compiled.place_names)
        for record in self.records:
            months, places = record.month_occupancy.shape
            start = np.arange(months) * DAYS_PER_MONTH - record.warmup_years * DAYS_PER_YEAR
            frames.append(
                pd.DataFrame(
                    {
                        "replication": record.replication,
                        "day": np.repeat(start, places),
                        "place": np.tile(names, months),
                        "occupancy": record.month_occupancy.ravel(),
                        "queue": record.month_queue.ravel(),
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def events(self) -> pd.DataFrame | None:
        """``replication, time, person, segment, event, place, target``; None without trace.

        ``time`` is in days from the start of the observed window (negative in warm-up).
        """
        if any(record.events is None for record in self.records):
            return None
        places = [*self.compiled.place_names, ""]  # index -1: no place
        segments = list(self.compiled.segment_names)
        offset = self.compiled.warmup_days
        frames = []
        for record in self.records:
            assert record.events is not None
            raw = pd.DataFrame(
                record.events, columns=["time", "person", "segment", "event", "place", "target"]
            )
            frames.append(
                pd.DataFrame(
                    {
                        "replication": record.replication,
                        "time": raw["time"] - offset,
                        "person": raw["person"],
                        "segment": pd.Categorical.from_codes(
                            raw["segment"].to_numpy(dtype=np.int64), categories=pd.Index(segments)
                        ),
                        "event": raw["event"].astype("category"),
                        "place": [places[p] for p in raw["place"]],
                        "target": [places[p] for p in raw["target"]],
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)

    def summary_with_units(self) -> pd.DataFrame:
        """The summary with a unit per row, for people who read it in a spreadsheet."""
        money = f"{self.scenario.meta.currency} ({self.scenario.meta.price_year} prices)"
        frame = self.summary.copy()
        frame.insert(2, "unit", [metric_unit(m, money) for m in frame.metric])
        return frame

    @cached_property
    def waits(self) -> pd.DataFrame:
        """``replication, place, wait_days``: waits of admissions in the window.

        Only admissions of people headed for the place (not waiting-list moves).
        """
        names = self.compiled.place_names
        frames = [
            pd.DataFrame({"replication": record.replication, "place": names[place],
                          "wait_days": waits})
            for record in self.records
            for place, waits in enumerate(record.waits)
            if waits.size
        ]
        if not frames:
            return pd.DataFrame({"replication": pd.Series(dtype=int),
                                 "place": pd.Series(dtype=str),
                                 "wait_days": pd.Series(dtype=float)})
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def flows(self) -> pd.DataFrame:
        """``replication, origin, destination, moves``: moves between places in the window.

        ``(arrival)`` as origin is a new person; ``(exit)`` as destination is leaving the
        target group.
        """
        names = [*self.compiled.place_names]
        rows = []
        for record in self.records:
            origins, destinations = np.nonzero(record.flows)
            for origin, destination in zip(origins, destinations, strict=True):
                rows.append((
                    record.replication,
                    names[origin] if origin < len(names) else "(arrival)",
                    names[destination] if destination < len(names) else "(exit)",
                    int(record.flows[origin, destination]),
                ))
        return pd.DataFrame(rows, columns=["replication", "origin", "destination", "moves"])

    @cached_property
    def spells(self) -> pd.DataFrame:
        """``replication, start, end, ending``: housing spells, days from the window start.

        A spell runs from a housing start to the first homeless place (``homeless``),
        leaving the target group (``exit``) or the horizon (``censored``).
        """
        endings = np.array(["homeless", "exit", "censored"])
        offset = self.compiled.warmup_days
        frames = [
            pd.DataFrame({
                "replication": record.replication,
                "start": record.spells[:, 0] - offset,
                "end": record.spells[:, 1] - offset,
                "ending": endings[record.spells[:, 2].astype(int)],
            })
            for record in self.records
        ]
        return pd.concat(frames, ignore_index=True)

    def metric(self, metric: str, place: str = "") -> float:
        """The mean of one metric over replications (``place`` for place-wise metrics)."""
        rows = self.summary[(self.summary.metric == metric) & (self.summary.place == place)]
        if rows.empty:
            raise KeyError(f"no metric {metric!r} for place {place!r}")
        return float(rows["mean"].iloc[0])

    def manifest(self) -> dict[str, Any]:
        """What makes this result explain itself: versions, inputs, seed and times."""
        return {
            "bosim_version": bosim_version(),
            "scenario_name": self.scenario.meta.name,
            "scenario_files": [
                {"path": source.path, "sha256": source.sha256}
                for source in getattr(self.scenario, "_sources", [])
            ],
            "scenario": scenario_to_dict(self.scenario),
            "seed": self.seed,
            "replications": self.replication_count,
            "jobs": self.jobs,
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat(),
            "python": platform.python_version(),
            "packages": {name: _version(name) for name in PACKAGES},
            **self.extra_manifest,
        }

    def save(self, directory: str | Path, force: bool = False, lang: str = "en") -> Path:
        """Write the results folder (model.md section 7), whole or not at all.

        Raises:
            InputError: if the folder exists and ``force`` is not given.

        """
        from bosim.report import render_report  # the report imports matplotlib: load late

        target = Path(directory)
        with output_folder(target, force=force) as folder:
            write_whole(
                folder / "manifest.json",
                json.dumps(self.manifest(), indent=2, ensure_ascii=False).encode("utf-8"),
            )
            write_whole(folder / "summary.csv", self.summary.to_csv(index=False).encode("utf-8"))
            write_whole(folder / "replications.parquet", _parquet(self.replications))
            write_whole(folder / "timeseries.parquet", _parquet(self.timeseries))
            write_whole(folder / "costs.parquet", _parquet(self.costs))
            write_whole(folder / "waits.parquet", _parquet(self.waits))
            write_whole(folder / "flows.parquet", _parquet(self.flows))
            write_whole(folder / "spells.parquet", _parquet(self.spells))
            workbook = spreadsheet({"summary": self.summary_with_units()})
            write_whole(folder / "summary.xlsx", workbook)
            events = self.events
            if events is not None:
                write_whole(folder / "events.parquet", _parquet(events))
            write_whole(folder / "report.html", render_report(self, lang).encode("utf-8"))
        return target


def metric_unit(metric: str, money: str) -> str:
    """The unit a metric is in; money metrics in the scenario's currency and price year."""
    if metric.startswith(("cost", "tax_financing")):
        per = {"cost_per_person_year": " per person-year",
               "cost_per_housed_year": " per housed person-year"}.get(metric, "")
        return money + per
    return UNITS.get(metric, "")


def spreadsheet(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook with one sheet per frame, header row frozen, columns widened."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False, freeze_panes=(1, 0))
            sheet = writer.sheets[name]
            for column in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 60)
    return buffer.getvalue()


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"
